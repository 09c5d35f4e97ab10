// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * notify.c - the poll notifier thread of a driven NIC (see notify.h).
 */
#include "fs/notify.h"
#include "fs/fuse3.h"

#include <fuse_lowlevel.h>
#include <poll.h>

/*
 * Longest wait of the thread on the NIC between looks at the handles and
 * the stop flag; the driver backs off within it.
 */
#define NOTIFY_WAIT_US 200000L

static void poller_drop(struct notify_pollers *p, unsigned i)
{
	fuse_pollhandle_destroy(p->p[i].ph);
	p->p[i] = p->p[--p->count];
}

/* Tell the kernel that every handle's file is ready; keep the handles. */
static void pollers_notify(struct notify_pollers *p)
{
	for (unsigned i = 0; i < p->count; i++)
		fuse_notify_poll(p->p[i].ph);
	p->armed = false;
}

static void pollers_add(struct notify_pollers *p, uint64_t key,
			struct fuse_pollhandle *ph)
{
	for (unsigned i = 0; i < p->count; i++)
		if (p->p[i].key == key) {
			fuse_pollhandle_destroy(p->p[i].ph);
			p->p[i].ph = ph;
			return;
		}
	if (p->count == NOTIFY_POLLERS) {
		fuse_notify_poll(p->p[0].ph);
		poller_drop(p, 0);
	}
	p->p[p->count++] = (struct notify_poller){.key = key, .ph = ph};
}

static void pollers_forget(struct notify_pollers *p, uint64_t key)
{
	for (unsigned i = 0; i < p->count; i++)
		if (p->p[i].key == key) {
			poller_drop(p, i);
			return;
		}
}

static void pollers_clear(struct notify_pollers *p)
{
	pollers_notify(p);
	while (p->count)
		poller_drop(p, 0);
}

static struct notify_pollers *pollers_of(struct notifier *n, int event)
{
	return event == NIC_READY_RX ? &n->rx : &n->tx;
}

/* The queues someone polls whose next readiness is to be notified. */
static int armed_events(const struct notifier *n)
{
	return (n->rx.count && n->rx.armed ? NIC_READY_RX : 0) |
	       (n->tx.count && n->tx.armed ? NIC_READY_TX : 0);
}

static void *notifier_main(void *arg)
{
	struct notifier *n = arg;

	pthread_mutex_lock(&n->lock);
	while (!n->stopping) {
		int events = armed_events(n), ready;

		if (!events) {
			pthread_cond_wait(&n->cond, &n->lock);
			continue;
		}
		pthread_mutex_unlock(&n->lock);
		ready = nic_dev_wait(n->dev, events, NOTIFY_WAIT_US);
		pthread_mutex_lock(&n->lock);
		if (ready > 0 && (ready & NIC_READY_RX) && n->rx.armed)
			pollers_notify(&n->rx);
		if (ready > 0 && (ready & NIC_READY_TX) && n->tx.armed)
			pollers_notify(&n->tx);
	}
	pthread_mutex_unlock(&n->lock);
	return NULL;
}

int notifier_start(struct notifier *n, struct nic_dev *dev)
{
	int err;

	n->dev = dev;
	n->rx.count = n->tx.count = 0;
	n->rx.armed = n->tx.armed = true;
	n->stopping = false;
	pthread_mutex_init(&n->lock, NULL);
	pthread_cond_init(&n->cond, NULL);
	err = pthread_create(&n->thread, NULL, notifier_main, n);
	if (err) {
		pthread_cond_destroy(&n->cond);
		pthread_mutex_destroy(&n->lock);
	}
	return -err;
}

void notifier_stop(struct notifier *n)
{
	pthread_mutex_lock(&n->lock);
	n->stopping = true;
	pthread_cond_signal(&n->cond);
	pthread_mutex_unlock(&n->lock);
	pthread_join(n->thread, NULL);
	pollers_clear(&n->rx);
	pollers_clear(&n->tx);
	pthread_cond_destroy(&n->cond);
	pthread_mutex_destroy(&n->lock);
}

void notifier_poll(struct notifier *n, int event, uint64_t key,
		   struct fuse_pollhandle *ph, unsigned *reventsp)
{
	struct notify_pollers *p = pollers_of(n, event);
	bool ready = nic_dev_ready(n->dev, event);

	if (ready)
		*reventsp |= event == NIC_READY_RX ? POLLIN : POLLOUT;
	if (!ph)
		return;
	pthread_mutex_lock(&n->lock);
	pollers_add(p, key, ph);
	/* Not ready: the next readiness is news to this poller.  Ready: it
	 * hears of it now, and of the next after a drain. */
	if (!ready)
		p->armed = true;
	pthread_cond_signal(&n->cond);
	pthread_mutex_unlock(&n->lock);
}

void notifier_forget(struct notifier *n, uint64_t key)
{
	pthread_mutex_lock(&n->lock);
	pollers_forget(&n->rx, key);
	pollers_forget(&n->tx, key);
	pthread_mutex_unlock(&n->lock);
}

void notifier_rearm(struct notifier *n, int events)
{
	pthread_mutex_lock(&n->lock);
	if (events & NIC_READY_RX)
		n->rx.armed = true;
	if (events & NIC_READY_TX)
		n->tx.armed = true;
	if (armed_events(n))
		pthread_cond_signal(&n->cond);
	pthread_mutex_unlock(&n->lock);
}
