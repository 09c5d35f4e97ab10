// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ethaddr.c - Ethernet station addresses as text (see ethaddr.h).
 */
#include "fs/ethaddr.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int ethaddr_parse(const char *text, uint8_t mac[ETHADDR_LEN])
{
	unsigned v[ETHADDR_LEN];
	int end = 0;

	/* sscanf's %x alone would also take signs, spaces and 0x. */
	if (strspn(text, "0123456789abcdefABCDEF:") != ETHADDR_TEXT_LEN)
		return -EINVAL;
	if (sscanf(text, "%2x:%2x:%2x:%2x:%2x:%2x%n", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &end) != ETHADDR_LEN ||
	    text[end] != '\0' || end != ETHADDR_TEXT_LEN)
		return -EINVAL;
	for (int i = 0; i < ETHADDR_LEN; i++)
		mac[i] = (uint8_t) v[i];
	/* A station's: not a group address (the I/G bit, IEEE 802-2014
	 * 8.2), not all zeros (as Linux's is_valid_ether_addr()). */
	if ((mac[0] & 1) || !(v[0] | v[1] | v[2] | v[3] | v[4] | v[5]))
		return -EINVAL;
	return 0;
}

int ethaddr_format(char *buf, size_t size, const uint8_t mac[ETHADDR_LEN])
{
	return snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x\n", mac[0],
			mac[1], mac[2], mac[3], mac[4], mac[5]);
}
