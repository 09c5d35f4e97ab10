// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_regnames.c - unit tests of the regs/ file names (fs/regnames.c):
 * setpci's names, offsets and widths for regs/config/ over the captured
 * config dumps, and offsets for regs/bar<N>/.
 */
#include "fs/regnames.h"
#include "tests/unit/unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The config dump the next lookups use, in a buffer of its exact size. */
static uint8_t *cfg;
static size_t cfg_len;

static void use(const char *set, const char *bdf)
{
	free(cfg);
	cfg = fixture_config(set, bdf, &cfg_len);
}

static int teardown(void **state)
{
	(void) state;
	free(cfg);
	cfg = NULL;
	return 0;
}

static void expect(const char *name, uint32_t off, unsigned width)
{
	uint32_t o = 0;
	unsigned w = 0;

	if (regname_config(name, cfg, cfg_len, &o, &w))
		fail_msg("'%s' was refused", name);
	if (o != off || w != width)
		fail_msg("'%s' is %#x.%u, want %#x.%u", name, o, w, off, width);
}

static void refuse(const char *name)
{
	uint32_t o = 0;
	unsigned w = 0;

	if (regname_config(name, cfg, cfg_len, &o, &w) != -ENOENT)
		fail_msg("'%s' was taken as %#x.%u", name, o, w);
}

/* A name and what it resolves to, for the dump in use; width 0: refused. */
struct lookup {
	const char *name;
	uint32_t off;
	unsigned width;
};

#define REFUSED(name)                                                          \
	{                                                                      \
		name, 0, 0                                                     \
	}

static void check(const struct lookup *table, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (table[i].width)
			expect(table[i].name, table[i].off, table[i].width);
		else
			refuse(table[i].name);
}

#define CHECK(table) check(table, sizeof(table) / sizeof((table)[0]))

/* 82540EM, a type 0 header without capabilities. */
static void header_names_of_a_device(void **state)
{
	static const struct lookup names[] = {
		{"VENDOR_ID", 0x00, 2},
		{"COMMAND", 0x04, 2},
		{"command", 0x04, 2},
		{"Status", 0x06, 2},
		{"REVISION", 0x08, 1},
		{"CLASS_DEVICE", 0x0a, 2},
		{"HEADER_TYPE", 0x0e, 1},
		{"BASE_ADDRESS_0", 0x10, 4},
		{"BASE_ADDRESS_5", 0x24, 4},
		{"SUBSYSTEM_ID", 0x2e, 2},
		{"ROM_ADDRESS", 0x30, 4},
		{"CAPABILITIES", 0x34, 1},
		{"MAX_LAT", 0x3f, 1},
		/* A bridge's and a CardBus bridge's names are not a device's. */
		REFUSED("PRIMARY_BUS"),
		REFUSED("BRIDGE_CONTROL"),
		REFUSED("CB_CARDBUS_BASE"),
		REFUSED("COMMANDS"),
		REFUSED("COMMAN"),
		REFUSED(""),
	};

	(void) state;
	use("qemu-pc", "0000:00:03.0");
	CHECK(names);
}

/* PCIe root port and PCI-PCI bridge: type 1 headers. */
static void header_names_of_a_bridge(void **state)
{
	static const struct lookup names[] = {
		{"COMMAND", 0x04, 2},
		{"BASE_ADDRESS_1", 0x14, 4},
		{"PRIMARY_BUS", 0x18, 1},
		{"SECONDARY_BUS", 0x19, 1},
		{"SUBORDINATE_BUS", 0x1a, 1},
		{"SEC_STATUS", 0x1e, 2},
		{"PREF_LIMIT_UPPER32", 0x2c, 4},
		{"BRIDGE_ROM_ADDRESS", 0x38, 4},
		{"BRIDGE_CONTROL", 0x3e, 2},
		REFUSED("BASE_ADDRESS_2"),
		REFUSED("SUBSYSTEM_ID"),
		REFUSED("MIN_GNT"),
	};

	(void) state;
	use("qemu-q35", "0000:00:03.0");
	CHECK(names);
	use("qemu-q35", "0000:00:04.0");
	CHECK(names);
}

/* HEADER_TYPE bit 7 says multi-function; the layout is in bits 0-6. */
static void multi_function_and_other_header_types(void **state)
{
	static const struct lookup device[] = {
		{"BASE_ADDRESS_5", 0x24, 4},
		{"CAP_SATA", 0xa8, 4},
	};
	static const struct lookup cardbus[] = {
		{"CB_CARDBUS_BASE", 0x10, 4},
		{"CB_LEGACY_MODE_BASE", 0x44, 4},
		REFUSED("BASE_ADDRESS_0"),
	};
	static const struct lookup undefined[] = {
		REFUSED("COMMAND"),
		{"4.w", 0x04, 2},
	};

	(void) state;
	use("qemu-q35", "0000:00:1f.2");
	assert_int_equal(cfg[0x0e], 0x80);
	CHECK(device);
	/* The same dump read as a CardBus bridge (no capture has one). */
	cfg[0x0e] = 0x82;
	CHECK(cardbus);
	/* An undefined header type: only offsets name registers. */
	cfg[0x0e] = 0x03;
	CHECK(undefined);
}

static void widths_as_setpci(void **state)
{
	static const struct lookup names[] = {
		{"COMMAND.b", 0x04, 1}, {"COMMAND.W", 0x04, 2},
		{"COMMAND.l", 0x04, 4}, {"VENDOR_ID.L", 0x00, 4},
		REFUSED("STATUS.l"), /* 0x06 is not a dword */
		REFUSED("COMMAND.q"),	REFUSED("COMMAND.x"),
		REFUSED("COMMAND."),	REFUSED("COMMAND.ww"),
		REFUSED(".w"),
	};

	(void) state;
	use("qemu-pc", "0000:00:03.0");
	CHECK(names);
}

static void offsets_as_setpci(void **state)
{
	static const struct lookup conventional[] = {
		{"4", 0x04, 4},	     {"0x4.w", 0x04, 2},
		{"0X04.W", 0x04, 2}, {"6.w", 0x06, 2},
		{"3d.b", 0x3d, 1},   {"fc", 0xfc, 4},
		{"FE.w", 0xfe, 2},   {"ff.b", 0xff, 1},
		REFUSED("6"),	     REFUSED("ff.w"),
		REFUSED("100.b"),    REFUSED("fffffffffffffffff"),
		REFUSED("g"),	     REFUSED("0x"),
	};
	static const struct lookup extended[] = {
		{"100", 0x100, 4},
		{"ffc.l", 0xffc, 4},
		REFUSED("ffe.l"),
		REFUSED("1000.b"),
	};

	(void) state;
	use("qemu-pc", "0000:00:03.0");
	assert_int_equal(cfg_len, 256);
	CHECK(conventional);
	use("qemu-q35", "0000:01:00.0");
	assert_int_equal(cfg_len, 4096);
	CHECK(extended);
}

static void name_plus_offset(void **state)
{
	static const struct lookup names[] = {
		{"COMMAND+2", 0x06, 2}, /* the base's width */
		{"BASE_ADDRESS_0+4", 0x14, 4},
		{"CAP_PM+4.w", 0xcc, 2},
		{"CAP_EXP+10.w", 0xf0, 2},
		{"CAP_EXP+0x8.w", 0xe8, 2},
		{"ECAP_AER+4", 0x104, 4},
		{"ECAP_DSN+0x4.l", 0x144, 4},
		{"0+4.b", 0x04, 1},
		REFUSED("COMMAND+"),
		REFUSED("+4"),
		REFUSED("COMMAND+1"), /* 0x05 is not a word */
		REFUSED("COMMAND+2+2"),
		REFUSED("COMMAND+1000"),
		REFUSED("COMMAND+ffffffffffffffff"),
		REFUSED("ffc+4"),
	};

	(void) state;
	use("qemu-q35", "0000:01:00.0");
	CHECK(names);
}

static void capabilities_by_name(void **state)
{
	static const struct lookup endpoint[] = {
		{"CAP_PM", 0xc8, 4},	{"CAP_MSI", 0xd0, 4},
		{"cap_exp", 0xe0, 4},	{"CAP_MSIX.w", 0xa0, 2},
		{"ECAP_AER", 0x100, 4}, {"ECAP_DSN", 0x140, 4},
		REFUSED("CAP_AER"),	REFUSED("ECAP_PM"),
		REFUSED("CAP_SATA"), /* a known name this device lacks */
		REFUSED("CAP_"),	REFUSED("CAP_NOPE"),
		REFUSED("ECAP_"),
	};
	/* The first of several: virtio's vendor capabilities. */
	static const struct lookup virtio[] = {
		{"CAP_VNDR", 0x40, 4},
		{"CAP_VNDR+4", 0x44, 4},
		{"CAP_MSIX", 0x98, 4},
		REFUSED("ECAP_AER"), /* 256 bytes: no extended space */
	};
	static const struct lookup root_port[] = {
		{"CAP_SSVID", 0x40, 4},
		{"ECAP_ACS", 0x148, 4},
	};

	(void) state;
	use("qemu-q35", "0000:01:00.0");
	CHECK(endpoint);
	use("host", "0000:00:01.0");
	CHECK(virtio);
	use("qemu-q35", "0000:00:03.0");
	CHECK(root_port);
}

/* Issue 14 defect 9: strtoull skipped white space, so "\t10" was 0x10. */
static void refuses_spaces_and_signs(void **state)
{
	static const char *const bad[] = {
		"\t10",	       " 10",	     "\n10",	    "\v10",
		"\f10",	       "\r10",	     "+10",	    "-10",
		"10 ",	       "0x 10",	     "0x-10",	    "COMMAND+ 2",
		"COMMAND+\t2", "COMMAND+-2", "COMMAND+\n2", "CAP_PM+ 4",
		"\tCOMMAND",   "COMMAND ",   "10\n",
	};

	(void) state;
	use("qemu-q35", "0000:01:00.0");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refuse(bad[i]);
}

static void long_names_are_refused(void **state)
{
	char name[128];

	(void) state;
	use("qemu-q35", "0000:01:00.0");
	memset(name, '0', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	refuse(name);
	memcpy(name + sizeof(name) - 5, "10.w", 5);
	refuse(name);
	/* 63 characters still fit in the parser's copy. */
	memcpy(name + 59, "10.w", 5);
	expect(name, 0x10, 2);
	memcpy(name + 60, "10.w", 5);
	refuse(name);
}

/* A read of config space that returned fewer bytes (64 without
 * CAP_SYS_ADMIN): names only what those bytes hold, reads no further. */
static void short_reads_name_only_what_is_there(void **state)
{
	size_t full_len;
	uint8_t *full;

	(void) state;
	use("qemu-q35", "0000:01:00.0");
	full = cfg;
	full_len = cfg_len;
	for (size_t cut = 0; cut <= 256; cut++) {
		cfg = config_cut(full, cut);
		cfg_len = cut;
		/* Which names there are depends on HEADER_TYPE (0x0e). */
		if (cut > 0x0e)
			expect("COMMAND", 0x04, 2);
		else
			refuse("COMMAND");
		if (cut >= 0xcc)
			expect("CAP_PM", 0xc8, 4);
		else
			refuse("CAP_PM");
		refuse("ECAP_AER");
		if (cut >= 0x40)
			expect("3c.l", 0x3c, 4);
		else
			refuse("3c.l");
		free(cfg);
	}
	cfg = full;
	cfg_len = full_len;
}

static void bar_offsets(void **state)
{
	static const struct {
		const char *name;
		uint64_t off;
		unsigned width;
	} good[] = {
		{"0", 0, 4},
		{"8", 8, 4},
		{"0x3818", 0x3818, 4},
		{"3818.l", 0x3818, 4},
		{"c.w", 0xc, 2},
		{"D.B", 0xd, 1},
		{"10.q", 0x10, 8},
		{"0x10.Q", 0x10, 8},
		{"ffffffffffffffff.b", UINT64_MAX, 1},
	};
	static const char *const bad[] = {
		"",	  "c.q",  "3.w",  "2",
		".w",	  "10.x", "\t10", " 10",
		"+10",	  "-10",  "10 ",  "0x",
		"g",	  "10.",  "0x-4", "10000000000000000",
		"STATUS",
	};
	uint64_t off;
	unsigned width;

	(void) state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (regname_offset(good[i].name, &off, &width))
			fail_msg("'%s' was refused", good[i].name);
		assert_int_equal(off, good[i].off);
		assert_int_equal(width, good[i].width);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (regname_offset(bad[i], &off, &width) != -ENOENT)
			fail_msg("'%s' was taken as %#llx.%u", bad[i],
				 (unsigned long long) off, width);
}

struct listing {
	char names[2048];
};

static void list_add(const char *name, void *ctx)
{
	struct listing *list = ctx;
	size_t used = strlen(list->names);

	snprintf(list->names + used, sizeof(list->names) - used, " %s", name);
}

/* " NAME" in the listing, exactly once. */
static unsigned listed(const struct listing *list, const char *name)
{
	char word[64];
	unsigned n = 0;
	const char *p = list->names;
	size_t len = (size_t) snprintf(word, sizeof(word), " %s", name);

	while ((p = strstr(p, word))) {
		if (p[len] == ' ' || p[len] == '\0')
			n++;
		p += len;
	}
	return n;
}

static void directory_lists_each_name_once(void **state)
{
	static struct listing list;

	(void) state;
	use("qemu-q35", "0000:01:00.0");
	regname_config_foreach(cfg, cfg_len, list_add, &list);
	assert_int_equal(listed(&list, "COMMAND"), 1);
	assert_int_equal(listed(&list, "BASE_ADDRESS_5"), 1);
	assert_int_equal(listed(&list, "PRIMARY_BUS"), 0);
	assert_int_equal(listed(&list, "CAP_PM"), 1);
	assert_int_equal(listed(&list, "CAP_EXP"), 1);
	assert_int_equal(listed(&list, "ECAP_DSN"), 1);
	assert_int_equal(listed(&list, "CAP_SATA"), 0);
	/* Five vendor capabilities, one name. */
	memset(&list, 0, sizeof(list));
	use("host", "0000:00:01.0");
	regname_config_foreach(cfg, cfg_len, list_add, &list);
	assert_int_equal(listed(&list, "CAP_VNDR"), 1);
	assert_int_equal(listed(&list, "CAP_MSIX"), 1);
	memset(&list, 0, sizeof(list));
	use("qemu-q35", "0000:00:04.0");
	regname_config_foreach(cfg, cfg_len, list_add, &list);
	assert_int_equal(listed(&list, "PRIMARY_BUS"), 1);
	assert_int_equal(listed(&list, "BASE_ADDRESS_2"), 0);
	assert_int_equal(listed(&list, "CAP_HOTPLUG"), 1);
	/* Each name listed resolves. */
	for (char *name = strtok(list.names, " "); name;
	     name = strtok(NULL, " ")) {
		uint32_t off;
		unsigned width;

		if (regname_config(name, cfg, cfg_len, &off, &width))
			fail_msg("'%s' is listed but does not resolve", name);
	}
}

static void list_resolves(const uint8_t *c, size_t len)
{
	static struct listing list;

	memset(&list, 0, sizeof(list));
	regname_config_foreach(c, len, list_add, &list);
	for (char *name = strtok(list.names, " "); name;
	     name = strtok(NULL, " ")) {
		uint32_t off;
		unsigned width;

		if (regname_config(name, c, len, &off, &width))
			fail_msg(
				"%zu bytes: '%s' is listed but does not resolve",
				len, name);
	}
}

/* Found by fuzz_regname: a read of 63 bytes listed MAX_LAT (0x3f), which
 * it does not hold.  Every name listed for every shorter read resolves. */
static void short_reads_list_only_what_resolves(void **state)
{
	static const char *const devs[][2] = {
		{"qemu-q35", "0000:01:00.0"},
		{"qemu-q35", "0000:00:04.0"},
		{"host", "0000:00:01.0"},
	};

	(void) state;
	for (size_t d = 0; d < sizeof(devs) / sizeof(devs[0]); d++) {
		use(devs[d][0], devs[d][1]);
		for (size_t cut = 0; cut <= cfg_len; cut++) {
			uint8_t *exact = config_cut(cfg, cut);

			list_resolves(exact, cut);
			free(exact);
		}
	}
}

/* CAP_MSI names the first MSI capability; if that one is cut off, a later
 * one lower in config space must not be listed as CAP_MSI. */
static void a_cut_off_first_capability_is_not_listed(void **state)
{
	(void) state;
	use("qemu-q35", "0000:00:04.0"); /* MSI@4c SLOTID@48 HOTPLUG@40 */
	cfg[0x34] = 0xf8;
	cfg[0xf8] = 0x05; /* MSI, then the list goes on at 0x4c */
	cfg[0xf9] = 0x4c;
	expect("CAP_MSI", 0xf8, 4);
	list_resolves(cfg, 0xfa);
	list_resolves(cfg, 0xfb);
	list_resolves(cfg, 0xfc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(header_names_of_a_device, teardown),
		cmocka_unit_test_teardown(header_names_of_a_bridge, teardown),
		cmocka_unit_test_teardown(multi_function_and_other_header_types,
					  teardown),
		cmocka_unit_test_teardown(widths_as_setpci, teardown),
		cmocka_unit_test_teardown(offsets_as_setpci, teardown),
		cmocka_unit_test_teardown(name_plus_offset, teardown),
		cmocka_unit_test_teardown(capabilities_by_name, teardown),
		cmocka_unit_test_teardown(refuses_spaces_and_signs, teardown),
		cmocka_unit_test_teardown(long_names_are_refused, teardown),
		cmocka_unit_test_teardown(short_reads_name_only_what_is_there,
					  teardown),
		cmocka_unit_test(bar_offsets),
		cmocka_unit_test_teardown(directory_lists_each_name_once,
					  teardown),
		cmocka_unit_test_teardown(short_reads_list_only_what_resolves,
					  teardown),
		cmocka_unit_test_teardown(
			a_cut_off_first_capability_is_not_listed, teardown),
	};

	return cmocka_run_group_tests_name("regnames", tests, NULL, NULL);
}
