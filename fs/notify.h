/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * notify.h - the poll notifier of one driven NIC: a thread that wakes the
 * poll()ers of its rx and tx queue files.
 *
 * The thread sleeps on a condition variable while no poll handle is
 * pending, so an idle mount costs nothing; with a handle pending it waits on
 * the NIC (nic_dev_wait) and notifies the kernel, which wakes every poller.
 */
#ifndef PCIFS_NOTIFY_H
#define PCIFS_NOTIFY_H

#include "e1000/nicdev.h"

#include <pthread.h>
#include <stdbool.h>

struct fuse_pollhandle;

/* Each open file polling a queue has a handle; the kernel wakes every
 * poller of that file from one notification. */
#define NOTIFY_POLLERS 64

struct notify_pollers {
	struct fuse_pollhandle *ph[NOTIFY_POLLERS];
	unsigned count;
};

struct notifier {
	struct nic_dev *dev;
	pthread_mutex_t lock; /* guards rx, tx and stopping */
	pthread_cond_t cond;  /* a handle came, or stop */
	struct notify_pollers rx, tx;
	bool stopping;
	pthread_t thread;
};

/* Start the thread for @dev; 0 or -errno (then nothing is left to stop). */
int notifier_start(struct notifier *n, struct nic_dev *dev);

/* End the thread and wake every pending poller, before @dev is closed. */
void notifier_stop(struct notifier *n);

/*
 * poll() on a queue waiting for @event (NIC_READY_RX: POLLIN, NIC_READY_TX:
 * POLLOUT): adds the event to *@reventsp if ready now, else keeps @ph (if
 * any) until it is.  Takes over @ph.
 */
void notifier_poll(struct notifier *n, int event, struct fuse_pollhandle *ph,
		   unsigned *reventsp);

#endif /* PCIFS_NOTIFY_H */
