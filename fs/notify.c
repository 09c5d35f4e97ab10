// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * notify.c - the poll notifier thread of a driven NIC (see notify.h).
 */
#include "fs/notify.h"
#include "fs/fuse3.h"

#include <fuse_lowlevel.h>
#include <poll.h>

/*
 * Longest wait of the thread on the NIC between looks at the pending
 * handles and the stop flag; the driver backs off within it.
 */
#define NOTIFY_WAIT_US 200000L

/* Notify and forget every pending handle; a poller re-polls if it still
 * has nothing to read, so a spurious wake-up is harmless. */
static void pollers_wake(struct notify_pollers *p)
{
	for (unsigned i = 0; i < p->count; i++) {
		fuse_notify_poll(p->ph[i]);
		fuse_pollhandle_destroy(p->ph[i]);
	}
	p->count = 0;
}

static void pollers_add(struct notify_pollers *p, struct fuse_pollhandle *ph)
{
	if (p->count == NOTIFY_POLLERS)
		pollers_wake(p);
	p->ph[p->count++] = ph;
}

static int pending_events(const struct notifier *n)
{
	return (n->rx.count ? NIC_READY_RX : 0) |
	       (n->tx.count ? NIC_READY_TX : 0);
}

static void *notifier_main(void *arg)
{
	struct notifier *n = arg;

	pthread_mutex_lock(&n->lock);
	while (!n->stopping) {
		int events = pending_events(n), ready;

		if (!events) {
			pthread_cond_wait(&n->cond, &n->lock);
			continue;
		}
		pthread_mutex_unlock(&n->lock);
		ready = nic_dev_wait(n->dev, events, NOTIFY_WAIT_US);
		pthread_mutex_lock(&n->lock);
		if (ready & NIC_READY_RX)
			pollers_wake(&n->rx);
		if (ready & NIC_READY_TX)
			pollers_wake(&n->tx);
	}
	pthread_mutex_unlock(&n->lock);
	return NULL;
}

int notifier_start(struct notifier *n, struct nic_dev *dev)
{
	int err;

	n->dev = dev;
	n->rx.count = n->tx.count = 0;
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
	pollers_wake(&n->rx);
	pollers_wake(&n->tx);
	pthread_cond_destroy(&n->cond);
	pthread_mutex_destroy(&n->lock);
}

void notifier_poll(struct notifier *n, int event, struct fuse_pollhandle *ph,
		   unsigned *reventsp)
{
	if (nic_dev_ready(n->dev, event)) {
		*reventsp |= event == NIC_READY_RX ? POLLIN : POLLOUT;
		if (ph)
			fuse_pollhandle_destroy(ph);
		return;
	}
	if (!ph)
		return;
	pthread_mutex_lock(&n->lock);
	pollers_add(event == NIC_READY_RX ? &n->rx : &n->tx, ph);
	pthread_cond_signal(&n->cond);
	pthread_mutex_unlock(&n->lock);
}
