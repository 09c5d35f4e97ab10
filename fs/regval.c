// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * regval.c - the text of register files: "0x0007\n" out, "7", "0x7\n" or
 * setpci's "value:mask" in.
 */
#include "fs/regval.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

size_t regval_format(char *buf, size_t size, uint64_t value, unsigned width)
{
	int n = snprintf(buf, size, "0x%0*" PRIx64 "\n", (int) width * 2,
			 value);

	return n < 0 ? 0 : (size_t) n;
}

/* One hex number at *@p, up to @end; advances *@p past it. */
static int regval_hex(const char **p, const char *end, uint64_t *value)
{
	const char *s = *p;
	unsigned digits = 0;
	uint64_t v = 0;

	if (end - s >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; s < end && isxdigit((unsigned char) *s); s++) {
		if (v >> 60)
			return -EINVAL; /* more than 64 bits */
		v = v << 4 | (isdigit((unsigned char) *s)
				      ? *s - '0'
				      : tolower((unsigned char) *s) - 'a' + 10);
		digits++;
	}
	if (!digits)
		return -EINVAL;
	*p = s;
	*value = v;
	return 0;
}

int regval_parse(const char *text, size_t len, unsigned width, uint64_t *value,
		 uint64_t *mask)
{
	const char *p = text, *end = text + len;

	if (len > REGVAL_TEXT_MAX)
		return -EINVAL;
	if (len && end[-1] == '\n')
		end--;
	*mask = regval_max(width);
	if (regval_hex(&p, end, value))
		return -EINVAL;
	if (p < end && *p == ':') {
		p++;
		if (regval_hex(&p, end, mask))
			return -EINVAL;
	}
	if (p != end || *value > regval_max(width) || *mask > regval_max(width))
		return -EINVAL;
	return 0;
}
