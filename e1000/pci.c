// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pci.c - the NIC's PCI function, taken through the pci/ layer: identity,
 * ownership (a kernel driver is left alone without -o unbind; one pcifs per
 * NIC), the COMMAND register and the BAR0 mapping.
 *
 * The backend follows the NIC's driver: bound to vfio-pci, the NIC is
 * driven through VFIO (pci/vfio.c: BAR0 and config through the device's
 * regions, DMA through the IOMMU, interrupts on an eventfd); otherwise
 * through sysfs (resource0, config, pagemap, uio_pci_generic).  Identity,
 * ownership and the lock are looked at through sysfs first, read-only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "e1000/priv.h"

#define BAR0_MIN_LEN 0x6000 /* through RAL/RAH (SDM table 13-2) */

/* The nic_models[] entry of @dev, if @ops is its family. */
static int identify(const struct pcidev *dev, const struct nic_dev_ops *ops,
		    const char *part, const struct nic_model **model, char *why,
		    size_t whylen)
{
	*model = nic_model_find(dev->vendor, dev->device);
	if (*model && (*model)->ops == ops)
		return 0;
	*model = NULL;
	snprintf(why, whylen, "%04x:%04x is not a supported %s", dev->vendor,
		 dev->device, part);
	return -ENODEV;
}

/* Without -o unbind, a NIC a kernel driver owns is left alone: checked
 * before the NIC is locked or touched.  uio_pci_generic is no NIC driver:
 * it only hands INTx to userspace (irq.c). */
static int check_owner(struct e1000_pci *pci, const struct pcidev *dev,
		       bool unbind, char *why, size_t whylen)
{
	switch (pci_owner(&pci->fn)) {
	case PCI_OWNER_VFIO: /* a claim for userspace: ours to drive */
		return 0;
	case PCI_OWNER_KERNEL:
		if (unbind)
			return 0;
		snprintf(
			why, whylen,
			"kernel driver %s is bound; mount with -o unbind to detach it",
			dev->driver);
		return -EBUSY;
	default:
		return 0; /* another pcifs: the lock says so next */
	}
}

/* One pcifs per NIC. */
static int lock_nic(struct e1000_pci *pci, char *why, size_t whylen)
{
	pid_t holder;
	int err = pci_own_lock(&pci->fn, &holder);

	/* DEVDIR/resource0 is root's.  Without it, a user who owns a
	 * vfio-bound NIC's group is still alone: /dev/vfio/N opens once. */
	if (err == -EACCES && pci_owner(&pci->fn) == PCI_OWNER_VFIO)
		return 0;
	if (err == -EBUSY)
		snprintf(
			why, whylen,
			"the NIC is driven by another pcifs (pid %d); tx/rx not served here",
			(int) holder);
	else if (err == -EACCES)
		snprintf(
			why, whylen,
			"driving %s through sysfs needs root (resource0, pagemap); as a user, bind the NIC to vfio-pci and own its /dev/vfio/N",
			pci->fn.bdf);
	else if (err)
		snprintf(why, whylen, "cannot lock %s: %s", pci->fn.bdf,
			 strerror(-err));
	return err;
}

static int detach_driver(struct e1000_pci *pci, const struct pcidev *dev,
			 char *why, size_t whylen)
{
	int err;

	if (pci_driver_owner(dev->driver) != PCI_OWNER_KERNEL)
		return 0;
	err = pci_driver_detach(&pci->fn);
	if (err)
		snprintf(why, whylen, "cannot unbind kernel driver %s: %s",
			 dev->driver, strerror(-err));
	return err;
}

static int map_bar0(struct e1000_pci *pci, const struct pcidev *dev, char *why,
		    size_t whylen)
{
	int err;

	if (dev->region[0].size < BAR0_MIN_LEN ||
	    pci_region_is_io(&dev->region[0])) {
		snprintf(why, whylen, "BAR0 is missing or too small");
		return -ENODEV;
	}
	err = pci_bar_open(&pci->fn, dev, 0, true, &pci->bar);
	/* A vfio region that cannot be mmap()ed gives no pointer. */
	if (!err && (pci->bar.size < BAR0_MIN_LEN || !pci->bar.mem))
		err = -ENODEV;
	if (err) {
		snprintf(why, whylen, "cannot map BAR0: %s", strerror(-err));
		return err;
	}
	pci->bar0 = pci->bar.mem;
	return 0;
}

static int save_command(struct e1000_pci *pci, char *why, size_t whylen)
{
	uint32_t cmd;
	int err = pci_config_get(&pci->fn, PCI_COMMAND, 2, &cmd);

	if (err) {
		snprintf(why, whylen, "cannot read COMMAND of %s: %s",
			 pci->fn.bdf, strerror(-err));
		return err;
	}
	pci->command = (uint16_t) cmd;
	pci->command_saved = true;
	return 0;
}

/* Config space read-write, through the backend the bound driver says. */
static int open_backend(struct e1000_pci *pci, char *why, size_t whylen)
{
	bool vfio = pci_owner(&pci->fn) == PCI_OWNER_VFIO;
	int err = pci_fn_reopen(
		&pci->fn, vfio ? &pci_vfio_methods : &pci_sysfs_methods, true);

	if (err && pci->fn.why[0])
		snprintf(why, whylen, "%s", pci->fn.why);
	else if (err)
		snprintf(why, whylen, "cannot open %s: %s", pci->fn.devdir,
			 strerror(-err));
	return err;
}

int e1000_pci_open(struct e1000_pci *pci, const struct nic_open_args *args,
		   const struct nic_dev_ops *ops,
		   const struct e1000_mac_ops *mac,
		   const struct nic_model **model, char *why, size_t whylen)
{
	const char *root = args->root, *bdf = args->bdf;
	bool unbind = args->unbind, vfio = args->vfio;
	struct pcidev dev;
	int err;

	memset(pci, 0, sizeof(*pci));
	/* Read-only: open_backend opens config read-write, through VFIO
	 * for a user without root. */
	err = pci_fn_open(&pci->fn, root, bdf, false);
	if (err)
		snprintf(why, whylen, "cannot open %s: %s", bdf,
			 strerror(-err));
	if (!err && (err = pci_fn_load(&pci->fn, &dev)))
		snprintf(why, whylen, "cannot read %s's attributes", bdf);
	if (!err)
		err = identify(&dev, ops, mac->part, model, why, whylen);
	if (!err)
		err = check_owner(pci, &dev, unbind, why, whylen);
	if (!err)
		err = lock_nic(pci, why, whylen);
	if (!err && unbind)
		err = detach_driver(pci, &dev, why, whylen);
	if (!err && vfio)
		err = pci_vfio_claim(&pci->fn, why, whylen);
	if (!err)
		err = open_backend(pci, why, whylen);
	if (!err)
		err = save_command(pci, why, whylen);
	if (!err)
		err = map_bar0(pci, &dev, why, whylen);
	if (err)
		e1000_pci_close(pci);
	return err;
}

int e1000_pci_command(const struct e1000_pci *pci, uint16_t set, uint16_t clear)
{
	return pci_command_update(&pci->fn, set, clear);
}

/* The first I/O BAR, or -ENODEV. */
static int io_bar(const struct e1000_pci *pci, struct pcidev *dev)
{
	int err = pci_fn_load(&pci->fn, dev);

	for (int i = 0; !err && i < PCI_NUM_BARS; i++)
		if (dev->region[i].size && pci_region_is_io(&dev->region[i]))
			return i;
	return -ENODEV;
}

/*
 * A write through the I/O window (SDM 13.2.2), if the NIC has one and
 * decodes it: with COMMAND.IO clear the write would be lost without an
 * error, so the caller must take the MMIO path instead.
 */
int e1000_pci_io_write(const struct e1000_pci *pci, uint32_t reg, uint32_t val)
{
	struct pci_fn *fn = (struct pci_fn *) &pci->fn;
	struct pci_bar io;
	struct pcidev dev;
	uint32_t cmd;
	int bar, err;

	if (pci_config_get(fn, PCI_COMMAND, 2, &cmd) || !(cmd & PCI_COMMAND_IO))
		return -ENODEV;
	bar = io_bar(pci, &dev);
	if (bar < 0)
		return bar;
	err = pci_bar_open(fn, &dev, bar, true, &io);
	if (!err)
		err = pci_bar_write(&io, E1000_IOADDR, 4, reg);
	if (!err)
		err = pci_bar_write(&io, E1000_IODATA, 4, val);
	pci_bar_close(&io);
	return err;
}

/* Restore COMMAND (bus mastering stays off: a rebound driver enables it in
 * its probe), unmap, unlock, and give the NIC back to its kernel driver. */
void e1000_pci_close(struct e1000_pci *pci)
{
	if (pci->command_saved)
		e1000_pci_command(pci, pci->command & ~PCI_COMMAND_MASTER,
				  0xffff);
	pci_bar_close(&pci->bar);
	pci->bar0 = NULL;
	pci->command_saved = false;
	if (pci->fn.vfio_claimed) {
		/* vfio-pci's unbind waits for the device fd: close it. */
		(void) pci_fn_reopen(&pci->fn, &pci_sysfs_methods, false);
		pci_vfio_release(&pci->fn);
	} else {
		pci_driver_restore(&pci->fn);
	}
	pci_fn_close(&pci->fn);
}

/* Async-signal-safe but for pci_vfio_release's driver link. */
void e1000_pci_rebind(struct e1000_pci *pci)
{
	if (!pci->fn.vfio_claimed) {
		pci_driver_restore(&pci->fn);
		return;
	}
	if (pci->bar.mem)
		munmap((void *) pci->bar.mem, pci->bar.size);
	if (pci->fn.config_fd >= 0)
		close(pci->fn.config_fd);
	pci_vfio_release(&pci->fn);
}
