// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-echo - ICMP echo client over raw frames: the paper's ping (Fig. 1/2)
 * through pcifs's tx/rx files, or through AF_PACKET for comparison.
 *
 *   bench-echo -p pcifs:DIR|packet:IFACE|driver:BDF -s SRC_IP -g GATEWAY_IP
 *              [-c COUNT] [-i INTERVAL_MS] [-W TIMEOUT_MS] [-P | -X]
 *              [-w poll|epoll]
 *
 * Resolves the gateway's MAC with an ARP request, then sends COUNT ICMP
 * echo requests (56 data bytes, like ping) at a fixed interval, one frame
 * per write, and waits for each reply.  Prints one line per echo on stdout:
 * "SEQ RTT_US" (RTT as a decimal, microseconds, CLOCK_MONOTONIC from just
 * before the write to just after the read) or "SEQ lost".  Answers ARP
 * requests for SRC_IP while it runs (nobody else does on a pcifs NIC).
 * -P keeps a read posted: a reader thread sits in read() (or recv) all the
 * time and timestamps each frame as it returns, so the receive request is
 * already waiting in the daemon when the reply arrives, as a socket is;
 * without -P each echo does write() then read(), one after the other.
 * -X (pcifs only) does each echo with one PCIFS_IOC_XCHG ioctl on tx: the
 * request goes out and the next received frame comes back in one FUSE
 * round trip (fs/pcifs_ioctl.h).
 * -w poll or -w epoll (pcifs only) waits for each reply in poll() or
 * epoll_wait() on rx before the read(), as event loops do.
 * driver:BDF is the floor: pcifs's driver linked into this process.
 * Exit 0 if at least one reply came back.
 */
#define _GNU_SOURCE
#include "netio.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fs/pcifs_ioctl.h"

#define ETHERTYPE_IP4  0x0800
#define ETHERTYPE_ARP_ 0x0806
#define ICMP_DATA      56
#define ECHO_FRAME     (ETH_HLEN_ + 20 + 8 + ICMP_DATA)

#define POSTED_SLOTS 16

/* Frames the posted reader received, with the time read() returned. */
struct posted_queue {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned head, tail; /* head == tail: empty */
	uint8_t frame[POSTED_SLOTS][ETH_MAX_FRAME];
	ssize_t len[POSTED_SLOTS];
	uint64_t at_ns[POSTED_SLOTS];
};

struct echo_ctx {
	struct netio io;
	struct in_addr src, gw;
	uint8_t gw_mac[ETH_ALEN_];
	uint16_t ident;
	struct posted_queue *posted; /* NULL: read after each write */
	bool xchg;		     /* -X: one PCIFS_IOC_XCHG per echo */
};

static uint16_t csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t) (p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t) p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t) ~sum);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t) (v >> 8);
	p[1] = (uint8_t) v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t) (p[0] << 8 | p[1]);
}

static void eth_header(uint8_t *f, const uint8_t *dst, const uint8_t *src,
		       uint16_t type)
{
	memcpy(f, dst, ETH_ALEN_);
	memcpy(f + ETH_ALEN_, src, ETH_ALEN_);
	put16(f + 12, type);
}

/* RFC 826 ARP for IPv4 over Ethernet, padded to the 60-byte minimum. */
static size_t arp_frame(uint8_t *f, const struct echo_ctx *c, uint16_t op,
			const uint8_t *tha, struct in_addr tpa)
{
	static const uint8_t bcast[ETH_ALEN_] = {0xff, 0xff, 0xff,
						 0xff, 0xff, 0xff};
	uint8_t *a = f + ETH_HLEN_;

	memset(f, 0, ETH_MIN_FRAME);
	eth_header(f, op == 1 ? bcast : tha, c->io.mac, ETHERTYPE_ARP_);
	put16(a, 1); /* htype Ethernet */
	put16(a + 2, ETHERTYPE_IP4);
	a[4] = ETH_ALEN_; /* hlen */
	a[5] = 4;	  /* plen */
	put16(a + 6, op);
	memcpy(a + 8, c->io.mac, ETH_ALEN_);
	memcpy(a + 14, &c->src, 4);
	if (op == 2)
		memcpy(a + 18, tha, ETH_ALEN_);
	memcpy(a + 24, &tpa, 4);
	return ETH_MIN_FRAME;
}

static bool is_arp(const uint8_t *f, ssize_t n, uint16_t op, struct in_addr spa,
		   struct in_addr tpa)
{
	const uint8_t *a = f + ETH_HLEN_;

	return n >= ETH_HLEN_ + 28 && get16(f + 12) == ETHERTYPE_ARP_ &&
	       get16(a + 6) == op &&
	       (spa.s_addr == 0 || memcmp(a + 14, &spa, 4) == 0) &&
	       memcmp(a + 24, &tpa, 4) == 0;
}

/* Answer "who has SRC_IP?" so the gateway can reach us. */
static void maybe_answer_arp(struct echo_ctx *c, const uint8_t *f, ssize_t n)
{
	struct in_addr any = {0}, spa;
	uint8_t reply[ETH_MIN_FRAME];

	if (!is_arp(f, n, 1, any, c->src))
		return;
	memcpy(&spa, f + ETH_HLEN_ + 14, 4);
	arp_frame(reply, c, 2, f + ETH_HLEN_ + 8, spa);
	netio_send(&c->io, reply, sizeof(reply));
}

static int resolve_gateway(struct echo_ctx *c)
{
	uint8_t f[ETH_MAX_FRAME], req[ETH_MIN_FRAME];
	ssize_t n;

	/* The first frames after the NIC enables RX can be ~1 s late
	 * (QEMU's e1000 RCTL flush timer): retry for up to 10 s. */
	for (int try = 0; try < 10; try++) {
		arp_frame(req, c, 1, NULL, c->gw);
		if (netio_send(&c->io, req, sizeof(req)) < 0)
			return -EIO;
		uint64_t end = now_ns() + 1000000000u;

		while (now_ns() < end) {
			n = netio_recv(&c->io, f, sizeof(f),
				       (long) ((end - now_ns()) / 1000));
			if (n < 0)
				return (int) n;
			if (is_arp(f, n, 2, c->gw, c->src)) {
				memcpy(c->gw_mac, f + ETH_HLEN_ + 8, ETH_ALEN_);
				return 0;
			}
			maybe_answer_arp(c, f, n);
		}
	}
	return -ETIMEDOUT;
}

static void echo_frame(uint8_t *f, const struct echo_ctx *c, uint16_t seq)
{
	uint8_t *ip = f + ETH_HLEN_, *icmp = ip + 20;

	memset(f, 0, ECHO_FRAME);
	eth_header(f, c->gw_mac, c->io.mac, ETHERTYPE_IP4);
	ip[0] = 0x45;
	put16(ip + 2, 20 + 8 + ICMP_DATA);
	put16(ip + 4, seq);
	put16(ip + 6, 0x4000); /* DF */
	ip[8] = 64;	       /* TTL */
	ip[9] = 1;	       /* ICMP */
	memcpy(ip + 12, &c->src, 4);
	memcpy(ip + 16, &c->gw, 4);
	memcpy(ip + 10, &(uint16_t){csum(ip, 20)}, 2);
	icmp[0] = 8; /* echo request */
	put16(icmp + 4, c->ident);
	put16(icmp + 6, seq);
	for (int i = 0; i < ICMP_DATA; i++)
		icmp[8 + i] = (uint8_t) i;
	memcpy(icmp + 2, &(uint16_t){csum(icmp, 8 + ICMP_DATA)}, 2);
}

static bool is_echo_reply(const struct echo_ctx *c, const uint8_t *f, ssize_t n,
			  uint16_t seq)
{
	const uint8_t *ip = f + ETH_HLEN_, *icmp;

	if (n < ETH_HLEN_ + 28 || get16(f + 12) != ETHERTYPE_IP4 ||
	    ip[9] != 1 || memcmp(ip + 12, &c->gw, 4) != 0)
		return false;
	icmp = ip + (ip[0] & 0xf) * 4;
	if (icmp + 8 > f + n)
		return false;
	return icmp[0] == 0 && get16(icmp + 4) == c->ident &&
	       get16(icmp + 6) == seq;
}

/*
 * Wait for the echo reply to @seq with plain blocking reads; the caller's
 * alarm (netio_alarm) ends the wait with EINTR: a lost echo, 0.
 */
static int64_t await_reply(struct echo_ctx *c, uint16_t seq, uint64_t t0)
{
	uint8_t f[ETH_MAX_FRAME];

	for (;;) {
		ssize_t n = netio_recv(&c->io, f, sizeof(f), -1);
		uint64_t t1 = now_ns();

		if (n == 0 || n == -EINTR)
			return 0;
		if (n < 0)
			return n;
		if (is_echo_reply(c, f, n, seq))
			return (int64_t) (t1 - t0);
		maybe_answer_arp(c, f, n);
	}
}

/*
 * One echo: returns the RTT in ns, 0 if lost, negative on error.  Like
 * ping, the clock runs from just before the send to just after the receive:
 * arming and disarming the timeout stay outside.
 */
static int64_t echo_once(struct echo_ctx *c, uint16_t seq, long timeout_us)
{
	uint8_t req[ECHO_FRAME];
	int64_t rtt;
	uint64_t t0;

	echo_frame(req, c, seq);
	netio_alarm(timeout_us);
	t0 = now_ns();
	if (netio_send(&c->io, req, sizeof(req)) < 0)
		rtt = -EIO;
	else
		rtt = await_reply(c, seq, t0);
	netio_alarm(0);
	return rtt;
}

/* One echo through PCIFS_IOC_XCHG: send and receive in one request. */
static int64_t echo_once_xchg(struct echo_ctx *c, uint16_t seq, long timeout_us)
{
	static struct pcifs_frame x;
	uint64_t t0, t1;
	int64_t rtt;
	int r;

	echo_frame(x.data, c, seq);
	x.len = ECHO_FRAME;
	x.flags = 0;
	netio_alarm(timeout_us); /* EINTR ends the wait: a lost echo */
	t0 = now_ns();
	r = ioctl(c->io.tx_fd, PCIFS_IOC_XCHG, &x);
	t1 = now_ns();
	if (r < 0)
		rtt = errno == EINTR ? 0 : -errno;
	else if (is_echo_reply(c, x.data, x.len, seq))
		rtt = (int64_t) (t1 - t0);
	else {
		maybe_answer_arp(c, x.data, x.len);
		rtt = await_reply(c, seq, t0);
	}
	netio_alarm(0);
	return rtt;
}

static void *posted_reader(void *arg)
{
	struct echo_ctx *c = arg;
	struct posted_queue *q = c->posted;
	uint8_t f[ETH_MAX_FRAME];

	for (;;) {
		ssize_t n = netio_recv(&c->io, f, sizeof(f), -1);

		if (n == -EINTR || n == 0)
			continue;
		if (n < 0)
			return NULL;
		uint64_t at = now_ns();

		pthread_mutex_lock(&q->lock);
		if ((q->tail + 1) % POSTED_SLOTS != q->head) {
			memcpy(q->frame[q->tail], f, (size_t) n);
			q->len[q->tail] = n;
			q->at_ns[q->tail] = at;
			q->tail = (q->tail + 1) % POSTED_SLOTS;
			pthread_cond_signal(&q->cond);
		}
		pthread_mutex_unlock(&q->lock);
	}
}

static int start_posted_reader(struct echo_ctx *c)
{
	static struct posted_queue q;
	pthread_condattr_t attr;
	pthread_t tid;

	pthread_mutex_init(&q.lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&q.cond, &attr);
	c->posted = &q;
	return -pthread_create(&tid, NULL, posted_reader, c);
}

/* The next frame from the posted reader before @end_ns: its length (0 on
 * timeout) and in *at_ns when read() returned it. */
static ssize_t posted_next(struct posted_queue *q, uint8_t *f, uint64_t end_ns,
			   uint64_t *at_ns)
{
	struct timespec ts = {.tv_sec = (time_t) (end_ns / 1000000000u),
			      .tv_nsec = (long) (end_ns % 1000000000u)};
	ssize_t n = 0;

	pthread_mutex_lock(&q->lock);
	while (q->head == q->tail &&
	       pthread_cond_timedwait(&q->cond, &q->lock, &ts) == 0)
		;
	if (q->head != q->tail) {
		n = q->len[q->head];
		memcpy(f, q->frame[q->head], (size_t) n);
		*at_ns = q->at_ns[q->head];
		q->head = (q->head + 1) % POSTED_SLOTS;
	}
	pthread_mutex_unlock(&q->lock);
	return n;
}

static int64_t echo_once_posted(struct echo_ctx *c, uint16_t seq,
				long timeout_us)
{
	uint8_t req[ECHO_FRAME], f[ETH_MAX_FRAME];
	uint64_t t0, end, at = 0;

	echo_frame(req, c, seq);
	t0 = now_ns();
	if (netio_send(&c->io, req, sizeof(req)) < 0)
		return -EIO;
	end = t0 + (uint64_t) timeout_us * 1000u;
	while (now_ns() < end) {
		ssize_t n = posted_next(c->posted, f, end, &at);

		if (n > 0 && is_echo_reply(c, f, n, seq))
			return (int64_t) (at - t0);
		if (n > 0)
			maybe_answer_arp(c, f, n);
	}
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bench-echo -p pcifs:DIR|packet:IFACE|driver:BDF "
		"-s SRC_IP "
		"-g GATEWAY_IP [-c COUNT] [-i INTERVAL_MS] "
		"[-W TIMEOUT_MS] [-P | -X] [-w poll|epoll]\n");
	exit(2);
}

static int run(struct echo_ctx *c, int count, long interval_us, long timeout_us)
{
	uint64_t start = now_ns();
	int got = 0;

	for (int seq = 0; seq < count; seq++) {
		int64_t rtt;

		sleep_until_ns(start + (uint64_t) seq * interval_us * 1000u);
		if (c->xchg)
			rtt = echo_once_xchg(c, (uint16_t) seq, timeout_us);
		else if (c->posted)
			rtt = echo_once_posted(c, (uint16_t) seq, timeout_us);
		else
			rtt = echo_once(c, (uint16_t) seq, timeout_us);
		if (rtt < 0) {
			fprintf(stderr, "bench-echo: %s\n",
				strerror((int) -rtt));
			return 1;
		}
		if (rtt == 0) {
			printf("%d lost\n", seq);
			continue;
		}
		printf("%d %.3f\n", seq, (double) rtt / 1000.0);
		got++;
	}
	fprintf(stderr, "bench-echo: %s: %d/%d replies\n", c->io.name, got,
		count);
	return got > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct echo_ctx c = {.ident = (uint16_t) getpid()};
	const char *spec = NULL, *src = NULL, *gw = NULL;
	long interval_ms = 100, timeout_ms = 1000;
	int count = 10, opt, err;
	bool posted = false;
	enum netio_wait wait = NETIO_WAIT_READ;

	while ((opt = getopt(argc, argv, "p:s:g:c:i:W:PXw:")) != -1) {
		switch (opt) {
		case 'p':
			spec = optarg;
			break;
		case 'P':
			posted = true;
			break;
		case 'X':
			c.xchg = true;
			break;
		case 's':
			src = optarg;
			break;
		case 'g':
			gw = optarg;
			break;
		case 'c':
			count = atoi(optarg);
			break;
		case 'i':
			interval_ms = atol(optarg);
			break;
		case 'W':
			timeout_ms = atol(optarg);
			break;
		case 'w':
			if (strcmp(optarg, "poll") == 0)
				wait = NETIO_WAIT_POLL;
			else if (strcmp(optarg, "epoll") == 0)
				wait = NETIO_WAIT_EPOLL;
			else
				usage();
			break;
		default:
			usage();
		}
	}
	if (!spec || !src || !gw || inet_pton(AF_INET, src, &c.src) != 1 ||
	    inet_pton(AF_INET, gw, &c.gw) != 1 || count < 1)
		usage();
	if (netio_open(&c.io, spec, NETIO_TX | NETIO_RX, 0) < 0)
		return 1;
	if (wait != NETIO_WAIT_READ && netio_set_wait(&c.io, wait) < 0) {
		fprintf(stderr, "bench-echo: -w needs a pcifs path\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	err = resolve_gateway(&c);
	if (err < 0) {
		fprintf(stderr, "bench-echo: %s: no ARP reply from %s: %s\n",
			spec, gw, strerror(-err));
		return 1;
	}
	if (posted && start_posted_reader(&c) < 0) {
		fprintf(stderr, "bench-echo: cannot start the reader thread\n");
		return 1;
	}
	err = run(&c, count, interval_ms * 1000, timeout_ms * 1000);
	netio_close(&c.io);
	return err;
}
