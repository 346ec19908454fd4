#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian/Ubuntu machine: PostgreSQL and Redis server binaries
# (the app's tests start throwaway instances of both), the npm dependencies of the platform and the app, and
# for the real-engine tests the Pulumi CLI and Kubernetes provider (built from the Go module proxy once, then
# cached under ~/.cache/groundwork). Node 24 comes from the `node` devDependency, so `npm run` works even where
# the machine's Node is older.
set -euo pipefail
cd "$(dirname "$0")/.."

have_postgres() { compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null; }
if ! have_postgres || ! command -v redis-server >/dev/null; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing postgresql and redis-server with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql redis-server >/dev/null
  # The app's tests start their own instances; the distribution's services are not needed.
  $SUDO systemctl disable --now postgresql redis-server >/dev/null 2>&1 || true
fi

# promtool checks and unit-tests the app's alert rules (npm run test:alerts); Debian ships it in `prometheus`.
# Without recommends: the exporters and web assets are not needed, and the service is disabled like the others.
if ! command -v promtool >/dev/null; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing promtool (prometheus) with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
fi

# Graphviz's dot renders the stack diagrams (npm run docs:diagram, npm run plan -- --diagram-svg); Debian ships it
# in `graphviz` (its recommended fonts give the layout real text widths).
if ! command -v dot >/dev/null; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing dot (graphviz) with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq graphviz >/dev/null
fi

# ShellCheck: actionlint (npm run lint:workflows) runs it on every `run:` script of the GitHub Actions workflows;
# Debian ships it in `shellcheck`.
if ! command -v shellcheck >/dev/null; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing shellcheck with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq shellcheck >/dev/null
fi

# Chromium opens the plan tool's HTML report in test/plan/html.test.ts (playwright-core drives /usr/bin/chromium:
# GitHub's Ubuntu runners link one there; Debian ships it as `chromium`). Without recommends: the test needs no
# desktop integration. Where no package provides it (Ubuntu's is a snap), say so: the test is then skipped locally
# and fails under CI. playwright-core never downloads a browser; the variable keeps any playwright package from it.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing chromium with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null ||
    echo "setup: no chromium package here: install a Chromium at /usr/bin/chromium for test/plan/html.test.ts"
fi

echo "setup: npm ci (platform)"
npm ci --no-audit --no-fund --loglevel=error
if [ -f app/package-lock.json ]; then
  echo "setup: npm ci (app)"
  npm --prefix app ci --no-audit --no-fund --loglevel=error
fi
echo "setup: node $(npm run -s v)"

# The real engine (npm run test:engine): a Pulumi CLI >= the pinned version on PATH is used as it is; otherwise
# it is built with Go. Without either, this fails with what to install.
echo "setup: Pulumi CLI and language host (tools/engine/pulumi.sh)"
bash tools/engine/pulumi.sh >/dev/null
k8s_version="$(node -p 'require("./node_modules/@pulumi/kubernetes/package.json").pulumi.version')"
echo "setup: Kubernetes provider v${k8s_version} (tools/engine/kubernetes.sh)"
bash tools/engine/kubernetes.sh "$k8s_version" >/dev/null

# The independent Kubernetes judge (npm run test:kube-score): a kube-score >= the pinned version on PATH is used as
# it is; otherwise it is built with Go from the module proxy. Without either, this fails with what to install.
echo "setup: kube-score (tools/kube-score/kube-score.sh)"
bash tools/kube-score/kube-score.sh >/dev/null

# The workflow linter (npm run lint:workflows): an actionlint >= the pinned version on PATH is used as it is;
# otherwise it is built with Go from the module proxy. Without either, this fails with what to install.
echo "setup: actionlint (tools/actionlint/actionlint.sh)"
bash tools/actionlint/actionlint.sh --print-path >/dev/null
