#!/usr/bin/env bash
# Smoke test of the real desktop binary under Xvfb, in both rooms:
#  - the agents' window must load the embedded UI and call the bound Go method Ready() (the app
#    prints UI_READY); then it signs in with the demo account and photographs the day's agenda;
#  - the kiosk (--borne) must load its own UI and call KioskService.Home (UI_READY borne).
# Proves WebKitGTK, the embedded assets and the Wails IPC together. Screenshots in build/bin/.
set -euo pipefail
app="${1:?usage: smoke.sh path/to/rdv-guichet}"
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill -- -"$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
export RDV_GUICHET_DB="$work/smoke.sqlite"
# A new file opens on the first start's chooser: the smoke test signs in to the demo, made first.
"$app" demo >/dev/null

# start NAME ARGS...: runs the app under its own Xvfb, output in $work/NAME.log.
start() {
  local name=$1; shift
  setsid xvfb-run -a -s "-screen 0 1440x900x24" bash -c "\"$app\" $* > \"$work/$name.log\" 2>&1 & echo \$! > \"$work/$name.pid\"; sleep 60" &
  pids+=($!)
}

# wait_ready NAME MARKER: waits up to 60 s for MARKER in the log, then points DISPLAY at that Xvfb.
wait_ready() {
  local name=$1 marker=$2
  for _ in $(seq 1 120); do
    if grep -qx "$marker" "$work/$name.log" 2>/dev/null; then
      sleep 1.5 # let the screen paint before the screenshot
      local pid; pid=$(cat "$work/$name.pid")
      export DISPLAY; DISPLAY=$(tr '\0' '\n' < /proc/"$pid"/environ | sed -n 's/^DISPLAY=//p')
      export XAUTHORITY; XAUTHORITY=$(tr '\0' '\n' < /proc/"$pid"/environ | sed -n 's/^XAUTHORITY=//p')
      return 0
    fi
    sleep 0.5
  done
  echo "smoke : « $marker » jamais reçu en 60 s ($name). Journal de l'application :"
  cat "$work/$name.log"
  exit 1
}

start agent
wait_ready agent UI_READY
import -window root build/bin/smoke.png
# Sign in with the demo account, as an agent would (the field has the focus; ASCII only:
# xdotool loses capitals with accents), then photograph the day's agenda.
xdotool type --delay 20 claire && xdotool key Tab && xdotool type --delay 20 demo-guichet && xdotool key Return
sleep 3
import -window root build/bin/smoke-agenda.png
kill "$(cat "$work/agent.pid")"
echo "smoke : la fenêtre des agents a chargé l'interface et appelé Go (UI_READY) ; captures build/bin/smoke.png, smoke-agenda.png"

start borne --borne
wait_ready borne "UI_READY borne"
import -window root build/bin/smoke-borne.png
kill "$(cat "$work/borne.pid")"
echo "smoke : la borne a chargé son interface et appelé Go (UI_READY borne) ; capture build/bin/smoke-borne.png"
