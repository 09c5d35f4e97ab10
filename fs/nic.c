// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nic.c - packet-queue files of the NICs pcifs drives with its own driver.
 *
 * This is the only file of fs/ that knows the driver interface.  It turns the
 * driver's non-blocking send/receive into file semantics: one write() is
 * one frame, one read() is one frame, blocking unless O_NONBLOCK, poll()
 * and FUSE interrupts supported.  It knows nothing of descriptors.
 */
#include "fs/nic.h"
#include "e1000/nicdev.h"
#include "fs/ethaddr.h"
#include "fs/log.h"
#include "fs/pcifs.h"
#include "fs/pcifs_ioctl.h"
#include "fs/record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NIC_MAX		  32
/*
 * Longest a blocked reader or writer waits between checks of FUSE's
 * interrupt and exit flags.  An interrupt also ends the wait at once: its
 * SIGUSR1 (fs/main.c) cuts the driver's sleep short with EINTR.  Short
 * slices would cap the driver's idle back-off, so they are long.
 */
#define NIC_WAIT_SLICE_US 200000L

/* Each open file polling a queue has a handle; the kernel wakes every
 * poller of that file from one notification. */
#define NIC_POLLERS 64
struct nic_pollers {
	struct fuse_pollhandle *ph[NIC_POLLERS];
	unsigned count;
};

struct nic {
	char bdf[BDF_LEN];
	struct nic_dev *dev;
	/* poll(): pending handles per direction, woken by the notifier. */
	pthread_mutex_t poll_lock;
	pthread_cond_t poll_cond;
	struct nic_pollers rx_pollers, tx_pollers;
	pthread_t notifier;
	bool notifier_running, stopping;
};

/* What nic_info() reports for a supported device, driven or not. */
struct nic_state {
	char bdf[BDF_LEN];
	const struct nic_model *model;
	struct nic *nic; /* NULL when not driven */
	char why[256];	 /* why not driven */
};

/* Notify and forget every pending handle; a poller re-polls if it still
 * has nothing to read, so a spurious wake-up is harmless. */
static void pollers_wake(struct nic_pollers *p)
{
	for (unsigned i = 0; i < p->count; i++) {
		fuse_notify_poll(p->ph[i]);
		fuse_pollhandle_destroy(p->ph[i]);
	}
	p->count = 0;
}

static void pollers_add(struct nic_pollers *p, struct fuse_pollhandle *ph)
{
	if (p->count == NIC_POLLERS)
		pollers_wake(p);
	p->ph[p->count++] = ph;
}

static struct nic_state nic_states[NIC_MAX];
static unsigned nic_count;
/* The process that drives them (see nic_quiesce_all). */
static pid_t nic_owner;

/* Indexed by enum nic_file, so a name cannot drift from its kind. */
const char *const nic_file_names[NIC_NFILES] = {
	[NIC_TX] = "tx",	   [NIC_RX] = "rx",
	[NIC_MAC] = "mac",	   [NIC_LINK] = "link",
	[NIC_PROMISC] = "promisc", [NIC_STATS] = "stats",
	[NIC_TXBATCH] = "txbatch", [NIC_RXBATCH] = "rxbatch",
};

#define NIC_TX_BURST 64 /* frames handed to the driver per tail write */

static bool is_rx_queue(int kind)
{
	return kind == NIC_RX || kind == NIC_RXBATCH;
}

static bool is_tx_queue(int kind)
{
	return kind == NIC_TX || kind == NIC_TXBATCH;
}

int nic_file_lookup(const char *name)
{
	for (int i = 0; i < NIC_NFILES; i++)
		if (strcmp(name, nic_file_names[i]) == 0)
			return i;
	return -ENOENT;
}

/* ---- mount and unmount ---- */

static void *nic_notifier(void *arg);

static struct nic *nic_new(const char *bdf, struct nic_dev *dev)
{
	struct nic *nic = calloc(1, sizeof(*nic));

	if (!nic)
		return NULL;
	snprintf(nic->bdf, sizeof(nic->bdf), "%s", bdf);
	nic->dev = dev;
	pthread_mutex_init(&nic->poll_lock, NULL);
	pthread_cond_init(&nic->poll_cond, NULL);
	/* Without the notifier, a poll() on rx or tx would never wake. */
	if (pthread_create(&nic->notifier, NULL, nic_notifier, nic) != 0) {
		pthread_cond_destroy(&nic->poll_cond);
		pthread_mutex_destroy(&nic->poll_lock);
		free(nic);
		return NULL;
	}
	nic->notifier_running = true;
	return nic;
}

static void nic_engage(const struct nic_mount_args *args, struct nic_state *st,
		       const char *devdir)
{
	struct nic_open_args oa = {.devdir = devdir, .unbind = args->unbind};
	const char *family = st->model->ops->family;
	struct nic_dev *dev = NULL;

	if (!nic_dev_open(st->model, &oa, &dev, st->why, sizeof(st->why))) {
		st->nic = nic_new(st->bdf, dev);
		if (!st->nic) {
			nic_dev_close(dev);
			snprintf(st->why, sizeof(st->why),
				 "cannot start its poll thread");
		}
	}
	if (!st->nic) {
		pcifs_log(LOG_ERR, "%s: %s driver not started: %s", st->bdf,
			  family, st->why);
		return;
	}
	pcifs_log(LOG_INFO, "%s: %s %s driven by pcifs", st->bdf, family,
		  st->model->name);
}

static void nic_consider(const struct nic_mount_args *args, const char *bdf)
{
	char devdir[PATH_MAX];
	const struct nic_model *model;
	struct nic_state *st;
	struct pcidev dev;

	if (!bdf_is_canonical(bdf) || sysfs_dev_load(bdf, &dev) < 0)
		return;
	snprintf(devdir, sizeof(devdir), "%s/devices/%s", args->sysfs, bdf);
	model = nic_model_find(dev.vendor, dev.device);
	if (!model || nic_count == NIC_MAX)
		return;
	st = &nic_states[nic_count++];
	memcpy(st->bdf, dev.bdf, sizeof(st->bdf));
	st->model = model;
	if (!bdf_allowed(bdf))
		snprintf(st->why, sizeof(st->why), "not in devices=");
	else if (args->nodriver)
		snprintf(st->why, sizeof(st->why), "disabled by -o nodriver");
	else
		nic_engage(args, st, devdir);
}

void nic_mount(const struct nic_mount_args *args)
{
	char devices[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	nic_owner = getpid();
	snprintf(devices, sizeof(devices), "%s/devices", args->sysfs);
	dir = opendir(devices);
	if (!dir)
		return;
	while ((de = readdir(dir)) != NULL)
		if (de->d_name[0] != '.')
			nic_consider(args, de->d_name);
	closedir(dir);
}

static void nic_free(struct nic *nic)
{
	pthread_mutex_lock(&nic->poll_lock);
	nic->stopping = true;
	pthread_cond_signal(&nic->poll_cond);
	pthread_mutex_unlock(&nic->poll_lock);
	if (nic->notifier_running)
		pthread_join(nic->notifier, NULL);
	pollers_wake(&nic->rx_pollers);
	pollers_wake(&nic->tx_pollers);
	nic_dev_close(nic->dev);
	pthread_cond_destroy(&nic->poll_cond);
	pthread_mutex_destroy(&nic->poll_lock);
	free(nic);
}

void nic_unmount(void)
{
	for (unsigned i = 0; i < nic_count; i++) {
		struct nic *nic = nic_states[i].nic;

		nic_states[i].nic = NULL;
		if (nic)
			nic_free(nic);
	}
	nic_count = 0;
}

/*
 * Only register writes: stop DMA before the process dies.  A driver's
 * guardian (a forked child) inherits the fatal-signal handler of main.c;
 * its own crash must not stop the NICs of a daemon that lives on.
 */
void nic_quiesce_all(void)
{
	if (getpid() != nic_owner)
		return;
	for (unsigned i = 0; i < nic_count; i++)
		if (nic_states[i].nic)
			nic_dev_quiesce(nic_states[i].nic->dev);
}

static struct nic_state *nic_state_find(const char *bdf)
{
	for (unsigned i = 0; i < nic_count; i++)
		if (strcmp(nic_states[i].bdf, bdf) == 0)
			return &nic_states[i];
	return NULL;
}

struct nic *nic_find(const char *bdf)
{
	struct nic_state *st = nic_state_find(bdf);

	return st ? st->nic : NULL;
}

size_t nic_info(uint16_t vendor, uint16_t device, const char *bdf, char *buf,
		size_t size)
{
	const struct nic_model *model = nic_model_find(vendor, device);
	const struct nic_state *st = nic_state_find(bdf);
	int n;

	if (!model || size == 0)
		return 0;
	if (st && st->nic) {
		char wait[192];

		nic_dev_wait_mode(st->nic->dev, wait, sizeof(wait));
		n = snprintf(buf, size,
			     "pcifs_driver: %s %s, driving\n"
			     "pcifs_wait: %s\n",
			     model->ops->family, model->name, wait);
	} else
		n = snprintf(buf, size, "pcifs_driver: %s %s, idle: %s\n",
			     model->ops->family, model->name,
			     st ? st->why : "not present at mount");
	return n < 0 ? 0 : ((size_t) n < size ? (size_t) n : size - 1);
}

/* ---- poll() support ---- */

/*
 * The notifier thread sleeps on a condition variable while no poll handle
 * is pending, so an idle mount costs nothing; with a handle pending it waits
 * on the ring through nic_dev_wait() and wakes the poller.
 */
static int nic_pending_events(const struct nic *nic)
{
	return (nic->rx_pollers.count ? NIC_READY_RX : 0) |
	       (nic->tx_pollers.count ? NIC_READY_TX : 0);
}

static void *nic_notifier(void *arg)
{
	struct nic *nic = arg;

	pthread_mutex_lock(&nic->poll_lock);
	while (!nic->stopping) {
		int events = nic_pending_events(nic), ready;

		if (!events) {
			pthread_cond_wait(&nic->poll_cond, &nic->poll_lock);
			continue;
		}
		pthread_mutex_unlock(&nic->poll_lock);
		ready = nic_dev_wait(nic->dev, events, NIC_WAIT_SLICE_US);
		pthread_mutex_lock(&nic->poll_lock);
		if (ready & NIC_READY_RX)
			pollers_wake(&nic->rx_pollers);
		if (ready & NIC_READY_TX)
			pollers_wake(&nic->tx_pollers);
	}
	pthread_mutex_unlock(&nic->poll_lock);
	return NULL;
}

int nic_poll(struct nic *nic, enum nic_file kind, struct fuse_file_info *fi,
	     struct fuse_pollhandle *ph, unsigned *reventsp)
{
	int event = is_rx_queue(kind) ? NIC_READY_RX : NIC_READY_TX;
	struct nic_pollers *pollers;

	(void) fi;
	if (!is_rx_queue(kind) && !is_tx_queue(kind)) {
		/* Text files are always readable and writable. */
		*reventsp |= POLLIN | POLLOUT;
		if (ph)
			fuse_pollhandle_destroy(ph);
		return 0;
	}
	if (nic_dev_ready(nic->dev, event)) {
		*reventsp |= is_rx_queue(kind) ? POLLIN : POLLOUT;
		if (ph)
			fuse_pollhandle_destroy(ph);
		return 0;
	}
	if (!ph)
		return 0;
	pollers = is_rx_queue(kind) ? &nic->rx_pollers : &nic->tx_pollers;
	pthread_mutex_lock(&nic->poll_lock);
	pollers_add(pollers, ph);
	pthread_cond_signal(&nic->poll_cond);
	pthread_mutex_unlock(&nic->poll_lock);
	return 0;
}

/* ---- tx and rx ---- */

static bool nonblocking(const struct fuse_file_info *fi)
{
	return fi && (fi->flags & O_NONBLOCK);
}

/*
 * SIGTERM (or SIGINT, SIGHUP) ends the session; libfuse then joins every
 * worker, so a reader blocked on an idle queue would hold off teardown, and
 * leave the NIC enabled, for ever.  The blocked request must end itself.
 */
static bool session_exiting(void)
{
	struct fuse_context *ctx = fuse_get_context();

	return ctx && ctx->fuse &&
	       fuse_session_exited(fuse_get_session(ctx->fuse));
}

/* Between waits: give up on O_NONBLOCK, when FUSE says the caller was
 * interrupted (Ctrl-C on a blocked `cat rx`), or when the daemon stops. */
static int nic_wait(struct nic *nic, int event, const struct fuse_file_info *fi)
{
	if (nonblocking(fi))
		return -EAGAIN;
	if (fuse_interrupted() || session_exiting())
		return -EINTR;
	nic_dev_wait(nic->dev, event, NIC_WAIT_SLICE_US);
	return 0;
}

static int nic_tx(struct nic *nic, const char *buf, size_t size,
		  const struct fuse_file_info *fi)
{
	int err;

	if (size < NIC_FRAME_MIN || size > NIC_FRAME_MAX) {
		pcifs_log(
			LOG_ERR,
			"%s: tx write of %zu bytes refused: write one Ethernet frame of %d to %d bytes, without FCS, per write()",
			nic->bdf, size, NIC_FRAME_MIN, NIC_FRAME_MAX);
		return -EINVAL;
	}
	while ((err = nic_dev_send(nic->dev, buf, size)) == -EAGAIN) {
		err = nic_wait(nic, NIC_READY_TX, fi);
		if (err < 0)
			return err;
	}
	return err < 0 ? err : (int) size;
}

/* One frame into @buf; *frame_len gets its whole length. */
static int nic_rx_frame(struct nic *nic, char *buf, size_t size,
			const struct fuse_file_info *fi, size_t *frame_len)
{
	ssize_t got;

	while ((got = nic_dev_recv(nic->dev, buf, size, frame_len)) ==
	       -EAGAIN) {
		int err = nic_wait(nic, NIC_READY_RX, fi);

		if (err < 0)
			return err;
	}
	if (got >= 0 && *frame_len > size) {
		nic_dev_count_truncated(nic->dev);
		pcifs_log(
			LOG_DEBUG,
			"%s: rx frame of %zu bytes truncated to %zu: read with a buffer of at least %d bytes",
			nic->bdf, *frame_len, size, NIC_FRAME_MAX);
	}
	return (int) got;
}

static int nic_rx(struct nic *nic, char *buf, size_t size,
		  const struct fuse_file_info *fi)
{
	size_t frame_len = 0;

	return nic_rx_frame(nic, buf, size, fi, &frame_len);
}

/*
 * Send the whole records in @buf, NIC_TX_BURST per tail write.  A full ring
 * blocks, or under O_NONBLOCK ends early.  *@sent: the bytes of the records
 * queued; returns 0 once all are, or why not.
 */
static int records_send(struct nic *nic, const char *buf, size_t size,
			const struct fuse_file_info *fi, size_t *sent)
{
	struct iovec iov[NIC_TX_BURST];

	*sent = 0;
	while (*sent < size) {
		unsigned n = records_gather(buf + *sent, size - *sent, iov,
					    NIC_TX_BURST);
		int queued = nic_dev_send_burst(nic->dev, iov, n);

		if (queued == -EAGAIN) {
			int err = nic_wait(nic, NIC_READY_TX, fi);

			if (err < 0)
				return err;
			continue;
		}
		if (queued < 0)
			return queued;
		*sent += records_size(iov, (unsigned) queued);
	}
	return 0;
}

/*
 * Per open txbatch file: the start of a record that a write left incomplete.
 * txbatch is a stream, as a pipe to a QEMU stream netdev is: a write larger
 * than one FUSE request reaches pcifs in pieces cut anywhere, and so do the
 * writes of `cat` or `dd bs=N`.  A record is sent once it is whole.
 */
struct nic_writer {
	pthread_mutex_t lock; /* first: see state_new() */
	size_t carry_len;
	char carry[RECORD_HDR + NIC_FRAME_MAX];
};
_Static_assert(offsetof(struct nic_writer, lock) == 0, "lock first");

/*
 * Move the next bytes of @buf into the carried record, up to its end.
 * Returns the bytes taken, or -EINVAL if its length is bad.
 */
static ssize_t carry_fill(struct nic_writer *w, const char *buf, size_t size)
{
	size_t take = 0, n;
	ssize_t rec;

	if (w->carry_len < RECORD_HDR) {
		take = RECORD_HDR - w->carry_len;
		take = take < size ? take : size;
		memcpy(w->carry + w->carry_len, buf, take);
		w->carry_len += take;
	}
	rec = record_size(w->carry, w->carry_len);
	if (rec <= 0)
		return rec < 0 ? rec : (ssize_t) take;
	n = (size_t) rec - w->carry_len;
	n = n < size - take ? n : size - take;
	memcpy(w->carry + w->carry_len, buf + take, n);
	w->carry_len += n;
	return (ssize_t) (take + n);
}

static bool carry_whole(const struct nic_writer *w)
{
	ssize_t rec = record_size(w->carry, w->carry_len);

	return rec > 0 && (size_t) rec == w->carry_len;
}

static void txbatch_refused(const struct nic *nic)
{
	pcifs_log(
		LOG_ERR,
		"%s: txbatch write refused: write records of a 4-byte big-endian length and a frame of %d to %d bytes",
		nic->bdf, NIC_FRAME_MIN, NIC_FRAME_MAX);
}

/*
 * Complete the carried record from @buf and send it; then the whole records
 * of @buf; then carry what is left.  Every length is checked first: a bad
 * one sends nothing of this write and drops the carried bytes.  Returns the
 * bytes of @buf taken (sent or carried), fewer when a full ring ends the
 * write under O_NONBLOCK or a signal interrupts it.  The carried record is
 * never whole between two writes.
 */
static int txbatch_write(struct nic *nic, struct nic_writer *w, const char *buf,
			 size_t size, const struct fuse_file_info *fi)
{
	ssize_t took = 0, whole;
	size_t sent;
	int err;

	if (w->carry_len)
		took = carry_fill(w, buf, size);
	whole = took < 0 ? took : records_whole(buf + took, size - took);
	if (whole < 0) {
		w->carry_len = 0;
		txbatch_refused(nic);
		return -EINVAL;
	}
	if (carry_whole(w)) {
		err = records_send(nic, w->carry, w->carry_len, fi, &sent);
		if (err) {
			/* Give back what this write added: it comes again. */
			w->carry_len -= (size_t) took;
			return err;
		}
		w->carry_len = 0;
	}
	err = records_send(nic, buf + took, (size_t) whole, fi, &sent);
	took += (ssize_t) sent;
	if (err)
		return took ? (int) took : err;
	/* The start of the next record waits for the next write. */
	memcpy(w->carry + w->carry_len, buf + took, size - (size_t) took);
	w->carry_len += size - (size_t) took;
	return (int) size;
}

/*
 * close(): fails with -EINVAL while a record is incomplete.  Every close()
 * of every descriptor of the open file comes here (a forked child's too),
 * so the record stays for whoever writes the rest; the last close drops it
 * (writer_release).  A write blocked on a full ring holds the lock: the
 * stream is not over then, and close() does not wait for it.
 */
static int writer_flush(const struct nic *nic, struct fuse_file_info *fi)
{
	struct nic_writer *w = (struct nic_writer *) (uintptr_t) fi->fh;
	size_t left;

	if (pthread_mutex_trylock(&w->lock) != 0)
		return 0;
	left = w->carry_len;
	pthread_mutex_unlock(&w->lock);
	if (!left)
		return 0;
	pcifs_log(
		LOG_ERR,
		"%s: txbatch closed %zu bytes into a record: write whole records",
		nic->bdf, left);
	return -EINVAL;
}

static void writer_release(const struct nic *nic, struct fuse_file_info *fi)
{
	const struct nic_writer *w =
		(const struct nic_writer *) (uintptr_t) fi->fh;

	if (w && w->carry_len)
		pcifs_log(
			LOG_ERR,
			"%s: txbatch: the incomplete record left at the last close (%zu bytes) was not sent",
			nic->bdf, w->carry_len);
}

static int nic_txbatch(struct nic *nic, const char *buf, size_t size,
		       const struct fuse_file_info *fi)
{
	struct nic_writer *w = (struct nic_writer *) (uintptr_t) fi->fh;
	int ret;

	pthread_mutex_lock(&w->lock);
	ret = txbatch_write(nic, w, buf, size, fi);
	pthread_mutex_unlock(&w->lock);
	return ret;
}

/* Blocks for the first frame, then takes every queued frame that fits. */
static int nic_rxbatch(struct nic *nic, char *buf, size_t size,
		       const struct fuse_file_info *fi)
{
	size_t done = 0, frame_len;
	ssize_t got;

	if (size < RECORD_HDR + NIC_FRAME_MAX) {
		pcifs_log(
			LOG_ERR,
			"%s: rxbatch read refused: read with a buffer of at least %d bytes",
			nic->bdf, RECORD_HDR + NIC_FRAME_MAX);
		return -EINVAL;
	}
	while (size - done >= RECORD_HDR + NIC_FRAME_MAX) {
		got = nic_dev_recv(nic->dev, buf + done + RECORD_HDR,
				   NIC_FRAME_MAX, &frame_len);
		if (got == -EAGAIN && done == 0) {
			int err = nic_wait(nic, NIC_READY_RX, fi);

			if (err < 0)
				return err;
			continue;
		}
		if (got < 0)
			break;
		/* A VLAN-tagged frame can be 1518 bytes: count the cut. */
		if (frame_len > (size_t) got)
			nic_dev_count_truncated(nic->dev);
		record_put_len(buf + done, (uint32_t) got);
		done += RECORD_HDR + (size_t) got;
	}
	return done ? (int) done : (int) got;
}

/*
 * Per open rx or rxbatch file: where a read that continues the last short
 * one would start.  Over virtio-9p, both QEMU's server (v9fs_read) and the
 * Linux client (p9_client_read) read again at the end of a short read until
 * the buffer is full or a read returns 0.  On a queue that second read would
 * wait for the next frame and append it; answering 0 ends the datagram, so
 * one read() in a 9p guest is one frame (or one batch).  A local reader
 * sees this only if it reads on into the rest of its own buffer, as a
 * "fill the buffer" loop does, and then it is told where the frame ends.
 */
struct nic_reader {
	pthread_mutex_t lock; /* first: see state_new() */
	off_t cont_off;
	size_t cont_size; /* 0: no short read to continue */
};
_Static_assert(offsetof(struct nic_reader, lock) == 0, "lock first");

/*
 * The same continuation can come twice: QEMU's server loops first, then the
 * guest's client sends the identical read.  Both must get 0, so the state
 * stays until the next short read replaces it.
 */
static bool reader_continues(struct nic_reader *r, size_t size, off_t off)
{
	bool cont;

	pthread_mutex_lock(&r->lock);
	cont = r->cont_size && off == r->cont_off && size == r->cont_size;
	pthread_mutex_unlock(&r->lock);
	return cont;
}

static void reader_note(struct nic_reader *r, size_t size, off_t off, int got)
{
	if (got <= 0 || (size_t) got >= size)
		return;
	pthread_mutex_lock(&r->lock);
	r->cont_off = off + got;
	r->cont_size = size - (size_t) got;
	pthread_mutex_unlock(&r->lock);
}

/* Blocking waits happen outside the reader's lock, so interrupts work. */
static int nic_read_queue(struct nic *nic, int kind, char *buf, size_t size,
			  off_t off, const struct fuse_file_info *fi)
{
	struct nic_reader *r = (struct nic_reader *) (uintptr_t) fi->fh;
	int got;

	if (reader_continues(r, size, off))
		return 0;
	got = kind == NIC_RX ? nic_rx(nic, buf, size, fi)
			     : nic_rxbatch(nic, buf, size, fi);
	reader_note(r, size, off, got);
	return got;
}

/*
 * The per-open state of rx, rxbatch (struct nic_reader) and txbatch (struct
 * nic_writer) lives in fi->fh; each starts with its lock.
 */
static int state_new(struct fuse_file_info *fi, size_t size)
{
	pthread_mutex_t *lock = calloc(1, size);

	if (!lock)
		return -ENOMEM;
	pthread_mutex_init(lock, NULL);
	fi->fh = (uintptr_t) lock;
	return 0;
}

static void state_free(struct fuse_file_info *fi)
{
	pthread_mutex_t *lock = (pthread_mutex_t *) (uintptr_t) fi->fh;

	if (!lock)
		return;
	pthread_mutex_destroy(lock);
	free(lock);
	fi->fh = 0;
}

/* ---- text files: mac, link, promisc, stats ---- */

static int format_mac(struct nic *nic, char *text, size_t size)
{
	uint8_t m[NIC_ETH_ALEN];
	int err = nic_dev_get_mac(nic->dev, m);

	return err < 0 ? err : ethaddr_format(text, size, m);
}

static int format_link(struct nic *nic, char *text, size_t size)
{
	struct nic_link link;
	int err = nic_dev_get_link(nic->dev, &link);

	if (err < 0)
		return err;
	if (!link.up)
		return snprintf(text, size, "down\n");
	return snprintf(text, size, "up %u %s\n", link.speed_mbps,
			link.full_duplex ? "full" : "half");
}

static int format_promisc(struct nic *nic, char *text, size_t size)
{
	bool on;
	int err = nic_dev_get_promisc(nic->dev, &on);

	return err < 0 ? err : snprintf(text, size, "%d\n", on);
}

static int format_stats(struct nic *nic, char *text, size_t size)
{
	struct nic_stats s;
	int err = nic_dev_get_stats(nic->dev, &s);

	if (err < 0)
		return err;
	return snprintf(text, size,
			"tx_packets %" PRIu64 "\ntx_bytes %" PRIu64
			"\ntx_errors %" PRIu64 "\ntx_drops %" PRIu64
			"\nrx_packets %" PRIu64 "\nrx_bytes %" PRIu64
			"\nrx_errors %" PRIu64 "\nrx_drops %" PRIu64
			"\nrx_truncated %" PRIu64 "\nrx_missed %" PRIu64 "\n",
			s.tx_packets, s.tx_bytes, s.tx_errors, s.tx_drops,
			s.rx_packets, s.rx_bytes, s.rx_errors, s.rx_drops,
			s.rx_truncated, s.rx_missed);
}

static int format_text(struct nic *nic, int kind, char *text, size_t size)
{
	switch (kind) {
	case NIC_MAC:
		return format_mac(nic, text, size);
	case NIC_LINK:
		return format_link(nic, text, size);
	case NIC_PROMISC:
		return format_promisc(nic, text, size);
	case NIC_STATS:
		return format_stats(nic, text, size);
	default:
		return -EINVAL;
	}
}

/* Copies a text value without its one optional trailing newline. */
static int text_arg(const char *buf, size_t size, char *arg, size_t argsize)
{
	if (size > 0 && buf[size - 1] == '\n')
		size--;
	if (size == 0 || size >= argsize || memchr(buf, '\0', size))
		return -EINVAL;
	memcpy(arg, buf, size);
	arg[size] = '\0';
	return 0;
}

static int write_mac(struct nic *nic, const char *arg)
{
	uint8_t m[NIC_ETH_ALEN];

	if (ethaddr_parse(arg, m) < 0) {
		pcifs_log(
			LOG_ERR,
			"%s: mac write refused: write a unicast address as xx:xx:xx:xx:xx:xx",
			nic->bdf);
		return -EINVAL;
	}
	return nic_dev_set_mac(nic->dev, m);
}

static int write_promisc(struct nic *nic, const char *arg)
{
	if (strcmp(arg, "0") != 0 && strcmp(arg, "1") != 0) {
		pcifs_log(LOG_ERR, "%s: promisc write refused: write 0 or 1",
			  nic->bdf);
		return -EINVAL;
	}
	return nic_dev_set_promisc(nic->dev, arg[0] == '1');
}

static int nic_write_text(struct nic *nic, int kind, const char *buf,
			  size_t size, off_t off)
{
	char arg[64];
	int err;

	if (off != 0 || text_arg(buf, size, arg, sizeof(arg)) < 0) {
		pcifs_log(
			LOG_ERR,
			"%s: %s write refused: write the whole value in one write at offset 0",
			nic->bdf, nic_file_names[kind]);
		return -EINVAL;
	}
	if (kind == NIC_MAC)
		err = write_mac(nic, arg);
	else if (kind == NIC_PROMISC)
		err = write_promisc(nic, arg);
	else
		err = -EACCES;
	return err < 0 ? err : (int) size;
}

/* ---- the file operations fs core routes here ---- */

/* Reading rx consumes frames and tx takes raw frames: owner only. */
static const mode_t nic_file_modes[NIC_NFILES] = {
	[NIC_TX] = 0200,      [NIC_RX] = 0400,	    [NIC_MAC] = 0644,
	[NIC_LINK] = 0444,    [NIC_PROMISC] = 0644, [NIC_STATS] = 0444,
	[NIC_TXBATCH] = 0200, [NIC_RXBATCH] = 0400,
};

int nic_getattr(struct nic *nic, enum nic_file kind, struct stat *st)
{

	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFREG | nic_file_modes[kind];
	st->st_nlink = 1;
	if (!is_tx_queue(kind) && !is_rx_queue(kind)) {
		char text[512];
		int len = format_text(nic, kind, text, sizeof(text));

		st->st_size = len > 0 ? len : 0;
	}
	return 0;
}

int nic_open(struct nic *nic, enum nic_file kind, struct fuse_file_info *fi)
{
	int acc = fi->flags & O_ACCMODE;

	(void) nic;
	if ((is_tx_queue(kind) && acc == O_RDONLY) ||
	    (is_rx_queue(kind) && acc != O_RDONLY) ||
	    ((kind == NIC_LINK || kind == NIC_STATS) && acc != O_RDONLY))
		return -EACCES;
	/* Every read and write is an operation on the device.  Seekable
	 * (offsets are ignored): QEMU's 9p server uses preadv/pwritev, which
	 * fail with ESPIPE on a nonseekable file. */
	fi->direct_io = 1;
	fi->keep_cache = 0;
	/* Only txbatch has anything to say at close(). */
	fi->noflush = kind != NIC_TXBATCH;
	if (is_rx_queue(kind))
		return state_new(fi, sizeof(struct nic_reader));
	return kind == NIC_TXBATCH ? state_new(fi, sizeof(struct nic_writer))
				   : 0;
}

int nic_read(struct nic *nic, enum nic_file kind, char *buf, size_t size,
	     off_t off, struct fuse_file_info *fi)
{
	char text[512];
	int len;

	if (is_rx_queue(kind))
		return nic_read_queue(nic, kind, buf, size, off, fi);
	if (is_tx_queue(kind))
		return -EBADF;
	len = format_text(nic, kind, text, sizeof(text));
	if (len < 0)
		return len;
	if (off >= len)
		return 0;
	if (size > (size_t) (len - off))
		size = (size_t) (len - off);
	memcpy(buf, text + off, size);
	return (int) size;
}

int nic_write(struct nic *nic, enum nic_file kind, const char *buf, size_t size,
	      off_t off, struct fuse_file_info *fi)
{

	if (kind == NIC_TX)
		return nic_tx(nic, buf, size, fi);
	if (kind == NIC_TXBATCH)
		return nic_txbatch(nic, buf, size, fi);
	if (kind == NIC_MAC || kind == NIC_PROMISC)
		return nic_write_text(nic, kind, buf, size, off);
	return -EBADF;
}

int nic_flush(struct nic *nic, enum nic_file kind, struct fuse_file_info *fi)
{
	return kind == NIC_TXBATCH ? writer_flush(nic, fi) : 0;
}

int nic_release(struct nic *nic, enum nic_file kind, struct fuse_file_info *fi)
{

	if (kind == NIC_TXBATCH)
		writer_release(nic, fi);
	if (is_rx_queue(kind) || kind == NIC_TXBATCH)
		state_free(fi);
	return 0;
}

/*
 * PCIFS_IOC_XCHG on tx: one frame out, the next frame in, in one FUSE
 * request instead of a write and a read.  A signal while waiting for the
 * reply gives EINTR; the request has been sent by then.
 */
static int nic_xchg(struct nic *nic, struct pcifs_frame *f,
		    const struct fuse_file_info *fi)
{
	size_t frame_len = 0;
	int got = nic_tx(nic, (const char *) f->data, f->len, fi);

	if (got < 0)
		return got;
	got = nic_rx_frame(nic, (char *) f->data, sizeof(f->data), fi,
			   &frame_len);
	if (got < 0)
		return got;
	f->len = (uint16_t) got;
	f->flags = frame_len > sizeof(f->data) ? PCIFS_FRAME_TRUNCATED : 0;
	return 0;
}

int nic_ioctl(struct nic *nic, enum nic_file kind, unsigned int cmd, void *data,
	      struct fuse_file_info *fi)
{
	if (kind != NIC_TX || cmd != PCIFS_IOC_XCHG)
		return -ENOTTY;
	return nic_xchg(nic, data, fi);
}

/* ---- register names ---- */

int nic_reg_lookup(uint16_t vendor, uint16_t device, const char *name,
		   uint32_t *offset, bool *readable_while_driven)
{
	const struct nic_model *model = nic_model_find(vendor, device);
	const struct nic_reg *reg;

	if (!model)
		return -ENOENT;
	reg = nic_reg_find(model->ops->regs, name);
	if (!reg)
		return -ENOENT;
	*offset = reg->offset;
	if (readable_while_driven)
		*readable_while_driven = nic_reg_side_effect_free(reg);
	return 0;
}

void nic_reg_foreach(uint16_t vendor, uint16_t device,
		     void (*fn)(const char *name, void *ctx), void *ctx)
{
	const struct nic_model *model = nic_model_find(vendor, device);

	if (!model)
		return;
	for (const struct nic_reg *reg = model->ops->regs; reg->name; reg++)
		fn(reg->name, ctx);
}
