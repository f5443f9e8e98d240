#!/bin/sh
# A local PostgreSQL for « make central »: the database of a rdv-central run by hand on this
# machine, in a folder of the project (build/pg-dev, ignored by git through its own .gitignore),
# on its own port; nothing of the machine's PostgreSQL service touched. Installs nothing: the
# setup script installs the Debian package postgresql (PostgreSQL 15 on Debian 12, btree_gist
# included). Unlike build/scripts/pg-test.sh (throw-away, fsync off), this cluster keeps its
# data across runs with PostgreSQL's default durability.
#
#   build/scripts/pg-dev.sh start   # initdb if needed, start, create the database; prints the DSN
#   build/scripts/pg-dev.sh dsn     # prints the DSN (does not start anything)
#   build/scripts/pg-dev.sh psql    # a psql session on the database
#   build/scripts/pg-dev.sh stop    # stops the server (the data stays; rm -rf build/pg-dev drops it)
#
# Environment: RDV_PG_DEV_PORT (default 55434), RDV_PG_DEV_DIR (default build/pg-dev), RDV_PG_BIN
# (the PostgreSQL binaries; default /usr/lib/postgresql/15/bin or pg_config's). The only role
# (rdv) is trusted on the unix socket and on 127.0.0.1: a developer's machine, never a server
# (docs/guide/central.md says how to install one). Run as root, the cluster runs as the system
# user rdvpg, as pg-test.sh does.
set -eu

cmd="${1:-start}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
port="${RDV_PG_DEV_PORT:-55434}"
dir="${RDV_PG_DEV_DIR:-$root/build/pg-dev}"
db=rdv_central
role=rdv
runas=rdvpg

log() { echo "pg-dev: $*" >&2; }

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

mkdir -p "$dir"
[ -f "$dir/.gitignore" ] || echo '*' >"$dir/.gitignore"

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
	if ! as test -w "$dir" 2>/dev/null; then
		chown "$runas:" "$dir" 2>/dev/null || true
	fi
	if ! as test -w "$dir" 2>/dev/null; then
		fallback="/var/tmp/rdv-pg-dev-$port"
		log "$runas cannot reach $dir: the cluster goes to $fallback"
		dir="$fallback"
		mkdir -p "$dir"
		chown "$runas:" "$dir"
	fi
else
	as() { "$@"; }
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
	as "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir" \
		start </dev/null >/dev/null 2>&1 || {
		log "postgres did not start; its log ($dir/postgres.log) ends with:"
		tail -n 20 "$dir/postgres.log" >&2 || true
		exit 1
	}
	log "postgres started on 127.0.0.1:$port (socket in $dir)"
fi

psql() { as "$bin/psql" -h "$dir" -p "$port" -U "$role" -v ON_ERROR_STOP=1 "$@"; }
if [ "$(psql -qAt -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
	psql -qAt -d postgres -c "CREATE DATABASE $db" >/dev/null
	log "database $db created"
fi

if [ "$cmd" = psql ]; then
	psql -d "$db"
	exit $?
fi

dsn
