#!/bin/sh
# Compiles the Windows installer's script (build/windows/installer/project.nsi) with Debian's
# makensis, on a copy of build/windows with stand-ins for what `wails build --nsis` brings (the
# program and the WebView2 bootstrapper, empty files): the NSIS script itself (the « Type de
# poste » page, the firewall rule of a poste principal) is checked on every `make test`.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/build/bin"
cp -r "$root/build/windows" "$work/build/windows"
mkdir -p "$work/build/windows/installer/tmp"
: > "$work/build/windows/installer/tmp/MicrosoftEdgeWebview2Setup.exe"
: > "$work/build/bin/rdv-guichet.exe"
cd "$work/build/windows/installer"
makensis -V2 -WX -DARG_WAILS_AMD64_BINARY="$work/build/bin/rdv-guichet.exe" project.nsi
ls "$work"/build/bin/*-installer.exe > /dev/null
echo "check-installer : project.nsi compile."
