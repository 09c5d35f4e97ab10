/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ops.h - the FUSE operations of pcifs.
 */
#ifndef PCIFS_OPS_H
#define PCIFS_OPS_H

#include "fs/fuse3.h"

extern const struct fuse_operations pcifs_ops;

#endif /* PCIFS_OPS_H */
