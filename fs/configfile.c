// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * configfile.c - the config file: config space as bytes, read and written
 * through fs/config.c.
 */
#include "fs/configfile.h"
#include "fs/config.h"
#include "fs/file.h"
#include "fs/sysfs.h"

static int config_file_getattr(struct node *node, struct stat *st)
{
	size_t size;
	int err;

	err = sysfs_config_size(node->dev.bdf, &size);
	if (err)
		return err;
	st->st_mode = S_IFREG | 0644;
	st->st_size = size;
	return 0;
}

int config_file_open(struct open_file *file, struct fuse_file_info *fi)
{
	return config_open(&file->node, fi->flags, &file->cfg);
}

static int config_file_read(struct open_file *file, char *buf, size_t size,
			    off_t off, struct fuse_file_info *fi)
{
	(void) fi;
	return config_read(file->cfg, buf, size, off);
}

static int config_file_write(struct open_file *file, const char *buf,
			     size_t size, off_t off, struct fuse_file_info *fi)
{
	(void) fi;
	return config_write(file->cfg, buf, size, off);
}

const struct node_ops config_file_ops = {
	.getattr = config_file_getattr,
	.truncate = file_truncate_nothing,
	.open = config_file_open,
	.read = config_file_read,
	.write = config_file_write,
};
