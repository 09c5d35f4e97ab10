/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * info.h - the info file of a device directory (info.c).
 */
#ifndef PCIFS_INFO_H
#define PCIFS_INFO_H

#include <sys/types.h>

struct pcidev;

/* The text of the info file; returns its length or -errno. */
ssize_t info_format(const struct pcidev *dev, char *buf, size_t size);
#define INFO_MAX 8192

#endif /* PCIFS_INFO_H */
