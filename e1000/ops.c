// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ops.c - the two families e1000/ drives behind the driver interface:
 * struct nic_dev_ops for the 8254x (e1000_ops) and the 82574L (e1000e_ops).
 *
 * Every operation is the driver's own function (hw.c, ring.c, wait.c),
 * which gets its struct e1000_nic back from the struct nic_dev with
 * e1000_of().  The families differ in open (which picks their struct
 * e1000_mac_ops, priv.h) and their register names; the rest is shared.
 */
#include <stdio.h>

#include "e1000/priv.h"

/* "interrupts from uio0", or "polling (why)" (irq.c). */
static void e1000_wait_mode(struct nic_dev *dev, char *buf, size_t size)
{
	const struct e1000_nic *nic = e1000_of(dev);
	const char *irq = e1000_irq_source(nic), *err = e1000_irq_error(nic);

	if (irq)
		snprintf(buf, size, "interrupts from %s", irq);
	else
		snprintf(buf, size, "polling (%s)",
			 err ? err : "bind uio_pci_generic for interrupts");
}

static const char *e1000_dma_mode(struct nic_dev *dev)
{
	const struct e1000_nic *nic = e1000_of(dev);

	return nic->dma.how ? nic->dma.how : "none";
}

static struct pci_fn *e1000_pci_fn(struct nic_dev *dev)
{
	return &e1000_of(dev)->pci.fn;
}

/* What both families share: everything but open and the register names. */
#define E1000_COMMON_OPS                                                       \
	.close = e1000_close, .quiesce = e1000_quiesce, .send = e1000_send,    \
	.send_burst = e1000_send_burst, .recv = e1000_recv,                    \
	.wait = e1000_wait, .ready = e1000_ready,                              \
	.wait_mode = e1000_wait_mode, .dma_mode = e1000_dma_mode,              \
	.pci_fn = e1000_pci_fn, .get_mac = e1000_get_mac,                      \
	.set_mac = e1000_set_mac, .get_link = e1000_get_link,                  \
	.get_promisc = e1000_get_promisc, .set_promisc = e1000_set_promisc,    \
	.get_stats = e1000_get_stats, .count_truncated = e1000_count_truncated

/* The 8254x (8254x SDM). */
const struct nic_dev_ops e1000_ops = {
	.family = "e1000",
	.open = e1000_open,
	.regs = e1000_regs,
	E1000_COMMON_OPS,
};

/* The 82574L (82574 datasheet), hw.c's open with 82574.c's differences. */
const struct nic_dev_ops e1000e_ops = {
	.family = "e1000e",
	.open = e1000e_open,
	.regs = e1000e_regs,
	E1000_COMMON_OPS,
};
