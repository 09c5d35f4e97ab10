// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_record.c - unit tests of the txbatch/rxbatch record format
 * (fs/record.c): a 4-byte big-endian length, then the frame.
 */
#include "fs/record.h"
#include "tests/unit/unit.h"

#include <errno.h>
#include <string.h>

/* Append one record of @frame to @buf at *@len. */
static void put_record(uint8_t *buf, size_t *len, const void *frame,
		       uint32_t frame_len)
{
	record_put_len(buf + *len, frame_len);
	memcpy(buf + *len + RECORD_HDR, frame, frame_len);
	*len += RECORD_HDR + frame_len;
}

/* The request, the reply, and a full-size frame of zeroes: 1612 bytes. */
static size_t three_records(uint8_t *buf)
{
	static const uint8_t big[RECORD_FRAME_MAX];
	size_t len = 0;

	put_record(buf, &len, arp_request, sizeof(arp_request));
	put_record(buf, &len, arp_reply, sizeof(arp_reply));
	put_record(buf, &len, big, sizeof(big));
	return len;
}

static void length_is_big_endian(void **state)
{
	uint8_t hdr[4];

	(void) state;
	record_put_len(hdr, 0x0102a3f4);
	assert_memory_equal(hdr, "\x01\x02\xa3\xf4", 4);
	assert_int_equal(record_get_len(hdr), 0x0102a3f4);
	record_put_len(hdr, 42);
	assert_memory_equal(hdr, "\0\0\0\x2a", 4);
}

static void size_needs_a_whole_header(void **state)
{
	uint8_t buf[8] = {0, 0, 0, 42};

	(void) state;
	for (size_t avail = 0; avail < RECORD_HDR; avail++)
		assert_int_equal(record_size(buf, avail), 0);
	/* The frame need not be there yet: the size tells how much to wait. */
	assert_int_equal(record_size(buf, RECORD_HDR), RECORD_HDR + 42);
}

static void size_bounds_the_frame_length(void **state)
{
	static const uint32_t bad[] = {0,
				       1,
				       RECORD_FRAME_MIN - 1,
				       RECORD_FRAME_MAX + 1,
				       0x10000,
				       0x80000000,
				       0xffffffff};
	uint8_t hdr[4];

	(void) state;
	record_put_len(hdr, RECORD_FRAME_MIN);
	assert_int_equal(record_size(hdr, 4), RECORD_HDR + RECORD_FRAME_MIN);
	record_put_len(hdr, RECORD_FRAME_MAX);
	assert_int_equal(record_size(hdr, 4), RECORD_MAX);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		record_put_len(hdr, bad[i]);
		assert_int_equal(record_size(hdr, 4), -EINVAL);
	}
}

static void whole_counts_only_complete_records(void **state)
{
	static uint8_t buf[2 * RECORD_MAX];
	size_t len = three_records(buf), first = RECORD_HDR + 42;

	(void) state;
	assert_int_equal(len, 3 * RECORD_HDR + 42 + 42 + RECORD_FRAME_MAX);
	assert_int_equal(records_whole(buf, len), len);
	assert_int_equal(records_whole(buf, 0), 0);
	/* Cut anywhere: only the records before the cut count. */
	for (size_t cut = 0; cut < len; cut++) {
		size_t want = cut < first	? 0
			      : cut < 2 * first ? first
						: 2 * first;

		assert_int_equal(records_whole(buf, cut), want);
	}
}

static void whole_refuses_any_bad_length(void **state)
{
	static uint8_t buf[2 * RECORD_MAX];
	size_t len = three_records(buf), second = RECORD_HDR + 42;

	(void) state;
	record_put_len(buf + second, RECORD_FRAME_MIN - 1);
	assert_int_equal(records_whole(buf, len), -EINVAL);
	/* Seen as soon as its header is there, even before its frame. */
	assert_int_equal(records_whole(buf, second + RECORD_HDR), -EINVAL);
	assert_int_equal(records_whole(buf, second + RECORD_HDR - 1), second);
	record_put_len(buf, 0);
	assert_int_equal(records_whole(buf, 4), -EINVAL);
}

static void gather_points_at_each_frame(void **state)
{
	static uint8_t buf[2 * RECORD_MAX];
	size_t len = three_records(buf);
	struct iovec iov[4];

	(void) state;
	assert_int_equal(records_gather(buf, len, iov, 4), 3);
	assert_ptr_equal(iov[0].iov_base, buf + RECORD_HDR);
	assert_int_equal(iov[0].iov_len, 42);
	assert_memory_equal(iov[0].iov_base, arp_request, 42);
	assert_int_equal(iov[1].iov_len, 42);
	assert_memory_equal(iov[1].iov_base, arp_reply, 42);
	assert_int_equal(iov[2].iov_len, RECORD_FRAME_MAX);
	assert_int_equal(records_size(iov, 3), len);
	assert_int_equal(records_size(iov, 1), RECORD_HDR + 42);
	assert_int_equal(records_size(iov, 0), 0);
}

static void gather_stops_at_max(void **state)
{
	static uint8_t buf[2 * RECORD_MAX];
	size_t len = three_records(buf), done = 0;
	struct iovec iov[2];
	unsigned total = 0;

	(void) state;
	assert_int_equal(records_gather(buf, len, iov, 0), 0);
	/* As records_send() does: bursts of at most two, until all are sent. */
	while (done < len) {
		unsigned n = records_gather(buf + done, len - done, iov, 2);

		assert_true(n >= 1 && n <= 2);
		done += records_size(iov, n);
		total += n;
	}
	assert_int_equal(done, len);
	assert_int_equal(total, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(length_is_big_endian),
		cmocka_unit_test(size_needs_a_whole_header),
		cmocka_unit_test(size_bounds_the_frame_length),
		cmocka_unit_test(whole_counts_only_complete_records),
		cmocka_unit_test(whole_refuses_any_bad_length),
		cmocka_unit_test(gather_points_at_each_frame),
		cmocka_unit_test(gather_stops_at_max),
	};

	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
