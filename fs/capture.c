// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * capture.c - the captures of a driven NIC (see capture.h).
 */
#include "fs/capture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void capture_set_init(struct capture_set *set)
{
	pthread_mutex_init(&set->lock, NULL);
	set->list = NULL;
	atomic_init(&set->count, 0);
	set->receivers = 0;
	atomic_init(&set->drops, 0);
}

void capture_set_destroy(struct capture_set *set)
{
	pthread_mutex_destroy(&set->lock);
}

/* ---- one capture's ring ---- */

static size_t ring_room(const struct capture *cap)
{
	return CAPTURE_RING - cap->len;
}

static void ring_put(struct capture *cap, const void *data, size_t size)
{
	size_t tail = (cap->head + cap->len) % CAPTURE_RING;
	size_t first = CAPTURE_RING - tail < size ? CAPTURE_RING - tail : size;

	memcpy(cap->ring + tail, data, first);
	memcpy(cap->ring, (const uint8_t *) data + first, size - first);
	cap->len += size;
}

static size_t ring_get(struct capture *cap, void *buf, size_t size)
{
	size_t first;

	size = size < cap->len ? size : cap->len;
	first = CAPTURE_RING - cap->head < size ? CAPTURE_RING - cap->head
						: size;
	memcpy(buf, cap->ring + cap->head, first);
	memcpy((uint8_t *) buf + first, cap->ring, size - first);
	cap->head = (cap->head + size) % CAPTURE_RING;
	cap->len -= size;
	return size;
}

/* A whole record or none: a reader never sees half of one dropped. */
static void capture_record(struct capture_set *set, struct capture *cap,
			   const struct timespec *ts, const struct iovec *frame,
			   size_t len)
{
	uint8_t hdr[PCAP_REC_HDR];

	if (ring_room(cap) < PCAP_REC_HDR + frame->iov_len) {
		atomic_fetch_add_explicit(&set->drops, 1, memory_order_relaxed);
		return;
	}
	pcap_put_record_header(hdr, ts, (uint32_t) frame->iov_len,
			       (uint32_t) len);
	ring_put(cap, hdr, sizeof(hdr));
	ring_put(cap, frame->iov_base, frame->iov_len);
}

/* ---- the frame path ---- */

static void frames_record(struct capture_set *set, const struct iovec *frames,
			  unsigned n, const size_t *len)
{
	struct timespec ts;

	/* The moment pcifs sent or received them, as wall-clock time. */
	clock_gettime(CLOCK_REALTIME, &ts);
	for (struct capture *cap = set->list; cap; cap = cap->next) {
		pthread_mutex_lock(&cap->lock);
		for (unsigned i = 0; i < n; i++)
			capture_record(set, cap, &ts, &frames[i],
				       len ? len[i] : frames[i].iov_len);
		pthread_cond_signal(&cap->more);
		pthread_mutex_unlock(&cap->lock);
	}
}

void capture_frames(struct capture_set *set, const struct iovec *frames,
		    unsigned n, const size_t *len)
{
	if (!atomic_load_explicit(&set->count, memory_order_relaxed) || !n)
		return;
	pthread_mutex_lock(&set->lock);
	frames_record(set, frames, n, len);
	pthread_mutex_unlock(&set->lock);
}

void capture_frame(struct capture_set *set, const void *frame, size_t caplen,
		   size_t len)
{
	struct iovec iov = {(void *) frame, caplen};

	capture_frames(set, &iov, 1, &len);
}

/* ---- opening, reading ---- */

struct capture *capture_open(struct capture_set *set)
{
	struct capture *cap = malloc(sizeof(*cap));
	uint8_t hdr[PCAP_FILE_HDR];
	pthread_condattr_t attr;

	if (!cap)
		return NULL;
	pthread_mutex_init(&cap->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&cap->more, &attr);
	pthread_condattr_destroy(&attr);
	cap->head = cap->len = 0;
	pcap_put_file_header(hdr);
	ring_put(cap, hdr, sizeof(hdr));
	pthread_mutex_lock(&set->lock);
	cap->next = set->list;
	set->list = cap;
	atomic_fetch_add(&set->count, 1);
	pthread_mutex_unlock(&set->lock);
	return cap;
}

void capture_close(struct capture_set *set, struct capture *cap)
{
	pthread_mutex_lock(&set->lock);
	for (struct capture **p = &set->list; *p; p = &(*p)->next)
		if (*p == cap) {
			*p = cap->next;
			break;
		}
	atomic_fetch_sub(&set->count, 1);
	pthread_mutex_unlock(&set->lock);
	pthread_cond_destroy(&cap->more);
	pthread_mutex_destroy(&cap->lock);
	free(cap);
}

size_t capture_take(struct capture *cap, void *buf, size_t size)
{
	size_t got;

	pthread_mutex_lock(&cap->lock);
	got = ring_get(cap, buf, size);
	pthread_mutex_unlock(&cap->lock);
	return got;
}

void capture_wait(struct capture *cap, long timeout_us)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_us / 1000000;
	until.tv_nsec += (timeout_us % 1000000) * 1000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&cap->lock);
	if (!cap->len)
		pthread_cond_timedwait(&cap->more, &cap->lock, &until);
	pthread_mutex_unlock(&cap->lock);
}

/* ---- receivers ---- */

void capture_receiver_add(struct capture_set *set)
{
	pthread_mutex_lock(&set->lock);
	set->receivers++;
	pthread_mutex_unlock(&set->lock);
}

void capture_receiver_drop(struct capture_set *set)
{
	pthread_mutex_lock(&set->lock);
	set->receivers--;
	pthread_mutex_unlock(&set->lock);
}

/* One frame off the ring into every capture: 1, or -EAGAIN if none. */
static int steal_one(struct capture_set *set, struct nic_dev *dev)
{
	uint8_t frame[NIC_FRAME_MAX];
	size_t len = 0;
	ssize_t got = nic_dev_recv(dev, frame, sizeof(frame), &len);
	struct iovec iov = {frame, got > 0 ? (size_t) got : 0};

	if (got < 0)
		return (int) got;
	frames_record(set, &iov, 1, &len);
	return 1;
}

/* Under the set's lock, so no receiver opens between the look and the
 * take: from its open on, a receiver gets every frame. */
int capture_steal(struct capture_set *set, struct nic_dev *dev)
{
	int took = 0;

	pthread_mutex_lock(&set->lock);
	if (!set->receivers)
		took = steal_one(set, dev);
	pthread_mutex_unlock(&set->lock);
	return took;
}

uint64_t capture_drops(struct capture_set *set)
{
	return atomic_load_explicit(&set->drops, memory_order_relaxed);
}
