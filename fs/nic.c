// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nic.c - the registry of NICs pcifs drives with its own drivers: which
 * devices it engages at mount (the mount policy), which it drives, what
 * `info` says about them, and their BAR0 register names.
 *
 * It reaches the drivers only through e1000/nicdev.h and never names a
 * family.  The files of a driven NIC are fs/nicfile.c's.
 */
#include "fs/nic.h"
#include "e1000/nicdev.h"
#include "fs/bdf.h"
#include "fs/log.h"
#include "fs/nicfile.h"
#include "fs/pcifs.h"
#include "fs/pcilib.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NIC_MAX 32

/* What nic_info() reports for a supported device, driven or not. */
struct nic_state {
	char bdf[BDF_LEN];
	const struct nic_model *model;
	struct nic *nic; /* NULL when not driven */
	char why[256];	 /* why not driven */
};

/* Filled by nic_mount() in the FUSE init handler, emptied by
 * nic_unmount() in destroy; read by every request in between. */
static struct nic_state nic_states[NIC_MAX];
static unsigned nic_count;
/* The process that drives them (see nic_quiesce_all). */
static pid_t nic_owner;

/* ---- mount and unmount ---- */

static struct nic *nic_new(const char *bdf, struct nic_dev *dev,
			   const char *netdev_dir)
{
	struct nic *nic = calloc(1, sizeof(*nic));

	if (!nic)
		return NULL;
	snprintf(nic->bdf, sizeof(nic->bdf), "%s", bdf);
	nic->dev = dev;
	/* Without the notifier, a poll() on rx or tx would never wake. */
	if (notifier_start(&nic->notifier, dev) < 0) {
		free(nic);
		return NULL;
	}
	capture_set_init(&nic->captures);
	if (netdev_dir)
		nic->netdev = netdev_start(netdev_dir, bdf, dev);
	return nic;
}

/* The VM's threads first: they use the device until they stop. */
static void nic_free(struct nic *nic)
{
	netdev_stop(nic->netdev);
	notifier_stop(&nic->notifier);
	nic_dev_close(nic->dev);
	capture_set_destroy(&nic->captures);
	free(nic);
}

int nic_irq_parse(const char *kind, unsigned *kinds)
{
	static const struct {
		const char *name;
		unsigned kinds;
	} names[] = {{"msix", NIC_IRQ_MSIX},
		     {"msi", NIC_IRQ_MSI},
		     {"intx", NIC_IRQ_INTX},
		     {"poll", NIC_IRQ_POLL}};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(kind, names[i].name) == 0) {
			*kinds = names[i].kinds;
			return 0;
		}
	pcifs_log(LOG_ERR, "irq=%s: want msix, msi, intx or poll", kind);
	return -1;
}

static void nic_engage(const struct nic_mount_args *args, struct nic_state *st)
{
	struct nic_open_args oa = {.root = args->sysfs,
				   .bdf = st->bdf,
				   .unbind = args->unbind,
				   .vfio = args->vfio,
				   .irq = args->irq};
	const char *family = st->model->ops->family;
	struct nic_dev *dev = NULL;

	if (!nic_dev_open(st->model, &oa, &dev, st->why, sizeof(st->why))) {
		st->nic = nic_new(st->bdf, dev, args->netdev);
		if (!st->nic) {
			nic_dev_close(dev);
			snprintf(st->why, sizeof(st->why),
				 "cannot start its poll thread");
		}
	}
	if (!st->nic) {
		pcifs_log(LOG_ERR, "%s: %s driver not started: %s", st->bdf,
			  family, st->why);
		return;
	}
	pcifs_log(LOG_INFO, "%s: %s %s driven by pcifs", st->bdf, family,
		  st->model->name);
}

static void nic_consider(const struct nic_mount_args *args,
			 const struct pci_ident *ident)
{
	const struct nic_model *model;
	struct nic_state *st;

	model = nic_model_find(ident->vendor, ident->device);
	if (!model || nic_count == NIC_MAX)
		return;
	st = &nic_states[nic_count++];
	memcpy(st->bdf, ident->bdf, sizeof(st->bdf));
	st->model = model;
	if (args->nodriver)
		snprintf(st->why, sizeof(st->why), "disabled by -o nodriver");
	else
		nic_engage(args, st);
}

/* The devices pcifs shows (libpci's scan, filtered by devices=). */
void nic_mount(const struct nic_mount_args *args)
{
	struct pci_ident *list;
	size_t count;

	nic_owner = getpid();
	if (pcilib_scan(&list, &count))
		return;
	for (size_t i = 0; i < count; i++)
		nic_consider(args, &list[i]);
	free(list);
}

void nic_unmount(void)
{
	for (unsigned i = 0; i < nic_count; i++) {
		struct nic *nic = nic_states[i].nic;

		nic_states[i].nic = NULL;
		if (nic)
			nic_free(nic);
	}
	nic_count = 0;
}

/*
 * Only register writes: stop DMA before the process dies.  A driver's
 * guardian (a forked child) inherits the fatal-signal handler of main.c;
 * its own crash must not stop the NICs of a daemon that lives on.
 */
void nic_quiesce_all(void)
{
	if (getpid() != nic_owner)
		return;
	for (unsigned i = 0; i < nic_count; i++)
		if (nic_states[i].nic)
			nic_dev_quiesce(nic_states[i].nic->dev);
}

/* ---- lookups ---- */

static struct nic_state *nic_state_find(const char *bdf)
{
	for (unsigned i = 0; i < nic_count; i++)
		if (strcmp(nic_states[i].bdf, bdf) == 0)
			return &nic_states[i];
	return NULL;
}

struct nic *nic_find(const char *bdf)
{
	struct nic_state *st = nic_state_find(bdf);

	return st ? st->nic : NULL;
}

struct pci_fn *nic_pci_fn(const char *bdf)
{
	struct nic *nic = nic_find(bdf);

	return nic ? nic_dev_pci_fn(nic->dev) : NULL;
}

size_t nic_info(uint16_t vendor, uint16_t device, const char *bdf, char *buf,
		size_t size)
{
	const struct nic_model *model = nic_model_find(vendor, device);
	const struct nic_state *st = nic_state_find(bdf);
	int n;

	if (!model || size == 0)
		return 0;
	if (st && st->nic) {
		char wait[192];

		nic_dev_wait_mode(st->nic->dev, wait, sizeof(wait));
		n = snprintf(buf, size,
			     "pcifs_driver: %s %s, driving\n"
			     "pcifs_wait: %s\n"
			     "dma: %s\n",
			     model->ops->family, model->name, wait,
			     nic_dev_dma_mode(st->nic->dev));
		if (n > 0 && (size_t) n < size)
			n += (int) netdev_info(st->nic->netdev, buf + n,
					       size - (size_t) n);
	} else
		n = snprintf(buf, size, "pcifs_driver: %s %s, idle: %s\n",
			     model->ops->family, model->name,
			     st ? st->why : "not present at mount");
	return n < 0 ? 0 : ((size_t) n < size ? (size_t) n : size - 1);
}

/* ---- register names ---- */

int nic_reg_lookup(uint16_t vendor, uint16_t device, const char *name,
		   uint32_t *offset, bool *readable_while_driven)
{
	const struct nic_model *model = nic_model_find(vendor, device);
	const struct nic_reg *reg;

	if (!model)
		return -ENOENT;
	reg = nic_reg_find(model->ops->regs, name);
	if (!reg)
		return -ENOENT;
	*offset = reg->offset;
	if (readable_while_driven)
		*readable_while_driven = nic_reg_side_effect_free(reg);
	return 0;
}

void nic_reg_foreach(uint16_t vendor, uint16_t device,
		     void (*fn)(const char *name, void *ctx), void *ctx)
{
	const struct nic_model *model = nic_model_find(vendor, device);

	if (!model)
		return;
	for (const struct nic_reg *reg = model->ops->regs; reg->name; reg++)
		fn(reg->name, ctx);
}
