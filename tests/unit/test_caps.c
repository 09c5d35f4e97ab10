// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_caps.c - unit tests of the capability walk (cap_foreach in
 * fs/regnames.c) over the captured config dumps, over every shorter read of
 * them, and over a few crafted malformed lists.
 */
#include "fs/regnames.h"
#include "tests/unit/unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAPS_MAX 600 /* more than any bounded walk reports */

struct caps {
	unsigned n;
	struct cap_info cap[CAPS_MAX];
	char text[CAPS_MAX * 12];
};

static void caps_add(const struct cap_info *cap, void *ctx)
{
	struct caps *caps = ctx;
	size_t used = strlen(caps->text);

	assert_true(caps->n < CAPS_MAX);
	caps->cap[caps->n++] = *cap;
	snprintf(caps->text + used, sizeof(caps->text) - used, "%s%s@%x",
		 used ? " " : "", cap->name ? cap->name : "?", cap->offset);
}

/* The walk of @cfg as "PM@c8 MSI@d0 ...". */
static const char *walk(const uint8_t *cfg, size_t len, struct caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	cap_foreach(cfg, len, caps_add, caps);
	return caps->text;
}

static void walk_fixture(const char *set, const char *bdf, const char *want)
{
	static struct caps caps;
	size_t len;
	uint8_t *cfg = fixture_config(set, bdf, &len);

	assert_string_equal(walk(cfg, len, &caps), want);
	free(cfg);
}

/* The lists lspci -v shows for the captured devices. */
static void walks_the_fixtures_as_lspci(void **state)
{
	(void) state;
	/* 82574L: PCIe endpoint, extended capabilities. */
	walk_fixture("qemu-q35", "0000:01:00.0",
		     "PM@c8 MSI@d0 EXP@e0 MSIX@a0 AER@100 DSN@140");
	/* PCIe root port, a type 1 header. */
	walk_fixture("qemu-q35", "0000:00:03.0",
		     "EXP@54 MSIX@48 SSVID@40 AER@100 ACS@148");
	/* PCI-PCI bridge, 256 bytes of config space. */
	walk_fixture("qemu-q35", "0000:00:04.0", "MSI@4c SLOTID@48 HOTPLUG@40");
	/* Multi-function (HEADER_TYPE 0x80) SATA controller. */
	walk_fixture("qemu-q35", "0000:00:1f.2", "MSI@80 SATA@a8");
	walk_fixture("host", "0000:00:01.0",
		     "VNDR@40 VNDR@50 VNDR@60 VNDR@70 VNDR@84 MSIX@98");
	/* No capability list: STATUS bit 4 clear; 4096 bytes of zeroes. */
	walk_fixture("qemu-pc", "0000:00:03.0", "");
	walk_fixture("qemu-pc", "0000:00:01.0", "");
	walk_fixture("host", "0000:00:00.0", "");
}

static void names_and_descriptions(void **state)
{
	static struct caps caps;
	size_t len;
	uint8_t *cfg = fixture_config("qemu-q35", "0000:01:00.0", &len);

	(void) state;
	walk(cfg, len, &caps);
	assert_int_equal(caps.n, 6);
	assert_false(caps.cap[0].extended);
	assert_int_equal(caps.cap[0].id, 0x01);
	assert_string_equal(caps.cap[0].what, "Power Management");
	assert_int_equal(caps.cap[2].id, 0x10);
	assert_string_equal(caps.cap[2].name, "EXP");
	assert_true(caps.cap[4].extended);
	assert_int_equal(caps.cap[4].id, 0x01);
	assert_string_equal(caps.cap[4].name, "AER");
	assert_string_equal(caps.cap[5].what, "Device Serial Number");
	/* An id no table names. */
	cfg[0xc8] = 0x7e;
	walk(cfg, len, &caps);
	assert_null(caps.cap[0].name);
	assert_string_equal(caps.cap[0].what, "Unknown");
	assert_int_equal(caps.cap[0].id, 0x7e);
	free(cfg);
}

/* Is each capability of @part one of @full, in order, and does @part hold
 * every one of @full whose header lies within @len bytes? */
static void assert_prefix(const struct caps *part, const struct caps *full,
			  size_t len)
{
	unsigned i, within = 0;

	for (i = 0; i < full->n; i++)
		if (full->cap[i].offset + (full->cap[i].extended ? 4 : 2) <=
		    len)
			within = i + 1;
		else
			break;
	if (part->n != within)
		fail_msg("%zu bytes: walked '%s', want the first %u of '%s'",
			 len, part->text, within, full->text);
	for (i = 0; i < part->n; i++) {
		assert_int_equal(part->cap[i].extended, full->cap[i].extended);
		assert_int_equal(part->cap[i].id, full->cap[i].id);
		assert_int_equal(part->cap[i].offset, full->cap[i].offset);
	}
}

/*
 * Issue 14 defect 7: a read of config space may return fewer bytes than the
 * device has (64 for a user without CAP_SYS_ADMIN, 256 for a conventional
 * config file).  Each walk reads only its @len bytes (ASan checks it: each
 * buffer is exactly that long) and reports the capabilities within them.
 */
static void every_shorter_read_stays_in_bounds(void **state)
{
	static const char *const devs[][2] = {
		{"qemu-q35", "0000:01:00.0"},
		{"qemu-q35", "0000:00:03.0"},
		{"qemu-q35", "0000:00:04.0"},
		{"host", "0000:00:01.0"},
	};
	static struct caps full, part;

	(void) state;
	for (size_t d = 0; d < sizeof(devs) / sizeof(devs[0]); d++) {
		size_t len;
		uint8_t *cfg = fixture_config(devs[d][0], devs[d][1], &len);

		walk(cfg, len, &full);
		for (size_t cut = 0; cut <= len; cut++) {
			uint8_t *exact = config_cut(cfg, cut);

			walk(exact, cut, &part);
			assert_prefix(&part, &full, cut);
			free(exact);
		}
		free(cfg);
	}
}

/* The first 64 bytes of the 82574L's config space and a crafted list after
 * them: @list holds (offset, id, next) triples. */
static uint8_t *crafted(const unsigned (*list)[3], size_t n, size_t len)
{
	size_t cfg_len;
	uint8_t *cfg = fixture_config("qemu-q35", "0000:01:00.0", &cfg_len);
	uint8_t *out = calloc(1, len);

	assert_non_null(out);
	memcpy(out, cfg, 64);
	free(cfg);
	for (size_t i = 0; i < n; i++) {
		out[list[i][0]] = (uint8_t) list[i][1];
		out[list[i][0] + 1] = (uint8_t) list[i][2];
	}
	out[0x34] = n ? (uint8_t) list[0][0] : 0;
	return out;
}

static void malformed_lists_end(void **state)
{
	static const unsigned loop[][3] = {{0x40, 0x01, 0x48},
					   {0x48, 0x05, 0x40}};
	static const unsigned self[][3] = {{0xfc, 0x10, 0xfc}};
	static const unsigned into_header[][3] = {{0x40, 0x01, 0x3c}};
	static const unsigned ff_id[][3] = {{0x40, 0x01, 0x80},
					    {0x80, 0xff, 0x40}};
	static const unsigned unaligned[][3] = {{0x41, 0x05, 0x00}};
	static struct caps caps;
	uint8_t *cfg;

	(void) state;
	/* A loop ends after 48 capabilities: no more fit in 192 bytes. */
	cfg = crafted(loop, 2, 256);
	assert_int_equal(walk(cfg, 256, &caps)[0], 'P');
	assert_int_equal(caps.n, 48);
	free(cfg);
	/* The last dword points at itself; 256 bytes, exactly. */
	cfg = crafted(self, 1, 256);
	walk(cfg, 256, &caps);
	assert_int_equal(caps.n, 48);
	assert_int_equal(caps.cap[47].offset, 0xfc);
	free(cfg);
	cfg = crafted(into_header, 1, 256);
	assert_string_equal(walk(cfg, 256, &caps), "PM@40");
	free(cfg);
	cfg = crafted(ff_id, 2, 256);
	assert_string_equal(walk(cfg, 256, &caps), "PM@40");
	free(cfg);
	/* The low two bits of a pointer are reserved (PCI 3.0, 6.7). */
	cfg = crafted(unaligned, 1, 256);
	cfg[0x40] = 0x05;
	assert_string_equal(walk(cfg, 256, &caps), "MSI@40");
	free(cfg);
}

static void status_and_header_type_gate_the_list(void **state)
{
	static const unsigned one[][3] = {{0x40, 0x01, 0x00}};
	static struct caps caps;
	uint8_t *cfg = crafted(one, 1, 256);

	(void) state;
	assert_string_equal(walk(cfg, 256, &caps), "PM@40");
	cfg[0x06] &= ~0x10; /* STATUS: no capability list */
	assert_string_equal(walk(cfg, 256, &caps), "");
	cfg[0x06] |= 0x10;
	cfg[0x0e] = 0x03; /* no such header type */
	assert_string_equal(walk(cfg, 256, &caps), "");
	cfg[0x0e] = 0x02; /* CardBus: the pointer is at 0x14 */
	assert_string_equal(walk(cfg, 256, &caps), "");
	cfg[0x14] = 0x40;
	assert_string_equal(walk(cfg, 256, &caps), "PM@40");
	free(cfg);
}

static void malformed_extended_lists_end(void **state)
{
	static struct caps caps;
	size_t len;
	uint8_t *cfg = fixture_config("qemu-q35", "0000:01:00.0", &len);

	(void) state;
	/* DSN's next pointer back at AER: bounded. */
	cfg[0x142] = 0x01;
	cfg[0x143] = 0x10;
	walk(cfg, len, &caps);
	assert_true(caps.n > 6 && caps.n < CAPS_MAX);
	/* Next pointing into conventional space ends the list. */
	cfg[0x143] = 0x0c;
	assert_string_equal(walk(cfg, len, &caps),
			    "PM@c8 MSI@d0 EXP@e0 MSIX@a0 AER@100 DSN@140");
	/* Next at the last dword: read, and no further. */
	cfg[0x142] = 0xc0;
	cfg[0x143] = 0xff;
	memcpy(cfg + 0xffc, "\x0d\x00\x01\x00", 4);
	walk(cfg, len, &caps);
	assert_int_equal(caps.n, 7);
	assert_int_equal(caps.cap[6].offset, 0xffc);
	assert_string_equal(caps.cap[6].name, "ACS");
	/* An all-ones header (no device) ends it. */
	memset(cfg + 0x100, 0xff, 4);
	assert_string_equal(walk(cfg, len, &caps),
			    "PM@c8 MSI@d0 EXP@e0 MSIX@a0");
	free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walks_the_fixtures_as_lspci),
		cmocka_unit_test(names_and_descriptions),
		cmocka_unit_test(every_shorter_read_stays_in_bounds),
		cmocka_unit_test(malformed_lists_end),
		cmocka_unit_test(status_and_header_type_gate_the_list),
		cmocka_unit_test(malformed_extended_lists_end),
	};

	return cmocka_run_group_tests_name("caps", tests, NULL, NULL);
}
