#!/usr/bin/env bash
# The jest suite again where months and years turn: libfaketime (Debian's faketime) shifts the
# clock of node and every child, and the clock keeps running from there. The two runs go side by
# side: jest mostly waits on its local servers. Both logs are printed; either failing fails this.
set -uo pipefail
cd "$(dirname "$0")/../.."

command -v faketime >/dev/null || { echo "faketime is missing: apt-get install faketime" >&2; exit 1; }

run() {
	local zone="$1" instant="$2" log="$3"
	echo "# jest at $instant in $zone" >"$log"
	TZ="$zone" faketime "$instant" npx jest --silent >>"$log" 2>&1
}
bogota_log="$(mktemp)"
kiritimati_log="$(mktemp)"
run America/Bogota '2027-01-01 00:00:30' "$bogota_log" &
bogota=$!
run Pacific/Kiritimati '2028-02-29 23:59:30' "$kiritimati_log" &
kiritimati=$!
status=0
wait "$bogota" || status=1
wait "$kiritimati" || status=1
cat "$bogota_log" "$kiritimati_log"
rm -f "$bogota_log" "$kiritimati_log"
exit "$status"
