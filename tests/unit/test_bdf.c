// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_bdf.c - unit tests of PCI function addresses and the devices= mount
 * option (fs/bdf.c).  bdf.c is included, not linked, so each test can start
 * from an empty devices= list.
 */
#include "fs/bdf.c"
#include "tests/unit/unit.h"

#include <dirent.h>
#include <stdlib.h>

static int filter_reset(void **state)
{
	(void) state;
	bdf_filter_count = 0;
	bdf_filter_on = false;
	stub_log_last[0] = '\0';
	return 0;
}

static void expect(const char *text, const char *canonical)
{
	char bdf[BDF_LEN] = "";

	if (bdf_normalize(text, strlen(text), bdf))
		fail_msg("'%s' was refused", text);
	assert_string_equal(bdf, canonical);
}

static void refuse(const char *text)
{
	char bdf[BDF_LEN] = "";

	if (bdf_normalize(text, strlen(text), bdf) != -EINVAL)
		fail_msg("'%s' was taken as %s", text, bdf);
}

static void normalizes_short_and_full(void **state)
{
	(void) state;
	expect("0000:00:03.0", "0000:00:03.0");
	expect("00:03.0", "0000:00:03.0");
	expect("0000:00:1F.3", "0000:00:1f.3");
	expect("ffff:ff:1f.7", "ffff:ff:1f.7");
	expect("1:2:3.4", "0001:02:03.4"); /* lspci -s takes short fields */
}

static void refuses_out_of_range(void **state)
{
	static const char *const bad[] = {
		"00:20.0",	 "00:03.8",	 "0000:100:03.0",
		"10000:00:03.0", "000:03.0",	 "0000:00:003.0",
		"0000:00:03.00", "0000:00:03",	 "0000:00.0",
		"00:03",	 "03.0",	 "",
		"0000:00:03.0:", "0:0:0:03.0",	 "0000:00:03:0",
		"0000.00.03.0",	 "0000:00:0g.0",
	};

	(void) state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refuse(bad[i]);
}

/* Issue 14 defect 9: sscanf's %x took spaces, signs and 0x. */
static void refuses_spaces_signs_and_0x(void **state)
{
	static const char *const bad[] = {
		" 0:0:3.0",   "\t00:03.0",   "0: 0:03.0",   "00:03. 0",
		"+0:00:03.0", "-0:00:03.0",  "00:+3.0",	    "00:03.+0",
		"00:-3.0",    "0x0:00:03.0", "0X0:00:03.0", "0:0x0:3.0",
		"00:03.0\n",
	};

	(void) state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refuse(bad[i]);
}

static void length_bounds_the_text(void **state)
{
	char bdf[BDF_LEN];

	(void) state;
	assert_int_equal(bdf_normalize("00:03.0:0000:00:05.0", 7, bdf), 0);
	assert_string_equal(bdf, "0000:00:03.0");
	assert_int_equal(bdf_normalize("00:03.0", 6, bdf), -EINVAL);
	assert_int_equal(bdf_normalize("00:03.0\0", 8, bdf), -EINVAL);
	assert_int_equal(bdf_normalize("0000:00:03.0", 0, bdf), -EINVAL);
}

static void canonical_is_what_sysfs_names(void **state)
{
	(void) state;
	assert_true(bdf_is_canonical("0000:00:03.0"));
	assert_false(bdf_is_canonical("00:03.0"));
	assert_false(bdf_is_canonical("0000:00:1F.3"));
	assert_false(bdf_is_canonical("0000:00:03.0 "));
	assert_false(bdf_is_canonical("by-id"));
	assert_false(bdf_is_canonical(""));
}

/* Every device directory of the captured sysfs trees is canonical, and its
 * short form (without the domain) names it. */
static void fixture_names_are_canonical(void **state)
{
	static const char *const sets[] = {"host", "qemu-pc", "qemu-q35"};
	const char *top = getenv("PCIFS_FIXTURES");
	unsigned seen = 0;

	(void) state;
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		char path[512];
		struct dirent *d;
		DIR *dir;

		snprintf(path, sizeof(path), "%s/%s/devices",
			 top ? top : "build-unit/fixtures", sets[i]);
		dir = opendir(path);
		if (!dir)
			fail_msg("%s: cannot list it", path);
		while ((d = readdir(dir))) {
			if (d->d_name[0] == '.')
				continue;
			assert_true(bdf_is_canonical(d->d_name));
			expect(d->d_name + 5, d->d_name);
			seen++;
		}
		closedir(dir);
	}
	assert_true(seen >= 20);
}

static void filter_off_allows_all(void **state)
{
	(void) state;
	assert_true(bdf_allowed("0000:00:03.0"));
	assert_true(bdf_allowed("0000:01:00.0"));
}

static void filter_takes_short_and_full(void **state)
{
	(void) state;
	/* tests/core.bats mounts with this list. */
	assert_int_equal(bdf_filter_parse("00:03.0:0000:00:05.0"), 0);
	assert_true(bdf_allowed("0000:00:03.0"));
	assert_true(bdf_allowed("0000:00:05.0"));
	assert_false(bdf_allowed("0000:00:04.0"));
	assert_false(bdf_allowed("0000:01:00.0"));
	assert_int_equal(bdf_filter_parse("0000:01:00.0"), 0);
	assert_true(bdf_allowed("0000:01:00.0"));
}

static void filter_refuses_a_bad_entry(void **state)
{
	static const char *const bad[] = {
		"",
		":",
		"00:03.0:",
		":00:03.0",
		"00:03.0::00:05.0",
		"00:03.0,00:05.0",
		" 0:0:3.0",
		"+0:00:03.0",
		"0x0:00:03.0",
		"00:03.0: 00:05.0",
		"00:03.0:+0:00:05.0",
		"00:03.0:0x0:00:05.0",
	};

	(void) state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		filter_reset(NULL);
		if (bdf_filter_parse(bad[i]) != -EINVAL)
			fail_msg("devices=%s was taken", bad[i]);
		assert_non_null(strstr(stub_log_last, "devices="));
		assert_false(bdf_allowed("0000:00:05.0"));
	}
}

static void filter_holds_256(void **state)
{
	char list[256 * 8 + 16] = "", *p = list;

	(void) state;
	for (unsigned i = 0; i < 256; i++)
		p += sprintf(p, "%s%02x:%02x.%x", i ? ":" : "", i / 8,
			     i % 8 * 4, i % 8);
	assert_int_equal(bdf_filter_parse(list), 0);
	assert_true(bdf_allowed("0000:1f:1c.7"));
	strcpy(p, ":ff:00.0");
	filter_reset(NULL);
	assert_int_equal(bdf_filter_parse(list), -EINVAL);
	assert_non_null(strstr(stub_log_last, "more than 256"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalizes_short_and_full),
		cmocka_unit_test(refuses_out_of_range),
		cmocka_unit_test(refuses_spaces_signs_and_0x),
		cmocka_unit_test(length_bounds_the_text),
		cmocka_unit_test(canonical_is_what_sysfs_names),
		cmocka_unit_test(fixture_names_are_canonical),
		cmocka_unit_test_setup(filter_off_allows_all, filter_reset),
		cmocka_unit_test_setup(filter_takes_short_and_full,
				       filter_reset),
		cmocka_unit_test_setup(filter_refuses_a_bad_entry,
				       filter_reset),
		cmocka_unit_test_setup(filter_holds_256, filter_reset),
	};

	return cmocka_run_group_tests_name("bdf", tests, NULL, NULL);
}
