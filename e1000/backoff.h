/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backoff.h - how long a poller sleeps between two looks at an idle NIC.
 *
 * The sleep grows with the NIC's silence: 1/NIC_IDLE_FRACTION of it, at
 * least @min_ns (the interval right after traffic), at most
 * NIC_IDLE_CAP times that.  So the first frame after a silence waits at
 * most max(@min_ns, silence / 64) for a look: never more than 1.6 % of the
 * silence it ends, once that is over 64 * @min_ns.  And the looks a waiter
 * makes decay: about 64 per doubling of the silence, then one per cap
 * (10 a second at the default 2 ms minimum, reached after 6.4 s).
 *
 * Used by the driver's waiters (e1000/wait.c) and by pcifs-tap (fs/tap.c),
 * which looks at rxbatch over 9p the same way.
 */
#ifndef PCIFS_E1000_BACKOFF_H
#define PCIFS_E1000_BACKOFF_H

#include <stdint.h>

#define NIC_IDLE_FRACTION 64 /* sleep 1/64 of the silence so far */
#define NIC_IDLE_CAP	  50 /* but at most 50 times the minimum */

static inline int64_t nic_idle_sleep_ns(int64_t quiet_ns, int64_t min_ns)
{
	int64_t ns = quiet_ns / NIC_IDLE_FRACTION;

	if (ns < min_ns)
		return min_ns;
	return ns < min_ns * NIC_IDLE_CAP ? ns : min_ns * NIC_IDLE_CAP;
}

#endif
