// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * regfile.c - register files: one register of config space (regs/config/)
 * or of a BAR (regs/bar<N>/) as a line of hex text, "0x0007\n".
 *
 * Both kinds share the text and the value parsing; they differ only in how
 * the register is reached: fs/config.c for config space, a BAR window of
 * fs/bar.c for a BAR.
 */
#include "fs/regfile.h"
#include "fs/bar.h"
#include "fs/barfile.h"
#include "fs/config.h"
#include "fs/configfile.h"
#include "fs/file.h"
#include "fs/log.h"
#include "fs/regnames.h"
#include "fs/regval.h"

#include <ctype.h>
#include <pthread.h>
#include <string.h>

typedef int reg_get_fn(struct open_file *file, uint64_t *value);
typedef int reg_set_fn(struct open_file *file, uint64_t value);

static int reg_config_get(struct open_file *file, uint64_t *value)
{
	return config_reg_get(file->cfg, &file->node, value);
}

static int reg_config_set(struct open_file *file, uint64_t value)
{
	return config_reg_set(file->cfg, &file->node, value);
}

static int reg_bar_get(struct open_file *file, uint64_t *value)
{
	return bar_reg_get(file->win, &file->node, value);
}

static int reg_bar_set(struct open_file *file, uint64_t value)
{
	return bar_reg_set(file->win, &file->node, value);
}

static void reg_getattr(const struct node *node, struct stat *st, mode_t mode)
{
	st->st_mode = S_IFREG | mode;
	st->st_size = regval_text_len(node->width);
}

static int reg_config_getattr(struct node *node, struct stat *st)
{
	reg_getattr(node, st, 0644);
	return 0;
}

static int reg_bar_getattr(struct node *node, struct stat *st)
{
	reg_getattr(node, st, 0600);
	return 0;
}

/* "0x0007\n": one device read per read() at an offset inside the text. */
static int reg_read(struct open_file *file, char *buf, size_t size, off_t off,
		    reg_get_fn *get)
{
	size_t len = regval_text_len(file->node.width);
	char text[32];
	uint64_t value;
	int err;

	if (off < 0 || (size_t) off >= len)
		return 0;
	err = get(file, &value);
	if (err)
		return err;
	regval_format(text, sizeof(text), value, file->node.width);
	if (size > len - off)
		size = len - off;
	memcpy(buf, text + off, size);
	return size;
}

/* One log line for a malformed value, quoted printable and short. */
static int reg_refused(const struct open_file *file, const char *buf,
		       size_t size, int err)
{
	char what[96], quoted[24];
	size_t i;

	node_what(&file->node, what, sizeof(what));
	if (size > 0 && buf[size - 1] == '\n')
		size--; /* echo's newline */
	for (i = 0; i < size && i + 1 < sizeof(quoted); i++)
		quoted[i] = isprint((unsigned char) buf[i]) ? buf[i] : '.';
	quoted[i] = '\0';
	pcifs_log_limited(
		LOG_WARNING,
		"%s: %s write of '%s' refused: not a hex value of at most %u digits; write VALUE or VALUE:MASK, e.g. 1f or 0x1f:ff",
		file->node.dev.bdf, what, quoted, 2 * file->node.width);
	return err;
}

/*
 * Every register write of the daemon, so that a masked read-modify-write
 * is atomic against the others: one register has several names (COMMAND,
 * 0x4.w, CAP_PM+0x4...), and two writers that each own one bit of it must
 * not lose each other's.  Writes are rare and short; one lock serves all.
 */
static pthread_mutex_t reg_write_lock = PTHREAD_MUTEX_INITIALIZER;

static int reg_store(struct open_file *file, uint64_t value, uint64_t mask,
		     reg_get_fn *get, reg_set_fn *set)
{
	uint64_t old;
	int err = 0;

	pthread_mutex_lock(&reg_write_lock);
	if (mask != regval_max(file->node.width)) {
		err = get(file, &old);
		value = regval_merge(old, value, mask);
	}
	if (!err)
		err = set(file, value);
	pthread_mutex_unlock(&reg_write_lock);
	return err;
}

/*
 * "VALUE[:MASK]": with a mask, a read-modify-write as setpci does.  Each
 * write() is one whole value, whatever its offset (echo >> works too).
 */
static int reg_write(struct open_file *file, const char *buf, size_t size,
		     reg_get_fn *get, reg_set_fn *set)
{
	uint64_t value, mask;
	int err;

	err = regval_parse(buf, size, file->node.width, &value, &mask);
	if (err)
		return reg_refused(file, buf, size, err);
	err = reg_store(file, value, mask, get, set);
	return err ? err : (int) size;
}

static int reg_config_read(struct open_file *file, char *buf, size_t size,
			   off_t off, struct fuse_file_info *fi)
{
	(void) fi;
	return reg_read(file, buf, size, off, reg_config_get);
}

static int reg_config_write(struct open_file *file, const char *buf,
			    size_t size, off_t off, struct fuse_file_info *fi)
{
	(void) off;
	(void) fi;
	return reg_write(file, buf, size, reg_config_get, reg_config_set);
}

static int reg_bar_read(struct open_file *file, char *buf, size_t size,
			off_t off, struct fuse_file_info *fi)
{
	(void) fi;
	return reg_read(file, buf, size, off, reg_bar_get);
}

static int reg_bar_write(struct open_file *file, const char *buf, size_t size,
			 off_t off, struct fuse_file_info *fi)
{
	(void) off;
	(void) fi;
	return reg_write(file, buf, size, reg_bar_get, reg_bar_set);
}

const struct node_ops reg_config_ops = {
	.getattr = reg_config_getattr,
	.truncate = file_truncate_nothing,
	.open = config_file_open,
	.read = reg_config_read,
	.write = reg_config_write,
};

const struct node_ops reg_bar_ops = {
	.getattr = reg_bar_getattr,
	.truncate = file_truncate_nothing,
	.open = bar_file_open,
	.read = reg_bar_read,
	.write = reg_bar_write,
};
