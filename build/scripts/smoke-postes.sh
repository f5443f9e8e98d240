#!/usr/bin/env bash
# Smoke test of the postes (issue 12) in real Wails windows, under Xvfb: a principal served by
# « rdv-guichet serve », a borne and a counter paired with it (each its own poste.json); the
# counter signs in; the principal stops and comes back under each. Screenshots in OUT (the ones
# of docs/guide/postes.md). Usage: smoke-postes.sh build/bin/rdv-guichet OUT
set -euo pipefail
APP=${1:?binary}; OUT=${2:?out dir}
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill -- -"$p" 2>/dev/null || true; done; kill $(cat $work/serve.pid) 2>/dev/null || true' EXIT
ADDR=127.0.0.1:47661
"$APP" demo --db "$work/p.sqlite" >/dev/null
"$APP" serve --db "$work/p.sqlite" --listen $ADDR > "$work/serve.log" 2>&1 & echo $! > "$work/serve.pid"
sleep 1.5
for role in borne guichet; do
  inv=$("$APP" poste add --db "$work/p.sqlite" --nom "Poste $role" --role $role --json)
  code=$(echo "$inv" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
  fp=$(echo "$inv" | python3 -c 'import json,sys; print(json.load(sys.stdin)["fingerprint"])')
  RDV_GUICHET_POSTE="$work/$role.json" "$APP" poste pair --server $ADDR --code "$code" --empreinte "$fp"
done
start() { # NAME: the window of that poste under its own Xvfb
  local name=$1
  RDV_GUICHET_POSTE="$work/$name.json" setsid xvfb-run -a -s "-screen 0 1440x900x24" bash -c "\"$APP\" > \"$work/$name.log\" 2>&1 & echo \$! > \"$work/$name.pid\"; sleep 40" &
  pids+=($!)
}
display_of() { local pid; pid=$(cat "$work/$1.pid")
  export DISPLAY; DISPLAY=$(tr '\0' '\n' < /proc/"$pid"/environ | sed -n 's/^DISPLAY=//p')
  export XAUTHORITY; XAUTHORITY=$(tr '\0' '\n' < /proc/"$pid"/environ | sed -n 's/^XAUTHORITY=//p'); }
start borne; sleep 12; display_of borne; import -window root "$OUT/poste-borne.png"; kill "$(cat $work/borne.pid)"
start guichet; sleep 12; display_of guichet; import -window root "$OUT/poste-guichet-connexion.png"
xdotool type --delay 20 claire && xdotool key Tab && xdotool type --delay 20 demo-guichet && xdotool key Return
sleep 4; import -window root "$OUT/poste-guichet-agenda.png"
# The principal stops under the counter: the banner, the screen kept.
kill $(cat $work/serve.pid); sleep 12; import -window root "$OUT/poste-guichet-injoignable.png"
"$APP" serve --db "$work/p.sqlite" --listen $ADDR > "$work/serve1.log" 2>&1 & echo $! > "$work/serve.pid"
sleep 8; import -window root "$OUT/poste-guichet-retour.png"; kill "$(cat $work/guichet.pid)"
# The principal stops: the borne says it is unavailable, then recovers by itself.
kill $(cat $work/serve.pid); sleep 1
start borne; sleep 14; display_of borne; import -window root "$OUT/poste-borne-injoignable.png"
"$APP" serve --db "$work/p.sqlite" --listen $ADDR > "$work/serve2.log" 2>&1 & echo $! > "$work/serve.pid"
sleep 9; import -window root "$OUT/poste-borne-retour.png"; kill "$(cat $work/borne.pid)"
echo "--- logs"; cat "$work/serve.log" "$work/serve2.log"; tail -n 5 "$work"/borne.log "$work"/guichet.log
