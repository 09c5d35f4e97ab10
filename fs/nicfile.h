/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nicfile.h - what the modules serving a driven NIC's files share: the
 * NIC itself (struct nic) and the operations each kind of file fills in.
 *
 * fs/nicfile.c maps every enum nic_file to its mode and its ops: the queue
 * files (fs/queue.c), the text attribute files (fs/nictext.c) and the
 * capture file (fs/pcapfile.c).
 * fs/nic.c keeps the registry of driven NICs.
 */
#ifndef PCIFS_NICFILE_H
#define PCIFS_NICFILE_H

#include "e1000/nicdev.h"
#include "fs/bdf.h"
#include "fs/capture.h"
#include "fs/netdev.h"
#include "fs/nic.h"
#include "fs/notify.h"
#include "fs/pcifs.h"

/* A NIC pcifs drives: its device, through the driver interface. */
struct nic {
	char bdf[BDF_LEN];
	struct nic_dev *dev;
	struct notifier notifier;    /* wakes poll() on rx and tx */
	struct capture_set captures; /* the open pcap files (fs/capture.h) */
	struct netdev *netdev;	     /* -o netdev's VM socket, or NULL */
};

/*
 * The operations of one kind of file, called by the nic_* entry points of
 * fs/nic.h with the same arguments.  A NULL read or write is -EBADF, a NULL
 * ioctl -ENOTTY; a NULL size, open, flush or release does nothing.
 */
struct nic_file_ops {
	int events; /* what poll() waits for (NIC_READY_*); 0: always ready */
	int (*size)(struct nic *nic, enum nic_file file); /* st_size */
	int (*open)(struct nic *nic, struct fuse_file_info *fi);
	int (*read)(struct nic *nic, enum nic_file file, char *buf, size_t size,
		    off_t off, struct fuse_file_info *fi);
	int (*write)(struct nic *nic, enum nic_file file, const char *buf,
		     size_t size, off_t off, struct fuse_file_info *fi);
	int (*flush)(struct nic *nic, struct fuse_file_info *fi);
	int (*release)(struct nic *nic, struct fuse_file_info *fi);
	int (*ioctl)(struct nic *nic, unsigned int cmd, void *data,
		     struct fuse_file_info *fi);
};

#endif /* PCIFS_NICFILE_H */
