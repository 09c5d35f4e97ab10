// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ops.c - the one fuse_operations table, and the handlers that are about the
 * tree rather than one kind of file.
 */
#include "fs/ops.h"
#include "fs/bar.h"
#include "fs/dir.h"
#include "fs/file.h"
#include "fs/info.h"
#include "fs/nic.h"
#include "fs/path.h"
#include "fs/pcifs.h"
#include "fs/regs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINK_PREFIX "../../" /* by-id/<group>/<bdf> -> ../../<bdf> */

static time_t pcifs_mount_time;

static struct open_file *open_file_of(const struct fuse_file_info *fi)
{
	return (struct open_file *) (uintptr_t) fi->fh;
}

/* The size of info is the length of its text, so that cat sees it all. */
static off_t info_size(const struct node *node)
{
	char text[INFO_MAX];
	ssize_t len = info_format(&node->dev, text, sizeof(text));

	return len < 0 ? 0 : len;
}

/* Mode and size of a node that is not a directory. */
static int attr_file(const struct node *node, struct stat *st)
{
	size_t size;
	int err;

	switch (node->kind) {
	case NODE_LINK:
		st->st_mode = S_IFLNK | 0777;
		st->st_size = strlen(LINK_PREFIX) + strlen(node->dev.bdf);
		return 0;
	case NODE_INFO:
		st->st_mode = S_IFREG | 0444;
		st->st_size = info_size(node);
		return 0;
	case NODE_CONFIG:
		st->st_mode = S_IFREG | 0644;
		err = sysfs_config_size(node->dev.bdf, &size);
		if (err)
			return err;
		st->st_size = size;
		return 0;
	case NODE_BAR:
		st->st_mode = S_IFREG | 0600;
		st->st_size = node->dev.region[node->bar].size;
		return 0;
	case NODE_REG_CONFIG:
	case NODE_REG_BAR:
		st->st_mode =
			S_IFREG | (node->kind == NODE_REG_CONFIG ? 0644 : 0600);
		st->st_size = regval_text_len(node->width);
		return 0;
	default:
		return nic_getattr(node->nic, node->nic_file, st);
	}
}

static int pcifs_getattr(const char *path, struct stat *st,
			 struct fuse_file_info *fi)
{
	struct node node;
	int err;

	(void) fi;
	err = path_resolve(path, &node);
	if (err)
		return err;
	memset(st, 0, sizeof(*st));
	if (node_is_dir(&node)) {
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
	} else {
		err = attr_file(&node, st);
		if (err)
			return err;
		st->st_nlink = 1;
	}
	if (pcifs_opts.ro)
		st->st_mode &= ~0222;
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_atime = st->st_mtime = st->st_ctime = pcifs_mount_time;
	return 0;
}

static int pcifs_readlink(const char *path, char *buf, size_t size)
{
	struct node node;
	int err;

	err = path_resolve(path, &node);
	if (err)
		return err;
	if (node.kind != NODE_LINK)
		return -EINVAL;
	snprintf(buf, size, "%s%s", LINK_PREFIX, node.dev.bdf);
	return 0;
}

static int pcifs_readdir(const char *path, void *buf, fuse_fill_dir_t filler,
			 off_t off, struct fuse_file_info *fi,
			 enum fuse_readdir_flags flags)
{
	struct node node;
	int err;

	(void) off;
	(void) fi;
	(void) flags;
	err = path_resolve(path, &node);
	if (err)
		return err;
	return dir_list(&node, buf, filler);
}

static int pcifs_open(const char *path, struct fuse_file_info *fi)
{
	struct node node;
	int err;

	err = path_resolve(path, &node);
	if (err)
		return err;
	if (node_is_dir(&node))
		return -EISDIR;
	return file_open(&node, fi);
}

static int pcifs_read(const char *path, char *buf, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	(void) path;
	return file_read(open_file_of(fi), buf, size, off, fi);
}

static int pcifs_write(const char *path, const char *buf, size_t size,
		       off_t off, struct fuse_file_info *fi)
{
	(void) path;
	return file_write(open_file_of(fi), buf, size, off, fi);
}

/* Only restricted ioctls, and no 32-bit compat (fs/pcifs_ioctl.h). */
static int pcifs_ioctl(const char *path, unsigned int cmd, void *arg,
		       struct fuse_file_info *fi, unsigned int flags,
		       void *data)
{
	(void) path;
	(void) arg;
	if (flags & (FUSE_IOCTL_COMPAT | FUSE_IOCTL_UNRESTRICTED))
		return -ENOTTY;
	return file_ioctl(open_file_of(fi), cmd, data, fi);
}

static int pcifs_poll(const char *path, struct fuse_file_info *fi,
		      struct fuse_pollhandle *ph, unsigned *reventsp)
{
	(void) path;
	return file_poll(open_file_of(fi), fi, ph, reventsp);
}

static int pcifs_flush(const char *path, struct fuse_file_info *fi)
{
	(void) path;
	return file_flush(open_file_of(fi), fi);
}

static int pcifs_release(const char *path, struct fuse_file_info *fi)
{
	(void) path;
	return file_release(open_file_of(fi), fi);
}

/*
 * "echo 1 > file" truncates before it writes.  Registers have no length to
 * cut, so that is a no-op; only -o ro and info refuse it.
 */
static int pcifs_truncate(const char *path, off_t size,
			  struct fuse_file_info *fi)
{
	struct node node;
	int err;

	(void) size;
	(void) fi;
	err = path_resolve(path, &node);
	if (err)
		return err;
	if (node_is_dir(&node))
		return -EISDIR;
	if (pcifs_opts.ro)
		return -EROFS;
	return node.kind == NODE_INFO || node.kind == NODE_LINK ? -EACCES : 0;
}

/*
 * Over virtio-9p, a guest's "echo 1 > file" arrives as utimensat() and then
 * truncate(): QEMU turns the guest's O_TRUNC into a Tsetattr that sets the
 * times first.  There are no times to keep; accept it as truncate does.
 */
static int pcifs_utimens(const char *path, const struct timespec tv[2],
			 struct fuse_file_info *fi)
{
	struct node node;
	int err;

	(void) tv;
	(void) fi;
	err = path_resolve(path, &node);
	if (err)
		return err;
	return pcifs_opts.ro ? -EROFS : 0;
}

/* Modes and owners are pcifs's to set (see the man page, SAFETY). */
static int pcifs_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	struct node node;
	int err = path_resolve(path, &node);

	(void) mode;
	(void) fi;
	return err ? err : -EPERM;
}

static int pcifs_chown(const char *path, uid_t uid, gid_t gid,
		       struct fuse_file_info *fi)
{
	struct node node;
	int err = path_resolve(path, &node);

	(void) uid;
	(void) gid;
	(void) fi;
	return err ? err : -EPERM;
}

static void *pcifs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	struct nic_mount_args args = {
		.sysfs = pcifs_opts.sysfs,
		.unbind = pcifs_opts.unbind,
		.nodriver = pcifs_opts.nodriver,
	};

	(void) conn;
	pcifs_mount_time = time(NULL);
	cfg->intr = 1; /* blocking rx/tx reads are interruptible */
	cfg->entry_timeout = 1.0;
	cfg->attr_timeout = 1.0;
	cfg->negative_timeout = 0; /* hot-plugged devices show up at once */
	nic_mount(&args);
	return NULL;
}

static void pcifs_destroy(void *private_data)
{
	(void) private_data;
	nic_unmount();
	bar_windows_release();
}

const struct fuse_operations pcifs_ops = {
	.getattr = pcifs_getattr,
	.readlink = pcifs_readlink,
	.truncate = pcifs_truncate,
	.utimens = pcifs_utimens,
	.chmod = pcifs_chmod,
	.chown = pcifs_chown,
	.open = pcifs_open,
	.read = pcifs_read,
	.write = pcifs_write,
	.flush = pcifs_flush,
	.release = pcifs_release,
	.readdir = pcifs_readdir,
	.init = pcifs_init,
	.destroy = pcifs_destroy,
	.poll = pcifs_poll,
	.ioctl = pcifs_ioctl,
};
