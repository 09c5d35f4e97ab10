// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uio.c - the sysfs backend's interrupts: uio_pci_generic.
 *
 * uio_pci_generic takes the function's legacy INTx interrupt, masks it with
 * COMMAND.Interrupt Disable (PCI 3.0, 6.2.2) and counts it on /dev/uioN; a
 * read(2) of 4 bytes returns the count.  Letting the next one in, by
 * clearing that bit again, is up to userspace
 * (Documentation/driver-api/uio-howto.rst, "Generic PCI UIO driver").
 */
#include "pci/access.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pci/sysfs.h"

int sysfs_irq_open(struct pci_fn *fn, struct pci_irq *irq, char *why,
		   size_t whylen)
{
	char dev[48];
	int err;

	if (pci_owner(fn) != PCI_OWNER_UIO ||
	    pci_uio_name(fn, irq->source, sizeof(irq->source))) {
		snprintf(why, whylen, "bind uio_pci_generic for interrupts");
		return -ENODEV;
	}
	if (!(irq->want & PCI_IRQ_INTX)) {
		snprintf(
			why, whylen,
			"uio_pci_generic gives INTx only: bind vfio-pci for MSI or MSI-X");
		return -ENOTSUP;
	}
	irq->kind = PCI_IRQ_INTX;
	snprintf(dev, sizeof(dev), "/dev/%s", irq->source);
	irq->fd = open(dev, O_RDWR | O_CLOEXEC);
	if (irq->fd < 0) {
		err = -errno;
		snprintf(why, whylen, "cannot take %s's interrupts: %s",
			 irq->source, strerror(-err));
		return err;
	}
	/* Nothing is armed yet; INTx on from here. */
	err = pci_intx_unmask(fn);
	if (err) {
		snprintf(why, whylen, "cannot take %s's interrupts: %s",
			 irq->source, strerror(-err));
		sysfs_irq_close(fn, irq);
	}
	return err;
}

int sysfs_irq_ack(const struct pci_fn *fn, struct pci_irq *irq)
{
	uint32_t count;

	if (read(irq->fd, &count, sizeof(count)) != sizeof(count))
		return -EIO;
	return pci_intx_unmask(fn);
}

void sysfs_irq_close(struct pci_fn *fn, struct pci_irq *irq)
{
	(void) fn;
	if (irq->fd >= 0)
		close(irq->fd);
	irq->fd = -1;
}
