// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysfs.c - the PCI functions of the tree being served (-o sysfs=DIR), as
 * the filesystem sees them: each lookup opens the function through the pci/
 * layer, reads what it needs and closes it again, so a hot-plugged or
 * removed device is seen at once.
 */
#include "fs/sysfs.h"
#include "fs/pcifs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

/* Open @bdf of the served tree, config read-only; pci_fn_close after. */
static int sysfs_fn(const char *bdf, struct pci_fn *fn)
{
	int err = pci_fn_open(fn, pcifs_opts.sysfs, bdf, false);

	if (err)
		pci_fn_close(fn);
	return err == -ENODEV ? -ENOENT : err;
}

bool sysfs_dev_exists(const char *bdf)
{
	return pci_fn_exists(pcifs_opts.sysfs, bdf);
}

int sysfs_dev_load(const char *bdf, struct pcidev *dev)
{
	struct pci_fn fn;
	int err = sysfs_fn(bdf, &fn);

	if (err)
		return err;
	err = pci_fn_load(&fn, dev);
	pci_fn_close(&fn);
	return err;
}

int sysfs_config_size(const char *bdf, size_t *size)
{
	struct pci_fn fn;
	int err = sysfs_fn(bdf, &fn);

	if (err)
		return err;
	err = pci_config_size(&fn, size);
	pci_fn_close(&fn);
	return err;
}

int sysfs_config_snapshot(const char *bdf, uint8_t *cfg, size_t *len)
{
	struct pci_fn fn;
	int err = sysfs_fn(bdf, &fn);

	if (err)
		return err;
	err = pci_config_snapshot(&fn, cfg, len);
	pci_fn_close(&fn);
	return err;
}

bool sysfs_locked_elsewhere(const char *bdf)
{
	struct pci_fn fn;

	return pci_fn_init(&fn, pcifs_opts.sysfs, bdf) == 0 &&
	       pci_own_locked_elsewhere(&fn);
}

void sysfs_driver_name(const char *bdf, char *buf, size_t size)
{
	struct pci_fn fn;

	buf[0] = '\0';
	if (pci_fn_init(&fn, pcifs_opts.sysfs, bdf) == 0)
		pci_driver_name(&fn, buf, size);
}

int sysfs_attr_text(const char *bdf, const char *attr, char *buf, size_t size)
{
	struct pci_fn fn;
	int err = pci_fn_init(&fn, pcifs_opts.sysfs, bdf);

	return err ? err : pci_attr_read(&fn, attr, buf, size);
}

int sysfs_attr_link(const char *bdf, const char *attr, char *buf, size_t size)
{
	struct pci_fn fn;
	int err = pci_fn_init(&fn, pcifs_opts.sysfs, bdf);

	return err ? err : pci_attr_link_name(&fn, attr, buf, size);
}
