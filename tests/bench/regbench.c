// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-regs - register access rates.
 *
 *   bench-regs pread FILE OFFSET SIZE COUNT   COUNT pread()s of SIZE bytes
 *                                             at OFFSET on one open fd
 *   bench-regs mmap RESOURCE OFFSET COUNT     COUNT 32-bit volatile loads
 *                                             at OFFSET of an mmap of a
 *                                             sysfs resourceN (the limit)
 *   bench-regs spawn COUNT CMD [ARG...]       COUNT fork+exec+wait of CMD,
 *                                             stdout to /dev/null
 *   bench-regs pingpong process|thread COUNT  COUNT one-byte request/reply
 *                                             round trips over two pipes
 *                                             with a second process (or a
 *                                             thread of this one)
 *   bench-regs pingrtt COUNT INTERVAL_MS      COUNT such round trips with a
 *                                             process, one per INTERVAL_MS,
 *                                             each printed: "SEQ RTT_US"
 *   bench-regs readrtt FILE COUNT INTERVAL_MS COUNT non-blocking reads of
 *                                             FILE (rx of a silent NIC: one
 *                                             FUSE request, EAGAIN), one per
 *                                             INTERVAL_MS, printed likewise
 *
 * pingpong is the floor under every FUSE call: a request to another
 * process and its reply, with nothing done in between.  On one CPU each
 * round trip is two switches between address spaces (process) or two
 * switches that keep the address space (thread); the difference is what
 * the address-space switch costs on this machine.
 *
 * Prints one line: ops=N seconds=S ops_per_s=R ns_per_op=T last=VALUE
 * (last: what the last access returned, so a wrong path shows).
 */
#define _GNU_SOURCE
#include "netio.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(long ops, uint64_t ns, const char *last)
{
	double secs = (double) ns / 1e9;

	printf("ops=%ld seconds=%.6f ops_per_s=%.0f ns_per_op=%.0f last=%s\n",
	       ops, secs, (double) ops / secs, (double) ns / (double) ops,
	       last);
}

static int bench_pread(const char *file, off_t off, size_t size, long count)
{
	char buf[64] = "", last[80];
	uint64_t t0;
	ssize_t n = 0;
	int fd = open(file, O_RDONLY);

	if (fd < 0 || size > sizeof(buf) - 1) {
		fprintf(stderr, "bench-regs: %s: %s\n", file, strerror(errno));
		return 1;
	}
	t0 = now_ns();
	for (long i = 0; i < count; i++) {
		n = pread(fd, buf, size, off);
		if (n < 0) {
			fprintf(stderr, "bench-regs: pread %s: %s\n", file,
				strerror(errno));
			close(fd);
			return 1;
		}
	}
	t0 = now_ns() - t0;
	close(fd);
	if (n == 4) /* binary BAR read */
		snprintf(last, sizeof(last), "0x%08x", *(uint32_t *) buf);
	else
		snprintf(last, sizeof(last), "%.*s", (int) strcspn(buf, "\n"),
			 buf);
	report(count, t0, last);
	return 0;
}

static int bench_mmap(const char *file, off_t off, long count)
{
	volatile uint32_t *reg;
	uint32_t v = 0;
	char last[16];
	uint64_t t0;
	void *map;
	int fd = open(file, O_RDWR | O_SYNC);

	if (fd < 0) {
		fprintf(stderr, "bench-regs: %s: %s\n", file, strerror(errno));
		return 1;
	}
	map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   off & ~4095L);
	close(fd);
	if (map == MAP_FAILED) {
		fprintf(stderr, "bench-regs: mmap %s: %s\n", file,
			strerror(errno));
		return 1;
	}
	reg = (volatile uint32_t *) ((char *) map + (off & 4095));
	t0 = now_ns();
	for (long i = 0; i < count; i++)
		v = *reg;
	t0 = now_ns() - t0;
	munmap(map, 4096);
	snprintf(last, sizeof(last), "0x%08x", v);
	report(count, t0, last);
	return 0;
}

static int spawn_one(char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int bench_spawn(long count, char **argv)
{
	char last[16];
	uint64_t t0 = now_ns();
	int st = 0;

	for (long i = 0; i < count && st == 0; i++)
		st = spawn_one(argv);
	t0 = now_ns() - t0;
	if (st != 0) {
		fprintf(stderr, "bench-regs: %s exited with %d\n", argv[0], st);
		return 1;
	}
	snprintf(last, sizeof(last), "exit%d", st);
	report(count, t0, last);
	return 0;
}

/* The other side of pingpong: answer each byte on @fds[0] on @fds[1]. */
static void *pong(void *arg)
{
	const int *fds = arg;
	char c;

	while (read(fds[0], &c, 1) == 1)
		if (write(fds[1], &c, 1) != 1)
			break;
	return NULL;
}

/* The other end of pingpong and pingrtt, and the two pipes to it. */
struct peer {
	int req[2], rep[2]; /* requests to it, replies from it */
	int fds[2];	    /* what pong() reads and writes */
	pid_t pid;	    /* a second process, or -1 for ... */
	pthread_t tid;	    /* ... a thread of this one */
};

static int peer_open(struct peer *p, const char *mode)
{
	bool thread = strcmp(mode, "thread") == 0;

	p->pid = -1;
	if ((!thread && strcmp(mode, "process") != 0) || pipe(p->req) < 0 ||
	    pipe(p->rep) < 0)
		return -1;
	p->fds[0] = p->req[0];
	p->fds[1] = p->rep[1];
	if (thread && pthread_create(&p->tid, NULL, pong, p->fds) == 0)
		return 0;
	if (!thread && (p->pid = fork()) == 0) {
		close(p->req[1]); /* so that it sees EOF at peer_close() */
		pong(p->fds);
		_exit(0);
	}
	if (!thread && p->pid > 0)
		return 0;
	fprintf(stderr, "bench-regs: pingpong: cannot start the peer\n");
	return -1;
}

static void peer_close(struct peer *p)
{
	close(p->req[1]); /* the peer reads EOF and ends */
	if (p->pid == -1)
		pthread_join(p->tid, NULL);
	else
		waitpid(p->pid, NULL, 0);
}

/* One byte to the peer and back. */
static int round_trip(const struct peer *p)
{
	char c = 'x';

	if (write(p->req[1], &c, 1) == 1 && read(p->rep[0], &c, 1) == 1)
		return 0;
	fprintf(stderr, "bench-regs: pingpong: %s\n", strerror(errno));
	return -1;
}

static int bench_pingpong(const char *mode, long count)
{
	struct peer p;
	uint64_t t0;

	if (peer_open(&p, mode) < 0) {
		fprintf(stderr, "bench-regs: pingpong process|thread COUNT\n");
		return 2;
	}
	t0 = now_ns();
	for (long i = 0; i < count; i++)
		if (round_trip(&p) < 0)
			return 1;
	t0 = now_ns() - t0;
	peer_close(&p);
	report(count, t0, mode);
	return 0;
}

/* COUNT calls of @op(@arg), one every INTERVAL_MS, each timed and printed
 * as bench-echo prints its echoes ("SEQ RTT_US"). */
static int timed_rounds(long count, long interval_ms, int (*op)(void *),
			void *arg)
{
	struct timespec gap = {interval_ms / 1000,
			       interval_ms % 1000 * 1000000};

	for (long i = 0; i < count; i++) {
		uint64_t t0;

		nanosleep(&gap, NULL);
		t0 = now_ns();
		if (op(arg) < 0)
			return 1;
		printf("%ld %.3f\n", i, (double) (now_ns() - t0) / 1e3);
	}
	return 0;
}

static int peer_round_trip(void *p)
{
	return round_trip(p);
}

/*
 * pingrtt: round trips to another process at the echo benchmark's
 * interval: what one FUSE request can cost at the least, with the CPU as
 * idle between requests as it is between echoes.
 */
static int bench_pingrtt(long count, long interval_ms)
{
	struct peer p;
	int rc;

	if (peer_open(&p, "process") < 0)
		return 1;
	rc = timed_rounds(count, interval_ms, peer_round_trip, &p);
	peer_close(&p);
	return rc;
}

/* One read that the daemon must answer: data, or EAGAIN when none came. */
static int nonblocking_read(void *fdp)
{
	char buf[2048];

	if (read(*(int *) fdp, buf, sizeof(buf)) >= 0 || errno == EAGAIN)
		return 0;
	fprintf(stderr, "bench-regs: readrtt: %s\n", strerror(errno));
	return -1;
}

/*
 * readrtt: what one FUSE request costs pcifs, at the echo interval: a
 * non-blocking read of a silent NIC's rx goes to the daemon, which looks
 * at one descriptor in memory and answers EAGAIN.  No echo through FUSE
 * can take less than the floor plus this per request.
 */
static int bench_readrtt(const char *file, long count, long interval_ms)
{
	int fd = open(file, O_RDONLY | O_NONBLOCK), rc;

	if (fd < 0) {
		fprintf(stderr, "bench-regs: %s: %s\n", file, strerror(errno));
		return 1;
	}
	rc = timed_rounds(count, interval_ms, nonblocking_read, &fd);
	close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "pread") == 0)
		return bench_pread(argv[2], strtol(argv[3], NULL, 0),
				   (size_t) atol(argv[4]), atol(argv[5]));
	if (argc == 5 && strcmp(argv[1], "mmap") == 0)
		return bench_mmap(argv[2], strtol(argv[3], NULL, 0),
				  atol(argv[4]));
	if (argc >= 4 && strcmp(argv[1], "spawn") == 0)
		return bench_spawn(atol(argv[2]), argv + 3);
	if (argc == 4 && strcmp(argv[1], "pingpong") == 0)
		return bench_pingpong(argv[2], atol(argv[3]));
	if (argc == 4 && strcmp(argv[1], "pingrtt") == 0)
		return bench_pingrtt(atol(argv[2]), atol(argv[3]));
	if (argc == 5 && strcmp(argv[1], "readrtt") == 0)
		return bench_readrtt(argv[2], atol(argv[3]), atol(argv[4]));
	fprintf(stderr, "usage: bench-regs pread FILE OFFSET SIZE COUNT\n"
			"       bench-regs mmap RESOURCE OFFSET COUNT\n"
			"       bench-regs spawn COUNT CMD [ARG...]\n"
			"       bench-regs pingpong process|thread COUNT\n"
			"       bench-regs pingrtt COUNT INTERVAL_MS\n"
			"       bench-regs readrtt FILE COUNT INTERVAL_MS\n");
	return 2;
}
