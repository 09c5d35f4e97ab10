// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * badio.c - one syscall after another on a path, each answer printed, for
 * the bad-input suites (tests/core-badinput.bats, tests/e1000-badinput.bats).
 *
 *   badio open PATH FLAGS [STEP...]    open(2), each STEP on the fd, close(2)
 *   badio truncate PATH SIZE           truncate(2)
 *   badio mkdir|rmdir|unlink|mknod|readlink|utimes PATH
 *   badio rename|exchange|link FROM TO
 *   badio symlink TARGET PATH
 *   badio chmod PATH MODE              (octal)
 *   badio chown PATH UID
 *   badio setxattr PATH NAME VALUE
 *   badio tmpfile DIR                  open(O_TMPFILE)
 *
 * FLAGS: r, w or rw, then any of append, trunc, creat, excl, nonblock,
 * directory, nofollow, comma-separated ("w,append").
 *
 * STEP on the open descriptor (OFF "@N" makes it positional, pread/pwrite):
 *   w[@OFF]=TEXT        write TEXT; C escapes \n \t \r \\ \xHH
 *   f[@OFF]=N:HH[:TEXT] write N bytes of HH, then TEXT, as one write(2)
 *   r[@OFF]=N           read N bytes; prints up to 32 of them in hex
 *   t=SIZE              ftruncate(2)
 *   s=OFF               lseek(2) SEEK_SET
 *   d                   getdents64(2)
 *   x                   fallocate(2) of 4 bytes at 0
 *
 * Prints one line per syscall: "write 3", "open ok" or "write EINVAL
 * (Invalid argument)", so that a test can match the errno's name.  Exits 0
 * whatever the syscalls answer, 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "usage: badio open PATH FLAGS [STEP...] | badio OP "
			"PATH [ARG...]\n");
	return 2;
}

/* Calls whose non-negative answer is a count worth printing. */
static bool counts(const char *call)
{
	return !strcmp(call, "read") || !strcmp(call, "write") ||
	       !strcmp(call, "getdents") || !strcmp(call, "readlink") ||
	       !strcmp(call, "lseek");
}

/* "open ok", "write 3" or "write EINVAL (Invalid argument)". */
static void report(const char *call, long ret)
{
	if (ret < 0)
		printf("%s %s (%s)\n", call, strerrorname_np(errno),
		       strerror(errno));
	else if (counts(call))
		printf("%s %ld\n", call, ret);
	else
		printf("%s ok\n", call);
}

static int open_flags(const char *spec, int *flags)
{
	static const struct {
		const char *name;
		int flag;
	} names[] = {
		{"r", O_RDONLY},
		{"w", O_WRONLY},
		{"rw", O_RDWR},
		{"append", O_APPEND},
		{"trunc", O_TRUNC},
		{"creat", O_CREAT},
		{"excl", O_EXCL},
		{"nonblock", O_NONBLOCK},
		{"directory", O_DIRECTORY},
		{"nofollow", O_NOFOLLOW},
	};
	char copy[128], *save = NULL, *word;
	size_t i;

	snprintf(copy, sizeof(copy), "%s", spec);
	*flags = 0;
	for (word = strtok_r(copy, ",", &save); word;
	     word = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strcmp(word, names[i].name) == 0)
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return -1;
		*flags |= names[i].flag;
	}
	return 0;
}

/* TEXT with C escapes into @buf; returns its length. */
static size_t unescape(const char *text, char *buf)
{
	static const char from[] = "ntr", to[] = "\n\t\r";
	const char *esc;
	size_t n = 0;

	while (*text) {
		if (text[0] != '\\' || !text[1]) {
			buf[n++] = *text++;
		} else if (text[1] == 'x') {
			char hex[3] = {text[2], text[2] ? text[3] : 0, 0};

			buf[n++] = (char) strtoul(hex, NULL, 16);
			text += 2 + strlen(hex);
		} else if ((esc = strchr(from, text[1]))) {
			buf[n++] = to[esc - from];
			text += 2;
		} else {
			buf[n++] = text[1];
			text += 2;
		}
	}
	return n;
}

/* f=N:HH[:TEXT] into a new buffer of *@len bytes. */
static char *fill(const char *arg, size_t *len)
{
	char *end, *buf;
	size_t count = strtoul(arg, &end, 0);
	int byte;
	const char *tail;

	if (*end != ':')
		return NULL;
	byte = (int) strtol(end + 1, &end, 16);
	tail = *end == ':' ? end + 1 : "";
	buf = malloc(count + strlen(tail) + 1);
	if (!buf)
		return NULL;
	memset(buf, byte, count);
	*len = count + unescape(tail, buf + count);
	return buf;
}

static void step_write(int fd, const char *arg, bool fill_step, bool at,
		       off_t off)
{
	size_t len;
	char *buf;
	ssize_t ret;

	if (fill_step) {
		buf = fill(arg, &len);
	} else {
		buf = malloc(strlen(arg) + 1);
		len = buf ? unescape(arg, buf) : 0;
	}
	if (!buf) {
		printf("write: bad step\n");
		return;
	}
	ret = at ? pwrite(fd, buf, len, off) : write(fd, buf, len);
	report("write", ret);
	free(buf);
}

static void step_read(int fd, const char *arg, bool at, off_t off)
{
	size_t len = strtoul(arg, NULL, 0);
	char *buf = malloc(len ? len : 1);
	ssize_t ret;

	if (!buf) {
		printf("read: bad step\n");
		return;
	}
	ret = at ? pread(fd, buf, len, off) : read(fd, buf, len);
	if (ret <= 0) {
		report("read", ret);
	} else {
		printf("read %zd ", ret);
		for (size_t i = 0; i < (size_t) ret && i < 32; i++)
			printf("%02x", (unsigned char) buf[i]);
		printf("\n");
	}
	free(buf);
}

static void step_getdents(int fd)
{
	char buf[4096];

	report("getdents", syscall(SYS_getdents64, fd, buf, sizeof(buf)));
}

/* One STEP of "badio open": "w@8=0x1\n", "r=4", "t=0", ... */
static int step(int fd, const char *spec)
{
	const char *arg = strchr(spec, '=');
	bool at = spec[0] && spec[1] == '@';
	off_t off = at ? strtoll(spec + 2, NULL, 0) : 0;

	arg = arg ? arg + 1 : "";
	switch (spec[0]) {
	case 'w':
	case 'f':
		step_write(fd, arg, spec[0] == 'f', at, off);
		return 0;
	case 'r':
		step_read(fd, arg, at, off);
		return 0;
	case 't':
		report("ftruncate", ftruncate(fd, strtoll(arg, NULL, 0)));
		return 0;
	case 's':
		report("lseek", lseek(fd, strtoll(arg, NULL, 0), SEEK_SET));
		return 0;
	case 'd':
		step_getdents(fd);
		return 0;
	case 'x':
		report("fallocate", fallocate(fd, 0, 0, 4));
		return 0;
	default:
		return -1;
	}
}

static int do_open(int argc, char **argv)
{
	int flags, fd, i;

	if (argc < 4 || open_flags(argv[3], &flags))
		return usage();
	fd = open(argv[2], flags, 0644);
	report("open", fd);
	if (fd < 0)
		return 0;
	for (i = 4; i < argc; i++)
		if (step(fd, argv[i]))
			return usage();
	report("close", close(fd));
	return 0;
}

/* The path-level calls, one each. */
static int do_path(const char *op, int argc, char **argv)
{
	const char *a = argv[2], *b = argc > 3 ? argv[3] : "";

	if (!strcmp(op, "truncate"))
		report(op, truncate(a, strtoll(b, NULL, 0)));
	else if (!strcmp(op, "mkdir"))
		report(op, mkdir(a, 0755));
	else if (!strcmp(op, "rmdir"))
		report(op, rmdir(a));
	else if (!strcmp(op, "unlink"))
		report(op, unlink(a));
	else if (!strcmp(op, "mknod"))
		report(op, mknod(a, S_IFREG | 0644, 0));
	else if (!strcmp(op, "readlink")) {
		char buf[256];

		report(op, readlink(a, buf, sizeof(buf)));
	} else if (!strcmp(op, "utimes"))
		report(op, utimes(a, NULL));
	else if (!strcmp(op, "rename"))
		report(op, rename(a, b));
	else if (!strcmp(op, "exchange"))
		report(op,
		       renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE));
	else if (!strcmp(op, "link"))
		report(op, link(a, b));
	else if (!strcmp(op, "symlink"))
		report(op, symlink(a, b));
	else if (!strcmp(op, "chmod"))
		report(op, chmod(a, (mode_t) strtoul(b, NULL, 8)));
	else if (!strcmp(op, "chown"))
		report(op, chown(a, (uid_t) strtoul(b, NULL, 0), (gid_t) -1));
	else if (!strcmp(op, "setxattr") && argc > 4)
		report(op, setxattr(a, b, argv[4], strlen(argv[4]), 0));
	else if (!strcmp(op, "tmpfile"))
		report(op, open(a, O_TMPFILE | O_WRONLY, 0644));
	else
		return usage();
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3)
		return usage();
	if (!strcmp(argv[1], "open"))
		return do_open(argc, argv);
	return do_path(argv[1], argc, argv);
}
