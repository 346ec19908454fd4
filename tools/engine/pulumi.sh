#!/usr/bin/env bash
# Puts the real Pulumi CLI and a Node.js language host on PATH for the engine tests.
#
#   eval "$(bash tools/engine/pulumi.sh --env)"   # exports PATH with them first
#   bash tools/engine/pulumi.sh                   # builds what is missing, prints the folder(s) to put on PATH
#
# The CLI: a `pulumi` already on PATH at or above the pinned version is used as it is. Otherwise it is built
# from the Go module proxy at the pinned version, in a throwaway main module outside the repository, with the
# version stamped in, and cached by version under ${GROUNDWORK_CACHE:-~/.cache/groundwork}: the second run
# costs nothing. Nothing built here is written into the repository.
#
# The language host: an installed CLI ships the real `pulumi-language-nodejs` beside it, and that is used.
# The real host cannot be built here: its module (github.com/pulumi/pulumi/sdk/nodejs/cmd/
# pulumi-language-nodejs/v3) is refused by the Go module proxy this project's machines reach. So beside a CLI
# built here goes Groundwork's STAND-IN host (tools/engine/langhost, a test double that launches the real
# Node SDK's program, plugin and policy-pack runners), built from its own source and cached by that source's hash.
# Beside it go the STAND-IN Go and Python language plugins (tools/engine/langgo, same reason: their modules are
# refused), used by test:engine --sdk-only to generate the SDKs and run a Go program.
set -euo pipefail

PULUMI_VERSION="${GROUNDWORK_PULUMI_VERSION:-3.274.1}"
cache_root="${GROUNDWORK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/groundwork}"
bin_dir="$cache_root/pulumi/v$PULUMI_VERSION/bin"
mode="${1:-}"

log() { echo "pulumi.sh: $*" >&2; }

version_ge() { # version_ge A B: A >= B (semver without pre-release)
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$2" ]
}

emit() {
  if [ "$mode" = "--env" ]; then echo "export PATH=\"$1:\$PATH\""; else echo "$1"; fi
}

repo="$(cd "$(dirname "$0")/../.." && pwd)"
# build_langhost DIR: the stand-in language host into DIR, unless the same source was built there already.
build_langhost() {
  local dir="$1" src="$repo/tools/engine/langhost" hash
  hash="$(cat "$src/go.mod" "$src/go.sum" "$src"/*.go | sha256sum | cut -c1-16)"
  if [ -x "$dir/pulumi-language-nodejs" ] && [ -f "$dir/.langhost-$hash" ]; then return 0; fi
  command -v go >/dev/null 2>&1 || { log "Go is needed to build the stand-in language host (https://go.dev/doc/install)"; exit 3; }
  log "building the stand-in Node.js language host (tools/engine/langhost)"
  mkdir -p "$dir"
  (cd "$src" && go build -trimpath -ldflags "-s -w -X main.version=$PULUMI_VERSION+groundwork.standin" -o "$dir/pulumi-language-nodejs" . >&2)
  rm -f "$dir"/.langhost-*; touch "$dir/.langhost-$hash"
}
# build_langgo DIR: the stand-in Go and Python language plugins (tools/engine/langgo: code generation through
# pkg/v3's generators, and running Go programs) into DIR as pulumi-language-go and pulumi-language-python, unless
# the same source was built there already. The real plugins' modules are refused by the Go module proxy too.
build_langgo() {
  local dir="$1" src="$repo/tools/engine/langgo" hash
  hash="$(cat "$src/go.mod" "$src/go.sum" "$src"/*.go | sha256sum | cut -c1-16)"
  if [ -x "$dir/pulumi-language-go" ] && [ -f "$dir/.langgo-$hash" ]; then return 0; fi
  command -v go >/dev/null 2>&1 || { log "Go is needed to build the stand-in Go/Python language plugins (https://go.dev/doc/install)"; exit 3; }
  log "building the stand-in Go and Python language plugins (tools/engine/langgo; first time about 2-4 minutes)"
  mkdir -p "$dir"
  (cd "$src" && go build -trimpath -ldflags "-s -w -X main.version=$PULUMI_VERSION+groundwork.standin" -o "$dir/pulumi-language-go" . >&2)
  ln -sf pulumi-language-go "$dir/pulumi-language-python"
  rm -f "$dir"/.langgo-*; touch "$dir/.langgo-$hash"
}

# 1. A CLI already on PATH (outside our cache) at or above the pin.
if existing="$(command -v pulumi 2>/dev/null)" && [ "$(dirname "$existing")" != "$bin_dir" ]; then
  have="$(pulumi version 2>/dev/null | sed 's/^v//')"
  if [ -n "$have" ] && version_ge "$have" "$PULUMI_VERSION"; then
    log "using pulumi v$have at $existing"
    dirs="$(dirname "$existing")"
    if ! command -v pulumi-language-nodejs >/dev/null 2>&1 && [ ! -x "$(dirname "$existing")/pulumi-language-nodejs" ]; then
      lh="$cache_root/langhost"; build_langhost "$lh"; dirs="$lh:$dirs"
    fi
    if ! command -v pulumi-language-go >/dev/null 2>&1 && [ ! -x "$(dirname "$existing")/pulumi-language-go" ]; then
      lg="$cache_root/langgo"; build_langgo "$lg"; dirs="$lg:$dirs"
    fi
    emit "$dirs"
    exit 0
  fi
  log "pulumi on PATH is v${have:-unknown}, below the pinned v$PULUMI_VERSION: building the pinned version"
fi

# One build at a time per cache: a second caller waits for the first, then finds the result.
mkdir -p "$cache_root"
exec 9>"$cache_root/.pulumi-build.lock"
flock 9

# 2. The cached build.
if [ -x "$bin_dir/pulumi" ] && [ "$("$bin_dir/pulumi" version 2>/dev/null)" = "v$PULUMI_VERSION" ]; then
  build_langhost "$bin_dir"
  build_langgo "$bin_dir"
  emit "$bin_dir"
  exit 0
fi

# 3. Build from the Go module proxy.
if ! command -v go >/dev/null 2>&1; then
  log "no Pulumi CLI >= v$PULUMI_VERSION on PATH and no Go toolchain to build one."
  log "install Go 1.26 or newer (https://go.dev/doc/install) or the Pulumi CLI (https://www.pulumi.com/docs/install/), then run again."
  exit 3
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
started=$(date +%s)
log "building pulumi v$PULUMI_VERSION from the Go module proxy (first time only; about 5-10 minutes on 2 cores)"
(
  cd "$work"
  go mod init groundwork.local/pulumi-cli-build >/dev/null 2>&1
  # pkg/v3's own go.mod replaces sdk/v3 with a relative path; replaces of a dependency are ignored, so the
  # matching sdk/v3 is required explicitly at the same version.
  go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION" >&2
  go get "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" >&2
  mkdir -p "$bin_dir.partial"
  go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$bin_dir.partial/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
)
rm -rf "$bin_dir"
mv "$bin_dir.partial" "$bin_dir"
log "built pulumi $("$bin_dir/pulumi" version) in $(( $(date +%s) - started ))s"
build_langhost "$bin_dir"
build_langgo "$bin_dir"
emit "$bin_dir"
