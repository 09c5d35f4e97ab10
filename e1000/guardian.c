// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guardian.c - a forked watchdog that stops the NIC when the daemon dies.
 *
 * The NIC DMAs into pages the daemon allocated.  If the daemon is killed
 * (SIGKILL, crash), nothing in it can stop the NIC, and its pages could be
 * reused by anyone while RX keeps writing frames into them.  The guardian is
 * a child that shares those pages (MAP_SHARED, so they stay allocated while
 * it lives), the BAR0 mapping and the config fd.  When the daemon's end of
 * its pipe closes, it clears RCTL.EN, TCTL.EN and bus mastering, restores
 * COMMAND, gives the NIC back to a kernel driver pcifs unbound, and only then
 * exits, dropping
 * the last reference to the pages.  On a normal close the daemon quiesces
 * the NIC itself and then sends 'q'.
 *
 * With VFIO (pci/vfio.c) the kernel already does part of this: when the
 * last fd of the device closes, vfio-pci disables it (bus mastering off,
 * interrupts off) and only then does the type1 IOMMU drop the mappings
 * and unpin the pages, so no stray DMA reaches reused RAM.  The guardian
 * still adds: the NIC is stopped (RCTL.EN, TCTL.EN, IMC) by register
 * writes at once rather than whenever the last reference goes (its BAR0
 * mapping and the config fd, which is the VFIO device fd, keep the device
 * open in the guardian too); and the NIC is given back to a driver pcifs
 * took it from.  It keeps config_fd, so the device, its group and the
 * container stay open until it has quiesced the NIC.
 *
 * The child of a multithreaded process may only call async-signal-safe
 * functions: everything below is a system call or a volatile access.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e1000/priv.h"

#define GUARDIAN_QUIT 'q'
#define GUARDIAN_NAME "e1000-guardian" /* comm: at most 15 characters */

/* Stop RX and TX (SDM 13.4.22, 13.4.33) and, given @fn, bus mastering
 * (PCI 3.0, 6.2.2).  Async-signal-safe. */
void e1000_quiesce_hw(volatile uint8_t *bar0, const struct pci_fn *fn)
{
	volatile uint32_t *rctl = (volatile uint32_t *) (bar0 + E1000_RCTL);
	volatile uint32_t *tctl = (volatile uint32_t *) (bar0 + E1000_TCTL);

	*rctl &= ~E1000_RCTL_EN;
	*tctl &= ~E1000_TCTL_EN;
	/* SDM 13.4.21: no cause may interrupt a host nobody listens on. */
	e1000_irqs_mask(bar0);
	(void) *(volatile uint32_t *) (bar0 + E1000_STATUS); /* flush */
	if (fn)
		(void) pci_command_update(fn, 0, PCI_COMMAND_MASTER);
}

static void on_parent_death(int sig)
{
	(void) sig; /* only interrupts read() */
}

/* Keep @a < @b < @c (sorted by the caller) and 0-2; close the rest, such
 * as /dev/fuse and other guardians' pipes. */
static void close_others(int a, int b, int c)
{
	int keep[] = {a, b, c}, from = 3, i, fd;

	for (i = 0; i < 3; i++) {
		if (keep[i] > from &&
		    close_range((unsigned) from, (unsigned) keep[i] - 1, 0))
			for (fd = from; fd < keep[i]; fd++)
				close(fd);
		if (keep[i] + 1 > from)
			from = keep[i] + 1;
	}
	close_range((unsigned) from, ~0u, 0);
}

static void sort3(int v[3])
{
	int i, j, t;

	for (i = 0; i < 2; i++)
		for (j = 0; j < 2 - i; j++)
			if (v[j] > v[j + 1]) {
				t = v[j];
				v[j] = v[j + 1];
				v[j + 1] = t;
			}
}

static void guardian_signals(void)
{
	struct sigaction sa = {.sa_handler = on_parent_death};
	sigset_t all;

	/* Terminal signals belong to the daemon: block everything but the
	 * death signal, which interrupts read() (no SA_RESTART). */
	sigfillset(&all);
	sigdelset(&all, SIGUSR1);
	sigprocmask(SIG_SETMASK, &all, NULL);
	sigaction(SIGUSR1, &sa, NULL);
}

/* The length of this process's argument area, /proc/self/cmdline. */
static size_t cmdline_len(void)
{
	char buf[512];
	size_t len = 0;
	ssize_t n;
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		len += (size_t) n;
	close(fd);
	return len;
}

/*
 * The guardian must not look like the daemon: `pkill -f pcifs` or `pkill
 * pcifs` would kill both, and then nothing stops the NIC's DMA.  Its comm
 * and its command line become "e1000-guardian": the command line is the
 * argument area it shares, copied on write, with the daemon
 * (program_invocation_name is argv[0]), overwritten in place, so it is cut
 * short if the daemon's was shorter.  Async-signal-safe: plain stores.
 */
static void rename_self(size_t args_len)
{
	static const char name[] = GUARDIAN_NAME;
	char *args = program_invocation_name;

	prctl(PR_SET_NAME, GUARDIAN_NAME);
	if (!args || args_len < 2)
		return;
	memset(args, 0, args_len);
	memcpy(args, name,
	       args_len - 1 < sizeof(name) ? args_len - 1 : sizeof(name));
}

static void __attribute__((noreturn))
guardian_main(struct e1000_nic *nic, int pipe_fd, pid_t daemon, size_t args_len)
{
	int keep[3] = {pipe_fd, nic->pci.fn.config_fd, nic->pci.fn.lock_fd};
	char c;

	guardian_signals();
	sort3(keep);
	close_others(keep[0], keep[1], keep[2]);
	rename_self(args_len);
	/* Also told by signal; the pipe is the primary channel, since the
	 * death signal follows the forking thread, not the process. */
	prctl(PR_SET_PDEATHSIG, SIGUSR1);
	while (getppid() == daemon) {
		ssize_t n = read(pipe_fd, &c, 1);

		if (n == 1 && c == GUARDIAN_QUIT)
			_exit(0);
		if (n == 0 || (n < 0 && errno != EINTR))
			break;
	}
	e1000_quiesce_hw(nic->pci.bar0, &nic->pci.fn);
	e1000_pci_command(&nic->pci, nic->pci.command & ~PCI_COMMAND_MASTER,
			  0xffff);
	e1000_pci_rebind(&nic->pci);
	_exit(0);
}

int e1000_guardian_start(struct e1000_nic *nic)
{
	size_t args_len = cmdline_len();
	pid_t daemon = getpid(), pid;
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (pid == 0) {
		close(fds[1]);
		guardian_main(nic, fds[0], daemon, args_len);
	}
	close(fds[0]);
	nic->guardian_fd = fds[1];
	nic->guardian_pid = pid;
	return 0;
}

/* Called once the daemon has quiesced the NIC itself. */
void e1000_guardian_stop(struct e1000_nic *nic)
{
	char c = GUARDIAN_QUIT;

	if (nic->guardian_fd >= 0) {
		(void) !write(nic->guardian_fd, &c, 1);
		close(nic->guardian_fd);
		nic->guardian_fd = -1;
	}
	if (nic->guardian_pid > 0) {
		while (waitpid(nic->guardian_pid, NULL, 0) < 0 &&
		       errno == EINTR)
			;
		nic->guardian_pid = -1;
	}
}
