/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.h - config space for the config file and regs/config/ files,
 * through pci/ (config.c).
 */
#ifndef PCIFS_CONFIG_H
#define PCIFS_CONFIG_H

#include <stdint.h>
#include <sys/types.h>

struct node;
struct pci_fn;

/* Open @node's function for config access (read-write if @flags ask to
 * write); *@fn is freed by config_close. */
int config_open(const struct node *node, int flags, struct pci_fn **fn);
void config_close(struct pci_fn *fn);
ssize_t config_read(struct pci_fn *fn, char *buf, size_t size, off_t off);
ssize_t config_write(struct pci_fn *fn, const char *buf, size_t size,
		     off_t off);
/* The register @node names: one access of its width. */
int config_reg_get(struct pci_fn *fn, const struct node *node, uint64_t *value);
int config_reg_set(struct pci_fn *fn, const struct node *node, uint64_t value);

#endif /* PCIFS_CONFIG_H */
