// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * device.c - a device directory, and regs/ with its config/ and bar<N>/.
 */
#include "fs/device.h"
#include "fs/dir.h"
#include "fs/nic.h"
#include "fs/node.h"
#include "fs/path.h"
#include "fs/regnames.h"
#include "fs/sysattr.h"
#include "fs/sysfs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* bar0 ... bar5, for each BAR the device implements. */
static void device_add_bars(struct dir_fill *fill, const struct pcidev *dev)
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

static int device_readdir(struct node *node, struct dir_fill *fill)
{
	int err = path_load(node);

	if (err)
		return err;
	dir_add("info", fill);
	dir_add("config", fill);
	device_add_bars(fill, &node->dev);
	dir_add("regs", fill);
	sysattr_dev_add(node->dev.bdf, fill);
	if (node->nic)
		for (int file = 0; file < NIC_NFILES; file++)
			dir_add(nic_file_names[file], fill);
	return 0;
}

static int regs_readdir(struct node *node, struct dir_fill *fill)
{
	int err = path_load(node);

	if (err)
		return err;
	dir_add("config", fill);
	device_add_bars(fill, &node->dev);
	return 0;
}

/* setpci's names of what config space holds now: header, capabilities. */
static int regs_config_readdir(struct node *node, struct dir_fill *fill)
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

/* Only BAR0 of a supported NIC has datasheet names. */
static int regs_bar_readdir(struct node *node, struct dir_fill *fill)
{
	if (node->bar == 0)
		nic_reg_foreach(node->dev.vendor, node->dev.device, dir_add,
				fill);
	return 0;
}

const struct node_ops device_ops = {
	.getattr = dir_getattr,
	.readdir = device_readdir,
};

const struct node_ops regs_ops = {
	.getattr = dir_getattr,
	.readdir = regs_readdir,
};

const struct node_ops regs_config_ops = {
	.getattr = dir_getattr,
	.readdir = regs_config_readdir,
};

const struct node_ops regs_bar_ops = {
	.getattr = dir_getattr,
	.readdir = regs_bar_readdir,
};
