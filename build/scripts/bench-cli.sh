#!/usr/bin/env bash
# The command line's start-up (issue 16): `rdv-guichet aide` and `rdv-guichet creneaux` on the
# demo file, with the window's binary (which links WebKitGTK) and the command line's own binary
# alternately, and `sqlite3` reading the rows creneaux reads. Medians of RUNS runs: wall time
# and peak RSS (/usr/bin/time). Usage: bench-cli.sh WINDOW_BIN CLI_BIN [DEMO_FILE] (a new demo
# file when none is given).
set -euo pipefail
window=${1:?usage: bench-cli.sh WINDOW_BIN CLI_BIN [DEMO_FILE]} cli=${2:?} db=${3:-}
runs=${RUNS:-15}
motif=Passeport
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [ -z "$db" ]; then
  db=$out/demo.sqlite
  "$cli" demo --db "$db" > /dev/null
fi

# The rows `creneaux --motif Passeport --days 7` loads (store.LoadCreneauxData): the
# organisation, the motif, its plages with their motifs, their agents' absences and busy spans.
read -r -d '' sql <<SQL || true
SELECT * FROM organisations;
SELECT * FROM motifs WHERE name = '$motif';
CREATE TEMP TABLE pl AS SELECT p.* FROM plages_ouverture p
  JOIN plage_motifs pm ON pm.plage_id = p.id AND pm.motif_id = (SELECT id FROM motifs WHERE name = '$motif')
  WHERE p.first_day <= date('now', '+8 days') AND (p.last_day IS NULL OR p.last_day >= date('now', '-1 day'))
  ORDER BY p.first_day, p.start_min, p.id;
SELECT pl.*, pm.motif_id FROM pl JOIN plage_motifs pm ON pm.plage_id = pl.id;
SELECT * FROM absences WHERE agent_id IN (SELECT agent_id FROM pl)
  AND first_day <= date('now', '+8 days') AND (last_day IS NULL OR last_day >= date('now', '-1 day'));
SELECT agent_id, starts_at, ends_at FROM rdv_agents WHERE agent_id IN (SELECT agent_id FROM pl)
  AND starts_at < (unixepoch('now', '+8 days') * 1000) AND ends_at > (unixepoch('now', '-1 day') * 1000)
  AND active = 1 ORDER BY agent_id, starts_at;
SELECT id, name FROM agents;
SQL

# measure NAME CMD...: one run, "seconds kilobytes" appended to $out/NAME (the wall time to the
# microsecond, around /usr/bin/time, which gives the peak RSS).
measure() {
  local name=$1; shift
  local t0=$EPOCHREALTIME
  /usr/bin/time -f '%M' -o "$out/t" "$@" > /dev/null 2>&1 || { echo "échec : $*"; exit 1; }
  echo "$t0 $EPOCHREALTIME $(cat "$out/t")" | awk '{print $2 - $1, $3}' >> "$out/$name"
}

for _ in $(seq "$runs"); do
  measure aide-window "$window" aide
  measure aide-cli "$cli" aide
  measure creneaux-window "$window" creneaux --db "$db" --motif "$motif" --days 7
  measure creneaux-cli "$cli" creneaux --db "$db" --motif "$motif" --days 7
  measure sqlite3 sqlite3 -readonly "$db" "$sql"
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each, alternating; medians"
for n in aide-window aide-cli creneaux-window creneaux-cli sqlite3; do
  printf '%-16s %6.3f s %7.1f MB\n' "$n" "$(cut -d' ' -f1 "$out/$n" | median)" "$(cut -d' ' -f2 "$out/$n" | median | awk '{print $1/1024}')"
done
