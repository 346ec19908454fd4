#!/usr/bin/env bash
# Finds or builds kube-score (https://github.com/zegl/kube-score), the independent judge of the Kubernetes
# objects a stack declares (tools/kube-score/compare.ts), and prints the path of the binary.
#
#   bash tools/kube-score/kube-score.sh          # prints e.g. ~/.cache/groundwork/kube-score/v1.20.0/bin/kube-score
#
# Order: a `kube-score` on PATH reporting the pinned version or newer is used as it is. Otherwise the pinned
# version is built from the Go module proxy (its main package is ./cmd/kube-score) with `go install`, outside
# the repository, with the version stamped in the way its release builds do it, and cached by version
# under ${GROUNDWORK_CACHE:-~/.cache/groundwork}; later runs reuse it. Builds are serialised with flock, so two
# callers at once build it only once. Nothing is written into the repository.
#
# Exit 3 (with what to install) when there is neither a suitable binary nor a Go toolchain.
#
# The pin is the latest tagged release the proxy serves (`go list -m -versions github.com/zegl/kube-score`).
set -euo pipefail

KUBE_SCORE_VERSION="${GROUNDWORK_KUBE_SCORE_VERSION:-1.20.0}"
MODULE=github.com/zegl/kube-score
cache_root="${GROUNDWORK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/groundwork}"
bin_dir="$cache_root/kube-score/v$KUBE_SCORE_VERSION/bin"
binary="$bin_dir/kube-score"

say() { echo "kube-score.sh: $*" >&2; }

# at_least HAVE WANT: true when version HAVE >= WANT (plain semver, no pre-release).
at_least() {
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]
}

# reported_version BIN: the version a kube-score binary reports ("kube-score version: 1.20.0, commit: ...").
reported_version() {
  "$1" version 2>/dev/null | sed -n 's/^kube-score version: v\{0,1\}\([0-9][0-9.]*\).*/\1/p' | head -n1
}

# 1. One already installed, outside our cache, at or above the pin.
if found="$(command -v kube-score 2>/dev/null)" && [ "$found" != "$binary" ]; then
  have="$(reported_version "$found")"
  if [ -n "$have" ] && at_least "$have" "$KUBE_SCORE_VERSION"; then
    say "using kube-score $have at $found"
    echo "$found"
    exit 0
  fi
  say "kube-score on PATH reports ${have:-no version}, below the pinned $KUBE_SCORE_VERSION: using the pinned build"
fi

# Serialise builds per cache; a caller that waited finds the finished binary below.
mkdir -p "$cache_root"
exec 9>"$cache_root/.kube-score-build.lock"
flock 9

# 2. Already built by an earlier run.
if [ -x "$binary" ] && [ "$(reported_version "$binary")" = "$KUBE_SCORE_VERSION" ]; then
  echo "$binary"
  exit 0
fi

# 3. Build it from the proxy.
if ! command -v go >/dev/null 2>&1; then
  say "no kube-score >= $KUBE_SCORE_VERSION on PATH and no Go toolchain to build it."
  say "fix: install Go 1.26 or newer (https://go.dev/doc/install) and run this again,"
  say "     or install kube-score $KUBE_SCORE_VERSION+ (https://github.com/zegl/kube-score/releases) on PATH."
  exit 3
fi

t0=$(date +%s)
say "building kube-score v$KUBE_SCORE_VERSION from the Go module proxy (first run only; 1-2 minutes on 2 cores)"
# The module's go.mod has no replace directives, so `go install module/cmd@version` builds it as released, in
# module mode, with the module's own go.sum, without a main module here; GOBIN points at a partial folder that
# is moved into place only once the build succeeded. cmd/kube-score/cmd_version.go: version, commit and date
# are the variables its release tooling (goreleaser) overwrites.
rm -rf "$bin_dir.partial"
mkdir -p "$bin_dir.partial"
(
  cd "$cache_root"
  GOBIN="$bin_dir.partial" go install -trimpath \
    -ldflags "-s -w -X main.version=$KUBE_SCORE_VERSION -X main.commit=go-module-proxy -X main.date=N/A" \
    "$MODULE/cmd/kube-score@v$KUBE_SCORE_VERSION" >&2
) || { say "go install $MODULE/cmd/kube-score@v$KUBE_SCORE_VERSION failed (output above)"; rm -rf "$bin_dir.partial"; exit 1; }
rm -rf "$bin_dir"
mv "$bin_dir.partial" "$bin_dir"
say "built kube-score $(reported_version "$binary") in $(( $(date +%s) - t0 ))s"
echo "$binary"
