// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netdev.c - -o netdev=DIR: the VM socket of a driven NIC (see netdev.h).
 *
 * The uplink thread (VM to NIC) owns the listening socket, accepts the one
 * VM and reads its stream; the downlink thread (NIC to VM) drains the
 * receive ring while a VM is connected.  Sends to the VM never block: a VM
 * that stops reading loses frames (rx_drops), it never holds up the NIC.
 */
#define _GNU_SOURCE /* accept4 */
#include "fs/netdev.h"
#include "fs/log.h"
#include "fs/netframe.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define NETDEV_BURST	    64	    /* frames per tail write, and per drain */
#define NETDEV_SLICE_US	    200000L /* longest wait between looks at stopping */
#define NETDEV_STUCK_SLICES 25	    /* 5 s of a full TX ring: drop the burst */

struct netdev {
	char path[sizeof(((struct sockaddr_un *) 0)->sun_path)];
	struct nic_dev *dev;
	int listen_fd;
	bool bound;  /* path is our socket, to unlink */
	int stop_fd; /* eventfd: wakes the uplink thread's poll() */
	pthread_t uplink, downlink;
	pthread_mutex_t lock; /* guards conn_fd changes, stopping, tail */
	pthread_cond_t cond;  /* a VM came, or stop */
	int conn_fd;	      /* the VM, or -1; changed by uplink only */
	bool stopping;
	bool promisc_before; /* the NIC's mode before the VM came */
	uint64_t tx_errors, tx_drops, rx_drops; /* atomic */
	size_t tail_len; /* rest of a record a short send left over */
	char tail[RECORD_MAX];
	struct netframe in;		     /* uplink only */
	char out[NETDEV_BURST * RECORD_MAX]; /* downlink only */
};

static void count(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}

static uint64_t counted(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

static int conn_fd(const struct netdev *nd)
{
	return __atomic_load_n(&nd->conn_fd, __ATOMIC_ACQUIRE);
}

/* ---- connect and disconnect (uplink thread) ---- */

/*
 * The frames a VM that stalls for a moment (a nested guest, a paused
 * vCPU) can fall behind by before any is dropped: about what a tap's
 * queue holds (txqueuelen 1000).  The kernel charges each queued send
 * its buffer's true size and doubles what is asked for; without
 * CAP_NET_ADMIN, net.core.wmem_max caps it (212992 by default, about 270
 * small frames).  Still a bound: a VM that stops reading loses frames.
 */
#define NETDEV_SNDBUF (1 << 20)

static void netdev_size_sndbuf(int fd)
{
	int size = NETDEV_SNDBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

/* Frames to the VM carry its own MAC, which is not the NIC's: take every
 * frame while it is connected, as a bridge port does (see pcifs(1)). */
static void netdev_connect(struct netdev *nd, int fd)
{
	netdev_size_sndbuf(fd);
	if (nic_dev_get_promisc(nd->dev, &nd->promisc_before) < 0)
		nd->promisc_before = false;
	nic_dev_set_promisc(nd->dev, true);
	netframe_reset(&nd->in);
	pthread_mutex_lock(&nd->lock);
	nd->tail_len = 0;
	__atomic_store_n(&nd->conn_fd, fd, __ATOMIC_RELEASE);
	pthread_cond_signal(&nd->cond);
	pthread_mutex_unlock(&nd->lock);
	pcifs_log(
		LOG_INFO,
		"%s: VM connected; rx and rxbatch are its until it disconnects",
		nd->path);
}

static void netdev_disconnect(struct netdev *nd)
{
	if (netframe_pending(&nd->in))
		count(&nd->tx_drops, 1); /* a frame cut off */
	pthread_mutex_lock(&nd->lock);
	close(nd->conn_fd);
	__atomic_store_n(&nd->conn_fd, -1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&nd->lock);
	nic_dev_set_promisc(nd->dev, nd->promisc_before);
	pcifs_log(LOG_INFO,
		  "%s: VM disconnected; rx and rxbatch are the files' again",
		  nd->path);
}

static void netdev_accept(struct netdev *nd)
{
	int fd = accept4(nd->listen_fd, NULL, NULL,
			 SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return;
	if (conn_fd(nd) >= 0) {
		pcifs_log_limited(
			LOG_WARNING,
			"%s: second connection refused: one VM at a time; stop the first VM or use another NIC's socket",
			nd->path);
		close(fd);
		return;
	}
	netdev_connect(nd, fd);
}

/* ---- VM to NIC (uplink thread) ---- */

static bool netdev_stopping(struct netdev *nd)
{
	return __atomic_load_n(&nd->stopping, __ATOMIC_ACQUIRE);
}

/* All @n frames, a tail write per burst; waits while the ring is full,
 * which holds back the VM (its socket fills), and drops the rest when the
 * NIC completed nothing for NETDEV_STUCK_SLICES. */
static void netdev_send(struct netdev *nd, struct iovec *iov, unsigned n)
{
	unsigned waits = 0;

	while (n > 0 && !netdev_stopping(nd)) {
		int queued = nic_dev_send_burst(nd->dev, iov, n);

		if (queued == -EAGAIN && ++waits < NETDEV_STUCK_SLICES) {
			nic_dev_wait(nd->dev, NIC_READY_TX, NETDEV_SLICE_US);
			continue;
		}
		if (queued < 0) {
			count(&nd->tx_drops, n);
			return;
		}
		iov += queued;
		n -= (unsigned) queued;
		waits = 0;
	}
}

static void netdev_bad_frames(struct netdev *nd, unsigned bad)
{
	count(&nd->tx_errors, bad);
	pcifs_log_limited(
		LOG_WARNING,
		"%s: %u frame(s) from the VM dropped: each needs a 4-byte big-endian length of %d to %d, then the frame",
		nd->path, bad, RECORD_FRAME_MIN, RECORD_FRAME_MAX);
}

/* Forward the whole frames read so far, a burst at a time. */
static void netdev_forward(struct netdev *nd)
{
	struct iovec iov[NETDEV_BURST];

	for (;;) {
		unsigned bad = 0;
		unsigned n = netframe_take(&nd->in, iov, NETDEV_BURST, &bad);

		if (bad)
			netdev_bad_frames(nd, bad);
		if (!n)
			return;
		netdev_send(nd, iov, n);
	}
}

static void netdev_from_vm(struct netdev *nd)
{
	size_t room;
	char *p = netframe_room(&nd->in, &room);
	ssize_t got = recv(nd->conn_fd, p, room, MSG_DONTWAIT);

	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (got <= 0) {
		netdev_disconnect(nd);
		return;
	}
	netframe_fill(&nd->in, (size_t) got);
	netdev_forward(nd);
}

static void *netdev_uplink_main(void *arg)
{
	struct netdev *nd = arg;

	while (!netdev_stopping(nd)) {
		struct pollfd pfd[3] = {{.fd = nd->stop_fd, .events = POLLIN},
					{.fd = nd->listen_fd, .events = POLLIN},
					{.fd = nd->conn_fd, .events = POLLIN}};

		if (poll(pfd, 3, -1) < 0)
			continue;
		if (pfd[0].revents)
			break;
		if (pfd[1].revents & POLLIN)
			netdev_accept(nd);
		else if (pfd[2].revents)
			netdev_from_vm(nd);
	}
	return NULL;
}

/* ---- NIC to VM (downlink thread) ---- */

/* Up to NETDEV_BURST received frames into out as records; how many. */
static unsigned netdev_drain(struct netdev *nd, size_t *len)
{
	unsigned n = 0;

	*len = 0;
	while (n < NETDEV_BURST) {
		size_t frame_len;
		ssize_t got = nic_dev_recv(nd->dev, nd->out + *len + RECORD_HDR,
					   RECORD_FRAME_MAX, &frame_len);

		if (got < 0)
			break;
		if (frame_len > (size_t) got)
			nic_dev_count_truncated(nd->dev);
		record_put_len(nd->out + *len, (uint32_t) got);
		*len += RECORD_HDR + (size_t) got;
		n++;
	}
	return n;
}

/* Send what is left of a record cut by a short send; true when done. */
static bool netdev_flush_tail(struct netdev *nd, int fd)
{
	ssize_t sent;

	if (!nd->tail_len)
		return true;
	sent = send(fd, nd->tail, nd->tail_len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (sent <= 0)
		return false;
	nd->tail_len -= (size_t) sent;
	memmove(nd->tail, nd->tail + sent, nd->tail_len);
	return nd->tail_len == 0;
}

/* @sent bytes of out went: keep the rest of the record they end in (so
 * the stream stays whole); returns the frames after it, which are lost. */
static unsigned netdev_cut(struct netdev *nd, size_t sent, unsigned n)
{
	size_t off = 0;

	while (n > 0 &&
	       off + RECORD_HDR + record_get_len(nd->out + off) <= sent) {
		off += RECORD_HDR + record_get_len(nd->out + off);
		n--;
	}
	if (n > 0 && sent > off) {
		size_t end = off + RECORD_HDR + record_get_len(nd->out + off);

		nd->tail_len = end - sent;
		memcpy(nd->tail, nd->out + sent, nd->tail_len);
		n--;
	}
	return n;
}

/* Frames the VM has no room for are dropped: a VM that stops reading
 * must not stall the NIC, nor make pcifs queue without bound. */
static void netdev_to_vm(struct netdev *nd, size_t len, unsigned n)
{
	int fd = conn_fd(nd);
	ssize_t sent = -1;

	if (fd >= 0 && netdev_flush_tail(nd, fd))
		sent = send(fd, nd->out, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (sent > 0)
		n = netdev_cut(nd, (size_t) sent, n);
	if (n)
		count(&nd->rx_drops, n);
}

static void netdev_relay(struct netdev *nd)
{
	size_t len;
	unsigned n = netdev_drain(nd, &len);

	if (!n)
		return;
	pthread_mutex_lock(&nd->lock);
	netdev_to_vm(nd, len, n);
	pthread_mutex_unlock(&nd->lock);
}

static void *netdev_downlink_main(void *arg)
{
	struct netdev *nd = arg;

	pthread_mutex_lock(&nd->lock);
	while (!nd->stopping) {
		if (nd->conn_fd < 0) {
			pthread_cond_wait(&nd->cond, &nd->lock);
			continue;
		}
		pthread_mutex_unlock(&nd->lock);
		if (nic_dev_wait(nd->dev, NIC_READY_RX, NETDEV_SLICE_US) > 0)
			netdev_relay(nd);
		pthread_mutex_lock(&nd->lock);
	}
	pthread_mutex_unlock(&nd->lock);
	return NULL;
}

/* ---- start and stop ---- */

/* DIR/<BDF>, bound and listening; a socket left by a pcifs that died is
 * replaced (the NIC's lock, taken at open, says no other pcifs runs). */
static int netdev_listen(struct netdev *nd, const char *dir, const char *bdf)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", dir, bdf);

	if (n < 0 || (size_t) n >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(nd->path, sa.sun_path, sizeof(nd->path));
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return -errno;
	if (lstat(sa.sun_path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(sa.sun_path);
	nd->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (nd->listen_fd < 0)
		return -errno;
	if (bind(nd->listen_fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 ||
	    listen(nd->listen_fd, 4) < 0)
		return -errno;
	nd->bound = true;
	return 0;
}

static int netdev_threads(struct netdev *nd)
{
	int err = pthread_create(&nd->uplink, NULL, netdev_uplink_main, nd);

	if (err)
		return -err;
	err = pthread_create(&nd->downlink, NULL, netdev_downlink_main, nd);
	if (err) {
		eventfd_write(nd->stop_fd, 1);
		pthread_join(nd->uplink, NULL);
	}
	return -err;
}

static struct netdev *netdev_new(struct nic_dev *dev)
{
	struct netdev *nd = calloc(1, sizeof(*nd));

	if (!nd)
		return NULL;
	nd->dev = dev;
	nd->listen_fd = nd->conn_fd = nd->stop_fd = -1;
	pthread_mutex_init(&nd->lock, NULL);
	pthread_cond_init(&nd->cond, NULL);
	return nd;
}

static void netdev_free(struct netdev *nd)
{
	if (nd->listen_fd >= 0)
		close(nd->listen_fd);
	if (nd->bound)
		unlink(nd->path);
	if (nd->stop_fd >= 0)
		close(nd->stop_fd);
	pthread_cond_destroy(&nd->cond);
	pthread_mutex_destroy(&nd->lock);
	free(nd);
}

struct netdev *netdev_start(const char *dir, const char *bdf,
			    struct nic_dev *dev)
{
	struct netdev *nd = netdev_new(dev);
	int err = nd ? netdev_listen(nd, dir, bdf) : -ENOMEM;

	if (!err) {
		nd->stop_fd = eventfd(0, EFD_CLOEXEC);
		err = nd->stop_fd < 0 ? -errno : netdev_threads(nd);
	}
	if (!err) {
		pcifs_log(LOG_INFO,
			  "%s: listening for a VM (QEMU -netdev stream)",
			  nd->path);
		return nd;
	}
	pcifs_log(
		LOG_ERR,
		"%s: netdev socket %s/%s not made: %s; check that %s is a directory pcifs can write",
		bdf, dir, bdf, strerror(-err), dir);
	if (nd)
		netdev_free(nd);
	return NULL;
}

void netdev_stop(struct netdev *nd)
{
	if (!nd)
		return;
	pthread_mutex_lock(&nd->lock);
	__atomic_store_n(&nd->stopping, true, __ATOMIC_RELEASE);
	pthread_cond_signal(&nd->cond);
	pthread_mutex_unlock(&nd->lock);
	eventfd_write(nd->stop_fd, 1);
	pthread_join(nd->uplink, NULL);
	pthread_join(nd->downlink, NULL);
	if (nd->conn_fd >= 0)
		netdev_disconnect(nd);
	netdev_free(nd);
}

/* ---- what the files and info see ---- */

bool netdev_owns_rx(const struct netdev *nd)
{
	return nd && conn_fd(nd) >= 0;
}

int netdev_rx_busy(const struct netdev *nd, const char *bdf)
{
	pcifs_log_limited(
		LOG_WARNING,
		"%s: rx read refused (EBUSY): a VM connected to %s owns the receive queue; read again once it disconnects",
		bdf, nd->path);
	return -EBUSY;
}

size_t netdev_info(const struct netdev *nd, char *buf, size_t size)
{
	int n;

	if (!nd || size == 0)
		return 0;
	n = snprintf(buf, size, "netdev: %s (%s)\n", nd->path,
		     netdev_owns_rx(nd) ? "connected" : "listening");
	return n < 0 ? 0 : ((size_t) n < size ? (size_t) n : size - 1);
}

void netdev_add_stats(const struct netdev *nd, struct nic_stats *st)
{
	if (!nd)
		return;
	st->tx_errors += counted(&nd->tx_errors);
	st->tx_drops += counted(&nd->tx_drops);
	st->rx_drops += counted(&nd->rx_drops);
}
