// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-rx - count the test frames a path receives.
 *
 *   bench-rx -p pcifs:DIR|packet:IFACE -T TAG [-n EXPECTED] [-i IDLE_MS]
 *            [-t MAX_SECONDS] [-R READYFILE] [-F FILE]
 *
 * Reads frames one per read() (pcifs rx) or recvfrom() (AF_PACKET bound to
 * EtherType 0x88b5) and counts those carrying TAG.  Creates READYFILE once
 * the path is open, so the host starts injecting only then.  Stops after
 * EXPECTED frames, at the host's end marker (a TAG frame with sequence
 * number 0xffffffff, not counted), IDLE_MS (default 2000) after the last
 * frame, or MAX_SECONDS (default 60).  Idle and time limits are checked
 * when a frame arrives or when a 1 s SIGALRM interrupts a blocked read:
 * a pcifs read is interrupted (FUSE INTERRUPT) only when the host's end
 * marker is lost.  Prints one line:
 *   frames=N expected=E lost=L seconds=S fps=F other=O
 * seconds spans the first to the last counted frame; other counts frames
 * without TAG.  -F FILE (pcifs only) reads DIR/FILE instead of DIR/rx, a
 * batched queue file: each read() returns several frames, each as a 4-byte
 * big-endian length and the frame.
 */
#define _GNU_SOURCE
#include "netio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct rx_count {
	uint64_t frames, other;
	uint64_t first_ns, last_ns;
};

static void touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd >= 0)
		close(fd);
}

#define END_MARK 0xffffffffu

/* Returns false at the end marker. */
static bool count_frame(struct rx_count *c, const uint8_t *f, ssize_t n,
			uint32_t tag)
{
	uint32_t t, seq;

	if (!bench_frame_parse(f, (size_t) n, &t, &seq) || t != tag) {
		c->other++;
		return true;
	}
	if (seq == END_MARK)
		return false;
	c->last_ns = now_ns();
	if (!c->frames++)
		c->first_ns = c->last_ns;
	return true;
}

/* Count every frame of a batched read; false at the end marker. */
static bool count_batch(struct rx_count *c, const uint8_t *b, ssize_t n,
			uint32_t tag)
{
	ssize_t off = 0;

	while (off + 4 <= n) {
		uint32_t len = (uint32_t) b[off] << 24 |
			       (uint32_t) b[off + 1] << 16 |
			       (uint32_t) b[off + 2] << 8 | b[off + 3];

		if (off + 4 + (ssize_t) len > n)
			break;
		if (!count_frame(c, b + off + 4, (ssize_t) len, tag))
			return false;
		off += 4 + (ssize_t) len;
	}
	return true;
}

static int count_loop(struct netio *io, struct rx_count *c, uint32_t tag,
		      uint64_t expected, long idle_ms, double max_secs,
		      bool batched)
{
	uint64_t start = now_ns(), idle = (uint64_t) idle_ms * 1000000u;
	static uint8_t f[64 * (ETH_MAX_FRAME + 4)];

	/* A 1 s tick interrupts a blocked read so the limits are checked
	 * without a timer per frame. */
	netio_alarm(1000000);
	while (!expected || c->frames < expected) {
		uint64_t t = now_ns();

		if (t - start > (uint64_t) (max_secs * 1e9) ||
		    (c->frames && t - c->last_ns > idle))
			break;
		ssize_t n = netio_recv(
			io, f, batched ? sizeof(f) : ETH_MAX_FRAME + 4, -1);
		if (n == -EINTR || n == 0)
			continue;
		if (n < 0) {
			fprintf(stderr, "bench-rx: %s: %s\n", io->name,
				strerror((int) -n));
			return 1;
		}
		if (!(batched ? count_batch(c, f, n, tag)
			      : count_frame(c, f, n, tag)))
			break;
	}
	netio_alarm(0);
	return 0;
}

int main(int argc, char **argv)
{
	const char *spec = NULL, *ready = NULL, *file = NULL;
	struct rx_count c = {0};
	uint64_t expected = 0;
	long idle_ms = 2000;
	double max_secs = 60, secs;
	uint32_t tag = 0;
	struct netio io;
	int opt, err;

	while ((opt = getopt(argc, argv, "p:T:n:i:t:R:F:")) != -1) {
		switch (opt) {
		case 'p':
			spec = optarg;
			break;
		case 'T':
			tag = (uint32_t) strtoul(optarg, NULL, 0);
			break;
		case 'n':
			expected = strtoull(optarg, NULL, 0);
			break;
		case 'i':
			idle_ms = atol(optarg);
			break;
		case 't':
			max_secs = atof(optarg);
			break;
		case 'R':
			ready = optarg;
			break;
		case 'F':
			file = optarg;
			break;
		default:
			fprintf(stderr,
				"usage: bench-rx -p pcifs:DIR|packet:IFACE -T TAG [-n EXPECTED] [-i IDLE_MS] [-t MAX_SECONDS] [-R READYFILE] [-F FILE]\n");
			return 2;
		}
	}
	if (!spec || netio_open(&io, spec, NETIO_RX, BENCH_ETHERTYPE) < 0 ||
	    (file && netio_use_file(&io, NETIO_RX, file) < 0))
		return 1;
	if (ready)
		touch(ready);
	err = count_loop(&io, &c, tag, expected, idle_ms, max_secs,
			 file != NULL);
	secs = (double) (c.last_ns - c.first_ns) / 1e9;
	printf("frames=%llu expected=%llu lost=%lld seconds=%.3f fps=%.0f "
	       "other=%llu\n",
	       (unsigned long long) c.frames, (unsigned long long) expected,
	       expected ? (long long) (expected - c.frames) : 0LL, secs,
	       secs > 0 ? (double) c.frames / secs : 0.0,
	       (unsigned long long) c.other);
	netio_close(&io);
	return err;
}
