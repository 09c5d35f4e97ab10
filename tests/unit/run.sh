#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh - run unit test binaries (cmocka) as TAP, for `make unit`:
#   tests/unit/run.sh BINARY...
# prints one "ok N - GROUP: TEST" or "not ok N - GROUP: TEST" line a test,
# and a "not ok" line for a binary that dies before its last test (a
# sanitizer abort, a crash).  Exits non-zero if anything failed.
set -u
export CMOCKA_MESSAGE_OUTPUT=TAP
status=0
for bin in "$@"; do
	group=$(basename "$bin")
	group=${group#test_}
	out=$("$bin" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed -E "s/^(not )?ok [0-9]+ - /&$group: /"
	if [ "$rc" -ne 0 ]; then
		status=1
		# cmocka ends a group with "# ok - GROUP" or "# not ok - GROUP".
		printf '%s\n' "$out" | grep -Eq "^# (not )?ok - $group\$" ||
			echo "not ok - $group: died before its last test (exit $rc)"
	fi
done
exit $status
