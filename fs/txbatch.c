// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * txbatch.c - reassembly of the txbatch record stream (see txbatch.h).
 */
#include "fs/txbatch.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/types.h>

/*
 * Move the next bytes of @buf into the carried record, up to its end.
 * Returns the bytes taken, or -EINVAL if its length is bad.
 */
static ssize_t carry_fill(struct txbatch *tb, const char *buf, size_t size)
{
	size_t take = 0, n;
	ssize_t rec;

	if (tb->carry_len < RECORD_HDR) {
		take = RECORD_HDR - tb->carry_len;
		take = take < size ? take : size;
		memcpy(tb->carry + tb->carry_len, buf, take);
		tb->carry_len += take;
	}
	rec = record_size(tb->carry, tb->carry_len);
	if (rec <= 0)
		return rec < 0 ? rec : (ssize_t) take;
	n = (size_t) rec - tb->carry_len;
	n = n < size - take ? n : size - take;
	memcpy(tb->carry + tb->carry_len, buf + take, n);
	tb->carry_len += n;
	return (ssize_t) (take + n);
}

static bool carry_whole(const struct txbatch *tb)
{
	ssize_t rec = record_size(tb->carry, tb->carry_len);

	return rec > 0 && (size_t) rec == tb->carry_len;
}

int txbatch_write(struct txbatch *tb, const char *buf, size_t size,
		  txbatch_send_fn *send, void *ctx)
{
	ssize_t took = 0, whole;
	size_t sent;
	int err;

	if (tb->carry_len)
		took = carry_fill(tb, buf, size);
	whole = took < 0 ? took : records_whole(buf + took, size - took);
	if (whole < 0) {
		tb->carry_len = 0;
		return -EINVAL;
	}
	if (carry_whole(tb)) {
		err = send(ctx, tb->carry, tb->carry_len, &sent);
		if (err) {
			/* Give back what this write added: it comes again. */
			tb->carry_len -= (size_t) took;
			return err;
		}
		tb->carry_len = 0;
	}
	sent = 0;
	err = whole ? send(ctx, buf + took, (size_t) whole, &sent) : 0;
	took += (ssize_t) sent;
	if (err)
		return took ? (int) took : err;
	/* The start of the next record waits for the next write. */
	memcpy(tb->carry + tb->carry_len, buf + took, size - (size_t) took);
	tb->carry_len += size - (size_t) took;
	return (int) size;
}

size_t txbatch_pending(const struct txbatch *tb)
{
	return tb->carry_len;
}
