#!/usr/bin/env bash
# Install the Healthproximate appliance.
#   ./install.sh --dev     virtualenv in .venv, data in ./var, demo org and key, server in the foreground
#   ./install.sh --test    the same environment plus test tools, then the whole test suite
#   sudo ./install.sh      production install (see docs/operations.md)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
PYTHON="${PYTHON:-python3}"
VENV="$here/.venv"

die() { echo "install.sh: $*" >&2; exit 1; }

check_python() {
  command -v "$PYTHON" >/dev/null || die "python3 is required (3.11 or newer)"
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
    || die "Python 3.11 or newer is required; found $("$PYTHON" --version 2>&1)"
  "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null \
    || die "the Python venv module is missing (Debian/Ubuntu: apt-get install python3-venv)"
}

make_venv() {  # $1: pip extras, e.g. "[test]" or ""
  check_python
  if [ ! -x "$VENV/bin/python" ]; then
    echo "==> creating virtual environment in .venv"
    "$PYTHON" -m venv "$VENV"
  fi
  echo "==> installing the appliance$1 into .venv"
  # This machine's pip configuration warns about absent local mirrors; that line is noise.
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".$1" 2>&1 \
    | { grep -v "^WARNING: Location '.*' is ignored" || true; }
}

dev() {
  make_venv ""
  local data="$here/var" hpx="$VENV/bin/hpx"
  export HPX_DATA_DIR="$data"
  if ! "$hpx" org list --json | grep -q '"name": "demo"'; then
    "$hpx" org create demo >/dev/null
    echo "==> created organization 'demo'"
  fi
  echo "==> a fresh API key for 'demo' (shown once; earlier keys stay valid until revoked):"
  "$hpx" key issue demo --name "dev-$(date +%Y%m%d-%H%M%S)" --json 2>/dev/null \
    | "$VENV/bin/python" -c 'import json,sys; print("    export HPX_KEY=" + json.load(sys.stdin)["api_key"])'
  echo "==> starting the server (Ctrl-C stops it); data in ./var"
  exec "$hpx" serve
}

run_tests() {
  make_venv "[test]"
  echo "==> ruff"
  "$VENV/bin/ruff" check appliance storage admin_tui tests bench
  echo "==> pytest"
  exec "$VENV/bin/python" -m pytest "$@"
}

case "${1:-}" in
  --dev) shift; dev "$@" ;;
  --test) shift; run_tests "$@" ;;
  -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' ;;
  *)
    die "production install is not available yet: use --dev or --test (see README.md)" ;;
esac
