/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bdf.h - "0000:00:03.0" names and the devices= filter (bdf.c).
 */
#ifndef PCIFS_BDF_H
#define PCIFS_BDF_H

#include <stdbool.h>
#include <stddef.h>

#define BDF_LEN 13 /* "dddd:bb:dd.f" and its NUL */

/* Canonical "dddd:bb:dd.f" from @len bytes of "dddd:bb:dd.f" or "bb:dd.f". */
int bdf_normalize(const char *text, size_t len, char bdf[BDF_LEN]);
/* True if @name is already a canonical BDF. */
bool bdf_is_canonical(const char *name);
/* Parse devices=; -EINVAL on a malformed entry (logged). */
int bdf_filter_parse(const char *list);
/* True if devices= was not given or lists @bdf. */
bool bdf_allowed(const char *bdf);

#endif /* PCIFS_BDF_H */
