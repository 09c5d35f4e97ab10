// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_regname.c - fuzz the regs/ file names (regname_config,
 * regname_config_foreach, regname_offset).
 *
 * Input: a file name, a NUL, then config bytes in a buffer of exactly their
 * size.  A register named must have a plain name (no white space, no sign),
 * be aligned and lie within those bytes; every name the directory lists
 * must resolve; a regs/bar<N>/ offset must be hex and aligned to its width.
 */
#include "fs/regnames.h"
#include "tests/fuzz/fuzz.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct config {
	const uint8_t *cfg;
	size_t cfg_len;
};

/* Letters, digits and '_', '.' and '+', where each '+' starts an offset:
 * no white space, no sign. */
static bool plain_name(const char *name)
{
	for (const char *p = name; *p; p++)
		if (*p == '+' ? p == name || !isxdigit((unsigned char) p[1])
			      : !isalnum((unsigned char) *p) && *p != '_' &&
					*p != '.')
			return false;
	return true;
}

static void check_register(const char *name, const struct config *c)
{
	uint32_t off;
	unsigned width;

	if (regname_config(name, c->cfg, c->cfg_len, &off, &width))
		return;
	FUZZ_CHECK(plain_name(name));
	FUZZ_CHECK(width == 1 || width == 2 || width == 4);
	FUZZ_CHECK(off % width == 0);
	FUZZ_CHECK(off + width <= c->cfg_len);
}

static void check_listed(const char *name, void *ctx)
{
	const struct config *c = ctx;
	uint32_t off;
	unsigned width;

	FUZZ_CHECK(regname_config(name, c->cfg, c->cfg_len, &off, &width) == 0);
	check_register(name, c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	uint64_t off;
	unsigned width;
	uint8_t *cfg;
	char *name;

	fuzz_split(data, size, &name, &cfg, &c.cfg_len);
	c.cfg = cfg;
	check_register(name, &c);
	regname_config_foreach(cfg, c.cfg_len, check_listed, &c);
	if (regname_offset(name, &off, &width) == 0) {
		FUZZ_CHECK(width == 1 || width == 2 || width == 4 ||
			   width == 8);
		FUZZ_CHECK(off % width == 0);
		FUZZ_CHECK(strspn(name, "0123456789abcdefABCDEFxX.wlqWLQ") ==
			   strlen(name));
	}
	free(name);
	free(cfg);
	return 0;
}
