// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netframe.c - the frame stream of a -o netdev socket (see netframe.h).
 */
#include "fs/netframe.h"

#include <stdbool.h>
#include <string.h>

void netframe_reset(struct netframe *nf)
{
	nf->head = nf->fill = 0;
	nf->skip = 0;
}

/* Move the record cut off at the end of the buffer to its start. */
static void netframe_compact(struct netframe *nf)
{
	memmove(nf->buf, nf->buf + nf->head, nf->fill - nf->head);
	nf->fill -= nf->head;
	nf->head = 0;
}

char *netframe_room(struct netframe *nf, size_t *room)
{
	netframe_compact(nf);
	*room = sizeof(nf->buf) - nf->fill;
	return nf->buf + nf->fill;
}

void netframe_fill(struct netframe *nf, size_t got)
{
	nf->fill += got;
}

/* Skip what is left of a bad record; true when done with it. */
static bool netframe_skip(struct netframe *nf)
{
	size_t n = nf->fill - nf->head;

	if (nf->skip < n)
		n = (size_t) nf->skip;
	nf->head += n;
	nf->skip -= n;
	return nf->skip == 0;
}

unsigned netframe_take(struct netframe *nf, struct iovec *iov, unsigned max,
		       unsigned *bad)
{
	unsigned n = 0;

	while (n < max && netframe_skip(nf)) {
		const char *p = nf->buf + nf->head;
		size_t avail = nf->fill - nf->head;
		ssize_t rec = record_size(p, avail);

		if (rec < 0) {
			(*bad)++;
			nf->skip = record_get_len(p);
			nf->head += RECORD_HDR;
			continue;
		}
		if (rec == 0 || (size_t) rec > avail)
			break;
		iov[n].iov_base = (void *) (p + RECORD_HDR);
		iov[n++].iov_len = (size_t) rec - RECORD_HDR;
		nf->head += (size_t) rec;
	}
	return n;
}

size_t netframe_pending(const struct netframe *nf)
{
	return nf->skip ? 0 : nf->fill - nf->head;
}
