#!/usr/bin/env bash
# Smoke test of the real desktop binary: under Xvfb, the window must load the embedded UI, which
# calls the bound Go method Ready(); the app then prints UI_READY. Proves WebKitGTK, the embedded
# assets and the Wails IPC together. Leaves a screenshot in build/bin/smoke.png.
set -euo pipefail
app="${1:?usage: smoke.sh path/to/rdv-guichet}"
work=$(mktemp -d)
trap 'kill -- -$pid 2>/dev/null || true; rm -rf "$work"' EXIT

export RDV_GUICHET_DB="$work/smoke.sqlite"
setsid xvfb-run -a -s "-screen 0 1440x900x24" bash -c "\"$app\" > \"$work/out.log\" 2>&1 & echo \$! > \"$work/app.pid\"; sleep 60" &
pid=$!

for _ in $(seq 1 120); do
  if grep -q UI_READY "$work/out.log" 2>/dev/null; then
    sleep 1.5 # let the agenda paint before the screenshot
    disp=$(ps -o args= -C Xvfb | grep -o ':[0-9]\+' | head -1)
    xauth_file=$(ls -t /tmp/xvfb-run.*/Xauthority 2>/dev/null | head -1)
    export DISPLAY="$disp" XAUTHORITY="$xauth_file"
    import -window root build/bin/smoke.png
    # Sign in with the demo account, as an agent would (the field has the focus; ASCII only:
    # xdotool loses capitals with accents), then photograph the day's agenda.
    xdotool type --delay 20 claire && xdotool key Tab && xdotool type --delay 20 demo-guichet && xdotool key Return
    sleep 3
    import -window root build/bin/smoke-agenda.png
    kill "$(cat "$work/app.pid")" 2>/dev/null || true
    echo "smoke : la fenêtre a chargé l'interface et appelé Go (UI_READY) ; captures dans build/bin/smoke.png et smoke-agenda.png"
    grep -h UI_READY "$work/out.log"
    exit 0
  fi
  sleep 0.5
done
echo "smoke : UI_READY jamais reçu en 60 s. Journal de l'application :"
cat "$work/out.log"
exit 1
