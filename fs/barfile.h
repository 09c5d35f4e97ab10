/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * barfile.h - the bar<N> files of a device directory (barfile.c).
 */
#ifndef PCIFS_BARFILE_H
#define PCIFS_BARFILE_H

#include "fs/nodeops.h"

extern const struct node_ops bar_file_ops; /* 0000:00:03.0/bar0 */

/* Take the window on the node's BAR into file->win; regs/bar<N>/ files
 * share it. */
int bar_file_open(struct open_file *file, struct fuse_file_info *fi);

#endif /* PCIFS_BARFILE_H */
