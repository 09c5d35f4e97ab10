/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcilib.h - libpci for enumeration and pci.ids names (pcilib.c).
 */
#ifndef PCIFS_PCILIB_H
#define PCIFS_PCILIB_H

#include "fs/bdf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pcidev;

struct pci_ident {
	char bdf[BDF_LEN];
	uint16_t vendor, device;
	uint16_t class; /* base class and subclass */
};

int pcilib_init(const char *sysfs);
void pcilib_cleanup(void);
/* A fresh scan of SYSFS/devices, filtered by devices=, sorted by BDF.
 * The caller frees *@list. */
int pcilib_scan(struct pci_ident **list, size_t *count);

/* Names from pci.ids (and hwdb, as lspci does); "" when unknown. */
void pcilib_vendor_name(char *buf, size_t size, uint16_t vendor);
void pcilib_device_name(char *buf, size_t size, uint16_t vendor,
			uint16_t device);
void pcilib_subsystem_name(char *buf, size_t size, const struct pcidev *dev);
void pcilib_class_name(char *buf, size_t size, uint16_t class);
/* The by-class/ directory name: "Ethernet_controller", or "class_0200". */
void pcilib_class_dirname(char *buf, size_t size, uint16_t class);
/* The group a device is listed in: by-id/8086:100e or
 * by-class/Ethernet_controller (@class: base class and subclass). */
void pcilib_group_name(char *buf, size_t size, uint16_t vendor, uint16_t device,
		       uint16_t class, bool by_class);
/* Call @fn (if not NULL) with the BDF of each device of by-id/@group, or
 * by-class/@group, in BDF order.  Returns how many there are, or -errno. */
int pcilib_group_foreach(const char *group, bool by_class,
			 void (*fn)(const char *bdf, void *ctx), void *ctx);

#endif /* PCIFS_PCILIB_H */
