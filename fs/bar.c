// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bar.c - windows on Base Address Registers.
 *
 * A window is a pci/ BAR window (pci/bar.c): a memory BAR mapped, an I/O
 * BAR reached one port access at a time.  A window is opened the first time
 * someone opens a file of that BAR, and kept until unmount: pcifs never
 * touches a BAR nobody asked for.
 *
 * An aligned 1, 2, 4 or 8 byte access is exactly one access of that width;
 * a longer one is a run of 4-byte accesses, the width every device decodes.
 */
#include "fs/bar.h"
#include "fs/log.h"
#include "fs/nic.h"
#include "fs/node.h"
#include "fs/pcifs.h"
#include "fs/sysfs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct bar_window {
	struct pci_fn fn; /* the function, kept open with the window */
	struct pci_bar bar;
	bool retired; /* its device went; files open on it keep it */
	struct bar_window *next;
};

static struct bar_window *bar_windows;
static pthread_mutex_t bar_lock = PTHREAD_MUTEX_INITIALIZER;

static int bar_window_open(const struct pcidev *dev, int bar,
			   struct bar_window *win)
{
	bool write = !pcifs_opts.ro;
	struct pci_fn *driven = nic_pci_fn(dev->bdf);
	int err;

	/* sysfs cannot map a BAR that vfio-pci holds: a NIC driven through
	 * VFIO has its windows opened through the driver's device fd
	 * (win->fn stays unopened but for its name, by which the window is
	 * found again; the window holds a dup of that fd). */
	if (driven && driven->methods == &pci_vfio_methods) {
		memcpy(win->fn.bdf, dev->bdf, sizeof(win->fn.bdf));
		return pci_bar_open(driven, dev, bar, write, &win->bar);
	}
	err = pci_fn_open(&win->fn, pcifs_opts.sysfs, dev->bdf, false);
	if (!err)
		err = pci_bar_open(&win->fn, dev, bar, write, &win->bar);
	if (err) {
		pci_fn_close(&win->fn);
		return err;
	}
	pcifs_log(LOG_DEBUG, "%s: resource%d %s window, 0x%llx bytes", dev->bdf,
		  bar, win->bar.io ? "io" : "mmio",
		  (unsigned long long) win->bar.size);
	return 0;
}

static struct bar_window *bar_window_find(const char *bdf, int bar)
{
	struct bar_window *win;

	for (win = bar_windows; win; win = win->next)
		if (!win->retired && win->bar.index == bar &&
		    strcmp(win->fn.bdf, bdf) == 0)
			break;
	/* A device removed and found again (a rescan) at the same address
	 * has new resource files: the old window reaches nothing. */
	if (win && !pci_bar_current(&win->fn, &win->bar)) {
		win->retired = true;
		win = NULL;
	}
	return win;
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
		pci_bar_close(&win->bar);
		pci_fn_close(&win->fn);
		free(win);
	}
	bar_windows = NULL;
	pthread_mutex_unlock(&bar_lock);
}

/* One access of @width bytes at @off, which the caller has checked. */
static int bar_access(struct bar_window *win, uint64_t off, unsigned width,
		      uint64_t *value, bool write)
{
	int err = write ? pci_bar_write(&win->bar, off, width, *value)
			: pci_bar_read(&win->bar, off, width, value);

	if (err == -EIO)
		pcifs_log_limited(
			LOG_ERR,
			"%s: bar%d %s at 0x%llx failed: the BAR is gone (device removed, or its resource file shorter than the BAR)",
			win->fn.bdf, win->bar.index, write ? "write" : "read",
			(unsigned long long) off);
	return err;
}

/* The access width for @size bytes at @off: its own, or 4; 0 if invalid. */
static unsigned bar_width(struct bar_window *win, size_t size, off_t off)
{
	unsigned width;

	if (size == 1 || size == 2 || size == 4 || (size == 8 && !win->bar.io))
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
	if (off < 0 || (uint64_t) off >= win->bar.size)
		return 0;
	return size < win->bar.size - off ? size : win->bar.size - off;
}

/*
 * Clip *@size to the window and return the access width of what is left, 0
 * if invalid.  The access asked for must be valid before it is cut at the
 * end: 4 bytes at the last 2 of the BAR are unaligned, not a 2-byte access.
 */
static unsigned bar_clip_width(struct bar_window *win, size_t *size, off_t off)
{
	size_t asked = *size;

	*size = bar_clip(win, asked, off);
	if (*size == 0 || !bar_width(win, asked, off))
		return 0;
	return bar_width(win, *size, off);
}

ssize_t bar_read(struct bar_window *win, char *buf, size_t size, off_t off)
{
	uint64_t value = 0;
	unsigned width;
	size_t done;

	width = bar_clip_width(win, &size, off);
	if (size == 0)
		return 0;
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

	width = bar_clip_width(win, &size, off);
	if (size == 0)
		return -ENOSPC;
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

int bar_reg_get(struct bar_window *win, const struct node *node,
		uint64_t *value)
{
	return bar_access(win, node->offset, node->width, value, false);
}

int bar_reg_set(struct bar_window *win, const struct node *node, uint64_t value)
{
	return bar_access(win, node->offset, node->width, &value, true);
}
