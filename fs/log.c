// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * log.c - one logging helper for the whole daemon.
 */
#include "fs/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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

static void log_line(int level, const char *line)
{
	if (log_syslog)
		syslog(level, "%s", line);
	else
		/* One write per line, so threads do not interleave. */
		fprintf(stderr, "pcifs: %s\n", line);
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
	log_line(level, line);
}

/*
 * The same line again and again (a script retrying a refused write in a
 * loop) is said LOG_BURST times per LOG_INTERVAL seconds; then once more,
 * with how many were left out, when the next interval starts.  Lines are
 * told apart by a hash, in a small table: a collision only merges counts.
 */
#define LOG_INTERVAL 10
#define LOG_BURST    5
#define LOG_SLOTS    64

struct log_slot {
	uint32_t hash;
	time_t start;
	unsigned said, left_out;
};

static struct log_slot log_slots[LOG_SLOTS];
static pthread_mutex_t log_slots_lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t log_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (uint8_t) *s) * 16777619u;
	return h;
}

/* How many lines were left out before this one (to say so), or -1 if this
 * one is to be left out too. */
static long log_admit(const char *line)
{
	uint32_t h = log_hash(line);
	struct log_slot *slot = &log_slots[h % LOG_SLOTS];
	time_t now = time(NULL);
	long left_out = 0;

	pthread_mutex_lock(&log_slots_lock);
	if (slot->hash != h || now - slot->start >= LOG_INTERVAL) {
		left_out = slot->hash == h ? slot->left_out : 0;
		*slot = (struct log_slot){.hash = h, .start = now};
	}
	if (slot->said < LOG_BURST)
		slot->said++;
	else {
		slot->left_out++;
		left_out = -1;
	}
	pthread_mutex_unlock(&log_slots_lock);
	return left_out;
}

void pcifs_log_limited(int level, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	long left_out;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	left_out = log_admit(line);
	if (left_out > 0) {
		char more[600];

		snprintf(more, sizeof(more), "%s (and %ld more like it)", line,
			 left_out);
		log_line(level, more);
	} else if (left_out == 0)
		log_line(level, line);
}
