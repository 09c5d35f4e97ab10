/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysfs.h - the PCI functions of the tree being served (-o sysfs=DIR), as
 * the filesystem reads them through pci/ (sysfs.c).  Each call opens the
 * function, reads and closes it: nothing is cached, so hot-plug shows.
 */
#ifndef PCIFS_SYSFS_H
#define PCIFS_SYSFS_H

#include "fs/bdf.h"
#include "pci/access.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

_Static_assert(BDF_LEN == PCI_BDF_LEN, "one length for a BDF");

/* Is SYSFS/devices/BDF there? */
bool sysfs_dev_exists(const char *bdf);
/* Fill @dev from the attribute files; -ENOENT if the device is gone. */
int sysfs_dev_load(const char *bdf, struct pcidev *dev);
/* Size of the config file: 256, or 4096 with extended config space. */
int sysfs_config_size(const char *bdf, size_t *size);
/* Read the whole config space into @cfg (PCI_CFG_MAX bytes). */
int sysfs_config_snapshot(const char *bdf, uint8_t *cfg, size_t *len);
/* The bound kernel driver's name, "" when none or gone. */
void sysfs_driver_name(const char *bdf, char *buf, size_t size);
/* A text attribute file of @bdf as the kernel wrote it ("0x8086\n"),
 * NUL-terminated; -ENOENT when the tree has none. */
int sysfs_attr_text(const char *bdf, const char *attr, char *buf, size_t size);
/* The last component of a symlink attribute ("iommu_group" -> "3"). */
int sysfs_attr_link(const char *bdf, const char *attr, char *buf, size_t size);
/* Does another pcifs drive @bdf (pci_own_locked_elsewhere)? */
bool sysfs_locked_elsewhere(const char *bdf);

#endif /* PCIFS_SYSFS_H */
