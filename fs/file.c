// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * file.c - open, read, write and release for each kind of file.
 *
 * Register, BAR, config and queue files are opened with direct_io, so every
 * read() and write() reaches the handler, and the device, instead of the
 * page cache.
 */
#include "fs/file.h"
#include "fs/bar.h"
#include "fs/config.h"
#include "fs/info.h"
#include "fs/log.h"
#include "fs/nic.h"
#include "fs/regs.h"
#include "fs/safety.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct open_file *file_alloc(const struct node *node, size_t text)
{
	struct open_file *file = calloc(1, sizeof(*file) + text);

	if (!file)
		return NULL;
	file->node = *node;
	file->fd = -1;
	return file;
}

/* info is taken once at open, so a reader sees one consistent text. */
static int file_take_info(struct open_file *file)
{
	ssize_t len = info_format(&file->node.dev, file->text, INFO_MAX);

	if (len < 0)
		return len;
	file->len = len;
	return 0;
}

/* fs/nic.c keeps its own fi->fh; we keep it in ours and swap around calls. */
static int file_open_nic(struct open_file *file, struct fuse_file_info *fi)
{
	struct fuse_file_info nic_fi = *fi;
	int err;

	nic_fi.direct_io = 1;
	nic_fi.keep_cache = 0;
	err = nic_open(file->node.nic, file->node.nic_file, &nic_fi);
	if (err)
		return err;
	file->nic_fh = nic_fi.fh;
	*fi = nic_fi;
	return 0;
}

static struct fuse_file_info file_nic_fi(const struct open_file *file,
					 const struct fuse_file_info *fi)
{
	struct fuse_file_info nic_fi = *fi;

	nic_fi.fh = file->nic_fh;
	return nic_fi;
}

/* The part of open that depends on the kind of file. */
static int file_attach(struct open_file *file, struct fuse_file_info *fi)
{
	const struct node *node = &file->node;
	int fd;

	switch (node->kind) {
	case NODE_INFO:
		if ((fi->flags & O_ACCMODE) != O_RDONLY)
			return -EACCES;
		return file_take_info(file);
	case NODE_CONFIG:
	case NODE_REG_CONFIG:
		fd = config_open(node, fi->flags);
		if (fd < 0)
			return fd;
		file->fd = fd;
		return 0;
	case NODE_BAR:
	case NODE_REG_BAR:
		return bar_window_get(&node->dev, node->bar, &file->win);
	case NODE_NIC:
		return file_open_nic(file, fi);
	default:
		return -EISDIR;
	}
}

int file_open(const struct node *node, struct fuse_file_info *fi)
{
	struct open_file *file;
	int err;

	err = safety_check_open(node, fi->flags);
	if (err)
		return err;
	file = file_alloc(node, node->kind == NODE_INFO ? INFO_MAX : 0);
	if (!file)
		return -ENOMEM;
	err = file_attach(file, fi);
	if (err) {
		free(file);
		return err;
	}
	fi->direct_io = 1;
	fi->keep_cache = 0;
	if (node->kind != NODE_NIC)
		fi->noflush = 1; /* no FLUSH round trip at every close() */
	fi->fh = (uintptr_t) file;
	return 0;
}

static int reg_get(struct open_file *file, uint64_t *value)
{
	if (file->node.kind == NODE_REG_CONFIG)
		return config_reg_get(file->fd, &file->node, value);
	return bar_reg_get(file->win, &file->node, value);
}

static int reg_set(struct open_file *file, uint64_t value)
{
	if (file->node.kind == NODE_REG_CONFIG)
		return config_reg_set(file->fd, &file->node, value);
	return bar_reg_set(file->win, &file->node, value);
}

/* "0x0007\n": one device read per read() at an offset inside the text. */
static int reg_read(struct open_file *file, char *buf, size_t size, off_t off)
{
	size_t len = regval_text_len(file->node.width);
	char text[32];
	uint64_t value;
	int err;

	if (off < 0 || (size_t) off >= len)
		return 0;
	err = reg_get(file, &value);
	if (err)
		return err;
	regval_format(text, sizeof(text), value, file->node.width);
	if (size > len - off)
		size = len - off;
	memcpy(buf, text + off, size);
	return size;
}

/* One log line for a malformed value, quoted printable and short. */
static int reg_refused(const struct open_file *file, const char *buf,
		       size_t size, int err)
{
	char what[96], quoted[24];
	size_t i;

	node_what(&file->node, what, sizeof(what));
	if (size > 0 && buf[size - 1] == '\n')
		size--; /* echo's newline */
	for (i = 0; i < size && i + 1 < sizeof(quoted); i++)
		quoted[i] = isprint((unsigned char) buf[i]) ? buf[i] : '.';
	quoted[i] = '\0';
	pcifs_log(
		LOG_WARNING,
		"%s: %s write of '%s' refused: not a hex value of at most %u digits; write VALUE or VALUE:MASK, e.g. 1f or 0x1f:ff",
		file->node.dev.bdf, what, quoted, 2 * file->node.width);
	return err;
}

/*
 * "VALUE[:MASK]": with a mask, a read-modify-write as setpci does.  Each
 * write() is one whole value, whatever its offset (echo >> works too).
 */
static int reg_write(struct open_file *file, const char *buf, size_t size)
{
	uint64_t value, mask, old;
	unsigned width = file->node.width;
	int err;

	err = regval_parse(buf, size, width, &value, &mask);
	if (err)
		return reg_refused(file, buf, size, err);
	if (mask != regval_max(width)) {
		err = reg_get(file, &old);
		if (err)
			return err;
		value = regval_merge(old, value, mask);
	}
	err = reg_set(file, value);
	return err ? err : (int) size;
}

static int info_read(const struct open_file *file, char *buf, size_t size,
		     off_t off)
{
	if (off < 0 || (size_t) off >= file->len)
		return 0;
	if (size > file->len - off)
		size = file->len - off;
	memcpy(buf, file->text + off, size);
	return size;
}

/* bar_read and bar_write refuse unaligned and odd-sized accesses. */
static ssize_t bar_checked(const struct open_file *file, ssize_t ret,
			   bool write, size_t size, off_t off)
{
	if (ret == -EINVAL)
		pcifs_log(
			LOG_WARNING,
			"%s: bar%d %s of %zu bytes at 0x%llx refused: not an aligned access of 1, 2, 4, 8 or 4*k bytes; use e.g. dd bs=4 with an aligned offset",
			file->node.dev.bdf, file->node.bar,
			write ? "write" : "read", size,
			(unsigned long long) off);
	return ret;
}

int file_read(struct open_file *file, char *buf, size_t size, off_t off,
	      struct fuse_file_info *fi)
{
	struct fuse_file_info nic_fi;

	switch (file->node.kind) {
	case NODE_INFO:
		return info_read(file, buf, size, off);
	case NODE_CONFIG:
		return config_read(file->fd, buf, size, off);
	case NODE_BAR:
		return bar_checked(file, bar_read(file->win, buf, size, off),
				   false, size, off);
	case NODE_REG_CONFIG:
	case NODE_REG_BAR:
		return reg_read(file, buf, size, off);
	case NODE_NIC:
		nic_fi = file_nic_fi(file, fi);
		return nic_read(file->node.nic, file->node.nic_file, buf, size,
				off, &nic_fi);
	default:
		return -EISDIR;
	}
}

int file_write(struct open_file *file, const char *buf, size_t size, off_t off,
	       struct fuse_file_info *fi)
{
	struct fuse_file_info nic_fi;

	switch (file->node.kind) {
	case NODE_CONFIG:
		return config_write(file->fd, buf, size, off);
	case NODE_BAR:
		return bar_checked(file, bar_write(file->win, buf, size, off),
				   true, size, off);
	case NODE_REG_CONFIG:
	case NODE_REG_BAR:
		return reg_write(file, buf, size);
	case NODE_NIC:
		nic_fi = file_nic_fi(file, fi);
		return nic_write(file->node.nic, file->node.nic_file, buf, size,
				 off, &nic_fi);
	default:
		return -EACCES;
	}
}

int file_ioctl(struct open_file *file, unsigned int cmd, void *data,
	       struct fuse_file_info *fi)
{
	struct fuse_file_info nic_fi;

	if (file->node.kind != NODE_NIC)
		return -ENOTTY;
	nic_fi = file_nic_fi(file, fi);
	return nic_ioctl(file->node.nic, file->node.nic_file, cmd, data,
			 &nic_fi);
}

int file_poll(struct open_file *file, struct fuse_file_info *fi,
	      struct fuse_pollhandle *ph, unsigned *reventsp)
{
	struct fuse_file_info nic_fi;

	if (file->node.kind == NODE_NIC) {
		nic_fi = file_nic_fi(file, fi);
		return nic_poll(file->node.nic, file->node.nic_file, &nic_fi,
				ph, reventsp);
	}
	/* Registers are always ready, like regular files. */
	if (ph)
		fuse_pollhandle_destroy(ph);
	*reventsp = POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
	return 0;
}

int file_flush(struct open_file *file, struct fuse_file_info *fi)
{
	struct fuse_file_info nic_fi;

	if (file->node.kind != NODE_NIC)
		return 0;
	nic_fi = file_nic_fi(file, fi);
	return nic_flush(file->node.nic, file->node.nic_file, &nic_fi);
}

int file_release(struct open_file *file, struct fuse_file_info *fi)
{
	struct fuse_file_info nic_fi;
	int err = 0;

	if (file->node.kind == NODE_NIC) {
		nic_fi = file_nic_fi(file, fi);
		err = nic_release(file->node.nic, file->node.nic_file, &nic_fi);
	}
	if (file->fd >= 0)
		close(file->fd);
	free(file);
	return err;
}
