// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bind.c - taking a function from its kernel driver and giving it back,
 * through DEVDIR/driver/unbind, DRIVER/bind and the bus's drivers_probe
 * (sysfs-bus-pci).
 */
#include "pci/access.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int pci_ctl_write(const char *path, const char *text)
{
	ssize_t len = (ssize_t) strlen(text);
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, text, (size_t) len) != len)
		err = -errno;
	close(fd);
	return err;
}

int pci_driver_detach(struct pci_fn *fn)
{
	char link[PATH_MAX], target[PATH_MAX], unbind[PATH_MAX];
	int err;

	if (pci_attr_path(fn, "driver", link, sizeof(link)) ||
	    !realpath(link, target))
		return 0; /* no driver bound */
	snprintf(fn->rebind_path, sizeof(fn->rebind_path), "%.*s/bind",
		 (int) sizeof(fn->rebind_path) - 6, target);
	if (pci_attr_path(fn, "driver/unbind", unbind, sizeof(unbind)))
		return -ENAMETOOLONG;
	err = pci_ctl_write(unbind, fn->bdf);
	if (err)
		fn->rebind_path[0] = '\0';
	return err;
}

void pci_driver_restore(const struct pci_fn *fn)
{
	if (!fn->rebind_path[0])
		return;
	if (pci_ctl_write(fn->rebind_path, fn->bdf) < 0)
		pci_ctl_write(fn->probe_path, fn->bdf);
}
