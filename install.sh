#!/usr/bin/env bash
# Install the Healthproximate appliance.
#   ./install.sh --dev     virtualenv in .venv, data in ./var, demo org and key, server in the foreground
#   ./install.sh --test    the same environment plus test tools, then the whole test suite
#   sudo ./install.sh      production install or in-place upgrade (see docs/operations.md)
#        [--tls-cert FILE --tls-key FILE] [--root DIR] [--uninstall [--purge] [--yes]]
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

UV_VERSION=0.13.9
UV=""
only_mine() {  # $1 is owned by this user and no one else can write to it
  [ -O "$1" ] && [ -z "$(find -H "$1" -maxdepth 0 -perm /022)" ]
}
uv_tool() {  # sets UV to uv $UV_VERSION, kept once per user in ~/.cache/healthproximate:
  # uv installs in half pip's time or less, and needs no pip in each venv
  # (docs/performance.md, "Installing"). A cache directory someone else
  # could write to is not used (root must not run a binary another user placed): uv is
  # then fetched into a private temporary directory for this run only.
  [ -n "$UV" ] && return
  local base="" dir tmp
  [ -n "${HOME:-}" ] && base="${XDG_CACHE_HOME:-$HOME/.cache}"
  if [ -n "$base" ] && { [ ! -e "$base" ] || only_mine "$base"; } \
      && mkdir -p "$base/healthproximate" 2>/dev/null && only_mine "$base/healthproximate"; then
    dir="$base/healthproximate/uv-$UV_VERSION"
  else
    dir=$(mktemp -d)/uv
    # shellcheck disable=SC2064  # the path now: $dir is local
    trap "rm -rf '${dir%/uv}'" EXIT
  fi
  if [ ! -x "$dir/bin/uv" ]; then
    echo "==> fetching uv $UV_VERSION (once) into ${dir%/*}"
    tmp=$(mktemp -d "${dir%/*}/.uv-XXXXXX")
    "$PYTHON" -m venv "$tmp" && "$tmp/bin/python" -m pip install --quiet \
      --disable-pip-version-check "uv==$UV_VERSION" || { rm -rf "$tmp"; die "could not fetch uv"; }
    # Two installs at once each build their own; the first rename wins.
    mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
  fi
  [ -x "$dir/bin/uv" ] || die "no uv in $dir"
  UV="$dir/bin/uv"
}

venv_install() {  # $1: a new or existing venv; the rest: uv pip install's arguments.
  # uv does not read pip.conf: a PyPI mirror is given to it by UV_DEFAULT_INDEX
  # (docs/operations.md). The venv is made without pip (uv needs none).
  local venv="$1"; shift
  uv_tool
  [ -x "$venv/bin/python" ] || "$PYTHON" -m venv --without-pip "$venv"
  "$UV" pip install --quiet --python "$venv/bin/python" "$@"
}

compile_venv() {  # $1: a venv; the rest: source folders. The bytecode of the venv's
  # packages and of those folders, made ahead: for a release, which is read-only to the
  # service (no process could keep what it compiles), and for --dev where
  # PYTHONDONTWRITEBYTECODE is set. Up to date, this is quick (docs/performance.md,
  # "Installing"). Not made ahead: the packages' own tests and setuptools, which nothing
  # imports (half of the work). A file that does not compile is left to the import that
  # needs it.
  local python="$1/bin/python"; shift
  "$python" - "$@" <<'PY' >/dev/null \
    || echo "    (some modules could not be compiled ahead; they compile as they are imported)"
import compileall, re, sys, sysconfig
site = sysconfig.get_path("purelib")
skip = re.compile(re.escape(site) + r"/((.+/)?tests?/|(setuptools|pkg_resources)/)")
ok = compileall.compile_dir(site, quiet=1, workers=0, rx=skip)
for folder in sys.argv[1:]:
    ok = compileall.compile_dir(folder, quiet=1, workers=0) and ok
sys.exit(not ok)
PY
}

make_venv() {  # $1: extras, "[server]" or "[test]" (which includes the server)
  check_python
  # An editable install: code changes are live. uv runs again only when what it
  # installs from changes (pyproject.toml, or other extras); rm -r .venv starts over.
  local stamp="$VENV/.hpx-installed" want
  want="$1 $("$PYTHON" -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$here/pyproject.toml")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    echo "==> .venv has the appliance$1 already (pyproject.toml unchanged)"
    return
  fi
  echo "==> installing the appliance$1 into .venv"
  # Hard-linked from uv's cache, as uv does by default: a development venv (unlike a
  # release) may share files with its user's cache, and copying its 400 MB is slow.
  venv_install "$VENV" --link-mode hardlink -e ".$1"
  printf '%s\n' "$want" > "$stamp"
}

dev() {
  make_venv "[server]"
  # Where Python may write bytecode, the first process to import a module keeps it: no
  # need to compile all of .venv ahead.
  if [ -n "${PYTHONDONTWRITEBYTECODE:-}" ]; then
    compile_venv "$VENV" appliance storage admin_tui
  fi
  local data="$here/var" hpx="$VENV/bin/hpx" py="$VENV/bin/python"
  export HPX_DATA_DIR="$data"
  "$hpx" init >/dev/null
  if ! "$hpx" org list --json | "$py" -c \
      'import json, sys; sys.exit(not any(o["name"] == "demo" for o in json.load(sys.stdin)))'; then
    "$hpx" org create demo >/dev/null
    echo "==> created organization 'demo'"
  fi
  # One dev key, kept (mode 600) in the data directory and reused while it works, so
  # reruns do not pile up keys; it expires on its own after 30 days.
  local keyfile="$data/dev-api-key" key=""
  if [ -f "$keyfile" ]; then
    key=$("$py" - "$keyfile" <<'PY' || true
import sys
from pathlib import Path
from appliance.accounts import apikeys
from appliance.config import load_settings
from appliance.context import open_appliance
from appliance.errors import ApplianceError
key = Path(sys.argv[1]).read_text().strip()
try:
    apikeys.authenticate_key(open_appliance(load_settings()).db, key)
except ApplianceError:
    sys.exit(1)
print(key)
PY
)
  fi
  if [ -z "$key" ]; then
    key=$("$hpx" key issue demo --name dev --expires-in-days 30 --json \
          | "$py" -c 'import json, sys; print(json.load(sys.stdin)["api_key"])')
    (umask 077 && printf '%s\n' "$key" > "$keyfile")
    echo "==> issued a 30-day API key for 'demo' (kept in var/dev-api-key for the next --dev)"
  else
    echo "==> reusing the API key for 'demo' in var/dev-api-key"
  fi
  echo "    export HPX_API_KEY=$key"
  echo "==> starting the server (Ctrl-C stops it); data in ./var"
  exec "$hpx" serve
}

ensure_test_tools() {  # what the tests call besides Python: curl, systemd-analyze, node,
  # a browser, a single-node Ceph with its S3 gateway (tests/ceph.py), PostgreSQL
  # (tests/postgres.py)
  local missing=()
  command -v curl >/dev/null || missing+=(curl)
  command -v systemd-analyze >/dev/null || missing+=(systemd)
  command -v npm >/dev/null || missing+=(nodejs npm)
  command -v chromium >/dev/null || missing+=(chromium)
  command -v radosgw >/dev/null || missing+=(ceph-mon ceph-osd radosgw ceph-common)
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "==> installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    die "the tests need: ${missing[*]} (Debian/Ubuntu: sudo apt-get install ${missing[*]})"
  fi
}

run_tests() {
  ensure_test_tools
  make_venv "[test]"
  # The suite starts hundreds of Python processes. Where PYTHONDONTWRITEBYTECODE is set
  # (as on the build machine) none of them would keep what it compiles, and each would
  # compile the same modules again, pytest's rewritten test modules included. The tests'
  # processes may write bytecode: into this checkout, its .venv and their temporary
  # directories (Python's own library comes compiled). Only what some process imports
  # is compiled, once, not all of .venv (docs/performance.md, "Installing").
  local py=(env -u PYTHONDONTWRITEBYTECODE "$VENV/bin/python")
  # While the checks run (mypy uses one core of two): the JavaScript test client, and
  # one collection, which compiles the tests and what they import.
  echo "==> beside the checks: tus-js-client into tests/js, and the tests' bytecode"
  { npm ci --prefix "$here/tests/js" --no-audit --no-fund --silent
    "${py[@]}" -m pytest --collect-only -q -p no:cacheprovider >/dev/null 2>&1 \
      || true  # a collection error shows below
  } &
  local tools=$! checks=0
  {
    echo "==> ruff" && "$VENV/bin/ruff" check appliance storage admin_tui tests bench &&
    echo "==> import rules" && "$VENV/bin/lint-imports" --no-cache &&
    echo "==> mypy" && "$VENV/bin/mypy"
  } || checks=$?
  wait "$tools" || die "npm ci could not install tests/js (tus-js-client)"
  [ "$checks" = 0 ] || exit "$checks"
  echo "==> pytest"
  if [ $# -gt 0 ]; then
    exec "${py[@]}" -m pytest "$@"
  fi
  # First the quick loop (README.md, "How it is put together"), on both cores of a
  # small machine, with its count and time; then the rest: most of it waits on servers
  # and subprocesses, so four workers. The few tests that measure latency run alone
  # afterwards, so that no other test skews them (none is in the quick loop).
  local quick="not install and not e2e and not s3" log started=$SECONDS status=0
  log=$(mktemp)
  "${py[@]}" -m pytest -n 2 --dist loadgroup -m "$quick" | tee "$log" || status=$?
  echo "==> the quick loop (-m \"$quick\"): $(grep -E '^=+ .+ in [0-9.]+s' "$log" | tail -1 \
    | sed -E 's/^=+ | =+$//g'); $((SECONDS - started)) s with pytest's start"
  rm -f "$log"
  [ "$status" = 0 ] || exit "$status"
  "${py[@]}" -m pytest -n 4 --dist loadgroup -m "not ($quick) and not serial"
  exec "${py[@]}" -m pytest -m serial
}

# -- production ------------------------------------------------------------------

SERVICE=healthproximate
SVC_USER=healthproximate

production() {
  local root="" tls_cert="" tls_key="" uninstall=0 purge=0 yes=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --root) root="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
      --tls-cert) tls_cert="$(realpath "$2")"; shift 2 ;;
      --tls-key) tls_key="$(realpath "$2")"; shift 2 ;;
      --uninstall) uninstall=1; shift ;;
      --purge) purge=1; shift ;;
      --yes) yes=1; shift ;;
      *) die "unknown option: $1 (see ./install.sh --help)" ;;
    esac
  done
  OPT="$root/opt/healthproximate"; ETC="$root/etc/healthproximate"
  DATA="$root/var/lib/healthproximate"; UNITS="$root/etc/systemd/system"
  BIN="$root/usr/local/bin"; STAGED=0
  [ -n "$root" ] && STAGED=1
  if [ "$STAGED" = 0 ] && [ "$(id -u)" != 0 ]; then
    die "a production install needs root: sudo ./install.sh (or stage it with --root DIR)"
  fi
  if [ "$uninstall" = 1 ]; then uninstall_all "$purge" "$yes"; return; fi
  [ "$purge" = 1 ] && die "--purge goes with --uninstall"
  if [ -n "$tls_cert$tls_key" ] && { [ ! -f "$tls_cert" ] || [ ! -f "$tls_key" ]; }; then
    die "--tls-cert and --tls-key go together, and both files must exist"
  fi
  check_python

  echo "==> service user"
  ensure_user
  local version release previous reused=0 sources
  version=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
  sources=$(sources_digest)
  if [ -f "$OPT/current/SOURCES" ] && [ "$(cat "$OPT/current/SOURCES")" = "$sources" ]; then
    # Same code (a re-run for a new certificate, say): no rebuild, no new release.
    release="$OPT/$(readlink "$OPT/current")"
    reused=1
    echo "==> the installed release ${release##*/} has these sources: keeping it"
  else
    echo "==> building the new release"
    release="$OPT/releases/$version-$(date +%Y%m%d%H%M%S)"
    mkdir -p "$release"
    # Built from a private copy of the sources: the build runs in the source tree, and two
    # installs from one checkout at once (or a stale build/ directory) must not collide.
    local src
    src=$(mktemp -d)
    cp -r "$here/pyproject.toml" "$here/README.md" "$here/appliance" "$here/storage" \
      "$here/admin_tui" "$src/"
    # Copied, not hard-linked from uv's cache: a release shares no file with root's home.
    # Compiled now: the release is read-only to the service.
    venv_install "$release/venv" --link-mode copy "$src[server]"
    compile_venv "$release/venv"
    rm -rf "$src"
    cp -r "$here/docs" "$here/README.md" "$release/"
    printf '%s\n' "$sources" > "$release/SOURCES"
    chmod -R go-w "$release"
  fi

  echo "==> configuration in $ETC"
  install -d -m 0750 "$ETC" "$ETC/tls"
  own "root:$SVC_USER" "$ETC" "$ETC/tls"
  if [ ! -f "$ETC/appliance.toml" ]; then
    write_config "$ETC/appliance.toml"
  else
    echo "    keeping the existing appliance.toml"
  fi
  if [ ! -f "$ETC/signing-keys" ]; then
    (umask 077; "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(48))' > "$ETC/signing-keys")
    echo "    generated the URL signing secret"
  fi
  chmod 0600 "$ETC/signing-keys"
  own "$SVC_USER:$SVC_USER" "$ETC/signing-keys"
  if [ ! -f "$ETC/audit-key" ]; then  # the audit chain's HMAC key, apart from the database
    (umask 077; "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(48))' > "$ETC/audit-key")
    echo "    generated the audit key"
  fi
  chmod 0600 "$ETC/audit-key"
  own "$SVC_USER:$SVC_USER" "$ETC/audit-key"
  if [ -n "$tls_cert" ]; then
    install -m 0644 "$tls_cert" "$ETC/tls/cert.pem"
    install -m 0640 "$tls_key" "$ETC/tls/key.pem"
    echo "    installed the given TLS certificate"
  elif [ ! -f "$ETC/tls/cert.pem" ]; then
    "$release/venv/bin/python" -c 'import sys, pathlib; from appliance.serving.tls import ensure_self_signed; ensure_self_signed(pathlib.Path(sys.argv[1]))' "$ETC/tls"
    chmod 0644 "$ETC/tls/cert.pem"
    chmod 0640 "$ETC/tls/key.pem"
    echo "    generated a self-signed TLS certificate"
  fi
  own "root:$SVC_USER" "$ETC/tls/cert.pem" "$ETC/tls/key.pem" "$ETC/appliance.toml"

  echo "==> data in $DATA"
  install -d -m 0750 "$DATA"
  own "$SVC_USER:$SVC_USER" "$DATA"
  if [ -f "$DATA/appliance.db" ] && [ "$reused" = 1 ]; then
    echo "    same release: the database stays as it is"
  elif [ -f "$DATA/appliance.db" ]; then
    install -d -m 0700 "$DATA/backups"
    own "$SVC_USER:$SVC_USER" "$DATA/backups"
    local snapshot
    snapshot="$DATA/backups/appliance-before-$version-$(date +%Y%m%d%H%M%S).db"
    "$release/venv/bin/python" -c 'import sqlite3, sys; s = sqlite3.connect(sys.argv[1]); d = sqlite3.connect(sys.argv[2]); s.backup(d); d.close()' "$DATA/appliance.db" "$snapshot"
    chmod 0600 "$snapshot"
    own "$SVC_USER:$SVC_USER" "$snapshot"
    echo "    database saved to $snapshot before the upgrade"
  else
    "$release/venv/bin/hpx" init --config "$ETC/appliance.toml" --data-dir "$DATA" >/dev/null
    own -R "$SVC_USER:$SVC_USER" "$DATA"
    echo "    created the database"
  fi

  echo "==> switching to the new release"
  previous=$(readlink "$OPT/current" 2>/dev/null || true)
  ln -sfn "releases/${release##*/}" "$OPT/current.new" && mv -T "$OPT/current.new" "$OPT/current"
  install -d -m 0755 "$BIN" "$UNITS"
  write_wrapper "$BIN/hpx"
  install -m 0644 "$here/systemd/$SERVICE.service" "$UNITS/$SERVICE.service"

  if [ "$STAGED" = 0 ] && [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable --quiet "$SERVICE"
    systemctl restart "$SERVICE"
    if ! wait_healthy; then
      if [ -n "$previous" ]; then
        echo "install.sh: the new release did not become healthy; going back to $previous" >&2
        ln -sfn "$previous" "$OPT/current.new" && mv -T "$OPT/current.new" "$OPT/current"
        systemctl restart "$SERVICE"
        wait_healthy || true
      fi
      die "the service did not answer /healthz: see journalctl -u $SERVICE"
    fi
  elif [ "$STAGED" = 0 ]; then
    echo "    systemd is not running on this host: start the service with"
    echo "    runuser -u $SVC_USER -- $OPT/current/venv/bin/hpx serve"
  fi
  [ "$reused" = 1 ] || prune_releases "$release" "$previous"
  summary
}

sources_digest() {  # SHA-256 of what a release is built from: same digest, same release
  (cd "$here" && "$PYTHON" - <<'PY'
import hashlib, pathlib
digest = hashlib.sha256()
roots = ["pyproject.toml", "README.md", "appliance", "storage", "admin_tui", "docs"]
for root in roots:
    path = pathlib.Path(root)
    for f in sorted([path] if path.is_file() else path.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            digest.update(str(f).encode() + b"\0" + f.read_bytes() + b"\0")
print(digest.hexdigest())
PY
  )
}

own() {  # chown, except when staging under --root (there is no service user there)
  [ "$STAGED" = 1 ] && return 0
  chown "$@"
}

ensure_user() {
  if [ "$STAGED" = 1 ]; then
    echo "    (staged under --root: no user created)"
    return
  fi
  if ! id "$SVC_USER" >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/healthproximate --no-create-home \
      --shell /usr/sbin/nologin "$SVC_USER"
    echo "    created system user $SVC_USER"
  fi
}

write_config() {
  (umask 027; cat > "$1" <<'TOML'
# Healthproximate appliance. Every setting and its default: docs/configuration.md.
# install.sh wrote this file once and never overwrites it.
data_dir = "/var/lib/healthproximate"
# All interfaces, so that partner systems on the network can reach the appliance.
bind = "0.0.0.0:8443"
tls_cert = "/etc/healthproximate/tls/cert.pem"
tls_key = "/etc/healthproximate/tls/key.pem"
signing_keys_file = "/etc/healthproximate/signing-keys"
audit_key_file = "/etc/healthproximate/audit-key"
# public_url = "https://appliance.example.org:8443"
TOML
  local cores
  cores=$(nproc 2>/dev/null || echo 1)
  [ "$cores" -gt 4 ] && cores=4
  printf '%s\n' "# Server processes: many uploads at once use this many cores (docs/performance.md)." \
    "workers = $cores" >> "$1"
  )
  chmod 0640 "$1"
  echo "    wrote appliance.toml"
}

write_wrapper() {
  cat > "$1" <<WRAPPER
#!/bin/sh
# hpx for operators. Run as root, it runs as the service user, so that the files it
# creates (database journal, backups) stay the service's.
if [ "\$(id -u)" = 0 ]; then
  exec runuser -u $SVC_USER -- /opt/healthproximate/current/venv/bin/hpx "\$@"
fi
exec /opt/healthproximate/current/venv/bin/hpx "\$@"
WRAPPER
  chmod 0755 "$1"
}

wait_healthy() {
  "$OPT/current/venv/bin/python" - <<'PY'
import ssl, sys, time, urllib.request
from appliance.config import load_settings
port = load_settings().bind.rpartition(":")[2]
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE  # a liveness probe on loopback; clients verify for real
deadline = time.monotonic() + 30
while time.monotonic() < deadline:
    try:
        urllib.request.urlopen(f"https://127.0.0.1:{port}/healthz", context=ctx, timeout=2)
        sys.exit(0)
    except OSError:
        time.sleep(0.5)
sys.exit(1)
PY
}

prune_releases() {  # keep the running release and the one before it (compared by name)
  local keep1="${1##*/}" keep2="${2##*/}" dir
  for dir in "$OPT"/releases/*; do
    if [ "${dir##*/}" != "$keep1" ] && [ "${dir##*/}" != "$keep2" ]; then rm -rf "$dir"; fi
  done
}

summary() {
  local fp
  fp=$("$OPT/current/venv/bin/python" -c 'import sys, pathlib; from appliance.serving.tls import fingerprint; print(fingerprint(pathlib.Path(sys.argv[1])))' "$ETC/tls/cert.pem")
  echo
  echo "Healthproximate appliance installed in $OPT"
  echo "  URL:          https://$(hostname -f 2>/dev/null || hostname):8443  (bind: $ETC/appliance.toml)"
  echo "  TLS SHA-256:  $fp"
  echo "  data:         $DATA    config: $ETC"
  echo "Next: sudo hpx admin   (or: sudo hpx org create NAME && sudo hpx key issue NAME)"
}

uninstall_all() {
  local purge="$1" yes="$2" answer
  if [ "$STAGED" = 0 ] && [ -d /run/systemd/system ]; then
    systemctl disable --now --quiet "$SERVICE" 2>/dev/null || true
  fi
  rm -f "$UNITS/$SERVICE.service" "$BIN/hpx"
  rm -rf "$OPT"
  if [ "$STAGED" = 0 ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
  echo "==> removed the code, the unit and hpx; kept $ETC and $DATA"
  [ "$purge" = 1 ] || return 0
  if [ "$yes" != 1 ]; then
    [ -t 0 ] || die "--purge deletes all data: confirm with --yes when not at a terminal"
    read -r -p "Delete $DATA (every uploaded file) and $ETC for good? Type 'purge': " answer
    [ "$answer" = purge ] || die "not confirmed; data kept"
  fi
  rm -rf "$DATA" "$ETC"
  if [ "$STAGED" = 0 ] && id "$SVC_USER" >/dev/null 2>&1; then userdel "$SVC_USER" || true; fi
  echo "==> purged data and configuration"
}

case "${1:-}" in
  --dev) shift; dev "$@" ;;
  --test) shift; run_tests "$@" ;;
  -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) production "$@" ;;
esac
