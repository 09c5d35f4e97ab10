// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfio-irq.c - the vfio backend's interrupts: an eventfd that vfio-pci
 * signals (VFIO_DEVICE_SET_IRQS with DATA_EVENTFD | ACTION_TRIGGER,
 * <linux/vfio.h>).
 *
 * MSI-X is preferred, then MSI, then INTx: the first index that
 * VFIO_DEVICE_GET_IRQ_INFO says has a vector and takes an eventfd.  INTx
 * is level-triggered and shared, so vfio-pci masks it when it fires
 * (VFIO_IRQ_INFO_AUTOMASKED) until userspace unmasks it
 * (ACTION_UNMASK); MSI and MSI-X are edges and need no unmask.
 */
#include "pci/vfio.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

static const struct {
	unsigned index;
	enum pci_irq_kind kind;
	const char *name;
} irq_kinds[] = {
	{VFIO_PCI_MSIX_IRQ_INDEX, PCI_IRQ_MSIX, "msix"},
	{VFIO_PCI_MSI_IRQ_INDEX, PCI_IRQ_MSI, "msi"},
	{VFIO_PCI_INTX_IRQ_INDEX, PCI_IRQ_INTX, "intx"},
};

/* One SET_IRQS on vector 0 of @index, with an eventfd if @fd >= 0.
 * Async-signal-safe. */
static int set_irqs(const struct vfio_state *vs, unsigned index, uint32_t flags,
		    uint32_t count, int fd)
{
	/* struct vfio_irq_set ends in data[]: room for one eventfd. */
	uint8_t buf[sizeof(struct vfio_irq_set) + sizeof(int)]
		__attribute__((aligned(8))) = {0};
	struct vfio_irq_set *set = (struct vfio_irq_set *) buf;

	set->argsz = sizeof(*set) + (fd >= 0 ? sizeof(fd) : 0);
	set->flags = flags;
	set->index = index;
	set->start = 0;
	set->count = count;
	if (fd >= 0)
		memcpy(set->data, &fd, sizeof(fd));
	return ioctl(vs->device, VFIO_DEVICE_SET_IRQS, set) < 0 ? -errno : 0;
}

/* The first kind in irq_kinds among @want that the device has; -ENODEV
 * if none. */
static int pick_kind(const struct vfio_state *vs, unsigned want, unsigned *kind)
{
	for (unsigned i = 0; i < sizeof(irq_kinds) / sizeof(irq_kinds[0]);
	     i++) {
		struct vfio_irq_info info = {.argsz = sizeof(info),
					     .index = irq_kinds[i].index};

		if (!(want & irq_kinds[i].kind))
			continue;
		if (ioctl(vs->device, VFIO_DEVICE_GET_IRQ_INFO, &info) == 0 &&
		    info.count > 0 && (info.flags & VFIO_IRQ_INFO_EVENTFD)) {
			*kind = i;
			return 0;
		}
	}
	return -ENODEV;
}

/* "msi": the first kind named in @want, for a log line. */
static const char *want_name(unsigned want)
{
	for (unsigned i = 0; i < sizeof(irq_kinds) / sizeof(irq_kinds[0]); i++)
		if (want & irq_kinds[i].kind)
			return irq_kinds[i].name;
	return "";
}

static int irq_fail(struct pci_fn *fn, struct pci_irq *irq, int err, char *why,
		    size_t whylen)
{
	snprintf(why, whylen, "cannot take %s's interrupts: %s", irq->source,
		 strerror(-err));
	vfio_irq_close(fn, irq);
	return err;
}

int vfio_irq_open(struct pci_fn *fn, struct pci_irq *irq, char *why,
		  size_t whylen)
{
	const struct vfio_state *vs = fn->priv;
	unsigned kind;
	int err;

	if (pick_kind(vs, irq->want, &kind)) {
		snprintf(why, whylen, "vfio-pci offers no %s%sinterrupt of %s",
			 irq->want == PCI_IRQ_ANY ? "" : want_name(irq->want),
			 irq->want == PCI_IRQ_ANY ? "" : " ", fn->bdf);
		return -ENOTSUP;
	}
	irq->index = (int) irq_kinds[kind].index;
	irq->kind = irq_kinds[kind].kind;
	snprintf(irq->source, sizeof(irq->source), "vfio (%s)",
		 irq_kinds[kind].name);
	irq->fd = eventfd(0, EFD_CLOEXEC);
	if (irq->fd < 0)
		return irq_fail(fn, irq, -errno, why, whylen);
	err = set_irqs(vs, (unsigned) irq->index,
		       VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
		       1, irq->fd);
	/* vfio-pci emulates COMMAND.Interrupt Disable and will not unmask
	 * INTx while it is set (vfio_pci_config.c): clear it. */
	if (!err && irq->index == VFIO_PCI_INTX_IRQ_INDEX)
		err = pci_intx_unmask(fn);
	return err ? irq_fail(fn, irq, err, why, whylen) : 0;
}

/* Async-signal-safe: a read of the eventfd's count, and for INTx one
 * ioctl that lets the next interrupt in. */
int vfio_irq_ack(const struct pci_fn *fn, struct pci_irq *irq)
{
	uint64_t count;

	if (read(irq->fd, &count, sizeof(count)) != sizeof(count))
		return -EIO;
	if (irq->index != VFIO_PCI_INTX_IRQ_INDEX)
		return 0;
	return set_irqs(fn->priv, VFIO_PCI_INTX_IRQ_INDEX,
			VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK, 1,
			-1);
}

/* Count 0 with DATA_NONE | ACTION_TRIGGER disables the index. */
void vfio_irq_close(struct pci_fn *fn, struct pci_irq *irq)
{
	const struct vfio_state *vs = fn->priv;

	if (vs && irq->fd >= 0)
		(void) set_irqs(vs, (unsigned) irq->index,
				VFIO_IRQ_SET_DATA_NONE |
					VFIO_IRQ_SET_ACTION_TRIGGER,
				0, -1);
	if (irq->fd >= 0)
		close(irq->fd);
	irq->fd = -1;
}
