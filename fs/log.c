// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * log.c - one logging helper for the whole daemon.
 */
#include "fs/log.h"

#include <stdarg.h>
#include <stdio.h>

static bool log_debug;
static bool log_syslog;

void pcifs_log_init(bool debug)
{
	log_debug = debug;
}

void pcifs_log_to_syslog(void)
{
	openlog("pcifs", LOG_PID, LOG_DAEMON);
	log_syslog = true;
}

void pcifs_log(int level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (level == LOG_DEBUG && !log_debug)
		return;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);

	if (log_syslog)
		syslog(level, "%s", line);
	else
		/* One write per line, so threads do not interleave. */
		fprintf(stderr, "pcifs: %s\n", line);
}
