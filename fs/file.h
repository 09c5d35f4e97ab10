/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * file.h - open files of the tree: what fi->fh points to.
 */
#ifndef PCIFS_FILE_H
#define PCIFS_FILE_H

#include "fs/fuse3.h"
#include "fs/node.h"

struct open_file {
	struct node node;
	int fd;			/* NODE_CONFIG, NODE_REG_CONFIG: sysfs config */
	struct bar_window *win; /* NODE_BAR, NODE_REG_BAR */
	uint64_t nic_fh;	/* NODE_NIC: fs/nic.c's own fi->fh */
	size_t len;		/* NODE_INFO: the text, taken at open */
	char text[];
};

int file_open(const struct node *node, struct fuse_file_info *fi);
int file_read(struct open_file *file, char *buf, size_t size, off_t off,
	      struct fuse_file_info *fi);
int file_write(struct open_file *file, const char *buf, size_t size, off_t off,
	       struct fuse_file_info *fi);
int file_ioctl(struct open_file *file, unsigned int cmd, void *data,
	       struct fuse_file_info *fi);
int file_poll(struct open_file *file, struct fuse_file_info *fi,
	      struct fuse_pollhandle *ph, unsigned *reventsp);
int file_flush(struct open_file *file, struct fuse_file_info *fi);
int file_release(struct open_file *file, struct fuse_file_info *fi);

#endif /* PCIFS_FILE_H */
