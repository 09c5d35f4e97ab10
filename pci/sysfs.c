// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysfs.c - the "sysfs" backend: config space through DEVDIR/config, BARs
 * through DEVDIR/resourceN (Documentation/PCI/sysfs.rst), as libpci's
 * linux-sysfs method reaches them.
 *
 * An aligned 1-, 2- or 4-byte pread/pwrite of config is one config cycle of
 * that width (drivers/pci/pci-sysfs.c, pci_read_config()).  A memory BAR is
 * mmap()ed MAP_SHARED; an I/O BAR's resource file turns each pread/pwrite
 * of 1, 2 or 4 bytes into one inb/inw/inl (pci_resource_io()).
 */
#include "pci/sysfs.h"
#include "pci/access.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Config space opened read-only may be missing (a sparse fixture): reads
 * then fail with -ENODEV, and pci_fn_load falls back on the attributes. */
static int sysfs_open(struct pci_fn *fn, bool write)
{
	int fd = pci_attr_open(fn, "config", write ? O_RDWR : O_RDONLY);

	if (fd < 0 && write)
		return fd;
	fn->config_fd = fd < 0 ? -1 : fd;
	return 0;
}

static void sysfs_close(struct pci_fn *fn)
{
	if (fn->config_fd >= 0)
		close(fn->config_fd);
	fn->config_fd = -1;
}

static ssize_t sysfs_config_read(const struct pci_fn *fn, void *buf, size_t len,
				 off_t off)
{
	ssize_t n;

	if (fn->config_fd < 0)
		return -ENODEV;
	n = pread(fn->config_fd, buf, len, off);
	return n < 0 ? -errno : n;
}

static ssize_t sysfs_config_write(const struct pci_fn *fn, const void *buf,
				  size_t len, off_t off)
{
	ssize_t n;

	if (fn->config_fd < 0)
		return -ENODEV;
	n = pwrite(fn->config_fd, buf, len, off);
	return n < 0 ? -errno : n;
}

/* The size of the config file: the kernel makes it 256 or 4096 bytes; a
 * fixture's is what was captured. */
static int sysfs_config_size(const struct pci_fn *fn, size_t *size)
{
	struct stat st;

	if (fn->config_fd < 0)
		return -ENODEV;
	if (fstat(fn->config_fd, &st) < 0)
		return -errno;
	*size = (size_t) st.st_size;
	return 0;
}

static int sysfs_bar_map(struct pci_bar *bar, bool write)
{
	int prot = PROT_READ | (write ? PROT_WRITE : 0);
	struct stat st;
	void *mem;

	/* A fixture's sparse resourceN may be shorter than the BAR. */
	if (fstat(bar->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t) st.st_size < bar->size)
		bar->size = (uint64_t) st.st_size;
	mem = mmap(NULL, bar->size, prot, MAP_SHARED, bar->fd, 0);
	if (mem == MAP_FAILED)
		return -errno;
	bar->mem = mem;
	return 0;
}

static int sysfs_bar_open(struct pci_fn *fn, int index, uint64_t size, bool io,
			  bool write, struct pci_bar *bar)
{
	char attr[16];
	int err;

	snprintf(attr, sizeof(attr), "resource%d", index);
	bar->index = index;
	bar->io = io;
	bar->size = size;
	bar->mem = NULL;
	bar->fd = pci_attr_open(fn, attr, write ? O_RDWR : O_RDONLY);
	if (bar->fd < 0)
		return bar->fd;
	err = io ? 0 : sysfs_bar_map(bar, write);
	if (err) {
		close(bar->fd);
		bar->fd = -1;
	}
	return err;
}

/* The same resourceN file as at open: a removed device's files are gone,
 * and a rescan makes new ones. */
static bool sysfs_bar_current(const struct pci_fn *fn,
			      const struct pci_bar *bar)
{
	char path[PATH_MAX], attr[16];
	struct stat now, then;

	snprintf(attr, sizeof(attr), "resource%d", bar->index);
	return pci_attr_path(fn, attr, path, sizeof(path)) == 0 &&
	       stat(path, &now) == 0 && fstat(bar->fd, &then) == 0 &&
	       now.st_dev == then.st_dev && now.st_ino == then.st_ino;
}

static ssize_t sysfs_bar_io(const struct pci_bar *bar, void *buf, size_t len,
			    off_t off, bool write)
{
	ssize_t n = write ? pwrite(bar->fd, buf, len, off)
			  : pread(bar->fd, buf, len, off);

	return n < 0 ? -errno : n;
}

const struct pci_methods pci_sysfs_methods = {
	.name = "sysfs",
	.open = sysfs_open,
	.close = sysfs_close,
	.config_read = sysfs_config_read,
	.config_write = sysfs_config_write,
	.config_size = sysfs_config_size,
	.bar_open = sysfs_bar_open,
	.bar_close = pci_bar_release,
	.bar_current = sysfs_bar_current,
	.bar_io = sysfs_bar_io,
	.dma_map = sysfs_dma_map,
	.dma_unmap = sysfs_dma_unmap,
	.irq_open = sysfs_irq_open,
	.irq_ack = sysfs_irq_ack,
	.irq_close = sysfs_irq_close,
};
