// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * barfile.c - the bar<N> files: a BAR as bytes, through a window of
 * fs/bar.c.
 */
#include "fs/barfile.h"
#include "fs/bar.h"
#include "fs/file.h"
#include "fs/log.h"

#include <errno.h>
#include <stdbool.h>

static int bar_file_getattr(struct node *node, struct stat *st)
{
	st->st_mode = S_IFREG | 0600;
	st->st_size = node->dev.region[node->bar].size;
	return 0;
}

int bar_file_open(struct open_file *file, struct fuse_file_info *fi)
{
	(void) fi;
	return bar_window_get(&file->node.dev, file->node.bar, &file->win);
}

/* bar_read and bar_write refuse unaligned and odd-sized accesses. */
static ssize_t bar_checked(const struct open_file *file, ssize_t ret,
			   bool write, size_t size, off_t off)
{
	if (ret == -EINVAL)
		pcifs_log_limited(
			LOG_WARNING,
			"%s: bar%d %s of %zu bytes at 0x%llx refused: not an aligned access of 1, 2, 4, 8 or 4*k bytes; use e.g. dd bs=4 with an aligned offset",
			file->node.dev.bdf, file->node.bar,
			write ? "write" : "read", size,
			(unsigned long long) off);
	return ret;
}

static int bar_file_read(struct open_file *file, char *buf, size_t size,
			 off_t off, struct fuse_file_info *fi)
{
	(void) fi;
	return bar_checked(file, bar_read(file->win, buf, size, off), false,
			   size, off);
}

static int bar_file_write(struct open_file *file, const char *buf, size_t size,
			  off_t off, struct fuse_file_info *fi)
{
	(void) fi;
	return bar_checked(file, bar_write(file->win, buf, size, off), true,
			   size, off);
}

const struct node_ops bar_file_ops = {
	.getattr = bar_file_getattr,
	.truncate = file_truncate_nothing,
	.open = bar_file_open,
	.read = bar_file_read,
	.write = bar_file_write,
};
