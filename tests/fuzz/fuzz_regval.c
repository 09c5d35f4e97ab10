// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_regval.c - fuzz what a register file takes (regval_parse).
 *
 * Input: a width letter as setpci writes it (b w l q; any other byte picks
 * one by its low bits), then the text written, in an exact-size buffer and
 * without a NUL, as FUSE hands a write over.  A value taken must fit the
 * width, and its own text must read back as the same value.
 */
#include "fs/regval.h"
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>

static unsigned width_of(uint8_t c)
{
	static const char letters[] = "bwlq";
	const char *w = c ? strchr(letters, c) : NULL;

	return 1u << (w ? w - letters : c & 3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t value, mask, again, again_mask;
	unsigned width;
	char *text;

	if (size < 1)
		return 0;
	width = width_of(data[0]);
	text = (char *) fuzz_exact(data + 1, size - 1);
	if (regval_parse(text, size - 1, width, &value, &mask) == 0) {
		char out[32];
		size_t len;

		FUZZ_CHECK(value <= regval_max(width));
		FUZZ_CHECK(mask <= regval_max(width));
		len = regval_format(out, sizeof(out), value, width);
		FUZZ_CHECK(len == regval_text_len(width));
		FUZZ_CHECK(regval_parse(out, len, width, &again, &again_mask) ==
			   0);
		FUZZ_CHECK(again == value && again_mask == regval_max(width));
	}
	free(text);
	return 0;
}
