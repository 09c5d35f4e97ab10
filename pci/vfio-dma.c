// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-dma.c - the vfio backend's DMA mapping: pages mapped into the
 * device's IOMMU domain with VFIO_IOMMU_MAP_DMA, at IOVAs pcifs chooses.
 *
 * The device then reaches only those pages: an address outside them is
 * blocked by the IOMMU (a DMAR fault in the kernel log), never turned
 * into some other page of RAM.  IOVAs are taken from the ranges that
 * VFIO_IOMMU_GET_INFO reports in its capability chain
 * (VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, <linux/vfio.h>): an emulated
 * Intel IOMMU has 39 or 48 address bits and reserves the MSI window at
 * 0xfee00000, so virtual addresses do not serve as IOVAs.
 *
 * The type1 IOMMU pins the pages and counts them against RLIMIT_MEMLOCK
 * (drivers/vfio/vfio_iommu_type1.c, vfio_lock_acct).
 */
#include "pci/vfio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#define IOVA_FLOOR (1ull << 20) /* IOVA 0 reads as "no buffer" to a NIC */
#define IOVA_ALIGN (2ull << 20) /* lets the IOMMU use 2 MiB pages */

/* VFIO_IOMMU_GET_INFO, grown to the size the kernel asks for. */
static struct vfio_iommu_type1_info *iommu_info(int container)
{
	struct vfio_iommu_type1_info *info = calloc(1, sizeof(*info)), *more;
	size_t argsz = sizeof(*info);

	while (info) {
		info->argsz = (uint32_t) argsz;
		if (ioctl(container, VFIO_IOMMU_GET_INFO, info) < 0) {
			free(info);
			return NULL;
		}
		if (info->argsz <= argsz)
			return info;
		argsz = info->argsz;
		more = realloc(info, argsz);
		if (!more)
			free(info);
		info = more;
		if (info)
			memset(info, 0, argsz);
	}
	return NULL;
}

static void take_ranges(struct vfio_state *vs,
			const struct vfio_iommu_type1_info_cap_iova_range *cap)
{
	for (uint32_t i = 0; i < cap->nr_iovas && vs->nranges < VFIO_MAX_RANGES;
	     i++)
		vs->range[vs->nranges++] = cap->iova_ranges[i];
}

/* Walk the capability chain (offsets from the start of @info; 0 ends). */
static void parse_caps(struct vfio_state *vs,
		       const struct vfio_iommu_type1_info *info)
{
	const uint8_t *base = (const uint8_t *) info;
	uint32_t off =
		(info->flags & VFIO_IOMMU_INFO_CAPS) ? info->cap_offset : 0;

	while (off &&
	       off + sizeof(struct vfio_info_cap_header) <= info->argsz) {
		const struct vfio_info_cap_header *h =
			(const struct vfio_info_cap_header *) (base + off);

		if (h->id == VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE)
			take_ranges(vs, (const void *) h);
		if (h->next <= off)
			break; /* the chain only moves forward */
		off = h->next;
	}
}

int vfio_iova_load(struct pci_fn *fn, struct vfio_state *vs)
{
	struct vfio_iommu_type1_info *info = iommu_info(vs->container);

	if (!info) {
		snprintf(fn->why, sizeof(fn->why),
			 "VFIO_IOMMU_GET_INFO failed: %s", strerror(errno));
		return -EIO;
	}
	parse_caps(vs, info);
	free(info);
	/* An old kernel without the capability: the 32-bit space below the
	 * MSI window is always there on x86. */
	if (!vs->nranges) {
		vs->range[0].start = 0;
		vs->range[0].end = 0xfedfffff;
		vs->nranges = 1;
	}
	vs->iova_next = IOVA_FLOOR;
	return 0;
}

static uint64_t align_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) / to * to;
}

/* The lowest free IOVA of @len bytes inside a usable range.  Mappings
 * only move iova_next up; a remount starts again with a new container. */
static int iova_take(struct vfio_state *vs, uint64_t len, uint64_t *iova)
{
	for (unsigned i = 0; i < vs->nranges; i++) {
		const struct vfio_iova_range *r = &vs->range[i];
		uint64_t at = align_up(vs->iova_next > r->start ? vs->iova_next
								: r->start,
				       IOVA_ALIGN);

		if (at >= r->start && at <= r->end && len - 1 <= r->end - at) {
			*iova = at;
			vs->iova_next = at + len;
			return 0;
		}
	}
	return -ENOSPC;
}

int vfio_dma_map(struct pci_fn *fn, struct pci_dma *dma, char *why,
		 size_t whylen)
{
	struct vfio_state *vs = fn->priv;
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t) dma->virt,
		.size = dma->len,
	};
	size_t npages = dma->len / dma->page_size;
	uint64_t iova;

	if (iova_take(vs, dma->len, &iova)) {
		snprintf(why, whylen, "no IOVA range holds %zu bytes",
			 dma->len);
		return -ENOSPC;
	}
	map.iova = iova;
	if (ioctl(vs->container, VFIO_IOMMU_MAP_DMA, &map) < 0) {
		int err = -errno;

		snprintf(why, whylen, "VFIO_IOMMU_MAP_DMA of %zu bytes: %s%s",
			 dma->len, strerror(errno),
			 err == -ENOMEM ? " (raise RLIMIT_MEMLOCK)" : "");
		return err;
	}
	for (size_t i = 0; i < npages; i++)
		dma->addr[i] = iova + i * dma->page_size;
	snprintf(vs->how, sizeof(vs->how), "vfio (iommu group %d)",
		 vs->group_id);
	dma->how = vs->how;
	return 0;
}

/* After this the device's reads and writes of these pages fault. */
void vfio_dma_unmap(struct pci_fn *fn, struct pci_dma *dma)
{
	struct vfio_state *vs = fn->priv;
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = dma->addr[0],
		.size = dma->len,
	};

	if (vs)
		(void) ioctl(vs->container, VFIO_IOMMU_UNMAP_DMA, &unmap);
}
