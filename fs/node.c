// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * node.c - what every kind of node shares: its name in log lines.
 */
#include "fs/node.h"
#include "fs/nic.h"

#include <stdio.h>

void node_what(const struct node *node, char *buf, size_t size)
{
	switch (node->kind) {
	case NODE_BAR:
		snprintf(buf, size, "bar%d", node->bar);
		break;
	case NODE_REG_BAR:
		snprintf(buf, size, "regs/bar%d/%s", node->bar, node->name);
		break;
	case NODE_REG_CONFIG:
		snprintf(buf, size, "regs/config/%s", node->name);
		break;
	case NODE_NIC:
		snprintf(buf, size, "%s", nic_file_names[node->nic_file]);
		break;
	default:
		snprintf(buf, size, "config");
		break;
	}
}
