// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pagemap.c - the sysfs backend's DMA mapping: none.  Without an IOMMU
 * between them, a device reaches RAM by physical address, so the bus
 * address of a page is its physical address, read from /proc/self/pagemap
 * (Documentation/admin-guide/mm/pagemap.rst: bits 0-54 the PFN, bit 63
 * "present"; the PFN reads as 0 without CAP_SYS_ADMIN).
 *
 * The device can then reach every page of RAM: one wrong descriptor
 * address and it reads or writes memory nobody gave it.  The vfio backend
 * confines it to the pages mapped here.
 */
#include "pci/access.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "pci/sysfs.h"

#define PAGEMAP_PRESENT	 (1ull << 63)
#define PAGEMAP_PFN_MASK ((1ull << 55) - 1)

int sysfs_dma_map(struct pci_fn *fn, struct pci_dma *dma, char *why,
		  size_t whylen)
{
	size_t npages = dma->len / dma->page_size;
	off_t first = (off_t) ((uintptr_t) dma->virt / dma->page_size * 8);
	ssize_t want = (ssize_t) (npages * 8);
	int fd;

	(void) fn;
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || pread(fd, dma->addr, (size_t) want, first) != want) {
		if (fd >= 0)
			close(fd);
		snprintf(why, whylen, "cannot read /proc/self/pagemap");
		return -ENOMEM;
	}
	close(fd);
	for (size_t i = 0; i < npages; i++) {
		uint64_t e = dma->addr[i];

		if (!(e & PAGEMAP_PRESENT) || !(e & PAGEMAP_PFN_MASK)) {
			snprintf(
				why, whylen,
				"no physical addresses in /proc/self/pagemap (needs CAP_SYS_ADMIN; or bind vfio-pci)");
			return -EPERM;
		}
		dma->addr[i] = (e & PAGEMAP_PFN_MASK) * dma->page_size;
	}
	dma->how = dma->huge ? "hugetlbfs pages, physical addresses (pagemap)"
			     : "mlocked pages, physical addresses (pagemap)";
	return 0;
}

void sysfs_dma_unmap(struct pci_fn *fn, struct pci_dma *dma)
{
	(void) fn;
	(void) dma; /* nothing was mapped: the device sees all of RAM */
}
