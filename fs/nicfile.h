/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nicfile.h - the files of a NIC pcifs drives: tx, rx, mac, ... (nicfile.c).
 */
#ifndef PCIFS_NICFILE_H
#define PCIFS_NICFILE_H

#include "fs/nodeops.h"

extern const struct node_ops nic_file_ops; /* 0000:00:03.0/tx, rx, ... */

#endif /* PCIFS_NICFILE_H */
