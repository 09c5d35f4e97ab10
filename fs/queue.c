// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * queue.c - the packet-queue files (see queue.h).
 *
 * It turns the driver's non-blocking send and receive into file semantics:
 * one write() is one frame, one read() is one frame, blocking unless
 * O_NONBLOCK, with FUSE interrupts.  It knows nothing of descriptors.
 */
#include "fs/queue.h"
#include "fs/capture.h"
#include "fs/fuse3.h"
#include "fs/log.h"
#include "fs/pcifs_ioctl.h"
#include "fs/record.h"
#include "fs/txbatch.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

_Static_assert(RECORD_FRAME_MIN == NIC_FRAME_MIN &&
		       RECORD_FRAME_MAX == NIC_FRAME_MAX,
	       "a record holds any frame the driver takes");

/*
 * Longest a blocked reader or writer waits between checks of FUSE's
 * interrupt and exit flags.  An interrupt also ends the wait at once: its
 * SIGUSR1 (fs/main.c) cuts the driver's sleep short with EINTR.  Short
 * slices would cap the driver's idle back-off, so they are long.
 */
#define QUEUE_WAIT_SLICE_US 200000L

#define QUEUE_TX_BURST 64 /* frames handed to the driver per tail write */

/* A writer that finds the TX ring full for this long, with not one
 * descriptor completed meanwhile, gets ETIMEDOUT: the NIC is stuck (its
 * DMA blocked by the IOMMU, TCTL.EN clear) and waiting longer helps no one. */
#define QUEUE_TX_STUCK_NS 5000000000LL

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

int queue_may_wait(const struct fuse_file_info *fi)
{
	if (nonblocking(fi))
		return -EAGAIN;
	if (fuse_interrupted() || session_exiting())
		return -EINTR;
	return 0;
}

static int queue_wait(struct nic *nic, int event,
		      const struct fuse_file_info *fi)
{
	int err = queue_may_wait(fi);

	if (err)
		return err;
	nic_dev_wait(nic->dev, event, QUEUE_WAIT_SLICE_US);
	return 0;
}

/*
 * The per-open state of rx, rxbatch (struct queue_reader) and txbatch
 * (struct queue_writer) lives in fi->fh; each starts with its lock.
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

static int state_free(struct nic *nic, struct fuse_file_info *fi)
{
	pthread_mutex_t *lock = (pthread_mutex_t *) (uintptr_t) fi->fh;

	(void) nic;
	if (!lock)
		return 0;
	pthread_mutex_destroy(lock);
	free(lock);
	fi->fh = 0;
	return 0;
}

/* The receive ring, unless a VM on -o netdev owns it (fs/netdev.h). */
static ssize_t rx_recv(struct nic *nic, void *buf, size_t size,
		       size_t *frame_len)
{
	if (netdev_owns_rx(nic->netdev))
		return netdev_rx_busy(nic->netdev, nic->bdf);
	return nic_dev_recv(nic->dev, buf, size, frame_len);
}

/* ---- tx ---- */

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int tx_stuck(const struct nic *nic)
{
	pcifs_log(
		LOG_ERR,
		"%s: tx stuck: the NIC completed no transmit descriptor for %lld s (its DMA blocked? see dmesg for DMAR faults; TCTL.EN clear?)",
		nic->bdf, QUEUE_TX_STUCK_NS / 1000000000);
	return -ETIMEDOUT;
}

/* The TX ring is full: wait for a slot, or give up with ETIMEDOUT once
 * it has been full for QUEUE_TX_STUCK_NS since *@since (0: from now). */
static int tx_wait_room(struct nic *nic, const struct fuse_file_info *fi,
			int64_t *since)
{
	if (!*since)
		*since = now_ns();
	else if (now_ns() - *since > QUEUE_TX_STUCK_NS)
		return tx_stuck(nic);
	return queue_wait(nic, NIC_READY_TX, fi);
}

static int tx_frame(struct nic *nic, const char *buf, size_t size,
		    const struct fuse_file_info *fi)
{
	int64_t since = 0;
	int err;

	if (size < NIC_FRAME_MIN || size > NIC_FRAME_MAX) {
		pcifs_log(
			LOG_ERR,
			"%s: tx write of %zu bytes refused: write one Ethernet frame of %d to %d bytes, without FCS, per write()",
			nic->bdf, size, NIC_FRAME_MIN, NIC_FRAME_MAX);
		return -EINVAL;
	}
	while ((err = nic_dev_send(nic->dev, buf, size)) == -EAGAIN) {
		err = tx_wait_room(nic, fi, &since);
		if (err < 0)
			return err;
	}
	if (err < 0)
		return err;
	capture_frame(&nic->captures, buf, size, size);
	return (int) size;
}

int queue_send_frames(struct nic *nic, const struct fuse_file_info *fi,
		      const struct iovec *frames, unsigned n, unsigned *sent)
{
	int64_t since = 0;

	*sent = 0;
	while (*sent < n) {
		unsigned burst =
			n - *sent < QUEUE_TX_BURST ? n - *sent : QUEUE_TX_BURST;
		int queued =
			nic_dev_send_burst(nic->dev, frames + *sent, burst);

		if (queued == -EAGAIN) {
			int err = tx_wait_room(nic, fi, &since);

			if (err < 0)
				return err;
			continue;
		}
		if (queued < 0)
			return queued;
		capture_frames(&nic->captures, frames + *sent,
			       (unsigned) queued, NULL);
		since = 0; /* the NIC took frames: not stuck */
		*sent += (unsigned) queued;
	}
	return 0;
}

static int tx_write(struct nic *nic, enum nic_file file, const char *buf,
		    size_t size, off_t off, struct fuse_file_info *fi)
{
	(void) file;
	(void) off;
	return tx_frame(nic, buf, size, fi);
}

/* ---- rx ---- */

/* One frame into @buf; *frame_len gets its whole length. */
static int rx_frame(struct nic *nic, char *buf, size_t size,
		    const struct fuse_file_info *fi, size_t *frame_len)
{
	ssize_t got;

	while ((got = rx_recv(nic, buf, size, frame_len)) == -EAGAIN) {
		int err = queue_wait(nic, NIC_READY_RX, fi);

		if (err < 0)
			return err;
	}
	if (got >= 0)
		capture_frame(&nic->captures, buf, (size_t) got, *frame_len);
	if (got >= 0 && *frame_len > size) {
		nic_dev_count_truncated(nic->dev);
		pcifs_log(
			LOG_DEBUG,
			"%s: rx frame of %zu bytes truncated to %zu: read with a buffer of at least %d bytes",
			nic->bdf, *frame_len, size, NIC_FRAME_MAX);
	}
	return (int) got;
}

static int rx_one(struct nic *nic, char *buf, size_t size,
		  const struct fuse_file_info *fi)
{
	size_t frame_len = 0;

	return rx_frame(nic, buf, size, fi, &frame_len);
}

/* Blocks for the first frame, then takes every queued frame that fits. */
static int rx_batch(struct nic *nic, char *buf, size_t size,
		    const struct fuse_file_info *fi)
{
	size_t done = 0, frame_len;
	ssize_t got;

	if (size < RECORD_MAX) {
		pcifs_log(
			LOG_ERR,
			"%s: rxbatch read refused: read with a buffer of at least %d bytes",
			nic->bdf, RECORD_MAX);
		return -EINVAL;
	}
	while (size - done >= RECORD_MAX) {
		got = rx_recv(nic, buf + done + RECORD_HDR, NIC_FRAME_MAX,
			      &frame_len);
		if (got == -EAGAIN && done == 0) {
			int err = queue_wait(nic, NIC_READY_RX, fi);

			if (err < 0)
				return err;
			continue;
		}
		if (got < 0)
			break;
		/* A VLAN-tagged frame can be 1518 bytes: count the cut. */
		if (frame_len > (size_t) got)
			nic_dev_count_truncated(nic->dev);
		capture_frame(&nic->captures, buf + done + RECORD_HDR,
			      (size_t) got, frame_len);
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
struct queue_reader {
	pthread_mutex_t lock; /* first: see state_new() */
	off_t cont_off;
	size_t cont_size; /* 0: no short read to continue */
};
_Static_assert(offsetof(struct queue_reader, lock) == 0, "lock first");

/*
 * The same continuation can come twice: QEMU's server loops first, then the
 * guest's client sends the identical read.  Both must get 0, so the state
 * stays until the next short read replaces it.
 */
static bool reader_continues(struct queue_reader *r, size_t size, off_t off)
{
	bool cont;

	pthread_mutex_lock(&r->lock);
	cont = r->cont_size && off == r->cont_off && size == r->cont_size;
	pthread_mutex_unlock(&r->lock);
	return cont;
}

static void reader_note(struct queue_reader *r, size_t size, off_t off, int got)
{
	if (got <= 0 || (size_t) got >= size)
		return;
	pthread_mutex_lock(&r->lock);
	r->cont_off = off + got;
	r->cont_size = size - (size_t) got;
	pthread_mutex_unlock(&r->lock);
}

typedef int rx_fn(struct nic *nic, char *buf, size_t size,
		  const struct fuse_file_info *fi);

/* Blocking waits happen outside the reader's lock, so interrupts work. */
static int reader_read(struct nic *nic, rx_fn *rx, char *buf, size_t size,
		       off_t off, const struct fuse_file_info *fi)
{
	struct queue_reader *r = (struct queue_reader *) (uintptr_t) fi->fh;
	int got;

	if (reader_continues(r, size, off))
		return 0;
	got = rx(nic, buf, size, fi);
	reader_note(r, size, off, got);
	return got;
}

/* A reader is a receiver: from its open on, captures leave the ring to it
 * (fs/capture.h). */
static int reader_open(struct nic *nic, struct fuse_file_info *fi)
{
	int err = state_new(fi, sizeof(struct queue_reader));

	if (!err)
		capture_receiver_add(&nic->captures);
	return err;
}

static int reader_release(struct nic *nic, struct fuse_file_info *fi)
{
	if (fi->fh)
		capture_receiver_drop(&nic->captures);
	return state_free(nic, fi);
}

static int rx_read(struct nic *nic, enum nic_file file, char *buf, size_t size,
		   off_t off, struct fuse_file_info *fi)
{
	(void) file;
	return reader_read(nic, rx_one, buf, size, off, fi);
}

static int rxbatch_read(struct nic *nic, enum nic_file file, char *buf,
			size_t size, off_t off, struct fuse_file_info *fi)
{
	(void) file;
	return reader_read(nic, rx_batch, buf, size, off, fi);
}

/* ---- txbatch ---- */

/* Per open txbatch file: the stream being reassembled (fs/txbatch.h). */
struct queue_writer {
	pthread_mutex_t lock; /* first: see state_new() */
	struct txbatch batch;
};
_Static_assert(offsetof(struct queue_writer, lock) == 0, "lock first");

struct batch_sender {
	struct nic *nic;
	const struct fuse_file_info *fi;
};

/* txbatch_send_fn: the whole records of @buf, as queue_send_frames()
 * sends them. */
static int batch_send(void *ctx, const char *buf, size_t size, size_t *sent)
{
	const struct batch_sender *s = ctx;
	struct iovec iov[QUEUE_TX_BURST];

	*sent = 0;
	while (*sent < size) {
		unsigned n = records_gather(buf + *sent, size - *sent, iov,
					    QUEUE_TX_BURST);
		unsigned queued;
		int err = queue_send_frames(s->nic, s->fi, iov, n, &queued);

		*sent += records_size(iov, queued);
		if (err)
			return err;
	}
	return 0;
}

static int writer_open(struct nic *nic, struct fuse_file_info *fi)
{
	(void) nic;
	return state_new(fi, sizeof(struct queue_writer));
}

static int txbatch_file_write(struct nic *nic, enum nic_file file,
			      const char *buf, size_t size, off_t off,
			      struct fuse_file_info *fi)
{
	struct queue_writer *w = (struct queue_writer *) (uintptr_t) fi->fh;
	struct batch_sender sender = {.nic = nic, .fi = fi};
	int ret;

	(void) file;
	(void) off;
	pthread_mutex_lock(&w->lock);
	ret = txbatch_write(&w->batch, buf, size, batch_send, &sender);
	pthread_mutex_unlock(&w->lock);
	if (ret == -EINVAL)
		pcifs_log(
			LOG_ERR,
			"%s: txbatch write refused: write records of a 4-byte big-endian length and a frame of %d to %d bytes",
			nic->bdf, NIC_FRAME_MIN, NIC_FRAME_MAX);
	return ret;
}

/*
 * close(): fails with -EINVAL while a record is incomplete.  Every close()
 * of every descriptor of the open file comes here (a forked child's too),
 * so the record stays for whoever writes the rest; the last close drops it
 * (writer_release).  A write blocked on a full ring holds the lock: the
 * stream is not over then, and close() does not wait for it.
 */
static int writer_flush(struct nic *nic, struct fuse_file_info *fi)
{
	struct queue_writer *w = (struct queue_writer *) (uintptr_t) fi->fh;
	size_t left;

	if (pthread_mutex_trylock(&w->lock) != 0)
		return 0;
	left = txbatch_pending(&w->batch);
	pthread_mutex_unlock(&w->lock);
	if (!left)
		return 0;
	pcifs_log(
		LOG_ERR,
		"%s: txbatch closed %zu bytes into a record: write whole records",
		nic->bdf, left);
	return -EINVAL;
}

static int writer_release(struct nic *nic, struct fuse_file_info *fi)
{
	const struct queue_writer *w =
		(const struct queue_writer *) (uintptr_t) fi->fh;

	if (w && txbatch_pending(&w->batch))
		pcifs_log(
			LOG_ERR,
			"%s: txbatch: the incomplete record left at the last close (%zu bytes) was not sent",
			nic->bdf, txbatch_pending(&w->batch));
	return state_free(nic, fi);
}

/* ---- PCIFS_IOC_XCHG ---- */

/* Per open tx file: whether it exchanged frames, which makes it a receiver
 * (fs/capture.h) until it is closed. */
struct queue_tx {
	pthread_mutex_t lock; /* first: see state_new() */
	bool receiver;
};
_Static_assert(offsetof(struct queue_tx, lock) == 0, "lock first");

static int tx_open(struct nic *nic, struct fuse_file_info *fi)
{
	(void) nic;
	return state_new(fi, sizeof(struct queue_tx));
}

static void tx_become_receiver(struct nic *nic, const struct fuse_file_info *fi)
{
	struct queue_tx *t = (struct queue_tx *) (uintptr_t) fi->fh;

	pthread_mutex_lock(&t->lock);
	if (!t->receiver)
		capture_receiver_add(&nic->captures);
	t->receiver = true;
	pthread_mutex_unlock(&t->lock);
}

static int tx_release(struct nic *nic, struct fuse_file_info *fi)
{
	const struct queue_tx *t = (const struct queue_tx *) (uintptr_t) fi->fh;

	if (t && t->receiver)
		capture_receiver_drop(&nic->captures);
	return state_free(nic, fi);
}

/*
 * On tx: one frame out, the next frame in, in one FUSE request instead of a
 * write and a read.  A signal while waiting for the reply gives EINTR; the
 * request has been sent by then.
 */
static int tx_xchg(struct nic *nic, struct pcifs_frame *f,
		   const struct fuse_file_info *fi)
{
	size_t frame_len = 0;
	int got;

	tx_become_receiver(nic, fi);
	got = tx_frame(nic, (const char *) f->data, f->len, fi);
	if (got < 0)
		return got;
	got = rx_frame(nic, (char *) f->data, sizeof(f->data), fi, &frame_len);
	if (got < 0)
		return got;
	f->len = (uint16_t) got;
	f->flags = frame_len > sizeof(f->data) ? PCIFS_FRAME_TRUNCATED : 0;
	return 0;
}

static int tx_ioctl(struct nic *nic, unsigned int cmd, void *data,
		    struct fuse_file_info *fi)
{
	return cmd == PCIFS_IOC_XCHG ? tx_xchg(nic, data, fi) : -ENOTTY;
}

/* ---- the four files ---- */

const struct nic_file_ops queue_tx_ops = {
	.events = NIC_READY_TX,
	.open = tx_open,
	.write = tx_write,
	.release = tx_release,
	.ioctl = tx_ioctl,
};

const struct nic_file_ops queue_rx_ops = {
	.events = NIC_READY_RX,
	.open = reader_open,
	.read = rx_read,
	.release = reader_release,
};

const struct nic_file_ops queue_txbatch_ops = {
	.events = NIC_READY_TX,
	.open = writer_open,
	.write = txbatch_file_write,
	.flush = writer_flush,
	.release = writer_release,
};

const struct nic_file_ops queue_rxbatch_ops = {
	.events = NIC_READY_RX,
	.open = reader_open,
	.read = rxbatch_read,
	.release = reader_release,
};
