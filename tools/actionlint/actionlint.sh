#!/usr/bin/env bash
# Checks the GitHub Actions workflows (.github/workflows/*.yml) with actionlint (https://github.com/rhysd/actionlint):
# workflow syntax, expressions and contexts, job needs, matrix keys, action inputs, cron, runner labels, and every
# `run:` script through ShellCheck. Then checks that every action is pinned by a full commit SHA
# (tools/actionlint/pins.ts; the same check runs in jest, test/workflows/pinning.test.ts).
#
#   npm run lint:workflows                            # both checks, on every workflow
#   bash tools/actionlint/actionlint.sh --print-path  # only find or build actionlint, print the binary's path
#
# actionlint: an `actionlint` on PATH reporting the pinned version or newer is used as it is. Otherwise the pinned
# version is built from the Go module proxy (its main package is ./cmd/actionlint) with `go install`, outside the
# repository, and cached by version under ${GROUNDWORK_CACHE:-~/.cache/groundwork}; later runs reuse it. Builds are
# serialised with flock, so two callers at once build it only once. Nothing is written into the repository.
#
# ShellCheck is required: actionlint silently skips the `run:` scripts without it, so a missing shellcheck is an
# error here, not a quieter check. tools/setup.sh installs Debian's `shellcheck` package.
#
# Exit 3 (with what to install) when there is neither a suitable actionlint nor a Go toolchain, or no shellcheck.
#
# The pin is the latest tagged release the proxy serves (`go list -m -versions github.com/rhysd/actionlint`).
set -euo pipefail

ACTIONLINT_VERSION="${GROUNDWORK_ACTIONLINT_VERSION:-1.7.12}"
MODULE=github.com/rhysd/actionlint
cache_root="${GROUNDWORK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/groundwork}"
bin_dir="$cache_root/actionlint/v$ACTIONLINT_VERSION/bin"
binary="$bin_dir/actionlint"
mode="${1:-}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"

say() { echo "actionlint.sh: $*" >&2; }

# at_least HAVE WANT: true when version HAVE >= WANT (plain semver, no pre-release).
at_least() {
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]
}

# reported_version BIN: the version an actionlint binary reports (first line of `actionlint -version`, "v1.7.12",
# or "1.7.12" for release builds).
reported_version() {
  "$1" -version 2>/dev/null | head -n1 | sed -n 's/^v\{0,1\}\([0-9][0-9.]*\).*/\1/p'
}

# find_or_build: prints the path of an actionlint >= the pin, building the pinned version when there is none.
find_or_build() {
  # 1. One already installed, outside our cache, at or above the pin.
  local found have
  if found="$(command -v actionlint 2>/dev/null)" && [ "$found" != "$binary" ]; then
    have="$(reported_version "$found")"
    if [ -n "$have" ] && at_least "$have" "$ACTIONLINT_VERSION"; then
      say "using actionlint $have at $found"
      echo "$found"
      return 0
    fi
    say "actionlint on PATH reports ${have:-no version}, below the pinned $ACTIONLINT_VERSION: using the pinned build"
  fi

  # Serialise builds per cache; a caller that waited finds the finished binary below.
  mkdir -p "$cache_root"
  exec 9>"$cache_root/.actionlint-build.lock"
  flock 9

  # 2. Already built by an earlier run.
  if [ -x "$binary" ] && [ "$(reported_version "$binary")" = "$ACTIONLINT_VERSION" ]; then
    echo "$binary"
    return 0
  fi

  # 3. Build it from the proxy.
  if ! command -v go >/dev/null 2>&1; then
    say "no actionlint >= $ACTIONLINT_VERSION on PATH and no Go toolchain to build it."
    say "fix: install Go 1.26 or newer (https://go.dev/doc/install) and run this again,"
    say "     or install actionlint $ACTIONLINT_VERSION+ (https://github.com/rhysd/actionlint/releases) on PATH."
    exit 3
  fi

  local t0
  t0=$(date +%s)
  say "building actionlint v$ACTIONLINT_VERSION from the Go module proxy (first run only; under a minute)"
  # The module's go.mod has no replace directives, so `go install module/cmd@version` builds it as released, in
  # module mode (GOFLAGS=-mod=mod: a vendor folder or a caller's -mod setting does not apply), with the module's
  # own go.sum, without a main module here. The version is the module version Go records in the binary's build
  # info, which `actionlint -version` prints. GOBIN points at a partial folder that is moved into place only once
  # the build succeeded.
  rm -rf "$bin_dir.partial"
  mkdir -p "$bin_dir.partial"
  (
    cd "$cache_root"
    GOFLAGS=-mod=mod GOBIN="$bin_dir.partial" go install -trimpath -ldflags "-s -w" \
      "$MODULE/cmd/actionlint@v$ACTIONLINT_VERSION" >&2
  ) || { say "go install $MODULE/cmd/actionlint@v$ACTIONLINT_VERSION failed (output above)"; rm -rf "$bin_dir.partial"; exit 1; }
  rm -rf "$bin_dir"
  mv "$bin_dir.partial" "$bin_dir"
  say "built actionlint $(reported_version "$binary") in $(( $(date +%s) - t0 ))s"
  echo "$binary"
}

actionlint="$(find_or_build)"
if [ "$mode" = "--print-path" ]; then
  echo "$actionlint"
  exit 0
fi

if ! shellcheck_bin="$(command -v shellcheck 2>/dev/null)"; then
  say "shellcheck is not on PATH: actionlint would skip every \`run:\` script."
  say "fix: bash tools/setup.sh (installs it), or apt-get install shellcheck (Debian/Ubuntu), brew install shellcheck (macOS)."
  exit 3
fi

cd "$repo"
shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ "${#workflows[@]}" -eq 0 ]; then
  say "no workflow under .github/workflows"
  exit 1
fi

# -shellcheck names the binary so that the check cannot silently fall back to nothing; -pyflakes= because no
# workflow runs Python. Errors print one per line with file:line:col.
status=0
"$actionlint" -no-color -oneline -shellcheck "$shellcheck_bin" -pyflakes= "${workflows[@]}" || status=$?
if [ "$status" -ne 0 ]; then
  say "actionlint found problems in the workflows above (exit $status)"
  exit "$status"
fi
echo "actionlint $(reported_version "$actionlint") with $(shellcheck --version | sed -n 's/^version: /shellcheck /p'): ${#workflows[@]} workflow(s) clean"

# Every `uses:` pinned by a full commit SHA, with its version in a comment.
npx --no-install ts-node --transpile-only tools/actionlint/pins.ts "${workflows[@]}"
