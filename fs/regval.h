/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * regval.h - the text of a register file: "0x0007\n" out, "VALUE[:MASK]"
 * in (regval.c).
 */
#ifndef PCIFS_REGVAL_H
#define PCIFS_REGVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length of a register file's text: "0x" + 2 digits per byte + "\n". */
static inline size_t regval_text_len(unsigned width)
{
	return 2 + 2 * width + 1;
}

/* All ones in @width bytes. */
static inline uint64_t regval_max(unsigned width)
{
	return width >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * width)) - 1;
}

/* "0x%0*x\n"; returns the length. */
size_t regval_format(char *buf, size_t size, uint64_t value, unsigned width);

/* The longest text a register write may be: "0x" and 16 digits, twice,
 * a colon and a newline, with room for leading zeros.  A longer write is
 * no value; refusing it whole keeps a write that FUSE cuts into requests
 * from being applied piece by piece. */
#define REGVAL_TEXT_MAX 64

/*
 * Parse what was written to a register file: "VALUE[:MASK][\n]", both hex
 * with or without 0x.  Without a mask, @mask is all ones of the width.
 * -EINVAL for anything else, a value or mask wider than @width bytes, or a
 * text longer than REGVAL_TEXT_MAX.
 */
int regval_parse(const char *text, size_t len, unsigned width, uint64_t *value,
		 uint64_t *mask);

static inline uint64_t regval_merge(uint64_t old, uint64_t value, uint64_t mask)
{
	return (old & ~mask) | (value & mask);
}

#endif /* PCIFS_REGVAL_H */
