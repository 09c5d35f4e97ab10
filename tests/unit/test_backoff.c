// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_backoff.c - unit tests of the idle poller's back-off
 * (e1000/backoff.h): how long the first frame after a silence can wait,
 * and how many looks a waiter on a silent NIC makes.
 */
#include "e1000/backoff.h"
#include "tests/unit/unit.h"

#define MS     1000000LL
#define S      1000000000LL
#define MIN_NS (2 * MS) /* pcifs's default, E1000_POLL_MAX_US */

/* Looks a waiter makes from @from_ns to @to_ns of silence. */
static int looks(int64_t from_ns, int64_t to_ns)
{
	int n = 0;

	for (int64_t t = from_ns; t < to_ns; t += nic_idle_sleep_ns(t, MIN_NS))
		n++;
	return n;
}

static void right_after_traffic_the_minimum(void **state)
{
	(void) state;
	assert_int_equal(nic_idle_sleep_ns(0, MIN_NS), MIN_NS);
	assert_int_equal(nic_idle_sleep_ns(1 * MS, MIN_NS), MIN_NS);
	assert_int_equal(nic_idle_sleep_ns(64 * MIN_NS, MIN_NS), MIN_NS);
}

/* The latency a silence can add: at most a 64th of it, past the minimum. */
static void never_more_than_a_64th_of_the_silence(void **state)
{
	(void) state;
	for (int64_t q = MS; q < 3600 * S; q += q / 10) {
		int64_t bound = q / 64 > MIN_NS ? q / 64 : MIN_NS;

		if (nic_idle_sleep_ns(q, MIN_NS) > bound)
			fail_msg("after %lld ms of silence a sleep of %lld ms",
				 (long long) (q / MS),
				 (long long) (nic_idle_sleep_ns(q, MIN_NS) /
					      MS));
	}
	assert_int_equal(nic_idle_sleep_ns(S, MIN_NS), S / 64);
}

static void capped_at_fifty_minima(void **state)
{
	(void) state;
	assert_int_equal(nic_idle_sleep_ns(3200 * MIN_NS, MIN_NS), 50 * MIN_NS);
	assert_int_equal(nic_idle_sleep_ns(3600 * S, MIN_NS), 50 * MIN_NS);
	assert_int_equal(nic_idle_sleep_ns(INT64_MAX, 20000), 50 * 20000);
}

static void grows_with_the_silence(void **state)
{
	int64_t prev = 0;

	(void) state;
	for (int64_t q = 0; q < 20 * S; q += MS) {
		int64_t ns = nic_idle_sleep_ns(q, MIN_NS);

		assert_true(ns >= prev);
		prev = ns;
	}
}

/* What a reader blocked on a silent NIC costs: the bench measures it over
 * 5 s from 6 s after the last traffic (a step back-off of 20 ms sleeps
 * until 10 s looked 210 times there). */
static void looks_decay_with_the_silence(void **state)
{
	(void) state;
	assert_in_range(looks(0, S), 64, 200);
	assert_in_range(looks(6 * S, 11 * S), 50, 55);
	assert_int_equal(looks(60 * S, 61 * S), 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(right_after_traffic_the_minimum),
		cmocka_unit_test(never_more_than_a_64th_of_the_silence),
		cmocka_unit_test(capped_at_fifty_minima),
		cmocka_unit_test(grows_with_the_silence),
		cmocka_unit_test(looks_decay_with_the_silence),
	};

	return cmocka_run_group_tests_name("backoff", tests, NULL, NULL);
}
