// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcap.c - the pcap file format (see pcap.h).
 */
#include "fs/pcap.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#define PCAP_BURST 64 /* frames handed to send at once */

/* libpcap's LT_LINKTYPE() bits and the FCS-present bit above them. */
#define PCAP_LINKTYPE_MASK 0x03ffffffu
#define PCAP_LINKTYPE_FCS  0x04000000u

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

void pcap_put_file_header(void *p)
{
	uint8_t *b = p;

	put32(b, PCAP_MAGIC_USEC);
	put16(b + 4, PCAP_FILE_MAJOR);
	put16(b + 6, PCAP_FILE_MINOR);
	put32(b + 8, 0);  /* thiszone: timestamps are UTC */
	put32(b + 12, 0); /* sigfigs */
	put32(b + 16, PCAP_SNAPLEN);
	put32(b + 20, PCAP_LINKTYPE_ETHERNET);
}

void pcap_put_record_header(void *p, const struct timespec *ts, uint32_t caplen,
			    uint32_t len)
{
	uint8_t *b = p;

	/* 32 bits of seconds, which libpcap reads signed: until 2038. */
	put32(b, (uint32_t) ts->tv_sec);
	put32(b + 4, (uint32_t) (ts->tv_nsec / 1000));
	put32(b + 8, caplen);
	put32(b + 12, len);
}

/* ---- reading ---- */

static uint32_t get32(const struct pcap_stream *ps, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return ps->swapped ? __builtin_bswap32(v) : v;
}

static uint16_t get16(const struct pcap_stream *ps, const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return ps->swapped ? __builtin_bswap16(v) : v;
}

static int refuse(struct pcap_stream *ps, enum pcap_fault fault, uint32_t a,
		  uint32_t b)
{
	ps->fault = fault;
	ps->fault_value[0] = a;
	ps->fault_value[1] = b;
	ps->carry_len = 0;
	return -EINVAL;
}

static bool is_magic(uint32_t magic)
{
	return magic == PCAP_MAGIC_USEC || magic == PCAP_MAGIC_NSEC;
}

/* The whole file header: its magic sets the byte order of what follows. */
static int header_check(struct pcap_stream *ps)
{
	uint32_t magic, linktype;
	uint16_t major, minor;

	ps->swapped = false;
	magic = get32(ps, ps->hdr);
	if (!is_magic(magic))
		ps->swapped = is_magic(__builtin_bswap32(magic));
	if (!is_magic(get32(ps, ps->hdr)))
		return refuse(ps, PCAP_FAULT_MAGIC, magic, 0);
	/* libpcap reads versions 2.0 to 2.4; before 2.3 the two lengths
	 * were the other way round, which equal lengths do not mind. */
	major = get16(ps, ps->hdr + 4);
	minor = get16(ps, ps->hdr + 6);
	if (major != PCAP_FILE_MAJOR || minor > PCAP_FILE_MINOR)
		return refuse(ps, PCAP_FAULT_VERSION, major, minor);
	linktype = get32(ps, ps->hdr + 20);
	if ((linktype & (PCAP_LINKTYPE_MASK | PCAP_LINKTYPE_FCS)) !=
	    PCAP_LINKTYPE_ETHERNET)
		return refuse(ps, PCAP_FAULT_LINKTYPE, linktype, 0);
	return 0;
}

/* Take what @buf has of the file header; the bytes taken, or -EINVAL. */
static ssize_t header_fill(struct pcap_stream *ps, const char *buf, size_t size)
{
	size_t take = PCAP_FILE_HDR - ps->hdr_len;

	if (take == 0)
		return 0;
	take = take < size ? take : size;
	memcpy(ps->hdr + ps->hdr_len, buf, take);
	ps->hdr_len += take;
	if (ps->hdr_len == PCAP_FILE_HDR && header_check(ps) < 0)
		return -EINVAL;
	return (ssize_t) take;
}

/* Why the record header at @p is no frame to send, as refuse() takes it;
 * PCAP_FAULT_NONE if it is one. */
static enum pcap_fault record_fault(const struct pcap_stream *ps,
				    const uint8_t *p)
{
	uint32_t caplen = get32(ps, p + 8), len = get32(ps, p + 12);

	if (len < PCAP_FRAME_MIN || len > PCAP_FRAME_MAX)
		return PCAP_FAULT_LENGTH;
	return caplen == len ? PCAP_FAULT_NONE : PCAP_FAULT_CUT;
}

/* The size of the record at @p (header and frame); 0 if fewer than
 * PCAP_REC_HDR bytes are there to tell; -EINVAL if it is no frame. */
static ssize_t record_size(const struct pcap_stream *ps, const uint8_t *p,
			   size_t avail)
{
	if (avail < PCAP_REC_HDR)
		return 0;
	if (record_fault(ps, p) != PCAP_FAULT_NONE)
		return -EINVAL;
	return PCAP_REC_HDR + (ssize_t) get32(ps, p + 12);
}

/* Refuse the stream at the bad record header @p, the next to send. */
static int record_refuse(struct pcap_stream *ps, const uint8_t *p)
{
	return refuse(ps, record_fault(ps, p), get32(ps, p + 8),
		      get32(ps, p + 12));
}

/* Move the next bytes of @buf into the carried record, up to its end.
 * Returns the bytes taken, or -EINVAL if it is no frame. */
static ssize_t carry_fill(struct pcap_stream *ps, const char *buf, size_t size)
{
	size_t take = 0, n;
	ssize_t rec;

	if (ps->carry_len < PCAP_REC_HDR) {
		take = PCAP_REC_HDR - ps->carry_len;
		take = take < size ? take : size;
		memcpy(ps->carry + ps->carry_len, buf, take);
		ps->carry_len += take;
	}
	rec = record_size(ps, ps->carry, ps->carry_len);
	if (rec < 0)
		return record_refuse(ps, ps->carry);
	if (rec == 0)
		return (ssize_t) take;
	n = (size_t) rec - ps->carry_len;
	n = n < size - take ? n : size - take;
	memcpy(ps->carry + ps->carry_len, buf + take, n);
	ps->carry_len += n;
	return (ssize_t) (take + n);
}

static bool carry_whole(const struct pcap_stream *ps)
{
	ssize_t rec = record_size(ps, ps->carry, ps->carry_len);

	return rec > 0 && (size_t) rec == ps->carry_len;
}

/* Send the carried record, which is whole.  On failure, the bytes this
 * write added (@took) are given back: they come again. */
static int carry_send(struct pcap_stream *ps, size_t took, pcap_send_fn *send,
		      void *ctx)
{
	struct iovec frame = {ps->carry + PCAP_REC_HDR,
			      ps->carry_len - PCAP_REC_HDR};
	unsigned sent = 0;
	int err = send(ctx, &frame, 1, &sent);

	if (err) {
		ps->carry_len -= took;
		return err;
	}
	ps->carry_len = 0;
	ps->records++;
	return 0;
}

/*
 * Up to PCAP_BURST whole records of the @size bytes at @p as iovecs of
 * their frames; *@used gets their bytes, *@bad whether a bad record header
 * stopped the walk (at @p + *@used).
 */
static unsigned gather(const struct pcap_stream *ps, const uint8_t *p,
		       size_t size, struct iovec *iov, size_t *used, bool *bad)
{
	unsigned n = 0;
	size_t off = 0;

	*bad = false;
	while (n < PCAP_BURST) {
		ssize_t rec = record_size(ps, p + off, size - off);

		*bad = rec < 0;
		if (rec <= 0 || (size_t) rec > size - off)
			break;
		iov[n].iov_base = (void *) (p + off + PCAP_REC_HDR);
		iov[n++].iov_len = (size_t) rec - PCAP_REC_HDR;
		off += (size_t) rec;
	}
	*used = off;
	return n;
}

static size_t frames_bytes(const struct iovec *iov, unsigned n)
{
	size_t size = 0;

	for (unsigned i = 0; i < n; i++)
		size += PCAP_REC_HDR + iov[i].iov_len;
	return size;
}

/* The records of @buf from *@off on, sent in bursts; *@off moves past the
 * ones sent.  0 at a record not yet whole, or -EINVAL or @send's error. */
static int records_send(struct pcap_stream *ps, const char *buf, size_t size,
			size_t *off, pcap_send_fn *send, void *ctx)
{
	const uint8_t *p = (const uint8_t *) buf;
	struct iovec iov[PCAP_BURST];
	size_t used;
	bool bad;

	for (;;) {
		unsigned n =
			gather(ps, p + *off, size - *off, iov, &used, &bad);
		unsigned sent = 0;
		int err = n ? send(ctx, iov, n, &sent) : 0;

		*off += frames_bytes(iov, sent);
		ps->records += sent;
		if (err)
			return err;
		if (n == PCAP_BURST && !bad)
			continue;
		return bad ? record_refuse(ps, p + *off) : 0;
	}
}

int pcap_stream_write(struct pcap_stream *ps, const char *buf, size_t size,
		      pcap_send_fn *send, void *ctx)
{
	size_t off;
	ssize_t took;
	int err;

	if (ps->fault)
		return -EINVAL;
	took = header_fill(ps, buf, size);
	if (took < 0)
		return -EINVAL;
	off = (size_t) took;
	if (ps->carry_len) {
		/* Only a write after the file header's can carry a record. */
		took = carry_fill(ps, buf, size);
		if (took < 0)
			return -EINVAL;
		if (!carry_whole(ps))
			return (int) size; /* all of it went to the carry */
		err = carry_send(ps, (size_t) took, send, ctx);
		if (err)
			return err;
		off = (size_t) took;
	}
	err = records_send(ps, buf, size, &off, send, ctx);
	if (err)
		return off ? (int) off : err;
	/* The start of the next record waits for the next write. */
	memcpy(ps->carry, buf + off, size - off);
	ps->carry_len = size - off;
	return (int) size;
}

size_t pcap_stream_pending(const struct pcap_stream *ps)
{
	if (ps->hdr_len < PCAP_FILE_HDR)
		return ps->hdr_len;
	return ps->carry_len;
}

int pcap_fault_describe(const struct pcap_stream *ps, char *buf, size_t size)
{
	const uint32_t *v = ps->fault_value;
	uint64_t rec = ps->records + 1;

	switch (ps->fault) {
	case PCAP_FAULT_MAGIC:
		return snprintf(
			buf, size,
			"magic 0x%08" PRIx32
			" is no pcap file header: write a pcap file (pcapng: convert it with tcpdump -r IN -w OUT)",
			v[0]);
	case PCAP_FAULT_VERSION:
		return snprintf(buf, size,
				"pcap version %" PRIu32 ".%" PRIu32
				": write a pcap file of version 2.4",
				v[0], v[1]);
	case PCAP_FAULT_LINKTYPE:
		return snprintf(
			buf, size,
			"link type 0x%" PRIx32
			" is not Ethernet without FCS (1): write an Ethernet capture",
			v[0]);
	case PCAP_FAULT_LENGTH:
		return snprintf(
			buf, size,
			"record %" PRIu64 " is a frame of %" PRIu32
			" bytes: write frames of %d to %d bytes, without FCS",
			rec, v[1], PCAP_FRAME_MIN, PCAP_FRAME_MAX);
	case PCAP_FAULT_CUT:
		return snprintf(
			buf, size,
			"record %" PRIu64 " holds %" PRIu32
			" bytes of a %" PRIu32
			"-byte frame: write whole frames (capture with tcpdump -s 0)",
			rec, v[0], v[1]);
	case PCAP_FAULT_NONE:
		break;
	}
	return snprintf(buf, size, "no fault");
}
