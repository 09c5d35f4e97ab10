/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcap.h - the pcap file format of a driven NIC's pcap file: the stream a
 * capture is read as, and the reassembly of a stream written to it.
 *
 * A pcap stream is a 24-byte file header (magic, version 2.4, snaplen, link
 * type), then records: a 16-byte header (seconds, micro- or nanoseconds,
 * captured length, length on the wire) and the frame.  Every field is in the
 * writer's byte order; the magic tells which.  pcifs writes microsecond
 * streams in its own byte order, as libpcap does, and reads both orders and
 * both precisions.  Pure: no I/O, no state but the caller's, no FUSE.
 *
 * Not libpcap: pcap_fopen_offline() reads through stdio and takes a short
 * read for a truncated file, so it cannot take a stream that writes cut
 * anywhere and resume at the next write; and it accepts what a NIC cannot
 * send (captured length below the length, other link types, frames with
 * FCS).  The layouts here are libpcap's struct pcap_file_header and the
 * on-disk record header of its sf-pcap.c.  tests/unit/test_pcap.c holds
 * them against <pcap/pcap.h> and has libpcap read what pcifs writes and
 * write what pcifs reads, so the daemon itself builds and runs without it.
 */
#ifndef PCIFS_PCAP_H
#define PCIFS_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>
#include <time.h>

#define PCAP_FILE_HDR	       24
#define PCAP_REC_HDR	       16
#define PCAP_MAGIC_USEC	       0xa1b2c3d4u
#define PCAP_MAGIC_NSEC	       0xa1b23c4du
#define PCAP_FILE_MAJOR	       2
#define PCAP_FILE_MINOR	       4
#define PCAP_SNAPLEN	       65535
#define PCAP_LINKTYPE_ETHERNET 1
#define PCAP_FRAME_MIN	       14   /* an Ethernet header */
#define PCAP_FRAME_MAX	       1514 /* without FCS */
#define PCAP_REC_MAX	       (PCAP_REC_HDR + PCAP_FRAME_MAX)

/* ---- writing a capture ---- */

/* The file header of a capture: microseconds, Ethernet, our byte order. */
void pcap_put_file_header(void *p);

/* The header of a record of a frame of @len bytes taken at @ts, of which
 * @caplen follow it. */
void pcap_put_record_header(void *p, const struct timespec *ts, uint32_t caplen,
			    uint32_t len);

/* ---- reading a stream written to the file ---- */

/* Why a stream was refused. */
enum pcap_fault {
	PCAP_FAULT_NONE,
	PCAP_FAULT_MAGIC,    /* no pcap file header (pcapng, garbage) */
	PCAP_FAULT_VERSION,  /* not 2.0 to 2.4 */
	PCAP_FAULT_LINKTYPE, /* not Ethernet, or Ethernet with FCS */
	PCAP_FAULT_LENGTH,   /* a frame of fewer than 14 or more than 1514 */
	PCAP_FAULT_CUT,	     /* captured length is not the length */
};

/* The stream of one open file; zero-initialized to start. */
struct pcap_stream {
	bool swapped; /* written in the other byte order */
	/* Once set, the stream is over: every later write fails. */
	enum pcap_fault fault;
	uint32_t fault_value[2]; /* what was wrong: magic, lengths... */
	uint64_t records;	 /* sent so far; the bad one is the next */
	size_t hdr_len;		 /* bytes of the file header seen */
	uint8_t hdr[PCAP_FILE_HDR];
	size_t carry_len; /* bytes of an incomplete record, never a whole one */
	uint8_t carry[PCAP_REC_MAX];
};

/*
 * Send the @n frames of @frames in order.  Returns 0 once all are queued;
 * else why not (-EAGAIN, -EINTR, ...) with *@sent the frames queued before.
 */
typedef int pcap_send_fn(void *ctx, const struct iovec *frames, unsigned n,
			 unsigned *sent);

/*
 * Take the next @size bytes of the stream: the file header, the end of a
 * record carried from the last write, the whole records of @buf (sent in
 * order through @send, many at a time), then carry the start of the next.
 * Returns the bytes of @buf taken, all of them unless something stopped
 * it: a bad header or record (the records before it are sent; returns the
 * bytes up to it, or -EINVAL if it is at the very start of @buf, and from
 * then on every write fails with -EINVAL), or @send failing part way (the
 * bytes of the records sent, or @send's error if none).
 */
int pcap_stream_write(struct pcap_stream *ps, const char *buf, size_t size,
		      pcap_send_fn *send, void *ctx);

/* Bytes of an incomplete file header or record; 0 between records. */
size_t pcap_stream_pending(const struct pcap_stream *ps);

/* What is wrong with a refused stream and what to do, as one line for the
 * log (no newline).  Returns what snprintf() does. */
int pcap_fault_describe(const struct pcap_stream *ps, char *buf, size_t size);

#endif /* PCIFS_PCAP_H */
