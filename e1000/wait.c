// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wait.c - readiness: look at descriptor status bytes in DMA memory (never
 * at registers), with an adaptive back-off or after the NIC's interrupt.
 *
 * Right after traffic a waiter spins, yielding the CPU at each look, for up
 * to SPIN_NS: a reply to what was just sent tends to follow within a
 * round trip, and a sleep would add its own wake-up to it.  Then it sleeps,
 * doubling the interval from WAIT_MIN_NS up to a cap that grows with the
 * NIC's silence (backoff.h): poll_max_ns (default E1000_POLL_MAX_US) until
 * 64 times that, then 1/64 of the silence, at most 50 times poll_max_ns.
 * So the first frame after a silence waits at most 1/64 of it for a look
 * (and at most 100 ms), and a reader blocked on an idle NIC costs about 64
 * wake-ups per doubling of the silence, then 10 a second after 6.4 s.
 * Nobody polls when nobody waits.  With uio_pci_generic bound (irq.c), the
 * sleep is on the NIC's interrupt instead: no look at the ring until it
 * fires, or until the caller's slice ends.
 */
#include <errno.h>
#include <sched.h>
#include <time.h>

#include "e1000/backoff.h"
#include "e1000/priv.h"

#define HOT_NS		10000000 /* traffic this recent makes a waiter spin */
#define SPIN_NS		2000000 /* how long it spins, about 2 TCG round trips */
#define WAIT_MIN_NS	E1000_POLL_MIN_NS /* first sleep */
#define IDLE_TO_SLEEP	16 /* first sleep: 1/16 of the quiet time so far */
#define WAIT_FOREVER_US (1L << 40) /* longer timeouts never expire */

/* SDM 3.2.3.1: DD set by the NIC once the descriptor holds a frame. */
static bool rx_ready(const struct e1000_nic *nic)
{
	unsigned i = __atomic_load_n(&nic->rx.next, __ATOMIC_ACQUIRE);

	return nic->rx.desc[i].status & E1000_RXD_STAT_DD;
}

/* A free slot, or one the NIC finished (DD, SDM 3.3.3.2) to reclaim. */
static bool tx_ready(const struct e1000_nic *nic)
{
	const struct e1000_tx_ring *tx = &nic->tx;
	unsigned clean = __atomic_load_n(&tx->clean, __ATOMIC_ACQUIRE);

	return e1000_tx_unused(tx) > 0 ||
	       (tx->desc[clean].status & E1000_TXD_STAT_DD);
}

static int ready_events(const struct e1000_nic *nic, int events)
{
	int ready = 0;

	if ((events & E1000_READY_RX) && rx_ready(nic))
		ready |= E1000_READY_RX;
	if ((events & E1000_READY_TX) && tx_ready(nic))
		ready |= E1000_READY_TX;
	return ready;
}

int e1000_ready(struct nic_dev *dev, int events)
{
	return ready_events(e1000_of(dev), events);
}

static int nap(int64_t ns)
{
	struct timespec ts = {ns / 1000000000, ns % 1000000000};

	return nanosleep(&ts, NULL) < 0 ? -errno : 0;
}

/*
 * Callers wait in slices (fs/queue.c: 200 ms, to notice interrupted requests),
 * so the back-off resumes from how long the NIC has been quiet rather than
 * from the start: a NIC idle for a while is looked at every poll_max_ns.
 */
static int64_t first_sleep(int64_t idle_ns, int64_t max_ns)
{
	int64_t ns = idle_ns / IDLE_TO_SLEEP;

	if (ns < WAIT_MIN_NS)
		return WAIT_MIN_NS;
	return ns < max_ns ? ns : max_ns;
}

/* The longest sleep between two looks at the ring. */
static int64_t sleep_cap(const struct e1000_nic *nic, int64_t idle_ns)
{
	return nic_idle_sleep_ns(idle_ns, nic->poll_max_ns);
}

/* Arm the interrupt, look once more (a frame may have come just before),
 * sleep until it fires or @deadline. */
static int irq_sleep(struct e1000_nic *nic, int events, int64_t deadline)
{
	uint32_t gen = e1000_irq_gen(nic);

	e1000_irq_arm(nic, events);
	if (ready_events(nic, events))
		return 0;
	return e1000_irq_sleep(nic, gen, deadline);
}

int e1000_wait(struct nic_dev *dev, int events, long timeout_us)
{
	struct e1000_nic *nic = e1000_of(dev);
	int64_t now = e1000_now_ns(), deadline, spin_until, sleep_ns, cap;
	int64_t last = __atomic_load_n(&nic->last_traffic, __ATOMIC_RELAXED);

	deadline = timeout_us < 0 || timeout_us > WAIT_FOREVER_US
			   ? INT64_MAX
			   : now + (int64_t) timeout_us * 1000;
	spin_until = now - last < HOT_NS ? now + SPIN_NS : now;
	cap = sleep_cap(nic, now - last);
	sleep_ns = first_sleep(now - last, cap);
	for (;;) {
		int ready = ready_events(nic, events);

		if (ready || now >= deadline)
			return ready;
		if (now < spin_until) {
			/* On a one-CPU guest the sender may still need the CPU. */
			sched_yield();
		} else if (e1000_irq_live(nic)) {
			if (irq_sleep(nic, events, deadline))
				return -EINTR;
		} else {
			if (nap(sleep_ns < deadline - now ? sleep_ns
							  : deadline - now))
				return -EINTR;
			/* The cap grows with the silence (now is one nap old). */
			cap = sleep_cap(nic, now - last);
			sleep_ns = sleep_ns * 2 < cap ? sleep_ns * 2 : cap;
		}
		now = e1000_now_ns();
	}
}
