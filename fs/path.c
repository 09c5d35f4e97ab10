// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * path.c - from a path in the mounted tree to the node it names.
 *
 * Nothing is cached: every lookup reads the live sysfs tree, so a device
 * that is hot-plugged shows up, and one that is removed disappears, without
 * a remount.  A lookup reads only what it needs to tell whether the path
 * exists: that the device directory is there, and its attributes only for
 * the kinds whose names depend on them (bar<N>, regs/bar<N>/, by-id/
 * links).  The handlers that need the rest call path_load().
 */
#include "fs/path.h"
#include "fs/bdf.h"
#include "fs/nic.h"
#include "fs/node.h"
#include "fs/pcilib.h"
#include "fs/regnames.h"
#include "fs/sysattr.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_DEPTH_MAX 4 /* BDF/regs/bar0/NAME */

/* Split "/a/b/c" in place; returns the number of parts or -ENOENT. */
static int path_split(char *path, char *parts[PATH_DEPTH_MAX])
{
	char *save = NULL, *part;
	int n = 0;

	for (part = strtok_r(path, "/", &save); part;
	     part = strtok_r(NULL, "/", &save)) {
		if (n == PATH_DEPTH_MAX)
			return -ENOENT;
		parts[n++] = part;
	}
	return n;
}

int path_load(struct node *node)
{
	char bdf[BDF_LEN];
	int err;

	if (node->dev_loaded)
		return 0;
	/* sysfs_dev_load() clears the struct it fills, BDF included. */
	memcpy(bdf, node->dev.bdf, sizeof(bdf));
	err = sysfs_dev_load(bdf, &node->dev);
	if (err)
		return err;
	node->dev_loaded = true;
	return 0;
}

/* "bar0".."bar5" of an implemented BAR, or -ENOENT. */
static int path_bar(const char *name, struct node *node)
{
	int bar, err;

	if (strncmp(name, "bar", 3) || name[3] < '0' ||
	    name[3] >= '0' + PCI_NUM_BARS || name[4])
		return -ENOENT;
	err = path_load(node);
	if (err)
		return err;
	bar = name[3] - '0';
	return node->dev.region[bar].size ? bar : -ENOENT;
}

/* Does any device listed under by-id/ or by-class/ belong to @group? */
static int path_group_exists(const char *group, bool by_class)
{
	int n = pcilib_group_foreach(group, by_class, NULL, NULL);

	return n < 0 ? n : n ? 0 : -ENOENT;
}

/* A device the tree shows: a canonical name that devices= allows, of a
 * device that is there.  Only its BDF is filled in. */
static int path_find_device(const char *bdf, struct node *node)
{
	if (!bdf_is_canonical(bdf) || !bdf_allowed(bdf) ||
	    !sysfs_dev_exists(bdf))
		return -ENOENT;
	snprintf(node->dev.bdf, sizeof(node->dev.bdf), "%s", bdf);
	node->nic = nic_find(bdf);
	return 0;
}

/* by-id/<group>/<bdf> and by-class/<group>/<bdf>. */
static int path_by(char **parts, int n, struct node *node)
{
	char group[64];
	int err;

	node->by_class = strcmp(parts[0], "by-class") == 0;
	node->kind = node->by_class ? NODE_BY_CLASS : NODE_BY_ID;
	if (n == 1)
		return 0;
	snprintf(node->group, sizeof(node->group), "%s", parts[1]);
	node->kind = NODE_GROUP;
	if (n == 2)
		return path_group_exists(node->group, node->by_class);
	if (n > 3)
		return -ENOENT;

	err = path_find_device(parts[2], node);
	if (!err)
		err = path_load(node);
	if (err)
		return err;
	pcilib_group_name(group, sizeof(group), node->dev.vendor,
			  node->dev.device, node->dev.class >> 8,
			  node->by_class);
	node->kind = NODE_LINK;
	snprintf(node->link, sizeof(node->link), "../../%s", node->dev.bdf);
	return strcmp(group, node->group) ? -ENOENT : 0;
}

static int path_reg_config(const char *name, struct node *node)
{
	uint32_t off = 0;
	uint8_t *cfg;
	size_t len;
	int err;

	cfg = malloc(PCI_CFG_MAX);
	if (!cfg)
		return -ENOMEM;
	err = sysfs_config_snapshot(node->dev.bdf, cfg, &len);
	if (!err)
		err = regname_config(name, cfg, len, &off, &node->width);
	free(cfg);
	node->offset = off;
	node->kind = NODE_REG_CONFIG;
	return err;
}

/* regs/bar<N>/<NAME> (datasheet names of BAR0) or <OFF>[.W]. */
static int path_reg_bar(const char *name, struct node *node)
{
	const struct pcidev *dev = &node->dev;
	uint32_t off32;
	int err = -ENOENT;

	node->kind = NODE_REG_BAR;
	if (node->bar == 0)
		err = nic_reg_lookup(dev->vendor, dev->device, name, &off32,
				     &node->nic_readable);
	if (!err) {
		node->offset = off32;
		node->width = 4;
	} else if (regname_offset(name, &node->offset, &node->width)) {
		return -ENOENT;
	}
	if (!node_range_fits(node->offset, node->width,
			     dev->region[node->bar].size))
		return -ENOENT;
	/* The kernel's I/O port resource file does 1, 2 and 4 bytes. */
	if (node->width == 8 && pci_region_is_io(&dev->region[node->bar]))
		return -ENOENT;
	return 0;
}

/* regs/, regs/config/..., regs/bar<N>/... */
static int path_regs(char **parts, int n, struct node *node)
{
	node->kind = NODE_REGS;
	if (n == 0)
		return 0;
	if (strcmp(parts[0], "config") == 0) {
		node->kind = NODE_REGS_CONFIG;
		return n == 1 ? 0 : path_reg_config(parts[1], node);
	}
	node->bar = path_bar(parts[0], node);
	if (node->bar < 0)
		return -ENOENT;
	node->kind = NODE_REGS_BAR;
	return n == 1 ? 0 : path_reg_bar(parts[1], node);
}

static int path_nic_file(const char *name, struct node *node)
{
	int file = node->nic ? nic_file_lookup(name) : -ENOENT;

	if (file < 0)
		return file;
	node->kind = NODE_NIC;
	node->nic_file = file;
	return 0;
}

/* "regs/bar0/0x8.l": the path below the device directory, for log lines. */
static void path_name(char **parts, int n, struct node *node)
{
	size_t len = 0;
	int i;

	for (i = 0; i < n && len < sizeof(node->name); i++)
		len += snprintf(node->name + len, sizeof(node->name) - len,
				"%s%s", i ? "/" : "", parts[i]);
}

/* devices/[BDF], drivers/[NAME], iommu_groups/[N]: pciutils' layout. */
static int path_sysattr_dir(char **parts, int n, struct node *node)
{
	if (n > 2)
		return -ENOENT;
	if (strcmp(parts[0], "devices") == 0) {
		node->kind = NODE_DEVICES;
		if (n == 1)
			return 0;
		node->kind = NODE_LINK;
		snprintf(node->link, sizeof(node->link), "../%s", parts[1]);
		return path_find_device(parts[1], node);
	}
	node->kind = strcmp(parts[0], "drivers") == 0 ? NODE_DRIVERS
						      : NODE_IOMMU_GROUPS;
	if (n == 1)
		return 0;
	return sysattr_tag_lookup(node, parts[1]);
}

/* Everything under <bdf>/. */
static int path_device(char **parts, int n, struct node *node)
{
	int err;

	err = path_find_device(parts[0], node);
	if (err)
		return err;
	path_name(parts + 1, n - 1, node);
	node->kind = NODE_DEVICE;
	if (n == 1)
		return 0;
	if (strcmp(parts[1], "regs") == 0)
		return path_regs(parts + 2, n - 2, node);
	if (n > 2)
		return -ENOENT;
	if (strcmp(parts[1], "info") == 0)
		node->kind = NODE_INFO;
	else if (strcmp(parts[1], "config") == 0)
		node->kind = NODE_CONFIG;
	else if ((node->bar = path_bar(parts[1], node)) >= 0)
		node->kind = NODE_BAR;
	else if (sysattr_lookup(parts[1], node) == 0)
		return 0;
	else
		return path_nic_file(parts[1], node);
	return 0;
}

int path_resolve(const char *path, struct node *node)
{
	char copy[256], *parts[PATH_DEPTH_MAX];
	int n;

	memset(node, 0, sizeof(*node));
	if (snprintf(copy, sizeof(copy), "%s", path) >= (int) sizeof(copy))
		return -ENOENT;
	n = path_split(copy, parts);
	if (n < 0)
		return n;
	node->kind = NODE_ROOT;
	if (n == 0)
		return 0;
	if (strcmp(parts[0], "by-id") == 0 || strcmp(parts[0], "by-class") == 0)
		return path_by(parts, n, node);
	if (sysattr_is_root_dir(parts[0]))
		return path_sysattr_dir(parts, n, node);
	return path_device(parts, n, node);
}
