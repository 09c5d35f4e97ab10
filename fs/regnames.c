// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * regnames.c - setpci(8)'s register names for config space, and the
 * capability lists they refer to.
 *
 * Header layouts: PCI Local Bus Specification 3.0, section 6.1 (type 0) and
 * PCI-to-PCI Bridge Architecture Specification 1.2, section 3.2 (type 1).
 * Capability lists: PCI 3.0 section 6.7; PCIe extended capabilities: PCI
 * Express Base Specification 4.0, section 7.6.
 */
#include "fs/regnames.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PCI_STATUS	       0x06
#define PCI_STATUS_CAP_LIST    0x10
#define PCI_HEADER_TYPE	       0x0e
#define PCI_CAPABILITY_LIST    0x34
#define PCI_CB_CAPABILITY_LIST 0x14
#define PCI_EXT_CAP_START      0x100

/* Which header types a register belongs to (HEADER_TYPE & 0x7f). */
#define H0  0x1 /* normal device */
#define H1  0x2 /* PCI-to-PCI bridge */
#define H2  0x4 /* CardBus bridge */
#define ALL (H0 | H1 | H2)

struct header_reg {
	const char *name;
	unsigned offset;
	unsigned width;
	unsigned headers;
};

/* setpci's names and widths, in setpci's order. */
static const struct header_reg header_regs[] = {
	{"VENDOR_ID", 0x00, 2, ALL},
	{"DEVICE_ID", 0x02, 2, ALL},
	{"COMMAND", 0x04, 2, ALL},
	{"STATUS", 0x06, 2, ALL},
	{"REVISION", 0x08, 1, ALL},
	{"CLASS_PROG", 0x09, 1, ALL},
	{"CLASS_DEVICE", 0x0a, 2, ALL},
	{"CACHE_LINE_SIZE", 0x0c, 1, ALL},
	{"LATENCY_TIMER", 0x0d, 1, ALL},
	{"HEADER_TYPE", 0x0e, 1, ALL},
	{"BIST", 0x0f, 1, ALL},
	{"BASE_ADDRESS_0", 0x10, 4, H0 | H1},
	{"BASE_ADDRESS_1", 0x14, 4, H0 | H1},
	{"BASE_ADDRESS_2", 0x18, 4, H0},
	{"BASE_ADDRESS_3", 0x1c, 4, H0},
	{"BASE_ADDRESS_4", 0x20, 4, H0},
	{"BASE_ADDRESS_5", 0x24, 4, H0},
	{"CARDBUS_CIS", 0x28, 4, H0},
	{"SUBSYSTEM_VENDOR_ID", 0x2c, 2, H0},
	{"SUBSYSTEM_ID", 0x2e, 2, H0},
	{"ROM_ADDRESS", 0x30, 4, H0},
	{"CAPABILITIES", 0x34, 1, H0 | H1},
	{"INTERRUPT_LINE", 0x3c, 1, ALL},
	{"INTERRUPT_PIN", 0x3d, 1, ALL},
	{"MIN_GNT", 0x3e, 1, H0},
	{"MAX_LAT", 0x3f, 1, H0},
	{"PRIMARY_BUS", 0x18, 1, H1},
	{"SECONDARY_BUS", 0x19, 1, H1},
	{"SUBORDINATE_BUS", 0x1a, 1, H1},
	{"SEC_LATENCY_TIMER", 0x1b, 1, H1},
	{"IO_BASE", 0x1c, 1, H1},
	{"IO_LIMIT", 0x1d, 1, H1},
	{"SEC_STATUS", 0x1e, 2, H1},
	{"MEMORY_BASE", 0x20, 2, H1},
	{"MEMORY_LIMIT", 0x22, 2, H1},
	{"PREF_MEMORY_BASE", 0x24, 2, H1},
	{"PREF_MEMORY_LIMIT", 0x26, 2, H1},
	{"PREF_BASE_UPPER32", 0x28, 4, H1},
	{"PREF_LIMIT_UPPER32", 0x2c, 4, H1},
	{"IO_BASE_UPPER16", 0x30, 2, H1},
	{"IO_LIMIT_UPPER16", 0x32, 2, H1},
	{"BRIDGE_ROM_ADDRESS", 0x38, 4, H1},
	{"BRIDGE_CONTROL", 0x3e, 2, H1},
	{"CB_CARDBUS_BASE", 0x10, 4, H2},
	{"CB_CAPABILITIES", 0x14, 2, H2},
	{"CB_SEC_STATUS", 0x16, 2, H2},
	{"CB_BUS_NUMBER", 0x18, 1, H2},
	{"CB_CARDBUS_NUMBER", 0x19, 1, H2},
	{"CB_SUBORDINATE_BUS", 0x1a, 1, H2},
	{"CB_CARDBUS_LATENCY", 0x1b, 1, H2},
	{"CB_MEMORY_BASE_0", 0x1c, 4, H2},
	{"CB_MEMORY_LIMIT_0", 0x20, 4, H2},
	{"CB_MEMORY_BASE_1", 0x24, 4, H2},
	{"CB_MEMORY_LIMIT_1", 0x28, 4, H2},
	{"CB_IO_BASE_0", 0x2c, 2, H2},
	{"CB_IO_BASE_0_HI", 0x2e, 2, H2},
	{"CB_IO_LIMIT_0", 0x30, 2, H2},
	{"CB_IO_LIMIT_0_HI", 0x32, 2, H2},
	{"CB_IO_BASE_1", 0x34, 2, H2},
	{"CB_IO_BASE_1_HI", 0x36, 2, H2},
	{"CB_IO_LIMIT_1", 0x38, 2, H2},
	{"CB_IO_LIMIT_1_HI", 0x3a, 2, H2},
	{"CB_SUBSYSTEM_VENDOR_ID", 0x40, 2, H2},
	{"CB_SUBSYSTEM_ID", 0x42, 2, H2},
	{"CB_LEGACY_MODE_BASE", 0x44, 4, H2},
};

struct cap_name {
	unsigned id;
	const char *name; /* setpci's suffix: CAP_<name>, ECAP_<name> */
	const char *what;
};

/* PCI 3.0 appendix H; PCI Code and ID Assignment Specification 1.11. */
static const struct cap_name cap_names[] = {
	{0x01, "PM", "Power Management"},
	{0x02, "AGP", "AGP"},
	{0x03, "VPD", "Vital Product Data"},
	{0x04, "SLOTID", "Slot Identification"},
	{0x05, "MSI", "Message Signalled Interrupts"},
	{0x06, "CHSWP", "CompactPCI Hot Swap"},
	{0x07, "PCIX", "PCI-X"},
	{0x08, "HT", "HyperTransport"},
	{0x09, "VNDR", "Vendor Specific"},
	{0x0a, "DBG", "Debug Port"},
	{0x0b, "CCRC", "CompactPCI Central Resource Control"},
	{0x0c, "HOTPLUG", "PCI Hot-Plug"},
	{0x0d, "SSVID", "Bridge Subsystem Vendor ID"},
	{0x0e, "AGP3", "AGP 8x"},
	{0x0f, "SECURE", "Secure Device"},
	{0x10, "EXP", "PCI Express"},
	{0x11, "MSIX", "MSI-X"},
	{0x12, "SATA", "SATA Data/Index Configuration"},
	{0x13, "AF", "Advanced Features"},
	{0x14, "EA", "Enhanced Allocation"},
};

static const struct cap_name ecap_names[] = {
	{0x01, "AER", "Advanced Error Reporting"},
	{0x02, "VC", "Virtual Channel"},
	{0x03, "DSN", "Device Serial Number"},
	{0x04, "PB", "Power Budgeting"},
	{0x05, "RCLINK", "Root Complex Link Declaration"},
	{0x06, "RCILINK", "Root Complex Internal Link Control"},
	{0x07, "RCEC", "Root Complex Event Collector Endpoint Association"},
	{0x08, "MFVC", "Multi-Function Virtual Channel"},
	{0x09, "VC2", "Virtual Channel (MFVC present)"},
	{0x0a, "RBCB", "Root Complex Register Block"},
	{0x0b, "VNDR", "Vendor-Specific Extended"},
	{0x0d, "ACS", "Access Control Services"},
	{0x0e, "ARI", "Alternative Routing-ID Interpretation"},
	{0x0f, "ATS", "Address Translation Services"},
	{0x10, "SRIOV", "Single Root I/O Virtualization"},
	{0x11, "MRIOV", "Multi-Root I/O Virtualization"},
	{0x12, "MCAST", "Multicast"},
	{0x13, "PRI", "Page Request Interface"},
	{0x15, "REBAR", "Resizable BAR"},
	{0x16, "DPA", "Dynamic Power Allocation"},
	{0x17, "TPH", "TPH Requester"},
	{0x18, "LTR", "Latency Tolerance Reporting"},
	{0x19, "SECPCI", "Secondary PCI Express"},
	{0x1a, "PMUX", "Protocol Multiplexing"},
	{0x1b, "PASID", "Process Address Space ID"},
	{0x1c, "LNR", "LN Requester"},
	{0x1d, "DPC", "Downstream Port Containment"},
	{0x1e, "L1PM", "L1 PM Substates"},
	{0x1f, "PTM", "Precision Time Measurement"},
	{0x20, "M_PCIE", "M-PCIe"},
	{0x21, "FRS", "FRS Queueing"},
	{0x22, "RTR", "Readiness Time Reporting"},
	{0x23, "DVSEC", "Designated Vendor-Specific"},
	{0x24, "VF_REBAR", "VF Resizable BAR"},
	{0x25, "DLNK", "Data Link Feature"},
	{0x26, "16GT", "Physical Layer 16.0 GT/s"},
	{0x27, "LMR", "Lane Margining at the Receiver"},
	{0x28, "HIER_ID", "Hierarchy ID"},
	{0x29, "NPEM", "Native PCIe Enclosure Management"},
	{0x2a, "32GT", "Physical Layer 32.0 GT/s"},
	{0x2e, "DOE", "Data Object Exchange"},
	{0x30, "IDE", "Integrity and Data Encryption"},
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const struct cap_name *cap_name_find(bool extended, unsigned id)
{
	const struct cap_name *table = extended ? ecap_names : cap_names;
	size_t i, n = extended ? ARRAY_SIZE(ecap_names) : ARRAY_SIZE(cap_names);

	for (i = 0; i < n; i++)
		if (table[i].id == id)
			return &table[i];
	return NULL;
}

/* The header type's bit (H0, H1, H2), or 0 if @cfg does not reach it. */
static unsigned header_mask(const uint8_t *cfg, size_t cfg_len)
{
	unsigned type;

	if (cfg_len <= PCI_HEADER_TYPE)
		return 0;
	type = cfg[PCI_HEADER_TYPE] & 0x7f;
	return type <= 2 ? 1u << type : 0;
}

static uint16_t cfg16(const uint8_t *cfg, unsigned off)
{
	return cfg[off] | cfg[off + 1] << 8;
}

static uint32_t cfg32(const uint8_t *cfg, unsigned off)
{
	return cfg16(cfg, off) | (uint32_t) cfg16(cfg, off + 2) << 16;
}

static void cap_report(bool extended, unsigned id, unsigned offset,
		       void (*fn)(const struct cap_info *, void *), void *ctx)
{
	const struct cap_name *known = cap_name_find(extended, id);
	struct cap_info cap = {
		.extended = extended,
		.id = id,
		.offset = offset,
		.name = known ? known->name : NULL,
		.what = known ? known->what : "Unknown",
	};

	fn(&cap, ctx);
}

/*
 * PCI 3.0 section 6.7: a list of (id, next) bytes from the header pointer.
 * @cfg_len may be short of the 256 bytes a pointer can reach (an
 * unprivileged read of sysfs config gives 64): the list ends there.
 */
static void cap_walk_std(const uint8_t *cfg, size_t cfg_len,
			 void (*fn)(const struct cap_info *, void *), void *ctx)
{
	unsigned type = cfg[PCI_HEADER_TYPE] & 0x7f;
	unsigned pos, budget = 48; /* at most 48 dwords fit: no loops */

	if (!(cfg16(cfg, PCI_STATUS) & PCI_STATUS_CAP_LIST) || type > 2)
		return;
	pos = cfg[type == 2 ? PCI_CB_CAPABILITY_LIST : PCI_CAPABILITY_LIST];
	/* The low two bits of a pointer are reserved (PCI 3.0 section 6.7). */
	pos &= ~3u;
	while (pos >= 0x40 && pos + 2 <= cfg_len && budget--) {
		if (cfg[pos] == 0xff)
			break;
		cap_report(false, cfg[pos], pos, fn, ctx);
		pos = cfg[pos + 1] & ~3u;
	}
}

/* PCIe 4.0 section 7.6.3: dword headers (id:16 version:4 next:12). */
static void cap_walk_ext(const uint8_t *cfg, size_t cfg_len,
			 void (*fn)(const struct cap_info *, void *), void *ctx)
{
	unsigned pos = PCI_EXT_CAP_START, budget = (4096 - 256) / 8;

	while (pos >= PCI_EXT_CAP_START && pos + 4 <= cfg_len && budget--) {
		uint32_t header = cfg32(cfg, pos);

		if (header == 0 || header == 0xffffffff)
			break;
		cap_report(true, header & 0xffff, pos, fn, ctx);
		pos = (header >> 20) & 0xffc;
	}
}

void cap_foreach(const uint8_t *cfg, size_t cfg_len,
		 void (*fn)(const struct cap_info *cap, void *ctx), void *ctx)
{
	if (cfg_len < 0x40)
		return;
	cap_walk_std(cfg, cfg_len, fn, ctx);
	cap_walk_ext(cfg, cfg_len, fn, ctx);
}

struct cap_search {
	bool extended;
	unsigned id;
	int offset;
};

static void cap_search_one(const struct cap_info *cap, void *ctx)
{
	struct cap_search *search = ctx;

	if (search->offset < 0 && cap->extended == search->extended &&
	    cap->id == search->id)
		search->offset = cap->offset;
}

/* "CAP_PM" or "ECAP_AER": the offset of the first such capability. */
static int cap_offset(const char *name, const uint8_t *cfg, size_t cfg_len)
{
	struct cap_search search = {.offset = -ENOENT};
	const struct cap_name *table = cap_names;
	size_t i, n = ARRAY_SIZE(cap_names);

	if (strncasecmp(name, "ECAP_", 5) == 0) {
		search.extended = true;
		table = ecap_names;
		n = ARRAY_SIZE(ecap_names);
		name += 5;
	} else if (strncasecmp(name, "CAP_", 4) == 0) {
		name += 4;
	} else {
		return -ENOENT;
	}
	for (i = 0; i < n && strcasecmp(table[i].name, name); i++)
		;
	if (i == n)
		return -ENOENT;
	search.id = table[i].id;
	cap_foreach(cfg, cfg_len, cap_search_one, &search);
	return search.offset;
}

/* A hex number filling all of @s, with or without 0x. */
static int parse_hex(const char *s, uint64_t *value)
{
	char *end;

	/* strtoull would also skip white space and take a sign. */
	if (!isxdigit((unsigned char) *s))
		return -EINVAL;
	errno = 0;
	*value = strtoull(s, &end, 16);
	return errno || *end ? -EINVAL : 0;
}

/* Split off a ".b/.w/.l/.q" suffix, allowed up to @max_width bytes. */
static unsigned parse_width(char *name, unsigned max_width)
{
	char *dot = strrchr(name, '.');
	static const char widths[] = "bwlq";
	const char *w;

	if (!dot || strlen(dot) != 2)
		return 0;
	w = strchr(widths, dot[1] | 0x20);
	if (!w || (1u << (w - widths)) > max_width)
		return 0;
	*dot = '\0';
	return 1u << (w - widths);
}

int regname_offset(const char *name, uint64_t *off, unsigned *width)
{
	char copy[64];

	if (snprintf(copy, sizeof(copy), "%s", name) >= (int) sizeof(copy))
		return -ENOENT;
	*width = parse_width(copy, 8);
	if (!*width)
		*width = 4;
	if (parse_hex(copy, off))
		return -ENOENT;
	if (*off % *width)
		return -ENOENT;
	return 0;
}

/* The base of "NAME[+OFF]": a header register, a capability or a number. */
static int config_base(const char *base, const uint8_t *cfg, size_t cfg_len,
		       uint32_t *off, unsigned *width)
{
	unsigned headers = header_mask(cfg, cfg_len);
	uint64_t number;
	size_t i;
	int pos;

	for (i = 0; i < ARRAY_SIZE(header_regs); i++) {
		if ((header_regs[i].headers & headers) &&
		    strcasecmp(header_regs[i].name, base) == 0) {
			*off = header_regs[i].offset;
			*width = header_regs[i].width;
			return 0;
		}
	}
	*width = 4; /* capabilities and bare offsets default to .l */
	pos = cap_offset(base, cfg, cfg_len);
	if (pos >= 0) {
		*off = pos;
		return 0;
	}
	if (parse_hex(base, &number) || number >= cfg_len)
		return -ENOENT;
	*off = number;
	return 0;
}

int regname_config(const char *name, const uint8_t *cfg, size_t cfg_len,
		   uint32_t *off, unsigned *width)
{
	char copy[64], *plus;
	unsigned suffix;
	uint64_t delta = 0;
	int err;

	if (snprintf(copy, sizeof(copy), "%s", name) >= (int) sizeof(copy))
		return -ENOENT;
	suffix = parse_width(copy, 4);
	plus = strchr(copy, '+');
	if (plus) {
		*plus++ = '\0';
		if (parse_hex(plus, &delta) || delta >= cfg_len)
			return -ENOENT;
	}
	err = config_base(copy, cfg, cfg_len, off, width);
	if (err)
		return err;
	*off += delta;
	if (suffix)
		*width = suffix;
	if (*off % *width || *off + *width > cfg_len)
		return -ENOENT;
	return 0;
}

struct list_ctx {
	void (*fn)(const char *name, void *ctx);
	void *ctx;
	size_t cfg_len;
	uint64_t seen[2][2]; /* [extended][id / 64] bitmaps: list each once */
};

static void list_cap(const struct cap_info *cap, void *ctx)
{
	struct list_ctx *list = ctx;
	uint64_t *seen = &list->seen[cap->extended][(cap->id / 64) & 1];
	char name[32];

	if (!cap->name || cap->id >= 128 || (*seen >> (cap->id % 64) & 1))
		return;
	*seen |= UINT64_C(1) << (cap->id % 64);
	/* CAP_NAME is the first such one, a dword (config_base): list it if
	 * that resolves. */
	if (cap->offset + 4 > list->cfg_len)
		return;
	snprintf(name, sizeof(name), "%s_%s", cap->extended ? "ECAP" : "CAP",
		 cap->name);
	list->fn(name, list->ctx);
}

void regname_config_foreach(const uint8_t *cfg, size_t cfg_len,
			    void (*fn)(const char *name, void *ctx), void *ctx)
{
	struct list_ctx list = {.fn = fn, .ctx = ctx, .cfg_len = cfg_len};
	unsigned headers = header_mask(cfg, cfg_len);
	size_t i;

	/* Only what regname_config() resolves: a short read lists less. */
	for (i = 0; i < ARRAY_SIZE(header_regs); i++)
		if ((header_regs[i].headers & headers) &&
		    header_regs[i].offset + header_regs[i].width <= cfg_len)
			fn(header_regs[i].name, ctx);
	cap_foreach(cfg, cfg_len, list_cap, &list);
}
