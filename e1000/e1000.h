/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * e1000.h - pcifs's userspace driver for the Intel 8254x gigabit family,
 * the first family behind the driver interface of e1000/nicdev.h.
 *
 * The driver maps BAR0 of a PCI function through sysfs, owns the legacy
 * descriptor rings in DMA memory it allocates itself, and needs no kernel
 * e1000 driver.  It knows nothing of FUSE, and fs/ knows nothing of it: fs/
 * reaches it through e1000_ops (ops.c), which nic_models[] (nicdev.c) names
 * for each 8254x id.  The contract of each operation is in nicdev.h; what
 * is said here is particular to this family.
 *
 * References are to Intel's "PCI/PCI-X Family of Gigabit Ethernet Controllers
 * Software Developer's Manual" (8254x SDM), rev. 4.0.
 */
#ifndef PCIFS_E1000_H
#define PCIFS_E1000_H

#include "e1000/nicdev.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

/* The 8254x and 82574L operations, filled in ops.c. */
extern const struct nic_dev_ops e1000_ops;
extern const struct nic_dev_ops e1000e_ops;

/* BAR0 register names (SDM table 13-2; 82574 datasheet table 10-1),
 * NULL-name-terminated (regs.c). */
extern const struct nic_reg e1000_regs[];
extern const struct nic_reg e1000e_regs[];

/* SDM 14.3-14.5: reset, DMA memory, both rings, RX and TX enabled. */
int e1000_open(const struct nic_open_args *args, struct nic_dev **devp,
	       char *why, size_t whylen);
/* The same for the 82574L (82574 datasheet 4.6), 82574.c. */
int e1000e_open(const struct nic_open_args *args, struct nic_dev **devp,
		char *why, size_t whylen);

/* Drain TX, stop RX and TX, wait for DMA to finish, clear bus mastering,
 * restore COMMAND, free DMA memory, rebind the kernel driver. */
void e1000_close(struct nic_dev *dev);

/* RCTL, TCTL, IMC and COMMAND writes only. */
void e1000_quiesce(struct nic_dev *dev);

int e1000_send(struct nic_dev *dev, const void *frame, size_t len);
int e1000_send_burst(struct nic_dev *dev, const struct iovec *frames,
		     unsigned n);
ssize_t e1000_recv(struct nic_dev *dev, void *buf, size_t size,
		   size_t *frame_len);

/*
 * Looks at descriptor memory (not registers) with an adaptive back-off: hot
 * right after traffic, sleeping when idle (wait.c).  With uio_pci_generic
 * bound, the sleeps are on the NIC's interrupt instead (irq.c).
 */
int e1000_wait(struct nic_dev *dev, int events, long timeout_us);
int e1000_ready(struct nic_dev *dev, int events);

int e1000_get_mac(struct nic_dev *dev, uint8_t mac[NIC_ETH_ALEN]);
int e1000_set_mac(struct nic_dev *dev, const uint8_t mac[NIC_ETH_ALEN]);
int e1000_get_link(struct nic_dev *dev, struct nic_link *link);
int e1000_get_promisc(struct nic_dev *dev, bool *on);
int e1000_set_promisc(struct nic_dev *dev, bool on);

/* rx_missed is MPC; hw_* are GPRC, GORC, GPTC, GOTC (SDM 13.7). */
int e1000_get_stats(struct nic_dev *dev, struct nic_stats *st);
void e1000_count_truncated(struct nic_dev *dev);

#endif /* PCIFS_E1000_H */
