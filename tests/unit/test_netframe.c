// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_netframe.c - unit tests of the -o netdev stream from the VM
 * (fs/netframe.c): records cut anywhere by socket reads, bad lengths
 * skipped whole.
 */
#include "fs/netframe.h"
#include "tests/unit/unit.h"

#include <string.h>

static struct netframe nf;

/* Feed @len bytes of @buf as socket reads of at most @step bytes, taking
 * frames after each; returns how many, their bytes in *@bytes. */
static unsigned feed(const uint8_t *buf, size_t len, size_t step, unsigned *bad,
		     size_t *bytes)
{
	struct iovec iov[4];
	unsigned frames = 0;

	netframe_reset(&nf);
	*bad = 0;
	*bytes = 0;
	for (size_t off = 0; off < len;) {
		size_t room, got;
		unsigned n;
		char *p = netframe_room(&nf, &room);

		got = len - off < step ? len - off : step;
		got = got < room ? got : room;
		memcpy(p, buf + off, got);
		netframe_fill(&nf, got);
		off += got;
		while ((n = netframe_take(&nf, iov, 4, bad)) > 0)
			for (unsigned i = 0; i < n; i++, frames++)
				*bytes += iov[i].iov_len;
	}
	return frames;
}

static size_t put(uint8_t *buf, size_t len, uint32_t frame_len, size_t body)
{
	record_put_len(buf + len, frame_len);
	memset(buf + len + RECORD_HDR, 0xab, body);
	return len + RECORD_HDR + body;
}

static void whole_frames_at_any_cut(void **state)
{
	static uint8_t buf[4 * RECORD_MAX];
	size_t len = 0, bytes;
	unsigned bad;

	(void) state;
	len = put(buf, len, 42, 42);
	len = put(buf, len, 1514, 1514);
	len = put(buf, len, 14, 14);
	for (size_t step = 1; step < len; step += 7) {
		assert_int_equal(feed(buf, len, step, &bad, &bytes), 3);
		assert_int_equal(bad, 0);
		assert_int_equal(bytes, 42 + 1514 + 14);
		assert_int_equal(netframe_pending(&nf), 0);
	}
}

static void bad_lengths_are_skipped_whole(void **state)
{
	static uint8_t buf[200000];
	size_t len = 0, bytes;
	unsigned bad;

	(void) state;
	len = put(buf, len, 0, 0);
	len = put(buf, len, 13, 13);
	len = put(buf, len, 1515, 1515);
	len = put(buf, len, 100000, 100000);
	len = put(buf, len, 60, 60);
	assert_int_equal(feed(buf, len, 4096, &bad, &bytes), 1);
	assert_int_equal(bad, 4);
	assert_int_equal(bytes, 60);
	assert_int_equal(feed(buf, len, 3, &bad, &bytes), 1);
	assert_int_equal(bad, 4);
}

static void a_cut_record_is_pending(void **state)
{
	static uint8_t buf[RECORD_MAX];
	size_t len = put(buf, 0, 100, 100), bytes;
	unsigned bad;

	(void) state;
	assert_int_equal(feed(buf, len - 1, 16, &bad, &bytes), 0);
	assert_int_equal(netframe_pending(&nf), len - 1);
	/* Inside a bad record being skipped, no frame is lost. */
	len = put(buf, 0, 1515, 200);
	assert_int_equal(feed(buf, len, 16, &bad, &bytes), 0);
	assert_int_equal(bad, 1);
	assert_int_equal(netframe_pending(&nf), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(whole_frames_at_any_cut),
		cmocka_unit_test(bad_lengths_are_skipped_whole),
		cmocka_unit_test(a_cut_record_is_pending),
	};

	return cmocka_run_group_tests_name("netframe", tests, NULL, NULL);
}
