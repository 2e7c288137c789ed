#!/usr/bin/env bash
# `npm start`: setup, then the dev stack launcher (tools/dev-stack/src/main.ts), which starts the apps
# and their embedded defaults. Arguments go to the launcher: npm start -- --help
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

bash tools/scripts/setup.sh
export PATH="$ROOT/node_modules/.bin:$PATH"
if [[ ! -f tools/dev-stack/src/main.ts ]]; then
  echo "start: tools/dev-stack/src/main.ts does not exist yet (the dev stack launcher is being written)" >&2
  exit 2
fi
exec tsx tools/dev-stack/src/main.ts "$@"
