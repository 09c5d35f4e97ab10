// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcilib.c - libpci, for the list of devices and their names in pci.ids.
 *
 * libpci is not thread-safe and its error hook must not return, so every
 * call runs under one mutex with a setjmp() that the hook jumps back to: a
 * device that vanishes in the middle of a scan costs one failed scan (the
 * next readdir sees the tree as it is then), never the daemon.
 */
#include "fs/pcilib.h"
#include "fs/bdf.h"
#include "fs/log.h"
#include "fs/pcifs.h"
#include "fs/sysfs.h"

#include <ctype.h>
#include <errno.h>
#include <pci/pci.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct pci_access *pacc;
static pthread_mutex_t pcilib_lock = PTHREAD_MUTEX_INITIALIZER;
static jmp_buf pcilib_jmp;
static char pcilib_error_msg[256];
static int pcilib_name_flags;

static void PCI_NONRET pcilib_error(char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pcilib_error_msg, sizeof(pcilib_error_msg), fmt, ap);
	va_end(ap);
	longjmp(pcilib_jmp, 1);
}

static void pcilib_warning(char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pcifs_log(LOG_DEBUG, "libpci: %s", msg);
}

static void pcilib_debug(char *fmt, ...)
{
	(void) fmt;
}

/*
 * libpci asks udev's hwdb before pci.ids, as lspci does.  Without a
 * hwdb.bin that lookup fails and leaks a struct udev every time, so skip it
 * then: the names come from pci.ids either way.
 */
static bool pcilib_hwdb_present(void)
{
	return access("/etc/udev/hwdb.bin", R_OK) == 0 ||
	       access("/usr/lib/udev/hwdb.bin", R_OK) == 0 ||
	       access("/lib/udev/hwdb.bin", R_OK) == 0;
}

int pcilib_init(const char *sysfs)
{
	pcilib_name_flags = PCI_LOOKUP_NO_NUMBERS |
			    (pcilib_hwdb_present() ? 0 : PCI_LOOKUP_NO_HWDB);
	pacc = pci_alloc();
	if (!pacc)
		return -ENOMEM;
	pacc->error = pcilib_error;
	pacc->warning = pcilib_warning;
	pacc->debug = pcilib_debug;
	pacc->method = PCI_ACCESS_SYS_BUS_PCI;
	if (setjmp(pcilib_jmp)) {
		pcifs_log(LOG_ERR, "libpci: %s", pcilib_error_msg);
		return -EIO;
	}
	/* libpci's sysfs backend reads sysfs.path/devices, as we do. */
	pci_set_param(pacc, "sysfs.path", (char *) sysfs);
	pci_init(pacc);
	return 0;
}

void pcilib_cleanup(void)
{
	if (pacc)
		pci_cleanup(pacc);
	pacc = NULL;
}

static void pcilib_free_devices(void)
{
	struct pci_dev *d, *next;

	for (d = pacc->devices; d; d = next) {
		next = d->next;
		pci_free_dev(d);
	}
	pacc->devices = NULL;
}

static int pcilib_compare(const void *a, const void *b)
{
	const struct pci_ident *x = a, *y = b;

	return strcmp(x->bdf, y->bdf);
}

/* The list pcilib_collect is filling: the error hook may longjmp out of
 * pci_fill_info(), and pcilib_scan frees it then.  Under the lock. */
static struct pci_ident *pcilib_filling;

/* Copy the scanned devices that devices= lets through.  Under the lock. */
static int pcilib_collect(struct pci_ident **list, size_t *count)
{
	struct pci_ident *out;
	struct pci_dev *d;
	size_t n = 0;

	for (d = pacc->devices; d; d = d->next)
		n++;
	out = calloc(n ? n : 1, sizeof(*out));
	if (!out)
		return -ENOMEM;
	pcilib_filling = out;
	n = 0;
	for (d = pacc->devices; d; d = d->next) {
		snprintf(out[n].bdf, BDF_LEN, "%04x:%02x:%02x.%x",
			 d->domain & 0xffffu, d->bus, d->dev & 0x1fu,
			 d->func & 0x7u);
		if (!bdf_allowed(out[n].bdf))
			continue;
		pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_CLASS);
		out[n].vendor = d->vendor_id;
		out[n].device = d->device_id;
		out[n].class = d->device_class;
		n++;
	}
	qsort(out, n, sizeof(*out), pcilib_compare);
	pcilib_filling = NULL;
	*list = out;
	*count = n;
	return 0;
}

int pcilib_scan(struct pci_ident **list, size_t *count)
{
	int err;

	pthread_mutex_lock(&pcilib_lock);
	if (setjmp(pcilib_jmp)) {
		pcifs_log(LOG_WARNING, "scanning %s/devices: %s",
			  pcifs_opts.sysfs, pcilib_error_msg);
		free(pcilib_filling);
		pcilib_filling = NULL;
		err = -EIO;
	} else {
		pci_scan_bus(pacc);
		err = pcilib_collect(list, count);
	}
	pcilib_free_devices();
	pthread_mutex_unlock(&pcilib_lock);
	return err;
}

/*
 * pci_lookup_name() with PCI_LOOKUP_NO_NUMBERS returns NULL for an unknown
 * id; we print the numbers ourselves, so unknown is just "".
 */
#define PCILIB_NAME(buf, size, flags, ...)                                     \
	do {                                                                   \
		pthread_mutex_lock(&pcilib_lock);                              \
		(buf)[0] = '\0';                                               \
		if (setjmp(pcilib_jmp) ||                                      \
		    !pci_lookup_name(pacc, buf, size,                          \
				     (flags) | pcilib_name_flags,              \
				     __VA_ARGS__))                             \
			(buf)[0] = '\0';                                       \
		pthread_mutex_unlock(&pcilib_lock);                            \
	} while (0)

void pcilib_vendor_name(char *buf, size_t size, uint16_t vendor)
{
	PCILIB_NAME(buf, size, PCI_LOOKUP_VENDOR, vendor);
}

void pcilib_device_name(char *buf, size_t size, uint16_t vendor,
			uint16_t device)
{
	PCILIB_NAME(buf, size, PCI_LOOKUP_DEVICE, vendor, device);
}

void pcilib_subsystem_name(char *buf, size_t size, const struct pcidev *dev)
{
	PCILIB_NAME(buf, size, PCI_LOOKUP_SUBSYSTEM | PCI_LOOKUP_DEVICE,
		    dev->vendor, dev->device, dev->subvendor, dev->subdevice);
}

void pcilib_class_name(char *buf, size_t size, uint16_t class)
{
	PCILIB_NAME(buf, size, PCI_LOOKUP_CLASS, class);
}

/*
 * A file name from a class name: runs of anything but letters, digits, '-'
 * and '.' become one '_', so "Unassigned class [ffff]" is
 * "Unassigned_class_ffff".
 */
void pcilib_class_dirname(char *buf, size_t size, uint16_t class)
{
	char name[128], *out = buf;
	const char *in;

	pcilib_class_name(name, sizeof(name), class);
	if (name[0] == '\0') {
		snprintf(buf, size, "class_%04x", class);
		return;
	}
	for (in = name; *in && out + 1 < buf + size; in++) {
		if (isalnum((unsigned char) *in) || *in == '-' || *in == '.')
			*out++ = *in;
		else if (out > buf && out[-1] != '_')
			*out++ = '_';
	}
	while (out > buf && out[-1] == '_')
		out--;
	*out = '\0';
}

void pcilib_group_name(char *buf, size_t size, uint16_t vendor, uint16_t device,
		       uint16_t class, bool by_class)
{
	if (by_class)
		pcilib_class_dirname(buf, size, class);
	else
		snprintf(buf, size, "%04x:%04x", vendor, device);
}

int pcilib_group_foreach(const char *group, bool by_class,
			 void (*fn)(const char *bdf, void *ctx), void *ctx)
{
	struct pci_ident *list;
	char name[64];
	size_t i, count;
	int err, n = 0;

	err = pcilib_scan(&list, &count);
	if (err)
		return err;
	for (i = 0; i < count; i++) {
		pcilib_group_name(name, sizeof(name), list[i].vendor,
				  list[i].device, list[i].class, by_class);
		if (strcmp(name, group) != 0)
			continue;
		if (fn)
			fn(list[i].bdf, ctx);
		n++;
	}
	free(list);
	return n;
}
