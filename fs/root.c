// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * root.c - the root, by-id/, by-class/, their groups and links.
 *
 * Each listing comes from a fresh libpci scan, so ls shows hot-plugged
 * devices at once.
 */
#include "fs/root.h"
#include "fs/dir.h"
#include "fs/node.h"
#include "fs/pcilib.h"
#include "fs/sysattr.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int root_readdir(struct node *node, struct dir_fill *fill)
{
	struct pci_ident *list;
	size_t i, count;
	int err;

	(void) node;
	err = pcilib_scan(&list, &count);
	if (err)
		return err;
	for (i = 0; i < count; i++)
		dir_add(list[i].bdf, fill);
	free(list);
	dir_add("by-id", fill);
	dir_add("by-class", fill);
	sysattr_root_add(fill);
	return 0;
}

static void group_name(char *buf, size_t size, const struct pci_ident *ident,
		       bool by_class)
{
	pcilib_group_name(buf, size, ident->vendor, ident->device, ident->class,
			  by_class);
}

/* by-id/ and by-class/: each group once. */
static int groups_readdir(struct node *node, struct dir_fill *fill)
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
		group_name(names[i], sizeof(names[i]), &list[i],
			   node->by_class);
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
static int group_readdir(struct node *node, struct dir_fill *fill)
{
	int n = pcilib_group_foreach(node->group, node->by_class, dir_add,
				     fill);

	return n < 0 ? n : 0;
}

/* Every symlink of the tree: its target was set when the path was
 * resolved (by-id/G/BDF -> ../../BDF, devices/BDF -> ../BDF, BDF/driver
 * -> ../drivers/NAME). */
static int link_getattr(struct node *node, struct stat *st)
{
	st->st_mode = S_IFLNK | 0777;
	st->st_size = strlen(node->link);
	return 0;
}

static int link_readlink(const struct node *node, char *buf, size_t size)
{
	snprintf(buf, size, "%s", node->link);
	return 0;
}

const struct node_ops root_ops = {
	.getattr = dir_getattr,
	.readdir = root_readdir,
};

const struct node_ops groups_ops = {
	.getattr = dir_getattr,
	.readdir = groups_readdir,
};

const struct node_ops group_ops = {
	.getattr = dir_getattr,
	.readdir = group_readdir,
};

const struct node_ops link_ops = {
	.getattr = link_getattr,
	.readlink = link_readlink,
};
