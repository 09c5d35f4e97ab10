// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_ethaddr.c - unit tests of the mac file's text (fs/ethaddr.c).
 */
#include "fs/ethaddr.h"
#include "tests/unit/unit.h"

#include <errno.h>
#include <string.h>

/* QEMU's default station address, which the e1000 suites use. */
static const uint8_t qemu_mac[ETHADDR_LEN] = {0x52, 0x54, 0x00,
					      0x12, 0x34, 0x56};

static void refuse(const char *text)
{
	uint8_t mac[ETHADDR_LEN] = {0};

	if (ethaddr_parse(text, mac) != -EINVAL)
		fail_msg("'%s' was taken as %02x:%02x:%02x:%02x:%02x:%02x",
			 text, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static void parses_either_case(void **state)
{
	uint8_t mac[ETHADDR_LEN];

	(void) state;
	assert_int_equal(ethaddr_parse("52:54:00:12:34:56", mac), 0);
	assert_memory_equal(mac, qemu_mac, ETHADDR_LEN);
	assert_int_equal(ethaddr_parse("02:AB:cd:EF:00:ff", mac), 0);
	assert_memory_equal(mac, "\x02\xab\xcd\xef\x00\xff", ETHADDR_LEN);
}

static void refuses_multicast(void **state)
{
	(void) state;
	refuse("01:00:5e:00:00:01");
	refuse("ff:ff:ff:ff:ff:ff");
	refuse("53:54:00:12:34:56");
}

static void refuses_zero(void **state)
{
	(void) state;
	refuse("00:00:00:00:00:00");
}

static void refuses_wrong_shape(void **state)
{
	static const char *const bad[] = {
		"",
		"52:54:00:12:34",
		"52:54:00:12:34:56:",
		"52:54:00:12:34:56:78",
		"52:54:00:12:34:5",
		"52:54:00:12:34:567",
		"5:54:00:12:34:56",
		"52-54-00-12-34-56",
		"525400123456",
		"52:54:00:12:34:5g",
		"52:54::00:12:34:56",
		"52:54:00:12:34:56\n",
	};

	(void) state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refuse(bad[i]);
}

/* Issue 14 defect 6: sscanf's %x took signs, spaces and 0x. */
static void refuses_signs_spaces_and_0x(void **state)
{
	static const char *const bad[] = {
		"-2:54:00:12:34:56", "+2:54:00:12:34:56", " 2:54:00:12:34:56",
		"52: 4:00:12:34:56", "52:54:00:12:34:-6", "52:54:00:12:34:+6",
		"0x2:54:00:12:34:5", "52:0x:00:12:34:56", "52:54:00:12:\t4:56",
		"52:54:00:12:34: 6",
	};

	(void) state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refuse(bad[i]);
}

static void formats_lower_case_with_newline(void **state)
{
	char buf[32];

	(void) state;
	assert_int_equal(ethaddr_format(buf, sizeof(buf), qemu_mac),
			 ETHADDR_TEXT_LEN + 1);
	assert_string_equal(buf, "52:54:00:12:34:56\n");
	ethaddr_format(buf, sizeof(buf),
		       (const uint8_t *) "\xfe\xab\0\0\0\x01");
	assert_string_equal(buf, "fe:ab:00:00:00:01\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_either_case),
		cmocka_unit_test(refuses_multicast),
		cmocka_unit_test(refuses_zero),
		cmocka_unit_test(refuses_wrong_shape),
		cmocka_unit_test(refuses_signs_spaces_and_0x),
		cmocka_unit_test(formats_lower_case_with_newline),
	};

	return cmocka_run_group_tests_name("ethaddr", tests, NULL, NULL);
}
