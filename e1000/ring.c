// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ring.c - the legacy receive and transmit descriptor rings (SDM 3.2, 3.3).
 *
 * DMA memory layout: RX descriptors, TX descriptors (each ring starting on a
 * page and physically contiguous), then the RX and TX buffers, 2048 bytes
 * each, so no buffer crosses a page.  Frames are copied in and out: every
 * descriptor owns one buffer for good.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "e1000/priv.h"

static size_t page_size(void)
{
	return (size_t) sysconf(_SC_PAGESIZE);
}

/* A ring of @n descriptors of @desc_size bytes, in whole pages. */
static size_t ring_bytes(unsigned n, size_t desc_size)
{
	size_t ps = page_size();

	return (n * desc_size + ps - 1) / ps * ps;
}

static size_t rx_ring_bytes(unsigned n)
{
	return ring_bytes(n, sizeof(struct e1000_rx_desc));
}

static size_t tx_ring_bytes(unsigned n)
{
	return ring_bytes(n, sizeof(struct e1000_tx_desc));
}

size_t e1000_rings_size(unsigned rx_n, unsigned tx_n)
{
	return rx_ring_bytes(rx_n) + tx_ring_bytes(tx_n) +
	       (size_t) (rx_n + tx_n) * E1000_BUF_SIZE;
}

static void mark_traffic(struct e1000_nic *nic)
{
	__atomic_store_n(&nic->last_traffic, e1000_now_ns(), __ATOMIC_RELAXED);
}

static void count(uint64_t *counter, uint64_t n)
{
	__atomic_add_fetch(counter, n, __ATOMIC_RELAXED);
}

static uint64_t rx_buf_phys(const struct e1000_nic *nic, unsigned i)
{
	return pci_dma_addr(&nic->dma, nic->rx.buf + i * E1000_BUF_SIZE);
}

int e1000_rings_setup(struct e1000_nic *nic, char *why, size_t whylen)
{
	struct e1000_rx_ring *rx = &nic->rx;
	struct e1000_tx_ring *tx = &nic->tx;
	uint8_t *p = nic->dma.virt;
	unsigned i;

	rx->desc = (volatile struct e1000_rx_desc *) p;
	p += rx_ring_bytes(rx->n);
	tx->desc = (volatile struct e1000_tx_desc *) p;
	p += tx_ring_bytes(tx->n);
	rx->buf = p;
	tx->buf = p + (size_t) rx->n * E1000_BUF_SIZE;
	if (!pci_dma_contiguous(&nic->dma, (const void *) rx->desc,
				rx_ring_bytes(rx->n)) ||
	    !pci_dma_contiguous(&nic->dma, (const void *) tx->desc,
				tx_ring_bytes(tx->n))) {
		snprintf(
			why, whylen,
			"descriptor ring not physically contiguous: use at most %zu descriptors or mount hugetlbfs",
			page_size() / sizeof(struct e1000_rx_desc));
		return -ENOMEM;
	}
	rx->desc_phys = pci_dma_addr(&nic->dma, (const void *) rx->desc);
	tx->desc_phys = pci_dma_addr(&nic->dma, (const void *) tx->desc);
	/* SDM 3.2.4: every RX descriptor gets its buffer; status 0. */
	for (i = 0; i < rx->n; i++) {
		rx->desc[i].buffer_addr = rx_buf_phys(nic, i);
		rx->desc[i].status = 0;
	}
	return 0;
}

/* SDM 14.4, the ring part: base, length, head and tail, then RCTL. */
void e1000_rx_start(struct e1000_nic *nic)
{
	struct e1000_rx_ring *rx = &nic->rx;

	rx->next = 0;
	rx->discard = false;
	rx->unreturned = 0;
	e1000_wr(nic, E1000_RDBAL, (uint32_t) rx->desc_phys);
	e1000_wr(nic, E1000_RDBAH, (uint32_t) (rx->desc_phys >> 32));
	e1000_wr(nic, E1000_RDLEN, rx->n * sizeof(struct e1000_rx_desc));
	/* Head 0, tail one behind it: n-1 buffers for the NIC; RDH == RDT
	 * would mean none (SDM 3.2.6). */
	e1000_wr(nic, E1000_RDH, 0);
	e1000_wr(nic, E1000_RDT, rx->n - 1);
	/* Enable; broadcasts accepted; 2048-byte buffers; CRC stripped; no
	 * long packets, loopback, VLAN filter or promiscuity. */
	e1000_wr(nic, E1000_RCTL,
		 E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_BSIZE_2048 |
			 E1000_RCTL_SECRC | E1000_RCTL_RDMTS_HALF);
}

/* SDM 14.5, the ring part: base, length, head and tail, then TCTL. */
void e1000_tx_start(struct e1000_nic *nic)
{
	struct e1000_tx_ring *tx = &nic->tx;

	tx->tail = 0;
	tx->clean = 0;
	e1000_wr(nic, E1000_TDBAL, (uint32_t) tx->desc_phys);
	e1000_wr(nic, E1000_TDBAH, (uint32_t) (tx->desc_phys >> 32));
	e1000_wr(nic, E1000_TDLEN, tx->n * sizeof(struct e1000_tx_desc));
	e1000_wr(nic, E1000_TDH, 0);
	e1000_wr(nic, E1000_TDT, 0);
	/* Enable, pad short packets, collision threshold and full-duplex
	 * collision distance as SDM 14.5 recommends. */
	e1000_wr(nic, E1000_TCTL,
		 E1000_TCTL_EN | E1000_TCTL_PSP |
			 E1000_TCTL_CT_DEFAULT << E1000_TCTL_CT_SHIFT |
			 E1000_TCTL_COLD_FD << E1000_TCTL_COLD_SHIFT);
}

/* Wait until the NIC has fetched every queued descriptor (TDH == TDT). */
int e1000_tx_drain(struct e1000_nic *nic, long timeout_us)
{
	int64_t deadline = e1000_now_ns() + (int64_t) timeout_us * 1000;

	while (e1000_rd(nic, E1000_TDH) != e1000_rd(nic, E1000_TDT)) {
		if (e1000_now_ns() > deadline)
			return -ETIMEDOUT;
		e1000_sleep_us(100);
	}
	return 0;
}

/* Give back descriptors the NIC is done with: every descriptor has RS, so
 * each gets DD written back (SDM 3.3.3.2). */
static void tx_reclaim(struct e1000_tx_ring *tx)
{
	unsigned i = tx->clean;

	while (i != tx->tail) {
		uint8_t status = tx->desc[i].status;

		if (!(status & E1000_TXD_STAT_DD))
			break;
		if (status & (E1000_TXD_STAT_EC | E1000_TXD_STAT_LC))
			count(&tx->errors, 1);
		tx->desc[i].status = 0;
		i = (i + 1) % tx->n;
	}
	__atomic_store_n(&tx->clean, i, __ATOMIC_RELEASE);
}

/* Fill the descriptor at the tail with one frame (SDM 3.3.3, legacy
 * format); the caller holds tx->lock and checked that the slot is free. */
static void tx_put(struct e1000_nic *nic, const void *frame, size_t len)
{
	struct e1000_tx_ring *tx = &nic->tx;
	unsigned tail = tx->tail;
	uint8_t *buf = tx->buf + (size_t) tail * E1000_BUF_SIZE;
	volatile struct e1000_tx_desc *d = &tx->desc[tail];

	memcpy(buf, frame, len);
	d->buffer_addr = pci_dma_addr(&nic->dma, buf);
	d->length = (uint16_t) len;
	d->cso = 0;
	d->cmd = E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
	d->status = 0;
	d->css = 0;
	d->special = 0;
	count(&tx->packets, 1);
	count(&tx->bytes, len);
	__atomic_store_n(&tx->tail, (tail + 1) % tx->n, __ATOMIC_RELEASE);
}

static bool frame_len_ok(size_t len)
{
	return len >= E1000_MIN_FRAME && len <= E1000_MAX_FRAME;
}

int e1000_send_burst(struct nic_dev *dev, const struct iovec *frames,
		     unsigned n)
{
	struct e1000_nic *nic = e1000_of(dev);
	struct e1000_tx_ring *tx = &nic->tx;
	unsigned queued = 0, room;

	for (unsigned i = 0; i < n; i++)
		if (!frame_len_ok(frames[i].iov_len))
			return -EINVAL;
	pthread_mutex_lock(&tx->lock);
	tx_reclaim(tx);
	room = e1000_tx_unused(tx);
	while (queued < n && queued < room) {
		tx_put(nic, frames[queued].iov_base, frames[queued].iov_len);
		queued++;
	}
	if (queued) {
		e1000_dma_wmb();
		/* SDM 3.3.6: one tail write hands the whole burst over. */
		e1000_wr(nic, E1000_TDT, tx->tail);
	}
	pthread_mutex_unlock(&tx->lock);
	if (!queued)
		return -EAGAIN;
	mark_traffic(nic);
	return (int) queued;
}

int e1000_send(struct nic_dev *dev, const void *frame, size_t len)
{
	struct iovec iov = {.iov_base = (void *) frame, .iov_len = len};
	int queued = e1000_send_burst(dev, &iov, 1);

	return queued < 0 ? queued : 0;
}

/*
 * Buffers go back to the NIC through RDT (SDM 3.2.6) in groups of
 * RX_RETURN_BATCH, as Linux's e1000 does (E1000_RX_BUFFER_WRITE): every RDT
 * write is a register write, an exit into the device model under
 * emulation, and the NIC keeps all but RX_RETURN_BATCH - 1 of its buffers
 * meanwhile.
 */
#define RX_RETURN_BATCH 16

/* Give descriptor @i its own buffer again, clean, and return it to the
 * NIC with the next group. */
static void rx_refill(struct e1000_nic *nic, unsigned i)
{
	struct e1000_rx_ring *rx = &nic->rx;

	rx->desc[i].buffer_addr = rx_buf_phys(nic, i);
	rx->desc[i].length = 0;
	rx->desc[i].errors = 0;
	rx->desc[i].status = 0;
	__atomic_store_n(&rx->next, (i + 1) % rx->n, __ATOMIC_RELEASE);
	if (++rx->unreturned < RX_RETURN_BATCH)
		return;
	rx->unreturned = 0;
	e1000_dma_wmb();
	e1000_wr(nic, E1000_RDT, i);
}

/* Is descriptor @d a whole, error-free frame?  Counts the ones that are
 * not.  Frames spanning descriptors cannot happen with RCTL.LPE = 0 and
 * 2048-byte buffers; if one does, all its pieces are dropped. */
static bool rx_good(struct e1000_rx_ring *rx, uint8_t status, uint8_t errors,
		    uint16_t len)
{
	bool first_piece = !rx->discard;

	rx->discard = !(status & E1000_RXD_STAT_EOP);
	if (rx->discard || !first_piece) {
		count(&rx->drops, first_piece);
		return false;
	}
	if (errors) { /* SDM 3.2.3.2: CE, SE, SEQ, CXE, RXE */
		count(&rx->errors, 1);
		return false;
	}
	if (len < E1000_MIN_FRAME || len > E1000_BUF_SIZE) {
		count(&rx->drops, 1);
		return false;
	}
	return true;
}

/* Copy out the frame in descriptor @i; returns the bytes copied. */
static ssize_t rx_copy(struct e1000_rx_ring *rx, unsigned i, uint16_t len,
		       void *buf, size_t size, size_t *frame_len)
{
	size_t n = size < len ? size : len;

	memcpy(buf, rx->buf + (size_t) i * E1000_BUF_SIZE, n);
	if (frame_len)
		*frame_len = len;
	count(&rx->packets, 1);
	count(&rx->bytes, len);
	return (ssize_t) n;
}

ssize_t e1000_recv(struct nic_dev *dev, void *buf, size_t size,
		   size_t *frame_len)
{
	struct e1000_nic *nic = e1000_of(dev);
	struct e1000_rx_ring *rx = &nic->rx;
	ssize_t ret = -EAGAIN;

	pthread_mutex_lock(&rx->lock);
	while (ret == -EAGAIN) {
		unsigned i = rx->next;
		volatile struct e1000_rx_desc *d = &rx->desc[i];
		uint8_t status = d->status;
		uint16_t len;

		if (!(status & E1000_RXD_STAT_DD))
			break;
		e1000_dma_rmb(); /* length and errors after DD */
		len = d->length;
		if (rx_good(rx, status, d->errors, len))
			ret = rx_copy(rx, i, len, buf, size, frame_len);
		rx_refill(nic, i);
	}
	pthread_mutex_unlock(&rx->lock);
	if (ret >= 0)
		mark_traffic(nic);
	return ret;
}
