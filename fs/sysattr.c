// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysattr.c - the files pciutils' linux-sysfs backend reads (pciutils
 * lib/sysfs.c): a devices/ directory of links to the device directories,
 * and in each device directory the attribute files the kernel writes
 * (vendor, device, class, resource, irq, ...) and the driver and
 * iommu_group links.
 *
 * Attribute files are the served tree's own bytes, read at each open, so
 * lspci on the mount prints what lspci on the tree prints; config goes
 * through configfile.c and pcifs's rules as always.  pciutils takes the
 * last component of realpath() of a link, so each link points at a
 * directory inside the mount: BDF/driver -> ../drivers/NAME,
 * BDF/iommu_group -> ../iommu_groups/N, which exist for every driver and
 * group of a device shown.  /sys/bus/pci/slots is not mirrored (lspci's
 * "Physical Slot" lines come from it).
 */
#include "fs/sysattr.h"
#include "fs/dir.h"
#include "fs/file.h"
#include "fs/node.h"
#include "fs/nodeops.h"
#include "fs/pcilib.h"
#include "fs/sysfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ATTR_MAX 4096 /* a sysfs attribute is at most a page */
#define TAG_MAX	 64

/* The text attributes pciutils reads, where the tree has them. */
static const char *const attr_names[] = {
	"vendor",	    "device",	"class", "subsystem_vendor",
	"subsystem_device", "revision", "irq",	 "resource",
	"numa_node",	    "modalias", "label", NULL,
};

/* The links, and the root directory their targets live in. */
static const struct {
	const char *attr;
	const char *dir;
	enum node_kind kind;
} link_attrs[] = {
	{"driver", "drivers", NODE_DRIVERS},
	{"iommu_group", "iommu_groups", NODE_IOMMU_GROUPS},
};

#define NLINKS (sizeof(link_attrs) / sizeof(link_attrs[0]))

bool sysattr_is_root_dir(const char *name)
{
	if (strcmp(name, "devices") == 0)
		return true;
	for (size_t i = 0; i < NLINKS; i++)
		if (strcmp(name, link_attrs[i].dir) == 0)
			return true;
	return false;
}

void sysattr_root_add(struct dir_fill *fill)
{
	dir_add("devices", fill);
	for (size_t i = 0; i < NLINKS; i++)
		dir_add(link_attrs[i].dir, fill);
}

static bool is_attr(const char *name)
{
	for (const char *const *a = attr_names; *a; a++)
		if (strcmp(*a, name) == 0)
			return true;
	return false;
}

/* The attribute link of @kind's root directory: "driver", "iommu_group". */
static const char *link_attr_of(enum node_kind kind)
{
	for (size_t i = 0; i < NLINKS; i++)
		if (link_attrs[i].kind == kind)
			return link_attrs[i].attr;
	return NULL;
}

int sysattr_lookup(const char *name, struct node *node)
{
	char tag[TAG_MAX];

	if (is_attr(name)) {
		char text[ATTR_MAX];

		if (sysfs_attr_text(node->dev.bdf, name, text, sizeof(text)))
			return -ENOENT;
		node->kind = NODE_ATTR;
		return 0;
	}
	for (size_t i = 0; i < NLINKS; i++) {
		if (strcmp(name, link_attrs[i].attr) ||
		    sysfs_attr_link(node->dev.bdf, name, tag, sizeof(tag)))
			continue;
		node->kind = NODE_LINK;
		snprintf(node->link, sizeof(node->link), "../%s/%s",
			 link_attrs[i].dir, tag);
		return 0;
	}
	return -ENOENT;
}

void sysattr_dev_add(const char *bdf, struct dir_fill *fill)
{
	char text[ATTR_MAX], tag[TAG_MAX];

	for (const char *const *a = attr_names; *a; a++)
		if (sysfs_attr_text(bdf, *a, text, sizeof(text)) == 0)
			dir_add(*a, fill);
	for (size_t i = 0; i < NLINKS; i++)
		if (sysfs_attr_link(bdf, link_attrs[i].attr, tag,
				    sizeof(tag)) == 0)
			dir_add(link_attrs[i].attr, fill);
}

/* ---- devices/, drivers/, iommu_groups/ ---- */

static int devices_readdir(struct node *node, struct dir_fill *fill)
{
	struct pci_ident *list;
	size_t count;
	int err;

	(void) node;
	err = pcilib_scan(&list, &count);
	if (err)
		return err;
	for (size_t i = 0; i < count; i++)
		dir_add(list[i].bdf, fill);
	free(list);
	return 0;
}

/*
 * Call @fn with each distinct target (driver name, group number) that the
 * @attr links of the devices shown have; stops early when @fn returns
 * non-zero, and returns that.
 */
static int tags_foreach(const char *attr, int (*fn)(const char *tag, void *ctx),
			void *ctx)
{
	char(*tags)[TAG_MAX];
	struct pci_ident *list;
	size_t i, j, n = 0, count;
	int err = pcilib_scan(&list, &count);

	if (err)
		return err;
	tags = calloc(count ? count : 1, sizeof(*tags));
	for (i = 0; tags && !err && i < count; i++) {
		if (sysfs_attr_link(list[i].bdf, attr, tags[n], TAG_MAX))
			continue;
		for (j = 0; j < n && strcmp(tags[j], tags[n]); j++)
			;
		if (j == n)
			err = fn(tags[n++], ctx);
	}
	err = tags ? err : -ENOMEM;
	free(tags);
	free(list);
	return err;
}

static int tag_add(const char *tag, void *ctx)
{
	dir_add(tag, ctx);
	return 0;
}

static int tags_readdir(struct node *node, struct dir_fill *fill)
{
	int err = tags_foreach(link_attr_of(node->kind), tag_add, fill);

	return err < 0 ? err : 0;
}

static int tag_match(const char *tag, void *ctx)
{
	return strcmp(tag, ctx) == 0;
}

int sysattr_tag_lookup(struct node *node, const char *name)
{
	int found = tags_foreach(link_attr_of(node->kind), tag_match,
				 (void *) name);

	if (found <= 0)
		return found < 0 ? found : -ENOENT;
	node->kind = NODE_TAG;
	snprintf(node->group, sizeof(node->group), "%s", name);
	return 0;
}

/* A link target only: nothing in it. */
static int tag_readdir(struct node *node, struct dir_fill *fill)
{
	(void) node;
	(void) fill;
	return 0;
}

/* ---- attribute files ---- */

static int attr_getattr(struct node *node, struct stat *st)
{
	char text[ATTR_MAX];
	int err =
		sysfs_attr_text(node->dev.bdf, node->name, text, sizeof(text));

	if (err)
		return err;
	st->st_mode = S_IFREG | 0444;
	st->st_size = (off_t) strlen(text);
	return 0;
}

/* Taken once at open, as info is: one read sees one value. */
static int attr_open(struct open_file *file, struct fuse_file_info *fi)
{
	int err;

	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	file->text = malloc(ATTR_MAX);
	if (!file->text)
		return -ENOMEM;
	err = sysfs_attr_text(file->node.dev.bdf, file->node.name, file->text,
			      ATTR_MAX);
	if (err)
		return err;
	file->len = strlen(file->text);
	return 0;
}

const struct node_ops devices_ops = {
	.getattr = dir_getattr,
	.readdir = devices_readdir,
};

const struct node_ops drivers_ops = {
	.getattr = dir_getattr,
	.readdir = tags_readdir,
};

const struct node_ops iommu_groups_ops = {
	.getattr = dir_getattr,
	.readdir = tags_readdir,
};

const struct node_ops tag_ops = {
	.getattr = dir_getattr,
	.readdir = tag_readdir,
};

const struct node_ops attr_ops = {
	.getattr = attr_getattr,
	.open = attr_open,
	.read = file_read_text,
};
