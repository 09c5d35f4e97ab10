// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * config.c - config space through SYSFS/devices/BDF/config, as libpci's
 * sysfs method reaches it: an aligned 1-, 2- or 4-byte access is a single
 * pread/pwrite of that size, which the kernel turns into one config cycle
 * of that width (drivers/pci/pci-sysfs.c, pci_read_config()).
 */
#include "fs/config.h"
#include "fs/node.h"
#include "fs/sysfs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int config_open(const struct node *node, int flags)
{
	bool write = (flags & O_ACCMODE) != O_RDONLY;

	return sysfs_open(node->dev.bdf, "config", write ? O_RDWR : O_RDONLY);
}

ssize_t config_read(int fd, char *buf, size_t size, off_t off)
{
	ssize_t n = pread(fd, buf, size, off);

	return n < 0 ? -errno : n;
}

/* Never past the end: a fixture's config is a file that would grow. */
ssize_t config_write(int fd, const char *buf, size_t size, off_t off)
{
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (off < 0 || off >= st.st_size)
		return -ENOSPC;
	if (size > (size_t) (st.st_size - off))
		size = st.st_size - off;
	n = pwrite(fd, buf, size, off);
	return n < 0 ? -errno : n;
}

/* Config space is little-endian (PCI 3.0 section 6.1). */
int config_reg_get(int fd, const struct node *node, uint64_t *value)
{
	uint8_t bytes[4];
	unsigned i;
	ssize_t n;

	n = pread(fd, bytes, node->width, node->offset);
	if (n < 0)
		return -errno;
	if ((size_t) n != node->width)
		return -EIO;
	*value = 0;
	for (i = 0; i < node->width; i++)
		*value |= (uint64_t) bytes[i] << (8 * i);
	return 0;
}

int config_reg_set(int fd, const struct node *node, uint64_t value)
{
	uint8_t bytes[4];
	unsigned i;
	ssize_t n;

	for (i = 0; i < node->width; i++)
		bytes[i] = value >> (8 * i);
	n = pwrite(fd, bytes, node->width, node->offset);
	if (n < 0)
		return -errno;
	return (size_t) n == node->width ? 0 : -EIO;
}
