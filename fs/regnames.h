/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * regnames.h - register names as setpci(8) has them, and the capability
 * lists of config space (regnames.c).
 */
#ifndef PCIFS_REGNAMES_H
#define PCIFS_REGNAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

#endif /* PCIFS_REGNAMES_H */
