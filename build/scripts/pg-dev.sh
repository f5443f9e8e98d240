#!/bin/sh
# A local PostgreSQL for « make central »: the database of a rdv-central run by hand on this
# machine, in build/pg-dev (ignored by git), on its own port, with PostgreSQL's default
# durability, kept across runs. It is build/scripts/pg-test.sh's cluster with other settings.
#
#   build/scripts/pg-dev.sh start   # initdb if needed, start, create the database; prints the DSN
#   build/scripts/pg-dev.sh dsn     # prints the DSN (does not start anything)
#   build/scripts/pg-dev.sh psql    # a psql session on the database
#   build/scripts/pg-dev.sh stop    # stops the server (the data stays; rm -rf build/pg-dev drops it)
#
# Environment: RDV_PG_DEV_PORT (default 55434), RDV_PG_DEV_DIR (default build/pg-dev), RDV_PG_BIN.
# The only role (rdv) is trusted on the unix socket and on 127.0.0.1: a developer's machine, never
# a server (docs/guide/central.md says how to install one).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
RDV_PG_PORT="${RDV_PG_DEV_PORT:-55434}" RDV_PG_DIR="${RDV_PG_DEV_DIR:-$root/build/pg-dev}" \
	RDV_PG_DB=rdv_central RDV_PG_DURABLE=1 RDV_PG_NAME=pg-dev exec "$here/pg-test.sh" "$@"
