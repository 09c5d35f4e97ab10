// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-group.c - why an IOMMU group is not viable, in one line.
 *
 * The IOMMU isolates groups, not functions: VFIO hands a group to
 * userspace only when every member is bound to a vfio driver or to none
 * (vfio.rst, "Groups, Devices, and IOMMUs").  The members are the links in
 * DEVDIR/iommu_group/devices/, each with its own driver link.
 */
#include "pci/vfio.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ", 0000:00:1f.2 (ahci)" for a member bound to a driver that is not
 * vfio-pci; nothing for the others. */
static void add_member(const char *dir, const char *name, char *list,
		       size_t size)
{
	char link[PATH_MAX], target[PATH_MAX];
	const char *driver;
	size_t used = strlen(list);
	ssize_t n;

	if ((size_t) snprintf(link, sizeof(link), "%.*s/%.*s/driver",
			      (int) sizeof(link) / 2, dir,
			      (int) sizeof(link) / 4, name) >= sizeof(link))
		return;
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	driver = strrchr(target, '/');
	driver = driver ? driver + 1 : target;
	if (strcmp(driver, "vfio-pci") == 0 || used >= size)
		return;
	snprintf(list + used, size - used, "%s%.16s (%.32s)", used ? ", " : "",
		 name, driver);
}

void vfio_group_why(struct pci_fn *fn, int group_id)
{
	char dir[PATH_MAX], list[160] = "";
	struct dirent *d;
	DIR *members;

	if (pci_attr_path(fn, "iommu_group/devices", dir, sizeof(dir)))
		return;
	members = opendir(dir);
	while (members && (d = readdir(members)))
		if (d->d_name[0] != '.' && strcmp(d->d_name, fn->bdf) != 0)
			add_member(dir, d->d_name, list, sizeof(list));
	if (members)
		closedir(members);
	snprintf(
		fn->why, sizeof(fn->why),
		"iommu group %d is not viable: %s share%s it; bind %s to vfio-pci too, or unbind %s",
		group_id, list[0] ? list : "other devices",
		strchr(list, ',') || !list[0] ? "" : "s",
		strchr(list, ',') || !list[0] ? "them" : "it",
		strchr(list, ',') || !list[0] ? "them" : "it");
}
