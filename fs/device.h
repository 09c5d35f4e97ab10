/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * device.h - a device directory and its regs/ directories (device.c).
 */
#ifndef PCIFS_DEVICE_H
#define PCIFS_DEVICE_H

#include "fs/nodeops.h"

extern const struct node_ops device_ops;      /* 0000:00:03.0/ */
extern const struct node_ops regs_ops;	      /* 0000:00:03.0/regs/ */
extern const struct node_ops regs_config_ops; /* regs/config/ */
extern const struct node_ops regs_bar_ops;    /* regs/bar0/ */

#endif /* PCIFS_DEVICE_H */
