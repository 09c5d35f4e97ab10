// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stub_log.c - pcifs_log() for the unit tests and fuzzers: keeps the last
 * line instead of printing it, so a test can check what was logged and a
 * fuzzer stays quiet.
 */
#include "fs/log.h"

#include <stdarg.h>
#include <stdio.h>

char stub_log_last[512];

void pcifs_log(int level, const char *fmt, ...)
{
	va_list ap;

	(void) level;
	va_start(ap, fmt);
	vsnprintf(stub_log_last, sizeof(stub_log_last), fmt, ap);
	va_end(ap);
}
