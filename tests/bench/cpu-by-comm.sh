#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# cpu-by-comm.sh - where a guest's CPU goes, by command, from schedstat
# (busybox sh and awk; vm-bypass.sh runs it in L1 while L2 sends):
#   cpu-by-comm.sh snap FILE         every task's run time (ns) and uptime
#   cpu-by-comm.sh diff FILE0 FILE1  the run time each command's tasks took
#                                    between the two snapshots, as % of one
#                                    CPU, the top 10, then idle
set -u
snap() {
	for t in /proc/[0-9]*/task/[0-9]*; do
		# A task may end between the glob and the read.
		{ read -r ns _ <"$t/schedstat"; } 2>/dev/null || continue
		{ read -r comm <"${t%/task/*}/comm"; } 2>/dev/null || comm=?
		echo "$t $comm $ns"
	done
	echo "uptime - $(cut -d' ' -f1 /proc/uptime)"
}
case ${1:-} in
snap) snap >"$2" ;;
diff)
	awk 'FNR == NR { if ($1 == "uptime") t0 = $3; else was[$1] = $3; next }
	$1 == "uptime" { wall = ($3 - t0) * 1e9; next }
	{ d = $3 - ($1 in was ? was[$1] : 0); if (d > 0) { by[$2] += d; all += d } }
	END {
		if (wall <= 0) exit 1
		for (c in by) printf "%6.1f %% %s\n", 100 * by[c] / wall, c | "sort -rn | head -10"
		close("sort -rn | head -10")
		printf "%6.1f %% (idle: not run by any task)\n", 100 * (wall - all) / wall
	}' "$2" "$3"
	;;
*) echo "usage: cpu-by-comm.sh snap FILE | diff FILE0 FILE1" >&2; exit 2 ;;
esac
