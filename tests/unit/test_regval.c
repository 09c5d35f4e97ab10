// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_regval.c - unit tests of what register files take and give
 * (fs/regval.c): "VALUE[:MASK][\n]" in, "0x0007\n" out.
 */
#include "fs/regval.h"
#include "tests/unit/unit.h"

#include <errno.h>
#include <string.h>

/* Parse @text at @width; the result, and value and mask on success. */
static int parse(const char *text, unsigned width, uint64_t *value,
		 uint64_t *mask)
{
	return regval_parse(text, strlen(text), width, value, mask);
}

static void expect(const char *text, unsigned width, uint64_t value,
		   uint64_t mask)
{
	uint64_t v = 0, m = 0;

	assert_int_equal(parse(text, width, &v, &m), 0);
	assert_int_equal(v, value);
	assert_int_equal(m, mask);
}

static void refuse(const char *text, unsigned width)
{
	uint64_t v, m;

	assert_int_equal(parse(text, width, &v, &m), -EINVAL);
}

static void value_alone_gets_a_full_mask(void **state)
{
	(void) state;
	expect("7", 1, 7, 0xff);
	expect("0x0007", 2, 7, 0xffff);
	expect("0X0007", 2, 7, 0xffff);
	expect("fe4a0000", 4, 0xfe4a0000, 0xffffffff);
	expect("FE4A0000", 4, 0xfe4a0000, 0xffffffff);
	expect("0xfedcba9876543210", 8, 0xfedcba9876543210, UINT64_MAX);
}

static void trailing_newline_is_taken_once(void **state)
{
	(void) state;
	expect("0x0107\n", 2, 0x107, 0xffff);
	expect("4:4\n", 2, 4, 4);
	refuse("7\n\n", 2);
	refuse("\n", 2);
	refuse("", 2);
}

static void value_and_mask_as_setpci(void **state)
{
	(void) state;
	/* setpci COMMAND=0x0004:0x0004: set bus mastering, keep the rest. */
	expect("0x0004:0x0004", 2, 4, 4);
	expect("4:0x4", 2, 4, 4);
	expect("0:ffff", 2, 0, 0xffff);
	expect("ff:0", 1, 0xff, 0);
	expect("ffffffffffffffff:ffffffffffffffff", 8, UINT64_MAX, UINT64_MAX);
}

static void widest_values_of_each_width(void **state)
{
	(void) state;
	expect("ff", 1, 0xff, 0xff);
	expect("ffff", 2, 0xffff, 0xffff);
	expect("ffffffff", 4, 0xffffffff, 0xffffffff);
	expect("ffffffffffffffff", 8, UINT64_MAX, UINT64_MAX);
	/* Leading zeroes do not count against the width. */
	expect("0x000000000000000000ff", 1, 0xff, 0xff);
}

static void too_wide_for_the_register(void **state)
{
	(void) state;
	refuse("100", 1);
	refuse("10000", 2);
	refuse("100000000", 4);
	refuse("10000000000000000", 8); /* 65 bits */
	refuse("1:100", 1);		/* the mask too */
	refuse("1:10000", 2);
}

static void not_a_hex_number(void **state)
{
	static const char *const bad[] = {
		"0x",	"x7",	 "7x",	 "0x0x7", "g",	 "-1",	  "+1",
		" 7",	"7 ",	 "\t7",	 "7\t",	  ":",	 "7:",	  ":7",
		"7::7", "7:7:7", "7\n7", "0x:7",  "1,2", "7\r\n",
	};

	(void) state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refuse(bad[i], 4);
}

static void length_bounds_the_text(void **state)
{
	uint64_t v, m;

	(void) state;
	/* A FUSE write buffer is not NUL-terminated; only @len counts. */
	assert_int_equal(regval_parse("12345", 2, 2, &v, &m), 0);
	assert_int_equal(v, 0x12);
	assert_int_equal(regval_parse("7\0", 2, 2, &v, &m), -EINVAL);
}

/* A write FUSE cut into requests arrives in pieces: a piece of zeros
 * must not parse as a value (issue 14, defect 4). */
static void longer_than_any_value(void **state)
{
	char text[REGVAL_TEXT_MAX + 2];
	uint64_t v, m;

	(void) state;
	memset(text, '0', sizeof(text));
	assert_int_equal(regval_parse(text, REGVAL_TEXT_MAX, 8, &v, &m), 0);
	assert_int_equal(v, 0);
	assert_int_equal(regval_parse(text, REGVAL_TEXT_MAX + 1, 8, &v, &m),
			 -EINVAL);
	assert_int_equal(regval_parse(text, sizeof(text), 2, &v, &m), -EINVAL);
}

static void format_pads_to_the_width(void **state)
{
	char buf[32];

	(void) state;
	assert_int_equal(regval_format(buf, sizeof(buf), 7, 2), 7);
	assert_string_equal(buf, "0x0007\n");
	assert_int_equal(regval_format(buf, sizeof(buf), 0xab, 1),
			 regval_text_len(1));
	assert_string_equal(buf, "0xab\n");
	regval_format(buf, sizeof(buf), UINT64_MAX, 8);
	assert_string_equal(buf, "0xffffffffffffffff\n");
	assert_int_equal(strlen(buf), regval_text_len(8));
}

static void merge_keeps_unmasked_bits(void **state)
{
	(void) state;
	assert_int_equal(regval_merge(0x0103, 0x0004, 0x0004), 0x0107);
	assert_int_equal(regval_merge(0x0107, 0x0000, 0x0004), 0x0103);
	assert_int_equal(regval_merge(0x0107, 0xffff, 0), 0x0107);
	assert_int_equal(regval_max(1), 0xff);
	assert_int_equal(regval_max(8), UINT64_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(value_alone_gets_a_full_mask),
		cmocka_unit_test(trailing_newline_is_taken_once),
		cmocka_unit_test(value_and_mask_as_setpci),
		cmocka_unit_test(widest_values_of_each_width),
		cmocka_unit_test(too_wide_for_the_register),
		cmocka_unit_test(not_a_hex_number),
		cmocka_unit_test(length_bounds_the_text),
		cmocka_unit_test(longer_than_any_value),
		cmocka_unit_test(format_pads_to_the_width),
		cmocka_unit_test(merge_keeps_unmasked_bits),
	};

	return cmocka_run_group_tests_name("regval", tests, NULL, NULL);
}
