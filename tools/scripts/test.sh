#!/usr/bin/env bash
# `npm test`: setup, then the whole Vitest workspace (unit, integration, serial projects), then ESLint, the
# TypeScript typecheck and the Helm values check as three more checks. The LAST line printed is always exactly
#
#   N passed, N failed
#
# summing Vitest's test cases plus one case each for eslint, tsc and the helm values check (and one failure for a setup that
# could not make the machine ready). Exit status is non-zero when anything failed.
#
# Extra arguments go to `vitest run`:  npm test -- libs/platform/messaging   |   npm test -- -t outbox
# When some of them are existing paths, ESLint lints only those paths (tsc always checks the whole
# workspace: types cross package boundaries).
# CETATE_SKIP_CHECKS=1 skips eslint, tsc and the helm values check (they are then not counted).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

passed=0
failed=0
summary=()

finish() {
  printf '%s\n' "${summary[@]}"
  printf '%s passed, %s failed\n' "$passed" "$failed"
  ((failed == 0))
  exit $?
}

# ---- setup -------------------------------------------------------------------------------------------
if ! bash tools/scripts/setup.sh; then
  failed=$((failed + 1))
  summary+=("- setup: FAILED (see above); nothing else ran")
  finish
fi
export PATH="$ROOT/node_modules/.bin:$PATH"
hash -r

# ---- vitest ------------------------------------------------------------------------------------------
counts="$(mktemp -t cetate-counts.XXXXXX)"
trap 'rm -f "$counts"' EXIT
CETATE_COUNTS_FILE="$counts" vitest run "$@"
vitest_rc=$?
read -r v_passed v_failed v_skipped < <(node -e '
  try {
    const c = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
    console.log(c.passed, c.failed, c.skipped);
  } catch { console.log("x x x"); }
' "$counts")
if [[ "$v_passed" == x ]]; then
  # Vitest ended before its reporters ran (bad config, crash, interrupt)
  failed=$((failed + 1))
  summary+=("- vitest: FAILED before reporting (exit $vitest_rc)")
else
  passed=$((passed + v_passed))
  failed=$((failed + v_failed))
  line="- vitest: $v_passed ok, $v_failed not ok, $v_skipped skipped"
  if ((vitest_rc != 0 && v_failed == 0)); then
    # e.g. "No test files found" for a filter that matches nothing
    failed=$((failed + 1))
    line+="; exit $vitest_rc without a failing case (counted as one failure)"
  fi
  summary+=("$line")
fi

# ---- eslint + tsc ------------------------------------------------------------------------------------
if [[ "${CETATE_SKIP_CHECKS:-0}" != 1 ]]; then
  lint_paths=()
  for a in "$@"; do
    [[ "$a" != -* && -e "$a" ]] && lint_paths+=("$a")
  done
  ((${#lint_paths[@]})) || lint_paths=(.)

  echo
  echo "eslint ${lint_paths[*]}"
  if eslint "${lint_paths[@]}"; then
    passed=$((passed + 1))
    summary+=("- eslint ${lint_paths[*]}: ok")
  else
    failed=$((failed + 1))
    summary+=("- eslint ${lint_paths[*]}: FAILED (problems above)")
  fi

  # two programs: server code (Node types) and the UI apps (DOM lib, JSX): ADR 0019
  echo "tsc --noEmit -p tsconfig.json && tsc --noEmit -p tsconfig.ui.json"
  if tsc --noEmit -p tsconfig.json && tsc --noEmit -p tsconfig.ui.json; then
    passed=$((passed + 1))
    summary+=("- tsc: ok")
  else
    failed=$((failed + 1))
    summary+=("- tsc: FAILED (errors above)")
  fi

  echo "helm values against values.schema.json"
  if tsx tools/scripts/check-helm-values.ts; then
    passed=$((passed + 1))
    summary+=("- helm values: ok")
  else
    failed=$((failed + 1))
    summary+=("- helm values: FAILED (see above)")
  fi
fi

echo
finish
