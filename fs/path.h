/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * path.h - from a path in the mounted tree to the node it names (path.c).
 */
#ifndef PCIFS_PATH_H
#define PCIFS_PATH_H

struct node;

/* Resolve @path; -ENOENT if it names nothing. */
int path_resolve(const char *path, struct node *node);

/* Fill all of node->dev from sysfs, if resolving did not need it; 0 or
 * -ENOENT if the device has gone since. */
int path_load(struct node *node);

#endif /* PCIFS_PATH_H */
