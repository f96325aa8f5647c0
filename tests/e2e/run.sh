#!/usr/bin/env bash
# End-to-end browser test of the classroom page (`dugnad serve`).
#
# Installs what it needs (Debian's chromium via apt-get when missing, playwright-core via npm
# into tests/e2e/node_modules), builds the release binary, starts `dugnad serve` on a free port,
# and runs classroom.mjs against it: load the page, move a slider, check that the charts
# changed, watch a meeting (play, pause, step, the arrow of a sentence finished by another), the
# tie network, one person over the weeks, the language switch, download a scenario and check it
# with `dugnad check`. The server is stopped at exit whatever happens. Then a small `dugnad
# compare` and `dugnad sweep` are run and their SVG charts opened in chromium (charts.mjs).
# Screenshots kept as CI artifacts go to output/screenshots/ (git-ignored): replay-mid-meeting,
# network, follow, norwegian, forest, heatmap; tests/e2e/out/ has the whole page.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "chromium is missing: run as root, or install it with: apt-get install -y chromium" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
command -v node >/dev/null || { echo "node is missing (Debian: apt-get install -y nodejs npm)" >&2; exit 1; }

cd "$here"
if [ ! -d node_modules/playwright-core ]; then
  npm install --no-audit --no-fund --loglevel=error
fi

cd "$root"
cargo build --release --quiet
bin="$root/target/release/dugnad"

port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
log="$(mktemp)"
"$bin" serve --port "$port" 2>"$log" &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -f "$log"
  if [ -n "${charts:-}" ]; then rm -rf "$charts"; fi
}
trap cleanup EXIT INT TERM

for _ in $(seq 1 100); do
  if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "http://127.0.0.1:$port/api/scenarios"; then
    break
  fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "the server did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done

mkdir -p "$here/out" "$root/output/screenshots"
BASE_URL="http://127.0.0.1:$port/" DUGNAD_BIN="$bin" OUT_DIR="$here/out" SHOTS_DIR="$root/output/screenshots" \
  node "$here/classroom.mjs"
echo "server log:"
cat "$log"

# A forest plot and a sweep heatmap, as the command line draws them, seen in the browser.
charts="$(mktemp -d)"
"$bin" compare scenarios/knitting-cafe.toml scenarios/co-designed-cafe.toml \
  --replicates 20 --weeks 52 -o "$charts/compare" -q
"$bin" sweep scenarios/knitting-cafe.toml --vary activity.facilitation=0,0.5,1 \
  --vary activity.co_design=0,0.5,1 --replicates 6 --weeks 26 -o "$charts/sweep" -q
node "$here/charts.mjs" "$root/output/screenshots" \
  "forest=$charts/compare/charts/forest.svg" "heatmap=$charts/sweep/charts/heatmap.svg"
