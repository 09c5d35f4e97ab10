/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nicnode.h - the files of a NIC pcifs drives: tx, rx, mac, ... (nicnode.c).
 */
#ifndef PCIFS_NICNODE_H
#define PCIFS_NICNODE_H

#include "fs/nodeops.h"

extern const struct node_ops nic_file_ops; /* 0000:00:03.0/tx, rx, ... */

#endif /* PCIFS_NICNODE_H */
