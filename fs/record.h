/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record.h - the batch record format of txbatch and rxbatch.
 *
 * A record is a 4-byte big-endian length, then that many bytes of Ethernet
 * frame without FCS.  It is the framing of QEMU's stream netdevs
 * (net/stream.c), so a batch file can be piped to or from one.  Pure
 * functions: no I/O, no state, no FUSE.
 */
#ifndef PCIFS_RECORD_H
#define PCIFS_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#define RECORD_HDR	 4    /* the length field */
#define RECORD_FRAME_MIN 14   /* an Ethernet header; the NIC pads to 60 */
#define RECORD_FRAME_MAX 1514 /* without FCS, which the NIC appends */
#define RECORD_MAX	 (RECORD_HDR + RECORD_FRAME_MAX)

uint32_t record_get_len(const void *p);
void record_put_len(void *p, uint32_t len);

/* The size of the record at @p (header and frame); 0 if fewer than
 * RECORD_HDR bytes are there to tell; -EINVAL for a bad frame length. */
ssize_t record_size(const void *p, size_t avail);

/* The bytes of the whole records at the start of @buf (a record cut off at
 * the end does not count), or -EINVAL if any length seen is bad. */
ssize_t records_whole(const void *buf, size_t size);

/* Up to @max records of @buf, which holds whole records only (see
 * records_whole), as iovecs of their frames.  Returns how many. */
unsigned records_gather(const void *buf, size_t size, struct iovec *iov,
			unsigned max);

/* The bytes @n records of the frames @iov take, headers included. */
size_t records_size(const struct iovec *iov, unsigned n);

#endif /* PCIFS_RECORD_H */
