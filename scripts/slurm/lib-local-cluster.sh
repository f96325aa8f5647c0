#!/usr/bin/env bash
# A private single-node Slurm cluster on this machine, for scripts/slurm/test-local-cluster.sh
# and scripts/slurm/measure-local-cluster.sh (sourced, not run). Needs root.
#
# After `source`, the caller sets `started` (for `say`) and calls `start_local_cluster`: it installs
# slurm-wlm and munge from Debian's packages (when missing), builds dugnad (exports DUGNAD), and
# starts munged, slurmctld and slurmd as root with a generated key and slurm.conf under a
# temporary folder `$work`; a trap on EXIT stops every daemon it started (also on failure) and
# removes `$work` unless KEEP=1. A caller that runs a long command in the background sets `child`
# to its process group so that the trap stops it too.
say() { printf '[slurm %3ss] %s\n' "$(($(date +%s) - started))" "$*"; }

start_local_cluster() {
if [ "$(id -u)" != 0 ]; then
  echo "$0 starts slurmctld/slurmd/munged as root and installs packages: run it as root" >&2
  exit 2
fi
# --- packages ---------------------------------------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null ||
  ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge"
  # Keep the packages from starting their own daemons (with the system's config): we start ours.
  made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
  if [ -n "$made_policy" ]; then
    rm -f /usr/sbin/policy-rc.d
  fi
fi

say "building dugnad"
cargo build --release --quiet
export DUGNAD=$root/target/release/dugnad

# --- a private cluster ------------------------------------------------------------------------
work=$(mktemp -d /tmp/dugnad-slurm.XXXXXX)
chmod 755 "$work"
pids=()
child=
cleanup() {
  status=$?
  set +e
  # submit.sh and its sbatch --wait run in their own process group.
  [ -n "$child" ] && kill -- "-$child" 2>/dev/null
  if [ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ] && command -v scancel >/dev/null; then
    timeout 10 scancel --quiet --user=root >/dev/null 2>&1
  fi
  # Stop what we started, newest first, and wait until each has exited.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[i]}" 2>/dev/null
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null
  done
  # slurmd starts a slurmstepd per job step; none may outlive the test.
  for pidfile in "$work"/*.pid; do
    [ -f "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null
  done
  if [ "$status" != 0 ] && [ -d "$work/log" ]; then
    echo "---- logs (test failed) ----" >&2
    tail -n 30 "$work"/log/*.log "$work"/log/*.out "$work"/slurm/logs/* 1>&2 2>/dev/null
  fi
  if [ -n "${KEEP:-}" ]; then
    echo "kept $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

host=$(hostname -s)
cpus=$(nproc)
mem=$(free -m | awk '/^Mem:/ {print int($2 * 0.9)}')
mkdir -p "$work/munge" "$work/state" "$work/spool" "$work/log"
chmod 711 "$work/munge"

say "starting munged"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
munged --foreground --force --key-file="$work/munge/munge.key" --socket="$work/munge/munge.socket" \
  --pid-file="$work/munge/munged.pid" --seed-file="$work/munge/munged.seed" \
  --log-file="$work/log/munged.log" >"$work/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do
  [ -S "$work/munge/munge.socket" ] && break
  sleep 0.1
done
[ -S "$work/munge/munge.socket" ] || { echo "munged did not start" >&2; exit 1; }

# Ports off the default 6817/6818, so a cluster already on this machine is not disturbed.
ctld_port=$((20000 + RANDOM % 20000))
slurmd_port=$((ctld_port + 1))
export SLURM_CONF=$work/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=dugnadtest
SlurmctldHost=$host
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
ReturnToService=2
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

say "starting slurmctld and slurmd ($host: $cpus CPUs, ${mem} MB)"
slurmctld -D -i -f "$SLURM_CONF" >"$work/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$work/log/slurmd.out" 2>&1 &
pids+=($!)
state=
for _ in $(seq 1 120); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null | head -n 1 || true)
  case $state in
    idle*) break ;;
    down*|drain*) scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true ;;
  esac
  sleep 0.5
done
case $state in
  idle*) ;;
  *) echo "the node did not become idle (state '$state')" >&2; exit 1 ;;
esac
say "cluster up: $(sinfo -h -o '%P %D %T %c CPUs')"
}
ms() { echo $(($(date +%s%N) / 1000000)); }
