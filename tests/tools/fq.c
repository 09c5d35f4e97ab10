// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fq - exercise a pcifs frame queue file (tx/rx) from a test guest.
 *
 * Shell tools cannot show what one read() returned, open with O_NONBLOCK or
 * call poll(); this tool does, and prints frames as hex lines (the format of
 * tests/tools/wire) so tests compare what crossed the wire byte for byte.
 *
 *   fq recv FILE [-n COUNT] [-b BUFSIZE] [-N] [-p TIMEOUT_MS]
 *	Read COUNT frames (default 1), one read() each, and print each as a
 *	hex line.  -b: read() buffer size (default 2048).  -N: open with
 *	O_NONBLOCK.  -p: poll() for POLLIN before each read; exit 3 when it
 *	times out.
 *   fq send FILE [-N]
 *	Write each hex line of stdin as one write(); stop at the first error.
 *   fq poll FILE TIMEOUT_MS
 *	Print the poll() events of FILE for reading ("in" or "none").
 *   fq epoll FILE [-e] [-o] STEP...
 *	Register FILE (opened O_NONBLOCK, for writing with -o) in an epoll
 *	set for EPOLLIN (EPOLLOUT with -o), edge-triggered with -e, then run
 *	the steps: "w:MS" epoll_wait up to MS ms, print "in", "out" or
 *	"none"; "r" one read(), print "frame" or "EAGAIN".  Each line is
 *	flushed as it is printed, so a test can follow the steps.
 *   fq xchg FILE
 *	PCIFS_IOC_XCHG (fs/pcifs_ioctl.h) on FILE, opened for writing: send
 *	the hex frame on stdin, print the frame received in return.
 *   fq split FILE AT
 *	Write the bytes of stdin (binary) to FILE, opened with O_NONBLOCK, in
 *	two write()s cut at byte AT.  When a write fails with EAGAIN, print
 *	"EAGAIN" (flushed), poll() for POLLOUT (up to 60 s) and write the same
 *	bytes again.  Prints each write's result ("wrote N" or the error),
 *	then "close: ok" or the close() error.
 *   fq pcap FILE [-n COUNT] [-N] [-o OUT] [-w GO]
 *	Read FILE as a pcap stream (a pcifs pcap file) until COUNT records
 *	came (default: no limit), and print each record's frame as a hex
 *	line.  The file header must be pcifs's: microseconds, version 2.4,
 *	snaplen 65535, Ethernet; records must be no longer than their
 *	frames.  -N: open with O_NONBLOCK; EAGAIN ends the stream, and
 *	"fq: pcap: EAGAIN after N records" goes to stderr.  -o: also copy
 *	the bytes read to OUT.  -w: once open, wait (up to 120 s) until GO
 *	exists before the first read: a slow reader.  EOF before COUNT
 *	records is an error (exit 1).
 *
 * Errors print "fq: <what>: <strerror> (<errno name>)" and exit 1, or 11
 * for EAGAIN, so tests can assert the errno.
 *
 * Build: cc -O2 -static -I. -o tests/tools/fq tests/tools/fq.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fs/pcifs_ioctl.h"

#define FRAME_MAX 65536
#define PCAP_MAX  (16 << 20) /* the most fq pcap keeps of a stream */

static int fail(const char *what)
{
	int err = errno;

	fprintf(stderr, "fq: %s: %s (%s)\n", what, strerror(err),
		strerrorname_np(err) ? strerrorname_np(err) : "?");
	return err == EAGAIN ? 11 : 1;
}

static void print_hex(const unsigned char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		printf("%02x", buf[i]);
	putchar('\n');
}

/* Parse one hex line into @buf, skipping blanks; returns length or -1. */
static ssize_t parse_hex(const char *line, unsigned char *buf, size_t size)
{
	size_t len = 0;
	unsigned byte;

	while (*line) {
		if (*line == ' ' || *line == '\t' || *line == '\n') {
			line++;
			continue;
		}
		if (len == size || sscanf(line, "%2x", &byte) != 1)
			return -1;
		buf[len++] = (unsigned char) byte;
		line += 2;
	}
	return (ssize_t) len;
}

static int wait_in(int fd, int timeout_ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int n = poll(&pfd, 1, timeout_ms);

	if (n < 0)
		return fail("poll");
	if (n == 0) {
		fprintf(stderr, "fq: poll: timed out after %d ms\n",
			timeout_ms);
		return 3;
	}
	return 0;
}

static int cmd_recv(const char *file, int argc, char **argv)
{
	long count = 1, bufsize = 2048, timeout_ms = -1;
	int flags = O_RDONLY, opt, fd;
	static unsigned char buf[FRAME_MAX];

	while ((opt = getopt(argc, argv, "n:b:Np:")) != -1) {
		if (opt == 'n')
			count = atol(optarg);
		else if (opt == 'b')
			bufsize = atol(optarg);
		else if (opt == 'N')
			flags |= O_NONBLOCK;
		else if (opt == 'p')
			timeout_ms = atol(optarg);
		else
			return 2;
	}
	if (bufsize <= 0 || bufsize > FRAME_MAX)
		return 2;
	fd = open(file, flags);
	if (fd < 0)
		return fail(file);
	for (long i = 0; i < count; i++) {
		ssize_t got;
		int err = timeout_ms >= 0 ? wait_in(fd, (int) timeout_ms) : 0;

		if (err)
			return err;
		got = read(fd, buf, (size_t) bufsize);
		if (got < 0)
			return fail("read");
		print_hex(buf, (size_t) got);
		fflush(stdout);
	}
	close(fd);
	return 0;
}

static int cmd_send(const char *file, int argc, char **argv)
{
	static unsigned char frame[FRAME_MAX];
	char line[2 * FRAME_MAX + 16];
	int flags = O_WRONLY;
	int fd;

	if (argc > 1 && strcmp(argv[1], "-N") == 0)
		flags |= O_NONBLOCK;
	fd = open(file, flags);
	if (fd < 0)
		return fail(file);
	while (fgets(line, sizeof(line), stdin)) {
		ssize_t len = parse_hex(line, frame, sizeof(frame));

		if (len < 0) {
			fprintf(stderr, "fq: bad hex line\n");
			return 2;
		}
		if (len == 0 && (line[0] == '\n' || line[0] == '#'))
			continue;
		if (write(fd, frame, (size_t) len) != len)
			return fail("write");
	}
	return close(fd) < 0 ? fail("close") : 0;
}

static int cmd_poll(const char *file, const char *timeout)
{
	struct pollfd pfd = {.events = POLLIN};
	int n;

	pfd.fd = open(file, O_RDONLY | O_NONBLOCK);
	if (pfd.fd < 0)
		return fail(file);
	n = poll(&pfd, 1, atoi(timeout));
	if (n < 0)
		return fail("poll");
	puts(n > 0 && (pfd.revents & POLLIN) ? "in" : "none");
	return 0;
}

/* One "w:MS" or "r" step of fq epoll. */
static int epoll_step(int ep, int fd, const char *step)
{
	static unsigned char buf[FRAME_MAX];
	struct epoll_event ev;

	if (strncmp(step, "w:", 2) == 0) {
		int n = epoll_wait(ep, &ev, 1, atoi(step + 2));
		if (n < 0)
			return fail("epoll_wait");
		puts(n == 0 ? "none" : (ev.events & EPOLLIN) ? "in" : "out");
	} else if (strcmp(step, "r") == 0) {
		if (read(fd, buf, sizeof(buf)) >= 0)
			puts("frame");
		else if (errno == EAGAIN)
			puts("EAGAIN");
		else
			return fail("read");
	} else {
		fprintf(stderr, "fq: epoll: step %s: want w:MS or r\n", step);
		return 2;
	}
	fflush(stdout);
	return 0;
}

static int cmd_epoll(const char *file, int argc, char **argv)
{
	struct epoll_event ev = {.events = EPOLLIN};
	int fd, ep, i = 0, err = 0, mode = O_RDONLY;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-e") == 0)
			ev.events |= EPOLLET;
		else if (strcmp(argv[i], "-o") == 0)
			mode = O_WRONLY;
	}
	if (mode == O_WRONLY)
		ev.events = (ev.events & EPOLLET) | EPOLLOUT;
	fd = open(file, mode | O_NONBLOCK);
	if (fd < 0)
		return fail(file);
	ep = epoll_create1(0);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0)
		return fail("epoll_ctl");
	for (; i < argc && !err; i++)
		err = epoll_step(ep, fd, argv[i]);
	return err;
}

static int cmd_xchg(const char *file)
{
	static struct pcifs_frame f;
	char line[2 * FRAME_MAX + 16];
	ssize_t len;
	int fd;

	if (!fgets(line, sizeof(line), stdin))
		return 2;
	len = parse_hex(line, f.data, sizeof(f.data));
	if (len < 0)
		return 2;
	f.len = (uint16_t) len;
	fd = open(file, O_WRONLY);
	if (fd < 0)
		return fail(file);
	if (ioctl(fd, PCIFS_IOC_XCHG, &f) < 0)
		return fail("ioctl");
	print_hex(f.data, f.len);
	if (f.flags & PCIFS_FRAME_TRUNCATED)
		fputs("fq: truncated\n", stderr);
	return close(fd) < 0 ? fail("close") : 0;
}

/* Write @len bytes, retrying after EAGAIN once FILE polls writable. */
static int split_write(int fd, const unsigned char *buf, size_t len)
{
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};

	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EAGAIN) {
			printf("EAGAIN\n");
			fflush(stdout);
			if (poll(&pfd, 1, 60000) <= 0)
				return fail("poll");
			continue;
		}
		if (n < 0)
			return fail("write");
		printf("wrote %zd\n", n);
		buf += n;
		len -= (size_t) n;
	}
	return 0;
}

static int cmd_split(const char *file, const char *at_arg)
{
	static unsigned char data[4 * FRAME_MAX];
	size_t len = fread(data, 1, sizeof(data), stdin);
	size_t at = (size_t) strtoul(at_arg, NULL, 0);
	int fd = open(file, O_WRONLY | O_NONBLOCK), err;

	if (fd < 0)
		return fail(file);
	if (at > len)
		at = len;
	err = split_write(fd, data, at);
	if (!err)
		err = split_write(fd, data + at, len - at);
	fflush(stdout);
	if (close(fd) < 0)
		return err ? err : fail("close");
	printf("close: ok\n");
	return err;
}

/* ---- fq pcap ---- */

struct pcap_opts {
	long count;
	int flags;
	const char *out, *go;
};

static int pcap_opts(int argc, char **argv, struct pcap_opts *o)
{
	int opt;

	*o = (struct pcap_opts){.count = -1, .flags = O_RDONLY};
	while ((opt = getopt(argc, argv, "n:No:w:")) != -1) {
		if (opt == 'n')
			o->count = atol(optarg);
		else if (opt == 'N')
			o->flags |= O_NONBLOCK;
		else if (opt == 'o')
			o->out = optarg;
		else if (opt == 'w')
			o->go = optarg;
		else
			return 2;
	}
	return 0;
}

static uint32_t u32_at(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* pcifs's file header: microseconds, 2.4, snaplen 65535, Ethernet. */
static int pcap_header_ok(const unsigned char *h)
{
	static const unsigned char version[4] = {2, 0, 4, 0};

	if (u32_at(h) != 0xa1b2c3d4 || memcmp(h + 4, version, 4) != 0 ||
	    u32_at(h + 16) != 65535 || u32_at(h + 20) != 1) {
		fprintf(stderr, "fq: pcap: bad file header\n");
		return 4;
	}
	return 0;
}

/* Print the whole records from *@off on; -1 on a bad one. */
static long pcap_records(const unsigned char *s, size_t len, size_t *off,
			 long want)
{
	long n = 0;

	while (*off + 16 <= len && (want < 0 || n < want)) {
		uint32_t caplen = u32_at(s + *off + 8);

		if (caplen > u32_at(s + *off + 12) || caplen > 65535) {
			fprintf(stderr, "fq: pcap: bad record at %zu\n", *off);
			return -1;
		}
		if (*off + 16 + caplen > len)
			break;
		print_hex(s + *off + 16, caplen);
		*off += 16 + caplen;
		n++;
	}
	fflush(stdout);
	return n;
}

static void wait_for(const char *path)
{
	for (int i = 0; i < 6000 && access(path, F_OK) != 0; i++)
		usleep(20000);
}

static int pcap_ready(int fd, const struct pcap_opts *o, FILE **out)
{
	if (fd < 0)
		return 1;
	if (o->go)
		wait_for(o->go);
	*out = o->out ? fopen(o->out, "wb") : NULL;
	return o->out && !*out ? 1 : 0;
}

/* The stream read so far, and where its next record starts. */
struct pcap_seen {
	size_t len, off;
	long records;
	unsigned char *s;
};

/* One read onto the end of @seen; 0 at EOF or EAGAIN, else bytes read. */
static ssize_t pcap_read_more(int fd, struct pcap_seen *seen, FILE *out)
{
	ssize_t got = read(fd, seen->s + seen->len, PCAP_MAX - seen->len);

	if (got < 0 && errno == EAGAIN) {
		fprintf(stderr, "fq: pcap: EAGAIN after %ld records\n",
			seen->records);
		return 0;
	}
	if (got > 0 && out)
		fwrite(seen->s + seen->len, 1, (size_t) got, out);
	if (got > 0)
		seen->len += (size_t) got;
	return got;
}

static int cmd_pcap(const char *file, int argc, char **argv)
{
	static unsigned char stream[PCAP_MAX];
	struct pcap_seen seen = {.off = 24, .s = stream};
	struct pcap_opts o;
	FILE *out = NULL;
	int fd, err = pcap_opts(argc, argv, &o);

	if (err)
		return err;
	fd = open(file, o.flags);
	if (pcap_ready(fd, &o, &out))
		return fail(file);
	while (o.count < 0 || seen.records < o.count) {
		ssize_t got = pcap_read_more(fd, &seen, out);
		long n;

		if (got < 0)
			return fail("read");
		if (got == 0 && !(o.flags & O_NONBLOCK)) {
			fprintf(stderr, "fq: pcap: EOF\n");
			return 1;
		}
		if (seen.len >= 24 && (err = pcap_header_ok(stream)))
			return err;
		n = pcap_records(stream, seen.len, &seen.off,
				 o.count < 0 ? -1 : o.count - seen.records);
		if (n < 0)
			return 4;
		seen.records += n;
		if (got == 0)
			break;
	}
	if (out)
		fclose(out);
	return close(fd) < 0 ? fail("close") : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "recv") == 0)
		return cmd_recv(argv[2], argc - 2, argv + 2);
	if (argc >= 3 && strcmp(argv[1], "send") == 0)
		return cmd_send(argv[2], argc - 2, argv + 2);
	if (argc == 4 && strcmp(argv[1], "poll") == 0)
		return cmd_poll(argv[2], argv[3]);
	if (argc >= 3 && strcmp(argv[1], "epoll") == 0)
		return cmd_epoll(argv[2], argc - 3, argv + 3);
	if (argc == 3 && strcmp(argv[1], "xchg") == 0)
		return cmd_xchg(argv[2]);
	if (argc == 4 && strcmp(argv[1], "split") == 0)
		return cmd_split(argv[2], argv[3]);
	if (argc >= 3 && strcmp(argv[1], "pcap") == 0)
		return cmd_pcap(argv[2], argc - 2, argv + 2);
	fprintf(stderr,
		"usage: fq recv FILE [-n COUNT] [-b BUFSIZE] [-N] "
		"[-p TIMEOUT_MS]\n"
		"       fq send FILE [-N]\n"
		"       fq poll FILE TIMEOUT_MS\n"
		"       fq epoll FILE [-e] [-o] w:MS|r...\n"
		"       fq xchg FILE\n"
		"       fq split FILE AT\n"
		"       fq pcap FILE [-n COUNT] [-N] [-o OUT] [-w GO]\n");
	return 2;
}
