/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * safety.h - who may touch what (safety.c).
 */
#ifndef PCIFS_SAFETY_H
#define PCIFS_SAFETY_H

#include <stdbool.h>

struct node;

/* May this open go ahead?  0, -EBUSY or -EROFS, logged. */
int safety_check_open(const struct node *node, int flags);

/* May this read or write of an open file go ahead?  The bound driver is
 * read again into @node first: one may have bound since the open.  0 or
 * -EBUSY, logged. */
int safety_check_access(struct node *node, bool write);

#endif /* PCIFS_SAFETY_H */
