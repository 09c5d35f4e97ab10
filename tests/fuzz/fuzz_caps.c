// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_caps.c - fuzz the capability walk (cap_foreach) over config space.
 *
 * Input: the config bytes, in a buffer of exactly their size, as a read of
 * sysfs config that returned that many.  Every capability reported must lie
 * within them, in its own space, and the walk must end.
 */
#include "fs/regnames.h"
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>

struct walk {
	size_t cfg_len;
	unsigned count;
};

static void check_cap(const struct cap_info *cap, void *ctx)
{
	struct walk *walk = ctx;

	walk->count++;
	FUZZ_CHECK(cap->what != NULL);
	FUZZ_CHECK(cap->offset % 4 == 0);
	if (cap->extended) {
		FUZZ_CHECK(cap->offset >= 0x100);
		FUZZ_CHECK(cap->offset + 4 <= walk->cfg_len);
		FUZZ_CHECK(cap->id <= 0xffff);
	} else {
		FUZZ_CHECK(cap->offset >= 0x40 && cap->offset < 0x100);
		FUZZ_CHECK(cap->offset + 2 <= walk->cfg_len);
		FUZZ_CHECK(cap->id <= 0xff);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *cfg = fuzz_exact(data, size);
	struct walk walk = {.cfg_len = size};

	cap_foreach(cfg, size, check_cap, &walk);
	/* 48 conventional ones fit in 192 bytes, 480 extended in 3840. */
	FUZZ_CHECK(walk.count <= 48 + 480);
	free(cfg);
	return 0;
}
