// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * numf - numbered, checksummed frames for the load and fault suites.
 *
 * Every frame is a function of (SEED, STREAM, SEQ): the host and the guest
 * make the same bytes, so a frame seen anywhere can be checked against the
 * one that was meant.  Layout (offsets in bytes, integers big-endian):
 *
 *	0 dst MAC, 6 src MAC, 12 ethertype 0x88b5 (IEEE local experimental)
 *	14 "NUMF", 18 stream (16 bits), 20 seq (32 bits), 24 frame length
 *	26 .. len-4 pseudo-random bytes of (SEED, STREAM, SEQ)
 *	len-4 CRC-32 (IEEE 802.3) of bytes 0 .. len-4
 *
 * The length is picked from MIN..MAX by (SEED, STREAM, SEQ) too; MIN is at
 * least 60 so that no NIC pads a frame.
 *
 * A SPEC names frames: STREAM:FIRST:COUNT, the seqs FIRST .. FIRST+COUNT-1.
 * Common options: -x SEED (default 1), -d DSTMAC, -S SRCMAC (12 hex digits),
 * -l MIN:MAX (default 60:1514).
 *
 *   numf gen [OPTS] SPEC...
 *	Print the frames as hex lines (the format of tests/tools/wire).
 *   numf tx FILE [OPTS] SPEC...
 *	Write each frame with one write() to FILE (a pcifs tx file).
 *   numf txbatch FILE [-r RECORDS] [-c CHUNK] [OPTS] SPEC...
 *	Write the frames as txbatch records (4-byte big-endian length, frame),
 *	RECORDS records (default 8) per buffer, each buffer in write()s of at
 *	most CHUNK bytes (default: the whole buffer), so records are cut.
 *   numf rx FILE -s STOPFILE [-B] [-o OUT]
 *	Read FILE (rx, or with -B rxbatch records) opened O_NONBLOCK,
 *	waiting in poll() up to 200 ms at a time, and print every frame as a
 *	hex line.  Stops once STOPFILE exists and a read finds nothing.
 *	Where poll() says ready but the read finds nothing (another reader
 *	was first, or a 9p mount, which cannot poll), it sleeps 10 ms.
 *   numf check [OPTS] SPEC... < HEXLINES
 *	Account for every frame of HEXLINES against SPEC: prints
 *	"frames N ok N missing N duplicate N corrupt N unexpected N" and
 *	exits 0 only if every SPEC frame was seen exactly once, intact, and
 *	nothing else was seen.  Each problem is named on stderr.
 *
 * tx, txbatch and rx print "numf: <what>: <strerror> (<errno name>)" on an
 * error and exit 1; at the end they print "numf: FILE: N frames" on stderr.
 *
 * Build: cc -O2 -static -o tests/tools/numf tests/tools/numf.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FRAME_MIN  60
#define FRAME_MAX  1514
#define HDR_LEN	   26 /* Ethernet header, magic, stream, seq, length */
#define RECORD_HDR 4
#define MAX_SPECS  64
#define LINE_MAX_  (2 * 65536 + 16)

struct spec {
	unsigned stream;
	uint32_t first, count;
};

struct opts {
	uint64_t seed;
	uint8_t dst[6], src[6];
	unsigned min, max;
	struct spec spec[MAX_SPECS];
	unsigned nspec;
};

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "numf: %s: %s (%s)\n", what, strerror(err),
		strerrorname_np(err) ? strerrorname_np(err) : "?");
	return 1;
}

static uint32_t crc32_ieee(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

/* splitmix64: one well-mixed number per state step. */
static uint64_t mix(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ z >> 27) * 0x94d049bb133111ebull;
	return z ^ z >> 31;
}

static void put_be(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t) v;
}

static uint64_t get_be(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return v;
}

/* The frame (STREAM, SEQ) into @f; returns its length. */
static size_t make_frame(const struct opts *o, unsigned stream, uint32_t seq,
			 uint8_t *f)
{
	uint64_t state = o->seed ^ (uint64_t) stream << 32 ^ seq;
	size_t len = o->min + mix(&state) % (o->max - o->min + 1), i;
	uint32_t crc;

	memcpy(f, o->dst, 6);
	memcpy(f + 6, o->src, 6);
	put_be(f + 12, 0x88b5, 2);
	memcpy(f + 14, "NUMF", 4);
	put_be(f + 18, stream, 2);
	put_be(f + 20, seq, 4);
	put_be(f + 24, len, 2);
	for (i = HDR_LEN; i < len - 4; i++)
		f[i] = (uint8_t) (mix(&state) >> 24);
	crc = crc32_ieee(f, len - 4);
	put_be(f + len - 4, crc, 4);
	return len;
}

static void print_hex(FILE *out, const uint8_t *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		putc(digits[p[i] >> 4], out);
		putc(digits[p[i] & 15], out);
	}
	putc('\n', out);
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode hex (blanks skipped) into @buf; -1 if not hex or too long. */
static ssize_t parse_hex(const char *s, uint8_t *buf, size_t size)
{
	size_t len = 0;
	int hi = -1;

	for (; *s; s++) {
		int v = hexval((unsigned char) *s);

		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
			continue;
		if (v < 0 || len == size)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		buf[len++] = (uint8_t) (hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (ssize_t) len : -1;
}

static int parse_mac(const char *s, uint8_t *mac)
{
	return strlen(s) == 12 && parse_hex(s, mac, 6) == 6 ? 0 : -1;
}

static int parse_spec(const char *s, struct spec *sp)
{
	char *end;
	unsigned long v[3];

	for (int i = 0; i < 3; i++) {
		errno = 0;
		v[i] = strtoul(s, &end, 0);
		if (errno || end == s || *end != (i < 2 ? ':' : '\0'))
			return -1;
		s = end + 1;
	}
	if (v[0] > 0xffff || v[1] > UINT32_MAX || v[2] > UINT32_MAX - v[1])
		return -1;
	sp->stream = (unsigned) v[0];
	sp->first = (uint32_t) v[1];
	sp->count = (uint32_t) v[2];
	return 0;
}

static int usage(void)
{
	fputs("usage: numf gen [OPTS] SPEC...\n"
	      "       numf tx FILE [OPTS] SPEC...\n"
	      "       numf txbatch FILE [-r RECORDS] [-c CHUNK] [OPTS] SPEC...\n"
	      "       numf rx FILE -s STOPFILE [-B] [-o OUT]\n"
	      "       numf check [OPTS] SPEC... < HEXLINES\n"
	      "OPTS: -x SEED -d DSTMAC -S SRCMAC -l MIN:MAX; "
	      "SPEC: STREAM:FIRST:COUNT\n",
	      stderr);
	return 2;
}

/*
 * Parse the common options and SPECs; @extra lists the subcommand's own
 * options with an argument, handed to @take.  Returns 0 or 2 (usage).
 */
static int parse_opts(int argc, char **argv, struct opts *o, const char *extra,
		      int (*take)(int opt, const char *arg, void *ctx),
		      void *ctx)
{
	char optstring[32];
	int c;

	*o = (struct opts){.seed = 1, .min = FRAME_MIN, .max = FRAME_MAX};
	memcpy(o->dst, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(o->src, "\x02\x00\x00\x00\x00\x02", 6);
	snprintf(optstring, sizeof(optstring), "+x:d:S:l:%s", extra);
	while ((c = getopt(argc, argv, optstring)) != -1) {
		if (c == 'x')
			o->seed = strtoull(optarg, NULL, 0);
		else if (c == 'd' && !parse_mac(optarg, o->dst))
			continue;
		else if (c == 'S' && !parse_mac(optarg, o->src))
			continue;
		else if (c == 'l') {
			if (sscanf(optarg, "%u:%u", &o->min, &o->max) != 2 ||
			    o->min < FRAME_MIN || o->max > FRAME_MAX ||
			    o->min > o->max)
				return usage();
		} else if (c == '?' || !take || take(c, optarg, ctx))
			return usage();
	}
	for (; optind < argc; optind++) {
		if (o->nspec == MAX_SPECS ||
		    parse_spec(argv[optind], &o->spec[o->nspec++]))
			return usage();
	}
	return o->nspec ? 0 : usage();
}

static int cmd_gen(int argc, char **argv)
{
	static uint8_t f[FRAME_MAX];
	struct opts o;
	int err = parse_opts(argc, argv, &o, "", NULL, NULL);

	if (err)
		return err;
	for (unsigned s = 0; s < o.nspec; s++)
		for (uint32_t i = 0; i < o.spec[s].count; i++)
			print_hex(stdout, f,
				  make_frame(&o, o.spec[s].stream,
					     o.spec[s].first + i, f));
	return fflush(stdout) ? fail("stdout") : 0;
}

static int cmd_tx(const char *file, int argc, char **argv)
{
	static uint8_t f[FRAME_MAX];
	unsigned long sent = 0;
	struct opts o;
	int err = parse_opts(argc, argv, &o, "", NULL, NULL), fd;

	if (err)
		return err;
	fd = open(file, O_WRONLY);
	if (fd < 0)
		return fail(file);
	for (unsigned s = 0; s < o.nspec && !err; s++) {
		for (uint32_t i = 0; i < o.spec[s].count; i++) {
			size_t len = make_frame(&o, o.spec[s].stream,
						o.spec[s].first + i, f);
			ssize_t n = write(fd, f, len);

			if (n != (ssize_t) len) {
				err = n < 0 ? fail("write") : 1;
				break;
			}
			sent++;
		}
	}
	fprintf(stderr, "numf: %s: %lu frames\n", file, sent);
	if (close(fd) < 0 && !err)
		err = fail("close");
	return err;
}

struct batch_opts {
	long records, chunk;
};

static int take_batch(int opt, const char *arg, void *ctx)
{
	struct batch_opts *b = ctx;
	long v = atol(arg);

	if (v <= 0)
		return -1;
	if (opt == 'r')
		b->records = v;
	else if (opt == 'c')
		b->chunk = v;
	else
		return -1;
	return 0;
}

/* Write all of @buf in write()s of at most @chunk bytes. */
static int write_chunks(int fd, const uint8_t *buf, size_t len, size_t chunk)
{
	while (len) {
		ssize_t n = write(fd, buf, len < chunk ? len : chunk);

		if (n <= 0)
			return n < 0 ? fail("write") : 1;
		buf += n;
		len -= (size_t) n;
	}
	return 0;
}

static int cmd_txbatch(const char *file, int argc, char **argv)
{
	struct batch_opts b = {.records = 8, .chunk = 0};
	unsigned long sent = 0, queued = 0;
	uint8_t *buf;
	size_t used = 0, chunk;
	struct opts o;
	int err = parse_opts(argc, argv, &o, "r:c:", take_batch, &b), fd;

	if (err)
		return err;
	buf = malloc((size_t) b.records * (RECORD_HDR + FRAME_MAX));
	if (!buf)
		return fail("malloc");
	chunk = b.chunk ? (size_t) b.chunk : SIZE_MAX;
	fd = open(file, O_WRONLY);
	if (fd < 0) {
		free(buf);
		return fail(file);
	}
	for (unsigned s = 0; s < o.nspec && !err; s++) {
		for (uint32_t i = 0; i < o.spec[s].count && !err; i++) {
			size_t len = make_frame(&o, o.spec[s].stream,
						o.spec[s].first + i,
						buf + used + RECORD_HDR);

			put_be(buf + used, len, RECORD_HDR);
			used += RECORD_HDR + len;
			if (++queued % (unsigned long) b.records)
				continue;
			err = write_chunks(fd, buf, used, chunk);
			sent += err ? 0 : (unsigned long) b.records;
			used = 0;
		}
	}
	if (!err && used) {
		err = write_chunks(fd, buf, used, chunk);
		sent += err ? 0 : queued % (unsigned long) b.records;
	}
	fprintf(stderr, "numf: %s: %lu frames\n", file, sent);
	if (close(fd) < 0 && !err)
		err = fail("close");
	free(buf);
	return err;
}

/* Print the frames of one rx or rxbatch read; -1 on a bad record. */
static int print_read(FILE *out, const uint8_t *buf, size_t len, int batch,
		      unsigned long *frames)
{
	size_t off = 0;

	if (!batch) {
		print_hex(out, buf, len);
		++*frames;
		return 0;
	}
	while (off < len) {
		if (len - off < RECORD_HDR)
			return -1;
		size_t n = (size_t) get_be(buf + off, RECORD_HDR);

		if (n > len - off - RECORD_HDR)
			return -1;
		print_hex(out, buf + off + RECORD_HDR, n);
		++*frames;
		off += RECORD_HDR + n;
	}
	return 0;
}

static int cmd_rx(const char *file, int argc, char **argv)
{
	static uint8_t buf[65536];
	const char *stop = NULL;
	unsigned long frames = 0;
	size_t size = 2048;
	int batch = 0, c, fd, err = 0;
	FILE *out = stdout;

	while ((c = getopt(argc, argv, "s:Bo:")) != -1) {
		if (c == 's') {
			stop = optarg;
		} else if (c == 'B') {
			batch = 1;
			size = 16384;
		} else if (c == 'o') {
			out = fopen(optarg, "w");
			if (!out)
				return fail(optarg);
		} else {
			return usage();
		}
	}
	if (!stop)
		return usage();
	fd = open(file, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return fail(file);
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t n;

		/* poll() only shortens the wait: a read follows anyway. */
		int ready = poll(&pfd, 1, 200);

		if (ready < 0 && errno != EINTR) {
			err = fail("poll");
			break;
		}
		n = read(fd, buf, size);
		if (n < 0 && errno == EAGAIN) {
			if (access(stop, F_OK) == 0)
				break;
			/* Another reader took the frame, or the file cannot
			 * poll (a 9p mount says always ready): don't spin. */
			if (ready > 0)
				usleep(10000);
			continue;
		}
		if (n < 0) {
			err = fail("read");
			break;
		}
		if (print_read(out, buf, (size_t) n, batch, &frames)) {
			fprintf(stderr, "numf: %s: bad rxbatch record\n", file);
			err = 1;
			break;
		}
	}
	fprintf(stderr, "numf: %s: %lu frames\n", file, frames);
	if (fclose(out) && !err)
		err = fail("output");
	close(fd);
	return err;
}

struct tally {
	unsigned long frames, ok, missing, duplicate, corrupt, unexpected;
};

/* Index of (stream, seq) in the seen map, or -1 if SPEC has no such frame. */
static long spec_index(const struct opts *o, unsigned stream, uint32_t seq)
{
	long base = 0;

	for (unsigned s = 0; s < o->nspec; s++) {
		const struct spec *sp = &o->spec[s];

		if (sp->stream == stream && seq >= sp->first &&
		    seq - sp->first < sp->count)
			return base + (long) (seq - sp->first);
		base += sp->count;
	}
	return -1;
}

static void check_frame(const struct opts *o, const uint8_t *f, size_t len,
			unsigned char *seen, struct tally *t)
{
	static uint8_t want[FRAME_MAX];
	unsigned stream;
	uint32_t seq;
	long idx;

	t->frames++;
	if (len < HDR_LEN + 4 || memcmp(f + 14, "NUMF", 4)) {
		fprintf(stderr,
			"numf: frame %lu: not a numf frame (%zu bytes)\n",
			t->frames, len);
		t->unexpected++;
		return;
	}
	stream = (unsigned) get_be(f + 18, 2);
	seq = (uint32_t) get_be(f + 20, 4);
	idx = spec_index(o, stream, seq);
	if (idx < 0) {
		fprintf(stderr, "numf: frame %lu: %u:%u is not expected\n",
			t->frames, stream, seq);
		t->unexpected++;
		return;
	}
	if (make_frame(o, stream, seq, want) != len || memcmp(want, f, len)) {
		fprintf(stderr,
			"numf: frame %lu: %u:%u corrupt (%zu bytes%s)\n",
			t->frames, stream, seq, len,
			crc32_ieee(f, len - 4) == get_be(f + len - 4, 4)
				? ", CRC matches"
				: ", bad CRC");
		t->corrupt++;
		return;
	}
	if (seen[idx]++) {
		fprintf(stderr, "numf: frame %lu: %u:%u seen again\n",
			t->frames, stream, seq);
		t->duplicate++;
		return;
	}
	t->ok++;
}

static int cmd_check(int argc, char **argv)
{
	static uint8_t f[65536];
	static char line[LINE_MAX_];
	struct tally t = {0};
	unsigned long total = 0, shown = 0;
	unsigned char *seen;
	struct opts o;
	int err = parse_opts(argc, argv, &o, "", NULL, NULL);

	if (err)
		return err;
	for (unsigned s = 0; s < o.nspec; s++)
		total += o.spec[s].count;
	seen = calloc(total ? total : 1, 1);
	if (!seen)
		return fail("calloc");
	while (fgets(line, sizeof(line), stdin)) {
		ssize_t len = parse_hex(line, f, sizeof(f));

		if (len == 0)
			continue;
		if (len < 0) {
			t.frames++;
			t.unexpected++;
			fprintf(stderr, "numf: line is not hex\n");
			continue;
		}
		check_frame(&o, f, (size_t) len, seen, &t);
	}
	for (unsigned s = 0, i = 0; s < o.nspec; s++) {
		for (uint32_t k = 0; k < o.spec[s].count; k++, i++) {
			if (seen[i])
				continue;
			if (shown++ < 20)
				fprintf(stderr, "numf: %u:%u missing\n",
					o.spec[s].stream, o.spec[s].first + k);
			t.missing++;
		}
	}
	free(seen);
	printf("frames %lu ok %lu missing %lu duplicate %lu corrupt %lu unexpected %lu\n",
	       t.frames, t.ok, t.missing, t.duplicate, t.corrupt, t.unexpected);
	return t.ok == total && t.frames == total ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "gen"))
		return cmd_gen(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "check"))
		return cmd_check(argc - 1, argv + 1);
	if (argc >= 3 && !strcmp(argv[1], "tx"))
		return cmd_tx(argv[2], argc - 2, argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "txbatch"))
		return cmd_txbatch(argv[2], argc - 2, argv + 2);
	if (argc >= 3 && !strcmp(argv[1], "rx"))
		return cmd_rx(argv[2], argc - 2, argv + 2);
	return usage();
}
