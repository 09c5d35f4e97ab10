/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * config.h - the config file and regs/config/ files, through sysfs
 * (config.c).
 */
#ifndef PCIFS_CONFIG_H
#define PCIFS_CONFIG_H

#include <stdint.h>
#include <sys/types.h>

struct node;

int config_open(const struct node *node, int flags);
ssize_t config_read(int fd, char *buf, size_t size, off_t off);
ssize_t config_write(int fd, const char *buf, size_t size, off_t off);
int config_reg_get(int fd, const struct node *node, uint64_t *value);
int config_reg_set(int fd, const struct node *node, uint64_t value);

#endif /* PCIFS_CONFIG_H */
