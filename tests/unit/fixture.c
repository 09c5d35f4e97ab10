// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fixture.c - load the config dumps of tests/fixtures for the unit tests.
 */
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint8_t *fixture_config(const char *set, const char *bdf, size_t *len)
{
	const char *dir = getenv("PCIFS_FIXTURES");
	uint8_t *cfg = NULL;
	char path[512];
	long size = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/devices/%s/config",
		 dir ? dir : "build-unit/fixtures", set, bdf);
	f = fopen(path, "rb");
	if (f && fseek(f, 0, SEEK_END) == 0)
		size = ftell(f);
	if (size > 0 && fseek(f, 0, SEEK_SET) == 0)
		cfg = malloc((size_t) size);
	if (cfg && fread(cfg, 1, (size_t) size, f) != (size_t) size) {
		free(cfg);
		cfg = NULL;
	}
	if (f)
		fclose(f);
	if (!cfg)
		fail_msg("%s: cannot read it (run the tests with make unit)",
			 path);
	*len = (size_t) size;
	return cfg;
}

uint8_t *config_cut(const uint8_t *cfg, size_t len)
{
	/* malloc(0) may give NULL: one byte then, which nothing may read. */
	uint8_t *cut = malloc(len ? len : 1);

	if (!cut)
		fail_msg("out of memory");
	memcpy(cut, cfg, len);
	return cut;
}
