/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfio.h - the state of the vfio backend and the parts of it that live in
 * files of their own (vfio-dma.c, vfio-irq.c); only for pci/.
 */
#ifndef PCIFS_PCI_VFIO_H
#define PCIFS_PCI_VFIO_H

#include <linux/vfio.h>

#include "pci/access.h"

#define VFIO_MAX_RANGES 16

/* fn->priv of a function opened with pci_vfio_methods. */
struct vfio_state {
	int container; /* /dev/vfio/vfio */
	int group;     /* /dev/vfio/N */
	int device;    /* VFIO_GROUP_GET_DEVICE_FD; also fn->config_fd */
	int group_id;  /* N */
	bool write;    /* config space writable */
	uint64_t cfg_offset, cfg_size; /* VFIO_PCI_CONFIG_REGION_INDEX */
	/* Usable IOVA ranges (VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) and
	 * the next IOVA that no mapping took yet. */
	struct vfio_iova_range range[VFIO_MAX_RANGES];
	unsigned nranges;
	uint64_t iova_next;
	char how[48]; /* "vfio (iommu group N)": pci_dma.how */
};

/* vfio-dma.c */
int vfio_iova_load(struct pci_fn *fn, struct vfio_state *vs);
int vfio_dma_map(struct pci_fn *fn, struct pci_dma *dma, char *why,
		 size_t whylen);
void vfio_dma_unmap(struct pci_fn *fn, struct pci_dma *dma);

/* vfio-irq.c */
int vfio_irq_open(struct pci_fn *fn, struct pci_irq *irq, char *why,
		  size_t whylen);
int vfio_irq_ack(const struct pci_fn *fn, struct pci_irq *irq);
void vfio_irq_close(struct pci_fn *fn, struct pci_irq *irq);

/* vfio-group.c: the group's other members, for a "not viable" line. */
void vfio_group_why(struct pci_fn *fn, int group_id);

#endif /* PCIFS_PCI_VFIO_H */
