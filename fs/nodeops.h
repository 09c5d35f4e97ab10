/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nodeops.h - what a kind of node does: the handlers ops.c calls.
 *
 * Each kind, or each family of kinds that share handlers, fills one table
 * in its own file (root.c, device.c, info.c, configfile.c, barfile.c,
 * regfile.c, nicfile.c); node_ops() finds the table of a node.  getattr is
 * required.  A handler left out gives the errno a user expects, chosen once
 * in ops.c: readdir ENOTDIR, readlink EINVAL, open EISDIR on a directory,
 * write EACCES, ioctl ENOTTY; without poll a file is always ready, without
 * flush or release there is nothing to do.
 */
#ifndef PCIFS_NODEOPS_H
#define PCIFS_NODEOPS_H

#include "fs/fuse3.h"

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

struct dir_fill;
struct node;
struct open_file;

struct node_ops {
	/* On the node path_resolve() has just filled for this call. */
	int (*getattr)(struct node *node, struct stat *st);
	int (*readdir)(struct node *node, struct dir_fill *fill);
	int (*readlink)(const struct node *node, char *buf, size_t size);
	int (*truncate)(const struct node *node);

	/* On the open file of fi->fh (fs/file.h); open fills it in. */
	int (*open)(struct open_file *file, struct fuse_file_info *fi);
	int (*read)(struct open_file *file, char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi);
	int (*write)(struct open_file *file, const char *buf, size_t size,
		     off_t off, struct fuse_file_info *fi);
	int (*poll)(struct open_file *file, struct fuse_file_info *fi,
		    struct fuse_pollhandle *ph, unsigned *reventsp);
	int (*ioctl)(struct open_file *file, unsigned int cmd, void *data,
		     struct fuse_file_info *fi);
	int (*flush)(struct open_file *file, struct fuse_file_info *fi);
	int (*release)(struct open_file *file, struct fuse_file_info *fi);
};

#endif /* PCIFS_NODEOPS_H */
