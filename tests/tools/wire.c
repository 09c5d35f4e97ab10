// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wire - the host side of a test guest's NIC.
 *
 * QEMU's "-netdev dgram" (and "-netdev socket,udp=") carries one raw
 * Ethernet frame, without FCS, per UDP datagram.  The test harness
 * (tests/test_helper/vm.bash, vm_nic dgram) binds the guest end to
 * 127.0.0.1:GUESTPORT and sends to 127.0.0.1:HOSTPORT.  This tool is the
 * HOSTPORT end, and also reads the pcap files of "-object filter-dump".
 *
 * Frames are exchanged as text: one frame per line, lower-case hex, no
 * separators ("ffffffffffff5254..."). Input lines may contain blanks;
 * empty lines and lines starting with '#' are ignored.
 *
 *   wire recv HOSTPORT [-n COUNT] [-t IDLE_MS] [-T TOTAL_MS] [-o FILE]
 *                      [-R READYFILE] [-q]
 *	Print every frame received on 127.0.0.1:HOSTPORT.  Stops after COUNT
 *	frames, after IDLE_MS (default 5000) without a frame, or after
 *	TOTAL_MS.  READYFILE is created once the socket is bound, so a script
 *	can start the guest's sender only then.  -q prints only the summary
 *	"frames N bytes B" (on stdout; it always goes to stderr too).
 *	Exit 0 when COUNT frames arrived (or no COUNT was given), 2 if fewer.
 *   wire send GUESTPORT [-f FILE] [-c REPEAT] [-r FRAMES_PER_S]
 *	Send each frame of FILE (default stdin), REPEAT times (default 1),
 *	to 127.0.0.1:GUESTPORT, paced at FRAMES_PER_S when given.
 *   wire pcap FILE
 *	Print the frames of a pcap file (filter-dump) as hex lines; a
 *	truncated last record (file still being written) is ignored.
 *
 * Build: cc -O2 -Wall -Wextra -o tests/tools/wire tests/tools/wire.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FRAME_MAX    65536     /* a datagram; Ethernet frames are <= 1514 */
#define RCVBUF_BYTES (8 << 20) /* holds a burst of 1000 full frames */

static const char *progname = "wire";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s recv HOSTPORT [-n COUNT] [-t IDLE_MS] [-T TOTAL_MS] [-o FILE] [-R READYFILE] [-q]\n"
		"       %s send GUESTPORT [-f FILE] [-c REPEAT] [-r FRAMES_PER_S]\n"
		"       %s pcap FILE\n",
		progname, progname, progname);
	exit(1);
}

static long parse_num(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || *end || v < 0) {
		fprintf(stderr, "%s: bad number '%s'\n", progname, s);
		exit(1);
	}
	return v;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void put_hex(FILE *out, const unsigned char *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		putc(digits[p[i] >> 4], out);
		putc(digits[p[i] & 15], out);
	}
	putc('\n', out);
}

static int udp_socket(int bind_port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	int fd, size = RCVBUF_BYTES;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	/* FORCE works as root beyond rmem_max; fall back silently. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(bind_port);
	if (bind_port && bind(fd, (struct sockaddr *) &sa, sizeof(sa))) {
		fprintf(stderr, "%s: bind 127.0.0.1:%d: %s\n", progname,
			bind_port, strerror(errno));
		exit(1);
	}
	return fd;
}

struct recv_opts {
	long count; /* 0: unlimited */
	long idle_ms;
	long total_ms; /* 0: unlimited */
	const char *ready_file;
	int quiet;
};

/* Wait for the next datagram; 0 on timeout. */
static int wait_frame(int fd, const struct recv_opts *o, int64_t start)
{
	int64_t left = o->idle_ms;
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int r;

	if (o->total_ms && o->total_ms - (now_ms() - start) < left)
		left = o->total_ms - (now_ms() - start);
	if (left <= 0)
		return 0;
	do
		r = poll(&pfd, 1, (int) left);
	while (r < 0 && errno == EINTR);
	return r > 0;
}

static int cmd_recv(int port, const struct recv_opts *o, FILE *out)
{
	static unsigned char frame[FRAME_MAX];
	long frames = 0, bytes = 0;
	int64_t start = now_ms();
	int fd = udp_socket(port);

	if (o->ready_file) {
		int rfd =
			open(o->ready_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (rfd < 0) {
			perror(o->ready_file);
			return 1;
		}
		close(rfd);
	}
	while ((!o->count || frames < o->count) && wait_frame(fd, o, start)) {
		ssize_t n = recv(fd, frame, sizeof(frame), 0);

		if (n < 0) {
			if (errno == EINTR || errno == ECONNREFUSED)
				continue;
			perror("recv");
			return 1;
		}
		frames++;
		bytes += n;
		if (!o->quiet) {
			put_hex(out, frame, n);
			fflush(out);
		}
	}
	fprintf(stderr, "%s: frames %ld bytes %ld\n", progname, frames, bytes);
	if (o->quiet)
		fprintf(out, "frames %ld bytes %ld\n", frames, bytes);
	return o->count && frames < o->count ? 2 : 0;
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

/* Decode one text line into frame; -1 on junk, else the length (0: skip). */
static ssize_t parse_line(const char *line, unsigned char *frame, size_t lineno)
{
	size_t len = 0;
	int hi = -1, v;

	if (*line == '#')
		return 0;
	for (; *line; line++) {
		if (*line == ' ' || *line == '\t' || *line == '\n' ||
		    *line == '\r' || *line == ':')
			continue;
		v = hexval((unsigned char) *line);
		if (v < 0 || len >= FRAME_MAX)
			goto bad;
		if (hi < 0) {
			hi = v;
			continue;
		}
		frame[len++] = (unsigned char) (hi << 4 | v);
		hi = -1;
	}
	if (hi >= 0)
		goto bad;
	return (ssize_t) len;
bad:
	fprintf(stderr, "%s: line %zu: not a hex frame\n", progname, lineno);
	return -1;
}

struct frame_list {
	unsigned char **data;
	size_t *len;
	size_t n, cap;
};

static int read_frames(FILE *in, struct frame_list *fl)
{
	static unsigned char frame[FRAME_MAX];
	char *line = NULL;
	size_t cap = 0, lineno = 0;

	while (getline(&line, &cap, in) >= 0) {
		ssize_t n = parse_line(line, frame, ++lineno);

		if (n < 0)
			return -1;
		if (n == 0)
			continue;
		if (fl->n == fl->cap) {
			fl->cap = fl->cap ? fl->cap * 2 : 64;
			fl->data =
				realloc(fl->data, fl->cap * sizeof(*fl->data));
			fl->len = realloc(fl->len, fl->cap * sizeof(*fl->len));
			if (!fl->data || !fl->len)
				return -1;
		}
		fl->data[fl->n] = malloc(n);
		if (!fl->data[fl->n])
			return -1;
		memcpy(fl->data[fl->n], frame, n);
		fl->len[fl->n++] = n;
	}
	free(line);
	return 0;
}

/* Sleep until frame number i is due at rate pps (absolute schedule). */
static void pace(const struct timespec *start, long pps, long i)
{
	struct timespec due = *start;
	long long ns = (long long) i * 1000000000LL / pps;

	due.tv_sec += ns / 1000000000LL;
	due.tv_nsec += ns % 1000000000LL;
	if (due.tv_nsec >= 1000000000L) {
		due.tv_sec++;
		due.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) ==
	       EINTR)
		;
}

static int cmd_send(int port, FILE *in, long repeat, long pps)
{
	struct sockaddr_in to = {.sin_family = AF_INET};
	struct frame_list fl = {0};
	struct timespec start;
	long sent = 0, r;
	size_t i;
	int fd;

	if (read_frames(in, &fl))
		return 1;
	fd = udp_socket(0);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons(port);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (r = 0; r < repeat; r++) {
		for (i = 0; i < fl.n; i++) {
			if (pps)
				pace(&start, pps, sent);
			if (sendto(fd, fl.data[i], fl.len[i], 0,
				   (struct sockaddr *) &to, sizeof(to)) < 0) {
				if (errno == ECONNREFUSED) /* guest not up */
					continue;
				perror("sendto");
				return 1;
			}
			sent++;
		}
	}
	fprintf(stderr, "%s: sent %ld frames\n", progname, sent);
	return 0;
}

static uint32_t rd32(const unsigned char *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static int cmd_pcap(const char *path)
{
	static unsigned char rec[FRAME_MAX];
	unsigned char gh[24], rh[16];
	int swap;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return 1;
	}
	if (fread(gh, 1, sizeof(gh), f) != sizeof(gh)) {
		fclose(f); /* empty or header not written yet: no frames */
		return 0;
	}
	if (rd32(gh, 0) == 0xa1b2c3d4 || rd32(gh, 0) == 0xa1b23c4d) {
		swap = 0;
	} else if (rd32(gh, 1) == 0xa1b2c3d4 || rd32(gh, 1) == 0xa1b23c4d) {
		swap = 1;
	} else {
		fprintf(stderr, "%s: %s: not a pcap file\n", progname, path);
		fclose(f);
		return 1;
	}
	/* Record: ts_sec, ts_usec, incl_len, orig_len, then incl_len bytes. */
	while (fread(rh, 1, sizeof(rh), f) == sizeof(rh)) {
		uint32_t incl = rd32(rh + 8, swap);

		if (incl > sizeof(rec) || fread(rec, 1, incl, f) != incl)
			break;
		put_hex(stdout, rec, incl);
	}
	fclose(f);
	return 0;
}

static int main_recv(int argc, char **argv)
{
	struct recv_opts o = {.idle_ms = 5000};
	FILE *out = stdout;
	int c, port;

	if (argc < 2)
		usage();
	port = (int) parse_num(argv[1]);
	optind = 2;
	while ((c = getopt(argc, argv, "n:t:T:o:R:q")) != -1) {
		switch (c) {
		case 'n':
			o.count = parse_num(optarg);
			break;
		case 't':
			o.idle_ms = parse_num(optarg);
			break;
		case 'T':
			o.total_ms = parse_num(optarg);
			break;
		case 'R':
			o.ready_file = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'o':
			out = fopen(optarg, "w");
			if (!out) {
				perror(optarg);
				return 1;
			}
			break;
		default:
			usage();
		}
	}
	return cmd_recv(port, &o, out);
}

static int main_send(int argc, char **argv)
{
	long repeat = 1, pps = 0;
	FILE *in = stdin;
	int c, port;

	if (argc < 2)
		usage();
	port = (int) parse_num(argv[1]);
	optind = 2;
	while ((c = getopt(argc, argv, "f:c:r:")) != -1) {
		switch (c) {
		case 'c':
			repeat = parse_num(optarg);
			break;
		case 'r':
			pps = parse_num(optarg);
			break;
		case 'f':
			in = fopen(optarg, "r");
			if (!in) {
				perror(optarg);
				return 1;
			}
			break;
		default:
			usage();
		}
	}
	return cmd_send(port, in, repeat, pps);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "recv"))
		return main_recv(argc - 1, argv + 1);
	if (!strcmp(argv[1], "send"))
		return main_send(argc - 1, argv + 1);
	if (!strcmp(argv[1], "pcap") && argc == 3)
		return cmd_pcap(argv[2]);
	usage();
	return 1;
}
