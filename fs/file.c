// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * file.c - opening and releasing a file of the tree: the struct open_file
 * that fi->fh points to.  What a file does between the two is in the file
 * of its kind.
 *
 * Every file is opened with direct_io, so each read() and write() reaches
 * the handler, and the device, instead of the page cache.
 */
#include "fs/file.h"
#include "fs/config.h"
#include "fs/nodeops.h"
#include "fs/path.h"
#include "fs/safety.h"
#include "fs/sysfs.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every open file, so that unmount can release what is left open. */
static struct open_file *open_files;
static pthread_mutex_t open_files_lock = PTHREAD_MUTEX_INITIALIZER;

static void file_track(struct open_file *file)
{
	pthread_mutex_lock(&open_files_lock);
	file->next = open_files;
	if (open_files)
		open_files->prev = file;
	open_files = file;
	pthread_mutex_unlock(&open_files_lock);
}

static void file_untrack(struct open_file *file)
{
	pthread_mutex_lock(&open_files_lock);
	if (file->prev)
		file->prev->next = file->next;
	else
		open_files = file->next;
	if (file->next)
		file->next->prev = file->prev;
	pthread_mutex_unlock(&open_files_lock);
}

/* Whatever an open file holds: file.c frees it all, for every kind. */
static void file_free(struct open_file *file)
{
	config_close(file->cfg);
	free(file->text);
	free(file);
}

int file_open(struct node *node, struct fuse_file_info *fi)
{
	const struct node_ops *ops = node_ops(node);
	struct open_file *file;
	int err;

	/* The safety check needs the bound driver; the kinds' opens the rest. */
	err = path_load(node);
	if (!err)
		err = safety_check_open(node, fi->flags);
	if (err)
		return err;
	file = calloc(1, sizeof(*file));
	if (!file)
		return -ENOMEM;
	file->node = *node;
	err = ops->open(file, fi);
	if (err) {
		file_free(file);
		return err;
	}
	fi->direct_io = 1;
	fi->keep_cache = 0;
	if (!ops->flush)
		fi->noflush = 1; /* no FLUSH round trip at every close() */
	fi->fh = (uintptr_t) file;
	file_track(file);
	return 0;
}

/*
 * A device can go while its files are open (hot-unplug; a fixture's
 * directory removed).  On sysfs its attribute files then fail with ENODEV
 * on their own; a fixture's would go on reading the removed files, so ask
 * every time.  NIC files are the driver's, not the tree's.
 */
int file_check_access(struct open_file *file, bool write)
{
	if (file->node.kind != NODE_NIC &&
	    !sysfs_dev_exists(file->node.dev.bdf))
		return -ENODEV;
	return safety_check_access(&file->node, write);
}

struct open_file *file_of(const struct fuse_file_info *fi)
{
	return (struct open_file *) (uintptr_t) fi->fh;
}

int file_release(struct fuse_file_info *fi)
{
	struct open_file *file = file_of(fi);
	const struct node_ops *ops = node_ops(&file->node);
	int err = ops->release ? ops->release(file, fi) : 0;

	file_untrack(file);
	file_free(file);
	return err;
}

/* The kinds' release gets a fuse_file_info as at open: only fh counts. */
void file_release_all(void)
{
	struct open_file *file;

	while ((file = open_files)) {
		struct fuse_file_info fi = {.fh = (uintptr_t) file};

		file_release(&fi);
	}
}

int file_truncate_nothing(const struct node *node)
{
	(void) node;
	return 0;
}

int file_read_text(struct open_file *file, char *buf, size_t size, off_t off,
		   struct fuse_file_info *fi)
{
	(void) fi;
	if (off < 0 || (size_t) off >= file->len)
		return 0;
	if (size > file->len - off)
		size = file->len - off;
	memcpy(buf, file->text + off, size);
	return (int) size;
}
