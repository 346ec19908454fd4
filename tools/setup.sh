#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian/Ubuntu machine: PostgreSQL and Redis server binaries
# (the app's tests start throwaway instances of both), then the npm dependencies of the platform and the app.
# Node 24 comes from the `node` devDependency, so `npm run` works even where the machine's Node is older.
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

echo "setup: npm ci (platform)"
npm ci --no-audit --no-fund --loglevel=error
if [ -f app/package-lock.json ]; then
  echo "setup: npm ci (app)"
  npm --prefix app ci --no-audit --no-fund --loglevel=error
fi
echo "setup: node $(npm run -s v)"
