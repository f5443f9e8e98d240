#!/bin/sh
# Starts CUPS without systemd and creates the RDVPDF virtual printer (cups-pdf) for the printing
# test (backend/printing, RDV_TEST_CUPS=1). Installs nothing: the setup script installs the Debian
# packages cups and printer-driver-cups-pdf. Prints the folder where RDVPDF writes its PDFs, which
# the test reads from RDV_TEST_CUPS_DIR:
#
#   export RDV_TEST_CUPS_DIR="$(build/scripts/cups-test.sh)"
#   RDV_TEST_CUPS=1 go test ./backend/printing/
#
# Must run as root (cupsd, lpadmin, /etc/cups). Idempotent: an already running cupsd and an
# existing queue are kept. Stop cupsd afterwards with: kill "$(cat /run/cups/cupsd.pid)" (or
# build/scripts/cups-test.sh stop).
set -eu

QUEUE=RDVPDF
OUT="${RDV_TEST_CUPS_DIR:-/var/spool/cups-pdf/$QUEUE}"
CONF=/etc/cups/cups-pdf-$QUEUE.conf
PIDFILE=/run/cups/rdv-cupsd.pid

log() { echo "cups-test: $*" >&2; }

if [ "${1:-}" = stop ]; then
	if [ -f "$PIDFILE" ]; then
		kill "$(cat "$PIDFILE")" 2>/dev/null || true
		rm -f "$PIDFILE"
	fi
	exit 0
fi

for tool in /usr/sbin/cupsd lpadmin lpstat lp; do
	command -v "$tool" >/dev/null 2>&1 || { log "$tool absent: apt-get install cups printer-driver-cups-pdf"; exit 1; }
done
[ -e /usr/lib/cups/backend/cups-pdf ] || { log "cups-pdf backend absent: apt-get install printer-driver-cups-pdf"; exit 1; }

# cups-pdf reads /etc/cups/cups-pdf-<NAME>.conf for a device cups-pdf:/<NAME>: a fixed folder,
# whoever prints (the default is $HOME/PDF of the user, which differs between root and CI users).
mkdir -p "$OUT"
chmod 1777 "$OUT"
if [ ! -f "$CONF" ] || ! grep -qx "Out $OUT" "$CONF"; then
	printf 'Out %s\nAnonDirName %s\nLabel 0\nTitlePref 1\n' "$OUT" "$OUT" >"$CONF"
fi

# Start cupsd without systemd, unless one answers already.
if ! lpstat -r 2>/dev/null | grep -q "is running"; then
	mkdir -p /run/cups
	# -f keeps it a child we can name; its output must not hold the caller's $(...) open.
	/usr/sbin/cupsd -f </dev/null >/dev/null 2>&1 &
	echo $! >"$PIDFILE"
	i=0
	until lpstat -r 2>/dev/null | grep -q "is running"; do
		i=$((i + 1))
		[ "$i" -le 50 ] || { log "cupsd did not start"; exit 1; }
		sleep 0.1
	done
	log "cupsd started (pid $(cat "$PIDFILE"))"
fi

if ! lpstat -p "$QUEUE" >/dev/null 2>&1; then
	lpadmin -p "$QUEUE" -v "cups-pdf:/$QUEUE" -E -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd
	log "queue $QUEUE created"
fi
cupsenable "$QUEUE" 2>/dev/null || true
cupsaccept "$QUEUE" 2>/dev/null || true

echo "$OUT"
