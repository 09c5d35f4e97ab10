/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * regfile.h - the register files of regs/config/ and regs/bar<N>/
 * (regfile.c).
 */
#ifndef PCIFS_REGFILE_H
#define PCIFS_REGFILE_H

#include "fs/nodeops.h"

extern const struct node_ops reg_config_ops; /* regs/config/COMMAND */
extern const struct node_ops reg_bar_ops;    /* regs/bar0/0x8.l */

#endif /* PCIFS_REGFILE_H */
