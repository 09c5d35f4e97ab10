// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * node.c - from the kind of a node to its handlers, and what follows from
 * them.
 */
#include "fs/node.h"
#include "fs/barfile.h"
#include "fs/configfile.h"
#include "fs/device.h"
#include "fs/info.h"
#include "fs/nicnode.h"
#include "fs/nodeops.h"
#include "fs/regfile.h"
#include "fs/root.h"
#include "fs/sysattr.h"

#include <stdio.h>

static const struct node_ops *const node_ops_by_kind[NODE_NKINDS] = {
	[NODE_ROOT] = &root_ops,
	[NODE_BY_ID] = &groups_ops,
	[NODE_BY_CLASS] = &groups_ops,
	[NODE_GROUP] = &group_ops,
	[NODE_LINK] = &link_ops,
	[NODE_DEVICES] = &devices_ops,
	[NODE_DRIVERS] = &drivers_ops,
	[NODE_IOMMU_GROUPS] = &iommu_groups_ops,
	[NODE_TAG] = &tag_ops,
	[NODE_DEVICE] = &device_ops,
	[NODE_ATTR] = &attr_ops,
	[NODE_INFO] = &info_ops,
	[NODE_CONFIG] = &config_file_ops,
	[NODE_BAR] = &bar_file_ops,
	[NODE_REGS] = &regs_ops,
	[NODE_REGS_CONFIG] = &regs_config_ops,
	[NODE_REGS_BAR] = &regs_bar_ops,
	[NODE_REG_CONFIG] = &reg_config_ops,
	[NODE_REG_BAR] = &reg_bar_ops,
	[NODE_NIC] = &nic_file_ops,
};

const struct node_ops *node_ops(const struct node *node)
{
	return node_ops_by_kind[node->kind];
}

bool node_is_dir(const struct node *node)
{
	return node_ops(node)->readdir != NULL;
}

void node_what(const struct node *node, char *buf, size_t size)
{
	snprintf(buf, size, "%s", node->name);
}
