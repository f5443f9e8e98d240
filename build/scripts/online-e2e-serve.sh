#!/bin/sh
# Starts rdv-central for the browser tests of the online booking pages (frontend/e2e-online):
# a fresh database on the test PostgreSQL (RDV_TEST_PG, see pg-test.sh), one organisation seeded
# with plages from today (« Mairie de Saint-Aubin », pages at /mairie-de-saint-aubin/), then
# « rdv-central serve » in the foreground on 127.0.0.1:PORT.
#
#   build/scripts/online-e2e-serve.sh [PORT]
set -eu
: "${RDV_TEST_PG:?RDV_TEST_PG non défini : export RDV_TEST_PG=\"\$(build/scripts/pg-test.sh start)\"}"
port=${1:-34180}
cd "$(dirname "$0")/../.."
db="rdv_online_e2e_$port"
psql -q "$RDV_TEST_PG" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
dsn=$(printf '%s' "$RDV_TEST_PG" | sed "s#/[^/?]*\([?]\|\$\)#/$db\1#")
go build -o build/bin/rdv-central ./sync/cmd/rdv-central
go run ./sync/cmd/rdv-central office list --db "$dsn" >/dev/null # applies the migrations
RDV_E2E_DB="$dsn" go test -count=1 -run '^TestSeedE2E$' ./sync/server/ >/dev/null
exec build/bin/rdv-central serve --db "$dsn" --listen "127.0.0.1:$port" --public-rate 100 --public-burst 400
