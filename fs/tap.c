// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tap.c - pcifs-tap: a TAP interface whose wire is a NIC that pcifs drives.
 *
 *   pcifs-tap DIR [-i IFNAME] [-m MAC]
 *
 * DIR is a driven NIC's directory (it has txbatch and rxbatch), typically
 * on a 9p mount of a host's pcifs.  Frames the kernel sends on the tap go
 * to txbatch, one write() per burst; the records one read() of rxbatch
 * returns go to the tap, one write() per frame.  Both files use QEMU's
 * stream netdev framing (fs/record.h).  man pcifs-tap.
 *
 * One thread, one loop, no locks.  Over 9p, poll() reports every file
 * ready, and a blocking rxbatch read cannot be interrupted, not even by
 * SIGKILL, until a frame arrives: QEMU answers the guest's Tflush only once
 * the host read returns (README; tests/9p-frames.bats).  A reader thread
 * would hold up exit for as long as the wire is quiet.  So rxbatch is read
 * with O_NONBLOCK after every wait, and the wait is ppoll() on the tap,
 * bounded by the back-off pcifs's own waiters use.  The termination signals
 * are blocked except inside ppoll(), so one ends the wait at once.
 */
#define _GNU_SOURCE
#include "e1000/backoff.h"
#include "fs/ethaddr.h"
#include "fs/record.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define TAP_DEFAULT_NAME "pcifs%d" /* the kernel picks pcifs0, pcifs1, ... */
#define TAP_TUN_DEV	 "/dev/net/tun"
#define TAP_MTU		 1500 /* RECORD_FRAME_MAX less the Ethernet header */
#define TAP_TX_BURST	 32   /* frames per txbatch write: 48 KiB < msize */
#define TAP_RX_BUF	 (64 * 1024) /* one Tread at the README's msize */
#define TAP_OVERSIZE	 65536	     /* room for a frame too long to send */
#define TAP_RX_IOV	 64	     /* records split per pass */

enum { TAP_EXIT_OK = 0, TAP_EXIT_FAIL = 1, TAP_EXIT_USAGE = 2 };

struct tap_opts {
	const char *dir;
	const char *ifname;
	uint8_t mac[ETHADDR_LEN];
	bool mac_given;
};

/* Frames counted each way, for the line printed at exit. */
struct tap_stats {
	uint64_t tx_frames, tx_bytes; /* tap -> txbatch, sent */
	uint64_t tx_long;	      /* over RECORD_FRAME_MAX (or runts) */
	uint64_t tx_lost;	      /* in a txbatch write that failed */
	uint64_t rx_frames, rx_bytes; /* rxbatch -> tap, delivered */
	uint64_t rx_lost;	      /* the tap refused them */
};

struct tap_link {
	const char *dir; /* the NIC's */
	int tap_fd, tx_fd, rx_fd;
	char ifname[IFNAMSIZ];
	int promisc_before; /* the NIC's promisc before us; -1: untouched */
	size_t rx_len;	    /* bytes of rx_buf still to deliver */
	struct tap_stats stats;
	char tx_buf[TAP_TX_BURST * RECORD_MAX];
	char rx_buf[TAP_RX_BUF];
	char oversize[TAP_OVERSIZE];
};

static const char usage_text[] =
	"usage: pcifs-tap DIR [-i IFNAME] [-m MAC]\n"
	"       pcifs-tap -h | --help\n"
	"\n"
	"Make a TAP interface whose frames go through the NIC that pcifs\n"
	"drives at DIR (a directory with txbatch and rxbatch, e.g.\n"
	"/mnt/pcifs/0000:00:05.0 on a 9p mount of the host's pcifs).\n"
	"\n"
	"Options:\n"
	"    -i IFNAME   the interface's name (default pcifs0, the first free\n"
	"                pcifsN)\n"
	"    -m MAC      its address (default: the NIC's, DIR/mac, with the\n"
	"                locally administered bit set)\n"
	"    -h, --help  print this help and exit\n"
	"\n"
	"SIGTERM or SIGINT ends it (exit status 0) with one line of counts.\n"
	"Keep the MTU at 1500: the NIC sends no frame over 1514 bytes.\n";

static void tap_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Every message is one line on stderr, prefixed with the program's name:
 * errors, the line at start and the counts at exit. */
static void tap_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("pcifs-tap: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- command line ---- */

static int parse_mac(struct tap_opts *o, const char *arg)
{
	if (ethaddr_parse(arg, o->mac) < 0) {
		tap_log("bad MAC '%s': want a unicast address like 02:00:00:00:00:01",
			arg);
		return -1;
	}
	o->mac_given = true;
	return 0;
}

static int parse_ifname(struct tap_opts *o, const char *arg)
{
	if (!*arg || strlen(arg) >= IFNAMSIZ) {
		tap_log("bad interface name '%s': want 1 to %d characters", arg,
			IFNAMSIZ - 1);
		return -1;
	}
	o->ifname = arg;
	return 0;
}

/* Returns -1 after an error message, 1 after --help, 0 to run. */
static int parse_args(int argc, char **argv, struct tap_opts *o)
{
	static const struct option longopts[] = {
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	o->ifname = TAP_DEFAULT_NAME;
	opterr = 0; /* our own one-line messages */
	while ((c = getopt_long(argc, argv, ":hi:m:", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage_text, stdout);
			return 1;
		}
		if (c == ':' || c == '?') {
			tap_log("%s '%s' (try --help)",
				c == ':' ? "missing argument to"
					 : "unknown option",
				argv[optind - 1]);
			return -1;
		}
		if ((c == 'i' && parse_ifname(o, optarg) < 0) ||
		    (c == 'm' && parse_mac(o, optarg) < 0))
			return -1;
	}
	if (optind != argc - 1) {
		tap_log("want one DIR, a NIC's directory (try --help)");
		return -1;
	}
	o->dir = argv[optind];
	return 0;
}

/* ---- the NIC's directory ---- */

static int nic_dir_check(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0) {
		tap_log("%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		tap_log("%s: not a directory (want a NIC's directory)", dir);
		return -1;
	}
	return 0;
}

/* Open DIR/NAME; a missing file means DIR is no NIC pcifs drives. */
static int nic_open(const char *dir, const char *name, int flags)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		tap_log("%s: not a NIC that pcifs drives (no %s; see its info file)",
			dir, name);
	else if (fd < 0)
		tap_log("%s: %s", path, strerror(errno));
	return fd;
}

/* One short text file of DIR (mac, promisc), read whole, newline cut. */
static int nic_read_text(const char *dir, const char *name, char *text,
			 size_t size)
{
	int fd = nic_open(dir, name, O_RDONLY);
	ssize_t got;

	if (fd < 0)
		return -1;
	got = read(fd, text, size - 1);
	close(fd);
	if (got < 0) {
		tap_log("%s/%s: %s", dir, name, strerror(errno));
		return -1;
	}
	text[got] = '\0';
	text[strcspn(text, "\n")] = '\0';
	return 0;
}

static int nic_write_text(const char *dir, const char *name, const char *text)
{
	int fd = nic_open(dir, name, O_WRONLY);
	ssize_t put;

	if (fd < 0)
		return -1;
	put = write(fd, text, strlen(text));
	if (put < 0)
		tap_log("%s/%s: %s", dir, name, strerror(errno));
	close(fd);
	return put < 0 ? -1 : 0;
}

/* The default MAC: the NIC's, locally administered (IEEE 802-2014, 8.2:
 * the U/L bit, 02 in the first octet), so it names this NIC's tap and
 * clashes with no vendor's address. */
static int default_mac(const char *dir, uint8_t mac[ETHADDR_LEN])
{
	char text[32];

	if (nic_read_text(dir, "mac", text, sizeof(text)) < 0)
		return -1;
	if (ethaddr_parse(text, mac) < 0) {
		tap_log("%s/mac: '%s' is no unicast MAC", dir, text);
		return -1;
	}
	mac[0] |= 0x02;
	return 0;
}

/*
 * While the tap runs the NIC is promiscuous, as it is while pcifs's -o
 * netdev serves a VM: frames to the tap's MAC (which need not be the
 * NIC's receive address) and multicast reach it.  The old mode comes back
 * at exit.
 */
static void promisc_on(struct tap_link *l)
{
	const char *dir = l->dir;
	char text[8];

	if (nic_read_text(dir, "promisc", text, sizeof(text)) < 0 ||
	    nic_write_text(dir, "promisc", "1") < 0) {
		tap_log("%s: could not make the NIC promiscuous: frames to the tap's MAC may not arrive",
			dir);
		return;
	}
	l->promisc_before = text[0] == '1';
}

static void promisc_restore(const struct tap_link *l)
{
	if (l->promisc_before == 0)
		nic_write_text(l->dir, "promisc", "0");
}

/* Keep the @got bytes an rxbatch read put in rx_buf, which pcifs makes
 * whole records (a record cut off would stall rx_deliver()). */
static int rx_keep(struct tap_link *l, ssize_t got)
{
	if (records_whole(l->rx_buf, (size_t) got) != got) {
		tap_log("%s/rxbatch: a read of %zd bytes is not whole records",
			l->dir, got);
		return -1;
	}
	l->rx_len = (size_t) got;
	return 0;
}

/* The queue files; a first rxbatch read tells whether a VM owns RX. */
static int nic_attach(struct tap_link *l)
{
	const char *dir = l->dir;
	ssize_t got;

	if (nic_dir_check(dir) < 0)
		return -1;
	l->rx_fd = nic_open(dir, "rxbatch", O_RDONLY | O_NONBLOCK);
	if (l->rx_fd < 0)
		return -1;
	l->tx_fd = nic_open(dir, "txbatch", O_WRONLY);
	if (l->tx_fd < 0)
		return -1;
	got = read(l->rx_fd, l->rx_buf, sizeof(l->rx_buf));
	if (got >= 0)
		return rx_keep(l, got);
	if (errno == EAGAIN)
		return 0;
	if (errno == EBUSY)
		tap_log("%s/rxbatch: %s: a VM connected through pcifs -o netdev owns the receive queue",
			dir, strerror(errno));
	else
		tap_log("%s/rxbatch: %s", dir, strerror(errno));
	return -1;
}

/* ---- the TAP interface ---- */

static int tap_open(struct tap_link *l, const char *name)
{
	struct ifreq ifr = {.ifr_flags = IFF_TAP | IFF_NO_PI};

	l->tap_fd = open(TAP_TUN_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (l->tap_fd < 0) {
		tap_log("%s: %s%s", TAP_TUN_DEV, strerror(errno),
			errno == ENOENT || errno == ENODEV
				? " (load the tun module: modprobe tun)"
				: "");
		return -1;
	}
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	if (ioctl(l->tap_fd, TUNSETIFF, &ifr) < 0) {
		tap_log("%s: TUNSETIFF: %s%s", name, strerror(errno),
			errno == EPERM ? " (needs CAP_NET_ADMIN: run as root)"
				       : "");
		return -1;
	}
	memcpy(l->ifname, ifr.ifr_name, IFNAMSIZ);
	return 0;
}

/* One SIOCSIF* request on an inet socket, as ip(8) makes them. */
static int tap_ifreq(const char *what, unsigned long req, struct ifreq *ifr)
{
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err = sock < 0 ? -1 : ioctl(sock, req, ifr);

	if (err < 0)
		tap_log("%s: %s: %s", ifr->ifr_name, what, strerror(errno));
	if (sock >= 0)
		close(sock);
	return err;
}

/* The MAC (on the tun fd, which knows it), MTU 1500, then up. */
static int tap_configure(struct tap_link *l, const uint8_t mac[ETHADDR_LEN])
{
	struct ifreq ifr = {0};

	memcpy(ifr.ifr_name, l->ifname, IFNAMSIZ);
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, mac, ETHADDR_LEN);
	if (ioctl(l->tap_fd, SIOCSIFHWADDR, &ifr) < 0) {
		tap_log("%s: SIOCSIFHWADDR: %s", l->ifname, strerror(errno));
		return -1;
	}
	ifr.ifr_mtu = TAP_MTU;
	if (tap_ifreq("SIOCSIFMTU", SIOCSIFMTU, &ifr) < 0 ||
	    tap_ifreq("SIOCGIFFLAGS", SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	ifr.ifr_flags |= IFF_UP;
	return tap_ifreq("SIOCSIFFLAGS", SIOCSIFFLAGS, &ifr);
}

/* ---- frames ---- */

/* Count the records of tx_buf up to @size as sent, and those from @done
 * on (a write failed there) as lost. */
static void tx_count(struct tap_link *l, size_t done, size_t size,
		     unsigned frames)
{
	struct iovec iov[TAP_TX_BURST];
	unsigned lost = records_gather(l->tx_buf + done, size - done, iov,
				       TAP_TX_BURST);

	l->stats.tx_frames += frames - lost;
	l->stats.tx_bytes += done - (frames - lost) * RECORD_HDR;
	l->stats.tx_lost += lost;
}

/*
 * One write() of a burst's records.  pcifs takes whole records, so a short
 * write (a send that failed part way) leaves the rest to write again.  A
 * failure loses the rest: ETIMEDOUT (pcifs found the TX ring stuck) and
 * EAGAIN lose this burst only, anything else ends the program.
 */
static int tx_write(struct tap_link *l, size_t size, unsigned frames)
{
	size_t done = 0;

	while (done < size) {
		ssize_t put = write(l->tx_fd, l->tx_buf + done, size - done);

		if (put < 0 && errno == EINTR)
			continue;
		if (put == 0)
			errno = EIO; /* no progress: never loop on it */
		if (put <= 0)
			break;
		done += (size_t) put;
	}
	tx_count(l, done, size, frames);
	if (done == size)
		return 0;
	tap_log("%s/txbatch: %s: frames lost", l->dir, strerror(errno));
	return errno == ETIMEDOUT || errno == EAGAIN ? 0 : -1;
}

/* Read one frame from the tap as the next record of tx_buf.  Returns its
 * length, 0 when it was dropped, -EAGAIN once the tap has nothing more,
 * another -errno if the read failed. */
static ssize_t tap_read_record(struct tap_link *l, size_t off)
{
	struct iovec iov[2] = {
		{l->tx_buf + off + RECORD_HDR, RECORD_FRAME_MAX},
		{l->oversize, sizeof(l->oversize)},
	};
	ssize_t got = readv(l->tap_fd, iov, 2);

	if (got < 0)
		return -errno;
	if (got < RECORD_FRAME_MIN || got > RECORD_FRAME_MAX) {
		l->stats.tx_long++;
		return 0;
	}
	record_put_len(l->tx_buf + off, (uint32_t) got);
	return got;
}

/* Drain what the tap has (up to a burst) into one txbatch write. */
static int tx_pump(struct tap_link *l)
{
	unsigned frames = 0;
	size_t off = 0;
	ssize_t got = 0;

	while (frames < TAP_TX_BURST && (got = tap_read_record(l, off)) >= 0) {
		if (got == 0)
			continue;
		off += RECORD_HDR + (size_t) got;
		frames++;
	}
	if (frames && tx_write(l, off, frames) < 0)
		return -1;
	if (got < 0 && got != -EAGAIN && got != -EINTR) {
		tap_log("%s: read: %s", l->ifname, strerror((int) -got));
		return -1;
	}
	return 0;
}

/* Each frame of rx_buf's records to the tap, one write() each. */
static void rx_deliver(struct tap_link *l)
{
	struct iovec iov[TAP_RX_IOV];
	size_t off = 0;

	while (off < l->rx_len) {
		unsigned n = records_gather(l->rx_buf + off, l->rx_len - off,
					    iov, TAP_RX_IOV);

		for (unsigned i = 0; i < n; i++) {
			if (write(l->tap_fd, iov[i].iov_base, iov[i].iov_len) <
			    0) {
				l->stats.rx_lost++;
				continue;
			}
			l->stats.rx_frames++;
			l->stats.rx_bytes += iov[i].iov_len;
		}
		off += records_size(iov, n);
	}
	l->rx_len = 0;
}

/* One nonblocking rxbatch read: the frames queued, as whole records.
 * Returns how many bytes came, 0 for none, -1 to stop. */
static ssize_t rx_pump(struct tap_link *l)
{
	ssize_t got = read(l->rx_fd, l->rx_buf, sizeof(l->rx_buf));

	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (got < 0) {
		tap_log("%s/rxbatch: %s%s", l->dir, strerror(errno),
			errno == EBUSY
				? ": a VM connected through pcifs -o netdev took the receive queue"
				: "");
		return -1;
	}
	if (rx_keep(l, got) < 0)
		return -1;
	rx_deliver(l);
	return got;
}

/* ---- the loop ---- */

static volatile sig_atomic_t tap_stop;

static void on_signal(int sig)
{
	(void) sig;
	tap_stop = 1;
}

/* Handlers for SIGTERM, SIGINT and SIGHUP, blocked outside ppoll(): the
 * mask in *@wait_mask lets them in there. */
static void signals_setup(sigset_t *wait_mask)
{
	static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
	struct sigaction sa = {.sa_handler = on_signal};
	sigset_t block;

	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&block, sigs[i]);
	}
	sigprocmask(SIG_BLOCK, &block, wait_mask);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* How long to wait for the tap before looking at rxbatch again: pcifs's
 * own waiters' back-off (e1000/backoff.h), 2 ms, then 1/64 of the silence,
 * at most 100 ms (after 6.4 s).  Idle, that is 10 reads a second. */
static long rx_wait_ms(int64_t quiet_ms)
{
	return (long) nic_idle_sleep_ns(quiet_ms * 1000000, 2000000) / 1000000;
}

static int tap_loop(struct tap_link *l, const sigset_t *wait_mask)
{
	struct pollfd pfd = {.fd = l->tap_fd, .events = POLLIN};
	int64_t last = now_ms();
	long wait = 0;

	rx_deliver(l); /* what the first read, in nic_attach(), got */
	while (!tap_stop) {
		struct timespec ts = {0, wait * 1000000L};
		int ready = ppoll(&pfd, 1, &ts, wait_mask);
		ssize_t got;

		if (ready < 0 && errno != EINTR) {
			tap_log("%s: poll: %s", l->ifname, strerror(errno));
			return -1;
		}
		if (ready > 0 && tx_pump(l) < 0)
			return -1;
		got = rx_pump(l);
		if (got < 0)
			return -1;
		if (ready > 0 || got > 0)
			last = now_ms();
		/* More may be queued behind a batch: look again at once. */
		wait = got > 0 ? 0 : rx_wait_ms(now_ms() - last);
	}
	return 0;
}

static void print_stats(const struct tap_link *l)
{
	const struct tap_stats *s = &l->stats;

	tap_log("%s: to txbatch %llu frames %llu bytes, %llu dropped over %d bytes, %llu lost; from rxbatch %llu frames %llu bytes, %llu lost",
		l->ifname, (unsigned long long) s->tx_frames,
		(unsigned long long) s->tx_bytes,
		(unsigned long long) s->tx_long, RECORD_FRAME_MAX,
		(unsigned long long) s->tx_lost,
		(unsigned long long) s->rx_frames,
		(unsigned long long) s->rx_bytes,
		(unsigned long long) s->rx_lost);
}

static void tap_close(struct tap_link *l)
{
	if (l->tap_fd >= 0)
		close(l->tap_fd); /* not persistent: the interface goes */
	if (l->tx_fd >= 0)
		close(l->tx_fd);
	if (l->rx_fd >= 0)
		close(l->rx_fd);
}

int main(int argc, char **argv)
{
	static struct tap_link tap = {
		.tap_fd = -1, .tx_fd = -1, .rx_fd = -1, .promisc_before = -1};
	struct tap_opts opts = {0};
	sigset_t wait_mask;
	char mac[ETHADDR_TEXT_LEN + 2];
	int st = parse_args(argc, argv, &opts);

	if (st)
		return st > 0 ? TAP_EXIT_OK : TAP_EXIT_USAGE;
	signals_setup(&wait_mask);
	tap.dir = opts.dir;
	if (nic_attach(&tap) < 0 ||
	    (!opts.mac_given && default_mac(opts.dir, opts.mac) < 0))
		goto fail;
	if (tap_open(&tap, opts.ifname) < 0 ||
	    tap_configure(&tap, opts.mac) < 0)
		goto fail;
	promisc_on(&tap);
	ethaddr_format(mac, sizeof(mac), opts.mac);
	mac[ETHADDR_TEXT_LEN] = '\0';
	tap_log("%s (%s, mtu %d) on %s", tap.ifname, mac, TAP_MTU, opts.dir);
	st = tap_loop(&tap, &wait_mask);
	promisc_restore(&tap);
	tap_close(&tap);
	print_stats(&tap);
	return st < 0 ? TAP_EXIT_FAIL : TAP_EXIT_OK;
fail:
	tap_close(&tap);
	return TAP_EXIT_FAIL;
}
