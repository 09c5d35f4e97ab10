// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 82574.c - the 82574L (QEMU's e1000e, 8086:10d3): what it does otherwise
 * than the 8254x, as a struct e1000_mac_ops for hw.c's open.
 *
 * The 82574L keeps the 8254x's legacy descriptors, ring registers,
 * RCTL/TCTL and statistics, so rings, waits, stats and teardown are hw.c's
 * and ring.c's.  What differs, from the "82574 GbE Controller Family
 * Datasheet" (chapters 4.6, 7.4 and 10) and Linux's e1000e (82571.c,
 * netdev.c):
 *   - reset: GIO master disable first, CTRL.RST through MMIO (there is no
 *     I/O-window erratum), then the EEPROM auto-read (EEC.AUTO_RD);
 *   - the driver-loaded handshake: CTRL_EXT.DRV_LOAD set while driven,
 *     cleared at close;
 *   - GCR bit 22 and GCR2 bit 0, as Linux sets them;
 *   - legacy receive descriptors only while RFCTL.EXTEN is clear (QEMU's
 *     model switches to extended ones otherwise), packet split off;
 *   - EERD: DONE in bit 1, the address from bit 2;
 *   - interrupts: with MSI-X, the queue causes RXQ0/TXQ0/OTHER routed to a
 *     vector by IVAR, and ICR cleared by writing 1s, not by reading it.
 * TARC0 bit 10, which reset sets and without which the 82574 does not
 * transmit, is never written.
 */
#include <errno.h>

#include "e1000/priv.h"

#define RESET_WAIT_US  10000 /* Linux e1000_reset_hw_82571: 10 ms */
#define MASTER_WAIT_US 80000 /* Linux MASTER_DISABLE_TIMEOUT, 800 x 100 us */
#define RESET_DONE_US  10000 /* CTRL.RST self-clears */
#define AUTO_RD_US     10000 /* Linux AUTO_READ_DONE_TIMEOUT, 10 ms */

/* 82574 10.2.4.1: with MSI-X on, a read of ICR does not clear it; causes
 * are cleared by writing 1s.  Without MSI-X the read clears them and the
 * write finds nothing left: one rule for every interrupt mode. */
static void irq_clear_82574(struct e1000_nic *nic)
{
	uint32_t icr;

	e1000_irqs_mask(nic->pci.bar0);
	icr = e1000_rd(nic, E1000_ICR);
	if (icr)
		e1000_wr(nic, E1000_ICR, icr);
}

/*
 * 82574 4.6.2 (global reset): stop the NIC's master requests and wait for
 * the pending ones (GIO master disable, STATUS.GIO_MASTER_ENABLE clears),
 * reset, wait for the reset and the EEPROM auto-read that follows it.  As
 * Linux does, a master that does not go quiet does not stop the reset.
 */
static int reset_82574(struct e1000_nic *nic)
{
	e1000_irqs_mask(nic->pci.bar0);
	e1000_wr(nic, E1000_CTRL,
		 e1000_rd(nic, E1000_CTRL) | E1000_CTRL_GIO_MASTER_DISABLE);
	(void) e1000_poll_reg(nic, E1000_STATUS, E1000_STATUS_GIO_MASTER_ENABLE,
			      0, MASTER_WAIT_US);
	e1000_wr(nic, E1000_CTRL, e1000_rd(nic, E1000_CTRL) | E1000_CTRL_RST);
	e1000_sleep_us(RESET_WAIT_US);
	if (e1000_poll_reg(nic, E1000_CTRL, E1000_CTRL_RST, 0, RESET_DONE_US) ||
	    e1000_poll_reg(nic, E1000_EECD, E1000_EECD_AUTO_RD,
			   E1000_EECD_AUTO_RD, AUTO_RD_US))
		return -ETIMEDOUT;
	/* 82574 4.6.1: interrupts masked and causes cleared after reset. */
	irq_clear_82574(nic);
	return 0;
}

/* 82574 4.6.2 general configuration, after hw.c's common part. */
static void init_82574(struct e1000_nic *nic)
{
	uint32_t ctrl_ext = e1000_rd(nic, E1000_CTRL_EXT);

	/* Master requests back on (a reset that clears CTRL does this). */
	e1000_wr(nic, E1000_CTRL,
		 e1000_rd(nic, E1000_CTRL) & ~E1000_CTRL_GIO_MASTER_DISABLE);
	/* 82574 10.2.2.5: a driver has the NIC (Linux
	 * e1000e_get_hw_control); no interrupt auto-masking of any kind,
	 * which irq.c's arm-then-mask scheme would fight. */
	ctrl_ext |= E1000_CTRL_EXT_DRV_LOAD;
	ctrl_ext &= ~(E1000_CTRL_EXT_IAME | E1000_CTRL_EXT_EIAME |
		      E1000_CTRL_EXT_PBA_CLR);
	e1000_wr(nic, E1000_CTRL_EXT, ctrl_ext);
	e1000_wr(nic, E1000_EIAC, 0);
	e1000_wr(nic, E1000_IAM, 0);
	/* Linux e1000_initialize_hw_bits_82571, for the 82574. */
	e1000_wr(nic, E1000_GCR,
		 e1000_rd(nic, E1000_GCR) | E1000_GCR_82574_BIT22);
	e1000_wr(nic, E1000_GCR2,
		 e1000_rd(nic, E1000_GCR2) | E1000_GCR2_82574_BIT0);
	/* 82574 7.1.4: legacy receive descriptors (RFCTL.EXTEN clear, RCTL
	 * DTYP 0 in ring.c), no packet split. */
	e1000_wr(nic, E1000_RFCTL,
		 e1000_rd(nic, E1000_RFCTL) & ~E1000_RFCTL_EXTEN);
	e1000_wr(nic, E1000_PSRCTL, 0);
	/* No interrupt throttling (ITR, EITR 0: 82574 10.2.4.2). */
	e1000_wr(nic, E1000_ITR, 0);
	for (uint32_t r = E1000_EITR0; r <= E1000_EITR4; r += 4)
		e1000_wr(nic, r, 0);
}

/* 82574 10.2.2.5: the driver lets go (Linux e1000e_release_hw_control). */
static void release_82574(struct e1000_nic *nic)
{
	e1000_wr(nic, E1000_CTRL_EXT,
		 e1000_rd(nic, E1000_CTRL_EXT) & ~E1000_CTRL_EXT_DRV_LOAD);
}

/* 82574 7.4.2 (MSI-X): every cause to vector 0, the one pci/ opened.
 * Without MSI-X, IVAR is not used. */
static void irq_route_82574(struct e1000_nic *nic)
{
	const uint32_t vec0 = E1000_IVAR_VALID; /* vector 0, valid */

	if (nic->irq.src.kind != PCI_IRQ_MSIX)
		return;
	e1000_wr(nic, E1000_IVAR,
		 vec0 << E1000_IVAR_RXQ0_SHIFT | vec0 << E1000_IVAR_TXQ0_SHIFT |
			 vec0 << E1000_IVAR_OTHER_SHIFT);
}

/* The causes of a stored frame and of a written-back descriptor: RXT0 and
 * TXDW without MSI-X, RXQ0 and TXQ0 with it (82574 10.2.4.1).  Arming both
 * sets serves either mode. */
const struct e1000_mac_ops e1000_82574_mac = {
	.part = "82574",
	.reset = reset_82574,
	.init = init_82574,
	.release = release_82574,
	.eerd_done = E1000_EERD_DONE_82574,
	.eerd_addr_shift = E1000_EERD_ADDR_SHIFT_82574,
	.rx_causes = E1000_ICR_RXT0 | E1000_ICR_RXO | E1000_ICR_RXDMT0 |
		     E1000_ICR_RXQ0,
	.tx_causes = E1000_ICR_TXDW | E1000_ICR_TXQ0,
	.irq_route = irq_route_82574,
	.irq_clear = irq_clear_82574,
};

int e1000e_open(const struct nic_open_args *args, struct nic_dev **devp,
		char *why, size_t whylen)
{
	return e1000_open_family(&e1000e_ops, &e1000_82574_mac, args, devp, why,
				 whylen);
}
