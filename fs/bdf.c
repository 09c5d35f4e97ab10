// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bdf.c - PCI function addresses ("domain:bus:device.function") and the
 * devices= mount option.
 */
#include "fs/bdf.h"
#include "fs/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define BDF_FILTER_MAX 256

static char bdf_filter[BDF_FILTER_MAX][BDF_LEN];
static size_t bdf_filter_count;
static bool bdf_filter_on;

static bool bdf_in_range(unsigned dom, unsigned bus, unsigned dev, unsigned fn)
{
	return dom <= 0xffff && bus <= 0xff && dev <= 0x1f && fn <= 7;
}

int bdf_normalize(const char *text, size_t len, char bdf[BDF_LEN])
{
	unsigned dom = 0, bus, dev, fn;
	char copy[32];
	int end = -1;

	if (len == 0 || len >= sizeof(copy))
		return -EINVAL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	/* sscanf's %x alone would also take spaces, signs and 0x. */
	if (strspn(copy, "0123456789abcdefABCDEF:.") != len)
		return -EINVAL;

	if (sscanf(copy, "%4x:%2x:%2x.%1x%n", &dom, &bus, &dev, &fn, &end) <
		    4 ||
	    end != (int) len) {
		dom = 0;
		end = -1;
		if (sscanf(copy, "%2x:%2x.%1x%n", &bus, &dev, &fn, &end) < 3 ||
		    end != (int) len)
			return -EINVAL;
	}
	if (!bdf_in_range(dom, bus, dev, fn))
		return -EINVAL;
	snprintf(bdf, BDF_LEN, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return 0;
}

bool bdf_is_canonical(const char *name)
{
	char bdf[BDF_LEN];

	return bdf_normalize(name, strlen(name), bdf) == 0 &&
	       strcmp(bdf, name) == 0;
}

static int bdf_filter_add(const char *text, size_t len)
{
	if (bdf_filter_count == BDF_FILTER_MAX) {
		pcifs_log(LOG_ERR, "devices=: more than %d devices",
			  BDF_FILTER_MAX);
		return -EINVAL;
	}
	if (bdf_normalize(text, len, bdf_filter[bdf_filter_count]) < 0) {
		pcifs_log(
			LOG_ERR,
			"devices=: bad address '%.*s' (want 0000:00:03.0 or 00:03.0)",
			(int) len, text);
		return -EINVAL;
	}
	bdf_filter_count++;
	return 0;
}

/*
 * The list is colon-separated, and so is each address, so an address ends at
 * the first ':' after its ".function".
 */
int bdf_filter_parse(const char *list)
{
	const char *start = list, *end;

	bdf_filter_on = true;
	for (;;) {
		end = start + strcspn(start, ".");
		end += strcspn(end, ":");
		if (bdf_filter_add(start, end - start))
			return -EINVAL;
		if (*end == '\0')
			return 0;
		start = end + 1;
	}
}

bool bdf_allowed(const char *bdf)
{
	size_t i;

	if (!bdf_filter_on)
		return true;
	for (i = 0; i < bdf_filter_count; i++)
		if (strcmp(bdf_filter[i], bdf) == 0)
			return true;
	return false;
}
