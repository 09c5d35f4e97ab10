/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * node.h - what a path in the mounted tree names (node.c).
 *
 *   /                                   NODE_ROOT
 *   /by-id/ /by-class/                  NODE_BY_ID, NODE_BY_CLASS
 *   /by-id/8086:100e/                   NODE_GROUP (also by-class/<name>/)
 *   /by-id/8086:100e/0000:00:03.0       NODE_LINK
 *   /devices/ /drivers/ /iommu_groups/  NODE_DEVICES, NODE_DRIVERS,
 *                                       NODE_IOMMU_GROUPS: pciutils' layout
 *   /devices/0000:00:03.0               NODE_LINK (-> ../0000:00:03.0)
 *   /drivers/e1000/ /iommu_groups/3/    NODE_TAG (empty: a link target)
 *   /0000:00:03.0/                      NODE_DEVICE
 *   /0000:00:03.0/vendor (class, ...)   NODE_ATTR, as the tree's (sysattr.c)
 *   /0000:00:03.0/driver, iommu_group   NODE_LINK (-> ../drivers/e1000)
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

#include "fs/sysfs.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum node_kind {
	NODE_ROOT,
	NODE_BY_ID,
	NODE_BY_CLASS,
	NODE_GROUP,
	NODE_LINK,
	NODE_DEVICES,
	NODE_DRIVERS,
	NODE_IOMMU_GROUPS,
	NODE_TAG,
	NODE_DEVICE,
	NODE_ATTR,
	NODE_INFO,
	NODE_CONFIG,
	NODE_BAR,
	NODE_REGS,
	NODE_REGS_CONFIG,
	NODE_REGS_BAR,
	NODE_REG_CONFIG,
	NODE_REG_BAR,
	NODE_NIC,
	NODE_NKINDS
};

struct node {
	enum node_kind kind;
	struct pcidev dev; /* NODE_LINK and everything under a device */
	bool dev_loaded;   /* dev holds more than its bdf (path_load()) */
	struct nic *nic;   /* set when pcifs drives this device */
	char group[64];	 /* NODE_GROUP: "8086:100e" or "Ethernet_controller" */
	bool by_class;	 /* NODE_GROUP, NODE_LINK: under by-class/ */
	char link[96];	 /* NODE_LINK: its target, relative */
	int bar;	 /* NODE_BAR, NODE_REGS_BAR, NODE_REG_BAR */
	uint64_t offset; /* NODE_REG_*: byte offset of the register */
	unsigned width;	 /* NODE_REG_*: 1, 2, 4 or 8 bytes */
	bool nic_readable; /* NODE_REG_BAR: a datasheet name, safe to read
			    * while pcifs drives the NIC */
	unsigned nic_file; /* NODE_NIC: an enum nic_file (fs/nic.h) */
	char name[96];	   /* a file: its path below the device directory,
			    * "bar0" or "regs/config/COMMAND", for log lines */
};

/* Do @width bytes at @offset lie inside a region of @size bytes?  Written
 * so that an offset near 2^64 (regs/bar0/0xfffffffffffffff8.q) cannot wrap
 * around and pass. */
static inline bool node_range_fits(uint64_t offset, unsigned width,
				   uint64_t size)
{
	return offset < size && width <= size - offset;
}

struct node_ops;

/* The handlers of @node's kind (fs/nodeops.h). */
const struct node_ops *node_ops(const struct node *node);

/* A directory is a node that can be listed. */
bool node_is_dir(const struct node *node);

/* "bar0", "config" or "regs/bar0/0x8.l": the file, for log lines. */
void node_what(const struct node *node, char *buf, size_t size);

#endif /* PCIFS_NODE_H */
