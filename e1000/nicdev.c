// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nicdev.c - the model table: which family drives which PCI id.
 *
 * A family adds its rows here and its ops table beside e1000_ops (ops.c).
 * QEMU 7.2 emulates no igb (82576, QEMU 8.0 on), so none is listed.
 */
#include "e1000/nicdev.h"
#include "e1000/e1000.h"

#include <stddef.h>
#include <strings.h>

/* 8254x parts with the legacy register set e1000/ programs (SDM 1.1). */
const struct nic_model nic_models[] = {
	{0x8086, 0x100e, "82540EM", &e1000_ops}, /* QEMU -device e1000 */
	{0x8086, 0x1015, "82540EM (LOM)", &e1000_ops},
	{0x8086, 0x1016, "82540EP (LOM)", &e1000_ops},
	{0x8086, 0x1017, "82540EP", &e1000_ops},
	{0x8086, 0x101e, "82540EP (mobile)", &e1000_ops},
	{0x8086, 0x100c, "82544GC", &e1000_ops}, /* QEMU e1000-82544gc */
	{0x8086, 0x100d, "82544GC (LOM)", &e1000_ops},
	{0x8086, 0x1008, "82544EI", &e1000_ops},
	{0x8086, 0x100f, "82545EM", &e1000_ops}, /* QEMU e1000-82545em */
	{0x8086, 0x1026, "82545GM", &e1000_ops},
	{0x8086, 0x1010, "82546EB", &e1000_ops},
	{0x8086, 0x1079, "82546GB", &e1000_ops},
	/* The 82574L (82574 datasheet 1.1): Linux's e1000e 82574 parts. */
	{0x8086, 0x10d3, "82574L", &e1000e_ops}, /* QEMU -device e1000e */
	{0x8086, 0x10f6, "82574LA", &e1000e_ops},
	{0, 0, NULL, NULL},
};

const struct nic_model *nic_model_find(uint16_t vendor, uint16_t device)
{
	for (const struct nic_model *m = nic_models; m->name; m++)
		if (m->vendor == vendor && m->device == device)
			return m;
	return NULL;
}

const struct nic_reg *nic_reg_find(const struct nic_reg *regs, const char *name)
{
	for (const struct nic_reg *r = regs; r->name; r++)
		if (!strcasecmp(r->name, name))
			return r;
	return NULL;
}
