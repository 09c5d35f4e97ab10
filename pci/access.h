/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * access.h - the one place where pcifs touches a PCI function.
 *
 * Both the filesystem (fs/) and the NIC drivers (e1000/) reach a device
 * only through this layer.  A function is opened from a sysfs tree (the
 * real /sys/bus/pci, or a fixture laid out like it: the root is a parameter,
 * never a global) and a BDF.  What can be read of it without touching the
 * hardware (identity, regions, bound driver) comes from its sysfs attribute
 * files; config space, BARs and ownership go through a backend, an ops
 * table in the manner of pciutils' struct pci_methods.  "sysfs" is the
 * first backend (pci/sysfs.c).
 *
 * Every function returns 0 (or a count) on success and -errno on failure;
 * none aborts, none logs.  Functions marked async-signal-safe make only
 * system calls on descriptors opened beforehand: the fatal-signal path and
 * the guardian (a forked child of a threaded process) may call them.
 *
 * References: PCI Local Bus Specification 3.0 (PCI 3.0), the kernel's
 * Documentation/ABI/testing/sysfs-bus-pci and Documentation/PCI/sysfs.rst.
 */
#ifndef PCIFS_PCI_ACCESS_H
#define PCIFS_PCI_ACCESS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <pci/header.h> /* libpci: PCI_COMMAND, PCI_IORESOURCE_IO, ... */

#define PCI_BDF_LEN	13 /* "dddd:bb:dd.f" and its NUL */
#define PCI_NUM_BARS	6
#define PCI_ROM_SLOT	6 /* line 6 of "resource" is the expansion ROM */
#define PCI_NUM_REGIONS (PCI_ROM_SLOT + 1)
#define PCI_CFG_MAX	4096 /* PCIe extended config space */
#define PCI_DRIVER_LEN	64
#define PCI_DEVDIR_MAX	(PATH_MAX - 64) /* room for "/driver/unbind" */

/* One "resource" line: start, size (0: not implemented), flags
 * (PCI_IORESOURCE_*, the kernel's IORESOURCE_* of linux/ioport.h). */
struct pci_region {
	uint64_t start;
	uint64_t size;
	uint64_t flags;
};

static inline bool pci_region_is_io(const struct pci_region *r)
{
	return r->flags & PCI_IORESOURCE_IO;
}

/* What lspci -v knows of a function without touching its BARs. */
struct pcidev {
	char bdf[PCI_BDF_LEN];
	uint16_t vendor, device;
	uint16_t subvendor, subdevice;
	uint32_t class; /* 24 bits: base class, subclass, prog-if */
	uint8_t revision;
	int irq;
	char driver[PCI_DRIVER_LEN]; /* bound kernel driver, "" if none */
	struct pci_region region[PCI_NUM_REGIONS];
};

struct pci_fn;
struct pci_bar;
struct pci_dma;
struct pci_irq;

/*
 * A backend: how config space and BARs of a function are reached.  Filled
 * per backend with designated initializers; callers use the pci_* functions
 * below and never a backend's own.  config_read and config_write are
 * async-signal-safe in every backend.
 */
struct pci_methods {
	const char *name; /* "sysfs", "vfio" */
	int (*open)(struct pci_fn *fn, bool write);
	void (*close)(struct pci_fn *fn);
	ssize_t (*config_read)(const struct pci_fn *fn, void *buf, size_t len,
			       off_t off);
	ssize_t (*config_write)(const struct pci_fn *fn, const void *buf,
				size_t len, off_t off);
	/* The size of config space: 256, or 4096 with extended space. */
	int (*config_size)(const struct pci_fn *fn, size_t *size);
	/* Open BAR @index: map a memory BAR, or ready an I/O BAR for
	 * bar_io.  @size is the region's size from "resource". */
	int (*bar_open)(struct pci_fn *fn, int index, uint64_t size, bool io,
			bool write, struct pci_bar *bar);
	void (*bar_close)(struct pci_bar *bar);
	/* Is @bar still a window on @fn's BAR, or did the function go and
	 * come back (a rescan) under it?  NULL: always current. */
	bool (*bar_current)(const struct pci_fn *fn, const struct pci_bar *bar);
	/* One I/O-port access of exactly @len bytes (1, 2 or 4). */
	ssize_t (*bar_io)(const struct pci_bar *bar, void *buf, size_t len,
			  off_t off, bool write);
	/* Make @dma (allocated by pci_dma_alloc) reachable by the device:
	 * fill dma->addr[] with the bus address of each page.  sysfs:
	 * physical addresses from /proc/self/pagemap; vfio: an IOVA range
	 * mapped with VFIO_IOMMU_MAP_DMA. */
	int (*dma_map)(struct pci_fn *fn, struct pci_dma *dma, char *why,
		       size_t whylen);
	void (*dma_unmap)(struct pci_fn *fn, struct pci_dma *dma);
	/* Interrupts as a pollable fd (POLLIN when one came): sysfs needs
	 * uio_pci_generic bound (/dev/uioN, INTx); vfio an eventfd from
	 * VFIO_DEVICE_SET_IRQS.  irq_ack consumes the event and lets the
	 * next interrupt in; it is async-signal-safe. */
	int (*irq_open)(struct pci_fn *fn, struct pci_irq *irq, char *why,
			size_t whylen);
	int (*irq_ack)(const struct pci_fn *fn, struct pci_irq *irq);
	void (*irq_close)(struct pci_fn *fn, struct pci_irq *irq);
};

extern const struct pci_methods pci_sysfs_methods;
/* pci/vfio.c: a function bound to vfio-pci, through its IOMMU group
 * (Documentation/driver-api/vfio.rst). */
extern const struct pci_methods pci_vfio_methods;

/* An open PCI function. */
struct pci_fn {
	const struct pci_methods *methods;
	char root[PCI_DEVDIR_MAX];   /* the sysfs tree, e.g. /sys/bus/pci */
	char devdir[PCI_DEVDIR_MAX]; /* ROOT/devices/BDF */
	char bdf[PCI_BDF_LEN];
	/* Config space: DEVDIR/config (sysfs), the device fd (vfio).  The
	 * guardian keeps it, and with it the vfio device open. */
	int config_fd;
	int lock_fd; /* DEVDIR/resource0 while pci_own_lock holds it */
	/* Where pci_driver_restore gives the function back (set by
	 * pci_driver_detach): DRIVER/bind, else ROOT/drivers_probe. */
	char rebind_path[PATH_MAX];
	char probe_path[PATH_MAX];
	bool vfio_claimed; /* pci_vfio_claim bound vfio-pci: give it back */
	void *priv;	   /* the backend's own state */
	char why[256];	   /* one line: why the backend's open failed */
};

/* Memory a device may DMA to, pinned, with a bus address per page. */
struct pci_dma {
	uint8_t *virt;
	size_t len;
	size_t page_size; /* granule of addr[] */
	uint64_t *addr;	  /* bus address of each page (phys or IOVA) */
	bool huge;	  /* hugetlbfs pages */
	bool mapped;	  /* dma_map succeeded: dma_unmap owed */
	const char *how;  /* "hugetlbfs, pagemap", ... for info's dma: line */
};

/* Kinds of interrupt (PCI 3.0 6.8: MSI and MSI-X; 2.2.6: INTx), as bits of
 * a request. */
enum pci_irq_kind {
	PCI_IRQ_INTX = 1u << 0,
	PCI_IRQ_MSI = 1u << 1,
	PCI_IRQ_MSIX = 1u << 2,
};
#define PCI_IRQ_ANY (PCI_IRQ_INTX | PCI_IRQ_MSI | PCI_IRQ_MSIX)

/* A source of interrupts. */
struct pci_irq {
	int fd;			/* poll for POLLIN; -1 when closed */
	char source[32];	/* "uio0", "vfio (intx)", "vfio (msi)" */
	unsigned want;		/* kinds the caller takes (PCI_IRQ_*) */
	enum pci_irq_kind kind; /* the kind it got, once open */
	int index;		/* backend's: VFIO irq index */
};

/* A window on one BAR. */
struct pci_bar {
	const struct pci_methods *methods;
	int index;
	bool io;
	int fd;		       /* DEVDIR/resourceN; vfio: the device */
	uint64_t offset;       /* vfio: the region's offset in fd */
	volatile uint8_t *mem; /* memory BARs: the mapping, else NULL */
	uint64_t size;	       /* bytes reachable: no access beyond */
};

/* ---- pci.c: opening a function, its attributes ---- */

/* Does ROOT/devices/BDF exist?  @bdf must be canonical. */
bool pci_fn_exists(const char *root, const char *bdf);

/* Describe function @bdf of the tree @root without opening anything: its
 * attributes, driver and owner can be read (pci_fn_close is a no-op). */
int pci_fn_init(struct pci_fn *fn, const char *root, const char *bdf);
/* Open function @bdf of the tree @root; config space read-write if
 * @write.  pci_fn_close must follow, also after a failure. */
int pci_fn_open(struct pci_fn *fn, const char *root, const char *bdf,
		bool write);
/* The same through backend @methods (pci_fn_open: sysfs).  On failure
 * the backend may have left one line in fn->why. */
int pci_fn_open_with(struct pci_fn *fn, const char *root, const char *bdf,
		     bool write, const struct pci_methods *methods);
/* Close @fn's backend and open it again as @methods, keeping the lock
 * and what pci_driver_detach remembered.  fn->why as above. */
int pci_fn_reopen(struct pci_fn *fn, const struct pci_methods *methods,
		  bool write);
void pci_fn_close(struct pci_fn *fn);

/* "ROOT/devices/BDF/ATTR" into @buf; -ENAMETOOLONG if it does not fit. */
int pci_attr_path(const struct pci_fn *fn, const char *attr, char *buf,
		  size_t size);
/* Open an attribute file; the fd or -errno.  Never blocks in open(). */
int pci_attr_open(const struct pci_fn *fn, const char *attr, int flags);
/* A small text attribute ("0x8086\n"), NUL-terminated. */
int pci_attr_read(const struct pci_fn *fn, const char *attr, char *buf,
		  size_t size);
/* A numeric attribute, in C syntax (0x prefix for hex, as sysfs writes). */
int pci_attr_number(const struct pci_fn *fn, const char *attr,
		    unsigned long *value);

/* Identity (the attributes, falling back on the config header), the
 * bound driver and the regions: everything in struct pcidev. */
int pci_fn_load(const struct pci_fn *fn, struct pcidev *dev);
/* The regions from "resource"; a function without one has none. */
int pci_regions_load(const struct pci_fn *fn,
		     struct pci_region region[PCI_NUM_REGIONS]);
/* The bound kernel driver's name into @buf, "" when none. */
void pci_driver_name(const struct pci_fn *fn, char *buf, size_t size);
/* The last component of a symlink attribute's target ("driver" ->
 * "e1000", "iommu_group" -> "3"); -ENOENT when there is no such link. */
int pci_attr_link_name(const struct pci_fn *fn, const char *attr, char *buf,
		       size_t size);

/* ---- config.c: config space, width and alignment in one place ---- */

int pci_config_size(const struct pci_fn *fn, size_t *size);
/* Raw bytes, as the config file gives them: short at the end. */
ssize_t pci_config_read(const struct pci_fn *fn, void *buf, size_t len,
			off_t off);
/* Raw bytes, never past the end of config space (-ENOSPC there). */
ssize_t pci_config_write(const struct pci_fn *fn, const void *buf, size_t len,
			 off_t off);
/* The whole config space into @cfg (PCI_CFG_MAX bytes, zero-padded);
 * *@len gets how much the function has. */
int pci_config_snapshot(const struct pci_fn *fn, uint8_t *cfg, size_t *len);
/* One register of @width 1, 2 or 4 bytes at an aligned @off: exactly one
 * config cycle of that width (PCI 3.0, 6.1: little-endian).  -EINVAL for
 * another width or an unaligned offset, -EIO for a short access. */
int pci_config_get(const struct pci_fn *fn, unsigned off, unsigned width,
		   uint32_t *value);
int pci_config_set(const struct pci_fn *fn, unsigned off, unsigned width,
		   uint32_t value);
/* COMMAND = (COMMAND & ~@clear) | @set (PCI 3.0, 6.2.2).
 * Async-signal-safe. */
int pci_command_update(const struct pci_fn *fn, uint16_t set, uint16_t clear);
/* Clear COMMAND.Interrupt Disable, writing only COMMAND's high byte so
 * that nothing else is written back.  Async-signal-safe. */
int pci_intx_unmask(const struct pci_fn *fn);

/* ---- bar.c: BAR windows ---- */

/* Open a window on BAR @index of @dev (its region from pci_fn_load).
 * A memory BAR is mapped; an I/O BAR takes pread/pwrite-style accesses. */
int pci_bar_open(struct pci_fn *fn, const struct pcidev *dev, int index,
		 bool write, struct pci_bar *bar);
void pci_bar_close(struct pci_bar *bar);
/* For backends' bar_close: unmap the window and close its fd. */
void pci_bar_release(struct pci_bar *bar);
/* For backends: one write of @text to the sysfs control file @path
 * (bind, unbind, drivers_probe, driver_override).  Async-signal-safe. */
int pci_ctl_write(const char *path, const char *text);
/* Does @bar still reach @fn's BAR?  False once the function was removed
 * and a new one appeared at its address: open a new window then. */
bool pci_bar_current(const struct pci_fn *fn, const struct pci_bar *bar);
/* One access of exactly @width bytes (1, 2, 4, or 8 on memory BARs) at
 * @off, aligned to @width and inside the window: -EINVAL, -ENXIO if not. */
int pci_bar_read(const struct pci_bar *bar, uint64_t off, unsigned width,
		 uint64_t *value);
int pci_bar_write(const struct pci_bar *bar, uint64_t off, unsigned width,
		  uint64_t value);
/* For the process's SIGBUS handler: if the signal came from a BAR access
 * of pci_bar_read or pci_bar_write on this thread, end that access with
 * -EIO (does not return); else return, and the handler goes on.  The
 * handler must be installed without SA_RESETHAND. */
void pci_bar_fault(int sig);

/* ---- own.c: who owns a function ---- */

enum pci_owner {
	PCI_OWNER_NONE,	  /* no driver bound, no pcifs holds it */
	PCI_OWNER_KERNEL, /* a kernel driver is bound */
	PCI_OWNER_UIO,	  /* uio_pci_generic: interrupts only, no driver */
	PCI_OWNER_VFIO,	  /* vfio-pci: a claim for userspace, no driver */
	PCI_OWNER_PCIFS,  /* another pcifs holds the lock (pci_own_lock) */
};

/*
 * Take the exclusive lock that says "a pcifs drives this function": an
 * flock on DEVDIR/resource0, held until pci_fn_close.  -EBUSY, with the
 * holder's pid in *@holder (0 if unknown), when another process has it.
 */
int pci_own_lock(struct pci_fn *fn, pid_t *holder);
/* Is the lock held by another open file description?  A probe: a shared
 * lock taken and released at once. */
bool pci_own_locked_elsewhere(const struct pci_fn *fn);
/* Classify the owner: the bound driver, or the lock. */
enum pci_owner pci_owner(const struct pci_fn *fn);
/* What a bound driver of that name means (never PCI_OWNER_PCIFS). */
enum pci_owner pci_driver_owner(const char *driver);
/* The uio device ("uio0") of a function bound to uio_pci_generic, into
 * @buf; -ENODEV if there is none. */
int pci_uio_name(const struct pci_fn *fn, char *buf, size_t size);

/* ---- dma.c: DMA memory ---- */

/* @len bytes (rounded up to pages) of zeroed, pinned memory, shared with
 * forked children (MAP_SHARED: the guardian keeps it alive), mapped for
 * the device by the backend.  hugetlbfs pages when hugetlbfs is mounted,
 * else mlocked base pages.  On failure one line goes to @why. */
int pci_dma_alloc(struct pci_fn *fn, struct pci_dma *dma, size_t len, char *why,
		  size_t whylen);
/* Unmap from the device, then free.  Safe on a zeroed struct. */
void pci_dma_free(struct pci_fn *fn, struct pci_dma *dma);
/* The bus address the device must use for @virt inside @dma. */
uint64_t pci_dma_addr(const struct pci_dma *dma, const void *virt);
/* Is [virt, virt+len) one contiguous bus range? */
bool pci_dma_contiguous(const struct pci_dma *dma, const void *virt,
			size_t len);

/* ---- irq: interrupts, through the backend ---- */

/* Open the best kind of interrupt among @want (PCI_IRQ_*; MSI-X, then MSI,
 * then INTx) that the backend can give: irq->kind says which.  -ENODEV when
 * the backend has none at all, -ENOTSUP when it has none of @want. */
int pci_irq_open(struct pci_fn *fn, struct pci_irq *irq, unsigned want,
		 char *why, size_t whylen);
int pci_irq_ack(const struct pci_fn *fn, struct pci_irq *irq);
void pci_irq_close(struct pci_fn *fn, struct pci_irq *irq);

/* ---- bind.c: binding a function to drivers ---- */

/* Unbind the bound kernel driver and remember it for pci_driver_restore.
 * 0 if none was bound. */
int pci_driver_detach(struct pci_fn *fn);
/* Give the function back to the driver pci_driver_detach unbound, else let
 * the kernel probe it.  Async-signal-safe; a no-op if nothing was
 * detached. */
void pci_driver_restore(const struct pci_fn *fn);

/* ---- vfio-bind.c: claiming a function for vfio-pci (-o vfio) ---- */

/* Bind an unbound function to vfio-pci (driver_override, then
 * drivers_probe), loading vfio-pci and vfio_iommu_type1 if needed.  0 at
 * once if vfio-pci is bound already (then there is nothing to give back).
 * On failure one line goes to @why. */
int pci_vfio_claim(struct pci_fn *fn, char *why, size_t whylen);
/* Give a claimed function back: unbind vfio-pci, clear driver_override,
 * then pci_driver_restore.  Every fd of the vfio device must be closed
 * before, or the unbind waits for them.  A no-op if nothing was claimed;
 * async-signal-safe but for reading the driver link. */
void pci_vfio_release(struct pci_fn *fn);

#endif /* PCIFS_PCI_ACCESS_H */
