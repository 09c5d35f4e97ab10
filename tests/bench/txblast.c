// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-tx - transmit test frames as fast as a path takes them.
 *
 *   bench-tx -p pcifs:DIR|packet:IFACE -l LEN -t SECONDS -T TAG
 *            [-m write|writev|sendmmsg|framed] [-b BATCH] [-j THREADS]
 *            [-d DSTMAC] [-F FILE]
 *
 * Frames are LEN bytes without FCS (60 = a 64-byte frame on the wire),
 * EtherType 0x88b5 carrying TAG and a sequence number, so the host can
 * count exactly this run's frames where they leave QEMU.
 *   write     one write()/send() per frame (pcifs: one frame per write)
 *   writev    BATCH frames per writev() (on pcifs this is one FUSE write of
 *             BATCH*LEN bytes, i.e. NOT a batch: measured to show it)
 *   sendmmsg  BATCH frames per sendmmsg() (AF_PACKET only)
 *   framed    BATCH frames per write(), each as a 4-byte big-endian length
 *             and the frame (QEMU's stream netdev framing), to DIR/FILE
 *             given with -F (pcifs only; for a batched queue file)
 * THREADS writers run in parallel on the same path (pipelining several
 * FUSE requests at once is the batching pcifs offers without a framed
 * write format).  Prints one line:
 *   frames=N bytes=B seconds=S fps=F mbps=M errors=E first_error=...
 * where Mbit/s counts frame bytes without FCS.
 */
#define _GNU_SOURCE
#include "netio.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_BATCH   256
#define MAX_THREADS 16

enum tx_mode { TX_WRITE, TX_WRITEV, TX_SENDMMSG, TX_FRAMED };

struct tx_job {
	struct netio *io;
	enum tx_mode mode;
	size_t len;
	unsigned batch;
	uint32_t tag;
	uint8_t dst[ETH_ALEN_];
	uint64_t end_ns;
	atomic_uint_fast32_t *seq;
	/* results */
	uint64_t frames, errors;
	int first_error;
};

static void note_error(struct tx_job *j, int err)
{
	if (!j->errors++)
		j->first_error = err;
}

/* Fill @n frames with consecutive sequence numbers. */
static void fill(struct tx_job *j, uint8_t (*frames)[ETH_MAX_FRAME], unsigned n)
{
	uint32_t seq = (uint32_t) atomic_fetch_add(j->seq, n);

	for (unsigned i = 0; i < n; i++)
		bench_frame(frames[i], j->len, j->dst, j->io->mac, j->tag,
			    seq + i);
}

static void send_write(struct tx_job *j, uint8_t (*frames)[ETH_MAX_FRAME])
{
	int err = netio_send(j->io, frames[0], j->len);

	if (err < 0)
		note_error(j, -err);
	else
		j->frames++;
}

static void send_writev(struct tx_job *j, uint8_t (*frames)[ETH_MAX_FRAME])
{
	struct iovec iov[MAX_BATCH];
	ssize_t n;

	for (unsigned i = 0; i < j->batch; i++)
		iov[i] = (struct iovec){frames[i], j->len};
	n = writev(j->io->tx_fd, iov, (int) j->batch);
	if (n < 0)
		note_error(j, errno);
	else
		j->frames += (uint64_t) n / j->len;
}

static void send_mmsg(struct tx_job *j, uint8_t (*frames)[ETH_MAX_FRAME])
{
	struct mmsghdr msgs[MAX_BATCH];
	struct iovec iov[MAX_BATCH];
	int n;

	memset(msgs, 0, sizeof(msgs));
	for (unsigned i = 0; i < j->batch; i++) {
		iov[i] = (struct iovec){frames[i], j->len};
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	n = sendmmsg(j->io->tx_fd, msgs, j->batch, 0);
	if (n < 0)
		note_error(j, errno);
	else
		j->frames += (uint64_t) n;
}

static void send_framed(struct tx_job *j, uint8_t (*frames)[ETH_MAX_FRAME])
{
	static __thread uint8_t buf[MAX_BATCH * (ETH_MAX_FRAME + 4)];
	size_t off = 0;
	ssize_t n;

	for (unsigned i = 0; i < j->batch; i++) {
		uint32_t be = htonl((uint32_t) j->len);

		memcpy(buf + off, &be, 4);
		memcpy(buf + off + 4, frames[i], j->len);
		off += 4 + j->len;
	}
	n = write(j->io->tx_fd, buf, off);
	if (n < 0)
		note_error(j, errno);
	else
		j->frames += (uint64_t) n / (j->len + 4);
}

static void *tx_thread(void *arg)
{
	static __thread uint8_t frames[MAX_BATCH][ETH_MAX_FRAME];
	struct tx_job *j = arg;
	unsigned n = j->mode == TX_WRITE ? 1 : j->batch;

	while (now_ns() < j->end_ns && j->errors < 1000) {
		fill(j, frames, n);
		if (j->mode == TX_WRITE)
			send_write(j, frames);
		else if (j->mode == TX_WRITEV)
			send_writev(j, frames);
		else if (j->mode == TX_FRAMED)
			send_framed(j, frames);
		else
			send_mmsg(j, frames);
	}
	return NULL;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: bench-tx -p pcifs:DIR|packet:IFACE -l LEN -t SECONDS -T TAG [-m write|writev|sendmmsg|framed] [-b BATCH] [-j THREADS] [-d DSTMAC] [-F FILE]\n");
	exit(2);
}

static enum tx_mode parse_mode(const char *s)
{
	if (strcmp(s, "write") == 0)
		return TX_WRITE;
	if (strcmp(s, "writev") == 0)
		return TX_WRITEV;
	if (strcmp(s, "sendmmsg") == 0)
		return TX_SENDMMSG;
	if (strcmp(s, "framed") == 0)
		return TX_FRAMED;
	usage();
	return TX_WRITE;
}

static void report(struct tx_job *jobs, unsigned threads, size_t len,
		   double secs)
{
	uint64_t frames = 0, errors = 0;
	int first = 0;

	for (unsigned i = 0; i < threads; i++) {
		frames += jobs[i].frames;
		errors += jobs[i].errors;
		if (!first)
			first = jobs[i].first_error;
	}
	printf("frames=%llu bytes=%llu seconds=%.3f fps=%.0f mbps=%.2f "
	       "errors=%llu first_error=%s\n",
	       (unsigned long long) frames, (unsigned long long) (frames * len),
	       secs, (double) frames / secs,
	       (double) frames * (double) len * 8 / secs / 1e6,
	       (unsigned long long) errors,
	       first ? strerrorname_np(first) : "none");
}

int main(int argc, char **argv)
{
	static struct tx_job jobs[MAX_THREADS];
	struct tx_job proto = {.mode = TX_WRITE,
			       .len = 60,
			       .batch = 1,
			       .dst = {0x02, 0, 0, 0, 0, 0x01}};
	pthread_t tids[MAX_THREADS];
	atomic_uint_fast32_t seq = 0;
	const char *spec = NULL, *file = NULL;
	unsigned threads = 1;
	double secs = 2;
	struct netio io;
	uint64_t t0;
	int opt;

	while ((opt = getopt(argc, argv, "p:l:t:T:m:b:j:d:F:")) != -1) {
		switch (opt) {
		case 'p':
			spec = optarg;
			break;
		case 'F':
			file = optarg;
			break;
		case 'l':
			proto.len = (size_t) atol(optarg);
			break;
		case 't':
			secs = atof(optarg);
			break;
		case 'T':
			proto.tag = (uint32_t) strtoul(optarg, NULL, 0);
			break;
		case 'm':
			proto.mode = parse_mode(optarg);
			break;
		case 'b':
			proto.batch = (unsigned) atoi(optarg);
			break;
		case 'j':
			threads = (unsigned) atoi(optarg);
			break;
		case 'd':
			if (parse_mac(optarg, proto.dst) < 0)
				usage();
			break;
		default:
			usage();
		}
	}
	if (!spec || proto.len < 22 || proto.len > ETH_MAX_FRAME ||
	    proto.batch < 1 || proto.batch > MAX_BATCH || threads < 1 ||
	    threads > MAX_THREADS || secs <= 0)
		usage();
	if (netio_open(&io, spec, NETIO_TX, 0) < 0 ||
	    (file && netio_use_file(&io, NETIO_TX, file) < 0))
		return 1;
	t0 = now_ns();
	for (unsigned i = 0; i < threads; i++) {
		jobs[i] = proto;
		jobs[i].io = &io;
		jobs[i].seq = &seq;
		jobs[i].end_ns = t0 + (uint64_t) (secs * 1e9);
		pthread_create(&tids[i], NULL, tx_thread, &jobs[i]);
	}
	for (unsigned i = 0; i < threads; i++)
		pthread_join(tids[i], NULL);
	report(jobs, threads, proto.len, (double) (now_ns() - t0) / 1e9);
	netio_close(&io);
	return 0;
}
