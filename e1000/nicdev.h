/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nicdev.h - the driver interface for NIC families: what fs/ calls.
 *
 * Each family (the 8254x in e1000/, the 82574L next) fills one
 * struct nic_dev_ops and embeds a struct nic_dev in its own device struct,
 * getting that back with nic_container_of(), as ixy's drivers do with
 * struct ixy_device.  nic_models[] maps a PCI vendor:device id to its name
 * and family.  fs/ includes this header only: it never names a family.
 *
 * Every operation returns 0 (or a non-negative count) on success and
 * -errno on failure; none aborts.  All are safe to call from several
 * threads at once, except open and close.
 */
#ifndef PCIFS_NICDEV_H
#define PCIFS_NICDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#define NIC_ETH_ALEN  6
#define NIC_FRAME_MIN 14   /* an Ethernet header; the NIC pads to 60 */
#define NIC_FRAME_MAX 1514 /* without FCS, which the NIC appends */

/* Events of wait and ready. */
#define NIC_READY_RX 0x1 /* a received frame is waiting */
#define NIC_READY_TX 0x2 /* a transmit descriptor is free */

#define nic_container_of(ptr, type, member)                                    \
	((type *) (void *) ((char *) (ptr) -offsetof(type, member)))

struct nic_dev_ops;
struct pci_fn;

/* A device a family drives, by PCI vendor:device id. */
struct nic_model {
	uint16_t vendor;
	uint16_t device;
	const char *name;	       /* "82540EM" */
	const struct nic_dev_ops *ops; /* its family */
};

/* The head of every family's device struct. */
struct nic_dev {
	const struct nic_dev_ops *ops;
	const struct nic_model *model;
};

/* Kinds of interrupt a NIC may take (nic_open_args.irq), as bits; the
 * same values as pci/access.h's PCI_IRQ_*. */
#define NIC_IRQ_INTX 0x1
#define NIC_IRQ_MSI  0x2
#define NIC_IRQ_MSIX 0x4
#define NIC_IRQ_POLL 0x8 /* none: the driver polls its rings */

struct nic_open_args {
	const char *root; /* the PCI sysfs tree, e.g. /sys/bus/pci */
	const char *bdf;  /* the function, "0000:00:03.0" */
	bool unbind;	  /* detach a bound kernel driver; rebind it at close */
	/* Bind an unbound NIC (or one unbind detached) to vfio-pci and drive
	 * it through VFIO; give it back at close. */
	bool vfio;
	unsigned rx_ring; /* descriptors, multiple of 8; 0 = default */
	unsigned tx_ring; /* descriptors, multiple of 8; 0 = default */
	/* Longest sleep of wait on an idle NIC, which bounds receive latency
	 * and sets the idle cost of a waiter; 0 = the family's default. */
	unsigned poll_max_us;
	/* NIC_IRQ_* kinds to take, the best first (MSI-X, MSI, INTx);
	 * 0 = any the backend has. */
	unsigned irq;
};

struct nic_link {
	bool up;
	unsigned speed_mbps; /* 10, 100, 1000 */
	bool full_duplex;
};

/* Counters: the NIC's clear-on-read statistics accumulated, plus the
 * driver's own. */
struct nic_stats {
	uint64_t tx_packets, tx_bytes, tx_errors, tx_drops;
	uint64_t rx_packets, rx_bytes, rx_errors, rx_drops;
	uint64_t rx_truncated; /* frames a reader's buffer was too small for */
	uint64_t rx_missed;    /* no free receive descriptor */
	uint64_t interrupts;   /* taken by the driver since mount */
	/* The NIC's own good-frame counters: octets include the FCS. */
	uint64_t hw_rx_packets, hw_rx_bytes, hw_tx_packets, hw_tx_bytes;
};

/* Access types of BAR0 registers, as Linux's e1000_hw.h notes them. */
enum nic_reg_access {
	NIC_REG_RW = 0,	 /* read/write */
	NIC_REG_RO = 1,	 /* read only */
	NIC_REG_WO = 2,	 /* write only: reads return garbage */
	NIC_REG_RC = 3,	 /* read, clear on read */
	NIC_REG_RWC = 4, /* read/write, clear on read */
};

/* A BAR0 register name, for regs/bar0/<NAME>. */
struct nic_reg {
	const char *name;
	uint32_t offset;
	enum nic_reg_access access;
	const char *what;
};

struct nic_dev_ops {
	const char *family; /* "e1000": info's pcifs_driver line */
	/*
	 * Take the NIC: lock it against other pcifs instances, reset it, set
	 * up DMA memory and both rings, and enable RX and TX.  On failure
	 * writes one line to @why (what failed and what to do) and returns
	 * -errno: -EBUSY when a kernel driver is bound and !unbind, or when
	 * another process holds the NIC; -ENOMEM when no DMA memory can be
	 * had.
	 */
	int (*open)(const struct nic_open_args *args, struct nic_dev **devp,
		    char *why, size_t whylen);
	/* Quiesce and release everything open took; restore COMMAND, rebind
	 * the kernel driver open unbound.  Safe on NULL. */
	void (*close)(struct nic_dev *dev);
	/* Stop DMA with async-signal-safe register writes only, for fatal
	 * signal handlers; close must still follow if the process lives. */
	void (*quiesce)(struct nic_dev *dev);
	/* Queue one frame of NIC_FRAME_MIN..NIC_FRAME_MAX bytes.
	 * -EINVAL bad length, -EAGAIN ring full. */
	int (*send)(struct nic_dev *dev, const void *frame, size_t len);
	/* Queue up to @n frames with one tail write.  Returns how many were
	 * queued (the ring may take fewer), -EAGAIN if none fit, or -EINVAL,
	 * queuing nothing, if any frame has a bad length. */
	int (*send_burst)(struct nic_dev *dev, const struct iovec *frames,
			  unsigned n);
	/* Dequeue one received frame into @buf.  Returns the bytes copied
	 * (min(size, frame length)); *frame_len gets the whole frame's
	 * length, so the caller can see truncation.  -EAGAIN when none. */
	ssize_t (*recv)(struct nic_dev *dev, void *buf, size_t size,
			size_t *frame_len);
	/* Wait until one of @events (NIC_READY_*) is ready or @timeout_us
	 * passes; negative waits without limit.  Returns the ready subset, 0
	 * on timeout, -EINTR when a signal interrupted the wait. */
	int (*wait)(struct nic_dev *dev, int events, long timeout_us);
	/* The ready subset of @events, without waiting (for poll()). */
	int (*ready)(struct nic_dev *dev, int events);
	/* How wait sleeps: "interrupts from uio0", or "polling (why)". */
	void (*wait_mode)(struct nic_dev *dev, char *buf, size_t size);
	/* How the rings reach the NIC (pci_dma.how): "vfio (iommu group 3)",
	 * "mlocked pages, physical addresses (pagemap)", ... */
	const char *(*dma_mode)(struct nic_dev *dev);
	/* The PCI function the NIC is open as (pci/access.h): other windows
	 * on its BARs go through the same backend, as sysfs cannot map a BAR
	 * that vfio-pci holds. */
	struct pci_fn *(*pci_fn)(struct nic_dev *dev);
	int (*get_mac)(struct nic_dev *dev, uint8_t mac[NIC_ETH_ALEN]);
	int (*set_mac)(struct nic_dev *dev, const uint8_t mac[NIC_ETH_ALEN]);
	int (*get_link)(struct nic_dev *dev, struct nic_link *link);
	int (*get_promisc)(struct nic_dev *dev, bool *on);
	int (*set_promisc)(struct nic_dev *dev, bool on);
	int (*get_stats)(struct nic_dev *dev, struct nic_stats *st);
	/* The caller saw a truncated read; count it in rx_truncated. */
	void (*count_truncated)(struct nic_dev *dev);
	/* BAR0 register names, NULL-name-terminated. */
	const struct nic_reg *regs;
};

/* Every supported device, NULL-name-terminated (nicdev.c). */
extern const struct nic_model nic_models[];

/* The model of @vendor:@device, or NULL if no family drives it. */
const struct nic_model *nic_model_find(uint16_t vendor, uint16_t device);

/* The register of @regs named @name, case-insensitive as setpci's names
 * are; NULL if none. */
const struct nic_reg *nic_reg_find(const struct nic_reg *regs,
				   const char *name);

/* Reading it has no side effect (not clear-on-read, not write-only). */
static inline bool nic_reg_side_effect_free(const struct nic_reg *reg)
{
	return reg->access == NIC_REG_RW || reg->access == NIC_REG_RO;
}

/* ---- what fs/ calls: one wrapper per operation ---- */

static inline int nic_dev_open(const struct nic_model *model,
			       const struct nic_open_args *args,
			       struct nic_dev **devp, char *why, size_t whylen)
{
	return model->ops->open(args, devp, why, whylen);
}

static inline void nic_dev_close(struct nic_dev *dev)
{
	if (dev)
		dev->ops->close(dev);
}

static inline void nic_dev_quiesce(struct nic_dev *dev)
{
	dev->ops->quiesce(dev);
}

static inline int nic_dev_send(struct nic_dev *dev, const void *frame,
			       size_t len)
{
	return dev->ops->send(dev, frame, len);
}

static inline int nic_dev_send_burst(struct nic_dev *dev,
				     const struct iovec *frames, unsigned n)
{
	return dev->ops->send_burst(dev, frames, n);
}

static inline ssize_t nic_dev_recv(struct nic_dev *dev, void *buf, size_t size,
				   size_t *frame_len)
{
	return dev->ops->recv(dev, buf, size, frame_len);
}

static inline int nic_dev_wait(struct nic_dev *dev, int events, long timeout_us)
{
	return dev->ops->wait(dev, events, timeout_us);
}

static inline int nic_dev_ready(struct nic_dev *dev, int events)
{
	return dev->ops->ready(dev, events);
}

static inline void nic_dev_wait_mode(struct nic_dev *dev, char *buf,
				     size_t size)
{
	dev->ops->wait_mode(dev, buf, size);
}

static inline const char *nic_dev_dma_mode(struct nic_dev *dev)
{
	return dev->ops->dma_mode(dev);
}

static inline struct pci_fn *nic_dev_pci_fn(struct nic_dev *dev)
{
	return dev->ops->pci_fn(dev);
}

static inline int nic_dev_get_mac(struct nic_dev *dev,
				  uint8_t mac[NIC_ETH_ALEN])
{
	return dev->ops->get_mac(dev, mac);
}

static inline int nic_dev_set_mac(struct nic_dev *dev,
				  const uint8_t mac[NIC_ETH_ALEN])
{
	return dev->ops->set_mac(dev, mac);
}

static inline int nic_dev_get_link(struct nic_dev *dev, struct nic_link *link)
{
	return dev->ops->get_link(dev, link);
}

static inline int nic_dev_get_promisc(struct nic_dev *dev, bool *on)
{
	return dev->ops->get_promisc(dev, on);
}

static inline int nic_dev_set_promisc(struct nic_dev *dev, bool on)
{
	return dev->ops->set_promisc(dev, on);
}

static inline int nic_dev_get_stats(struct nic_dev *dev, struct nic_stats *st)
{
	return dev->ops->get_stats(dev, st);
}

static inline void nic_dev_count_truncated(struct nic_dev *dev)
{
	dev->ops->count_truncated(dev);
}

#endif /* PCIFS_NICDEV_H */
