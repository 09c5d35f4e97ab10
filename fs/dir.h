/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dir.h - listing the directories of the tree.
 */
#ifndef PCIFS_DIR_H
#define PCIFS_DIR_H

#include "fs/fuse3.h"
#include "fs/node.h"

/* Fill a readdir buffer with the entries of directory @node. */
int dir_list(const struct node *node, void *buf, fuse_fill_dir_t filler);

#endif /* PCIFS_DIR_H */
