#!/usr/bin/env bash
# Builds the real Pulumi Kubernetes provider (pulumi-resource-kubernetes) from the Go module proxy, caches it by
# version outside the repository, and prints the folder that holds it.
#
# The module has no provider tags on the proxy, so the pseudo-version below is the one the proxy serves. Its
# main package embeds two generated files (schema-embed.json, terraform-mapping-embed.json) that the module zip
# leaves out: the module is copied out of the module cache, its own generator (cmd/pulumi-resource-kubernetes/
# generate.go) writes them, and the copy is built. Its go.mod replaces the Kubernetes SDK with a relative path
# that is not in the zip, so the copy requires the SDK from the proxy instead.
set -euo pipefail

MODULE=github.com/pulumi/pulumi-kubernetes/provider/v4
PSEUDO="${GROUNDWORK_K8S_PROVIDER_MODULE_VERSION:-v4.0.0-20260115033456-f47bc2d6f199}"
SDK_VERSION="${GROUNDWORK_K8S_SDK_VERSION:-v4.24.0}"
# The version the plugin reports and is installed as: the one @pulumi/kubernetes asks the engine for.
PLUGIN_VERSION="${1:?usage: kubernetes.sh <plugin version, e.g. 4.34.2>}"
cache_root="${GROUNDWORK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/groundwork}"
out="$cache_root/kubernetes/$PSEUDO-as-v$PLUGIN_VERSION"
log() { echo "kubernetes.sh: $*" >&2; }

# One build at a time per cache: a second caller waits for the first, then finds the result.
mkdir -p "$cache_root"
exec 9>"$cache_root/.kubernetes-build.lock"
flock 9
if [ -x "$out/pulumi-resource-kubernetes" ]; then echo "$out"; exit 0; fi
command -v go >/dev/null || { log "Go 1.26+ is needed to build the Kubernetes provider (https://go.dev/doc/install)"; exit 3; }

work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
started=$(date +%s)
log "building pulumi-resource-kubernetes ($MODULE@$PSEUDO) as v$PLUGIN_VERSION (first time only; several minutes)"
src="$(cd "$work" && go mod download -json "$MODULE@$PSEUDO" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
[ -d "$src" ] || { log "could not download $MODULE@$PSEUDO"; exit 1; }
cp -r "$src" "$work/provider"
chmod -R u+w "$work/provider"
cd "$work/provider"
go mod edit -dropreplace github.com/pulumi/pulumi-kubernetes/sdk/v4 -require "github.com/pulumi/pulumi-kubernetes/sdk/v4@$SDK_VERSION"
go get "github.com/pulumi/pulumi-kubernetes/sdk/v4@$SDK_VERSION" >&2
go mod download >&2
( cd cmd/pulumi-resource-kubernetes && VERSION="$PLUGIN_VERSION" go run generate.go )
mkdir -p "$out.partial"
go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$PLUGIN_VERSION" \
  -o "$out.partial/pulumi-resource-kubernetes" ./cmd/pulumi-resource-kubernetes >&2
rm -rf "$out"; mv "$out.partial" "$out"
log "built in $(( $(date +%s) - started ))s"
echo "$out"
