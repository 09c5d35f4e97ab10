// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * config.c - config space of the served tree's functions, through pci/
 * (pci/config.c has the width, alignment and byte-order rules).
 */
#include "fs/config.h"
#include "fs/node.h"
#include "fs/pcifs.h"
#include "pci/access.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

int config_open(const struct node *node, int flags, struct pci_fn **fnp)
{
	bool write = (flags & O_ACCMODE) != O_RDONLY;
	struct pci_fn *fn = malloc(sizeof(*fn));
	int err;

	if (!fn)
		return -ENOMEM;
	err = pci_fn_open(fn, pcifs_opts.sysfs, node->dev.bdf, write);
	if (!err && fn->config_fd < 0)
		err = -ENOENT; /* no config file to read */
	if (err) {
		config_close(fn);
		return err == -ENODEV ? -ENOENT : err;
	}
	*fnp = fn;
	return 0;
}

void config_close(struct pci_fn *fn)
{
	if (!fn)
		return;
	pci_fn_close(fn);
	free(fn);
}

ssize_t config_read(struct pci_fn *fn, char *buf, size_t size, off_t off)
{
	return pci_config_read(fn, buf, size, off);
}

ssize_t config_write(struct pci_fn *fn, const char *buf, size_t size, off_t off)
{
	return pci_config_write(fn, buf, size, off);
}

int config_reg_get(struct pci_fn *fn, const struct node *node, uint64_t *value)
{
	uint32_t v;
	int err = pci_config_get(fn, (unsigned) node->offset, node->width, &v);

	*value = err ? 0 : v;
	return err;
}

int config_reg_set(struct pci_fn *fn, const struct node *node, uint64_t value)
{
	return pci_config_set(fn, (unsigned) node->offset, node->width,
			      (uint32_t) value);
}
