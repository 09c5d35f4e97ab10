#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh - run fuzz targets one after another, for `make fuzz`:
#   tests/fuzz/run.sh SECONDS build-fuzz/fuzz_NAME...
# Each runs for SECONDS from its seed corpus tests/fuzz/corpus/NAME/ (every
# seed and regression input is run first), adding what it finds new to a
# scratch corpus under build-fuzz/NAME/, never to the committed one.
# Prints one TAP line a target with its name and number of executions, and
# exits non-zero on any finding (crash, sanitizer report, broken property,
# leak, timeout); the input is left in build-fuzz/NAME/crashes/.
set -u
cd "$(dirname "$0")/../.."
seconds=$1
shift
status=0 n=0
echo "1..$#"
for bin in "$@"; do
	n=$((n + 1))
	name=$(basename "$bin")
	name=${name#fuzz_}
	work=build-fuzz/$name
	rm -rf "$work"
	mkdir -p "$work/corpus" "$work/crashes"
	nice -n 10 "$bin" -max_total_time="$seconds" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$work/crashes/" \
		"$work/corpus" "tests/fuzz/corpus/$name" >"$work/log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
	if [ "$rc" -eq 0 ] && [ -z "$(ls -A "$work/crashes")" ]; then
		echo "ok $n - fuzz $name: ${runs:-0} executions in $seconds s"
	else
		status=1
		echo "not ok $n - fuzz $name: finding after ${runs:-?} executions (exit $rc), log $work/log"
		grep -E 'ERROR|property broken|SUMMARY|Test unit written' "$work/log" |
			head -5 | sed 's/^/# /'
	fi
done
exit $status
