#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run every pcifs test suite, as `make check` and CI do:
#   1. lint (clang-format, cppcheck), then the unit tests of the parsers
#      (tests/unit/, each test counted) and each parser's fuzzer for
#      FUZZ_SECONDS (default 20 here; tests/fuzz/)
#   2. core suites on fixture trees and the real /sys (read-only), with
#      ./pcifs and again with the sanitizer build ./pcifs-asan
#   3. the e1000 driver suites in a QEMU guest, once per NIC model (the
#      8254x models and the 82574L, e1000e; e1000-badinput.bats for the
#      first model only), then the fault and load suites
#      (tests/e1000-faults.bats, e1000-load.bats) once, on the e1000
#      model; the tx/rx, net and teardown suites again on the VFIO path
#      for three models, tests/vfio.bats, and tests/e1000-netdev.bats on
#      the e1000
#   4. the 9p suites (host pcifs seen from a guest over virtio-9p, and over
#      TCP through diod, tests/9p-diod.bats; the nested frame path on the
#      e1000 and the e1000e)
#   5. the quick benchmarks, each of which must produce numbers for every
#      path: tests/bench/run.sh, then the nested VM one, vm-bypass.sh (about
#      6 minutes on a quiet host, most of it L2's boot), alone on the
#      machine after the lanes so that neither disturbs the other
# Prints "N passed, N failed" at the end and exits non-zero on any failure.
set -u
cd "$(dirname "$0")/.."

MODELS=${PCIFS_NICS:-e1000 e1000-82544gc e1000-82545em e1000e}
log=$(mktemp -d)/tests.tap
: >"$log"
passed=0 failed=0

# run_bats LABEL [ENV=VALUE...] -- FILES...: one bats run, counted.
run_bats() {
	local label=$1 envs=() files=()
	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	for f in "$@"; do [ -e "$f" ] && files+=("$f"); done
	[ ${#files[@]} -gt 0 ] || return 0
	echo "=== $label: ${files[*]}"
	local before rc
	before=$(grep -c "^\[$label\] not ok " "$log")
	env "${envs[@]}" bats --tap "${files[@]}" 2>&1 | sed "s/^/[$label] /" | tee -a "$log"
	rc=${PIPESTATUS[0]}
	# bats failing outside any test (syntax error, setup_file) still fails.
	if [ "$rc" -ne 0 ] && [ "$(grep -c "^\[$label\] not ok " "$log")" -eq "$before" ]; then
		echo "[$label] not ok - bats exited $rc outside a test" | tee -a "$log"
	fi
}

# step LABEL COMMAND...: a non-bats check, counted as one test.
step() {
	local label=$1
	shift
	echo "=== $label: $*"
	if "$@"; then
		echo "[$label] ok - $label" | tee -a "$log"
	else
		echo "[$label] not ok - $label" | tee -a "$log"
	fi
}

# run_tap LABEL COMMAND...: a command printing TAP, each ok/not ok counted.
run_tap() {
	local label=$1 before rc
	shift
	echo "=== $label: $*"
	before=$(grep -c "^\[$label\] not ok " "$log")
	"$@" 2>&1 | sed "s/^/[$label] /" | tee -a "$log"
	rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ] && [ "$(grep -c "^\[$label\] not ok " "$log")" -eq "$before" ]; then
		echo "[$label] not ok - $* exited $rc" | tee -a "$log"
	fi
}

step lint make -s lint
run_tap unit make -s unit
run_tap fuzz make -s fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-20}"
core=(tests/core*.bats tests/sysfs*.bats)
run_bats core PCIFS_BIN=./pcifs -- "${core[@]}"
run_bats asan PCIFS_BIN=./pcifs-asan -- "${core[@]}"
run_bats vm -- tests/vm-harness.bats
# The guest suites run in two lanes at once, one TCG guest each (two
# cores): lane A the per-model driver suites, the fault suite and 9p; lane
# B the load suite, the VFIO runs and the netdev suite.  Each lane's output is shown when
# both are done; the counts go to $log as the lines come.
lanes=$(dirname "$log")

lane_a() {
	local model f e1000
	for model in $MODELS; do
		e1000=()
		for f in tests/e1000*.bats; do
			case $f in
			tests/e1000-faults.bats | tests/e1000-load.bats | tests/e1000-netdev.bats) continue ;;
			tests/e1000-badinput.bats) [ "$model" = "$first_model" ] || continue ;;
			esac
			e1000+=("$f")
		done
		run_bats "$model" PCIFS_NIC="$model" -- "${e1000[@]}"
	done
	run_bats faults PCIFS_NIC=e1000 -- tests/e1000-faults.bats
	run_bats 9p -- tests/9p*.bats
}

# The tx/rx, net and teardown suites on the VFIO path (q35 + emulated
# IOMMU, NICs bound to vfio-pci), the VFIO-only suite, and the -o netdev
# VM socket suite (on the e1000 only: the socket knows no NIC family).
lane_b() {
	local model
	run_bats load PCIFS_NIC=e1000 -- tests/e1000-load.bats
	for model in ${PCIFS_VFIO_NICS:-e1000 e1000-82545em e1000e}; do
		run_bats "vfio-$model" PCIFS_NIC="$model" PCIFS_VFIO=1 -- \
			tests/e1000.bats tests/e1000-net.bats tests/e1000-teardown.bats
	done
	run_bats vfio -- tests/vfio*.bats
	run_bats netdev PCIFS_NIC=e1000 -- tests/e1000-netdev.bats
	# The 9p frame path on the 82574L too (lane A runs it on the e1000).
	case " $MODELS " in
	*" e1000e "*) run_bats 9p-e1000e PCIFS_NIC=e1000e -- tests/9p-nested.bats ;;
	esac
}

# The bad-input suite on the first model only, to keep make check short.
first_model=${MODELS%% *}
lane_a >"$lanes/lane-a.out" 2>&1 &
pid_a=$!
lane_b >"$lanes/lane-b.out" 2>&1 &
pid_b=$!
wait "$pid_a" "$pid_b"
cat "$lanes/lane-a.out" "$lanes/lane-b.out"
[ -x tests/bench/run.sh ] && step bench-quick tests/bench/run.sh --quick
[ -x tests/bench/vm-bypass.sh ] && step bench-vm-quick tests/bench/vm-bypass.sh --quick

passed=$(grep -c '\] ok ' "$log")
failed=$(grep -c '\] not ok ' "$log")
echo
grep '\] not ok ' "$log" || true
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
