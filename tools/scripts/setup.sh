#!/usr/bin/env bash
# Cetate setup: makes this checkout ready to run tests and the dev stack. Idempotent; well under 2 s
# when everything is already there. Called by test.sh, start.sh and run-tool.sh; can be run or sourced:
#
#   bash tools/scripts/setup.sh [--quiet]        # exit status 0 = ready, 1 = something to fix
#   source tools/scripts/setup.sh [--quiet]      # same, returns instead of exiting; also leaves
#                                                # node_modules/.bin first on PATH in your shell
#
# Steps:
#   1. npm dependencies: `npm ci` when node_modules is missing or package-lock.json changed since the
#      last install (compared with node_modules/.package-lock.json; a newer mtime alone with identical
#      resolved versions is not a reason to wipe node_modules).
#   2. Node in PATH: node_modules/.bin goes first; Node must be >= 22 (the project pins 24 as the
#      devDependency `node`, see docs/adr/0002-node-24-as-devdependency.md).
#   3. Debian packages (chromium tesseract-ocr tesseract-ocr-ron poppler-utils): installed with apt-get
#      when root; otherwise the exact sudo line is printed and setup continues. CETATE_SKIP_APT=1 skips.
#   4. PostgreSQL (DATABASE_URL) and RabbitMQ (AMQP_URL) must answer; when root and the local server is
#      simply stopped, setup starts it once and says so; otherwise it prints the command and fails.
#
# Environment: DATABASE_URL, AMQP_URL (defaults below), CETATE_SKIP_APT=1, CETATE_SETUP_QUIET=1.

_cetate_setup() {
  local quiet="${CETATE_SETUP_QUIET:-0}"
  [[ "${1:-}" == "--quiet" || "${1:-}" == "-q" ]] && quiet=1

  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  local started=${EPOCHREALTIME/,/.}
  local notes=()

  _cetate_say() { [[ "$quiet" == 1 ]] || printf 'setup: %s\n' "$*"; }
  _cetate_warn() { printf 'setup: %s\n' "$*" >&2; }

  export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  export AMQP_URL="${AMQP_URL:-amqp://guest:guest@127.0.0.1:5672}"

  # ---- 1. npm dependencies -------------------------------------------------------------------------
  local lock="$root/package-lock.json" hidden="$root/node_modules/.package-lock.json"
  local need_ci=""
  if [[ ! -f "$hidden" ]]; then
    need_ci="node_modules missing"
  elif [[ "$lock" -nt "$hidden" ]]; then
    # Lockfile touched after the last install: compare resolved versions before wiping node_modules
    # (other people and tools share this node_modules). Any node will do for this JSON comparison.
    local cmp_node="$root/node_modules/.bin/node"
    [[ -x "$cmp_node" ]] || cmp_node=node
    if "$cmp_node" -e '
      const [lock, hidden] = process.argv.slice(1).map((f) => require(f).packages ?? {});
      for (const [k, v] of Object.entries(hidden)) if (lock[k]?.version !== v.version) process.exit(1);
      for (const [k, v] of Object.entries(lock)) if (k && !(k in hidden) && !v.optional) process.exit(1);
    ' "$lock" "$hidden" 2>/dev/null; then
      touch "$hidden" 2>/dev/null || true
    else
      need_ci="package-lock.json changed since the last install"
    fi
  fi
  if [[ -n "$need_ci" ]]; then
    _cetate_say "npm ci ($need_ci) ..."
    local npm_cmd=(npm ci --no-audit --no-fund --loglevel=error)
    command -v flock >/dev/null && npm_cmd=(flock /tmp/cetate-npm.lock "${npm_cmd[@]}")
    mkdir -p "$root/.cetate"
    local npm_log="$root/.cetate/setup-npm.log"
    local npm_ok=0
    (cd "$root" && "${npm_cmd[@]}") >"$npm_log" 2>&1 && npm_ok=1
    # npm bug (npm/cli#9846): a lock made by `npm install` is rejected by `npm ci` when an optional
    # platform package was unavailable from the registry ("Missing: <name>@ from lock file", no
    # version). Only in that exact case, install from the same lock without writing it.
    if ((npm_ok == 0)) && grep -q 'Missing: .*@ from lock file' "$npm_log" &&
      ! grep -E 'Missing: ' "$npm_log" | grep -qvE 'Missing: [^ ]+@ from lock file' &&
      ! grep -q 'Invalid: ' "$npm_log"; then
      _cetate_say "npm ci hit npm/cli#9846 (unavailable optional packages); using npm install --no-save"
      local npm_i=(npm install --no-save --no-audit --no-fund --loglevel=error)
      command -v flock >/dev/null && npm_i=(flock /tmp/cetate-npm.lock "${npm_i[@]}")
      (cd "$root" && "${npm_i[@]}") >>"$npm_log" 2>&1 && npm_ok=1
    fi
    if ((npm_ok == 0)); then
      # npm prints its whole usage text after the error: show only the error itself
      grep -E '^npm (error|ERR!)' "$npm_log" | grep -vE '^npm (error|ERR!) *$' |
        sed -n '/Clean install a project/q; 1,12p' >&2
      if grep -q 'in sync' "$npm_log"; then
        _cetate_warn "package-lock.json does not match package.json: whoever changed dependencies must run"
        _cetate_warn "  npm install   and commit package-lock.json (npm ci never rewrites the lock)"
      fi
      _cetate_warn "npm ci failed (full log: .cetate/setup-npm.log); after fixing: cd $root && npm ci"
      return 1
    fi
    [[ "$quiet" == 1 ]] || grep -E '^(added|removed|changed|up to date)' "$npm_log" | sed 's/^/setup: /'
    notes+=("installed npm dependencies")
  fi

  # ---- 2. Node in PATH -----------------------------------------------------------------------------
  case ":$PATH:" in
    ":$root/node_modules/.bin:"*) ;;
    *) export PATH="$root/node_modules/.bin:$PATH" ;;
  esac
  hash -r
  local node_version node_major
  node_version="$(node --version 2>/dev/null || true)"
  node_major="${node_version#v}"
  node_major="${node_major%%.*}"
  if [[ -z "$node_version" || "$node_major" -lt 22 ]]; then
    _cetate_warn "node ${node_version:-not found} at $(command -v node || echo '?'); Node >= 22 is required."
    if [[ -f "$root/node_modules/node/package.json" && ! -e "$root/node_modules/.bin/node" ]]; then
      # the `node` package fetches its binary in a preinstall script; npm's allowScripts policy can block it
      _cetate_warn "node_modules/node has no binary: its install script did not run. Allow it in package.json"
      _cetate_warn "(\"allowScripts\": { \"node\": true }), then: cd $root && npm ci"
    else
      _cetate_warn "the project ships Node 24 as a devDependency: cd $root && npm ci"
    fi
    return 1
  fi

  # ---- 3. Debian packages --------------------------------------------------------------------------
  local pkgs=(chromium tesseract-ocr tesseract-ocr-ron poppler-utils) missing=() p
  if [[ "${CETATE_SKIP_APT:-0}" != 1 ]] && command -v dpkg-query >/dev/null; then
    for p in "${pkgs[@]}"; do
      [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ]] || missing+=("$p")
    done
  fi
  if ((${#missing[@]})); then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
      mkdir -p "$root/.cetate"
      local log="$root/.cetate/setup-apt.log"
      _cetate_say "apt-get install ${missing[*]} (log: .cetate/setup-apt.log) ..."
      if apt-get update -q >"$log" 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
          -o DPkg::Lock::Timeout=300 "${missing[@]}" >>"$log" 2>&1; then
        notes+=("installed ${missing[*]}")
      else
        tail -n 15 "$log" >&2
        _cetate_warn "apt-get install failed (above); tests that need ${missing[*]} will say so."
      fi
    else
      _cetate_warn "missing Debian packages: ${missing[*]}; install them with:"
      _cetate_warn "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
      _cetate_warn "(continuing; tests that need them will say so; CETATE_SKIP_APT=1 silences this)"
    fi
  fi

  # ---- 4. PostgreSQL and RabbitMQ ------------------------------------------------------------------
  local check="$root/tools/scripts/check-services.ts" refused rc=0
  refused="$(node "$check" 2>/tmp/cetate-setup-services.$$)" || rc=$?
  if ((rc != 0)) && [[ "$(id -u)" == 0 ]]; then
    local tried=""
    # PostgreSQL: only when DATABASE_URL is a local Debian cluster on that port and it is down.
    if [[ "$refused" == *refused:postgres* ]] && _cetate_local_url "$DATABASE_URL" && command -v pg_lsclusters >/dev/null; then
      local port ver name status
      port="$(_cetate_url_port "$DATABASE_URL" 5432)"
      while read -r ver name cport status _; do
        if [[ "$cport" == "$port" && "$status" == down* ]]; then
          _cetate_say "PostgreSQL cluster $ver/$name is stopped; starting it: pg_ctlcluster --skip-systemctl-redirect $ver $name start"
          pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start >&2 && tried+=" postgres"
        fi
      done < <(pg_lsclusters --no-header 2>/dev/null)
    fi
    # RabbitMQ: only when AMQP_URL is local on 5672 and no broker node is running.
    if [[ "$refused" == *refused:rabbitmq* ]] && _cetate_local_url "$AMQP_URL" &&
      [[ "$(_cetate_url_port "$AMQP_URL" 5672)" == 5672 ]] && command -v rabbitmq-server >/dev/null &&
      ! pgrep -f 'beam.*rabbit' >/dev/null; then
      _cetate_say "RabbitMQ is stopped; starting it: rabbitmq-server -detached"
      if rabbitmq-server -detached >&2; then
        tried+=" rabbitmq"
        # the broker needs a few seconds before it accepts AMQP connections
        local i
        for i in $(seq 1 60); do
          node "$check" >/dev/null 2>&1 && break
          ((i == 60)) || sleep 0.5
        done
      fi
    fi
    if [[ -n "$tried" ]]; then
      rc=0
      refused="$(node "$check" 2>/tmp/cetate-setup-services.$$)" || rc=$?
      ((rc == 0)) && notes+=("started${tried}")
    fi
  fi
  if ((rc != 0)); then
    sed 's/^/setup: /' /tmp/cetate-setup-services.$$ >&2
    rm -f /tmp/cetate-setup-services.$$
    if ((rc & 1)) && [[ "$refused" == *refused:postgres* ]]; then
      _cetate_warn "start PostgreSQL:  pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start"
      _cetate_warn "                   (or point DATABASE_URL at a server where the user may CREATE DATABASE)"
    elif ((rc & 1)); then
      _cetate_warn "PostgreSQL is reachable but refused us: check user, password and database in DATABASE_URL"
    fi
    if ((rc & 2)) && [[ "$refused" == *refused:rabbitmq* ]]; then
      _cetate_warn "start RabbitMQ:    rabbitmq-server -detached"
      _cetate_warn "                   (or point AMQP_URL at a broker; tests also need rabbitmqctl for vhosts)"
    elif ((rc & 2)); then
      _cetate_warn "RabbitMQ is reachable but refused us: check user, password and vhost in AMQP_URL"
    fi
    return 1
  fi
  rm -f /tmp/cetate-setup-services.$$

  local apt_state="apt ok"
  [[ "${CETATE_SKIP_APT:-0}" == 1 ]] && apt_state="apt skipped"
  ((${#missing[@]})) && apt_state="apt missing: ${missing[*]}"
  [[ " ${notes[*]:-} " == *" installed ${missing[*]:-} "* ]] && apt_state="apt ok"
  local summary="node $node_version, npm deps ok, $apt_state, postgres ok, rabbitmq ok"
  ((${#notes[@]})) && summary+=" ($(printf '%s; ' "${notes[@]}" | sed 's/; $//'))"
  local now=${EPOCHREALTIME/,/.}
  _cetate_say "$summary [$(awk -v a="$started" -v b="$now" 'BEGIN { printf "%.1fs", b - a }')]"
  return 0
}

# true when the URL's host is this machine
_cetate_local_url() {
  local host
  host="$(sed -E 's#^[a-z]+://([^@/]*@)?(\[[^]]*\]|[^:/?]*).*#\2#' <<<"$1")"
  [[ "$host" == 127.0.0.1 || "$host" == localhost || "$host" == "[::1]" || "$host" == "" ]]
}

# the URL's port, or the given default
_cetate_url_port() {
  local port
  port="$(sed -nE 's#^[a-z]+://([^@/]*@)?(\[[^]]*\]|[^:/?]*):([0-9]+).*#\3#p' <<<"$1")"
  echo "${port:-$2}"
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  _cetate_setup "$@"
  return $?
else
  set -uo pipefail
  _cetate_setup "$@"
  exit $?
fi
