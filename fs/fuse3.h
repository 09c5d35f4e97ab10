/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuse3.h - the one place that picks the libfuse API version.
 *
 * pcifs targets libfuse 3.14, Debian bookworm's.  Every file of fs/ that
 * needs FUSE includes this header instead of <fuse.h>.
 */
#ifndef PCIFS_FUSE3_H
#define PCIFS_FUSE3_H

#define FUSE_USE_VERSION 314
#include <fuse.h>

#endif /* PCIFS_FUSE3_H */
