// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bar.c - windows on Base Address Registers (PCI 3.0, 6.2.5.1).
 *
 * An access is exactly one load or store of its width, aligned to it, so a
 * device sees the cycle that was asked for: 1, 2, 4 or 8 bytes on a memory
 * BAR, 1, 2 or 4 on an I/O BAR (there is no 8-byte port access).
 *
 * A mapped BAR can vanish under its window: the kernel revokes the mappings
 * of a removed device's resource files (kernfs), and a fixture's resource
 * file can be shorter than the BAR, or be truncated after the map.  A load
 * or store then raises SIGBUS.  So every MMIO access runs with a recovery
 * point: the process's SIGBUS handler calls pci_bar_fault(), which jumps
 * back to it, and the access fails with -EIO instead of killing the daemon.
 */
#include "pci/access.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int pci_bar_open(struct pci_fn *fn, const struct pcidev *dev, int index,
		 bool write, struct pci_bar *bar)
{
	const struct pci_region *r;

	memset(bar, 0, sizeof(*bar));
	bar->fd = -1;
	if (index < 0 || index >= PCI_NUM_BARS)
		return -EINVAL;
	r = &dev->region[index];
	if (!r->size)
		return -ENODEV;
	bar->methods = fn->methods;
	return fn->methods->bar_open(fn, index, r->size, pci_region_is_io(r),
				     write, bar);
}

void pci_bar_release(struct pci_bar *bar)
{
	if (bar->mem)
		munmap((void *) bar->mem, bar->size);
	if (bar->fd >= 0)
		close(bar->fd);
	bar->mem = NULL;
	bar->fd = -1;
}

void pci_bar_close(struct pci_bar *bar)
{
	if (bar->methods)
		bar->methods->bar_close(bar);
	bar->methods = NULL;
}

bool pci_bar_current(const struct pci_fn *fn, const struct pci_bar *bar)
{
	return !bar->methods || !bar->methods->bar_current ||
	       bar->methods->bar_current(fn, bar);
}

static uint64_t mmio_load(const volatile uint8_t *p, unsigned width)
{
	switch (width) {
	case 1:
		return *p;
	case 2:
		return *(const volatile uint16_t *) p;
	case 4:
		return *(const volatile uint32_t *) p;
	default:
		return *(const volatile uint64_t *) p;
	}
}

static void mmio_store(volatile uint8_t *p, unsigned width, uint64_t value)
{
	switch (width) {
	case 1:
		*p = (uint8_t) value;
		break;
	case 2:
		*(volatile uint16_t *) p = (uint16_t) value;
		break;
	case 4:
		*(volatile uint32_t *) p = (uint32_t) value;
		break;
	default:
		*(volatile uint64_t *) p = value;
		break;
	}
}

/* The recovery point of the MMIO access this thread is making, if any. */
static __thread sigjmp_buf *bar_recover;

void pci_bar_fault(int sig)
{
	sigjmp_buf *to = bar_recover;

	if (sig == SIGBUS && to) {
		bar_recover = NULL;
		siglongjmp(*to, 1);
	}
}

/* One MMIO load or store, -EIO if the mapping is gone (see above).  The
 * signal mask is saved with the recovery point, so that SIGBUS, blocked
 * inside its handler, is unblocked again after the jump. */
static int mmio_access(const struct pci_bar *bar, uint64_t off, unsigned width,
		       uint64_t *value, bool write)
{
	sigjmp_buf jmp;

	if (sigsetjmp(jmp, 1))
		return -EIO;
	bar_recover = &jmp;
	if (write)
		mmio_store(bar->mem + off, width, *value);
	else
		*value = mmio_load(bar->mem + off, width);
	bar_recover = NULL;
	return 0;
}

/* Written so that an offset near 2^64 cannot wrap around and pass. */
static int bar_check(const struct pci_bar *bar, uint64_t off, unsigned width)
{
	if (width != 1 && width != 2 && width != 4 && width != 8)
		return -EINVAL;
	if ((width == 8 && bar->io) || off % width)
		return -EINVAL;
	if (off >= bar->size || width > bar->size - off)
		return -ENXIO;
	return 0;
}

/* I/O ports: one access of the width, little-endian into @value. */
static int io_access(const struct pci_bar *bar, uint64_t off, unsigned width,
		     uint64_t *value, bool write)
{
	uint8_t b[4];
	ssize_t n;

	for (unsigned i = 0; write && i < width; i++)
		b[i] = (uint8_t) (*value >> (8 * i));
	n = bar->methods->bar_io(bar, b, width, (off_t) off, write);
	if (n < 0)
		return (int) n;
	if ((size_t) n != width)
		return -EIO;
	for (unsigned i = 0; !write && i < width; i++)
		*value |= (uint64_t) b[i] << (8 * i);
	return 0;
}

int pci_bar_read(const struct pci_bar *bar, uint64_t off, unsigned width,
		 uint64_t *value)
{
	int err = bar_check(bar, off, width);

	*value = 0;
	if (err)
		return err;
	if (bar->io)
		return io_access(bar, off, width, value, false);
	return mmio_access(bar, off, width, value, false);
}

int pci_bar_write(const struct pci_bar *bar, uint64_t off, unsigned width,
		  uint64_t value)
{
	int err = bar_check(bar, off, width);

	if (err)
		return err;
	if (bar->io)
		return io_access(bar, off, width, &value, true);
	return mmio_access(bar, off, width, &value, true);
}
