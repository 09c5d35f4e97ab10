/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nictext.h - the text attribute files of a driven NIC: mac, link, promisc
 * and stats.
 *
 * Each reads as one line (stats as "name value" lines), formatted afresh at
 * every read; mac and promisc take a new value in one write at offset 0.
 */
#ifndef PCIFS_NICTEXT_H
#define PCIFS_NICTEXT_H

#include "fs/nicfile.h"

/* For NIC_MAC, NIC_LINK, NIC_PROMISC and NIC_STATS alike. */
extern const struct nic_file_ops nictext_ops;

#endif /* PCIFS_NICTEXT_H */
