// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-bind.c - claiming an unbound function for vfio-pci and giving it
 * back (-o vfio).
 *
 * The claim is sysfs-bus-pci's: DEVDIR/driver_override names the only
 * driver that may bind, then ROOT/drivers_probe makes the kernel try
 * (Documentation/ABI/testing/sysfs-bus-pci, "driver_override").  vfio-pci
 * does not load the type1 IOMMU module it needs, so both are loaded here
 * when missing (vfio.rst, "VFIO Usage Example" does the same by hand).
 *
 * Giving back: vfio-pci's remove waits until every fd of the device is
 * closed, so the backend must be closed first; then vfio-pci is unbound,
 * the override cleared and the driver pcifs unbound before, if any,
 * bound again (pci_driver_restore).
 */
#define _GNU_SOURCE
#include "pci/access.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* @a then @b into @out, without snprintf: async-signal-safe. */
static bool join(char *out, size_t size, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la + lb + 1 > size)
		return false;
	memcpy(out, a, la);
	memcpy(out + la, b, lb + 1);
	return true;
}

/* DEVDIR@attr.  Async-signal-safe. */
static int write_attr(const struct pci_fn *fn, const char *attr,
		      const char *text)
{
	char path[PATH_MAX];

	if (!join(path, sizeof(path), fn->devdir, attr))
		return -ENAMETOOLONG;
	return pci_ctl_write(path, text);
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* modprobe @module, if /sys/module/@module is not there yet. */
static int load_module(const char *module)
{
	char sys[128], *argv[] = {"modprobe", (char *) module, NULL};
	int status;
	pid_t pid;

	snprintf(sys, sizeof(sys), "/sys/module/%s", module);
	for (char *p = sys; *p; p++)
		if (*p == '-')
			*p = '_'; /* the kernel's name of vfio-pci */
	if (exists(sys))
		return 0;
	if (posix_spawnp(&pid, "modprobe", NULL, NULL, argv, environ))
		return -ENOENT;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ENOENT;
}

static bool bound_to_vfio(const struct pci_fn *fn)
{
	char driver[PCI_DRIVER_LEN];

	pci_driver_name(fn, driver, sizeof(driver));
	return pci_driver_owner(driver) == PCI_OWNER_VFIO;
}

int pci_vfio_claim(struct pci_fn *fn, char *why, size_t whylen)
{
	int err;

	if (bound_to_vfio(fn))
		return 0; /* someone bound it: not ours to give back */
	if (load_module("vfio-pci") || load_module("vfio_iommu_type1")) {
		snprintf(
			why, whylen,
			"cannot load vfio-pci and vfio_iommu_type1 (modprobe them)");
		return -ENOENT;
	}
	err = write_attr(fn, "/driver_override", "vfio-pci");
	fn->vfio_claimed = err == 0;
	if (!err)
		err = pci_ctl_write(fn->probe_path, fn->bdf);
	if (!err && !bound_to_vfio(fn))
		err = -ENODEV;
	if (err) {
		snprintf(why, whylen, "cannot bind %s to vfio-pci: %s%s",
			 fn->bdf, strerror(-err),
			 err == -ENODEV ? " (see dmesg)" : "");
		pci_vfio_release(fn);
	}
	return err;
}

void pci_vfio_release(struct pci_fn *fn)
{
	if (!fn->vfio_claimed)
		return;
	if (bound_to_vfio(fn))
		(void) write_attr(fn, "/driver/unbind", fn->bdf);
	(void) write_attr(fn, "/driver_override", "\n");
	fn->vfio_claimed = false;
	pci_driver_restore(fn);
}
