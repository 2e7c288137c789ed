#!/usr/bin/env bash
# Runs a TypeScript tool of the workspace after a quiet setup:
#   bash tools/scripts/run-tool.sh <file.ts> [args...]
# (`npm run cetate -- ...`, `npm run demo`, `npm run bench` use it). Setup prints only problems; the
# tool then replaces this shell (`exec tsx`), so its exit status and signals are the tool's own.
# Relative paths are taken from the current directory (npm runs scripts from the repository root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

if (($# == 0)); then
  echo "usage: bash tools/scripts/run-tool.sh <file.ts> [args...]" >&2
  exit 2
fi
if [[ ! -f "$1" ]]; then
  echo "run-tool: $1 does not exist (yet)" >&2
  exit 2
fi

bash "$ROOT/tools/scripts/setup.sh" --quiet
export PATH="$ROOT/node_modules/.bin:$PATH"
exec tsx "$@"
