// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcapfile.c - the pcap file of a driven NIC (see pcapfile.h).
 *
 * Reading: the open's capture gives whatever records it holds, up to the
 * buffer; with none, the read waits for one.  While no receiver is open
 * (no rx, no rxbatch, no tx that exchanged frames) the reader itself takes
 * received frames off the ring, so that `tcpdump -r pcap` alone sees the
 * NIC's traffic both ways; once a receiver opens, every frame is its own.
 * Writing: fs/pcap.c reassembles the stream; fs/queue.c sends the frames.
 */
#include "fs/pcapfile.h"
#include "fs/capture.h"
#include "fs/log.h"
#include "fs/pcap.h"
#include "fs/queue.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

/*
 * Longest wait of a blocked reader between looks at FUSE's interrupt and
 * exit flags (a record wakes it at once).  Taking frames off the ring
 * itself, it waits on the NIC instead, and sees records of sent frames
 * only when it looks again: so that slice is short.
 */
#define PCAP_WAIT_SLICE_US  100000L
#define PCAP_STEAL_SLICE_US 20000L

/* Per open pcap file, in fi->fh. */
struct pcap_file {
	pthread_mutex_t lock;	   /* guards stream */
	struct capture *cap;	   /* NULL when opened for writing only */
	struct pcap_stream stream; /* what was written */
};

static struct pcap_file *pcap_file_of(const struct fuse_file_info *fi)
{
	return (struct pcap_file *) (uintptr_t) fi->fh;
}

static int pcap_open(struct nic *nic, struct fuse_file_info *fi)
{
	struct pcap_file *pf = calloc(1, sizeof(*pf));

	if (!pf)
		return -ENOMEM;
	if ((fi->flags & O_ACCMODE) != O_WRONLY) {
		pf->cap = capture_open(&nic->captures);
		if (!pf->cap) {
			free(pf);
			return -ENOMEM;
		}
	}
	pthread_mutex_init(&pf->lock, NULL);
	fi->fh = (uintptr_t) pf;
	return 0;
}

/* ---- reading ---- */

/* Nothing to read yet: take a frame off the ring if nobody else would
 * (no receiver open, no VM on -o netdev owning the ring), else wait for a
 * record.  0 to look again, or why not to. */
static int pcap_wait(struct nic *nic, struct capture *cap,
		     const struct fuse_file_info *fi)
{
	int took = netdev_owns_rx(nic->netdev)
			   ? 0
			   : capture_steal(&nic->captures, nic->dev);
	int err;

	if (took == 1)
		return 0;
	if (took < 0 && took != -EAGAIN)
		return took;
	err = queue_may_wait(fi);
	if (err)
		return err;
	if (took == -EAGAIN) /* the ring is ours, and empty */
		nic_dev_wait(nic->dev, NIC_READY_RX, PCAP_STEAL_SLICE_US);
	else
		capture_wait(cap, PCAP_WAIT_SLICE_US);
	return 0;
}

static int pcap_read(struct nic *nic, enum nic_file file, char *buf,
		     size_t size, off_t off, struct fuse_file_info *fi)
{
	struct capture *cap = pcap_file_of(fi)->cap;
	size_t got;

	(void) file;
	(void) off;
	if (!cap)
		return -EBADF;
	if (!size)
		return 0;
	while (!(got = capture_take(cap, buf, size))) {
		int err = pcap_wait(nic, cap, fi);

		if (err)
			return err;
	}
	return (int) got;
}

/* ---- writing ---- */

struct pcap_sender {
	struct nic *nic;
	const struct fuse_file_info *fi;
};

static int pcap_send(void *ctx, const struct iovec *frames, unsigned n,
		     unsigned *sent)
{
	const struct pcap_sender *s = ctx;

	return queue_send_frames(s->nic, s->fi, frames, n, sent);
}

static void pcap_refused(const struct nic *nic, const struct pcap_stream *ps)
{
	char why[256];

	pcap_fault_describe(ps, why, sizeof(why));
	pcifs_log(
		LOG_ERR,
		"%s: pcap write refused: %s; later writes of this open fail, open pcap again",
		nic->bdf, why);
}

static int pcap_write(struct nic *nic, enum nic_file file, const char *buf,
		      size_t size, off_t off, struct fuse_file_info *fi)
{
	struct pcap_file *pf = pcap_file_of(fi);
	struct pcap_sender sender = {.nic = nic, .fi = fi};
	bool refused;
	int ret;

	(void) file;
	(void) off;
	pthread_mutex_lock(&pf->lock);
	refused = pf->stream.fault != PCAP_FAULT_NONE;
	ret = pcap_stream_write(&pf->stream, buf, size, pcap_send, &sender);
	if (!refused && pf->stream.fault != PCAP_FAULT_NONE)
		pcap_refused(nic, &pf->stream);
	pthread_mutex_unlock(&pf->lock);
	return ret;
}

/* As txbatch's: close() inside a record fails, and every close of the
 * open file comes here; the last drops the record (pcap_release). */
static int pcap_flush(struct nic *nic, struct fuse_file_info *fi)
{
	struct pcap_file *pf = pcap_file_of(fi);
	size_t left;

	if (pthread_mutex_trylock(&pf->lock) != 0)
		return 0;
	left = pcap_stream_pending(&pf->stream);
	pthread_mutex_unlock(&pf->lock);
	if (!left)
		return 0;
	pcifs_log(
		LOG_ERR,
		"%s: pcap closed %zu bytes into a file header or record: write whole pcap files",
		nic->bdf, left);
	return -EINVAL;
}

static int pcap_release(struct nic *nic, struct fuse_file_info *fi)
{
	struct pcap_file *pf = pcap_file_of(fi);

	if (!pf)
		return 0;
	if (pcap_stream_pending(&pf->stream))
		pcifs_log(
			LOG_ERR,
			"%s: pcap: the incomplete record left at the last close (%zu bytes) was not sent",
			nic->bdf, pcap_stream_pending(&pf->stream));
	if (pf->cap)
		capture_close(&nic->captures, pf->cap);
	pthread_mutex_destroy(&pf->lock);
	free(pf);
	fi->fh = 0;
	return 0;
}

const struct nic_file_ops pcapfile_ops = {
	.open = pcap_open,
	.read = pcap_read,
	.write = pcap_write,
	.flush = pcap_flush,
	.release = pcap_release,
};
