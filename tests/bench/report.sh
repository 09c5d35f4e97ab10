#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/bench/report.sh DIR [QUICK] - results.json, summary.md and bench.png
# from the raw files run.sh left in DIR/raw.  Prints the ratio table.
# Exit 0 when every path produced numbers, 1 otherwise (names them).
# Sourced with REPORT_NO_MAIN=1 (vm-bypass.sh), it only defines its helpers
# (get, ratio, verdict, row, lossless, details, report_write, ...) for DIR.
set -uo pipefail

dir=$1
quick=${2:-0}
raw=$dir/raw
m=$raw/metrics
touch "$m"

# get KIND NAME COLUMN: column (1-based, after kind and name) of the first
# matching metrics line.
get() { awk -v k="$1" -v n="$2" -v c="$3" '$1 == k && $2 == n {print $(c + 2); exit}' "$m"; }

# median_of KIND NAME COLUMN: median over all matching lines.
median_of() {
	awk -v k="$1" -v n="$2" -v c="$3" '$1 == k && $2 == n {print $(c + 2)}' "$m" |
		sort -g | awk '{v[NR] = $1} END {if (NR) print v[int((NR + 1) / 2)]}'
}

# ratio A B: A/B with 2 decimals, or "n/a".
ratio() {
	awk -v a="${1:-}" -v b="${2:-}" 'BEGIN {
		if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'
}

# verdict RATIO OP LIMIT: "met"/"MISSED"/"n/a".
verdict() {
	[ "$1" = n/a ] && { echo n/a; return; }
	awk -v r="$1" -v op="$2" -v l="$3" 'BEGIN {
		ok = (op == "<=") ? r <= l : r >= l; print ok ? "met" : "MISSED" }'
}

# best_pcifs_tx LEN: the highest host-counted fps of the pcifs TX modes.
best_pcifs_tx() {
	awk -v l="$1" '$1 == "tx" && $2 ~ "^pcifs-.*-" l "$" {
		if ($6 + 0 > b) { b = $6; n = $2 } } END { if (n != "") print b, n }' "$m"
}

# lossless KIND-NAME: the highest injected rate with no frame lost.
lossless() {
	awk -v n="$1" '$1 == "rx" && $2 == n && $6 == 0 && $3 > b {b = $3}
		$1 == "rx" && $2 == n {seen = 1}
		END { if (seen) print b + 0 }' "$m"
}

# ---- the ratio table ----

row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@"; }

table() {
	local pv pk r1 r2 best bestname w k p tgt
	echo "| metric | pcifs | baseline | pcifs / baseline | target | verdict |"
	echo "|---|---|---|---|---|---|"
	for v in pcifs pcifs-posted pcifs-xchg pcifs-poll pcifs-epoll; do
		p=$(get rtt $v 3)
		for b in virtio ke1000 ke1000-packet; do
			r1=$(ratio "$p" "$(get rtt $b 3)")
			tgt="<= 1 (aim 0.8)"
			[ $b = ke1000-packet ] && tgt="(info)"
			row "ping median RTT, us: $v vs $b" "${p:-none}" "$(get rtt $b 3)" "$r1" \
				"$tgt" "$([ $b = ke1000-packet ] && echo - || verdict "$r1" "<=" 1)"
		done
		for b in virtio ke1000; do
			p=$(get rtt $v 4)
			r1=$(ratio "$p" "$(get rtt $b 4)")
			row "ping p99 RTT, us: $v vs $b" "${p:-none}" "$(get rtt $b 4)" "$r1" "(info)" -
		done
	done
	for len in 60 1514; do
		k=$(get tx ke1000-send-$len 4)
		read -r best bestname <<<"$(best_pcifs_tx $len)"
		r1=$(ratio "$best" "$k")
		row "TX $len B frames/s, best pcifs ($bestname) vs AF_PACKET send" \
			"${best:-none}" "${k:-none}" "$r1" ">= 1.5" "$(verdict "$r1" ">=" 1.5)"
		w=$(median_of tx pcifs-write-$len 4)
		r2=$(ratio "$w" "$k")
		row "TX $len B frames/s, pcifs one write/frame vs AF_PACKET send" \
			"${w:-none}" "${k:-none}" "$r2" ">= 0.8" "$(verdict "$r2" ">=" 0.8)"
		# No file a process writes can beat a round trip to another
		# process: the pipe ping-pong rate caps one write per frame.
		pv=$(median_of reg pingpong-process 1)
		row "TX $len B: ceiling of any one-write-per-frame file (pipe round trips/s to another process) vs AF_PACKET send" \
			"${pv:-none}" "${k:-none}" "$(ratio "$pv" "$k")" "(info)" -
		k=$(get tx ke1000-sendmmsg-$len 4)
		row "TX $len B frames/s, best pcifs vs AF_PACKET sendmmsg(32)" \
			"${best:-none}" "${k:-none}" "$(ratio "$best" "$k")" "(info)" -
	done
	pv=$(lossless pcifs)
	pk=$(lossless ke1000-packet)
	r1=$(ratio "$pv" "$pk")
	row "RX highest lossless injected rate, frames/s" "${pv:-none}" "${pk:-none}" \
		"$r1" ">= 1" "$(verdict "$r1" ">=" 1)"
	for b in $(awk '$1 == "rx" && $2 ~ /^pcifs-/ {print $2}' "$m" | sort -u); do
		pv=$(lossless "$b")
		r1=$(ratio "$pv" "$pk")
		row "RX highest lossless rate, $b (batched reads) vs AF_PACKET" "${pv:-none}" "${pk:-none}" \
			"$r1" ">= 1" "$(verdict "$r1" ">=" 1)"
	done
	for pair in "pread-regs-STATUS mmap-STATUS" "pread-bar0-8 mmap-STATUS" \
		"spawn-cat-COMMAND spawn-setpci" "spawn-cat-STATUS spawn-devmem" \
		"pread-regs-STATUS pingpong-process" "pingpong-process pingpong-thread"; do
		set -- $pair
		pv=$(median_of reg "$1" 1)
		pk=$(median_of reg "$2" 1)
		row "register ops/s: $1 vs $2" "${pv:-none}" "${pk:-none}" \
			"$(ratio "$pv" "$pk")" "(info)" -
	done
	pv=$(get cpu idle 1)
	row "pcifs CPU idle, % of a core" "${pv:-none}" - - "< 1" \
		"$([ -n "$pv" ] && awk -v c="$pv" 'BEGIN{print c < 1 ? "met" : "MISSED"}' || echo n/a)"
	pv=$(get cpu idle-reader 1)
	row "pcifs CPU, a reader blocked on a silent NIC (polling), % of a core (issue 15)" "${pv:-none}" - - "< 1" \
		"$([ -n "$pv" ] && awk -v c="$pv" 'BEGIN{print c < 1 ? "met" : "MISSED"}' || echo n/a)"
	pv=$(get cpu idle-reader-irq 1)
	row "pcifs CPU, the same with uio_pci_generic interrupts, % of a core" "${pv:-none}" - - "(info)" -
	row "pcifs CPU during 60 B TX blast, % of a core" "$(get cpu load 1)" - - "(info)" -
	floor_rows
	vfio_rows
	e1000e_rows
	row "pcifs RSS, kB (all pcifs processes)" "$(get cpu idle 2)" - - "(info)" -
}

# pair_ratio A B: the median over run pairs of A's TX frames/s over B's,
# pairing A's i-th run with B's i-th (run.sh alternates them, so a pair
# ran under the same host load).  With A = B, odd runs over even ones.
pair_ratio() { pair_ratio_of tx 4 "$@"; }

# pair_ratio_of KIND COLUMN A B: pair_ratio for any KIND of metrics line,
# of its COLUMN (1-based after kind and name, as get takes it).
pair_ratio_of() {
	awk -v a="$3" -v b="$4" -v k="$1" -v c="$2" \
		'$1 == k && $2 == a {x[++na] = $(c + 2)}
		$1 == k && $2 == b {y[++nb] = $(c + 2)}
		END {
			if (a == b) { for (i = 1; 2 * i <= na; i++) r[++n] = x[2 * i - 1] / x[2 * i] }
			else for (i = 1; i <= na && i <= nb; i++) if (y[i] > 0) r[++n] = x[i] / y[i]
			for (i = 1; i <= n; i++) print r[i] }' "$m" |
		sort -g | awk '{v[NR] = $1} END {if (NR) printf "%.2f", (v[int((NR + 1) / 2)] + v[int(NR / 2) + 1]) / 2; else print "n/a"}'
}

# vfio_rows: pcifs through VFIO (00:06.0) against pcifs through pagemap
# (00:05.0), same boot; the VFIO column is the "pcifs" one.  Issue 10's
# targets: no slower than pagemap (1.05), a blocked reader's CPU no higher
# than with uio_pci_generic.
vfio_rows() {
	local pv pk r1 len
	[ -n "$(get rtt vfio 3)$(get tx vfio-write-60 4)" ] || return 0
	pv=$(get rtt vfio 3)
	pk=$(get rtt pcifs 3)
	r1=$(ratio "$pv" "$pk")
	row "VFIO: RTT median, us, vs pagemap" "${pv:-none}" "${pk:-none}" "$r1" "<= 1.05" "$(verdict "$r1" "<=" 1.05)"
	for len in 60 1514; do
		pv=$(median_of tx vfio-write-$len 4)
		pk=$(median_of tx pcifs-write-$len 4)
		r1=$(pair_ratio pcifs-write-$len vfio-write-$len)
		row "VFIO: TX $len B one write per frame, frames/s (medians), pagemap / vfio: median of the ratios of $(awk -v n="vfio-write-$len" '$1 == "tx" && $2 == n' "$m" | wc -l) adjacent run pairs" "${pv:-none}" "${pk:-none}" "$r1" "<= 1.05" "$(verdict "$r1" "<=" 1.05)"
		pv=$(pair_ratio pcifs-write-$len pcifs-write-$len)
		row "VFIO: TX $len B, the same for pagemap's runs against each other (run-to-run noise, odd / even)" - - "$pv" "(info)" -
	done
	pv=$(lossless vfio)
	pk=$(lossless pcifs)
	r1=$(ratio "$pk" "$pv")
	row "VFIO: RX highest lossless rate, frames/s (pagemap / vfio)" "${pv:-none}" "${pk:-none}" "$r1" "<= 1.05" "$(verdict "$r1" "<=" 1.05)"
	pv=$(get cpu idle-reader-vfio 1)
	pk=$(get cpu idle-reader-irq 1)
	r1=$(ratio "$pv" "$pk")
	row "VFIO: CPU of a blocked reader, % of a core, vs uio_pci_generic" "${pv:-none}" "${pk:-none}" "$r1" "<= 1" \
		"$([ -n "$pv" ] && [ -n "$pk" ] && awk -v a="$pv" -v b="$pk" 'BEGIN{print a <= b ? "met" : "MISSED"}' || echo n/a)"
}

# floor_rows: every pcifs echo path as a fraction of the floor, the same
# client with pcifs's driver in its own process and no FUSE (issue 15).
floor_rows() {
	local v pv pk
	pk=$(get rtt floor 3)
	[ -n "$pk" ] || return 0
	for v in pcifs pcifs-posted pcifs-xchg pcifs-poll pcifs-epoll ke1000-packet; do
		pv=$(get rtt $v 3)
		row "ping median RTT, us: the floor (driver in-process, no FUSE) / $v" \
			"${pk:-none}" "${pv:-none}" "$(ratio "$pk" "$pv")" "(info)" -
	done
	bound_rows "$pk"
}

# bound_rows FLOOR: issue 15's targets, each event-loop path's echo
# against the same client over AF_PACKET on the kernel e1000, and beside it
# the least RTT an echo through FUSE can have here: the floor plus, per
# FUSE request the path makes, one round trip to another process over
# pipes ("pipe", the least any request to a daemon costs) or one FUSE
# request that does nothing but look at a descriptor ("fuse", a
# non-blocking read of the silent rx).  xchg makes one request (the
# ioctl), write-then-read two, poll()/epoll and read three (write,
# FUSE_POLL, read).  A target below the "fuse" bound cannot be met by any
# file interface on this machine; one below the "pipe" bound by no daemon.
bound_rows() {
	local k v name n tgt p r b per least
	k=$(get rtt ke1000-packet 3)
	for v in pcifs-poll:3:1 pcifs-epoll:3:1 pcifs:2:1 pcifs-xchg:1:0.8; do
		IFS=: read -r name n tgt <<<"$v"
		p=$(get rtt "$name" 3)
		r=$(ratio "$p" "$k")
		row "issue 15: echo median RTT, us: $name ($n FUSE round trips an echo) vs AF_PACKET on the kernel e1000" \
			"${p:-none}" "${k:-none}" "$r" "<= $tgt" "$(verdict "$r" "<=" "$tgt")"
		for b in pipe fuse; do
			per=$(get rtt $b 3)
			[ -n "$per" ] || continue
			least=$(awk -v f="$1" -v p="$per" -v n="$n" 'BEGIN {printf "%.1f", f + n * p}')
			row "issue 15: least possible for $name: floor + $n x $b ($per us) vs AF_PACKET" \
				"$least" "${k:-none}" "$(ratio "$least" "$k")" "(info)" -
		done
	done
}

# e1000e_rows: pcifs driving an 82574L (00:08.0) against the kernel's
# e1000e driver on the same model (00:07.0), same boot, with the targets
# of the 8254x rows.
e1000e_rows() {
	local pv pk r1 len v
	[ -f "$raw/e1000e" ] || return 0
	for v in e1000e-xchg e1000e; do
		pv=$(get rtt $v 3)
		pk=$(get rtt ke1000e 3)
		r1=$(ratio "$pv" "$pk")
		row "82574L: ping median RTT, us: pcifs $v vs kernel e1000e" "${pv:-none}" "${pk:-none}" \
			"$r1" "<= 1 (aim 0.8)" "$(verdict "$r1" "<=" 1)"
	done
	for len in 60 1514; do
		pk=$(get tx ke1000e-send-$len 4)
		pv=$(get tx e1000e-txbatch-256-$len 4)
		r1=$(ratio "$pv" "$pk")
		row "82574L: TX $len B frames/s, pcifs txbatch 256 vs AF_PACKET send on kernel e1000e" \
			"${pv:-none}" "${pk:-none}" "$r1" ">= 1.5" "$(verdict "$r1" ">=" 1.5)"
		pv=$(get tx e1000e-write-$len 4)
		r1=$(ratio "$pv" "$pk")
		row "82574L: TX $len B frames/s, pcifs one write/frame vs AF_PACKET send on kernel e1000e" \
			"${pv:-none}" "${pk:-none}" "$r1" ">= 0.8" "$(verdict "$r1" ">=" 0.8)"
	done
	pk=$(lossless ke1000e-packet)
	for v in e1000e e1000e-rxbatch; do
		pv=$(lossless $v)
		r1=$(ratio "$pv" "$pk")
		row "82574L: RX highest lossless rate, frames/s, pcifs $v vs AF_PACKET on kernel e1000e" \
			"${pv:-none}" "${pk:-none}" "$r1" ">= 1" "$(verdict "$r1" ">=" 1)"
	done
}

# ---- raw details ----

details() {
	echo
	echo "RTT per path (us): n min median p99 max mean"
	awk '$1 == "rtt" {printf "- %s: %s\n", $2, substr($0, index($0, $3))}' "$m"
	echo
	echo "TX (host-counted): path-len guest_frames host_frames seconds fps Mbit/s first_error"
	awk '$1 == "tx" {printf "- %s\n", substr($0, 4)}' "$m"
	if grep -q '^tx pcifs-writev' "$m"; then
		echo
		echo "writev on pcifs tx is not a batch: the kernel hands FUSE one write of"
		echo "BATCH*LEN bytes, which pcifs sends as ONE frame (60 B x 8 -> one 480 B"
		echo "frame; 1514 B x 8 -> EINVAL). guest_frames claims 8 per call; the host"
		echo "count is the truth. The batched format is txbatch (pcifs-txbatch-N rows)."
	fi
	echo
	echo "RX: path rate injected received lost fps host_send_seconds"
	awk '$1 == "rx" {printf "- %s\n", substr($0, 4)}' "$m"
}

# ---- results.json ----

json_array() { awk 'BEGIN {printf "["} {printf "%s%s", (NR > 1 ? "," : ""), $1} END {printf "]"}' "$1"; }

machine_json() {
	printf '{"host_cpu": "%s", "host_cores": %s, "host_kernel": "%s", "qemu": "%s", "accel": "tcg", "note": "emulated guest (QEMU TCG): absolute times are emulation numbers, only same-boot ratios mean something"}' \
		"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" \
		"$(nproc)" "$(uname -r)" \
		"$(qemu-system-x86_64 --version | head -n1)"
}

write_json() {
	local f first=1
	{
		printf '{\n"machine": %s,\n"quick": %s,\n"rtt_us": {' "$(machine_json)" "$quick"
		for f in "$raw"/rtt-*.txt; do
			[ -f "$f" ] || continue
			f=${f##*/rtt-}
			f=${f%.txt}
			printf '%s\n  "%s": %s' "$([ $first = 1 ] || echo ,)" "$f" "$(json_array "$raw/rtt-$f.txt")"
			first=0
		done
		printf '},\n"tx": ['
		awk '$1 == "tx" {
			n = split($2, a, "-"); len = a[n]; path = substr($2, 1, length($2) - length(len) - 1)
			printf "%s\n  {\"path\": \"%s\", \"len\": %s, \"guest_frames\": %s, \"host_frames\": %s, \"seconds\": %s, \"host_fps\": %s, \"host_mbps\": %s, \"first_error\": \"%s\"}",
				c++ ? "," : "", path, len, $3, $4, $5, $6, $7, $8 }' "$m"
		printf '],\n"rx": ['
		awk '$1 == "rx" {
			printf "%s\n  {\"path\": \"%s\", \"rate\": %s, \"injected\": %s, \"received\": %s, \"lost\": %s, \"fps\": %s, \"host_send_seconds\": %s}",
				c++ ? "," : "", $2, $3, $4, $5 == "" ? 0 : $5, $6 == "" ? "null" : $6, $7 == "" ? 0 : $7, $8 == "" ? 0 : $8 }' "$m"
		printf '],\n"regs_ops_per_s": {'
		awk '$1 == "reg" { v[$2] = v[$2] (v[$2] == "" ? "" : ",") $3 }
			END { for (k in v) printf "%s\n  \"%s\": [%s]", c++ ? "," : "", k, v[k] }' "$m"
		printf '},\n"cpu": ['
		awk '$1 == "cpu" {
			printf "%s\n  {\"phase\": \"%s\", \"cpu_percent\": %s, \"rss_kb\": %s, \"seconds\": %s}",
				c++ ? "," : "", $2, $3, $4, $5 }' "$m"
		printf ']\n}\n'
	} >"$dir/results.json"
}

# ---- bench.png ----

plot() {
	command -v gnuplot >/dev/null || { echo "report: gnuplot missing: no plot" >&2; return; }
	local f p plots=""
	for p in ${PLOT_RTT:-virtio ke1000 ke1000-packet pcifs pcifs-posted pcifs-xchg ke1000e e1000e-xchg}; do
		f=$raw/rtt-$p.txt
		[ -s "$f" ] || continue
		sort -g "$f" | awk '{v[NR] = $1} END {for (i = 1; i <= NR; i++) print v[i], i / NR}' >"$raw/cdf-$p.dat"
		plots+="${plots:+, }'$raw/cdf-$p.dat' using 1:2 with steps lw 2 title '$p'"
	done
	awk '$1 == "tx" { n = split($2, a, "-"); len = a[n]; path = substr($2, 1, length($2) - length(len) - 1)
		fps[path, len] = $6; if (!(path in seen)) { seen[path] = 1; order[++k] = path } }
		END { for (i = 1; i <= k; i++) print order[i], fps[order[i], 60] + 0, fps[order[i], 1514] + 0 }' \
		"$m" >"$raw/tx.dat"
	[ -n "$plots" ] || plots="0 notitle"
	local rxplots=""
	for p in $(awk '$1 == "rx" {print $2}' "$m" | sort -u); do
		awk -v n="$p" '$1 == "rx" && $2 == n && $4 > 0 {printf "%s %.1f\n", $3, 100 * $5 / $4}' "$m" |
			sort -g >"$raw/rx-$p.dat"
		[ -s "$raw/rx-$p.dat" ] &&
			rxplots+="${rxplots:+, }'$raw/rx-$p.dat' using 1:2 with linespoints lw 2 title '$p'"
	done
	[ -n "$rxplots" ] || rxplots="0 notitle"
	gnuplot <<EOF 2>"$raw/gnuplot.log" || echo "report: gnuplot failed, see $raw/gnuplot.log" >&2
set terminal pngcairo size 1800,560 noenhanced
set output '$dir/bench.png'
set multiplot layout 1,3 title "${PLOT_TITLE:-pcifs benchmark}, one QEMU TCG boot ($(date -u +%F)): emulated, compare ratios only"
set title "ping RTT CDF (gateway of each NIC)"
set xlabel "RTT (us)"
set ylabel "fraction of echoes"
set logscale x
set key bottom right
set grid
plot $plots
unset logscale x
set title "TX frames/s counted on the host"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics rotate by -30
set xlabel ""
set ylabel "frames/s"
set key top left
set yrange [0:*]
plot '$raw/tx.dat' using 2:xtic(1) title '60 B', '' using 3 title '1514 B'
set title "RX: frames received of those injected"
set style data linespoints
set xtics norotate
set logscale x
set xlabel "injected frames/s"
set ylabel "received (%)"
set yrange [0:105]
set key bottom left
plot $rxplots
unset multiplot
EOF
}

# ---- completeness ----

missing() {
	local need=(
		"rtt virtio" "rtt ke1000" "rtt pcifs" "rtt pcifs-posted" "rtt pcifs-xchg"
		"rtt pcifs-poll" "rtt pcifs-epoll" "rtt floor" "rtt pipe" "rtt fuse"
		"tx ke1000-send-60" "tx ke1000-send-1514" "tx pcifs-write-60"
		"tx pcifs-write-1514" "tx pcifs-write-j4-60"
		"rx ke1000-packet" "rx pcifs"
		"reg mmap-STATUS" "reg pread-regs-STATUS" "reg pread-bar0-8"
		"reg spawn-setpci" "reg spawn-devmem" "reg spawn-cat-COMMAND"
		"reg spawn-cat-STATUS" "reg pingpong-process" "reg pingpong-thread"
		"cpu idle" "cpu idle-reader" "cpu load")
	[ -f "$raw/e1000e" ] && need+=("rtt ke1000e" "rtt e1000e" "rtt e1000e-xchg"
		"tx ke1000e-send-60" "tx e1000e-write-60" "rx ke1000e-packet" "rx e1000e")
	local n
	for n in "${need[@]}"; do
		# A path "produced numbers": a line with a positive value.
		awk -v k="${n% *}" -v p="${n#* }" '$1 == k && $2 == p {
			v = (k == "rtt") ? $3 : (k == "tx") ? $4 : (k == "rx") ? $5 : (k == "reg") ? $3 : 1
			if (v + 0 > 0) ok = 1 } END { exit !ok }' "$m" || echo "$n"
	done
}

# report_write INTRO TABLE DETAILS MISSING: summary.md from the output of
# the functions INTRO, TABLE and DETAILS, results.json and bench.png; prints
# the summary.  Returns 1 when the function MISSING names a path.
report_write() {
	local miss
	{
		"$1"
		echo
		"$2"
		"$3"
	} >"$dir/summary.md"
	write_json
	plot
	cat "$dir/summary.md"
	echo
	echo "results: $dir/results.json  plot: $dir/bench.png"
	miss=$("$4")
	if [ -n "$miss" ]; then
		echo "bench: no numbers from: $(echo $miss | tr '\n' ' ')" >&2
		return 1
	fi
}

intro() {
	echo "## pcifs benchmark $(basename "$dir")$([ "$quick" = 1 ] && echo " (quick)")"
	echo
	echo "One QEMU TCG guest (emulated: absolute times are not hardware numbers;"
	echo "compare the ratios, all taken in this one boot). Host: $(host_line)."
}

# host_line: the machine the guests ran on.
host_line() {
	echo "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1), $(nproc) cores, $(qemu-system-x86_64 --version | head -n1)"
}

[ -z "${REPORT_NO_MAIN:-}" ] || return 0
report_write intro table details missing
