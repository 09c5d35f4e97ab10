/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * notify.h - the poll notifier of one driven NIC: a thread that wakes the
 * poll()ers and epoll()ers of its rx and tx queue files.
 *
 * Each open file that polled keeps its poll handle (the kernel's handle of
 * that file) until it polls again or is released; a notification may name
 * a handle any number of times, as libfuse's poll example does.  The
 * thread notifies a queue's handles when it turns ready (a frame came, a
 * descriptor freed), then not again until the queue has been drained
 * (notifier_rearm, from the read and write paths): an edge, which is what
 * epoll's edge-triggered mode needs and what level-triggered poll() and
 * epoll re-poll on their own.  It sleeps on a condition variable while no
 * queue is armed, so an idle mount costs nothing.
 */
#ifndef PCIFS_NOTIFY_H
#define PCIFS_NOTIFY_H

#include "e1000/nicdev.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct fuse_pollhandle;

/* Open files polling one queue at once; more, and the oldest is notified
 * and dropped (it polls again if it still waits). */
#define NOTIFY_POLLERS 64

struct notify_poller {
	uint64_t key; /* the open file */
	struct fuse_pollhandle *ph;
};

struct notify_pollers {
	struct notify_poller p[NOTIFY_POLLERS];
	unsigned count;
	bool armed; /* drained since the last notification: notify next */
};

struct notifier {
	struct nic_dev *dev;
	pthread_mutex_t lock; /* guards rx, tx and stopping */
	pthread_cond_t cond;  /* a handle came, a queue was re-armed, or stop */
	struct notify_pollers rx, tx;
	bool stopping;
	pthread_t thread;
};

/* Start the thread for @dev; 0 or -errno (then nothing is left to stop). */
int notifier_start(struct notifier *n, struct nic_dev *dev);

/* End the thread and wake and drop every poller, before @dev is closed. */
void notifier_stop(struct notifier *n);

/*
 * poll() of the open file @key on a queue waiting for @event (NIC_READY_RX:
 * POLLIN, NIC_READY_TX: POLLOUT): adds the event to *@reventsp if ready
 * now; keeps @ph (if any) as @key's handle for the next time it turns
 * ready.  Takes over @ph.
 */
void notifier_poll(struct notifier *n, int event, uint64_t key,
		   struct fuse_pollhandle *ph, unsigned *reventsp);

/* The open file @key is released: drop its handles. */
void notifier_forget(struct notifier *n, uint64_t key);

/* A read or write left the queues of @events not ready (rx empty, tx
 * ring full): their next readiness is an edge to notify. */
void notifier_rearm(struct notifier *n, int events);

#endif /* PCIFS_NOTIFY_H */
