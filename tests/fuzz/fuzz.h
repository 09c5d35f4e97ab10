/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - what the libFuzzer targets of tests/fuzz/ share: copies of the
 * input in buffers of exactly its size, so that ASan sees a parser read one
 * byte past its input, and a check that stops the run on a wrong result.
 */
#ifndef PCIFS_FUZZ_H
#define PCIFS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry point, which each target defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* @size bytes of @data in a buffer of exactly @size bytes (one when @size
 * is 0, which nothing may read).  The caller frees it. */
uint8_t *fuzz_exact(const uint8_t *data, size_t size);

/* @size bytes of @data and a NUL, in a buffer of exactly that size. */
char *fuzz_string(const uint8_t *data, size_t size);

/* Split @data at its first NUL: *@name gets the bytes before it (as a
 * string), *@rest and *@rest_size what follows it (exact size; empty if
 * there is no NUL).  The caller frees both. */
void fuzz_split(const uint8_t *data, size_t size, char **name, uint8_t **rest,
		size_t *rest_size);

/* Report a broken property and abort, which libFuzzer counts as a crash. */
void fuzz_fail(const char *what, const char *file, int line)
	__attribute__((noreturn));

#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond))                                                   \
			fuzz_fail(#cond, __FILE__, __LINE__);                  \
	} while (0)

#endif /* PCIFS_FUZZ_H */
