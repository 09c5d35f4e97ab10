/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.h - the one place pcifs reports anything.
 *
 * Lines go to stderr while the daemon runs in the foreground and to syslog
 * once it has daemonized.  LOG_DEBUG lines appear only with -d.
 */
#ifndef PCIFS_LOG_H
#define PCIFS_LOG_H

#include <stdbool.h>
#include <syslog.h>

void pcifs_log_init(bool debug);
/* Switch to syslog: called right after the daemon detached from its tty. */
void pcifs_log_to_syslog(void);

/* @level is a syslog level: LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG. */
void pcifs_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The same, but an identical line repeated in a loop is said only a few
 * times per interval (then with a count of the ones left out). */
void pcifs_log_limited(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* PCIFS_LOG_H */
