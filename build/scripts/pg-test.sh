#!/bin/sh
# A throw-away PostgreSQL for the tests of the central's store (sync/server/pgstore), in a folder
# of the project (build/pg, gitignored): its own cluster, its own port, nothing of the machine's
# PostgreSQL service touched. Installs nothing: the setup script installs the Debian package
# postgresql (PostgreSQL 15 on Debian 12, btree_gist included).
#
#   build/scripts/pg-test.sh start   # initdb if needed, start, create the test database; prints the DSN
#   build/scripts/pg-test.sh dsn     # prints the DSN (does not start anything)
#   build/scripts/pg-test.sh psql    # a psql session on the database
#   build/scripts/pg-test.sh stop    # stops the server (the data folder stays; rm -rf build/pg to drop it)
#
#   export RDV_TEST_PG="$(build/scripts/pg-test.sh start)"
#   go test -count=1 ./sync/server/pgstore/
#
# Tuned for tests, never for data: fsync, synchronous_commit and full_page_writes are off (unless
# RDV_PG_DURABLE=1, as build/scripts/pg-dev.sh sets for « make central »), and the only role (rdv,
# superuser: the tests create one database per case) is trusted on the unix socket and on
# 127.0.0.1. Environment: RDV_PG_PORT (default 55432), RDV_PG_DIR (default build/pg), RDV_PG_DB
# (default rdv_test), RDV_PG_BIN (the PostgreSQL binaries; default /usr/lib/postgresql/15/bin or
# pg_config's), RDV_PG_NAME (the name in messages).
#
# PostgreSQL refuses to run as root. Run as root (as on CI), the script runs the server as the
# unprivileged system user rdvpg, created on first use (useradd --system), through setpriv (or
# runuser). That user must be able to reach the data folder; when the project lies where it
# cannot (under /root, mode 700), the cluster goes to /var/tmp/rdv-pg-<port> instead, said on
# stderr.
set -eu

cmd="${1:-start}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
port="${RDV_PG_PORT:-55432}"
dir="${RDV_PG_DIR:-$root/build/pg}"
db="${RDV_PG_DB:-rdv_test}"
role=rdv
runas=rdvpg
tuning="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${RDV_PG_DURABLE:-}" = 1 ] && tuning=""

log() { echo "${RDV_PG_NAME:-pg-test}: $*" >&2; }

dsn() { echo "postgres://$role@127.0.0.1:$port/$db?sslmode=disable"; }

case "$cmd" in
start | stop | dsn | psql) ;;
*)
	log "usage: $0 start|stop|dsn|psql"
	exit 2
	;;
esac

if [ "$cmd" = dsn ]; then
	dsn
	exit 0
fi

bin="${RDV_PG_BIN:-}"
if [ -z "$bin" ]; then
	if [ -x /usr/lib/postgresql/15/bin/postgres ]; then
		bin=/usr/lib/postgresql/15/bin
	elif command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/postgres" ]; then
		bin="$(pg_config --bindir)"
	else
		bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
	fi
fi
[ -n "$bin" ] && [ -x "$bin/postgres" ] || {
	log "PostgreSQL absent (no postgres binary): apt-get install postgresql, or set RDV_PG_BIN"
	exit 1
}

# as runs a command as the user that owns the cluster: rdvpg when we are root, ourselves otherwise.
if [ "$(id -u)" -eq 0 ]; then
	if ! id "$runas" >/dev/null 2>&1; then
		useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$runas"
		log "system user $runas created"
	fi
	as() {
		if command -v setpriv >/dev/null 2>&1; then
			setpriv --reuid="$runas" --regid="$runas" --init-groups -- "$@"
		else
			runuser -u "$runas" -- "$@"
		fi
	}
	mkdir -p "$dir"
	if ! as test -w "$dir" 2>/dev/null; then
		chown "$runas:" "$dir" 2>/dev/null || true
	fi
	if ! as test -w "$dir" 2>/dev/null; then
		fallback="/var/tmp/rdv-pg-$port"
		log "$runas cannot reach $dir: the cluster goes to $fallback"
		dir="$fallback"
		mkdir -p "$dir"
		chown "$runas:" "$dir"
	fi
else
	as() { "$@"; }
	mkdir -p "$dir"
fi
data="$dir/data"

running() { as "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

if [ "$cmd" = stop ]; then
	if [ -f "$data/PG_VERSION" ] && running; then
		as "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
		log "stopped"
	fi
	exit 0
fi

if [ ! -f "$data/PG_VERSION" ]; then
	as "$bin/initdb" -D "$data" -U "$role" --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
		log "initdb failed:"
		cat "$dir/initdb.log" >&2
		exit 1
	}
	log "cluster created in $data"
fi

if ! running; then
	# -k: the unix socket in our folder (not /var/run/postgresql, which may not exist or be
	# another cluster's). Its output goes to a log file: a caller's $(...) must not stay open.
	as "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir $tuning -c max_connections=200" \
		start </dev/null >/dev/null 2>&1 || {
		log "postgres did not start; its log ($dir/postgres.log) ends with:"
		tail -n 20 "$dir/postgres.log" >&2 || true
		exit 1
	}
	log "postgres started on 127.0.0.1:$port (socket in $dir)"
fi

psql() { as "$bin/psql" -h "$dir" -p "$port" -U "$role" -v ON_ERROR_STOP=1 -qAt "$@"; }
if [ "$(psql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
	psql -d postgres -c "CREATE DATABASE $db" >/dev/null
	log "database $db created"
fi

if [ "$cmd" = psql ]; then
	as "$bin/psql" -h "$dir" -p "$port" -U "$role" -d "$db"
	exit $?
fi
dsn
