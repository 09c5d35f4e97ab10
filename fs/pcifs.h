/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcifs.h - mount options and what the daemon knows about a PCI function.
 *
 * Everything here is read from the sysfs tree being served (the real
 * /sys/bus/pci or a fixture laid out like it), never from hardware.
 */
#ifndef PCIFS_PCIFS_H
#define PCIFS_PCIFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pci/access.h"

/* Mount options (-o ...), filled once by main.c, read-only afterwards. */
struct pcifs_opts {
	char *sysfs;   /* sysfs=DIR, devices live in DIR/devices/ */
	char *devices; /* devices=BDF[:BDF...] as given, or NULL */
	int ro;	       /* every write fails with EROFS */
	int force;     /* allow BAR access and config writes on bound devices */
	int unbind;    /* e1000: detach the kernel driver at mount */
	int nodriver;  /* never engage pcifs's own e1000 driver */
	int vfio;      /* e1000: bind vfio-pci at mount, give back at unmount */
};

extern struct pcifs_opts pcifs_opts;

/* ---- bdf.c: "0000:00:03.0" names and the devices= filter ---- */

#define BDF_LEN PCI_BDF_LEN

/* Canonical "dddd:bb:dd.f" from @len bytes of "dddd:bb:dd.f" or "bb:dd.f". */
int bdf_normalize(const char *text, size_t len, char bdf[BDF_LEN]);
/* True if @name is already a canonical BDF. */
bool bdf_is_canonical(const char *name);
/* Parse devices=; -EINVAL on a malformed entry (logged). */
int bdf_filter_parse(const char *list);
/* True if devices= was not given or lists @bdf. */
bool bdf_allowed(const char *bdf);

/* ---- sysfs.c: the functions of the tree being served ---- */

/* Fill @dev from the attribute files; -ENOENT if the device is gone. */
int sysfs_dev_load(const char *bdf, struct pcidev *dev);
/* Size of the config file: 256, or 4096 with extended config space. */
int sysfs_config_size(const char *bdf, size_t *size);
/* Read the whole config space into @cfg (PCI_CFG_MAX bytes). */
int sysfs_config_snapshot(const char *bdf, uint8_t *cfg, size_t *len);
/* Open attribute @attr of @bdf; the fd or -errno. */
int sysfs_open(const char *bdf, const char *attr, int flags);
/* Does another pcifs drive @bdf (pci_own_locked_elsewhere)? */
bool sysfs_locked_elsewhere(const char *bdf);

/* ---- pcilib.c: libpci for enumeration and pci.ids names ---- */

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

#endif /* PCIFS_PCIFS_H */
