/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ethaddr.h - Ethernet station addresses as text: "52:54:00:12:34:56".
 */
#ifndef PCIFS_ETHADDR_H
#define PCIFS_ETHADDR_H

#include <stddef.h>
#include <stdint.h>

#define ETHADDR_LEN	 6
#define ETHADDR_TEXT_LEN 17 /* "xx:xx:xx:xx:xx:xx" */

/* Parse exactly "xx:xx:xx:xx:xx:xx" (hex digits, either case) into @mac.
 * -EINVAL for anything else, for a multicast address (I/G bit set),
 * which cannot be a station's (IEEE 802-2014, 8.2), and for all zeros,
 * which is no address. */
int ethaddr_parse(const char *text, uint8_t mac[ETHADDR_LEN]);

/* "xx:xx:xx:xx:xx:xx\n"; returns the length as snprintf does. */
int ethaddr_format(char *buf, size_t size, const uint8_t mac[ETHADDR_LEN]);

#endif /* PCIFS_ETHADDR_H */
