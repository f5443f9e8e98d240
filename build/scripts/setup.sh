#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test RDV Guichet.
# Idempotent: each step checks first and installs only what is missing.
#   setup.sh run   -> packages to build and run the desktop app
#   setup.sh test  -> also the packages the test suite needs (Xvfb, Chromium, NSIS, PDF/QR tools, PostgreSQL, CUPS)
set -euo pipefail
cd "$(dirname "$0")/../.."

profile="${1:-run}"
pkgs=(build-essential pkg-config libgtk-3-dev libwebkit2gtk-4.1-dev)
if [ "$profile" = test ]; then
  pkgs+=(xvfb xauth xdotool imagemagick chromium nsis poppler-utils zbar-tools fonts-dejavu-core python3-icalendar cups printer-driver-cups-pdf postgresql)
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installation des paquets Debian manquants : ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Wails CLI at exactly the version go.mod requires (never @latest: it resolves to v2.9.2, which does not build with Go 1.26).
want=$(go list -m -f '{{.Version}}' github.com/wailsapp/wails/v2)
gobin="$(go env GOPATH)/bin"
if ! "$gobin/wails" version 2>/dev/null | grep -qx "$want"; then
  echo "setup: installation de la CLI Wails $want"
  go install "github.com/wailsapp/wails/v2/cmd/wails@$want"
fi

# npm packages (npm install, not npm ci: the reachable registry lacks some optional platform packages).
if [ ! -d frontend/node_modules ] || [ frontend/package.json -nt frontend/node_modules/.package-lock.json ]; then
  (cd frontend && npm install --no-audit --no-fund --loglevel=error)
fi
