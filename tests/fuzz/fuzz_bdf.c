// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_bdf.c - fuzz PCI addresses and the devices= option (fs/bdf.c).
 *
 * Input: the text.  bdf_normalize() sees it as a FUSE name or a devices=
 * entry does, @len bytes of an exact-size buffer; bdf_filter_parse() as the
 * whole option string.  A name taken must be hex fields only, with the
 * values of the canonical name it normalizes to, which normalizes to itself; a list taken must hold canonical names only,
 * each of them allowed.  bdf.c is included for its list, emptied each run.
 */
#include "fs/bdf.c"
#include "tests/fuzz/fuzz.h"

#include <ctype.h>
#include <stdlib.h>

/*
 * Does each ':' or '.' separated field of @text, hex digits only, have the
 * value of the same field of @canonical, counted from the function's end
 * (a short name has no domain)?
 */
static bool fields_match(const uint8_t *text, size_t len, const char *canonical)
{
	unsigned want[4], got[4] = {0}, n = 0, digits = 0;

	sscanf(canonical, "%x:%x:%x.%x", &want[0], &want[1], &want[2],
	       &want[3]);
	for (size_t i = 0; i < len; i++) {
		if (text[i] == ':' || text[i] == '.') {
			if (!digits || ++n == 4)
				return false;
			digits = 0;
		} else if (isxdigit(text[i])) {
			got[n] = got[n] << 4 |
				 (isdigit(text[i])
					  ? text[i] - '0'
					  : (tolower(text[i]) - 'a' + 10));
			if (++digits > 4)
				return false;
		} else {
			return false;
		}
	}
	for (unsigned i = 0; i <= n; i++)
		if (got[n - i] != want[3 - i])
			return false;
	return digits && n >= 2 && (n == 3 || want[0] == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char bdf[BDF_LEN], *list;
	uint8_t *text = fuzz_exact(data, size);

	if (bdf_normalize((const char *) text, size, bdf) == 0) {
		char again[BDF_LEN];

		FUZZ_CHECK(strlen(bdf) == BDF_LEN - 1);
		FUZZ_CHECK(fields_match(text, size, bdf));
		FUZZ_CHECK(bdf_is_canonical(bdf));
		FUZZ_CHECK(bdf_normalize(bdf, strlen(bdf), again) == 0);
		FUZZ_CHECK(strcmp(bdf, again) == 0);
	}
	free(text);

	bdf_filter_count = 0;
	bdf_filter_on = false;
	list = fuzz_string(data, size);
	if (bdf_filter_parse(list) == 0) {
		FUZZ_CHECK(bdf_filter_count > 0);
		for (size_t i = 0; i < bdf_filter_count; i++) {
			FUZZ_CHECK(bdf_is_canonical(bdf_filter[i]));
			FUZZ_CHECK(bdf_allowed(bdf_filter[i]));
		}
	}
	free(list);
	return 0;
}
