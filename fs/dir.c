// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dir.c - the entries of each directory of the tree.
 *
 * The root, by-id/ and by-class/ come from a fresh libpci scan each time, so
 * ls shows hot-plugged devices at once.
 */
#include "fs/dir.h"
#include "fs/nic.h"
#include "fs/pcilib.h"
#include "fs/regs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dir_fill {
	void *buf;
	fuse_fill_dir_t filler;
};

static void dir_add(const char *name, void *ctx)
{
	struct dir_fill *fill = ctx;

	fill->filler(fill->buf, name, NULL, 0, 0);
}

static void dir_group_name(char *buf, size_t size,
			   const struct pci_ident *ident, bool by_class)
{
	pcilib_group_name(buf, size, ident->vendor, ident->device, ident->class,
			  by_class);
}

static int dir_root(struct dir_fill *fill)
{
	struct pci_ident *list;
	size_t i, count;
	int err;

	err = pcilib_scan(&list, &count);
	if (err)
		return err;
	for (i = 0; i < count; i++)
		dir_add(list[i].bdf, fill);
	free(list);
	dir_add("by-id", fill);
	dir_add("by-class", fill);
	return 0;
}

/* by-id/ and by-class/: each group once. */
static int dir_groups(struct dir_fill *fill, bool by_class)
{
	char(*names)[64];
	struct pci_ident *list;
	size_t i, j, count;
	int err;

	err = pcilib_scan(&list, &count);
	if (err)
		return err;
	names = calloc(count ? count : 1, sizeof(*names));
	if (!names) {
		free(list);
		return -ENOMEM;
	}
	for (i = 0; i < count; i++) {
		dir_group_name(names[i], sizeof(names[i]), &list[i], by_class);
		for (j = 0; j < i && strcmp(names[i], names[j]); j++)
			;
		if (j == i)
			dir_add(names[i], fill);
	}
	free(names);
	free(list);
	return 0;
}

/* by-id/<group>/ and by-class/<group>/: the devices in it. */
static int dir_group(struct dir_fill *fill, const struct node *node)
{
	int n = pcilib_group_foreach(node->group, node->by_class, dir_add,
				     fill);

	return n < 0 ? n : 0;
}

static void dir_bars(struct dir_fill *fill, const struct pcidev *dev)
{
	char name[16];
	int bar;

	for (bar = 0; bar < PCI_NUM_BARS; bar++) {
		if (!dev->region[bar].size)
			continue;
		snprintf(name, sizeof(name), "bar%d", bar);
		dir_add(name, fill);
	}
}

static int dir_device(struct dir_fill *fill, const struct node *node)
{
	dir_add("info", fill);
	dir_add("config", fill);
	dir_bars(fill, &node->dev);
	dir_add("regs", fill);
	if (node->nic)
		for (int file = 0; file < NIC_NFILES; file++)
			dir_add(nic_file_names[file], fill);
	return 0;
}

static int dir_regs_config(struct dir_fill *fill, const struct node *node)
{
	uint8_t *cfg = malloc(PCI_CFG_MAX);
	size_t len;
	int err;

	if (!cfg)
		return -ENOMEM;
	err = sysfs_config_snapshot(node->dev.bdf, cfg, &len);
	if (!err)
		regname_config_foreach(cfg, len, dir_add, fill);
	free(cfg);
	return err;
}

int dir_list(const struct node *node, void *buf, fuse_fill_dir_t filler)
{
	struct dir_fill fill = {.buf = buf, .filler = filler};
	const struct pcidev *dev = &node->dev;

	dir_add(".", &fill);
	dir_add("..", &fill);
	switch (node->kind) {
	case NODE_ROOT:
		return dir_root(&fill);
	case NODE_BY_ID:
	case NODE_BY_CLASS:
		return dir_groups(&fill, node->kind == NODE_BY_CLASS);
	case NODE_GROUP:
		return dir_group(&fill, node);
	case NODE_DEVICE:
		return dir_device(&fill, node);
	case NODE_REGS:
		dir_add("config", &fill);
		dir_bars(&fill, dev);
		return 0;
	case NODE_REGS_CONFIG:
		return dir_regs_config(&fill, node);
	case NODE_REGS_BAR:
		/* Only BAR0 of a supported NIC has datasheet names. */
		if (node->bar == 0)
			nic_reg_foreach(dev->vendor, dev->device, dir_add,
					&fill);
		return 0;
	default:
		return -ENOTDIR;
	}
}
