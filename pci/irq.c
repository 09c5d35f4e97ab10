// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * irq.c - interrupts of a function, through its backend: a descriptor to
 * poll, and an acknowledgement that lets the next interrupt in.
 */
#include "pci/access.h"

int pci_irq_open(struct pci_fn *fn, struct pci_irq *irq, unsigned want,
		 char *why, size_t whylen)
{
	irq->fd = -1;
	irq->source[0] = '\0';
	irq->want = want ? want : PCI_IRQ_ANY;
	return fn->methods->irq_open(fn, irq, why, whylen);
}

int pci_irq_ack(const struct pci_fn *fn, struct pci_irq *irq)
{
	return fn->methods->irq_ack(fn, irq);
}

void pci_irq_close(struct pci_fn *fn, struct pci_irq *irq)
{
	if (irq->fd >= 0)
		fn->methods->irq_close(fn, irq);
	irq->fd = -1;
}
