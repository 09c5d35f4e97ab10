// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ops.c - the one fuse_operations table.
 *
 * Each handler resolves the path, or takes the open file of fi->fh, and
 * calls the handler of the node's kind (fs/nodeops.h).  What it means when
 * a kind has no such handler is decided here, once.
 */
#include "fs/ops.h"
#include "fs/bar.h"
#include "fs/dir.h"
#include "fs/file.h"
#include "fs/log.h"
#include "fs/nic.h"
#include "fs/node.h"
#include "fs/nodeops.h"
#include "fs/path.h"
#include "fs/pcifs.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static time_t pcifs_mount_time;

/* What a handler a kind leaves out means, when it is not a directory's. */
static int node_lacks(const struct node *node, int err)
{
	return node_is_dir(node) ? -EISDIR : err;
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
	st->st_nlink = 1; /* a directory's getattr makes it 2 */
	err = node_ops(&node)->getattr(&node, st);
	if (err)
		return err;
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
	if (!node_ops(&node)->readlink)
		return -EINVAL;
	return node_ops(&node)->readlink(&node, buf, size);
}

static int pcifs_readdir(const char *path, void *buf, fuse_fill_dir_t filler,
			 off_t off, struct fuse_file_info *fi,
			 enum fuse_readdir_flags flags)
{
	struct dir_fill fill = {.buf = buf, .filler = filler};
	struct node node;
	int err;

	(void) off;
	(void) fi;
	(void) flags;
	err = path_resolve(path, &node);
	if (err)
		return err;
	if (!node_ops(&node)->readdir)
		return -ENOTDIR;
	dir_add(".", &fill);
	dir_add("..", &fill);
	return node_ops(&node)->readdir(&node, &fill);
}

static int pcifs_open(const char *path, struct fuse_file_info *fi)
{
	struct node node;
	int err;

	err = path_resolve(path, &node);
	if (err)
		return err;
	if (!node_ops(&node)->open)
		return node_lacks(&node, -EACCES);
	return file_open(&node, fi);
}

static int pcifs_read(const char *path, char *buf, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	struct open_file *file = file_of(fi);
	const struct node_ops *ops = node_ops(&file->node);

	int err = file_check_access(file, false);

	(void) path;
	if (err)
		return err;
	return ops->read ? ops->read(file, buf, size, off, fi) : -EINVAL;
}

static int pcifs_write(const char *path, const char *buf, size_t size,
		       off_t off, struct fuse_file_info *fi)
{
	struct open_file *file = file_of(fi);
	const struct node_ops *ops = node_ops(&file->node);

	int err = file_check_access(file, true);

	(void) path;
	if (err)
		return err;
	return ops->write ? ops->write(file, buf, size, off, fi) : -EACCES;
}

/* Only restricted ioctls, and no 32-bit compat (fs/pcifs_ioctl.h). */
static int pcifs_ioctl(const char *path, unsigned int cmd, void *arg,
		       struct fuse_file_info *fi, unsigned int flags,
		       void *data)
{
	struct open_file *file = file_of(fi);
	const struct node_ops *ops = node_ops(&file->node);

	(void) path;
	(void) arg;
	if (flags & (FUSE_IOCTL_COMPAT | FUSE_IOCTL_UNRESTRICTED))
		return -ENOTTY;
	return ops->ioctl ? ops->ioctl(file, cmd, data, fi) : -ENOTTY;
}

/* Without a poll handler a file is always ready, like a regular file. */
static int pcifs_poll(const char *path, struct fuse_file_info *fi,
		      struct fuse_pollhandle *ph, unsigned *reventsp)
{
	struct open_file *file = file_of(fi);
	const struct node_ops *ops = node_ops(&file->node);

	(void) path;
	if (ops->poll)
		return ops->poll(file, fi, ph, reventsp);
	if (ph)
		fuse_pollhandle_destroy(ph);
	*reventsp = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	return 0;
}

static int pcifs_flush(const char *path, struct fuse_file_info *fi)
{
	struct open_file *file = file_of(fi);
	const struct node_ops *ops = node_ops(&file->node);

	(void) path;
	return ops->flush ? ops->flush(file, fi) : 0;
}

static int pcifs_release(const char *path, struct fuse_file_info *fi)
{
	(void) path;
	return file_release(fi);
}

/*
 * "echo 1 > file" truncates before it writes.  Device files have no length
 * to cut and accept it; only -o ro and the files without a truncate
 * handler (info, links) refuse it.
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
	if (!node_ops(&node)->truncate)
		return -EACCES;
	return node_ops(&node)->truncate(&node);
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

/*
 * The tree is pcifs's: it has exactly the files pcifs shows, and nothing in
 * it can be created, removed, linked or renamed, as in sysfs.  Each such
 * call fails with EPERM ("Operation not permitted"), never with ENOSYS;
 * under -o ro the kernel answers EROFS before asking.
 */
static int tree_fixed(const char *op, const char *path)
{
	pcifs_log_limited(
		LOG_WARNING,
		"%s %s refused: pcifs shows the devices as they are; files cannot be created, removed, linked or renamed",
		op, path);
	return -EPERM;
}

static int pcifs_mkdir(const char *path, mode_t mode)
{
	(void) mode;
	return tree_fixed("mkdir", path);
}

static int pcifs_mknod(const char *path, mode_t mode, dev_t rdev)
{
	(void) mode;
	(void) rdev;
	return tree_fixed("mknod", path);
}

static int pcifs_unlink(const char *path)
{
	return tree_fixed("unlink", path);
}

static int pcifs_rmdir(const char *path)
{
	return tree_fixed("rmdir", path);
}

static int pcifs_symlink(const char *target, const char *path)
{
	(void) target;
	return tree_fixed("symlink", path);
}

static int pcifs_link(const char *from, const char *path)
{
	(void) from;
	return tree_fixed("link", path);
}

static int pcifs_rename(const char *from, const char *to, unsigned int flags)
{
	(void) to;
	(void) flags;
	return tree_fixed("rename", from);
}

/* open(O_CREAT) of a name that is not there: most often a mistyped
 * register name, so say that it does not exist. */
static int pcifs_create(const char *path, mode_t mode,
			struct fuse_file_info *fi)
{
	(void) mode;
	(void) fi;
	pcifs_log_limited(
		LOG_WARNING,
		"%s: no such file; pcifs creates none: ls the directory for the files it serves",
		path);
	return -ENOENT;
}

static void *pcifs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	struct nic_mount_args args = {
		.sysfs = pcifs_opts.sysfs,
		.unbind = pcifs_opts.unbind,
		.nodriver = pcifs_opts.nodriver,
		.vfio = pcifs_opts.vfio,
		.irq = pcifs_opts.irq_kinds,
		.netdev = pcifs_opts.netdev,
	};

	/*
	 * O_TRUNC as a truncate() call, answered with the file's real size.
	 * With atomic O_TRUNC the kernel takes the size to be 0 after such an
	 * open, and the next O_APPEND write of "echo > config; echo x >>
	 * config" lands at offset 0 instead of failing at the end.
	 */
	conn->want &= ~FUSE_CAP_ATOMIC_O_TRUNC;
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
	file_release_all();
	/* Windows first: one through a NIC's vfio device fd keeps the device
	 * open, and giving it back (-o vfio) waits until it is closed. */
	bar_windows_release();
	nic_unmount();
}

const struct fuse_operations pcifs_ops = {
	.getattr = pcifs_getattr,
	.readlink = pcifs_readlink,
	.truncate = pcifs_truncate,
	.utimens = pcifs_utimens,
	.chmod = pcifs_chmod,
	.chown = pcifs_chown,
	.mkdir = pcifs_mkdir,
	.mknod = pcifs_mknod,
	.unlink = pcifs_unlink,
	.rmdir = pcifs_rmdir,
	.symlink = pcifs_symlink,
	.link = pcifs_link,
	.rename = pcifs_rename,
	.create = pcifs_create,
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
