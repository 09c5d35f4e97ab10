/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nic.h - the NICs that pcifs drives itself, as the rest of the daemon
 * sees them: a handful of extra files in a device directory (tx, rx, mac,
 * link, promisc, stats, txbatch, rxbatch, pcap) plus register names for
 * regs/bar0/.
 *
 * Behind it: the registry (fs/nic.c), the files (fs/nicfile.c, fs/queue.c,
 * fs/nictext.c, fs/txbatch.c, fs/pcapfile.c, fs/capture.c), the poll
 * notifier (fs/notify.c), and the
 * driver interface of e1000/nicdev.h, the only driver header fs/ includes.
 */
#ifndef PCIFS_NIC_H
#define PCIFS_NIC_H

#include "fs/fuse3.h"

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

struct nic;

struct nic_mount_args {
	const char *sysfs;  /* the tree being served, e.g. /sys/bus/pci */
	bool unbind;	    /* -o unbind */
	bool nodriver;	    /* -o nodriver: never engage the driver */
	bool vfio;	    /* -o vfio: bind vfio-pci, drive through VFIO */
	unsigned irq;	    /* -o irq=KIND as NIC_IRQ_* bits; 0 = any */
	const char *netdev; /* -o netdev=DIR: a VM socket per NIC, or NULL */
};

/* -o irq=KIND: "msix", "msi", "intx" or "poll" to NIC_IRQ_* bits; -1 and a
 * log line for anything else. */
int nic_irq_parse(const char *kind, unsigned *kinds);

/*
 * Engage the driver on every supported device that devices= allows (see
 * bdf_allowed()) and @args permits.  Called
 * once from the FUSE init handler.  Failures are logged per device and leave
 * that device without queue files; they never fail the mount.
 */
void nic_mount(const struct nic_mount_args *args);

/* Quiesce and release every NIC; called from destroy(). */
void nic_unmount(void);

/*
 * Stop DMA on every driven NIC with register writes only: async-signal-safe,
 * for fs/main.c's fatal-signal handler.  Does nothing in another process
 * than the one that mounted (a forked guardian).
 */
void nic_quiesce_all(void);

/* The driven NIC of device @bdf ("0000:00:03.0"), or NULL. */
struct nic *nic_find(const char *bdf);
/* The PCI function a driven NIC is open as (its backend: sysfs or vfio),
 * or NULL when pcifs does not drive @bdf. */
struct pci_fn *nic_pci_fn(const char *bdf);

/*
 * Append "key: value" lines about the driver for `info` (e.g.
 * "pcifs_driver: e1000 82540EM, driving" or why it is not) to @buf.
 * Returns bytes written; writes nothing for unsupported devices.
 */
size_t nic_info(uint16_t vendor, uint16_t device, const char *bdf, char *buf,
		size_t size);

/* The files of a driven NIC's directory. */
enum nic_file {
	NIC_TX,
	NIC_RX,
	NIC_MAC,
	NIC_LINK,
	NIC_PROMISC,
	NIC_STATS,
	NIC_TXBATCH,
	NIC_RXBATCH,
	NIC_PCAP,
	NIC_NFILES
};

/* Their names, indexed by enum nic_file: "tx", "rx", "mac", ... */
extern const char *const nic_file_names[NIC_NFILES];

/* The enum nic_file named @name, or -ENOENT. */
int nic_file_lookup(const char *name);

int nic_getattr(struct nic *nic, enum nic_file file, struct stat *st);
int nic_open(struct nic *nic, enum nic_file file, struct fuse_file_info *fi);
int nic_read(struct nic *nic, enum nic_file file, char *buf, size_t size,
	     off_t off, struct fuse_file_info *fi);
int nic_write(struct nic *nic, enum nic_file file, const char *buf, size_t size,
	      off_t off, struct fuse_file_info *fi);
/* poll() of the open file @key (any value unique to the open file). */
int nic_poll(struct nic *nic, enum nic_file file, uint64_t key,
	     struct fuse_pollhandle *ph, unsigned *reventsp);
/* close(): txbatch and pcap fail with -EINVAL if they end inside a
 * record. */
int nic_flush(struct nic *nic, enum nic_file file, struct fuse_file_info *fi);
int nic_release(struct nic *nic, enum nic_file file, uint64_t key,
		struct fuse_file_info *fi);
/* fs/pcifs_ioctl.h: PCIFS_IOC_XCHG on tx.  -ENOTTY for anything else. */
int nic_ioctl(struct nic *nic, enum nic_file file, unsigned int cmd, void *data,
	      struct fuse_file_info *fi);

/*
 * Register names of BAR0 for regs/bar0/<NAME>, on any supported device
 * (driven or not).  Returns 0 and fills @offset, or -ENOENT.
 * @readable_while_driven: reading has no side effect (not clear-on-read,
 * not write-only), so it is allowed while pcifs drives the NIC.
 */
int nic_reg_lookup(uint16_t vendor, uint16_t device, const char *name,
		   uint32_t *offset, bool *readable_while_driven);

/* Calls @fn for each register name of a supported device. */
void nic_reg_foreach(uint16_t vendor, uint16_t device,
		     void (*fn)(const char *name, void *ctx), void *ctx);

#endif /* PCIFS_NIC_H */
