// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 9p-io.c - one open() and one pread()/pwrite() per call, for the 9p tests.
 *
 * busybox has no tool that reads or writes exactly N bytes at offset M in a
 * single system call, nor one that opens with O_NONBLOCK, and its error
 * messages are strerror() text.  This one prints errno names instead:
 *
 *   9p-io read FILE SIZE [OFF]     one pread (one read without OFF);
 *                                  prints the bytes as hex
 *   9p-io readnb FILE SIZE [OFF]   the same, opened O_NONBLOCK
 *   9p-io reads FILE SIZE COUNT    COUNT read()s on one open file; prints
 *                                  each result's length on its own line
 *   9p-io write FILE HEX [OFF]     one pwrite of the bytes HEX (one
 *                                  write without OFF)
 *   9p-io text FILE TEXT           one write() of TEXT
 *   9p-io poll FILE MS             poll() for POLLIN for MS milliseconds on
 *                                  FILE opened O_NONBLOCK; prints "ready"
 *                                  or "timeout"
 *
 * A failing call prints "open: EBUSY" (or "read: ...", "write: ...") on
 * stderr and exits 1.  Built static so it runs in the busybox guest.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned char buf[65536];

static int fail(const char *what)
{
	const char *name = strerrorname_np(errno);

	fprintf(stderr, "%s: %s\n", what, name ? name : "unknown errno");
	return 1;
}

static size_t arg_size(const char *text)
{
	size_t size = strtoul(text, NULL, 0);

	return size > sizeof(buf) ? sizeof(buf) : size;
}

static int do_read(const char *path, size_t size, off_t off, int flags)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | flags);

	if (fd < 0)
		return fail("open");
	n = off < 0 ? read(fd, buf, size) : pread(fd, buf, size, off);
	if (n < 0)
		return fail("read");
	for (ssize_t i = 0; i < n; i++)
		printf("%02x", buf[i]);
	printf("\n");
	return 0;
}

static int do_reads(const char *path, size_t size, long count)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return fail("open");
	for (long i = 0; i < count; i++) {
		ssize_t n = read(fd, buf, size);

		if (n < 0)
			return fail("read");
		printf("%zd\n", n);
		fflush(stdout);
	}
	return 0;
}

static int do_write(const char *path, size_t len, off_t off)
{
	ssize_t n;
	int fd = open(path, O_WRONLY);

	if (fd < 0)
		return fail("open");
	n = off < 0 ? write(fd, buf, len) : pwrite(fd, buf, len, off);
	if (n < 0)
		return fail("write");
	printf("%zd\n", n);
	return 0;
}

static int do_poll(const char *path, int ms)
{
	struct pollfd pfd = {.events = POLLIN};
	int n;

	pfd.fd = open(path, O_RDONLY | O_NONBLOCK);
	if (pfd.fd < 0)
		return fail("open");
	n = poll(&pfd, 1, ms);
	if (n < 0)
		return fail("poll");
	printf("%s\n", n ? "ready" : "timeout");
	return 0;
}

static size_t parse_hex(const char *hex)
{
	size_t i;

	for (i = 0; i < sizeof(buf) && hex[2 * i] && hex[2 * i + 1]; i++)
		sscanf(hex + 2 * i, "%2hhx", &buf[i]);
	return i;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	off_t off = argc > 4 ? strtoll(argv[4], NULL, 0) : -1;

	if (argc < 4) {
		fprintf(stderr,
			"usage: 9p-io read|readnb FILE SIZE [OFF]\n"
			"       9p-io reads FILE SIZE COUNT\n"
			"       9p-io write FILE HEX [OFF] | text FILE TEXT\n"
			"       9p-io poll FILE MS\n");
		return 2;
	}
	if (!strcmp(cmd, "read") || !strcmp(cmd, "readnb"))
		return do_read(argv[2], arg_size(argv[3]), off,
			       cmd[4] ? O_NONBLOCK : 0);
	if (!strcmp(cmd, "reads"))
		return do_reads(argv[2], arg_size(argv[3]),
				argc > 4 ? strtol(argv[4], NULL, 0) : 1);
	if (!strcmp(cmd, "poll"))
		return do_poll(argv[2], atoi(argv[3]));
	if (!strcmp(cmd, "write"))
		return do_write(argv[2], parse_hex(argv[3]), off);
	if (!strcmp(cmd, "text")) {
		size_t len = strlen(argv[3]);

		if (len > sizeof(buf))
			len = sizeof(buf);
		memcpy(buf, argv[3], len);
		return do_write(argv[2], len, -1);
	}
	fprintf(stderr, "9p-io: unknown command %s\n", cmd);
	return 2;
}
