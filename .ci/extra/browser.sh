#!/usr/bin/env bash
# Browser test of the classroom page (`dugnad serve`): installs chromium (apt-get, as root) and
# playwright-core (npm, into tests/e2e/node_modules) when missing, builds the release binary and
# drives the page. See tests/e2e/run.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "node and npm are missing: run as root, or install them (apt-get install -y nodejs npm)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nodejs npm >/dev/null
fi
bash tests/e2e/run.sh
