// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * config.c - config space: widths, alignment and byte order in one place,
 * over whichever backend the function was opened with.
 *
 * Config space is little-endian (PCI 3.0, 6.1).  A register access is one
 * access of its width at an offset aligned to it, so that a device sees
 * exactly the cycle that was asked for.
 */
#include "pci/access.h"

#include <errno.h>
#include <string.h>

int pci_config_size(const struct pci_fn *fn, size_t *size)
{
	return fn->methods->config_size(fn, size);
}

ssize_t pci_config_read(const struct pci_fn *fn, void *buf, size_t len,
			off_t off)
{
	return fn->methods->config_read(fn, buf, len, off);
}

/* A fixture's config is a file that would grow: never write past its end. */
ssize_t pci_config_write(const struct pci_fn *fn, const void *buf, size_t len,
			 off_t off)
{
	size_t size;
	int err;

	err = pci_config_size(fn, &size);
	if (err)
		return err;
	if (off < 0 || (size_t) off >= size)
		return -ENOSPC;
	if (len > size - (size_t) off)
		len = size - (size_t) off;
	return fn->methods->config_write(fn, buf, len, off);
}

int pci_config_snapshot(const struct pci_fn *fn, uint8_t *cfg, size_t *len)
{
	ssize_t n = pci_config_read(fn, cfg, PCI_CFG_MAX, 0);

	if (n < 0)
		return (int) n;
	memset(cfg + n, 0, PCI_CFG_MAX - (size_t) n);
	*len = (size_t) n;
	return 0;
}

static bool reg_ok(unsigned off, unsigned width)
{
	return (width == 1 || width == 2 || width == 4) && off % width == 0 &&
	       off + width <= PCI_CFG_MAX;
}

int pci_config_get(const struct pci_fn *fn, unsigned off, unsigned width,
		   uint32_t *value)
{
	uint8_t b[4];
	ssize_t n;

	if (!reg_ok(off, width))
		return -EINVAL;
	n = fn->methods->config_read(fn, b, width, off);
	if (n < 0)
		return (int) n;
	if ((size_t) n != width)
		return -EIO;
	*value = 0;
	for (unsigned i = 0; i < width; i++)
		*value |= (uint32_t) b[i] << (8 * i);
	return 0;
}

int pci_config_set(const struct pci_fn *fn, unsigned off, unsigned width,
		   uint32_t value)
{
	uint8_t b[4];
	ssize_t n;

	if (!reg_ok(off, width))
		return -EINVAL;
	for (unsigned i = 0; i < width; i++)
		b[i] = (uint8_t) (value >> (8 * i));
	n = fn->methods->config_write(fn, b, width, off);
	if (n < 0)
		return (int) n;
	return (size_t) n == width ? 0 : -EIO;
}

int pci_command_update(const struct pci_fn *fn, uint16_t set, uint16_t clear)
{
	uint32_t cmd = 0;
	int err = pci_config_get(fn, PCI_COMMAND, 2, &cmd);

	if (err)
		return err;
	cmd = (cmd & ~(uint32_t) clear) | set;
	return pci_config_set(fn, PCI_COMMAND, 2, cmd);
}

/* The kernel's INTx handler (uio_pci_generic) may set Interrupt Disable
 * between our read and write: touch only the byte that holds it. */
int pci_intx_unmask(const struct pci_fn *fn)
{
	uint32_t hi = 0;
	int err = pci_config_get(fn, PCI_COMMAND + 1, 1, &hi);

	if (err)
		return err;
	hi &= ~(uint32_t) (PCI_COMMAND_DISABLE_INTx >> 8);
	return pci_config_set(fn, PCI_COMMAND + 1, 1, hi);
}
