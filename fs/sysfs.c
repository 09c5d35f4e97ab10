// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysfs.c - the attribute files of one PCI function under SYSFS/devices/BDF/.
 *
 * These are the files the kernel documents in
 * Documentation/ABI/testing/sysfs-bus-pci; a fixture tree has the same ones
 * as regular files.  Nothing here touches a BAR.
 */
#include "fs/sysfs.h"
#include "fs/pcifs.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sysfs_path(char *buf, size_t size, const char *bdf, const char *attr)
{
	int n = snprintf(buf, size, "%s/devices/%s%s%s", pcifs_opts.sysfs, bdf,
			 attr ? "/" : "", attr ? attr : "");

	return n < 0 || (size_t) n >= size ? -ENAMETOOLONG : 0;
}

bool sysfs_dev_exists(const char *bdf)
{
	char path[512];
	struct stat st;

	return sysfs_path(path, sizeof(path), bdf, NULL) == 0 &&
	       stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int sysfs_open(const char *bdf, const char *attr, int flags)
{
	char path[512];
	int fd, err;

	err = sysfs_path(path, sizeof(path), bdf, attr);
	if (err)
		return err;
	fd = open(path, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Read a small text attribute ("0x8086\n") into @buf. */
static int sysfs_read_text(const char *bdf, const char *attr, char *buf,
			   size_t size)
{
	ssize_t n;
	int fd;

	fd = sysfs_open(bdf, attr, O_RDONLY);
	if (fd < 0)
		return fd;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static int sysfs_read_number(const char *bdf, const char *attr,
			     unsigned long *value)
{
	char text[64], *end;
	int err;

	err = sysfs_read_text(bdf, attr, text, sizeof(text));
	if (err)
		return err;
	errno = 0;
	*value = strtoul(text, &end, 0);
	return errno || end == text ? -EINVAL : 0;
}

/* The attribute, or @fallback (a value from config space) if absent. */
static unsigned long sysfs_number_or(const char *bdf, const char *attr,
				     unsigned long fallback)
{
	unsigned long value;

	return sysfs_read_number(bdf, attr, &value) ? fallback : value;
}

/* "resource": one "start end flags" line per BAR, ROM, bridge window. */
static int sysfs_load_regions(const char *bdf, struct pcidev *dev)
{
	uint64_t start, end, flags;
	char path[512];
	FILE *file;
	int i, err;

	err = sysfs_path(path, sizeof(path), bdf, "resource");
	if (err)
		return err;
	file = fopen(path, "re");
	if (!file)
		return -errno;
	for (i = 0; i <= PCI_ROM_SLOT; i++) {
		if (fscanf(file, "%" SCNx64 " %" SCNx64 " %" SCNx64, &start,
			   &end, &flags) != 3)
			break;
		dev->region[i].start = start;
		dev->region[i].flags = flags;
		/* Unimplemented: "0 0 0".  A line with end < start (or
		 * spanning all of 2^64) is not a region either. */
		dev->region[i].size =
			(start || end) && end >= start ? end - start + 1 : 0;
	}
	fclose(file);
	return 0;
}

static void sysfs_load_driver(const char *bdf, struct pcidev *dev)
{
	char path[512], target[512];
	const char *name;
	ssize_t n;

	dev->driver[0] = '\0';
	if (sysfs_path(path, sizeof(path), bdf, "driver"))
		return;
	n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	name = strrchr(target, '/');
	snprintf(dev->driver, sizeof(dev->driver), "%.63s",
		 name ? name + 1 : target);
}

static uint16_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

/*
 * The identity attributes, as lspci reads them: the kernel may have fixed up
 * vendor, device and class, so those come from the attributes; anything a
 * fixture lacks falls back to the config header (PCI 3.0 section 6.2.1).
 */
static void sysfs_load_ident(const char *bdf, struct pcidev *dev,
			     const uint8_t *cfg)
{
	uint32_t cfg_class = cfg[0x09] | cfg[0x0a] << 8 | cfg[0x0b] << 16;

	dev->vendor = sysfs_number_or(bdf, "vendor", le16(cfg + 0x00));
	dev->device = sysfs_number_or(bdf, "device", le16(cfg + 0x02));
	dev->class = sysfs_number_or(bdf, "class", cfg_class);
	dev->revision = sysfs_number_or(bdf, "revision", cfg[0x08]);
	dev->subvendor =
		sysfs_number_or(bdf, "subsystem_vendor", le16(cfg + 0x2c));
	dev->subdevice =
		sysfs_number_or(bdf, "subsystem_device", le16(cfg + 0x2e));
	dev->irq = sysfs_number_or(bdf, "irq", cfg[0x3c]);
}

int sysfs_dev_load(const char *bdf, struct pcidev *dev)
{
	uint8_t header[64] = {0};
	int fd;

	memset(dev, 0, sizeof(*dev));
	if (!sysfs_dev_exists(bdf))
		return -ENOENT;
	snprintf(dev->bdf, sizeof(dev->bdf), "%s", bdf);

	fd = sysfs_open(bdf, "config", O_RDONLY);
	if (fd >= 0) {
		if (pread(fd, header, sizeof(header), 0) < 0)
			memset(header, 0, sizeof(header));
		close(fd);
	}
	sysfs_load_ident(bdf, dev, header);
	sysfs_load_driver(bdf, dev);
	/* A device without a resource file simply has no BARs. */
	sysfs_load_regions(bdf, dev);
	return 0;
}

int sysfs_config_size(const char *bdf, size_t *size)
{
	char path[512];
	struct stat st;
	int err;

	err = sysfs_path(path, sizeof(path), bdf, "config");
	if (err)
		return err;
	if (stat(path, &st) < 0)
		return -errno;
	*size = st.st_size;
	return 0;
}

int sysfs_config_snapshot(const char *bdf, uint8_t *cfg, size_t *len)
{
	ssize_t n;
	int fd;

	fd = sysfs_open(bdf, "config", O_RDONLY);
	if (fd < 0)
		return fd;
	n = pread(fd, cfg, PCI_CFG_MAX, 0);
	close(fd);
	if (n < 0)
		return -errno;
	memset(cfg + n, 0, PCI_CFG_MAX - n);
	*len = n;
	return 0;
}
