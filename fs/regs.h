/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * regs.h - register names (setpci's) and register text ("0x0007\n").
 */
#ifndef PCIFS_REGS_H
#define PCIFS_REGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- regnames.c ---- */

/*
 * Resolve a regs/config/ file name as setpci(8) does:
 * "NAME[+OFF][.W]" or "OFF[.W]", where NAME is a header register
 * (COMMAND) or a capability (CAP_EXP, ECAP_AER), OFF is hex with or without
 * 0x, and W is b, w or l (any case).  @cfg is a snapshot of config space,
 * for the header type and the capability lists.  -ENOENT if it names
 * nothing, or an unaligned or out-of-range register.
 */
int regname_config(const char *name, const uint8_t *cfg, size_t cfg_len,
		   uint32_t *off, unsigned *width);

/* Calls @fn with each name regs/config/ lists: header registers valid for
 * the header type, then the capabilities present; only those that
 * regname_config() resolves within @cfg_len. */
void regname_config_foreach(const uint8_t *cfg, size_t cfg_len,
			    void (*fn)(const char *name, void *ctx), void *ctx);

/* Parse "OFF[.W]" (W one of b w l q) for regs/bar<N>/. */
int regname_offset(const char *name, uint64_t *off, unsigned *width);

/* Capabilities in config space, for info. */
struct cap_info {
	bool extended; /* PCIe extended capability (offset >= 0x100) */
	unsigned id;
	unsigned offset;
	const char *name; /* "PM", or NULL if unknown */
	const char *what; /* "Power Management" */
};
void cap_foreach(const uint8_t *cfg, size_t cfg_len,
		 void (*fn)(const struct cap_info *cap, void *ctx), void *ctx);

/* ---- regval.c ---- */

/* Length of a register file's text: "0x" + 2 digits per byte + "\n". */
static inline size_t regval_text_len(unsigned width)
{
	return 2 + 2 * width + 1;
}

/* All ones in @width bytes. */
static inline uint64_t regval_max(unsigned width)
{
	return width >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * width)) - 1;
}

/* "0x%0*x\n"; returns the length. */
size_t regval_format(char *buf, size_t size, uint64_t value, unsigned width);

/* The longest text a register write may be: "0x" and 16 digits, twice,
 * a colon and a newline, with room for leading zeros.  A longer write is
 * no value; refusing it whole keeps a write that FUSE cuts into requests
 * from being applied piece by piece. */
#define REGVAL_TEXT_MAX 64

/*
 * Parse what was written to a register file: "VALUE[:MASK][\n]", both hex
 * with or without 0x.  Without a mask, @mask is all ones of the width.
 * -EINVAL for anything else, a value or mask wider than @width bytes, or a
 * text longer than REGVAL_TEXT_MAX.
 */
int regval_parse(const char *text, size_t len, unsigned width, uint64_t *value,
		 uint64_t *mask);

static inline uint64_t regval_merge(uint64_t old, uint64_t value, uint64_t mask)
{
	return (old & ~mask) | (value & mask);
}

#endif /* PCIFS_REGS_H */
