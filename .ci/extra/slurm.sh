#!/usr/bin/env bash
# The Slurm scripts end to end on a single-node cluster started here (needs root to install
# slurm-wlm and munge and to run the daemons; skipped otherwise).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then
  echo "skipping the Slurm test: it needs root (to install slurm-wlm and munge and run slurmctld/slurmd)"
  exit 0
fi
bash scripts/slurm/test-local-cluster.sh
