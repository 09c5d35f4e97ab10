// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * irq.c - sleeping on the NIC's interrupt instead of polling its rings, when
 * the PCI backend can deliver it (pci_irq_open): with the sysfs backend when
 * uio_pci_generic is bound (INTx through /dev/uioN, pci/uio.c).
 *
 * The backend hands over a descriptor that polls readable when an
 * interrupt came, and an acknowledgement that lets the next one in (for
 * INTx: clear COMMAND.Interrupt Disable, PCI 3.0 6.2.2).  Everything else
 * stays the driver's own.
 *
 * Causes are armed lazily, as NAPI does: a waiter that is about to sleep
 * sets the causes it waits for in IMS (SDM 13.4.20); the interrupt thread
 * clears them all in IMC, reads ICR (clear on read, SDM 13.4.17) and wakes
 * every waiter.  A cause that came before it was armed still interrupts:
 * the NIC signals when an ICR bit and its IMS bit are both set.  While
 * traffic flows, waiters spin (wait.c) and nothing interrupts at all.
 * Causes stay armed after the last waiter leaves, until the next interrupt
 * masks them: at most one interrupt comes for nobody.
 *
 * If the interrupt stops working (its driver unbound, a device with no IRQ,
 * a failed unmask), the thread says so in @live and wakes everyone; the
 * waits fall back to polling.  Closing /dev/uioN makes uio_pci_generic clear
 * bus mastering, so the interrupt is opened before the rings are live and
 * closed after the NIC is quiesced (hw.c).
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "e1000/priv.h"

/* A futex, not a condition variable: a signal (a FUSE interrupt) must cut
 * a waiter's sleep short with EINTR. */
static long futex(uint32_t *word, int op, uint32_t val,
		  const struct timespec *timeout)
{
	return syscall(SYS_futex, word, op, val, timeout, NULL, 0);
}

static void wake_all(struct e1000_nic *nic)
{
	__atomic_add_fetch(&nic->irq.gen, 1, __ATOMIC_SEQ_CST);
	futex(&nic->irq.gen, FUTEX_WAKE_PRIVATE, INT_MAX, NULL);
}

/* One interrupt: quiet the NIC, then let the next one in. */
static int irq_take(struct e1000_nic *nic)
{
	int err;

	e1000_irqs_off(nic);
	err = pci_irq_ack(&nic->pci.fn, &nic->irq.src);
	__atomic_add_fetch(&nic->irq.taken, 1, __ATOMIC_RELAXED);
	wake_all(nic);
	return err;
}

/* Wait for the next interrupt; false when it is gone (POLLERR, POLLHUP)
 * or the thread is asked to stop. */
static bool irq_next(struct e1000_nic *nic)
{
	struct pollfd p[2] = {{.fd = nic->irq.src.fd, .events = POLLIN},
			      {.fd = nic->irq.stop_fd, .events = POLLIN}};
	int n;

	do
		n = poll(p, 2, -1);
	while (n < 0 && errno == EINTR);
	return n > 0 && !p[1].revents && (p[0].revents & POLLIN);
}

static void *irq_thread(void *arg)
{
	struct e1000_nic *nic = arg;

	while (irq_next(nic) && irq_take(nic) == 0)
		;
	__atomic_store_n(&nic->irq.live, false, __ATOMIC_SEQ_CST);
	wake_all(nic);
	return NULL;
}

static void irq_close(struct e1000_nic *nic)
{
	if (nic->irq.stop_fd >= 0)
		close(nic->irq.stop_fd);
	nic->irq.stop_fd = -1;
	pci_irq_close(&nic->pci.fn, &nic->irq.src);
}

/* With no cause armed yet, let the backend's interrupt in: -ENODEV when
 * it has none to give (no uio_pci_generic bound), then the driver polls
 * and info says how to get them. */
static int irq_open(struct e1000_nic *nic)
{
	int err;

	e1000_irqs_off(nic);
	err = pci_irq_open(&nic->pci.fn, &nic->irq.src, nic->irq.want,
			   nic->irq.why, sizeof(nic->irq.why));
	if (err == -ENODEV)
		nic->irq.why[0] = '\0';
	if (err)
		return err;
	if (nic->mac->irq_route)
		nic->mac->irq_route(nic);
	nic->irq.stop_fd = eventfd(0, EFD_CLOEXEC);
	return nic->irq.stop_fd < 0 ? -errno : 0;
}

_Static_assert(NIC_IRQ_INTX == PCI_IRQ_INTX && NIC_IRQ_MSI == PCI_IRQ_MSI &&
		       NIC_IRQ_MSIX == PCI_IRQ_MSIX,
	       "nicdev.h and pci/access.h name interrupt kinds alike");

/* Failing leaves the driver polling; @nic->irq.why says why. */
void e1000_irq_start(struct e1000_nic *nic)
{
	int err;

	if (nic->irq.want == NIC_IRQ_POLL) {
		snprintf(nic->irq.why, sizeof(nic->irq.why), "-o irq=poll");
		return;
	}
	err = irq_open(nic);

	if (!err) {
		nic->irq.live = true;
		err = -pthread_create(&nic->irq.thread, NULL, irq_thread, nic);
		nic->irq.live = err == 0;
	}
	if (err && err != -ENODEV && !nic->irq.why[0])
		snprintf(nic->irq.why, sizeof(nic->irq.why),
			 "cannot take %s's interrupts: %s", nic->irq.src.source,
			 strerror(-err));
	if (err)
		irq_close(nic);
}

void e1000_irq_stop(struct e1000_nic *nic)
{
	uint64_t one = 1;
	ssize_t n;

	if (nic->irq.src.fd < 0)
		return;
	e1000_irqs_mask(nic->pci.bar0);
	do
		n = write(nic->irq.stop_fd, &one, sizeof(one));
	while (n < 0 && errno == EINTR);
	if (n != sizeof(one))
		pthread_cancel(nic->irq.thread);
	pthread_join(nic->irq.thread, NULL);
	irq_close(nic);
}

bool e1000_irq_live(const struct e1000_nic *nic)
{
	return nic->irq.src.fd >= 0 &&
	       __atomic_load_n(&nic->irq.live, __ATOMIC_SEQ_CST);
}

const char *e1000_irq_source(const struct e1000_nic *nic)
{
	return e1000_irq_live(nic) ? nic->irq.src.source : NULL;
}

const char *e1000_irq_error(const struct e1000_nic *nic)
{
	if (nic->irq.why[0])
		return nic->irq.why;
	if (nic->irq.src.fd >= 0 && !e1000_irq_live(nic))
		return "the interrupt stopped (its driver unbound?)";
	return NULL;
}

uint64_t e1000_irq_taken(const struct e1000_nic *nic)
{
	return __atomic_load_n(&nic->irq.taken, __ATOMIC_RELAXED);
}

uint32_t e1000_irq_gen(struct e1000_nic *nic)
{
	return __atomic_load_n(&nic->irq.gen, __ATOMIC_SEQ_CST);
}

void e1000_irq_arm(struct e1000_nic *nic, int events)
{
	uint32_t ims = ((events & E1000_READY_RX) ? nic->mac->rx_causes : 0) |
		       ((events & E1000_READY_TX) ? nic->mac->tx_causes : 0);

	e1000_wr(nic, E1000_IMS, ims);
}

int e1000_irq_sleep(struct e1000_nic *nic, uint32_t gen, int64_t deadline_ns)
{
	while (e1000_irq_gen(nic) == gen) {
		int64_t left = deadline_ns - e1000_now_ns();
		struct timespec ts = {left / 1000000000, left % 1000000000};

		if (left <= 0)
			return 0;
		/* FUTEX_WAIT: relative timeout; returns at once if gen moved. */
		if (futex(&nic->irq.gen, FUTEX_WAIT_PRIVATE, gen,
			  deadline_ns == INT64_MAX ? NULL : &ts) < 0 &&
		    errno == EINTR)
			return -EINTR;
	}
	return 0;
}
