// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * own.c - who owns a PCI function: a bound kernel driver, uio_pci_generic
 * (which only forwards INTx to userspace and drives nothing), or another
 * pcifs.  Ownership belongs to the PCI layer, so the filesystem's safety
 * rules and the drivers ask the same question the same way.
 *
 * A pcifs that drives a function holds an exclusive flock on its
 * DEVDIR/resource0 for as long as it does; locks on sysfs files are
 * advisory and pcifs's own.
 */
#include "pci/access.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define LOCK_ATTR "resource0"

/* The pid holding an flock on @fd's file, from /proc/locks, or 0. */
static pid_t lock_holder(int fd)
{
	unsigned maj, min;
	unsigned long ino;
	char line[256], kind[16];
	struct stat st;
	pid_t pid = 0;
	FILE *f;
	int p;

	if (fstat(fd, &st) < 0)
		return 0;
	f = fopen("/proc/locks", "re");
	if (!f)
		return 0;
	while (!pid && fgets(line, sizeof(line), f)) {
		if (strstr(line, "->"))
			continue; /* a waiter, not the holder */
		if (sscanf(line, "%*d: %15s %*s %*s %d %x:%x:%lu", kind, &p,
			   &maj, &min, &ino) == 5 &&
		    !strcmp(kind, "FLOCK") && maj == major(st.st_dev) &&
		    min == minor(st.st_dev) && ino == st.st_ino)
			pid = p;
	}
	fclose(f);
	return pid;
}

int pci_own_lock(struct pci_fn *fn, pid_t *holder)
{
	int fd, err;

	*holder = 0;
	if (fn->lock_fd >= 0)
		return 0;
	fd = pci_attr_open(fn, LOCK_ATTR, O_RDWR);
	if (fd < 0)
		return fd;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		fn->lock_fd = fd;
		return 0;
	}
	err = errno; /* before lock_holder can change it */
	if (err == EWOULDBLOCK) {
		*holder = lock_holder(fd);
		err = EBUSY;
	}
	close(fd);
	return -err;
}

bool pci_own_locked_elsewhere(const struct pci_fn *fn)
{
	int fd = pci_attr_open(fn, LOCK_ATTR, O_RDONLY);
	bool held;

	if (fd < 0)
		return false;
	held = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return held;
}

enum pci_owner pci_driver_owner(const char *driver)
{
	if (!driver[0])
		return PCI_OWNER_NONE;
	if (strcmp(driver, "uio_pci_generic") == 0)
		return PCI_OWNER_UIO;
	if (strcmp(driver, "vfio-pci") == 0)
		return PCI_OWNER_VFIO;
	return PCI_OWNER_KERNEL;
}

enum pci_owner pci_owner(const struct pci_fn *fn)
{
	char driver[PCI_DRIVER_LEN];
	enum pci_owner owner;

	pci_driver_name(fn, driver, sizeof(driver));
	owner = pci_driver_owner(driver);
	if (owner == PCI_OWNER_NONE && fn->lock_fd < 0 &&
	    pci_own_locked_elsewhere(fn))
		owner = PCI_OWNER_PCIFS;
	return owner;
}

/* uio_pci_generic registers one uio device below the function:
 * DEVDIR/uio/uioN (Documentation/driver-api/uio-howto.rst). */
int pci_uio_name(const struct pci_fn *fn, char *buf, size_t size)
{
	char path[PATH_MAX];
	struct dirent *d;
	int err = -ENODEV;
	DIR *dir;

	if (pci_attr_path(fn, "uio", path, sizeof(path)))
		return -ENAMETOOLONG;
	dir = opendir(path);
	if (!dir)
		return -ENODEV;
	while (err && (d = readdir(dir)))
		if (strncmp(d->d_name, "uio", 3) == 0 &&
		    strlen(d->d_name) < size) {
			memcpy(buf, d->d_name, strlen(d->d_name) + 1);
			err = 0;
		}
	closedir(dir);
	return err;
}
