/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * node.h - what a path in the mounted tree names, and the handlers for each
 * kind of file.
 *
 *   /                                   NODE_ROOT
 *   /by-id/ /by-class/                  NODE_BY_ID, NODE_BY_CLASS
 *   /by-id/8086:100e/                   NODE_GROUP (also by-class/<name>/)
 *   /by-id/8086:100e/0000:00:03.0       NODE_LINK
 *   /0000:00:03.0/                      NODE_DEVICE
 *   /0000:00:03.0/info                  NODE_INFO
 *   /0000:00:03.0/config                NODE_CONFIG
 *   /0000:00:03.0/bar0                  NODE_BAR
 *   /0000:00:03.0/regs/                 NODE_REGS
 *   /0000:00:03.0/regs/config/          NODE_REGS_CONFIG
 *   /0000:00:03.0/regs/bar0/            NODE_REGS_BAR
 *   /0000:00:03.0/regs/config/COMMAND   NODE_REG_CONFIG
 *   /0000:00:03.0/regs/bar0/0x8.l       NODE_REG_BAR
 *   /0000:00:03.0/tx (rx, mac, ...)     NODE_NIC, served by fs/nic.c
 */
#ifndef PCIFS_NODE_H
#define PCIFS_NODE_H

#include "fs/nic.h"
#include "fs/pcifs.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum node_kind {
	NODE_ROOT,
	NODE_BY_ID,
	NODE_BY_CLASS,
	NODE_GROUP,
	NODE_LINK,
	NODE_DEVICE,
	NODE_INFO,
	NODE_CONFIG,
	NODE_BAR,
	NODE_REGS,
	NODE_REGS_CONFIG,
	NODE_REGS_BAR,
	NODE_REG_CONFIG,
	NODE_REG_BAR,
	NODE_NIC,
};

struct node {
	enum node_kind kind;
	struct pcidev dev; /* NODE_LINK and everything under a device */
	struct nic *nic;   /* set when pcifs drives this device */
	char group[64];	 /* NODE_GROUP: "8086:100e" or "Ethernet_controller" */
	bool by_class;	 /* NODE_GROUP, NODE_LINK: under by-class/ */
	int bar;	 /* NODE_BAR, NODE_REGS_BAR, NODE_REG_BAR */
	uint64_t offset; /* NODE_REG_*: byte offset of the register */
	unsigned width;	 /* NODE_REG_*: 1, 2, 4 or 8 bytes */
	bool nic_readable;	/* NODE_REG_BAR: a datasheet name, safe to read
			    * while pcifs drives the NIC */
	enum nic_file nic_file; /* NODE_NIC: which file */
	char name[64];		/* NODE_REG_*: the file name, for log lines */
};

static inline bool node_is_dir(const struct node *node)
{
	return node->kind <= NODE_GROUP || node->kind == NODE_DEVICE ||
	       (node->kind >= NODE_REGS && node->kind <= NODE_REGS_BAR);
}

static inline bool node_is_register(const struct node *node)
{
	return node->kind == NODE_REG_CONFIG || node->kind == NODE_REG_BAR;
}

/* Do @width bytes at @offset lie inside a region of @size bytes?  Written
 * so that an offset near 2^64 (regs/bar0/0xfffffffffffffff8.q) cannot wrap
 * around and pass. */
static inline bool node_range_fits(uint64_t offset, unsigned width,
				   uint64_t size)
{
	return offset < size && width <= size - offset;
}

/* path.c: resolve @path; -ENOENT if it names nothing. */
int path_resolve(const char *path, struct node *node);

/* info.c: the text of the info file; returns its length or -errno. */
ssize_t info_format(const struct pcidev *dev, char *buf, size_t size);
#define INFO_MAX 8192

/* safety.c: may this open go ahead?  0, -EBUSY or -EROFS, logged. */
int safety_check_open(const struct node *node, int flags);
/* "bar0", "config" or "regs/bar0/0x8.l": the file, for log lines. */
void node_what(const struct node *node, char *buf, size_t size);

/* config.c: the config file and regs/config/ files, through sysfs. */
int config_open(const struct node *node, int flags);
ssize_t config_read(int fd, char *buf, size_t size, off_t off);
ssize_t config_write(int fd, const char *buf, size_t size, off_t off);
int config_reg_get(int fd, const struct node *node, uint64_t *value);
int config_reg_set(int fd, const struct node *node, uint64_t value);

/* bar.c: windows on BARs, mapped on first open, kept until unmount. */
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

#endif /* PCIFS_NODE_H */
