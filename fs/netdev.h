/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * netdev.h - -o netdev=DIR: a VM's NIC carried by pcifs's driver.
 *
 * For each driven NIC, a unix stream socket DIR/<BDF> that speaks QEMU's
 * stream netdev protocol (a 4-byte big-endian length before each frame,
 * fs/netframe.h), for one VM at a time:
 *
 *   qemu-system-x86_64 -netdev stream,id=n0,server=off,addr.type=unix,\
 *       addr.path=DIR/<BDF> -device virtio-net-pci,netdev=n0
 *
 * Two threads per NIC forward frames inside pcifs, never through FUSE, and
 * sleep while the link is quiet: one in poll() on the sockets (VM to NIC,
 * a tail write per burst), one in nic_dev_wait() while a VM is connected
 * (NIC to VM, drained in batches).  While a VM is connected it owns the
 * receive queue: rx and rxbatch fail with EBUSY, and the NIC is
 * promiscuous so that frames to the VM's own MAC reach it.
 */
#ifndef PCIFS_NETDEV_H
#define PCIFS_NETDEV_H

#include "e1000/nicdev.h"

#include <stdbool.h>
#include <stddef.h>

struct netdev;

/*
 * Listen on @dir/@bdf (making @dir, mode 0700, if missing) and start the
 * threads.  Returns the netdev, or NULL after one log line saying why;
 * the NIC is then driven without a socket.
 */
struct netdev *netdev_start(const char *dir, const char *bdf,
			    struct nic_dev *dev);

/* Stop both threads, drop the VM, give back promiscuous mode, unlink the
 * socket; before @dev is closed.  Safe on NULL. */
void netdev_stop(struct netdev *nd);

/* A VM is connected and owns the receive queue; false on NULL. */
bool netdev_owns_rx(const struct netdev *nd);

/* -EBUSY for a read of NIC @bdf's rx or rxbatch, with one (rate-limited)
 * log line naming the socket. */
int netdev_rx_busy(const struct netdev *nd, const char *bdf);

/* info's "netdev: DIR/<BDF> (listening)" line; bytes written (0 on NULL). */
size_t netdev_info(const struct netdev *nd, char *buf, size_t size);

/* Add what the socket dropped to @st: bad lengths from the VM to tx_errors,
 * frames cut off or stuck to tx_drops, frames the VM did not take in time
 * to rx_drops. */
void netdev_add_stats(const struct netdev *nd, struct nic_stats *st);

#endif /* PCIFS_NETDEV_H */
