// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * info.c - the info file: what lspci -v says about a function, as
 * "key: value" lines, in a fixed order (documented in pcifs(1)).
 */
#include "fs/info.h"
#include "fs/file.h"
#include "fs/nic.h"
#include "fs/path.h"
#include "fs/pcilib.h"
#include "fs/regnames.h"
#include "fs/sysfs.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INFO_MAX 8192

struct info_buf {
	char *buf;
	size_t size;
	size_t len;
};

static void info_add(struct info_buf *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void info_add(struct info_buf *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (out->len >= out->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(out->buf + out->len, out->size - out->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		out->len += (size_t) n < out->size - out->len
				    ? (size_t) n
				    : out->size - out->len - 1;
}

/* "key: 8086 Intel Corporation", or just "key: 8086" for an unknown id. */
static void info_named(struct info_buf *out, const char *key,
		       const char *number, const char *name)
{
	info_add(out, "%s: %s%s%s\n", key, number, name[0] ? " " : "", name);
}

static void info_ids(struct info_buf *out, const struct pcidev *dev)
{
	char number[16], name[256];

	snprintf(number, sizeof(number), "%04x", dev->vendor);
	pcilib_vendor_name(name, sizeof(name), dev->vendor);
	info_named(out, "vendor", number, name);

	snprintf(number, sizeof(number), "%04x", dev->device);
	pcilib_device_name(name, sizeof(name), dev->vendor, dev->device);
	info_named(out, "device", number, name);

	snprintf(number, sizeof(number), "%04x:%04x", dev->subvendor,
		 dev->subdevice);
	pcilib_subsystem_name(name, sizeof(name), dev);
	info_named(out, "subsystem", number, name);

	snprintf(number, sizeof(number), "%04x", dev->class >> 8);
	pcilib_class_name(name, sizeof(name), dev->class >> 8);
	info_named(out, "class", number, name);
}

static void info_header(struct info_buf *out, const struct pcidev *dev,
			const uint8_t *cfg)
{
	static const char *const kinds[] = {"normal", "bridge", "cardbus"};
	unsigned type = cfg[0x0e] & 0x7f;

	info_add(out, "prog_if: %02x\n", dev->class & 0xff);
	info_add(out, "revision: %02x\n", dev->revision);
	info_add(out, "header_type: %u (%s)\n", type,
		 type < 3 ? kinds[type] : "unknown");
	info_add(out, "irq: %d\n", dev->irq);
	info_add(out, "driver: %s\n", dev->driver[0] ? dev->driver : "none");
}

static void info_regions(struct info_buf *out, const struct pcidev *dev)
{
	const struct pci_region *r;
	int i;

	for (i = 0; i < PCI_NUM_BARS; i++) {
		r = &dev->region[i];
		if (!r->size)
			continue;
		if (pci_region_is_io(r))
			info_add(out,
				 "bar%d: io 0x%" PRIx64 " size 0x%" PRIx64 "\n",
				 i, r->start, r->size);
		else
			info_add(out,
				 "bar%d: mem 0x%" PRIx64 " size 0x%" PRIx64
				 " %s %s\n",
				 i, r->start, r->size,
				 r->flags & PCI_IORESOURCE_MEM_64 ? "64-bit"
								  : "32-bit",
				 r->flags & PCI_IORESOURCE_PREFETCH
					 ? "prefetchable"
					 : "non-prefetchable");
	}
	r = &dev->region[PCI_ROM_SLOT];
	if (r->size)
		info_add(out, "rom: 0x%" PRIx64 " size 0x%" PRIx64 "\n",
			 r->start, r->size);
}

static void info_cap(const struct cap_info *cap, void *ctx)
{
	char id[8];

	snprintf(id, sizeof(id), "0x%02x", cap->id);
	info_add(ctx, "%s: 0x%02x %s %s\n",
		 cap->extended ? "ecapability" : "capability", cap->offset,
		 cap->name ? cap->name : id, cap->what);
}

/* The text of the info file; returns its length or -errno. */
static ssize_t info_format(const struct pcidev *dev, char *buf, size_t size)
{
	struct info_buf out = {.buf = buf, .size = size};
	uint8_t *cfg = calloc(1, PCI_CFG_MAX);
	size_t cfg_len = 0;

	if (!cfg)
		return -ENOMEM;
	buf[0] = '\0';
	/* Unreadable config space leaves zeroes: header type 0, no caps. */
	if (sysfs_config_snapshot(dev->bdf, cfg, &cfg_len))
		cfg_len = 0;

	info_add(&out, "slot: %s\n", dev->bdf);
	info_ids(&out, dev);
	info_header(&out, dev, cfg);
	info_regions(&out, dev);
	cap_foreach(cfg, cfg_len, info_cap, &out);
	free(cfg);
	/* nic_info() says itself whether pcifs drives the device, and why not. */
	if (out.len + 1 < size)
		out.len += nic_info(dev->vendor, dev->device, dev->bdf,
				    buf + out.len, size - out.len);
	return out.len;
}

/* The size of info is the length of its text, so that cat sees it all. */
static int info_getattr(struct node *node, struct stat *st)
{
	char text[INFO_MAX];
	ssize_t len;
	int err = path_load(node);

	if (err)
		return err;
	len = info_format(&node->dev, text, sizeof(text));
	st->st_mode = S_IFREG | 0444;
	st->st_size = len < 0 ? 0 : len;
	return 0;
}

/* info is taken once at open, so a reader sees one consistent text. */
static int info_open(struct open_file *file, struct fuse_file_info *fi)
{
	ssize_t len;

	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	file->text = malloc(INFO_MAX);
	if (!file->text)
		return -ENOMEM;
	len = info_format(&file->node.dev, file->text, INFO_MAX);
	if (len < 0)
		return len;
	file->len = len;
	return 0;
}

const struct node_ops info_ops = {
	.getattr = info_getattr,
	.open = info_open,
	.read = file_read_text,
};
