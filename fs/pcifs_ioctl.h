/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcifs_ioctl.h - the ioctl interface of pcifs queue files, for C programs.
 *
 * Shell scripts use tx and rx; a request/response program can save one
 * FUSE round trip per exchange with PCIFS_IOC_XCHG on an open tx file: it
 * sends one frame and returns the next frame the NIC receives, in one
 * system call.  Like a read of rx it blocks until a frame arrives (FUSE
 * passes no O_NONBLOCK to ioctls; a signal ends the wait with EINTR, after
 * the frame was sent), and it takes the next frame of the shared receive
 * queue, which may be one that was already waiting.
 *
 *	struct pcifs_frame f = {.len = n};
 *	memcpy(f.data, request, n);
 *	if (ioctl(tx_fd, PCIFS_IOC_XCHG, &f) == 0)
 *		handle(f.data, f.len);
 */
#ifndef PCIFS_IOCTL_H
#define PCIFS_IOCTL_H

#include <linux/ioctl.h>
#include <stdint.h>

#define PCIFS_FRAME_DATA 1518 /* room for a VLAN-tagged frame */

struct pcifs_frame {
	uint16_t len;	/* in: bytes to send (14..1514); out: bytes received */
	uint16_t flags; /* out: PCIFS_FRAME_TRUNCATED; in: 0 */
	uint8_t data[PCIFS_FRAME_DATA];
};

#define PCIFS_FRAME_TRUNCATED 0x1 /* the frame was longer than data[] */

/* Send f->data[0..f->len), then receive the next frame into f. */
#define PCIFS_IOC_XCHG _IOWR('p', 1, struct pcifs_frame)

#endif /* PCIFS_IOCTL_H */
