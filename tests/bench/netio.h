/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netio.h - raw Ethernet frame I/O for the benchmark tools, over either
 * pcifs's packet-queue files or a kernel AF_PACKET socket.
 *
 *   pcifs:DIR     DIR/tx (one write() = one frame), DIR/rx (one read() =
 *                 one frame), DIR/mac; DIR is a pcifs device directory.
 *   packet:IFACE  an AF_PACKET SOCK_RAW socket bound to IFACE (the kernel
 *                 driver's path), MAC from SIOCGIFHWADDR.
 *   driver:BDF    pcifs's driver library (e1000/, pci/) linked into this
 *                 process, driving the unbound NIC at BDF itself, as ixy's
 *                 applications do: no FUSE, no kernel.  The floor any file
 *                 interface of pcifs can approach.
 *
 * Both sides see whole frames without FCS, so the tools above this layer
 * do not know which path they measure.
 */
#ifndef BENCH_NETIO_H
#define BENCH_NETIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ETH_ALEN_	6
#define ETH_HLEN_	14
#define ETH_MAX_FRAME	1514 /* without FCS */
#define ETH_MIN_FRAME	60   /* without FCS: 64 on the wire */
/* IEEE 802 "local experimental" EtherType: slirp ignores it. */
#define BENCH_ETHERTYPE 0x88b5

enum netio_kind { NETIO_PCIFS, NETIO_PACKET, NETIO_DRIVER };

/* How netio_recv waits on pcifs's rx (netio_set_wait). */
enum netio_wait { NETIO_WAIT_READ, NETIO_WAIT_POLL, NETIO_WAIT_EPOLL };

struct nic_dev;

struct netio {
	enum netio_kind kind;
	enum netio_wait wait;
	int epoll_fd;	     /* NETIO_WAIT_EPOLL: rx_fd registered, else -1 */
	struct nic_dev *dev; /* driver:BDF */
	char name[256];	     /* the path spec, for messages */
	int tx_fd;	     /* pcifs tx, or the socket */
	int rx_fd;	     /* pcifs rx, or the socket; -1 if not opened */
	int ifindex;	     /* packet only */
	uint8_t mac[ETH_ALEN_];
};

/* Flags for netio_open. */
#define NETIO_TX 0x1
#define NETIO_RX 0x2

/*
 * Open "pcifs:DIR" or "packet:IFACE" for @dirs (NETIO_TX|NETIO_RX).
 * @ethertype: which frames an AF_PACKET socket receives (0 = all).
 * Returns 0, or -errno after printing one line on stderr.
 */
int netio_open(struct netio *io, const char *spec, int dirs,
	       uint16_t ethertype);
void netio_close(struct netio *io);

/*
 * pcifs only: use DIR/@file instead of DIR/tx (@dir NETIO_TX) or DIR/rx
 * (NETIO_RX), e.g. a batched queue file.  Returns 0 or -errno.
 */
int netio_use_file(struct netio *io, int dir, const char *file);

/*
 * pcifs only: wait for a frame with poll() (@wait NETIO_WAIT_POLL) or
 * epoll_wait() (NETIO_WAIT_EPOLL) on rx before each read(), as event loops
 * do, instead of blocking in read().  Returns 0 or -errno.
 */
int netio_set_wait(struct netio *io, enum netio_wait wait);

/* One frame out; returns 0 or -errno. */
int netio_send(struct netio *io, const void *frame, size_t len);

/*
 * One frame in, waiting at most @timeout_us (negative: forever).
 * Returns the frame length, 0 on timeout, -errno on error.  pcifs waits in
 * a blocking read() (the lowest-latency way pcifs offers), cut short by a
 * SIGALRM timer; AF_PACKET waits in poll().  Outgoing frames an AF_PACKET
 * socket sees are skipped.
 */
ssize_t netio_recv(struct netio *io, void *buf, size_t size, long timeout_us);

/*
 * Arm (or with 0, disarm) a repeating SIGALRM every @us microseconds, with
 * a handler that does nothing and no SA_RESTART, so a blocked read()
 * returns EINTR; repeating covers a signal arriving just before read().
 */
void netio_alarm(long us);

/* Monotonic time in nanoseconds. */
uint64_t now_ns(void);
/* Sleep until monotonic time @t_ns. */
void sleep_until_ns(uint64_t t_ns);

int parse_mac(const char *text, uint8_t mac[ETH_ALEN_]);
void format_mac(const uint8_t mac[ETH_ALEN_], char *text, size_t size);

/* Fill a test frame: @dst, @src, BENCH_ETHERTYPE, 32-bit @tag, 32-bit
 * @seq, the rest a pattern.  @len >= 22. */
void bench_frame(uint8_t *frame, size_t len, const uint8_t dst[ETH_ALEN_],
		 const uint8_t src[ETH_ALEN_], uint32_t tag, uint32_t seq);
/* A test frame's tag and sequence number, or false if it is not one. */
bool bench_frame_parse(const uint8_t *frame, size_t len, uint32_t *tag,
		       uint32_t *seq);

#endif /* BENCH_NETIO_H */
