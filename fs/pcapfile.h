/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcapfile.h - the pcap file of a driven NIC: read, a live capture of
 * every frame the NIC sends and receives from the open on; written, a pcap
 * stream whose frames are sent in order.
 *
 * Each open for reading is a capture of its own (fs/capture.h), read as a
 * pcap stream (fs/pcap.h): the file header, then a record a frame.  A read
 * blocks until there is something to return, unless O_NONBLOCK.  A write
 * takes any part of a pcap stream, as txbatch takes records.
 */
#ifndef PCIFS_PCAPFILE_H
#define PCIFS_PCAPFILE_H

#include "fs/nicfile.h"

extern const struct nic_file_ops pcapfile_ops;

#endif /* PCIFS_PCAPFILE_H */
