// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 9p-dgramfs.c - a stand-in for pcifs's tx/rx queue files, for tests/9p-frames.bats.
 *
 * The test machines have no e1000 of their own, so the frame path through
 * virtio-9p is checked against this FUSE filesystem instead: two files with
 * the semantics of fs/nic.c, wired back to back.
 *
 *   tx   0200  one write() = one frame of 14..1514 bytes, else EINVAL
 *   rx   0400  one read() = one frame (cut to the buffer), in the order
 *              written to tx; blocks while empty (interruptible), EAGAIN
 *              with O_NONBLOCK; poll() says POLLIN when a frame is queued
 *
 * rx answers 0 to a read that continues the previous read of the same open
 * file (see rx_continues): QEMU's 9p server reads again at the end of a
 * short read until the buffer is full or a read returns 0, and so does the
 * Linux 9p client.  Without that rule a guest's read() of rx would block for
 * the next frame and merge it in.  DGRAMFS_NOCONT=1 turns the rule off, to
 * show that.  DGRAMFS_NONSEEKABLE=1 opens tx and rx nonseekable, as a
 * FUSE file system might: QEMU's pread/pwrite on them then fail (ESPIPE).  A blocked read gives up after 60 s with ETIMEDOUT so that a
 * test can never hang on it.
 *
 * Usage: 9p-dgramfs [FUSE options] MOUNTPOINT
 */
#define FUSE_USE_VERSION 314
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIN_FRAME     14
#define MAX_FRAME     1514
#define QUEUE_LEN     64
#define WAIT_SLICE_NS 50000000L /* between interrupt checks */
#define WAIT_LIMIT    1200	/* slices: 60 s */

struct frame {
	size_t len;
	unsigned char data[MAX_FRAME];
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t ready;
	struct frame ring[QUEUE_LEN];
	unsigned head, tail; /* head - tail frames queued */
	bool no_cont;
	bool nonseekable;
	struct fuse_pollhandle *poller; /* the last rx poller, woken by tx */
} q = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.ready = PTHREAD_COND_INITIALIZER,
};

/* Per open file of rx: where a read that continues the last one starts. */
struct rx_file {
	pthread_mutex_t lock;
	off_t cont_off;
	size_t cont_size; /* 0: the last read filled its buffer */
};

static int is(const char *path, const char *name)
{
	return path[0] == '/' && !strcmp(path + 1, name);
}

static int dg_getattr(const char *path, struct stat *st,
		      struct fuse_file_info *fi)
{
	(void) fi;
	memset(st, 0, sizeof(*st));
	if (!strcmp(path, "/")) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
	} else if (is(path, "tx") || is(path, "rx")) {
		st->st_mode = S_IFREG | (is(path, "tx") ? 0200 : 0400);
		st->st_nlink = 1;
	} else {
		return -ENOENT;
	}
	return 0;
}

static int dg_readdir(const char *path, void *buf, fuse_fill_dir_t fill,
		      off_t off, struct fuse_file_info *fi,
		      enum fuse_readdir_flags flags)
{
	(void) path;
	(void) off;
	(void) fi;
	(void) flags;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	fill(buf, "tx", NULL, 0, 0);
	fill(buf, "rx", NULL, 0, 0);
	return 0;
}

static int dg_open(const char *path, struct fuse_file_info *fi)
{
	int acc = fi->flags & O_ACCMODE;
	struct rx_file *rx;

	if (is(path, "tx")) {
		fi->direct_io = 1;
		fi->nonseekable = q.nonseekable;
		return acc == O_RDONLY ? -EACCES : 0;
	}
	if (!is(path, "rx"))
		return -ENOENT;
	if (acc != O_RDONLY)
		return -EACCES;
	rx = calloc(1, sizeof(*rx));
	if (!rx)
		return -ENOMEM;
	pthread_mutex_init(&rx->lock, NULL);
	fi->fh = (uintptr_t) rx;
	fi->direct_io = 1;
	fi->nonseekable = q.nonseekable;
	return 0;
}

static int dg_release(const char *path, struct fuse_file_info *fi)
{
	(void) path;
	free((void *) (uintptr_t) fi->fh);
	return 0;
}

static int dg_write(const char *path, const char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct frame *f;

	(void) off;
	(void) fi;
	if (!is(path, "tx"))
		return -EBADF;
	if (size < MIN_FRAME || size > MAX_FRAME)
		return -EINVAL;
	pthread_mutex_lock(&q.lock);
	if (q.head - q.tail == QUEUE_LEN) {
		pthread_mutex_unlock(&q.lock);
		return -ENOBUFS;
	}
	f = &q.ring[q.head++ % QUEUE_LEN];
	f->len = size;
	memcpy(f->data, buf, size);
	pthread_cond_broadcast(&q.ready);
	if (q.poller) {
		fuse_notify_poll(q.poller);
		fuse_pollhandle_destroy(q.poller);
		q.poller = NULL;
	}
	pthread_mutex_unlock(&q.lock);
	return (int) size;
}

/*
 * A 9p server or client asking for the rest of a buffer that the previous
 * read of this open file left short: same file, offset = previous offset +
 * frame length, size = previous size - frame length.  That frame has ended.
 */
static bool rx_continues(struct rx_file *rx, size_t size, off_t off)
{
	return !q.no_cont && rx->cont_size && off == rx->cont_off &&
	       size == rx->cont_size;
}

/* Waits for a frame with q.lock held; 0, -EAGAIN, -EINTR or -ETIMEDOUT. */
static int rx_wait(const struct fuse_file_info *fi)
{
	struct timespec until;
	int slices = 0;

	while (q.head == q.tail) {
		if (fi->flags & O_NONBLOCK)
			return -EAGAIN;
		if (fuse_interrupted())
			return -EINTR;
		if (++slices > WAIT_LIMIT)
			return -ETIMEDOUT;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += WAIT_SLICE_NS;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&q.ready, &q.lock, &until);
	}
	return 0;
}

static int rx_read(struct rx_file *rx, char *buf, size_t size, off_t off,
		   const struct fuse_file_info *fi)
{
	struct frame *f;
	size_t len;
	int err;

	pthread_mutex_lock(&rx->lock);
	if (rx_continues(rx, size, off)) {
		pthread_mutex_unlock(&rx->lock);
		return 0;
	}
	pthread_mutex_lock(&q.lock);
	err = rx_wait(fi);
	if (err) {
		pthread_mutex_unlock(&q.lock);
		pthread_mutex_unlock(&rx->lock);
		return err;
	}
	f = &q.ring[q.tail++ % QUEUE_LEN];
	len = f->len < size ? f->len : size;
	memcpy(buf, f->data, len);
	pthread_mutex_unlock(&q.lock);
	rx->cont_off = off + (off_t) len;
	rx->cont_size = size - len;
	pthread_mutex_unlock(&rx->lock);
	return (int) len;
}

static int dg_read(const char *path, char *buf, size_t size, off_t off,
		   struct fuse_file_info *fi)
{
	if (!is(path, "rx"))
		return -EBADF;
	return rx_read((struct rx_file *) (uintptr_t) fi->fh, buf, size, off,
		       fi);
}

static int dg_poll(const char *path, struct fuse_file_info *fi,
		   struct fuse_pollhandle *ph, unsigned *reventsp)
{
	(void) fi;
	if (!is(path, "rx")) {
		*reventsp |= POLLOUT;
		fuse_pollhandle_destroy(ph);
		return 0;
	}
	pthread_mutex_lock(&q.lock);
	if (q.head != q.tail)
		*reventsp |= POLLIN;
	if (ph) {
		if (q.poller)
			fuse_pollhandle_destroy(q.poller);
		q.poller = ph;
	}
	pthread_mutex_unlock(&q.lock);
	return 0;
}

static int dg_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void) size;
	(void) fi;
	return is(path, "tx") ? 0 : -EACCES;
}

static int dg_utimens(const char *path, const struct timespec tv[2],
		      struct fuse_file_info *fi)
{
	(void) path;
	(void) tv;
	(void) fi;
	return 0;
}

static void *dg_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void) conn;
	cfg->intr = 1;
	cfg->direct_io = 1;
	return NULL;
}

static const struct fuse_operations dg_ops = {
	.init = dg_init,
	.getattr = dg_getattr,
	.readdir = dg_readdir,
	.open = dg_open,
	.release = dg_release,
	.read = dg_read,
	.write = dg_write,
	.poll = dg_poll,
	.truncate = dg_truncate,
	.utimens = dg_utimens,
};

int main(int argc, char **argv)
{
	const char *nocont = getenv("DGRAMFS_NOCONT");
	const char *nonseekable = getenv("DGRAMFS_NONSEEKABLE");

	q.no_cont = nocont && *nocont == '1';
	q.nonseekable = nonseekable && *nonseekable == '1';
	return fuse_main(argc, argv, &dg_ops, NULL);
}
