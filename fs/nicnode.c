// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nicnode.c - the glue from the files of a driven NIC to fs/nic.h.
 *
 * fs/nic.c keeps its own fi->fh.  The open file keeps it in nic_fh, and each
 * call hands fs/nic.c a copy of fi that carries it.
 */
#include "fs/nicnode.h"
#include "fs/file.h"
#include "fs/nic.h"

#include <errno.h>

static struct fuse_file_info nic_fi_of(const struct open_file *file,
				       const struct fuse_file_info *fi)
{
	struct fuse_file_info nic_fi = *fi;

	nic_fi.fh = file->nic_fh;
	return nic_fi;
}

static int nic_file_getattr(struct node *node, struct stat *st)
{
	return nic_getattr(node->nic, node->nic_file, st);
}

/* Accepted as for every device file, but not on the read-only ones (link,
 * stats, rx, rxbatch), which refuse it as info does. */
static int nic_file_truncate(const struct node *node)
{
	struct stat st;
	int err = nic_getattr(node->nic, node->nic_file, &st);

	if (err)
		return err;
	return (st.st_mode & S_IWUSR) ? 0 : -EACCES;
}

static int nic_file_open(struct open_file *file, struct fuse_file_info *fi)
{
	struct fuse_file_info nic_fi = *fi;
	int err;

	err = nic_open(file->node.nic, file->node.nic_file, &nic_fi);
	if (err)
		return err;
	file->nic_fh = nic_fi.fh;
	*fi = nic_fi;
	return 0;
}

static int nic_file_read(struct open_file *file, char *buf, size_t size,
			 off_t off, struct fuse_file_info *fi)
{
	struct fuse_file_info nic_fi = nic_fi_of(file, fi);

	return nic_read(file->node.nic, file->node.nic_file, buf, size, off,
			&nic_fi);
}

static int nic_file_write(struct open_file *file, const char *buf, size_t size,
			  off_t off, struct fuse_file_info *fi)
{
	struct fuse_file_info nic_fi = nic_fi_of(file, fi);

	return nic_write(file->node.nic, file->node.nic_file, buf, size, off,
			 &nic_fi);
}

/* The open file is the key of its poll handle (fs/notify.h). */
static int nic_file_poll(struct open_file *file, struct fuse_file_info *fi,
			 struct fuse_pollhandle *ph, unsigned *reventsp)
{
	(void) fi;
	return nic_poll(file->node.nic, file->node.nic_file,
			(uint64_t) (uintptr_t) file, ph, reventsp);
}

static int nic_file_ioctl(struct open_file *file, unsigned int cmd, void *data,
			  struct fuse_file_info *fi)
{
	struct fuse_file_info nic_fi = nic_fi_of(file, fi);

	return nic_ioctl(file->node.nic, file->node.nic_file, cmd, data,
			 &nic_fi);
}

static int nic_file_flush(struct open_file *file, struct fuse_file_info *fi)
{
	struct fuse_file_info nic_fi = nic_fi_of(file, fi);

	return nic_flush(file->node.nic, file->node.nic_file, &nic_fi);
}

static int nic_file_release(struct open_file *file, struct fuse_file_info *fi)
{
	struct fuse_file_info nic_fi = nic_fi_of(file, fi);

	return nic_release(file->node.nic, file->node.nic_file,
			   (uint64_t) (uintptr_t) file, &nic_fi);
}

const struct node_ops nic_file_ops = {
	.getattr = nic_file_getattr,
	.truncate = nic_file_truncate,
	.open = nic_file_open,
	.read = nic_file_read,
	.write = nic_file_write,
	.poll = nic_file_poll,
	.ioctl = nic_file_ioctl,
	.flush = nic_file_flush,
	.release = nic_file_release,
};
