// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - pcifs: every PCI device as a directory of register files.
 *
 * This file only parses the command line, checks what can be checked before
 * mounting (so a mistake costs one line on stderr and exit status 1), and
 * runs the FUSE session.  The tree lives in ops.c and the files it uses.
 */
#include "fs/bdf.h"
#include "fs/log.h"
#include "fs/nic.h"
#include "fs/ops.h"
#include "fs/pcifs.h"
#include "fs/pcilib.h"
#include "pci/access.h"

#include <dirent.h>
#include <errno.h>
#include <fuse_lowlevel.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef PCIFS_VERSION
#define PCIFS_VERSION "unknown"
#endif

struct pcifs_opts pcifs_opts;

/* What the command line asked for besides -o options. */
static struct {
	const char *args[2]; /* [SOURCE] MOUNTPOINT */
	int nargs;
	bool help, version, allow_other;
} cmdline;

enum { KEY_HELP, KEY_VERSION, KEY_RO, KEY_ALLOW_OTHER };

#define PCIFS_OPT(t, p)                                                        \
	{                                                                      \
		t, offsetof(struct pcifs_opts, p), 1                           \
	}

static const struct fuse_opt pcifs_opt_spec[] = {
	PCIFS_OPT("sysfs=%s", sysfs),
	PCIFS_OPT("devices=%s", devices),
	PCIFS_OPT("force", force),
	PCIFS_OPT("unbind", unbind),
	PCIFS_OPT("nodriver", nodriver),
	PCIFS_OPT("vfio", vfio),
	PCIFS_OPT("irq=%s", irq),
	PCIFS_OPT("netdev=%s", netdev),
	FUSE_OPT_KEY("ro", KEY_RO),
	FUSE_OPT_KEY("allow_other", KEY_ALLOW_OTHER),
	FUSE_OPT_KEY("-h", KEY_HELP),
	FUSE_OPT_KEY("--help", KEY_HELP),
	FUSE_OPT_KEY("-V", KEY_VERSION),
	FUSE_OPT_KEY("--version", KEY_VERSION),
	FUSE_OPT_END,
};

static const char usage_text[] =
	"usage: pcifs [-f] [-d] [-s] [-o OPTION[,OPTION...]] MOUNTPOINT\n"
	"       pcifs --help | --version\n"
	"\n"
	"Show every PCI device as a directory of register files.\n"
	"\n"
	"Options:\n"
	"    -f                     stay in the foreground\n"
	"    -d                     debug output on stderr (implies -f)\n"
	"    -s                     single-threaded\n"
	"    -o OPTION[,OPTION...]  mount options, below\n"
	"    -h, --help             print this help and exit\n"
	"    -V, --version          print the version and exit\n"
	"\n"
	"Mount options:\n"
	"    sysfs=DIR              serve the PCI sysfs tree DIR, devices in\n"
	"                           DIR/devices/ (default /sys/bus/pci)\n"
	"    devices=BDF[:BDF...]   expose only these devices\n"
	"                           (0000:00:03.0 or 00:03.0)\n"
	"    ro                     read-only: every write fails with EROFS\n"
	"    force                  allow BAR access and config writes on\n"
	"                           devices that a kernel driver is bound to\n"
	"    unbind                 e1000: detach a bound kernel driver at\n"
	"                           mount, rebind it at unmount\n"
	"    vfio                   e1000: bind an unbound NIC (with unbind:\n"
	"                           a kernel-bound one) to vfio-pci at mount\n"
	"                           and drive it through the IOMMU; give it\n"
	"                           back at unmount\n"
	"    irq=KIND               e1000: interrupts of this kind only:\n"
	"                           msix or msi (VFIO), intx, or poll for\n"
	"                           none (default: the best there is)\n"
	"    netdev=DIR             e1000: a unix socket DIR/<BDF> per NIC\n"
	"                           for one VM's -netdev stream (see\n"
	"                           pcifs(1), THE VM SOCKET); DIR is made\n"
	"                           with mode 0700 if missing\n"
	"    nodriver               never engage pcifs's own e1000 driver\n"
	"    allow_other            let other users in (implies\n"
	"                           default_permissions)\n"
	"    default_permissions    let the kernel check file modes\n"
	"    and the other standard FUSE mount options, see fuse(8).\n";

static int pcifs_opt_proc(void *data, const char *arg, int key,
			  struct fuse_args *outargs)
{
	(void) data;
	(void) outargs;
	switch (key) {
	case FUSE_OPT_KEY_NONOPT:
		/* mount.fuse3 runs "pcifs SOURCE MOUNTPOINT -o ..." */
		if (cmdline.nargs == 2) {
			pcifs_log(LOG_ERR, "unexpected argument '%s'", arg);
			return -1;
		}
		cmdline.args[cmdline.nargs++] = arg;
		return 0;
	case KEY_HELP:
		cmdline.help = true;
		return 0;
	case KEY_VERSION:
		cmdline.version = true;
		return 0;
	case KEY_RO:
		pcifs_opts.ro = 1;
		return 1; /* and a read-only mount for the kernel */
	case KEY_ALLOW_OTHER:
		cmdline.allow_other = true;
		return 1;
	default:
		return 1;
	}
}

/*
 * DIR/devices must be readable.  DIR is made absolute, because the daemon
 * changes to / when it detaches from the terminal.
 */
static int check_sysfs(char **sysfs)
{
	char path[PATH_MAX + 16], *real;
	DIR *dir;

	real = realpath(*sysfs, NULL);
	if (!real) {
		pcifs_log(LOG_ERR, "cannot read %s: %s", *sysfs,
			  strerror(errno));
		return -1;
	}
	free(*sysfs);
	*sysfs = real;
	snprintf(path, sizeof(path), "%s/devices", real);
	dir = opendir(path);
	if (!dir) {
		pcifs_log(LOG_ERR, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	closedir(dir);
	return 0;
}

/* An existing directory that nothing is mounted on yet. */
static int check_mountpoint(const char *mnt, char *real)
{
	char parent[PATH_MAX + 4];
	struct stat st, up;

	if (!realpath(mnt, real) || stat(real, &st) < 0) {
		pcifs_log(LOG_ERR, "mountpoint %s: %s", mnt, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		pcifs_log(LOG_ERR, "mountpoint %s: %s", mnt, strerror(ENOTDIR));
		return -1;
	}
	snprintf(parent, sizeof(parent), "%s/..", real);
	if (stat(parent, &up) == 0 &&
	    (up.st_dev != st.st_dev || up.st_ino == st.st_ino)) {
		pcifs_log(LOG_ERR,
			  "mountpoint %s: already a mount point (busy)", mnt);
		return -1;
	}
	return 0;
}

/* Everything that can be wrong before mounting; 0 or -1 (reported). */
static int check_setup(struct fuse_args *args, char *mountpoint)
{
	if (cmdline.nargs == 0) {
		pcifs_log(LOG_ERR, "no mountpoint (see pcifs --help)");
		return -1;
	}
	if (!pcifs_opts.sysfs)
		pcifs_opts.sysfs = strdup("/sys/bus/pci");
	if (!pcifs_opts.sysfs || check_sysfs(&pcifs_opts.sysfs))
		return -1;
	if (pcifs_opts.devices && bdf_filter_parse(pcifs_opts.devices))
		return -1;
	if (pcifs_opts.irq &&
	    nic_irq_parse(pcifs_opts.irq, &pcifs_opts.irq_kinds))
		return -1;
	if (pcifs_opts.netdev && pcifs_opts.netdev[0] != '/') {
		pcifs_log(
			LOG_ERR,
			"netdev=%s: give an absolute directory, e.g. netdev=/run/pcifs",
			pcifs_opts.netdev);
		return -1;
	}
	if (check_mountpoint(cmdline.args[cmdline.nargs - 1], mountpoint))
		return -1;
	if (cmdline.allow_other &&
	    fuse_opt_add_arg(args, "-odefault_permissions"))
		return -1;
	if (fuse_opt_add_arg(args, mountpoint) || pcilib_init(pcifs_opts.sysfs))
		return -1;
	return 0;
}

static int run_loop(struct fuse *fuse, const struct fuse_cmdline_opts *opts)
{
	struct fuse_loop_config *config;
	int err;

	if (opts->singlethread)
		return fuse_loop(fuse);
	config = fuse_loop_cfg_create();
	if (!config)
		return -ENOMEM;
	fuse_loop_cfg_set_clone_fd(config, opts->clone_fd);
	/* libfuse 3.14 complains about its own "unlimited" default. */
	if (opts->max_idle_threads != UINT_MAX)
		fuse_loop_cfg_set_idle_threads(config, opts->max_idle_threads);
	fuse_loop_cfg_set_max_threads(config, opts->max_threads);
	err = fuse_loop_mt(fuse, config);
	fuse_loop_cfg_destroy(config);
	return err;
}

static void interrupt_signal(int sig)
{
	(void) sig; /* only there to make a blocking wait return EINTR */
}

/*
 * A FUSE_INTERRUPT (Ctrl-C on a blocked `cat rx`) makes libfuse send
 * SIGUSR1 to the worker thread.  libfuse 3.14 installs a handler for it only
 * when "intr" is set inside fuse_new(), which libfuse 3 offers no way to do;
 * fuse_config.intr, set in init, comes too late, and the signal would kill
 * the daemon.  So install the handler here, without SA_RESTART.
 */
static int catch_interrupt_signal(void)
{
	struct sigaction sa = {.sa_handler = interrupt_signal};

	sigemptyset(&sa.sa_mask);
	return sigaction(SIGUSR1, &sa, NULL);
}

/*
 * A crash must not leave a NIC doing DMA into memory that is about to be
 * freed: the handler stops every driven NIC, with register writes only,
 * then lets the signal take its course, through the handler installed
 * before ours (AddressSanitizer's, in pcifs-asan) or its default action.
 */
static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
#define NFATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))
static struct sigaction fatal_before[NFATAL]; /* set before any can come */

static void fatal_chain(int sig, siginfo_t *info, void *uctx)
{
	for (size_t i = 0; i < NFATAL; i++) {
		const struct sigaction *old = &fatal_before[i];

		if (fatal_signals[i] != sig)
			continue;
		if (old->sa_flags & SA_SIGINFO)
			old->sa_sigaction(sig, info, uctx);
		else if (old->sa_handler != SIG_DFL &&
			 old->sa_handler != SIG_IGN)
			old->sa_handler(sig);
	}
}

static void fatal_signal(int sig, siginfo_t *info, void *uctx)
{
	/* A BAR that vanished under its window fails that access instead
	 * (pci/bar.c); this does not return then. */
	pci_bar_fault(sig);
	nic_quiesce_all();
	fatal_chain(sig, info, uctx);
	/* Still alive: die of the signal itself. */
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_fatal_signals(void)
{
	for (size_t i = 0; i < NFATAL; i++) {
		struct sigaction sa = {.sa_sigaction = fatal_signal};

		if (sigaction(fatal_signals[i], NULL, &fatal_before[i]))
			continue;
		/* Keep the alternate stack a previous handler asked for.  No
		 * SA_RESETHAND: a BAR fault is survived, and may come again;
		 * fatal_signal resets the action itself before dying. */
		sa.sa_flags =
			SA_SIGINFO | (fatal_before[i].sa_flags & SA_ONSTACK);
		sigemptyset(&sa.sa_mask);
		sigaction(fatal_signals[i], &sa, NULL);
	}
}

/* Mount, detach from the terminal unless -f, serve until unmounted. */
static int run(struct fuse_args *args, const struct fuse_cmdline_opts *opts)
{
	struct fuse *fuse;
	int status = 1;

	if (catch_interrupt_signal())
		return 1;
	catch_fatal_signals();
	fuse = fuse_new(args, &pcifs_ops, sizeof(pcifs_ops), NULL);
	if (!fuse)
		return 1;
	if (fuse_mount(fuse, opts->mountpoint))
		goto out_destroy;
	if (fuse_daemonize(opts->foreground))
		goto out_unmount;
	if (!opts->foreground)
		pcifs_log_to_syslog();
	if (fuse_set_signal_handlers(fuse_get_session(fuse)))
		goto out_unmount;
	/* The loop returns the number of a signal that ended it (SIGTERM,
	 * SIGINT, SIGHUP: a clean unmount, status 0), or -errno. */
	status = run_loop(fuse, opts) < 0 ? 1 : 0;
	fuse_remove_signal_handlers(fuse_get_session(fuse));
out_unmount:
	fuse_unmount(fuse);
out_destroy:
	fuse_destroy(fuse);
	return status;
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts = {0};
	char mountpoint[PATH_MAX];
	int status = 1;

	if (fuse_opt_parse(&args, &pcifs_opts, pcifs_opt_spec, pcifs_opt_proc))
		goto out;
	if (cmdline.help || cmdline.version) {
		if (cmdline.help)
			fputs(usage_text, stdout);
		else
			printf("pcifs %s (libfuse %s)\n", PCIFS_VERSION,
			       fuse_pkgversion());
		status = 0;
		goto out;
	}
	if (check_setup(&args, mountpoint))
		goto out_pci;
	if (fuse_parse_cmdline(&args, &opts))
		goto out_pci;
	pcifs_log_init(opts.debug);
	status = run(&args, &opts);
out_pci:
	pcilib_cleanup();
out:
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	free(pcifs_opts.sysfs);
	free(pcifs_opts.devices);
	free(pcifs_opts.irq);
	free(pcifs_opts.netdev);
	return status;
}
