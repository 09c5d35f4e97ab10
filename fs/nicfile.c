// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nicfile.c - the files of a driven NIC's directory: one table from enum
 * nic_file to its name, mode and operations, and the nic_* entry points of
 * fs/nic.h that dispatch through it.
 */
#include "fs/nicfile.h"
#include "fs/nictext.h"
#include "fs/pcapfile.h"
#include "fs/queue.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <poll.h>
#include <string.h>

/* Indexed by enum nic_file, so a name cannot drift from its kind. */
const char *const nic_file_names[NIC_NFILES] = {
	[NIC_TX] = "tx",	   [NIC_RX] = "rx",
	[NIC_MAC] = "mac",	   [NIC_LINK] = "link",
	[NIC_PROMISC] = "promisc", [NIC_STATS] = "stats",
	[NIC_TXBATCH] = "txbatch", [NIC_RXBATCH] = "rxbatch",
	[NIC_PCAP] = "pcap",
};

/* Reading rx consumes frames, tx takes raw frames and pcap shows every
 * frame: owner only.  The owner's bits also decide which opens are allowed
 * (file_access). */
static const struct nic_file_kind {
	mode_t mode;
	const struct nic_file_ops *ops;
} nic_files[NIC_NFILES] = {
	[NIC_TX] = {0200, &queue_tx_ops},
	[NIC_RX] = {0400, &queue_rx_ops},
	[NIC_MAC] = {0644, &nictext_ops},
	[NIC_LINK] = {0444, &nictext_ops},
	[NIC_PROMISC] = {0644, &nictext_ops},
	[NIC_STATS] = {0444, &nictext_ops},
	[NIC_TXBATCH] = {0200, &queue_txbatch_ops},
	[NIC_RXBATCH] = {0400, &queue_rxbatch_ops},
	[NIC_PCAP] = {0600, &pcapfile_ops},
};

int nic_file_lookup(const char *name)
{
	for (int i = 0; i < NIC_NFILES; i++)
		if (strcmp(name, nic_file_names[i]) == 0)
			return i;
	return -ENOENT;
}

static const struct nic_file_ops *file_ops(enum nic_file file)
{
	return nic_files[file].ops;
}

int nic_getattr(struct nic *nic, enum nic_file file, struct stat *st)
{
	const struct nic_file_ops *ops = file_ops(file);
	int size = ops->size ? ops->size(nic, file) : 0;

	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFREG | nic_files[file].mode;
	st->st_nlink = 1;
	st->st_size = size > 0 ? size : 0;
	return 0;
}

/* A write-only file opens for writing (O_RDWR too), a read-only one for
 * reading only. */
static int file_access(enum nic_file file, int flags)
{
	mode_t mode = nic_files[file].mode;
	int acc = flags & O_ACCMODE;

	if (acc == O_RDONLY && !(mode & S_IRUSR))
		return -EACCES;
	if (acc != O_RDONLY && !(mode & S_IWUSR))
		return -EACCES;
	return 0;
}

int nic_open(struct nic *nic, enum nic_file file, struct fuse_file_info *fi)
{
	const struct nic_file_ops *ops = file_ops(file);
	int err = file_access(file, fi->flags);

	if (err)
		return err;
	/* Every read and write is an operation on the device.  Seekable
	 * (offsets are ignored): QEMU's 9p server uses preadv/pwritev, which
	 * fail with ESPIPE on a nonseekable file. */
	fi->direct_io = 1;
	fi->keep_cache = 0;
	/* Only a file with something to say at close() gets a flush. */
	fi->noflush = !ops->flush;
	return ops->open ? ops->open(nic, fi) : 0;
}

/* A read or write that left its queue not ready (rx empty, tx ring full)
 * makes the queue's next readiness an edge for pollers (fs/notify.h). */
static int rearm_after(struct nic *nic, enum nic_file file, int ret)
{
	int events = file_ops(file)->events;

	if (events && !nic_dev_ready(nic->dev, events))
		notifier_rearm(&nic->notifier, events);
	return ret;
}

int nic_read(struct nic *nic, enum nic_file file, char *buf, size_t size,
	     off_t off, struct fuse_file_info *fi)
{
	const struct nic_file_ops *ops = file_ops(file);

	if (!ops->read)
		return -EBADF;
	return rearm_after(nic, file, ops->read(nic, file, buf, size, off, fi));
}

int nic_write(struct nic *nic, enum nic_file file, const char *buf, size_t size,
	      off_t off, struct fuse_file_info *fi)
{
	const struct nic_file_ops *ops = file_ops(file);

	if (!ops->write)
		return -EBADF;
	return rearm_after(nic, file,
			   ops->write(nic, file, buf, size, off, fi));
}

int nic_poll(struct nic *nic, enum nic_file file, uint64_t key,
	     struct fuse_pollhandle *ph, unsigned *reventsp)
{
	int events = file_ops(file)->events;

	if (events) {
		notifier_poll(&nic->notifier, events, key, ph, reventsp);
		return 0;
	}
	/* Text files are always readable and writable. */
	*reventsp |= POLLIN | POLLOUT;
	if (ph)
		fuse_pollhandle_destroy(ph);
	return 0;
}

int nic_flush(struct nic *nic, enum nic_file file, struct fuse_file_info *fi)
{
	const struct nic_file_ops *ops = file_ops(file);

	return ops->flush ? ops->flush(nic, fi) : 0;
}

int nic_release(struct nic *nic, enum nic_file file, uint64_t key,
		struct fuse_file_info *fi)
{
	const struct nic_file_ops *ops = file_ops(file);

	if (ops->events)
		notifier_forget(&nic->notifier, key);
	return ops->release ? ops->release(nic, fi) : 0;
}

/* PCIFS_IOC_XCHG takes a received frame too: rx may be drained. */
int nic_ioctl(struct nic *nic, enum nic_file file, unsigned int cmd, void *data,
	      struct fuse_file_info *fi)
{
	const struct nic_file_ops *ops = file_ops(file);
	int ret = ops->ioctl ? ops->ioctl(nic, cmd, data, fi) : -ENOTTY;

	if (ops->ioctl && !nic_dev_ready(nic->dev, NIC_READY_RX))
		notifier_rearm(&nic->notifier, NIC_READY_RX);
	return ret;
}
