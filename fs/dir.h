/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dir.h - what every directory of the tree shares (dir.c): its attributes,
 * and the buffer its entries are added to.
 */
#ifndef PCIFS_DIR_H
#define PCIFS_DIR_H

#include "fs/fuse3.h"

#include <sys/stat.h>

struct node;

/* A readdir buffer being filled. */
struct dir_fill {
	void *buf;
	fuse_fill_dir_t filler;
};

/* Add entry @name to @ctx, a struct dir_fill; shaped for the callbacks of
 * pcilib_group_foreach(), nic_reg_foreach() and regname_config_foreach(). */
void dir_add(const char *name, void *ctx);

/* The getattr of every directory: 0555, two links. */
int dir_getattr(struct node *node, struct stat *st);

#endif /* PCIFS_DIR_H */
