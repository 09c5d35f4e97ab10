/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ops.h - the FUSE operations of pcifs.
 */
#ifndef PCIFS_OPS_H
#define PCIFS_OPS_H

#include "fs/nic.h" /* FUSE_USE_VERSION and <fuse.h> */

extern const struct fuse_operations pcifs_ops;

#endif /* PCIFS_OPS_H */
