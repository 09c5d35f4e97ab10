/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysfs.h - the parts of the sysfs backend that live in files of their own
 * (uio.c, pagemap.c); only for pci/.
 */
#ifndef PCIFS_PCI_SYSFS_H
#define PCIFS_PCI_SYSFS_H

#include "pci/access.h"

int sysfs_irq_open(struct pci_fn *fn, struct pci_irq *irq, char *why,
		   size_t whylen);
int sysfs_irq_ack(const struct pci_fn *fn, struct pci_irq *irq);
void sysfs_irq_close(struct pci_fn *fn, struct pci_irq *irq);

int sysfs_dma_map(struct pci_fn *fn, struct pci_dma *dma, char *why,
		  size_t whylen);
void sysfs_dma_unmap(struct pci_fn *fn, struct pci_dma *dma);

#endif /* PCIFS_PCI_SYSFS_H */
