/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bar.h - windows on BARs, mapped on first open, kept until unmount (bar.c).
 */
#ifndef PCIFS_BAR_H
#define PCIFS_BAR_H

#include <stdint.h>
#include <sys/types.h>

struct node;
struct pcidev;
struct bar_window;

int bar_window_get(const struct pcidev *dev, int bar, struct bar_window **win);
void bar_windows_release(void);
ssize_t bar_read(struct bar_window *win, char *buf, size_t size, off_t off);
ssize_t bar_write(struct bar_window *win, const char *buf, size_t size,
		  off_t off);
int bar_reg_get(struct bar_window *win, const struct node *node,
		uint64_t *value);
int bar_reg_set(struct bar_window *win, const struct node *node,
		uint64_t value);

#endif /* PCIFS_BAR_H */
