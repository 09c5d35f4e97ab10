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
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
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

/* One interrupt: quiet the NIC, then let the next one in. */
static void irq_take(struct e1000_nic *nic)
{
	e1000_wr(nic, E1000_IMC, 0xffffffff);
	(void) e1000_rd(nic, E1000_ICR);
	intx_unmask(&nic->pci);
	__atomic_add_fetch(&nic->irq.gen, 1, __ATOMIC_SEQ_CST);
	futex(&nic->irq.gen, FUTEX_WAKE_PRIVATE, INT_MAX, NULL);
}

static void *irq_thread(void *arg)
{
	struct e1000_nic *nic = arg;
	struct pollfd p[2] = {{.fd = nic->irq.fd, .events = POLLIN},
			      {.fd = nic->irq.stop_fd, .events = POLLIN}};
	uint32_t count;

	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		if (!(p[0].revents & POLLIN))
			continue;
		if (read(nic->irq.fd, &count, sizeof(count)) != sizeof(count))
			break;
		irq_take(nic);
	}
	return NULL;
}

static int irq_open(struct e1000_nic *nic, char *why, size_t whylen)
{
	char dev[32];

	snprintf(dev, sizeof(dev), "/dev/%s", nic->pci.uio);
	nic->irq.fd = open(dev, O_RDWR | O_CLOEXEC);
	if (nic->irq.fd < 0) {
		snprintf(why, whylen, "cannot open %s: %s", dev,
			 strerror(errno));
		return -errno;
	}
	nic->irq.stop_fd = eventfd(0, EFD_CLOEXEC);
	if (nic->irq.stop_fd < 0) {
		snprintf(why, whylen, "eventfd: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static void irq_close(struct e1000_nic *nic)
{
	if (nic->irq.stop_fd >= 0)
		close(nic->irq.stop_fd);
	if (nic->irq.fd >= 0)
		close(nic->irq.fd);
	nic->irq.fd = nic->irq.stop_fd = -1;
}

int e1000_irq_start(struct e1000_nic *nic, char *why, size_t whylen)
{
	int err;

	if (!nic->pci.uio[0])
		return 0;
	err = irq_open(nic, why, whylen);
	if (err) {
		irq_close(nic);
		return err;
	}
	/* No cause armed yet; INTx on from here (uio_pci_generic). */
	e1000_wr(nic, E1000_IMC, 0xffffffff);
	(void) e1000_rd(nic, E1000_ICR);
	err = intx_unmask(&nic->pci);
	if (!err)
		err = -pthread_create(&nic->irq.thread, NULL, irq_thread, nic);
	if (err) {
		snprintf(why, whylen, "cannot take %s's interrupts: %s",
			 nic->pci.uio, strerror(-err));
		irq_close(nic);
	}
	return err;
}

void e1000_irq_stop(struct e1000_nic *nic)
{
	uint64_t one = 1;

	if (nic->irq.fd < 0)
		return;
	e1000_wr(nic, E1000_IMC, 0xffffffff);
	if (write(nic->irq.stop_fd, &one, sizeof(one)) == sizeof(one))
		pthread_join(nic->irq.thread, NULL);
	else
		pthread_cancel(nic->irq.thread);
	irq_close(nic);
}

const char *e1000_irq_source(const struct e1000_nic *nic)
{
	return nic->irq.fd >= 0 ? nic->pci.uio : NULL;
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
