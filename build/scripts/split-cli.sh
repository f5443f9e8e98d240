#!/bin/sh
# wails build's Linux post-build hook (wails.json, run in build/bin): the binary Wails built
# becomes the window, rdv-guichet-fenetre, and rdv-guichet becomes the command line, built from
# the same packages without WebKitGTK (cmd/rdv-guichet), which runs the window when called
# without a command (docs/decisions/0011).
set -eu
bin=$(realpath "$1")
mv "$bin" "$(dirname "$bin")/rdv-guichet-fenetre"
cd "$(dirname "$(realpath "$0")")/../.."
go build -ldflags "-s -w" -o "$bin" ./cmd/rdv-guichet
