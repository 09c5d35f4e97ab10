// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz.c - the helpers of fuzz.h, linked into every fuzz target.
 */
#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *fuzz_alloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		fuzz_fail("out of memory", __FILE__, __LINE__);
	return p;
}

uint8_t *fuzz_exact(const uint8_t *data, size_t size)
{
	uint8_t *copy = fuzz_alloc(size);

	if (size)
		memcpy(copy, data, size);
	return copy;
}

char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = fuzz_alloc(size + 1);

	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void fuzz_split(const uint8_t *data, size_t size, char **name, uint8_t **rest,
		size_t *rest_size)
{
	const uint8_t *nul = size ? memchr(data, '\0', size) : NULL;
	size_t name_len = nul ? (size_t) (nul - data) : size;

	*name = fuzz_string(data, name_len);
	*rest_size = nul ? size - name_len - 1 : 0;
	*rest = fuzz_exact(nul ? nul + 1 : data, *rest_size);
}

void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: property broken: %s\n", file, line, what);
	abort();
}
