/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysattr.h - the sysfs layout pciutils reads (sysattr.c), so that lspci,
 * setpci and every libpci tool work on a mount with
 * "-A linux-sysfs -O sysfs.path=MOUNT".
 */
#ifndef PCIFS_SYSATTR_H
#define PCIFS_SYSATTR_H

#include <stdbool.h>

struct dir_fill;
struct node;

extern const struct node_ops devices_ops;      /* /devices/ */
extern const struct node_ops drivers_ops;      /* /drivers/ */
extern const struct node_ops iommu_groups_ops; /* /iommu_groups/ */
extern const struct node_ops tag_ops;	       /* /drivers/NAME/ ... */
extern const struct node_ops attr_ops;	       /* BDF/vendor ... */

/* "devices", "drivers" or "iommu_groups": a directory of the root. */
bool sysattr_is_root_dir(const char *name);
/* Add those three to the root's listing. */
void sysattr_root_add(struct dir_fill *fill);
/* drivers/@name or iommu_groups/@name of a NODE_DRIVERS or
 * NODE_IOMMU_GROUPS @node: a NODE_TAG if a device shown has it. */
int sysattr_tag_lookup(struct node *node, const char *name);
/* BDF/@name of a device @node: an attribute file the tree has (NODE_ATTR)
 * or the driver and iommu_group links (NODE_LINK); -ENOENT if neither. */
int sysattr_lookup(const char *name, struct node *node);
/* Add the device's attribute files and links to its directory listing. */
void sysattr_dev_add(const char *bdf, struct dir_fill *fill);

#endif /* PCIFS_SYSATTR_H */
