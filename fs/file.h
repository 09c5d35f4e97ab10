/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * file.h - open files of the tree: what fi->fh points to (file.c).
 */
#ifndef PCIFS_FILE_H
#define PCIFS_FILE_H

#include "fs/fuse3.h"
#include "fs/node.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What an open file holds, besides its node; each kind uses its fields. */
struct open_file {
	struct node node;	       /* as resolved at open */
	struct pci_fn *cfg;	       /* config, regs/config/: its function */
	struct bar_window *win;	       /* bar<N>, regs/bar<N>/ */
	uint64_t nic_fh;	       /* NIC files: fs/nic.c's own fi->fh */
	char *text;		       /* info: the text, taken at open */
	size_t len;		       /* info: its length */
	struct open_file *prev, *next; /* every open file (file.c) */
};

/* Open @node: the safety check, then its kind's open; sets fi->fh. */
int file_open(struct node *node, struct fuse_file_info *fi);

/* May a read or write of @file go ahead now?  -ENODEV when its device
 * is gone, or what safety_check_access() says. */
int file_check_access(struct open_file *file, bool write);

/* The open file of @fi, set by file_open(). */
struct open_file *file_of(const struct fuse_file_info *fi);

/* Its kind's release, then whatever the open file holds is freed. */
int file_release(struct fuse_file_info *fi);

/* At unmount: release every file still open (the kernel releases none
 * when the daemon is stopped by a signal), before the NICs go. */
void file_release_all(void);

/* The read of a file whose text open took (file->text, file->len). */
int file_read_text(struct open_file *file, char *buf, size_t size, off_t off,
		   struct fuse_file_info *fi);

/* The truncate of device files: there is no length to cut, so "echo 1 >
 * file" may truncate before it writes. */
int file_truncate_nothing(const struct node *node);

#endif /* PCIFS_FILE_H */
