#!/usr/bin/env bash
# `npm run test:alerts`: promtool checks the app's rule files (observability/rules/, rendered from
# infra/alertRules.ts by `npm run alerts:render`) and runs their unit tests (observability/tests/*.test.yml).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v promtool >/dev/null 2>&1; then
  echo "test:alerts: promtool is not installed. It ships with Prometheus: run 'npm run setup' (installs Debian's" >&2
  echo "  'prometheus' package), or 'apt-get install -y prometheus', or put promtool from a Prometheus release on PATH." >&2
  exit 3
fi

shopt -s nullglob
rules=(observability/rules/*.rules.yml)
tests=(observability/tests/*.test.yml)
if [ ${#rules[@]} -eq 0 ] || [ ${#tests[@]} -eq 0 ]; then
  echo "test:alerts: no rule files or no tests under observability/ (run 'npm run alerts:render')" >&2
  exit 2
fi

echo "test:alerts: $(promtool --version 2>&1 | head -n 1)"
promtool check rules "${rules[@]}"
promtool test rules "${tests[@]}"
