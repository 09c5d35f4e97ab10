/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * queue.h - the packet-queue files of a driven NIC: tx, rx, txbatch and
 * rxbatch.
 *
 * One write() to tx is one frame, one read() of rx is one frame; txbatch
 * and rxbatch carry many as fs/record.h's records.  Reads and writes block
 * unless O_NONBLOCK, and end on a FUSE interrupt or at unmount.
 */
#ifndef PCIFS_QUEUE_H
#define PCIFS_QUEUE_H

#include "fs/nicfile.h"

extern const struct nic_file_ops queue_tx_ops;
extern const struct nic_file_ops queue_rx_ops;
extern const struct nic_file_ops queue_txbatch_ops;
extern const struct nic_file_ops queue_rxbatch_ops;

#endif /* PCIFS_QUEUE_H */
