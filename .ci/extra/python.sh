#!/usr/bin/env bash
# The Python package (python/, docs in python/README.md): installs it into a fresh virtual
# environment exactly as its README says (`pip install ./python`, which compiles it with
# maturin from PyPI and cargo), installs pytest, pandas, matplotlib, seaborn and statsmodels
# from PyPI, runs python/tests (API, errors, identity with the CLI's bytes, the GIL released
# during a long run, stubs), the README's one-line example, and examples/notebook.py.
# Prints how long each step took. Needs python3 (≥ 3.9) with venv, and cargo.
#
# PYTHON=python3.12 bash .ci/extra/python.sh to use another interpreter.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
python="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
venv="$work/venv"
started=$SECONDS
step() { # NAME COMMAND...: runs a step and prints its wall time
  local name="$1" t0=$SECONDS
  shift
  echo "== python: $name"
  "$@"
  echo "== python: $name took $((SECONDS - t0)) s"
}

"$python" -c 'import sys; assert sys.version_info >= (3, 9), sys.version' \
  || { echo "python.sh needs Python 3.9 or later ($python)" >&2; exit 1; }
"$python" -m venv "$venv"
# The CLI the identity tests compare with (built by `cargo test --release` already in CI).
step "build the CLI" cargo build --release --quiet --bin dugnad
step "pip install ./python" "$venv/bin/pip" install --quiet --disable-pip-version-check ./python
step "install pytest, pandas, matplotlib, seaborn, statsmodels" \
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
  pytest pandas matplotlib seaborn statsmodels

# The package imported is the installed one, not python/dugnad of the work tree.
(cd "$work" && "$venv/bin/python" -c \
  'import dugnad, sys; assert "site-packages" in dugnad.__file__, dugnad.__file__; print("dugnad", dugnad.__version__, "from", dugnad.__file__)')
# The README's one-line check, from the repository's root.
step "README example" "$venv/bin/python" -c \
  "import dugnad; print(dugnad.run('scenarios/knitting-cafe.toml', replicates=4, weeks=5).summary.head())"
step "pytest" env DUGNAD_BIN="$root/target/release/dugnad" \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider python/tests
step "examples/notebook.py" env DUGNAD_EXAMPLE_OUT="$work/notebook" MPLCONFIGDIR="$work/mpl" \
  "$venv/bin/python" examples/notebook.py
test -s "$work/notebook/voice-parity.png"
echo "== python: all steps took $((SECONDS - started)) s"
