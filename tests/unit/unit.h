/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unit.h - what every unit test of the pure parsers includes: cmocka and
 * the captured config dumps of tests/fixtures.
 */
#ifndef PCIFS_UNIT_H
#define PCIFS_UNIT_H

/* cmocka.h needs these first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/*
 * The config file of fixture device @bdf of set @set ("qemu-q35"), as
 * tests/fixtures/make-fixtures.sh lays it out under $PCIFS_FIXTURES, in a
 * buffer of exactly its size (so ASan sees any read past it).  Fails the
 * test if it cannot be read.  The caller frees it.
 */
uint8_t *fixture_config(const char *set, const char *bdf, size_t *len);

/* The first @len bytes of @cfg in a buffer of exactly that size, as a read
 * of config space that returned @len bytes leaves them.  The caller frees
 * it. */
uint8_t *config_cut(const uint8_t *cfg, size_t len);

/* Frames the e1000 suites see on QEMU's user network (tests/unit/frames.c):
 * the guest's ARP request for 10.0.2.2 and the gateway's reply. */
extern const uint8_t arp_request[42], arp_reply[42];

/* The last line pcifs_log() was given (tests/unit/stub_log.c). */
extern char stub_log_last[512];

#endif /* PCIFS_UNIT_H */
