// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pci.c - the PCI function through sysfs: identity, ownership lock, kernel
 * driver unbind/rebind, the COMMAND register and the BAR0 mapping.
 *
 * Config space is read and written with pread/pwrite on DEVDIR/config, as
 * libpci's sysfs method does; BAR0 is DEVDIR/resource0 mapped MAP_SHARED.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "e1000/priv.h"

#define IORESOURCE_IO 0x100  /* flags column of DEVDIR/resource */
#define BAR0_MIN_LEN  0x6000 /* through RAL/RAH (SDM table 13-2) */

static int read_hex_file(const char *devdir, const char *name, unsigned *val)
{
	char path[PATH_MAX], text[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", devdir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	text[n] = '\0';
	*val = (unsigned) strtoul(text, NULL, 16);
	return 0;
}

static int identify(struct e1000_pci *pci, const struct e1000_model **model,
		    char *why, size_t whylen)
{
	unsigned vendor = 0, device = 0;

	if (read_hex_file(pci->devdir, "vendor", &vendor) < 0 ||
	    read_hex_file(pci->devdir, "device", &device) < 0) {
		snprintf(why, whylen, "cannot read vendor/device in %s",
			 pci->devdir);
		return -ENODEV;
	}
	*model = e1000_model_find(vendor, device);
	if (!*model) {
		snprintf(why, whylen, "%04x:%04x is not a supported 8254x",
			 vendor, device);
		return -ENODEV;
	}
	return 0;
}

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

/* One pcifs per NIC: an exclusive flock on resource0. */
static int lock_bar(struct e1000_pci *pci, char *why, size_t whylen)
{
	char path[PATH_MAX];
	int err;

	snprintf(path, sizeof(path), "%s/resource0", pci->devdir);
	pci->bar_fd = open(path, O_RDWR | O_CLOEXEC);
	if (pci->bar_fd < 0) {
		err = errno;
		snprintf(why, whylen, "cannot open %s: %s", path,
			 strerror(err));
		return -err;
	}
	if (flock(pci->bar_fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	err = errno; /* before snprintf and lock_holder can change it */
	if (err == EWOULDBLOCK) {
		snprintf(
			why, whylen,
			"e1000 is driven by another pcifs (pid %d); tx/rx not served here",
			(int) lock_holder(pci->bar_fd));
		return -EBUSY;
	}
	snprintf(why, whylen, "cannot lock %s: %s", path, strerror(err));
	return -err;
}

static int write_sysfs(const char *path, const char *text)
{
	ssize_t len = (ssize_t) strlen(text);
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, text, len) != len)
		err = -errno;
	close(fd);
	return err;
}

/* Is a kernel driver bound?  Then @target gets its sysfs directory. */
static bool bound_driver(const struct e1000_pci *pci, char target[PATH_MAX])
{
	char link[PATH_MAX];

	snprintf(link, sizeof(link), "%s/driver", pci->devdir);
	return realpath(link, target) != NULL;
}

/*
 * uio_pci_generic is no NIC driver: it only hands the INTx interrupt to
 * user space (irq.c), through the one uioN below the device.
 */
static bool find_uio(struct e1000_pci *pci, const char *driver)
{
	char path[E1000_DEVDIR_MAX + 8];
	struct dirent *d;
	DIR *dir;

	if (strcmp(driver, "uio_pci_generic") != 0)
		return false;
	snprintf(path, sizeof(path), "%s/uio", pci->devdir);
	dir = opendir(path);
	if (!dir)
		return false;
	while ((d = readdir(dir)))
		if (strncmp(d->d_name, "uio", 3) == 0 &&
		    strlen(d->d_name) < sizeof(pci->uio)) {
			memcpy(pci->uio, d->d_name, strlen(d->d_name) + 1);
			break;
		}
	closedir(dir);
	return pci->uio[0] != '\0';
}

/* Without -o unbind, a NIC a kernel driver owns is left alone: checked
 * before resource0 is even opened. */
static int check_driver(struct e1000_pci *pci, bool unbind, char *why,
			size_t whylen)
{
	char target[PATH_MAX];

	if (!bound_driver(pci, target) || find_uio(pci, basename(target)) ||
	    unbind)
		return 0;
	snprintf(why, whylen,
		 "kernel driver %s is bound; mount with -o unbind to detach it",
		 basename(target));
	return -EBUSY;
}

/* Detach a bound kernel driver, remembering where to give the NIC back. */
static int detach_driver(struct e1000_pci *pci, char *why, size_t whylen)
{
	char target[PATH_MAX], unbind_path[PATH_MAX];
	int err;

	if (!bound_driver(pci, target) || pci->uio[0])
		return 0;
	snprintf(pci->bind_path, sizeof(pci->bind_path), "%s/bind", target);
	snprintf(unbind_path, sizeof(unbind_path), "%s/driver/unbind",
		 pci->devdir);
	err = write_sysfs(unbind_path, pci->bdf);
	if (err < 0) {
		snprintf(why, whylen, "cannot unbind kernel driver %s: %s",
			 basename(target), strerror(-err));
		pci->bind_path[0] = '\0';
	}
	return err;
}

/* Give the NIC back to the kernel driver e1000_pci_open detached.
 * Async-signal-safe: the guardian calls it too. */
void e1000_pci_rebind(const struct e1000_pci *pci)
{
	if (!pci->bind_path[0])
		return;
	if (write_sysfs(pci->bind_path, pci->bdf) < 0)
		write_sysfs(pci->probe_path, pci->bdf);
}

static int map_bar0(struct e1000_pci *pci, char *why, size_t whylen)
{
	struct stat st;
	void *p;

	if (fstat(pci->bar_fd, &st) < 0 || st.st_size < BAR0_MIN_LEN) {
		snprintf(why, whylen, "BAR0 is missing or too small");
		return -ENODEV;
	}
	p = mmap(NULL, (size_t) st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 pci->bar_fd, 0);
	if (p == MAP_FAILED) {
		snprintf(why, whylen, "cannot mmap BAR0: %s", strerror(errno));
		return -errno;
	}
	pci->bar0 = p;
	pci->bar0_len = (size_t) st.st_size;
	return 0;
}

static int open_config(struct e1000_pci *pci, char *why, size_t whylen)
{
	char path[PATH_MAX];
	uint16_t cmd;

	snprintf(path, sizeof(path), "%s/config", pci->devdir);
	errno = EIO; /* what a short read reports */
	pci->config_fd = open(path, O_RDWR | O_CLOEXEC);
	if (pci->config_fd < 0 ||
	    pread(pci->config_fd, &cmd, 2, PCI_CFG_COMMAND) != 2) {
		int err = errno;

		snprintf(why, whylen, "cannot access %s: %s", path,
			 strerror(err));
		return -err;
	}
	pci->command = cmd;
	pci->command_saved = true;
	return 0;
}

static void set_paths(struct e1000_pci *pci, const char *devdir)
{
	char tmp[PATH_MAX];

	snprintf(pci->devdir, sizeof(pci->devdir), "%s", devdir);
	snprintf(tmp, sizeof(tmp), "%s", devdir);
	snprintf(pci->bdf, sizeof(pci->bdf), "%s", basename(tmp));
	/* DEVDIR is SYSFS/devices/BDF: the bus directory is two up. */
	snprintf(tmp, sizeof(tmp), "%s", devdir);
	snprintf(pci->probe_path, sizeof(pci->probe_path), "%s/drivers_probe",
		 dirname(dirname(tmp)));
}

int e1000_pci_open(struct e1000_pci *pci, const char *devdir, bool unbind,
		   const struct e1000_model **model, char *why, size_t whylen)
{
	int err;

	memset(pci, 0, sizeof(*pci));
	pci->config_fd = -1;
	pci->bar_fd = -1;
	if (strlen(devdir) >= sizeof(pci->devdir)) {
		snprintf(why, whylen, "device path too long");
		return -ENAMETOOLONG;
	}
	set_paths(pci, devdir);
	err = identify(pci, model, why, whylen);
	if (!err)
		err = check_driver(pci, unbind, why, whylen);
	if (!err)
		err = lock_bar(pci, why, whylen);
	if (!err && unbind)
		err = detach_driver(pci, why, whylen);
	if (!err)
		err = open_config(pci, why, whylen);
	if (!err)
		err = map_bar0(pci, why, whylen);
	if (err)
		e1000_pci_close(pci);
	return err;
}

/* Read-modify-write of COMMAND (PCI 3.0, 6.2.2).  Async-signal-safe. */
int e1000_pci_command(const struct e1000_pci *pci, uint16_t set, uint16_t clear)
{
	uint16_t cmd;

	if (pread(pci->config_fd, &cmd, 2, PCI_CFG_COMMAND) != 2)
		return -EIO;
	cmd = (uint16_t) ((cmd & ~clear) | set);
	if (pwrite(pci->config_fd, &cmd, 2, PCI_CFG_COMMAND) != 2)
		return -EIO;
	return 0;
}

/* The first I/O BAR in DEVDIR/resource, or -ENODEV. */
static int io_bar(const struct e1000_pci *pci)
{
	unsigned long long start, end, flags;
	char path[PATH_MAX], line[128];
	int bar = -ENODEV, i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/resource", pci->devdir);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	for (i = 0; bar < 0 && i < 6 && fgets(line, sizeof(line), f); i++)
		if (sscanf(line, "%llx %llx %llx", &start, &end, &flags) == 3 &&
		    (flags & IORESOURCE_IO) && end > start)
			bar = i;
	fclose(f);
	return bar;
}

/*
 * A write through the I/O window (SDM 13.2.2), if the NIC has one and
 * decodes it: with COMMAND.IO clear the write would be lost without an
 * error, so the caller must take the MMIO path instead.
 */
int e1000_pci_io_write(const struct e1000_pci *pci, uint32_t reg, uint32_t val)
{
	char path[PATH_MAX];
	uint16_t cmd;
	int bar, fd, err = 0;

	if (pread(pci->config_fd, &cmd, 2, PCI_CFG_COMMAND) != 2 ||
	    !(cmd & PCI_COMMAND_IO))
		return -ENODEV;
	bar = io_bar(pci);
	if (bar < 0)
		return bar;
	snprintf(path, sizeof(path), "%s/resource%d", pci->devdir, bar);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pwrite(fd, &reg, 4, E1000_IOADDR) != 4 ||
	    pwrite(fd, &val, 4, E1000_IODATA) != 4)
		err = -EIO;
	close(fd);
	return err;
}

/* Restore COMMAND (bus mastering stays off: a rebound driver enables it in
 * its probe), unmap, unlock, and rebind the kernel driver. */
void e1000_pci_close(struct e1000_pci *pci)
{
	if (pci->command_saved)
		e1000_pci_command(pci, pci->command & ~PCI_COMMAND_MASTER,
				  0xffff);
	if (pci->bar0)
		munmap((void *) pci->bar0, pci->bar0_len);
	if (pci->config_fd >= 0)
		close(pci->config_fd);
	if (pci->bar_fd >= 0)
		close(pci->bar_fd);
	pci->bar0 = NULL;
	pci->config_fd = -1;
	pci->bar_fd = -1;
	pci->command_saved = false;
	e1000_pci_rebind(pci);
	pci->bind_path[0] = '\0';
}
