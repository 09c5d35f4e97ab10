/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * priv.h - internals shared by the files of e1000/; not for fs/.
 */
#ifndef PCIFS_E1000_PRIV_H
#define PCIFS_E1000_PRIV_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "e1000/e1000.h"
#include "e1000/regs.h"
#include "pci/access.h"

#define E1000_RING_DEFAULT 256	 /* 4 KiB of descriptors: one base page */
#define E1000_RING_MAX	   4096u /* needs physically contiguous memory */
#define E1000_BUF_SIZE	   2048	 /* RCTL.BSIZE 2048; one page holds two */
#define E1000_POLL_MAX_US  2000	 /* default longest idle poll interval */
#define E1000_POLL_MIN_NS  20000 /* shortest poll sleep (wait.c) */

/* The interface's events and frame limits, as this family names them. */
#define E1000_READY_RX	NIC_READY_RX
#define E1000_READY_TX	NIC_READY_TX
#define E1000_MIN_FRAME NIC_FRAME_MIN
#define E1000_MAX_FRAME NIC_FRAME_MAX

/* The NIC's PCI function, through the pci/ layer (pci.c). */
struct e1000_pci {
	struct pci_fn fn;
	struct pci_bar bar;	/* BAR0 */
	volatile uint8_t *bar0; /* bar.mem, for e1000_rd and e1000_wr */
	uint16_t command; /* COMMAND as found at open, restored at close */
	bool command_saved;
};

/*
 * Interrupts through uio_pci_generic (irq.c).  A thread waits on /dev/uioN
 * and counts interrupts in @gen; waiters sleep on that futex until it moves.
 */
struct e1000_irq {
	struct pci_irq src; /* src.fd -1: no interrupts, the driver polls */
	int stop_fd;	    /* eventfd that ends the thread */
	pthread_t thread;
	uint32_t gen;	/* wake-ups so far (wraps); a futex */
	uint64_t taken; /* interrupts taken; atomic */
	unsigned want;	/* kinds asked for (PCI_IRQ_*) */
	bool live;	/* the thread takes interrupts; atomic */
	char why[128]; /* why there are none, when the backend could have them */
};

struct e1000_rx_ring {
	pthread_mutex_t lock;
	volatile struct e1000_rx_desc *desc;
	uint8_t *buf; /* n buffers of E1000_BUF_SIZE */
	uint64_t desc_phys;
	unsigned n;
	unsigned next; /* next descriptor to look at; atomic */
	bool discard;  /* inside a frame that spans descriptors: drop it */
	unsigned unreturned; /* refilled, not yet handed back through RDT */
	uint64_t packets, bytes, errors, drops, truncated;
};

struct e1000_tx_ring {
	pthread_mutex_t lock;
	volatile struct e1000_tx_desc *desc;
	uint8_t *buf;
	uint64_t desc_phys;
	unsigned n;
	unsigned tail;	/* next descriptor to fill; atomic */
	unsigned clean; /* oldest descriptor not yet reclaimed; atomic */
	uint64_t packets, bytes, errors, drops;
};

/* NIC statistics accumulated from the clear-on-read registers. */
struct e1000_hw_stats {
	pthread_mutex_t lock;
	uint64_t gprc, gptc, gorc, gotc, mpc, crcerrs, rxerrc, algnerrc;
	uint64_t symerrs, rlec, ruc, roc, ecol, latecol;
};

struct e1000_nic;

/*
 * What differs between the parts e1000/ drives, as Linux's struct
 * e1000_mac_operations holds it: one table per family, the 8254x in hw.c
 * and the 82574L in 82574.c.  The rings, waits, statistics and teardown
 * are the same for both (legacy descriptors; 82574 datasheet 7.1.4 and
 * 7.2.10.1 keep the 8254x formats).
 */
struct e1000_mac_ops {
	const char *part; /* "8254x": the identify message's */
	/* Global reset and its wait; causes masked and cleared after. */
	int (*reset)(struct e1000_nic *nic);
	/* The family's own general configuration, after hw.c's. */
	void (*init)(struct e1000_nic *nic);
	/* Give the NIC back at close, once quiesced (DRV_LOAD). */
	void (*release)(struct e1000_nic *nic);
	/* EERD: where DONE is, where the word address starts. */
	uint32_t eerd_done;
	unsigned eerd_addr_shift;
	/* The causes that signal NIC_READY_RX and NIC_READY_TX. */
	uint32_t rx_causes, tx_causes;
	/* Route causes to the interrupt once it is open (MSI-X: IVAR);
	 * NULL when nothing needs routing. */
	void (*irq_route)(struct e1000_nic *nic);
	/* Mask every cause and clear the latched ones. */
	void (*irq_clear)(struct e1000_nic *nic);
};

struct e1000_nic {
	struct nic_dev dev; /* ops and model: what fs/ holds (nicdev.h) */
	const struct e1000_mac_ops *mac;
	struct e1000_pci pci;
	struct pci_dma dma; /* rings and buffers (pci/dma.c) */
	struct e1000_rx_ring rx;
	struct e1000_tx_ring tx;
	struct e1000_hw_stats hw;
	pthread_mutex_t ctl_lock; /* mac, promisc */
	pid_t guardian_pid;
	int guardian_fd;      /* write end of the guardian's pipe */
	int64_t last_traffic; /* CLOCK_MONOTONIC ns of the last frame; atomic */
	int64_t poll_max_ns;  /* longest sleep in e1000_wait */
	struct e1000_irq irq;
};

static inline struct e1000_nic *e1000_of(struct nic_dev *dev)
{
	return nic_container_of(dev, struct e1000_nic, dev);
}

/* BAR0 access: QEMU implements only aligned 32-bit accesses (SDM 13.1). */
static inline uint32_t e1000_rd(const struct e1000_nic *nic, uint32_t reg)
{
	return *(volatile uint32_t *) (nic->pci.bar0 + reg);
}

static inline void e1000_wr(struct e1000_nic *nic, uint32_t reg, uint32_t val)
{
	*(volatile uint32_t *) (nic->pci.bar0 + reg) = val;
}

/* Mask every interrupt cause (IMC, SDM 13.4.21).  A plain register
 * write: async-signal-safe, for the guardian and fatal signals too. */
static inline void e1000_irqs_mask(volatile uint8_t *bar0)
{
	*(volatile uint32_t *) (bar0 + E1000_IMC) = E1000_IMC_ALL;
}

/* Mask every cause and clear the ones latched so far (the family's rule). */
static inline void e1000_irqs_off(struct e1000_nic *nic)
{
	nic->mac->irq_clear(nic);
}

/*
 * Free TX descriptors, as Linux's E1000_DESC_UNUSED counts them: one slot
 * always stays unused, since TDT == TDH means an empty ring (SDM 3.3.6).
 */
static inline unsigned e1000_tx_unused(const struct e1000_tx_ring *tx)
{
	unsigned clean = __atomic_load_n(&tx->clean, __ATOMIC_ACQUIRE);
	unsigned tail = __atomic_load_n(&tx->tail, __ATOMIC_ACQUIRE);

	return (clean + tx->n - tail - 1) % tx->n;
}

/* Descriptor writes must be visible to the device before a tail write. */
static inline void e1000_dma_wmb(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Descriptor fields must be read after the DD bit that covers them. */
static inline void e1000_dma_rmb(void)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}

int64_t e1000_now_ns(void);
void e1000_sleep_us(long us);
int e1000_poll_reg(struct e1000_nic *nic, uint32_t reg, uint32_t mask,
		   uint32_t want, long timeout_us);

/* hw.c: the family-independent open, for each family's open. */
int e1000_open_family(const struct nic_dev_ops *ops,
		      const struct e1000_mac_ops *mac,
		      const struct nic_open_args *args, struct nic_dev **devp,
		      char *why, size_t whylen);
extern const struct e1000_mac_ops e1000_8254x_mac;

/* 82574.c */
extern const struct e1000_mac_ops e1000_82574_mac;

/* pci.c: @ops is the family the NIC must belong to. */
int e1000_pci_open(struct e1000_pci *pci, const struct nic_open_args *args,
		   const struct nic_dev_ops *ops,
		   const struct e1000_mac_ops *mac,
		   const struct nic_model **model, char *why, size_t whylen);
int e1000_pci_command(const struct e1000_pci *pci, uint16_t set,
		      uint16_t clear);
void e1000_pci_close(struct e1000_pci *pci);
/* The guardian's give-back, once the NIC is quiesced: vfio-pci unbound if
 * pcifs bound it (after the guardian's own hold on the device is closed),
 * the kernel driver bound again if pcifs detached it. */
void e1000_pci_rebind(struct e1000_pci *pci);
int e1000_pci_io_write(const struct e1000_pci *pci, uint32_t reg, uint32_t val);

/* ring.c */
size_t e1000_rings_size(unsigned rx_n, unsigned tx_n);
int e1000_rings_setup(struct e1000_nic *nic, char *why, size_t whylen);
void e1000_rx_start(struct e1000_nic *nic);
void e1000_tx_start(struct e1000_nic *nic);
int e1000_tx_drain(struct e1000_nic *nic, long timeout_us);

/* irq.c */
void e1000_irq_start(struct e1000_nic *nic);
void e1000_irq_stop(struct e1000_nic *nic);
bool e1000_irq_live(const struct e1000_nic *nic);
/* Interrupts taken since open, for stats. */
uint64_t e1000_irq_taken(const struct e1000_nic *nic);
/* The wake-up count, to pass to e1000_irq_sleep. */
uint32_t e1000_irq_gen(struct e1000_nic *nic);
/* Unmask the causes that make @events (E1000_READY_*) true. */
void e1000_irq_arm(struct e1000_nic *nic, int events);
/* Sleep until an interrupt after @gen or until @deadline_ns (monotonic);
 * -EINTR if a signal came. */
int e1000_irq_sleep(struct e1000_nic *nic, uint32_t gen, int64_t deadline_ns);

/* "uio0" when waits sleep on the NIC's interrupt (uio_pci_generic bound),
 * NULL when they poll the rings. */
const char *e1000_irq_source(const struct e1000_nic *nic);
/* Why they poll though uio_pci_generic is bound, or NULL. */
const char *e1000_irq_error(const struct e1000_nic *nic);

/* guardian.c */
int e1000_guardian_start(struct e1000_nic *nic);
void e1000_guardian_stop(struct e1000_nic *nic);
void e1000_quiesce_hw(volatile uint8_t *bar0, const struct pci_fn *fn);

#endif /* PCIFS_E1000_PRIV_H */
