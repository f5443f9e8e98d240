#!/usr/bin/env bash
# Start-up benchmark (issue 16, `make bench-startup`): RDV Guichet's window beside a bare Wails
# app (cmd/bench-bare: same Wails, same window options), alternating runs under one Xvfb.
#  - ready: from the launch to UI_READY (the frontend has loaded and called Go), on the demo file
#    and on the million-RDV file, against the bare app's;
#  - memory: RSS and PSS of the process tree (the app and its WebKit processes) after the demo's
#    sign-in with the day's agenda shown, against the bare app at rest.
# Usage: bench-startup.sh APP BARE BUSY_FILE (RUNS pairs, 7 by default; the first pair warms the
# caches and is not counted).
set -euo pipefail
app=${1:?usage: bench-startup.sh APP BARE BUSY_FILE} bare=${2:?} busy=${3:?}
runs=${RUNS:-7}
if [ -z "${DISPLAY:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1440x900x24" "$0" "$@"
fi
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; sleep 0.5; rm -rf "$work" 2>/dev/null || true' EXIT
# Both apps get empty data, config and cache folders of their own (no poste.json, no WebKit cache
# from another run).
export XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config XDG_CACHE_HOME=$work/cache
demo=$work/demo.sqlite
"$app" demo --db "$demo" > /dev/null

# launch NAME BIN ARGS...: starts BIN, waits for UI_READY, appends the seconds to $work/NAME.
launch() {
  local name=$1; shift
  local t0; t0=$(date +%s%N)
  "$@" > "$work/log" 2>&1 &
  pid=$!
  for _ in $(seq 6000); do
    if grep -qx UI_READY "$work/log"; then
      echo "$(( ($(date +%s%N) - t0) / 1000 ))" | awk '{print $1/1e6}' >> "$work/$name"
      return
    fi
    kill -0 "$pid" 2>/dev/null || { echo "$name : arrêté avant UI_READY"; cat "$work/log"; exit 1; }
    sleep 0.01
  done
  echo "$name : pas de UI_READY en 60 s"; cat "$work/log"; exit 1
}

# tree_mem NAME: RSS and PSS (MB) of $pid and its descendants, appended to $work/NAME-rss, -pss.
tree_mem() {
  local name=$1
  local pids=$pid p
  for p in $(ps -e -o pid=,ppid= | awk -v root="$pid" '
      {parent[$1] = $2} END {for (p in parent) for (q = p; q in parent; q = parent[q]) if (parent[q] == root) {print p; break}}'); do
    pids="$pids $p"
  done
  local rss=0 pss=0 f
  for p in $pids; do
    f=/proc/$p/smaps_rollup
    [ -r "$f" ] || continue
    rss=$((rss + $(awk '/^Rss:/ {print $2}' "$f")))
    pss=$((pss + $(awk '/^Pss:/ {print $2}' "$f")))
  done
  echo "$rss" | awk '{print $1/1024}' >> "$work/$name-rss"
  echo "$pss" | awk '{print $1/1024}' >> "$work/$name-pss"
}

stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; sleep 0.5; }

for i in $(seq "$runs"); do
  [ "$i" = 1 ] && suffix=-warm || suffix=
  launch "bare$suffix" "$bare"
  sleep 5
  tree_mem "bare$suffix"
  stop
  launch "demo$suffix" "$app" --db "$demo"
  # The demo's agent signs in (the field has the focus), the day's agenda shows.
  xdotool type --delay 20 claire && xdotool key Tab && xdotool type --delay 20 demo-guichet && xdotool key Return
  sleep 5
  tree_mem "demo$suffix"
  stop
  launch "bare2$suffix" "$bare"
  stop
  launch "busy$suffix" "$app" --db "$busy"
  stop
done

median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a/b}'; }
bare_ready=$(cat "$work/bare" "$work/bare2" > "$work/bare-all"; median "$work/bare-all")
echo "load average $(cut -d' ' -f1-3 /proc/loadavg); $((runs - 1)) pairs after one warm-up; medians"
printf 'ready, bare Wails app      %6.3f s\n' "$bare_ready"
printf 'ready, demo file           %6.3f s  %s× the bare app\n' "$(median "$work/demo")" "$(ratio "$(median "$work/demo")" "$bare_ready")"
printf 'ready, million-RDV file    %6.3f s  %s× the bare app\n' "$(median "$work/busy")" "$(ratio "$(median "$work/busy")" "$bare_ready")"
printf 'RSS, bare app at rest      %6.1f MB (PSS %.1f MB)\n' "$(median "$work/bare-rss")" "$(median "$work/bare-pss")"
printf 'RSS, demo signed in        %6.1f MB (PSS %.1f MB)  %s× RSS, %s× PSS\n' "$(median "$work/demo-rss")" "$(median "$work/demo-pss")" \
  "$(ratio "$(median "$work/demo-rss")" "$(median "$work/bare-rss")")" "$(ratio "$(median "$work/demo-pss")" "$(median "$work/bare-pss")")"
