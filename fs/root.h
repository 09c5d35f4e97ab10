/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * root.h - the root, by-id/, by-class/, their groups and links (root.c).
 */
#ifndef PCIFS_ROOT_H
#define PCIFS_ROOT_H

#include "fs/nodeops.h"

extern const struct node_ops root_ops;	 /* / */
extern const struct node_ops groups_ops; /* by-id/ and by-class/ */
extern const struct node_ops group_ops;	 /* by-id/8086:100e/ */
extern const struct node_ops link_ops;	 /* by-id/8086:100e/0000:00:03.0 */

#endif /* PCIFS_ROOT_H */
