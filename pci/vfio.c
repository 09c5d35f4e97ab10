// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio.c - the "vfio" backend: a function bound to vfio-pci, reached
 * through its IOMMU group (Documentation/driver-api/vfio.rst, "VFIO Usage
 * Example"; the ioctls of <linux/vfio.h>).
 *
 * open: a container (/dev/vfio/vfio) with the type1 v2 IOMMU, the group
 * of the function (DEVDIR/iommu_group -> /dev/vfio/N), which must be
 * viable (every member bound to vfio-pci or to nothing), and the device fd.
 * Config space and BARs are regions of the device fd, at the offsets
 * VFIO_DEVICE_GET_REGION_INFO gives; DMA is mapped through the IOMMU
 * (vfio-dma.c) and interrupts come on eventfds (vfio-irq.c).
 *
 * The device fd holds the group and the container (and with them the
 * IOMMU mappings) for as long as it is open.  vfio-pci disables the
 * device (bus mastering off, interrupts off, a reset where it has one)
 * when its last fd closes.
 */
#include "pci/vfio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

static struct vfio_state *state(const struct pci_fn *fn)
{
	return fn->priv;
}

/* vfio.rst "VFIO Usage Example": the API version, then type1 v2. */
static int open_container(struct pci_fn *fn, struct vfio_state *vs)
{
	vs->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (vs->container < 0) {
		snprintf(fn->why, sizeof(fn->why),
			 "cannot open /dev/vfio/vfio: %s (modprobe vfio-pci)",
			 strerror(errno));
		return -ENODEV;
	}
	if (ioctl(vs->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		snprintf(fn->why, sizeof(fn->why), "unknown VFIO API version");
		return -ENOTSUP;
	}
	if (ioctl(vs->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) <=
	    0) {
		snprintf(fn->why, sizeof(fn->why),
			 "VFIO has no type1 IOMMU: modprobe vfio_iommu_type1");
		return -ENOTSUP;
	}
	return 0;
}

/* DEVDIR/iommu_group links to /sys/kernel/iommu_groups/N. */
static int group_id(struct pci_fn *fn, int *id)
{
	char link[PATH_MAX], target[PATH_MAX], *end;
	ssize_t n;

	if (pci_attr_path(fn, "iommu_group", link, sizeof(link)))
		return -ENAMETOOLONG;
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0) {
		snprintf(
			fn->why, sizeof(fn->why),
			"%s has no IOMMU group: boot with intel_iommu=on (or amd_iommu=on) on a machine with an IOMMU",
			fn->bdf);
		return -ENODEV;
	}
	target[n] = '\0';
	*id = (int) strtol(basename(target), &end, 10);
	return *end ? -EINVAL : 0;
}

static int open_group(struct pci_fn *fn, struct vfio_state *vs)
{
	struct vfio_group_status status = {.argsz = sizeof(status)};
	char path[32];
	int err = group_id(fn, &vs->group_id);

	if (err)
		return err;
	snprintf(path, sizeof(path), "/dev/vfio/%d", vs->group_id);
	vs->group = open(path, O_RDWR | O_CLOEXEC);
	if (vs->group < 0) {
		err = -errno;
		snprintf(fn->why, sizeof(fn->why), "cannot open %s: %s%s", path,
			 strerror(errno),
			 err == -EBUSY ? " (another process holds the group)"
			 : err == -EACCES
				 ? " (it must be yours: chown it, or be root)"
				 : "");
		return err;
	}
	if (ioctl(vs->group, VFIO_GROUP_GET_STATUS, &status) < 0)
		return -errno;
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		vfio_group_why(fn, vs->group_id);
		return -EBUSY;
	}
	return 0;
}

static int attach(struct pci_fn *fn, struct vfio_state *vs)
{
	if (ioctl(vs->group, VFIO_GROUP_SET_CONTAINER, &vs->container) < 0 ||
	    ioctl(vs->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0) {
		snprintf(fn->why, sizeof(fn->why),
			 "cannot give iommu group %d a type1 IOMMU: %s",
			 vs->group_id, strerror(errno));
		return -errno;
	}
	return 0;
}

static int region_info(const struct vfio_state *vs, unsigned index,
		       struct vfio_region_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	info->index = index;
	return ioctl(vs->device, VFIO_DEVICE_GET_REGION_INFO, info) < 0 ? -errno
									: 0;
}

static int open_device(struct pci_fn *fn, struct vfio_state *vs)
{
	struct vfio_region_info cfg;
	int err;

	vs->device = ioctl(vs->group, VFIO_GROUP_GET_DEVICE_FD, fn->bdf);
	if (vs->device < 0) {
		err = -errno;
		snprintf(fn->why, sizeof(fn->why),
			 "cannot take %s from iommu group %d: %s", fn->bdf,
			 vs->group_id, strerror(errno));
		return err;
	}
	fn->config_fd = vs->device;
	err = region_info(vs, VFIO_PCI_CONFIG_REGION_INDEX, &cfg);
	if (err)
		return err;
	vs->cfg_offset = cfg.offset;
	vs->cfg_size = cfg.size < PCI_CFG_MAX ? cfg.size : PCI_CFG_MAX;
	return 0;
}

static int vfio_open(struct pci_fn *fn, bool write)
{
	struct vfio_state *vs = calloc(1, sizeof(*vs));
	int err;

	if (!vs)
		return -ENOMEM;
	vs->container = vs->group = vs->device = -1;
	vs->write = write;
	fn->priv = vs;
	err = open_container(fn, vs);
	if (!err)
		err = open_group(fn, vs);
	if (!err)
		err = attach(fn, vs);
	if (!err)
		err = open_device(fn, vs);
	if (!err)
		err = vfio_iova_load(fn, vs);
	return err;
}

/* The device first: it holds the group, which holds the container. */
static void vfio_close(struct pci_fn *fn)
{
	struct vfio_state *vs = state(fn);

	if (!vs)
		return;
	if (vs->device >= 0)
		close(vs->device);
	if (vs->group >= 0)
		close(vs->group);
	if (vs->container >= 0)
		close(vs->container);
	free(vs);
	fn->priv = NULL;
	fn->config_fd = -1;
}

/* Async-signal-safe: one pread on the device fd. */
static ssize_t vfio_config_read(const struct pci_fn *fn, void *buf, size_t len,
				off_t off)
{
	const struct vfio_state *vs = state(fn);
	ssize_t n;

	if (!vs || off < 0 || (uint64_t) off >= vs->cfg_size)
		return vs ? 0 : -ENODEV;
	if (len > vs->cfg_size - (uint64_t) off)
		len = vs->cfg_size - (uint64_t) off;
	n = pread(vs->device, buf, len, (off_t) vs->cfg_offset + off);
	return n < 0 ? -errno : n;
}

/* Async-signal-safe: one pwrite.  vfio-pci passes COMMAND's bus master
 * and decode bits through and emulates Interrupt Disable
 * (drivers/vfio/pci/vfio_pci_config.c). */
static ssize_t vfio_config_write(const struct pci_fn *fn, const void *buf,
				 size_t len, off_t off)
{
	const struct vfio_state *vs = state(fn);
	ssize_t n;

	if (!vs || !vs->write)
		return -EBADF;
	n = pwrite(vs->device, buf, len, (off_t) vs->cfg_offset + off);
	return n < 0 ? -errno : n;
}

static int vfio_config_size(const struct pci_fn *fn, size_t *size)
{
	const struct vfio_state *vs = state(fn);

	if (!vs)
		return -ENODEV;
	*size = (size_t) vs->cfg_size;
	return 0;
}

static int bar_map(const struct vfio_state *vs, struct pci_bar *bar, bool write)
{
	int prot = PROT_READ | (write ? PROT_WRITE : 0);
	void *mem = mmap(NULL, bar->size, prot, MAP_SHARED, vs->device,
			 (off_t) bar->offset);

	if (mem == MAP_FAILED)
		return -errno;
	bar->mem = mem;
	return 0;
}

/*
 * Region @index is BAR @index (VFIO_PCI_BAR0_REGION_INDEX is 0).  A memory
 * BAR is mmap()ed when the region allows it; one that does not is read
 * and written like an I/O BAR, through bar_io.
 */
static int vfio_bar_open(struct pci_fn *fn, int index, uint64_t size, bool io,
			 bool write, struct pci_bar *bar)
{
	const struct vfio_state *vs = state(fn);
	struct vfio_region_info info;
	int err = region_info(vs, VFIO_PCI_BAR0_REGION_INDEX + (unsigned) index,
			      &info);

	if (err)
		return err;
	if (!info.size || !(info.flags & VFIO_REGION_INFO_FLAG_READ))
		return -ENODEV;
	bar->index = index;
	bar->size = size < info.size ? size : info.size;
	bar->offset = info.offset;
	bar->mem = NULL;
	bar->io = io || !(info.flags & VFIO_REGION_INFO_FLAG_MMAP);
	bar->fd = fcntl(vs->device, F_DUPFD_CLOEXEC, 0);
	if (bar->fd < 0)
		return -errno;
	err = bar->io ? 0 : bar_map(vs, bar, write);
	if (err) {
		close(bar->fd);
		bar->fd = -1;
	}
	return err;
}

/* vfio-pci turns an access of 1, 2 or 4 bytes into one of that width. */
static ssize_t vfio_bar_io(const struct pci_bar *bar, void *buf, size_t len,
			   off_t off, bool write)
{
	off_t at = (off_t) bar->offset + off;
	ssize_t n = write ? pwrite(bar->fd, buf, len, at)
			  : pread(bar->fd, buf, len, at);

	return n < 0 ? -errno : n;
}

const struct pci_methods pci_vfio_methods = {
	.name = "vfio",
	.open = vfio_open,
	.close = vfio_close,
	.config_read = vfio_config_read,
	.config_write = vfio_config_write,
	.config_size = vfio_config_size,
	.bar_open = vfio_bar_open,
	.bar_close = pci_bar_release,
	.bar_io = vfio_bar_io,
	.dma_map = vfio_dma_map,
	.dma_unmap = vfio_dma_unmap,
	.irq_open = vfio_irq_open,
	.irq_ack = vfio_irq_ack,
	.irq_close = vfio_irq_close,
};
