/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * queue.h - the packet-queue files of a driven NIC: tx, rx, txbatch and
 * rxbatch.
 *
 * One write() to tx is one frame, one read() of rx is one frame; txbatch
 * and rxbatch carry many as fs/record.h's records.  Reads and writes block
 * unless O_NONBLOCK, and end on a FUSE interrupt or at unmount.  Every
 * frame they send or take off the receive ring goes to fs/capture.h.
 */
#ifndef PCIFS_QUEUE_H
#define PCIFS_QUEUE_H

#include "fs/nicfile.h"

/*
 * Between the waits of a blocking request: -EAGAIN under O_NONBLOCK,
 * -EINTR when FUSE says the caller was interrupted (Ctrl-C on a blocked
 * `cat rx`) or the daemon stops; else 0, and the caller may wait again.
 */
int queue_may_wait(const struct fuse_file_info *fi);

/*
 * Send the @n frames of @frames in order, 64 per tail write, and record
 * them in the NIC's captures.  A full ring blocks, or under O_NONBLOCK ends
 * early with -EAGAIN; a ring that frees no slot for 5 s ends it with
 * -ETIMEDOUT, as for tx.  *@sent gets the frames queued.
 */
int queue_send_frames(struct nic *nic, const struct fuse_file_info *fi,
		      const struct iovec *frames, unsigned n, unsigned *sent);

extern const struct nic_file_ops queue_tx_ops;
extern const struct nic_file_ops queue_rx_ops;
extern const struct nic_file_ops queue_txbatch_ops;
extern const struct nic_file_ops queue_rxbatch_ops;

#endif /* PCIFS_QUEUE_H */
