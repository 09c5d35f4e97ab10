// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bar.c - windows on Base Address Registers.
 *
 * A memory BAR is reached by mmap() of SYSFS/devices/BDF/resourceN, an I/O
 * BAR by pread/pwrite on the same file (the kernel's pci_resource_io() does
 * one inb/inw/inl of the access size).  A window is opened the first time
 * someone opens a file of that BAR, and kept until unmount: pcifs never
 * touches a BAR nobody asked for.
 *
 * An aligned 1, 2, 4 or 8 byte access is exactly one access of that width;
 * a longer one is a run of 4-byte accesses, the width every device decodes.
 */
#include "fs/bar.h"
#include "fs/log.h"
#include "fs/node.h"
#include "fs/pcifs.h"
#include "fs/sysfs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct bar_window {
	char bdf[BDF_LEN];
	int bar;
	bool io;
	int fd;		       /* resourceN */
	volatile uint8_t *mem; /* memory BARs: the mapping */
	uint64_t size;
	struct bar_window *next;
};

static struct bar_window *bar_windows;
static pthread_mutex_t bar_lock = PTHREAD_MUTEX_INITIALIZER;

static int bar_map(struct bar_window *win)
{
	int prot = PROT_READ | (pcifs_opts.ro ? 0 : PROT_WRITE);
	struct stat st;
	void *mem;

	/* A fixture's sparse resourceN may be shorter than the BAR. */
	if (fstat(win->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t) st.st_size < win->size)
		win->size = st.st_size;
	mem = mmap(NULL, win->size, prot, MAP_SHARED, win->fd, 0);
	if (mem == MAP_FAILED)
		return -errno;
	win->mem = mem;
	return 0;
}

static int bar_window_open(const struct pcidev *dev, int bar,
			   struct bar_window *win)
{
	char attr[16];
	int err;

	snprintf(win->bdf, sizeof(win->bdf), "%s", dev->bdf);
	snprintf(attr, sizeof(attr), "resource%d", bar);
	win->bar = bar;
	win->io = pci_region_is_io(&dev->region[bar]);
	win->size = dev->region[bar].size;
	win->fd = sysfs_open(dev->bdf, attr, pcifs_opts.ro ? O_RDONLY : O_RDWR);
	if (win->fd < 0)
		return win->fd;
	err = win->io ? 0 : bar_map(win);
	if (err)
		close(win->fd);
	else
		pcifs_log(LOG_DEBUG, "%s: %s %s window, 0x%llx bytes", dev->bdf,
			  attr, win->io ? "io" : "mmio",
			  (unsigned long long) win->size);
	return err;
}

static struct bar_window *bar_window_find(const char *bdf, int bar)
{
	struct bar_window *win;

	for (win = bar_windows; win; win = win->next)
		if (win->bar == bar && strcmp(win->bdf, bdf) == 0)
			return win;
	return NULL;
}

int bar_window_get(const struct pcidev *dev, int bar, struct bar_window **winp)
{
	struct bar_window *win;
	int err = 0;

	pthread_mutex_lock(&bar_lock);
	win = bar_window_find(dev->bdf, bar);
	if (!win) {
		win = calloc(1, sizeof(*win));
		err = win ? bar_window_open(dev, bar, win) : -ENOMEM;
		if (err) {
			free(win);
			win = NULL;
		} else {
			win->next = bar_windows;
			bar_windows = win;
		}
	}
	pthread_mutex_unlock(&bar_lock);
	*winp = win;
	return err;
}

void bar_windows_release(void)
{
	struct bar_window *win, *next;

	pthread_mutex_lock(&bar_lock);
	for (win = bar_windows; win; win = next) {
		next = win->next;
		if (win->mem)
			munmap((void *) win->mem, win->size);
		close(win->fd);
		free(win);
	}
	bar_windows = NULL;
	pthread_mutex_unlock(&bar_lock);
}

/* One load of exactly @width bytes. */
static uint64_t mmio_load(volatile uint8_t *p, unsigned width)
{
	switch (width) {
	case 1:
		return *p;
	case 2:
		return *(volatile uint16_t *) p;
	case 4:
		return *(volatile uint32_t *) p;
	default:
		return *(volatile uint64_t *) p;
	}
}

/* One store of exactly @width bytes. */
static void mmio_store(volatile uint8_t *p, unsigned width, uint64_t value)
{
	switch (width) {
	case 1:
		*p = value;
		break;
	case 2:
		*(volatile uint16_t *) p = value;
		break;
	case 4:
		*(volatile uint32_t *) p = value;
		break;
	default:
		*(volatile uint64_t *) p = value;
		break;
	}
}

/* The kernel's I/O resource file takes 1, 2 and 4 byte accesses only. */
static int io_access(struct bar_window *win, uint64_t off, unsigned width,
		     uint64_t *value, bool write)
{
	uint32_t v32 = *value;
	ssize_t n;

	if (width > 4)
		return -EINVAL;
	n = write ? pwrite(win->fd, &v32, width, off)
		  : pread(win->fd, &v32, width, off);
	if (n < 0)
		return -errno;
	if ((size_t) n != width)
		return -EIO;
	if (!write)
		*value = width == 4 ? v32 : v32 & ((1u << (8 * width)) - 1);
	return 0;
}

/* One access of @width bytes at @off, which the caller has checked. */
static int bar_access(struct bar_window *win, uint64_t off, unsigned width,
		      uint64_t *value, bool write)
{
	if (win->io)
		return io_access(win, off, width, value, write);
	if (write)
		mmio_store(win->mem + off, width, *value);
	else
		*value = mmio_load(win->mem + off, width);
	return 0;
}

/* The access width for @size bytes at @off: its own, or 4; 0 if invalid. */
static unsigned bar_width(struct bar_window *win, size_t size, off_t off)
{
	unsigned width;

	if (size == 1 || size == 2 || size == 4 || (size == 8 && !win->io))
		width = size;
	else if (size % 4 == 0)
		width = 4;
	else
		return 0;
	if (off % width)
		return 0;
	return width;
}

/* Clip a transfer to the window; 0 bytes left means EOF. */
static size_t bar_clip(struct bar_window *win, size_t size, off_t off)
{
	if (off < 0 || (uint64_t) off >= win->size)
		return 0;
	return size < win->size - off ? size : win->size - off;
}

ssize_t bar_read(struct bar_window *win, char *buf, size_t size, off_t off)
{
	uint64_t value = 0;
	unsigned width;
	size_t done;

	size = bar_clip(win, size, off);
	if (size == 0)
		return 0;
	width = bar_width(win, size, off);
	if (!width)
		return -EINVAL;
	for (done = 0; done < size; done += width) {
		int err = bar_access(win, off + done, width, &value, false);

		if (err)
			return done ? (ssize_t) done : err;
		memcpy(buf + done, &value, width); /* little-endian host */
	}
	return done;
}

ssize_t bar_write(struct bar_window *win, const char *buf, size_t size,
		  off_t off)
{
	unsigned width;
	uint64_t value = 0;
	size_t done;

	size = bar_clip(win, size, off);
	if (size == 0)
		return -ENOSPC;
	width = bar_width(win, size, off);
	if (!width)
		return -EINVAL;
	for (done = 0; done < size; done += width) {
		int err;

		memcpy(&value, buf + done, width);
		err = bar_access(win, off + done, width, &value, true);
		if (err)
			return done ? (ssize_t) done : err;
	}
	return done;
}

static int bar_reg_check(struct bar_window *win, const struct node *node)
{
	if (!node_range_fits(node->offset, node->width, win->size))
		return -ENXIO;
	return 0;
}

int bar_reg_get(struct bar_window *win, const struct node *node,
		uint64_t *value)
{
	int err = bar_reg_check(win, node);

	*value = 0;
	return err ? err
		   : bar_access(win, node->offset, node->width, value, false);
}

int bar_reg_set(struct bar_window *win, const struct node *node, uint64_t value)
{
	int err = bar_reg_check(win, node);

	return err ? err
		   : bar_access(win, node->offset, node->width, &value, true);
}
