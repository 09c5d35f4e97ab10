/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysfs.h - what the daemon knows about a PCI function, read from the
 * attribute files of SYSFS/devices/BDF/ (sysfs.c).
 *
 * Everything here is read from the sysfs tree being served (the real
 * /sys/bus/pci or a fixture laid out like it), never from hardware.
 */
#ifndef PCIFS_SYSFS_H
#define PCIFS_SYSFS_H

#include "fs/bdf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCI_NUM_BARS 6
#define PCI_ROM_SLOT 6 /* line 6 of "resource" is the expansion ROM */

/* Flags of the sysfs "resource" file (linux/ioport.h). */
#define IORESOURCE_IO	    0x00000100
#define IORESOURCE_MEM	    0x00000200
#define IORESOURCE_PREFETCH 0x00002000
#define IORESOURCE_MEM_64   0x00100000

struct pci_region {
	uint64_t start;
	uint64_t size; /* 0: not implemented */
	uint64_t flags;
};

struct pcidev {
	char bdf[BDF_LEN];
	uint16_t vendor, device;
	uint16_t subvendor, subdevice;
	uint32_t class; /* 24 bits: base class, subclass, prog-if */
	uint8_t revision;
	int irq;
	char driver[64]; /* bound kernel driver, "" if none */
	struct pci_region region[PCI_ROM_SLOT + 1];
};

#define PCI_CFG_MAX 4096

/* "SYSFS/devices/BDF/ATTR" into @buf; -ENAMETOOLONG if it does not fit. */
int sysfs_path(char *buf, size_t size, const char *bdf, const char *attr);
bool sysfs_dev_exists(const char *bdf);
/* Open SYSFS/devices/BDF/ATTR; returns the fd or -errno. */
int sysfs_open(const char *bdf, const char *attr, int flags);
/* Fill @dev from the attribute files; -ENOENT if the device is gone. */
int sysfs_dev_load(const char *bdf, struct pcidev *dev);
/* Size of the config file: 256, or 4096 with extended config space. */
int sysfs_config_size(const char *bdf, size_t *size);
/* Read the whole config space into @cfg (PCI_CFG_MAX bytes). */
int sysfs_config_snapshot(const char *bdf, uint8_t *cfg, size_t *len);

static inline bool pci_region_is_io(const struct pci_region *r)
{
	return r->flags & IORESOURCE_IO;
}

#endif /* PCIFS_SYSFS_H */
