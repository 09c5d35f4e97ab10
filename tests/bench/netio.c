// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netio.c - frame I/O over pcifs tx/rx files or an AF_PACKET socket.
 */
#define _GNU_SOURCE
#include "netio.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "e1000/nicdev.h"

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

void sleep_until_ns(uint64_t t_ns)
{
	struct timespec ts = {.tv_sec = (time_t) (t_ns / 1000000000u),
			      .tv_nsec = (long) (t_ns % 1000000000u)};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

int parse_mac(const char *text, uint8_t mac[ETH_ALEN_])
{
	unsigned v[ETH_ALEN_];

	if (sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5]) != ETH_ALEN_)
		return -EINVAL;
	for (int i = 0; i < ETH_ALEN_; i++)
		mac[i] = (uint8_t) v[i];
	return 0;
}

void format_mac(const uint8_t mac[ETH_ALEN_], char *text, size_t size)
{
	snprintf(text, size, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}

static void put32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return ntohl(v);
}

void bench_frame(uint8_t *frame, size_t len, const uint8_t dst[ETH_ALEN_],
		 const uint8_t src[ETH_ALEN_], uint32_t tag, uint32_t seq)
{
	memcpy(frame, dst, ETH_ALEN_);
	memcpy(frame + ETH_ALEN_, src, ETH_ALEN_);
	frame[12] = BENCH_ETHERTYPE >> 8;
	frame[13] = BENCH_ETHERTYPE & 0xff;
	put32(frame + 14, tag);
	put32(frame + 18, seq);
	for (size_t i = 22; i < len; i++)
		frame[i] = (uint8_t) i;
}

bool bench_frame_parse(const uint8_t *frame, size_t len, uint32_t *tag,
		       uint32_t *seq)
{
	if (len < 22 || frame[12] != (BENCH_ETHERTYPE >> 8) ||
	    frame[13] != (BENCH_ETHERTYPE & 0xff))
		return false;
	*tag = get32(frame + 14);
	*seq = get32(frame + 18);
	return true;
}

/* ---- pcifs: DIR/tx, DIR/rx, DIR/mac ---- */

static int read_mac_file(const char *dir, uint8_t mac[ETH_ALEN_])
{
	char path[PATH_MAX], text[64] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/mac", dir);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	return parse_mac(text, mac);
}

static int open_in(const char *dir, const char *file, int flags)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return open(path, flags);
}

static int pcifs_open(struct netio *io, const char *dir, int dirs)
{
	int err = read_mac_file(dir, io->mac);

	if (err < 0) {
		fprintf(stderr, "netio: %s/mac: %s\n", dir, strerror(-err));
		return err;
	}
	if ((dirs & NETIO_TX) && (io->tx_fd = open_in(dir, "tx", O_WRONLY)) < 0)
		goto fail;
	if ((dirs & NETIO_RX) && (io->rx_fd = open_in(dir, "rx", O_RDONLY)) < 0)
		goto fail;
	return 0;
fail:
	err = -errno;
	fprintf(stderr, "netio: %s/%s: %s\n", dir,
		io->tx_fd < 0 && (dirs & NETIO_TX) ? "tx" : "rx",
		strerror(errno));
	return err;
}

/* ---- AF_PACKET on a kernel-driven interface ---- */

static int packet_bind(struct netio *io, const char *ifname, uint16_t proto)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(proto)};
	struct ifreq ifr = {0};
	int bufsize = 4 << 20;
	int fd = socket(AF_PACKET, SOCK_RAW, htons(proto));

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0)
		goto fail;
	sll.sll_ifindex = io->ifindex = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		goto fail;
	memcpy(io->mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN_);
	if (bind(fd, (struct sockaddr *) &sll, sizeof(sll)) < 0)
		goto fail;
	/* The kernel path's best case: room for bursts (root may force). */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsize,
		       sizeof(bufsize)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsize,
			   sizeof(bufsize));
	return fd;
fail:
	close(fd);
	return -errno;
}

static int packet_open(struct netio *io, const char *ifname, int dirs,
		       uint16_t ethertype)
{
	/* A TX-only socket binds protocol 0 so it receives nothing. */
	uint16_t proto =
		(dirs & NETIO_RX) ? (ethertype ? ethertype : ETH_P_ALL) : 0;
	int fd = packet_bind(io, ifname, proto);

	if (fd < 0) {
		fprintf(stderr, "netio: AF_PACKET on %s: %s\n", ifname,
			strerror(-fd));
		return fd;
	}
	io->tx_fd = fd;
	io->rx_fd = (dirs & NETIO_RX) ? fd : -1;
	return 0;
}

/* ---- driver:BDF, pcifs's driver in this process ---- */

static unsigned long read_id(const char *bdf, const char *attr)
{
	char path[PATH_MAX], text[32] = "";
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	if (read(fd, text, sizeof(text) - 1) < 0)
		text[0] = '\0';
	close(fd);
	return strtoul(text, NULL, 0);
}

static int driver_open(struct netio *io, const char *bdf)
{
	const struct nic_model *model =
		nic_model_find((uint16_t) read_id(bdf, "vendor"),
			       (uint16_t) read_id(bdf, "device"));
	struct nic_open_args args = {.root = "/sys/bus/pci", .bdf = bdf};
	char why[256] = "";
	int err;

	if (!model) {
		fprintf(stderr, "netio: %s: no NIC pcifs drives\n", bdf);
		return -ENODEV;
	}
	err = nic_dev_open(model, &args, &io->dev, why, sizeof(why));
	if (err) {
		fprintf(stderr, "netio: %s: %s\n", bdf, why);
		return err;
	}
	return nic_dev_get_mac(io->dev, io->mac);
}

/* Send, waiting for a free descriptor as tx does. */
static int driver_send(struct netio *io, const void *frame, size_t len)
{
	int err;

	while ((err = nic_dev_send(io->dev, frame, len)) == -EAGAIN) {
		int ready = nic_dev_wait(io->dev, NIC_READY_TX, -1);

		if (ready < 0)
			return ready;
	}
	return err;
}

/* Receive as rx does: the driver's own wait (spin after traffic, then
 * sleep); a signal (netio_alarm) ends it with -EINTR. */
static ssize_t driver_recv(struct netio *io, void *buf, size_t size,
			   long timeout_us)
{
	size_t frame_len;

	for (;;) {
		ssize_t n = nic_dev_recv(io->dev, buf, size, &frame_len);
		int ready;

		if (n != -EAGAIN)
			return n;
		ready = nic_dev_wait(io->dev, NIC_READY_RX, timeout_us);
		if (ready < 0)
			return ready;
		if (ready == 0)
			return 0;
	}
}

int netio_open(struct netio *io, const char *spec, int dirs, uint16_t ethertype)
{
	memset(io, 0, sizeof(*io));
	io->tx_fd = io->rx_fd = io->epoll_fd = -1;
	snprintf(io->name, sizeof(io->name), "%s", spec);
	if (strncmp(spec, "pcifs:", 6) == 0) {
		io->kind = NETIO_PCIFS;
		return pcifs_open(io, spec + 6, dirs);
	}
	if (strncmp(spec, "packet:", 7) == 0) {
		io->kind = NETIO_PACKET;
		return packet_open(io, spec + 7, dirs, ethertype);
	}
	if (strncmp(spec, "driver:", 7) == 0) {
		io->kind = NETIO_DRIVER;
		return driver_open(io, spec + 7);
	}
	fprintf(stderr,
		"netio: %s: want pcifs:DIR, packet:IFACE or driver:BDF\n",
		spec);
	return -EINVAL;
}

int netio_use_file(struct netio *io, int dir, const char *file)
{
	int *fd = dir == NETIO_TX ? &io->tx_fd : &io->rx_fd;
	int nfd;

	if (io->kind != NETIO_PCIFS)
		return -EINVAL;
	nfd = open_in(io->name + 6, file,
		      dir == NETIO_TX ? O_WRONLY : O_RDONLY);
	if (nfd < 0) {
		fprintf(stderr, "netio: %s/%s: %s\n", io->name + 6, file,
			strerror(errno));
		return -errno;
	}
	if (*fd >= 0)
		close(*fd);
	*fd = nfd;
	return 0;
}

int netio_set_wait(struct netio *io, enum netio_wait wait)
{
	struct epoll_event ev = {.events = EPOLLIN};

	if (io->kind != NETIO_PCIFS)
		return -EINVAL;
	io->wait = wait;
	if (wait != NETIO_WAIT_EPOLL)
		return 0;
	io->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (io->epoll_fd < 0 ||
	    epoll_ctl(io->epoll_fd, EPOLL_CTL_ADD, io->rx_fd, &ev) < 0)
		return -errno;
	return 0;
}

void netio_close(struct netio *io)
{
	nic_dev_close(io->dev);
	io->dev = NULL;
	if (io->epoll_fd >= 0)
		close(io->epoll_fd);
	io->epoll_fd = -1;
	if (io->rx_fd >= 0 && io->rx_fd != io->tx_fd)
		close(io->rx_fd);
	if (io->tx_fd >= 0)
		close(io->tx_fd);
	io->tx_fd = io->rx_fd = -1;
}

int netio_send(struct netio *io, const void *frame, size_t len)
{
	ssize_t n;

	if (io->kind == NETIO_DRIVER)
		return driver_send(io, frame, len);
	n = write(io->tx_fd, frame, len);

	if (n < 0)
		return -errno;
	return (size_t) n == len ? 0 : -EIO;
}

/* ---- receive with a timeout ---- */

static void on_alarm(int sig)
{
	(void) sig;
}

void netio_alarm(long us)
{
	static bool installed;
	struct itimerval it = {{us / 1000000, us % 1000000},
			       {us / 1000000, us % 1000000}};

	if (!installed) {
		struct sigaction sa = {.sa_handler = on_alarm}; /* no RESTART */

		sigaction(SIGALRM, &sa, NULL);
		installed = true;
	}
	setitimer(ITIMER_REAL, &it, NULL);
}

/* NETIO_WAIT_POLL/EPOLL: until rx is readable; 0, or -1 with errno (EINTR
 * when the alarm ends the wait). */
static int pcifs_wait_rx(const struct netio *io)
{
	struct pollfd pfd = {.fd = io->rx_fd, .events = POLLIN};
	struct epoll_event ev;
	int n;

	do {
		if (io->wait == NETIO_WAIT_POLL)
			n = poll(&pfd, 1, -1);
		else if (io->wait == NETIO_WAIT_EPOLL)
			n = epoll_wait(io->epoll_fd, &ev, 1, -1);
		else
			return 0;
	} while (n == 0);
	return n < 0 ? -1 : 0;
}

static ssize_t pcifs_recv(struct netio *io, void *buf, size_t size,
			  long timeout_us)
{
	uint64_t deadline = now_ns() + (uint64_t) timeout_us * 1000u;
	ssize_t n;

	if (timeout_us > 0)
		netio_alarm(timeout_us);
	for (;;) {
		n = pcifs_wait_rx(io);
		if (n == 0)
			n = read(io->rx_fd, buf, size);
		if (n >= 0 || errno != EINTR || timeout_us < 0)
			break;
		if (now_ns() >= deadline) {
			n = 0;
			break;
		}
	}
	if (timeout_us > 0)
		netio_alarm(0);
	return n < 0 ? -errno : n;
}

static ssize_t packet_recv(struct netio *io, void *buf, size_t size,
			   long timeout_us)
{
	uint64_t deadline = now_ns() + (uint64_t) timeout_us * 1000u;
	struct pollfd pfd = {.fd = io->rx_fd, .events = POLLIN};
	struct sockaddr_ll from;
	socklen_t fromlen;
	ssize_t n;

	for (;;) {
		int ms = timeout_us < 0
				 ? -1
				 : (int) ((deadline - now_ns()) / 1000000);
		if (timeout_us >= 0 && now_ns() >= deadline)
			return 0;
		if (poll(&pfd, 1, ms < 1 && timeout_us >= 0 ? 1 : ms) < 0)
			return errno == EINTR ? 0 : -errno;
		if (!(pfd.revents & POLLIN))
			continue;
		fromlen = sizeof(from);
		n = recvfrom(io->rx_fd, buf, size, MSG_DONTWAIT,
			     (struct sockaddr *) &from, &fromlen);
		if (n < 0 && errno != EAGAIN)
			return -errno;
		if (n >= 0 && from.sll_pkttype != PACKET_OUTGOING)
			return n;
	}
}

ssize_t netio_recv(struct netio *io, void *buf, size_t size, long timeout_us)
{
	if (io->kind == NETIO_DRIVER)
		return driver_recv(io, buf, size, timeout_us);
	if (io->kind == NETIO_PCIFS)
		return pcifs_recv(io, buf, size, timeout_us);
	return packet_recv(io, buf, size, timeout_us);
}
