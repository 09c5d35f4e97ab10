/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * info.h - the info file of a device directory (info.c).
 */
#ifndef PCIFS_INFO_H
#define PCIFS_INFO_H

#include "fs/nodeops.h"

extern const struct node_ops info_ops; /* 0000:00:03.0/info */

#endif /* PCIFS_INFO_H */
