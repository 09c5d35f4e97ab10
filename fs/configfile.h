/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * configfile.h - the config file of a device directory (configfile.c).
 */
#ifndef PCIFS_CONFIGFILE_H
#define PCIFS_CONFIGFILE_H

#include "fs/nodeops.h"

extern const struct node_ops config_file_ops; /* 0000:00:03.0/config */

/* Open the sysfs config file into file->fd; regs/config/ files share it. */
int config_file_open(struct open_file *file, struct fuse_file_info *fi);

#endif /* PCIFS_CONFIGFILE_H */
