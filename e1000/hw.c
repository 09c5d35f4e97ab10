// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hw.c - open, initialization and teardown of an 8254x, following the SDM's
 * chapter 14 (14.3 general configuration, 14.4 receive initialization, 14.5
 * transmit initialization), plus MAC address, link, promiscuous mode and
 * statistics.
 *
 * QEMU's model ignores CTRL.RST (hw/net/e1000.c set_ctrl), so nothing here
 * relies on reset defaults: every register the driver depends on is written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "e1000/priv.h"

#define RESET_WAIT_US	5000  /* Linux e1000_reset_hw: msleep(5) after RST */
#define RESET_DONE_US	10000 /* bound for CTRL.RST to self-clear */
#define EERD_DONE_US	10000 /* bound for one EEPROM word read */
#define QUIESCE_WAIT_US 10000 /* in-flight DMA after RCTL/TCTL.EN = 0 */

int64_t e1000_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void e1000_sleep_us(long us)
{
	struct timespec ts = {us / 1000000, (us % 1000000) * 1000};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Poll @reg until (@reg & @mask) == @want; -ETIMEDOUT after @timeout_us. */
int e1000_poll_reg(struct e1000_nic *nic, uint32_t reg, uint32_t mask,
		   uint32_t want, long timeout_us)
{
	int64_t deadline = e1000_now_ns() + (int64_t) timeout_us * 1000;

	for (;;) {
		if ((e1000_rd(nic, reg) & mask) == want)
			return 0;
		if (e1000_now_ns() > deadline)
			return -ETIMEDOUT;
		e1000_sleep_us(10);
	}
}

/*
 * A NIC left enabled by a killed pcifs (or anything else) may still DMA into
 * memory nobody owns: stop it before anything else (SDM 13.4.22, 13.4.33).
 */
static void quiesce_stale(struct e1000_nic *nic)
{
	e1000_irqs_mask(nic->pci.bar0);
	if (!((e1000_rd(nic, E1000_RCTL) & E1000_RCTL_EN) ||
	      (e1000_rd(nic, E1000_TCTL) & E1000_TCTL_EN)))
		return;
	e1000_quiesce_hw(nic->pci.bar0, NULL);
	e1000_sleep_us(QUIESCE_WAIT_US);
}

/*
 * SDM 14.3: a global reset first.  82540/82544/82545/82546 cannot ack the
 * reset write over MMIO on some buses, so Linux's e1000_reset_hw and DPDK
 * issue it through the I/O window (SDM 13.2.2); do the same when there is
 * one.  QEMU drops I/O-window writes and ignores CTRL.RST anyway.
 */
static int reset_8254x(struct e1000_nic *nic)
{
	uint32_t ctrl = e1000_rd(nic, E1000_CTRL) | E1000_CTRL_RST;

	e1000_irqs_mask(nic->pci.bar0);
	if (e1000_pci_io_write(&nic->pci, E1000_CTRL, ctrl) < 0)
		e1000_wr(nic, E1000_CTRL, ctrl);
	e1000_sleep_us(RESET_WAIT_US);
	if (e1000_poll_reg(nic, E1000_CTRL, E1000_CTRL_RST, 0, RESET_DONE_US))
		return -ETIMEDOUT;
	/* SDM 13.4.20: interrupts masked again after reset, ICR cleared. */
	e1000_irqs_off(nic);
	return 0;
}

/* SDM 13.4.17: ICR clears when read. */
static void irq_clear_8254x(struct e1000_nic *nic)
{
	e1000_irqs_mask(nic->pci.bar0);
	(void) e1000_rd(nic, E1000_ICR);
}

/* The 8254x's differences: I/O-window reset, EERD with DONE in bit 4
 * (SDM 13.4.4), receive timer and transmit-done causes (SDM 13.4.17). */
const struct e1000_mac_ops e1000_8254x_mac = {
	.part = "8254x",
	.reset = reset_8254x,
	.eerd_done = E1000_EERD_DONE,
	.eerd_addr_shift = E1000_EERD_ADDR_SHIFT,
	.rx_causes = E1000_ICR_RXT0 | E1000_ICR_RXO | E1000_ICR_RXDMT0,
	.tx_causes = E1000_ICR_TXDW,
	.irq_clear = irq_clear_8254x,
};

/* SDM 13.4.1 and 13.7: the statistics registers clear when read.  Read
 * only the named ones, as the reserved holes between them promise nothing. */
static void clear_hw_stats(struct e1000_nic *nic)
{
	for (const struct nic_reg *reg = nic->dev.ops->regs; reg->name; reg++)
		if (reg->access == NIC_REG_RC)
			(void) e1000_rd(nic, reg->offset);
}

/* SDM 14.3 general configuration. */
static void general_config(struct e1000_nic *nic)
{
	uint32_t ctrl = e1000_rd(nic, E1000_CTRL);

	/* Link: auto-speed detection, set link up; no resets, no inverted
	 * loss-of-signal, no forced speed/duplex, no VLAN mode, no flow
	 * control. */
	ctrl |= E1000_CTRL_ASDE | E1000_CTRL_SLU;
	ctrl &= ~(E1000_CTRL_LRST | E1000_CTRL_PHY_RST | E1000_CTRL_ILOS |
		  E1000_CTRL_FRCSPD | E1000_CTRL_FRCDPX | E1000_CTRL_VME |
		  E1000_CTRL_RFCE | E1000_CTRL_TFCE | E1000_CTRL_RST);
	e1000_wr(nic, E1000_CTRL, ctrl);
	/* Flow control registers are written 0 when flow control is unused. */
	e1000_wr(nic, E1000_FCAL, 0);
	e1000_wr(nic, E1000_FCAH, 0);
	e1000_wr(nic, E1000_FCT, 0);
	e1000_wr(nic, E1000_FCTTV, 0);
	if (nic->mac->init)
		nic->mac->init(nic);
	/* Statistics start from zero: they clear on read. */
	clear_hw_stats(nic);
}

/* One EEPROM word through EERD (SDM 5.3.1, 13.4.4), in the family's
 * layout. */
static int eeprom_read(struct e1000_nic *nic, unsigned word, uint16_t *val)
{
	uint32_t done = nic->mac->eerd_done;

	e1000_wr(nic, E1000_EERD,
		 (word << nic->mac->eerd_addr_shift) | E1000_EERD_START);
	if (e1000_poll_reg(nic, E1000_EERD, done, done, EERD_DONE_US))
		return -ETIMEDOUT;
	*val = (uint16_t) (e1000_rd(nic, E1000_EERD) >> E1000_EERD_DATA_SHIFT);
	return 0;
}

static void write_ra0(struct e1000_nic *nic, const uint8_t mac[6])
{
	e1000_wr(nic, E1000_RAL0,
		 mac[0] | mac[1] << 8 | mac[2] << 16 | (uint32_t) mac[3] << 24);
	e1000_wr(nic, E1000_RAH0, mac[4] | mac[5] << 8 | E1000_RAH_AV);
}

static void read_ra0(struct e1000_nic *nic, uint8_t mac[6])
{
	uint32_t lo = e1000_rd(nic, E1000_RAL0), hi = e1000_rd(nic, E1000_RAH0);
	int i;

	for (i = 0; i < 4; i++)
		mac[i] = (uint8_t) (lo >> (8 * i));
	mac[4] = (uint8_t) hi;
	mac[5] = (uint8_t) (hi >> 8);
}

/*
 * SDM 14.4: RAL0/RAH0 hold the station address.  Keep a valid one (the NIC
 * loads it from the EEPROM at reset; a previous pcifs may have changed it),
 * else read EEPROM words 0-2 (SDM table 5-2).
 */
static int program_mac(struct e1000_nic *nic)
{
	uint8_t mac[6];
	uint16_t w;
	unsigned i;

	if (!(e1000_rd(nic, E1000_RAH0) & E1000_RAH_AV)) {
		for (i = 0; i < 3; i++) {
			if (eeprom_read(nic, i, &w))
				return -ETIMEDOUT;
			mac[2 * i] = (uint8_t) w;
			mac[2 * i + 1] = (uint8_t) (w >> 8);
		}
	} else {
		read_ra0(nic, mac);
	}
	write_ra0(nic, mac);
	for (i = 1; i < E1000_RA_ENTRIES; i++) {
		e1000_wr(nic, E1000_RAH(i), 0);
		e1000_wr(nic, E1000_RAL(i), 0);
	}
	return 0;
}

/* SDM 14.4 receive initialization, before the ring itself (ring.c). */
static int rx_config(struct e1000_nic *nic)
{
	unsigned i;
	int err;

	err = program_mac(nic);
	if (err)
		return err;
	/* Multicast table array zeroed: no multicast hash hits. */
	for (i = 0; i < E1000_MTA_ENTRIES; i++)
		e1000_wr(nic, E1000_MTA + 4 * i, 0);
	/* No interrupt armed (IMS stays 0; irq.c arms them only for a
	 * sleeping waiter) and no delay timers: a frame is seen at once. */
	e1000_wr(nic, E1000_RDTR, 0);
	e1000_wr(nic, E1000_RADV, 0);
	e1000_wr(nic, E1000_RSRPD, 0);
	e1000_wr(nic, E1000_RXCSUM, 0);
	return 0;
}

/* SDM 14.5 transmit initialization, before the ring itself (ring.c). */
static void tx_config(struct e1000_nic *nic)
{
	/* IPG for IEEE 802.3 copper (SDM 13.4.34 table 13-77). */
	e1000_wr(nic, E1000_TIPG,
		 E1000_TIPG_IPGT_COPPER |
			 E1000_TIPG_IPGR1 << E1000_TIPG_IPGR1_SHIFT |
			 E1000_TIPG_IPGR2 << E1000_TIPG_IPGR2_SHIFT);
	e1000_wr(nic, E1000_TIDV, 0);
	e1000_wr(nic, E1000_TADV, 0);
}

static int hw_init(struct e1000_nic *nic, char *why, size_t whylen)
{
	int err;

	err = nic->mac->reset(nic);
	if (!err) {
		general_config(nic);
		err = rx_config(nic);
	}
	if (err) {
		snprintf(why, whylen, "NIC did not complete %s",
			 e1000_rd(nic, E1000_CTRL) & E1000_CTRL_RST
				 ? "its reset"
				 : "an EEPROM read");
		return err;
	}
	tx_config(nic);
	/* Bus mastering only now: before, the NIC had nothing to DMA. */
	err = e1000_pci_command(&nic->pci, PCI_COMMAND_MASTER, 0);
	if (err) {
		snprintf(why, whylen, "cannot enable bus mastering");
		return err;
	}
	e1000_tx_start(nic);
	e1000_rx_start(nic);
	return 0;
}

static int ring_size(unsigned req, unsigned *n, char *why, size_t whylen)
{
	*n = req ? req : E1000_RING_DEFAULT;
	/* RDLEN/TDLEN count 128-byte units (SDM 13.4.27, 13.4.38). */
	if (*n % 8 || *n < 8 || *n > E1000_RING_MAX) {
		snprintf(why, whylen,
			 "ring size %u: want a multiple of 8 in 8..%u", req,
			 E1000_RING_MAX);
		return -EINVAL;
	}
	return 0;
}

static struct e1000_nic *nic_alloc(const struct nic_dev_ops *ops,
				   const struct e1000_mac_ops *mac)
{
	struct e1000_nic *nic = calloc(1, sizeof(*nic));

	if (!nic)
		return NULL;
	nic->dev.ops = ops;
	nic->mac = mac;
	pthread_mutex_init(&nic->rx.lock, NULL);
	pthread_mutex_init(&nic->tx.lock, NULL);
	pthread_mutex_init(&nic->hw.lock, NULL);
	pthread_mutex_init(&nic->ctl_lock, NULL);
	nic->irq.src.fd = nic->irq.stop_fd = -1;
	nic->guardian_pid = -1;
	nic->guardian_fd = -1;
	return nic;
}

static void nic_free(struct e1000_nic *nic)
{
	pthread_mutex_destroy(&nic->rx.lock);
	pthread_mutex_destroy(&nic->tx.lock);
	pthread_mutex_destroy(&nic->hw.lock);
	pthread_mutex_destroy(&nic->ctl_lock);
	free(nic);
}

static int open_nic(struct e1000_nic *nic, const struct nic_open_args *args,
		    char *why, size_t whylen)
{
	int err;

	nic->poll_max_ns =
		1000 * (int64_t) (args->poll_max_us ? args->poll_max_us
						    : E1000_POLL_MAX_US);
	if (nic->poll_max_ns < E1000_POLL_MIN_NS)
		nic->poll_max_ns = E1000_POLL_MIN_NS;
	nic->irq.want = args->irq;
	err = ring_size(args->rx_ring, &nic->rx.n, why, whylen);
	if (!err)
		err = ring_size(args->tx_ring, &nic->tx.n, why, whylen);
	if (!err)
		err = e1000_pci_open(&nic->pci, args, nic->dev.ops, nic->mac,
				     &nic->dev.model, why, whylen);
	if (err)
		return err;
	/* Memory space on for BAR0, bus mastering off until the rings exist
	 * (PCI 3.0, 6.2.2); INTx off, unless irq.c takes it. */
	err = e1000_pci_command(&nic->pci,
				PCI_COMMAND_MEMORY | PCI_COMMAND_DISABLE_INTx,
				PCI_COMMAND_MASTER);
	if (err) {
		snprintf(why, whylen, "cannot write the COMMAND register");
		return err;
	}
	quiesce_stale(nic);
	err = pci_dma_alloc(&nic->pci.fn, &nic->dma,
			    e1000_rings_size(nic->rx.n, nic->tx.n), why,
			    whylen);
	if (!err)
		err = e1000_rings_setup(nic, why, whylen);
	if (!err && (err = e1000_guardian_start(nic)))
		snprintf(why, whylen, "cannot start the guardian: %s",
			 strerror(-err));
	if (err)
		return err;
	e1000_irq_start(nic); /* before bus mastering: see irq.c */
	return hw_init(nic, why, whylen);
}

static void close_nic(struct e1000_nic *nic)
{
	if (nic->pci.bar0) {
		/* Let queued frames go out, stop RX and TX (SDM 13.4.22,
		 * 13.4.33), let in-flight DMA finish, end bus mastering. */
		e1000_tx_drain(nic, QUIESCE_WAIT_US);
		e1000_quiesce_hw(nic->pci.bar0, NULL);
		e1000_sleep_us(QUIESCE_WAIT_US);
		e1000_quiesce_hw(nic->pci.bar0, &nic->pci.fn);
		if (nic->mac->release)
			nic->mac->release(nic);
	}
	/* Closing the interrupt may clear bus mastering: only now (irq.c). */
	e1000_irq_stop(nic);
	/* Only now may the guardian go, and with it the last reference to
	 * the DMA pages besides ours. */
	e1000_guardian_stop(nic);
	pci_dma_free(&nic->pci.fn, &nic->dma);
	e1000_pci_close(&nic->pci);
	nic_free(nic);
}

int e1000_open_family(const struct nic_dev_ops *ops,
		      const struct e1000_mac_ops *mac,
		      const struct nic_open_args *args, struct nic_dev **devp,
		      char *why, size_t whylen)
{
	struct e1000_nic *nic;
	int err;

	*devp = NULL;
	if (whylen)
		why[0] = '\0';
	nic = nic_alloc(ops, mac);
	if (!nic) {
		snprintf(why, whylen, "out of memory");
		return -ENOMEM;
	}
	err = open_nic(nic, args, why, whylen);
	if (err) {
		close_nic(nic);
		return err;
	}
	*devp = &nic->dev;
	return 0;
}

int e1000_open(const struct nic_open_args *args, struct nic_dev **devp,
	       char *why, size_t whylen)
{
	return e1000_open_family(&e1000_ops, &e1000_8254x_mac, args, devp, why,
				 whylen);
}

/* Async-signal-safe: register and config writes only. */
void e1000_quiesce(struct nic_dev *dev)
{
	struct e1000_nic *nic = dev ? e1000_of(dev) : NULL;

	if (nic && nic->pci.bar0)
		e1000_quiesce_hw(nic->pci.bar0, &nic->pci.fn);
}

void e1000_close(struct nic_dev *dev)
{
	if (dev)
		close_nic(e1000_of(dev));
}

int e1000_get_mac(struct nic_dev *dev, uint8_t mac[NIC_ETH_ALEN])
{
	struct e1000_nic *nic = e1000_of(dev);

	pthread_mutex_lock(&nic->ctl_lock);
	read_ra0(nic, mac);
	pthread_mutex_unlock(&nic->ctl_lock);
	return 0;
}

int e1000_set_mac(struct nic_dev *dev, const uint8_t mac[NIC_ETH_ALEN])
{
	struct e1000_nic *nic = e1000_of(dev);

	if (mac[0] & 1)
		return -EINVAL; /* a multicast address cannot be a station's */
	pthread_mutex_lock(&nic->ctl_lock);
	/* SDM 13.4.41: clear AV while the address is half written. */
	e1000_wr(nic, E1000_RAH0, 0);
	write_ra0(nic, mac);
	pthread_mutex_unlock(&nic->ctl_lock);
	return 0;
}

int e1000_get_link(struct nic_dev *dev, struct nic_link *link)
{
	static const unsigned speeds[] = {10, 100, 1000, 1000};
	uint32_t status = e1000_rd(e1000_of(dev), E1000_STATUS);

	/* SDM 13.4.2: LU, SPEED, FD. */
	link->up = status & E1000_STATUS_LU;
	link->speed_mbps = speeds[(status & E1000_STATUS_SPEED_MASK) >>
				  E1000_STATUS_SPEED_SHIFT];
	link->full_duplex = status & E1000_STATUS_FD;
	return 0;
}

int e1000_get_promisc(struct nic_dev *dev, bool *on)
{
	uint32_t rctl = e1000_rd(e1000_of(dev), E1000_RCTL);

	*on = (rctl & (E1000_RCTL_UPE | E1000_RCTL_MPE)) ==
	      (E1000_RCTL_UPE | E1000_RCTL_MPE);
	return 0;
}

/* SDM 13.4.22: UPE and MPE accept every unicast and multicast frame. */
int e1000_set_promisc(struct nic_dev *dev, bool on)
{
	struct e1000_nic *nic = e1000_of(dev);
	uint32_t rctl;

	pthread_mutex_lock(&nic->ctl_lock);
	rctl = e1000_rd(nic, E1000_RCTL);
	if (on)
		rctl |= E1000_RCTL_UPE | E1000_RCTL_MPE;
	else
		rctl &= ~(E1000_RCTL_UPE | E1000_RCTL_MPE);
	e1000_wr(nic, E1000_RCTL, rctl);
	pthread_mutex_unlock(&nic->ctl_lock);
	return 0;
}

/* 64-bit counters: the low half first, reading the high half clears both
 * (SDM 13.7.31). */
static uint64_t rd64(struct e1000_nic *nic, uint32_t lo)
{
	uint64_t v = e1000_rd(nic, lo);

	return v | (uint64_t) e1000_rd(nic, lo + 4) << 32;
}

static void accumulate_hw(struct e1000_nic *nic)
{
	struct e1000_hw_stats *hw = &nic->hw;

	hw->gprc += e1000_rd(nic, E1000_GPRC);
	hw->gptc += e1000_rd(nic, E1000_GPTC);
	hw->gorc += rd64(nic, E1000_GORCL);
	hw->gotc += rd64(nic, E1000_GOTCL);
	hw->mpc += e1000_rd(nic, E1000_MPC);
	hw->crcerrs += e1000_rd(nic, E1000_CRCERRS);
	hw->rxerrc += e1000_rd(nic, E1000_RXERRC);
	hw->algnerrc += e1000_rd(nic, E1000_ALGNERRC);
	hw->symerrs += e1000_rd(nic, E1000_SYMERRS);
	hw->rlec += e1000_rd(nic, E1000_RLEC);
	hw->ruc += e1000_rd(nic, E1000_RUC);
	hw->roc += e1000_rd(nic, E1000_ROC);
	hw->ecol += e1000_rd(nic, E1000_ECOL);
	hw->latecol += e1000_rd(nic, E1000_LATECOL);
}

static uint64_t ld(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

/*
 * Packets and bytes are the driver's own counts of frames through tx/rx
 * (what crossed the wire, without FCS); errors and misses come from the
 * NIC's counters; hw_* are the NIC's good-packet counters (with FCS).
 */
int e1000_get_stats(struct nic_dev *dev, struct nic_stats *st)
{
	struct e1000_nic *nic = e1000_of(dev);
	struct e1000_hw_stats *hw = &nic->hw;

	pthread_mutex_lock(&hw->lock);
	accumulate_hw(nic);
	st->tx_packets = ld(&nic->tx.packets);
	st->tx_bytes = ld(&nic->tx.bytes);
	st->tx_errors = ld(&nic->tx.errors) + hw->ecol + hw->latecol;
	st->tx_drops = ld(&nic->tx.drops);
	st->rx_packets = ld(&nic->rx.packets);
	st->rx_bytes = ld(&nic->rx.bytes);
	st->rx_errors = ld(&nic->rx.errors) + hw->crcerrs + hw->rxerrc +
			hw->algnerrc + hw->symerrs + hw->rlec + hw->ruc +
			hw->roc;
	st->rx_drops = ld(&nic->rx.drops);
	st->rx_truncated = ld(&nic->rx.truncated);
	st->rx_missed = hw->mpc;
	st->interrupts = e1000_irq_taken(nic);
	st->hw_rx_packets = hw->gprc;
	st->hw_rx_bytes = hw->gorc;
	st->hw_tx_packets = hw->gptc;
	st->hw_tx_bytes = hw->gotc;
	pthread_mutex_unlock(&hw->lock);
	return 0;
}

void e1000_count_truncated(struct nic_dev *dev)
{
	__atomic_add_fetch(&e1000_of(dev)->rx.truncated, 1, __ATOMIC_RELAXED);
}
