// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * safety.c - who may touch what.
 *
 * A stray write to another device's BAR can corrupt a disk or hang the
 * machine, and some registers clear on read, so:
 *   - info, config and regs/config are always readable (as in sysfs);
 *   - -o ro refuses every write;
 *   - with a kernel driver bound, BAR access and config writes need -o force;
 *   - while pcifs's own driver runs a NIC, BAR and config writes and BAR
 *     reads need -o force, except BAR0's datasheet registers that read
 *     without side effects (the I/O window, bar1 on the 8254x, reaches
 *     every BAR0 register through IOADDR/IODATA, SDM 13.2.2: refused);
 *   - while another pcifs drives it (it holds resource0's flock), BAR
 *     access and config writes need -o force.
 * These hold at open and again at every read and write of a BAR file and
 * every config write, since a driver can bind to a device whose files are
 * open.  Every refusal logs one line, what, which device, why and how to
 * allow it, and the same line repeated in a loop only a few times.
 */
#include "fs/safety.h"
#include "fs/log.h"
#include "fs/node.h"
#include "fs/pcifs.h"
#include "fs/sysfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static bool wants_read(int flags)
{
	return (flags & O_ACCMODE) != O_WRONLY;
}

static bool wants_write(int flags)
{
	return (flags & O_ACCMODE) != O_RDONLY;
}

static int refuse(const struct node *node, int err, bool write, const char *why,
		  const char *how)
{
	char what[96];

	node_what(node, what, sizeof(what));
	pcifs_log_limited(LOG_WARNING, "%s: %s %s refused: %s; %s",
			  node->dev.bdf, what, write ? "write" : "read", why,
			  how);
	return err;
}

static bool node_is_bar(const struct node *node)
{
	return node->kind == NODE_BAR || node->kind == NODE_REG_BAR;
}

static bool node_is_config(const struct node *node)
{
	return node->kind == NODE_CONFIG || node->kind == NODE_REG_CONFIG;
}

/*
 * A NIC pcifs drives may have uio_pci_generic bound, for its interrupts,
 * or vfio-pci, for VFIO: neither is a driver of the device, and
 * check_own_driver speaks for it (check_other_driver when another pcifs
 * drives it).
 */
static int check_kernel_driver(const struct node *node, bool read, bool write)
{
	enum pci_owner owner = pci_driver_owner(node->dev.driver);
	bool userspace = owner == PCI_OWNER_UIO || owner == PCI_OWNER_VFIO;
	char why[128];

	if (owner == PCI_OWNER_NONE || pcifs_opts.force ||
	    (node->nic && userspace))
		return 0;
	if (owner == PCI_OWNER_VFIO && sysfs_locked_elsewhere(node->dev.bdf))
		return 0;
	snprintf(why, sizeof(why), "kernel driver %s is bound",
		 node->dev.driver);
	if (node_is_bar(node) && (read || write))
		return refuse(node, -EBUSY, write, why,
			      "mount with -o force to allow");
	if (node_is_config(node) && write)
		return refuse(node, -EBUSY, true, why,
			      "mount with -o force to allow");
	return 0;
}

/*
 * DESIGN: pcifs's e1000 driver owns BAR0 while it runs the NIC.  Config
 * writes are refused as for a kernel driver: a COMMAND or BASE_ADDRESS_0
 * written under the driver stops its DMA or moves BAR0 away from its mapping.
 */
static int check_own_driver(const struct node *node, bool read, bool write)
{
	static const char why[] = "pcifs's e1000 driver is running this NIC";
	static const char how[] =
		"mount with -o force to allow, or -o nodriver to not drive it";

	if (!node->nic || pcifs_opts.force)
		return 0;
	if (node_is_config(node) && write)
		return refuse(node, -EBUSY, true, why, how);
	if (!node_is_bar(node))
		return 0;
	if (write)
		return refuse(node, -EBUSY, true, why, how);
	if (read && (node->bar != 0 || !node->nic_readable))
		return refuse(node, -EBUSY, false, why, how);
	return 0;
}

/*
 * DESIGN: a second pcifs mount serves the registers of a NIC the first one
 * drives; its BAR and config writes would pull the device from under that
 * driver, and its BAR reads would steal clear-on-read counters.
 */
static int check_other_driver(const struct node *node, bool read, bool write)
{
	static const char why[] = "another pcifs drives this NIC";
	static const char how[] = "unmount that pcifs, or mount with -o force";

	if (node->nic || pcifs_opts.force)
		return 0;
	if (!(node_is_bar(node) && (read || write)) &&
	    !(node_is_config(node) && write))
		return 0;
	if (!sysfs_locked_elsewhere(node->dev.bdf))
		return 0;
	return refuse(node, -EBUSY, write, why, how);
}

static int check(const struct node *node, bool read, bool write)
{
	int err;

	if (write && pcifs_opts.ro)
		return refuse(node, -EROFS, true, "mounted read-only",
			      "remount without -o ro to allow");
	err = check_kernel_driver(node, read, write);
	if (!err)
		err = check_own_driver(node, read, write);
	if (!err)
		err = check_other_driver(node, read, write);
	return err;
}

int safety_check_open(const struct node *node, int flags)
{
	return check(node, wants_read(flags), wants_write(flags));
}

/* Only what a bound driver changes: BAR access, config writes. */
int safety_check_access(struct node *node, bool write)
{
	if (!node_is_bar(node) && !(write && node_is_config(node)))
		return 0;
	sysfs_driver_name(node->dev.bdf, node->dev.driver,
			  sizeof(node->dev.driver));
	return check(node, !write, write);
}
