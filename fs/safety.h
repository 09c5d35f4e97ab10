/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * safety.h - who may touch what (safety.c).
 */
#ifndef PCIFS_SAFETY_H
#define PCIFS_SAFETY_H

struct node;

/* May this open go ahead?  0, -EBUSY or -EROFS, logged. */
int safety_check_open(const struct node *node, int flags);

#endif /* PCIFS_SAFETY_H */
