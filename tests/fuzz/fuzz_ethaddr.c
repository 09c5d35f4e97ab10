// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_ethaddr.c - fuzz what the mac file takes (ethaddr_parse).
 *
 * Input: the text, as a string of exactly its size.  An address taken must
 * be unicast and print back as the same text, but for case.
 */
#include "fs/ethaddr.h"
#include "tests/fuzz/fuzz.h"

#include <stdlib.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	uint8_t mac[ETHADDR_LEN];

	if (ethaddr_parse(text, mac) == 0) {
		char out[32];

		FUZZ_CHECK(!(mac[0] & 1));
		FUZZ_CHECK(ethaddr_format(out, sizeof(out), mac) ==
			   ETHADDR_TEXT_LEN + 1);
		out[ETHADDR_TEXT_LEN] = '\0';
		FUZZ_CHECK(strcasecmp(out, text) == 0);
	}
	free(text);
	return 0;
}
