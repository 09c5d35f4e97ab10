// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pci.c - opening a PCI function, and the attribute files that describe it
 * without touching the hardware: ROOT/devices/BDF/{vendor,device,class,
 * revision,subsystem_*,irq,resource,driver} (sysfs-bus-pci).  A fixture
 * tree has the same files as regular files.
 */
#include "pci/access.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool pci_fn_exists(const char *root, const char *bdf)
{
	char path[PATH_MAX];
	struct stat st;
	int n = snprintf(path, sizeof(path), "%s/devices/%s", root, bdf);

	return n > 0 && (size_t) n < sizeof(path) && stat(path, &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

static int pci_fn_paths(struct pci_fn *fn, const char *root, const char *bdf)
{
	int n;

	if (strlen(bdf) >= sizeof(fn->bdf) || strlen(root) >= sizeof(fn->root))
		return -ENAMETOOLONG;
	memcpy(fn->bdf, bdf, strlen(bdf) + 1);
	memcpy(fn->root, root, strlen(root) + 1);
	n = snprintf(fn->devdir, sizeof(fn->devdir), "%s/devices/%s", root,
		     bdf);
	if (n < 0 || (size_t) n >= sizeof(fn->devdir))
		return -ENAMETOOLONG;
	/* The bus's drivers_probe, for pci_driver_restore's fallback. */
	snprintf(fn->probe_path, sizeof(fn->probe_path), "%s/drivers_probe",
		 root);
	return 0;
}

/* Field by field, not memset: the path buffers take 16 KiB, and the
 * safety check describes a function at every access of a BAR file. */
int pci_fn_init(struct pci_fn *fn, const char *root, const char *bdf)
{
	fn->methods = NULL;
	fn->config_fd = -1;
	fn->lock_fd = -1;
	fn->rebind_path[0] = '\0';
	fn->vfio_claimed = false;
	fn->priv = NULL;
	fn->why[0] = '\0';
	return pci_fn_paths(fn, root, bdf);
}

int pci_fn_open_with(struct pci_fn *fn, const char *root, const char *bdf,
		     bool write, const struct pci_methods *methods)
{
	int err = pci_fn_init(fn, root, bdf);

	if (err)
		return err;
	if (!pci_fn_exists(root, bdf))
		return -ENODEV;
	fn->methods = methods;
	return fn->methods->open(fn, write);
}

int pci_fn_open(struct pci_fn *fn, const char *root, const char *bdf,
		bool write)
{
	return pci_fn_open_with(fn, root, bdf, write, &pci_sysfs_methods);
}

int pci_fn_reopen(struct pci_fn *fn, const struct pci_methods *methods,
		  bool write)
{
	if (fn->methods)
		fn->methods->close(fn);
	fn->config_fd = -1;
	fn->priv = NULL;
	fn->why[0] = '\0';
	fn->methods = methods;
	return methods->open(fn, write);
}

/* Safe on a zeroed struct: nothing was opened then. */
void pci_fn_close(struct pci_fn *fn)
{
	if (!fn->methods)
		return;
	fn->methods->close(fn);
	if (fn->lock_fd >= 0)
		close(fn->lock_fd);
	fn->lock_fd = -1;
	fn->rebind_path[0] = '\0'; /* nothing is left to give back */
	fn->methods = NULL;
}

int pci_attr_path(const struct pci_fn *fn, const char *attr, char *buf,
		  size_t size)
{
	int n = snprintf(buf, size, "%s/%s", fn->devdir, attr);

	return n < 0 || (size_t) n >= size ? -ENAMETOOLONG : 0;
}

/* O_NONBLOCK: a FIFO planted in a fixture must not hang a worker.  It
 * changes nothing for regular files and sysfs attributes, so it stays. */
int pci_attr_open(const struct pci_fn *fn, const char *attr, int flags)
{
	char path[PATH_MAX];
	int fd, err;

	err = pci_attr_path(fn, attr, path, sizeof(path));
	if (err)
		return err;
	fd = open(path, flags | O_CLOEXEC | O_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

int pci_attr_read(const struct pci_fn *fn, const char *attr, char *buf,
		  size_t size)
{
	ssize_t n;
	int fd;

	fd = pci_attr_open(fn, attr, O_RDONLY);
	if (fd < 0)
		return fd;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

int pci_attr_number(const struct pci_fn *fn, const char *attr,
		    unsigned long *value)
{
	char text[64], *end;
	int err;

	err = pci_attr_read(fn, attr, text, sizeof(text));
	if (err)
		return err;
	errno = 0;
	*value = strtoul(text, &end, 0);
	return errno || end == text ? -EINVAL : 0;
}

/* The attribute, or @fallback (a value from config space) if absent. */
static unsigned long attr_or(const struct pci_fn *fn, const char *attr,
			     unsigned long fallback)
{
	unsigned long value;

	return pci_attr_number(fn, attr, &value) ? fallback : value;
}

int pci_regions_load(const struct pci_fn *fn,
		     struct pci_region region[PCI_NUM_REGIONS])
{
	uint64_t start, end, flags;
	char path[PATH_MAX];
	FILE *file;
	int i, err;

	memset(region, 0, sizeof(*region) * PCI_NUM_REGIONS);
	err = pci_attr_path(fn, "resource", path, sizeof(path));
	if (err)
		return err;
	file = fopen(path, "re");
	if (!file)
		return -errno;
	for (i = 0; i < PCI_NUM_REGIONS; i++) {
		if (fscanf(file, "%" SCNx64 " %" SCNx64 " %" SCNx64, &start,
			   &end, &flags) != 3)
			break;
		region[i].start = start;
		region[i].flags = flags;
		/* Unimplemented: "0 0 0".  A line with end < start (or
		 * spanning all of 2^64) is not a region either. */
		region[i].size =
			(start || end) && end >= start ? end - start + 1 : 0;
	}
	fclose(file);
	return 0;
}

int pci_attr_link_name(const struct pci_fn *fn, const char *attr, char *buf,
		       size_t size)
{
	char path[PATH_MAX], target[PATH_MAX];
	const char *name;
	ssize_t n;
	int err;

	buf[0] = '\0';
	err = pci_attr_path(fn, attr, path, sizeof(path));
	if (err)
		return err;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	name = strrchr(target, '/');
	snprintf(buf, size, "%s", name ? name + 1 : target);
	return buf[0] ? 0 : -ENOENT;
}

void pci_driver_name(const struct pci_fn *fn, char *buf, size_t size)
{
	(void) pci_attr_link_name(fn, "driver", buf, size);
}

static uint16_t le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

/*
 * The identity attributes, as lspci reads them: the kernel may have fixed
 * up vendor, device and class, so those come from the attributes; anything
 * a fixture lacks falls back to the config header (PCI 3.0, 6.2.1).
 */
static void load_ident(const struct pci_fn *fn, struct pcidev *dev,
		       const uint8_t *cfg)
{
	uint32_t cfg_class = cfg[PCI_CLASS_PROG] | cfg[PCI_CLASS_DEVICE] << 8 |
			     cfg[PCI_CLASS_DEVICE + 1] << 16;

	dev->vendor = attr_or(fn, "vendor", le16(cfg + PCI_VENDOR_ID));
	dev->device = attr_or(fn, "device", le16(cfg + PCI_DEVICE_ID));
	dev->class = attr_or(fn, "class", cfg_class);
	dev->revision = attr_or(fn, "revision", cfg[PCI_REVISION_ID]);
	dev->subvendor = attr_or(fn, "subsystem_vendor",
				 le16(cfg + PCI_SUBSYSTEM_VENDOR_ID));
	dev->subdevice =
		attr_or(fn, "subsystem_device", le16(cfg + PCI_SUBSYSTEM_ID));
	dev->irq = attr_or(fn, "irq", cfg[PCI_INTERRUPT_LINE]);
}

int pci_fn_load(const struct pci_fn *fn, struct pcidev *dev)
{
	uint8_t header[64] = {0};

	memset(dev, 0, sizeof(*dev));
	if (!pci_fn_exists(fn->root, fn->bdf))
		return -ENOENT;
	snprintf(dev->bdf, sizeof(dev->bdf), "%s", fn->bdf);
	if (pci_config_read(fn, header, sizeof(header), 0) < 0)
		memset(header, 0, sizeof(header));
	load_ident(fn, dev, header);
	pci_driver_name(fn, dev->driver, sizeof(dev->driver));
	/* A function without a resource file simply has no BARs. */
	pci_regions_load(fn, dev->region);
	return 0;
}
