// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nictext.c - the text attribute files (see nictext.h).
 */
#include "fs/nictext.h"
#include "fs/ethaddr.h"
#include "fs/log.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

_Static_assert(ETHADDR_LEN == NIC_ETH_ALEN, "one station address length");

#define TEXT_MAX 512 /* the longest value, stats, with room to spare */

static int format_mac(struct nic *nic, char *text, size_t size)
{
	uint8_t m[NIC_ETH_ALEN];
	int err = nic_dev_get_mac(nic->dev, m);

	return err < 0 ? err : ethaddr_format(text, size, m);
}

static int format_link(struct nic *nic, char *text, size_t size)
{
	struct nic_link link;
	int err = nic_dev_get_link(nic->dev, &link);

	if (err < 0)
		return err;
	if (!link.up)
		return snprintf(text, size, "down\n");
	return snprintf(text, size, "up %u %s\n", link.speed_mbps,
			link.full_duplex ? "full" : "half");
}

static int format_promisc(struct nic *nic, char *text, size_t size)
{
	bool on;
	int err = nic_dev_get_promisc(nic->dev, &on);

	return err < 0 ? err : snprintf(text, size, "%d\n", on);
}

static int format_stats(struct nic *nic, char *text, size_t size)
{
	struct nic_stats s;
	int err = nic_dev_get_stats(nic->dev, &s);

	if (err < 0)
		return err;
	netdev_add_stats(nic->netdev, &s);
	return snprintf(text, size,
			"tx_packets %" PRIu64 "\ntx_bytes %" PRIu64
			"\ntx_errors %" PRIu64 "\ntx_drops %" PRIu64
			"\nrx_packets %" PRIu64 "\nrx_bytes %" PRIu64
			"\nrx_errors %" PRIu64 "\nrx_drops %" PRIu64
			"\nrx_truncated %" PRIu64 "\nrx_missed %" PRIu64
			"\ninterrupts %" PRIu64 "\ncapture_drops %" PRIu64 "\n",
			s.tx_packets, s.tx_bytes, s.tx_errors, s.tx_drops,
			s.rx_packets, s.rx_bytes, s.rx_errors, s.rx_drops,
			s.rx_truncated, s.rx_missed, s.interrupts,
			capture_drops(&nic->captures));
}

static int parse_mac(struct nic *nic, const char *arg)
{
	uint8_t m[NIC_ETH_ALEN];

	if (ethaddr_parse(arg, m) < 0) {
		pcifs_log_limited(
			LOG_ERR,
			"%s: mac write refused: write a unicast address other than 00:00:00:00:00:00, as xx:xx:xx:xx:xx:xx",
			nic->bdf);
		return -EINVAL;
	}
	return nic_dev_set_mac(nic->dev, m);
}

static int parse_promisc(struct nic *nic, const char *arg)
{
	if (strcmp(arg, "0") != 0 && strcmp(arg, "1") != 0) {
		pcifs_log_limited(LOG_ERR,
				  "%s: promisc write refused: write 0 or 1",
				  nic->bdf);
		return -EINVAL;
	}
	return nic_dev_set_promisc(nic->dev, arg[0] == '1');
}

/* How each attribute reads and, if it can be written, takes a value. */
static const struct text_attr {
	int (*format)(struct nic *nic, char *text, size_t size);
	int (*parse)(struct nic *nic, const char *arg); /* NULL: read-only */
} text_attrs[NIC_NFILES] = {
	[NIC_MAC] = {format_mac, parse_mac},
	[NIC_LINK] = {format_link, NULL},
	[NIC_PROMISC] = {format_promisc, parse_promisc},
	[NIC_STATS] = {format_stats, NULL},
};

static int text_format(struct nic *nic, enum nic_file file, char *text,
		       size_t size)
{
	const struct text_attr *attr = &text_attrs[file];

	return attr->format ? attr->format(nic, text, size) : -EINVAL;
}

static int text_size(struct nic *nic, enum nic_file file)
{
	char text[TEXT_MAX];

	return text_format(nic, file, text, sizeof(text));
}

static int text_read(struct nic *nic, enum nic_file file, char *buf,
		     size_t size, off_t off, struct fuse_file_info *fi)
{
	char text[TEXT_MAX];
	int len = text_format(nic, file, text, sizeof(text));

	(void) fi;
	if (len < 0)
		return len;
	if (off >= len)
		return 0;
	if (size > (size_t) (len - off))
		size = (size_t) (len - off);
	memcpy(buf, text + off, size);
	return (int) size;
}

/* Copies a text value without its one optional trailing newline. */
static int text_arg(const char *buf, size_t size, char *arg, size_t argsize)
{
	if (size > 0 && buf[size - 1] == '\n')
		size--;
	if (size == 0 || size >= argsize || memchr(buf, '\0', size))
		return -EINVAL;
	memcpy(arg, buf, size);
	arg[size] = '\0';
	return 0;
}

static int text_write(struct nic *nic, enum nic_file file, const char *buf,
		      size_t size, off_t off, struct fuse_file_info *fi)
{
	const struct text_attr *attr = &text_attrs[file];
	char arg[64];
	int err;

	(void) fi;
	if (!attr->parse)
		return -EBADF;
	if (off != 0 || text_arg(buf, size, arg, sizeof(arg)) < 0) {
		pcifs_log_limited(
			LOG_ERR,
			"%s: %s write refused: write the whole value in one write at offset 0",
			nic->bdf, nic_file_names[file]);
		return -EINVAL;
	}
	err = attr->parse(nic, arg);
	return err < 0 ? err : (int) size;
}

const struct nic_file_ops nictext_ops = {
	.size = text_size,
	.read = text_read,
	.write = text_write,
};
