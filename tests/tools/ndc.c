// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ndc - a test client of pcifs's -o netdev socket, in the place of a VM:
 * it speaks QEMU's stream netdev framing (a 4-byte big-endian length, then
 * the frame) and prints frames as hex lines (the format of tests/tools/wire).
 *
 *   ndc [-w MS] [-n COUNT] [-d MS] [-p MS] [-s MS] SOCKET [FRAME...]
 *	Connect, (after -d MS) send every FRAME in one write(), then print each frame
 *	received, until COUNT frames came (default: no limit) or none came
 *	for -w MS (default 3000).  FRAME is a hex frame, or @N: a length of
 *	N followed by N zero bytes (a bad length, to test how it is dropped).
 *	-p MS: after sending, hold the connection for MS without reading, then
 *	exit.  -s MS: after sending, stall MS without reading (a VM that
 *	stops for a moment), then read as above.  Prints "eof" when pcifs
 *	closes the connection.
 *
 * Errors print "ndc: <what>: <strerror>" and exit 1.
 *
 * Build: cc -O2 -static -o tests/tools/ndc tests/tools/ndc.c
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define FRAME_MAX 1514
#define HDR	  4

struct opts {
	const char *path;
	int wait_ms, count, delay_ms, pause_ms, stall_ms;
	char **frames;
	int nframes;
};

static int fail(const char *what)
{
	fprintf(stderr, "ndc: %s: %s\n", what, strerror(errno));
	return 1;
}

static void put_len(uint8_t *p, uint32_t len)
{
	p[0] = (uint8_t) (len >> 24);
	p[1] = (uint8_t) (len >> 16);
	p[2] = (uint8_t) (len >> 8);
	p[3] = (uint8_t) len;
}

/* One record of @arg at @out; its size, or 0 for bad hex. */
static size_t put_record(const char *arg, uint8_t *out)
{
	size_t len = 0;

	if (arg[0] == '@') {
		len = strtoul(arg + 1, NULL, 0);
		memset(out + HDR, 0, len);
	} else {
		for (; arg[0] && arg[1] && len < FRAME_MAX; arg += 2) {
			unsigned byte;

			if (sscanf(arg, "%2x", &byte) != 1)
				return 0;
			out[HDR + len++] = (uint8_t) byte;
		}
	}
	put_len(out, (uint32_t) len);
	return HDR + len;
}

static size_t record_room(const char *arg)
{
	return HDR + (arg[0] == '@' ? strtoul(arg + 1, NULL, 0) : strlen(arg));
}

static int send_frames(int fd, const struct opts *o)
{
	size_t room = 0, len = 0;
	uint8_t *buf;
	int err = 0;

	for (int i = 0; i < o->nframes; i++)
		room += record_room(o->frames[i]);
	buf = malloc(room + 1);
	if (!buf)
		return fail("malloc");
	for (int i = 0; i < o->nframes; i++)
		len += put_record(o->frames[i], buf + len);
	for (size_t off = 0; off < len && !err;) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0)
			err = fail("write");
		else
			off += (size_t) n;
	}
	free(buf);
	return err;
}

/* Exactly @len bytes, or -1 at EOF or after @wait_ms with none. */
static int read_full(int fd, uint8_t *buf, size_t len, int wait_ms)
{
	size_t got = 0;

	while (got < len) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&pfd, 1, wait_ms) <= 0)
			return -1;
		n = read(fd, buf + got, len - got);
		if (n <= 0) {
			printf("eof\n");
			return -1;
		}
		got += (size_t) n;
	}
	return 0;
}

static void print_frame(const uint8_t *frame, size_t len)
{
	for (size_t i = 0; i < len; i++)
		printf("%02x", frame[i]);
	printf("\n");
	fflush(stdout);
}

static int recv_frames(int fd, const struct opts *o)
{
	uint8_t hdr[HDR], frame[65536];

	for (int n = 0; o->count == 0 || n < o->count; n++) {
		uint32_t len;

		if (read_full(fd, hdr, HDR, o->wait_ms))
			return 0;
		len = (uint32_t) hdr[0] << 24 | (uint32_t) hdr[1] << 16 |
		      (uint32_t) hdr[2] << 8 | hdr[3];
		if (len > sizeof(frame)) {
			fprintf(stderr, "ndc: frame length %u\n", len);
			return 1;
		}
		if (read_full(fd, frame, len, o->wait_ms))
			return 0;
		print_frame(frame, len);
	}
	return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
	int c;

	o->wait_ms = 3000;
	while ((c = getopt(argc, argv, "+w:n:d:p:s:")) != -1) {
		if (c == 'w')
			o->wait_ms = atoi(optarg);
		else if (c == 'n')
			o->count = atoi(optarg);
		else if (c == 'd')
			o->delay_ms = atoi(optarg);
		else if (c == 'p')
			o->pause_ms = atoi(optarg);
		else if (c == 's')
			o->stall_ms = atoi(optarg);
		else
			return -1;
	}
	if (optind >= argc)
		return -1;
	o->path = argv[optind];
	o->frames = argv + optind + 1;
	o->nframes = argc - optind - 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct opts o = {0};
	int fd, err;

	if (parse(argc, argv, &o)) {
		fprintf(stderr,
			"usage: ndc [-w MS] [-n COUNT] [-d MS] [-p MS] [-s MS] SOCKET "
			"[FRAME...]\n");
		return 2;
	}
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", o.path);
	if (fd < 0 || connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0)
		return fail(o.path);
	usleep((useconds_t) o.delay_ms * 1000);
	err = send_frames(fd, &o);
	if (!err && o.pause_ms)
		usleep((useconds_t) o.pause_ms * 1000);
	else if (!err) {
		usleep((useconds_t) o.stall_ms * 1000);
		err = recv_frames(fd, &o);
	}
	close(fd);
	return err;
}
