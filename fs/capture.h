/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * capture.h - the captures of one driven NIC: every open of its pcap file
 * for reading is a capture, a bounded buffer of pcap records (fs/pcap.h)
 * of the frames the NIC sent and received since that open.
 *
 * fs/queue.c hands every frame it sends or takes off the receive ring to
 * capture_frames(), which appends a record to each capture that has room
 * and counts a drop in each that has not: a slow reader loses records and
 * never holds up the NIC.  With no capture open that costs one atomic load.
 * The set also counts the receivers (open rx and rxbatch files, tx files
 * that exchanged frames): with none, a capture's reader may take received
 * frames off the ring itself (capture_steal), as nobody else would.
 * No FUSE here, and nothing of the driver but nicdev.h.
 */
#ifndef PCIFS_CAPTURE_H
#define PCIFS_CAPTURE_H

#include "e1000/nicdev.h"
#include "fs/pcap.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/* Bytes of records one capture holds for its reader: about 170 frames of
 * 1514 bytes, 4000 of 60. */
#define CAPTURE_RING (256 * 1024)

struct capture {
	struct capture *next; /* in its set, under the set's lock */
	pthread_mutex_t lock; /* guards the ring */
	pthread_cond_t more;  /* a record came */
	size_t head, len;     /* the bytes [head, head + len), wrapping */
	uint8_t ring[CAPTURE_RING];
};

struct capture_set {
	pthread_mutex_t lock; /* guards list and receivers */
	struct capture *list; /* every open capture */
	atomic_uint count;    /* of list: the frame path reads it unlocked */
	unsigned receivers;   /* open rx, rxbatch, exchanging tx files */
	atomic_uint_least64_t drops; /* records dropped, every capture */
};

void capture_set_init(struct capture_set *set);
/* Every capture is closed by then (fs/file.c releases open files first). */
void capture_set_destroy(struct capture_set *set);

/* Frames sent or received now: one record each in every capture.
 * @len[i] is frame i's length on the wire, NULL when it is iov_len. */
void capture_frames(struct capture_set *set, const struct iovec *frames,
		    unsigned n, const size_t *len);

/* One frame of @len bytes, of which @caplen are at @frame. */
void capture_frame(struct capture_set *set, const void *frame, size_t caplen,
		   size_t len);

/* A capture from now on, its ring holding the file header; NULL when out
 * of memory. */
struct capture *capture_open(struct capture_set *set);
void capture_close(struct capture_set *set, struct capture *cap);

/* Copy out up to @size bytes of records; 0 when there are none. */
size_t capture_take(struct capture *cap, void *buf, size_t size);

/* Sleep until a record comes or @timeout_us passes. */
void capture_wait(struct capture *cap, long timeout_us);

/* A receiver opens or closes: while one is open, no capture steals. */
void capture_receiver_add(struct capture_set *set);
void capture_receiver_drop(struct capture_set *set);

/*
 * With no receiver open, take one received frame off @dev's ring into
 * every capture.  Returns 1 if it took one, -EAGAIN if the ring is empty,
 * 0 when a receiver is open (it gets the frames).
 */
int capture_steal(struct capture_set *set, struct nic_dev *dev);

/* Records dropped since mount, by every capture. */
uint64_t capture_drops(struct capture_set *set);

#endif /* PCIFS_CAPTURE_H */
