/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * e1000.h - pcifs's userspace driver for the Intel 8254x gigabit family.
 *
 * The driver maps BAR0 of a PCI function through sysfs, owns the legacy
 * descriptor rings in DMA memory it allocates itself, and needs no kernel
 * e1000 driver.  It knows nothing of FUSE: fs/nic.c is its only caller.
 *
 * Every function returns 0 (or a non-negative count) on success and -errno on
 * failure; none aborts.  Every function is safe to call from several threads:
 * transmit and receive each have their own lock.
 *
 * References are to Intel's "PCI/PCI-X Family of Gigabit Ethernet Controllers
 * Software Developer's Manual" (8254x SDM), rev. 4.0.
 */
#ifndef PCIFS_E1000_H
#define PCIFS_E1000_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#define E1000_MIN_FRAME 14   /* an Ethernet header; the NIC pads to 60 */
#define E1000_MAX_FRAME 1514 /* without FCS, which the NIC appends */
#define E1000_ETH_ALEN	6

struct e1000_nic;

/* A device model this driver supports, by PCI vendor:device id. */
struct e1000_model {
	uint16_t vendor;
	uint16_t device;
	const char *name; /* "82540EM" */
};

/* Returns the model for @vendor:@device, or NULL if not supported. */
const struct e1000_model *e1000_model_find(uint16_t vendor, uint16_t device);

/* The NULL-name-terminated table of supported models (for --help, man). */
extern const struct e1000_model e1000_models[];

struct e1000_open_args {
	/* sysfs device dir, e.g. /sys/bus/pci/devices/0000:00:03.0 */
	const char *devdir;
	bool unbind;	  /* detach a bound kernel driver; rebind it at close */
	unsigned rx_ring; /* descriptors, multiple of 8; 0 = default */
	unsigned tx_ring; /* descriptors, multiple of 8; 0 = default */
	/* Longest sleep of e1000_wait on an idle NIC, which bounds receive
	 * latency and sets the idle cost of a waiter; 0 = 2000. */
	unsigned poll_max_us;
};

/*
 * Take the NIC: lock it against other pcifs instances, reset it, set up DMA
 * memory and both rings, and enable RX and TX (SDM 14.3-14.5).
 * On failure writes one line to @why (what failed and what to do) and
 * returns -errno: -EBUSY when a kernel driver is bound and !unbind, or when
 * another process holds the NIC; -ENOMEM when no DMA memory can be had.
 */
int e1000_open(const struct e1000_open_args *args, struct e1000_nic **nicp,
	       char *why, size_t whylen);

/*
 * Quiesce and release: stop RX and TX, wait for DMA to finish, clear bus
 * mastering, restore COMMAND, free DMA memory, rebind the kernel driver if
 * e1000_open unbound it.  Safe on a NULL @nic.
 */
void e1000_close(struct e1000_nic *nic);

/*
 * Quiesce only: async-signal-safe register writes (RCTL, TCTL, COMMAND).
 * For fatal signal handlers; e1000_close must still follow if the process
 * lives on.
 */
void e1000_quiesce(struct e1000_nic *nic);

/* "uio0" when waits sleep on the NIC's interrupt (uio_pci_generic bound),
 * NULL when they poll the rings. */
const char *e1000_irq_source(const struct e1000_nic *nic);
/* Why they poll though uio_pci_generic is bound, or NULL. */
const char *e1000_irq_error(const struct e1000_nic *nic);

/* Queue one frame of E1000_MIN_FRAME..E1000_MAX_FRAME bytes.
 * -EINVAL bad length, -EAGAIN ring full. */
int e1000_send(struct e1000_nic *nic, const void *frame, size_t len);

/* Queue up to @n frames with one tail write: the fast path for batches.
 * Returns how many were queued (the ring may take fewer), -EAGAIN if none
 * fit, or -EINVAL, queuing nothing, if any frame has a bad length. */
int e1000_send_burst(struct e1000_nic *nic, const struct iovec *frames,
		     unsigned n);

/* Dequeue one received frame into @buf.  Returns the number of bytes copied
 * (min(size, frame length)); *frame_len gets the whole frame's length, so
 * the caller can see truncation.  -EAGAIN when no frame is ready. */
ssize_t e1000_recv(struct e1000_nic *nic, void *buf, size_t size,
		   size_t *frame_len);

#define E1000_READY_RX 0x1 /* a received frame is waiting */
#define E1000_READY_TX 0x2 /* a transmit descriptor is free */

/*
 * Wait until one of @events is ready or @timeout_us passes, looking at
 * descriptor memory (not registers) with an adaptive back-off: hot right
 * after traffic, sleeping when idle.  With uio_pci_generic bound, the sleeps
 * are on the NIC's interrupt instead (irq.c).
 * Returns the ready subset of @events, 0 on timeout, -EINTR when a signal
 * interrupted the wait.  A negative @timeout_us waits without limit.
 */
int e1000_wait(struct e1000_nic *nic, int events, long timeout_us);

/* Non-blocking readiness check, for poll(). */
int e1000_ready(struct e1000_nic *nic, int events);

int e1000_get_mac(struct e1000_nic *nic, uint8_t mac[E1000_ETH_ALEN]);
int e1000_set_mac(struct e1000_nic *nic, const uint8_t mac[E1000_ETH_ALEN]);

struct e1000_link {
	bool up;
	unsigned speed_mbps; /* 10, 100, 1000 */
	bool full_duplex;
};
int e1000_get_link(struct e1000_nic *nic, struct e1000_link *link);

int e1000_get_promisc(struct e1000_nic *nic, bool *on);
int e1000_set_promisc(struct e1000_nic *nic, bool on);

/* Counters: NIC clear-on-read statistics accumulated, plus the driver's. */
struct e1000_stats {
	uint64_t tx_packets, tx_bytes, tx_errors, tx_drops;
	uint64_t rx_packets, rx_bytes, rx_errors, rx_drops;
	uint64_t rx_truncated; /* frames a reader's buffer was too small for */
	uint64_t rx_missed;    /* MPC: no free receive descriptor */
	/* The NIC's own good-frame counters (GPRC, GORC, GPTC, GOTC): octets
	 * include the FCS (SDM 13.7). */
	uint64_t hw_rx_packets, hw_rx_bytes, hw_tx_packets, hw_tx_bytes;
};
int e1000_get_stats(struct e1000_nic *nic, struct e1000_stats *st);
/* The caller (fs) saw a truncated read; count it. */
void e1000_count_truncated(struct e1000_nic *nic);

/* BAR0 register names (8254x SDM table 13-2), for regs/bar0/<NAME>. */
enum e1000_reg_access {
	E1000_RW = 0,  /* read/write */
	E1000_RO = 1,  /* read only */
	E1000_WO = 2,  /* write only: reads return garbage */
	E1000_RC = 3,  /* read, clear on read */
	E1000_RWC = 4, /* read/write, clear on read */
};
struct e1000_reg {
	const char *name;
	uint32_t offset;
	enum e1000_reg_access access;
	const char *what;
};
/* NULL-name-terminated. */
extern const struct e1000_reg e1000_regs[];
const struct e1000_reg *e1000_reg_find(const char *name);

#endif /* PCIFS_E1000_H */
