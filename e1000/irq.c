// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * irq.c - sleeping on the NIC's interrupt instead of polling its rings, when
 * the NIC is bound to uio_pci_generic.
 *
 * uio_pci_generic is no e1000 driver: it only takes the legacy INTx
 * interrupt, masks it (COMMAND.Interrupt Disable, PCI 3.0 6.2.2) and counts
 * it on /dev/uioN; clearing that bit again is up to us.  Everything else
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
 * If the interrupt stops working (uio_pci_generic unbound, a device with no
 * IRQ, a failed unmask), the thread says so in @live and wakes everyone;
 * the waits fall back to polling.  Closing /dev/uioN makes uio_pci_generic
 * clear bus mastering, so it is opened before the rings are live and closed
 * after the NIC is quiesced (hw.c).
 */
#include <errno.h>
#include <fcntl.h>
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

#define IRQ_RX (E1000_ICR_RXT0 | E1000_ICR_RXO | E1000_ICR_RXDMT0)
#define IRQ_TX E1000_ICR_TXDW

/*
 * Let INTx in again: clear COMMAND bit 10, Interrupt Disable (PCI 3.0,
 * 6.2.2), in the register's high byte only, so that nothing else in
 * COMMAND is written back (the kernel's handler sets that bit meanwhile).
 */
static int intx_unmask(const struct e1000_pci *pci)
{
	uint8_t hi;

	if (pread(pci->config_fd, &hi, 1, PCI_CFG_COMMAND + 1) != 1)
		return -EIO;
	hi &= (uint8_t) ~(PCI_COMMAND_INTX_DISABLE >> 8);
	return pwrite(pci->config_fd, &hi, 1, PCI_CFG_COMMAND + 1) == 1 ? 0
									: -EIO;
}

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
	err = intx_unmask(&nic->pci);
	wake_all(nic);
	return err;
}

/* The next event count from /dev/uioN; false when the interrupt is gone or
 * the thread is asked to stop. */
static bool irq_next(struct e1000_nic *nic)
{
	struct pollfd p[2] = {{.fd = nic->irq.fd, .events = POLLIN},
			      {.fd = nic->irq.stop_fd, .events = POLLIN}};
	uint32_t count;
	int n;

	do
		n = poll(p, 2, -1);
	while (n < 0 && errno == EINTR);
	if (n < 0 || p[1].revents || !(p[0].revents & POLLIN))
		return false; /* POLLERR, POLLHUP: no interrupt any more */
	return read(nic->irq.fd, &count, sizeof(count)) == sizeof(count);
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

static int irq_open(struct e1000_nic *nic)
{
	char dev[32];

	snprintf(dev, sizeof(dev), "/dev/%s", nic->pci.uio);
	nic->irq.fd = open(dev, O_RDWR | O_CLOEXEC);
	if (nic->irq.fd < 0)
		return -errno;
	nic->irq.stop_fd = eventfd(0, EFD_CLOEXEC);
	return nic->irq.stop_fd < 0 ? -errno : 0;
}

static void irq_close(struct e1000_nic *nic)
{
	if (nic->irq.stop_fd >= 0)
		close(nic->irq.stop_fd);
	if (nic->irq.fd >= 0)
		close(nic->irq.fd);
	nic->irq.fd = nic->irq.stop_fd = -1;
}

/* Failing leaves the driver polling; @nic->irq.why says why. */
void e1000_irq_start(struct e1000_nic *nic)
{
	int err;

	if (!nic->pci.uio[0])
		return;
	err = irq_open(nic);
	/* No cause armed yet; INTx on from here (uio_pci_generic). */
	if (!err) {
		e1000_irqs_off(nic);
		err = intx_unmask(&nic->pci);
	}
	if (!err) {
		nic->irq.live = true;
		err = -pthread_create(&nic->irq.thread, NULL, irq_thread, nic);
		nic->irq.live = err == 0;
	}
	if (err) {
		snprintf(nic->irq.why, sizeof(nic->irq.why),
			 "cannot take %s's interrupts: %s", nic->pci.uio,
			 strerror(-err));
		irq_close(nic);
	}
}

void e1000_irq_stop(struct e1000_nic *nic)
{
	uint64_t one = 1;
	ssize_t n;

	if (nic->irq.fd < 0)
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
	return nic->irq.fd >= 0 &&
	       __atomic_load_n(&nic->irq.live, __ATOMIC_SEQ_CST);
}

const char *e1000_irq_source(const struct e1000_nic *nic)
{
	return e1000_irq_live(nic) ? nic->pci.uio : NULL;
}

const char *e1000_irq_error(const struct e1000_nic *nic)
{
	if (nic->irq.why[0])
		return nic->irq.why;
	if (nic->irq.fd >= 0 && !e1000_irq_live(nic))
		return "the interrupt stopped (uio_pci_generic unbound?)";
	return NULL;
}

uint32_t e1000_irq_gen(struct e1000_nic *nic)
{
	return __atomic_load_n(&nic->irq.gen, __ATOMIC_SEQ_CST);
}

void e1000_irq_arm(struct e1000_nic *nic, int events)
{
	uint32_t ims = ((events & E1000_READY_RX) ? IRQ_RX : 0) |
		       ((events & E1000_READY_TX) ? IRQ_TX : 0);

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
