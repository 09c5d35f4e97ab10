// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dma.c - memory the NIC can DMA to: pinned pages with known physical
 * addresses.
 *
 * hugetlbfs pages when hugetlbfs is mounted (physically contiguous, never
 * swapped or migrated); otherwise a memfd of base pages, mlocked.  Either is
 * mapped MAP_SHARED so that the guardian, a forked child, keeps the very same
 * pages alive after the daemon dies (guardian.c).  Physical addresses come
 * from /proc/self/pagemap, which needs CAP_SYS_ADMIN.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "e1000/priv.h"

#define PAGEMAP_PRESENT	 (1ull << 63)
#define PAGEMAP_PFN_MASK ((1ull << 55) - 1)

static size_t round_up(size_t len, size_t to)
{
	return (len + to - 1) / to * to;
}

/* The first hugetlbfs mount point in /proc/mounts, if any. */
static bool find_hugetlbfs(char *dir, size_t size)
{
	struct mntent *m;
	bool found = false;
	FILE *f;

	f = setmntent("/proc/mounts", "re");
	if (!f)
		return false;
	while (!found && (m = getmntent(f)))
		if (!strcmp(m->mnt_type, "hugetlbfs")) {
			snprintf(dir, size, "%s", m->mnt_dir);
			found = true;
		}
	endmntent(f);
	return found;
}

static void *map_fd(int fd, size_t len)
{
	void *p;

	if (ftruncate(fd, (off_t) len) < 0)
		return NULL;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		 fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* An unlinked file on hugetlbfs; fails when no huge page is reserved. */
static int alloc_huge(struct e1000_dma *dma, size_t len)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	struct statfs sfs;
	int fd;

	if (!find_hugetlbfs(dir, sizeof(dir)))
		return -ENOENT;
	snprintf(path, sizeof(path), "%s/pcifs-dma-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (fstatfs(fd, &sfs) < 0 || sfs.f_bsize <= 0) {
		close(fd);
		return -EINVAL;
	}
	dma->len = round_up(len, (size_t) sfs.f_bsize);
	dma->virt = map_fd(fd, dma->len);
	close(fd);
	dma->huge = true;
	return dma->virt ? 0 : -ENOMEM;
}

/* Base pages of a memfd, locked so they stay resident. */
static int alloc_pages(struct e1000_dma *dma, size_t len, char *why,
		       size_t whylen)
{
	int fd;

	fd = memfd_create("pcifs-dma", MFD_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whylen, "memfd_create: %s", strerror(errno));
		return -ENOMEM;
	}
	dma->len = round_up(len, dma->page_size);
	dma->virt = map_fd(fd, dma->len);
	close(fd);
	dma->huge = false;
	if (!dma->virt) {
		snprintf(why, whylen, "cannot map %zu bytes of DMA memory",
			 dma->len);
		return -ENOMEM;
	}
	if (mlock(dma->virt, dma->len) < 0) {
		snprintf(
			why, whylen,
			"cannot lock DMA memory (%s); mount hugetlbfs or raise RLIMIT_MEMLOCK",
			strerror(errno));
		return -ENOMEM;
	}
	return 0;
}

/* Physical address of every base page, from /proc/self/pagemap. */
static int resolve(struct e1000_dma *dma, char *why, size_t whylen)
{
	size_t i, npages = dma->len / dma->page_size;
	off_t first = (off_t) ((uintptr_t) dma->virt / dma->page_size * 8);
	ssize_t want = (ssize_t) (npages * 8);
	int fd;

	dma->phys = calloc(npages, sizeof(*dma->phys));
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (!dma->phys || fd < 0 || pread(fd, dma->phys, want, first) != want) {
		if (fd >= 0)
			close(fd);
		snprintf(why, whylen, "cannot read /proc/self/pagemap");
		return -ENOMEM;
	}
	close(fd);
	for (i = 0; i < npages; i++) {
		uint64_t e = dma->phys[i];

		if (!(e & PAGEMAP_PRESENT) || !(e & PAGEMAP_PFN_MASK)) {
			snprintf(
				why, whylen,
				"no physical addresses in /proc/self/pagemap (needs CAP_SYS_ADMIN)");
			return -EPERM;
		}
		dma->phys[i] = (e & PAGEMAP_PFN_MASK) * dma->page_size;
	}
	return 0;
}

int e1000_dma_alloc(struct e1000_dma *dma, size_t len, char *why, size_t whylen)
{
	int err;

	memset(dma, 0, sizeof(*dma));
	dma->page_size = (size_t) sysconf(_SC_PAGESIZE);
	if (alloc_huge(dma, len) < 0) {
		dma->virt = NULL;
		err = alloc_pages(dma, len, why, whylen);
		if (err < 0) {
			e1000_dma_free(dma);
			return err;
		}
	}
	memset(dma->virt, 0, dma->len);
	err = resolve(dma, why, whylen);
	if (err < 0)
		e1000_dma_free(dma);
	return err;
}

uint64_t e1000_dma_phys(const struct e1000_dma *dma, const void *virt)
{
	size_t off = (size_t) ((const uint8_t *) virt - dma->virt);

	return dma->phys[off / dma->page_size] + off % dma->page_size;
}

/* Is [virt, virt+len) one physically contiguous range?  A descriptor ring
 * must be (SDM 3.2.6: base address and length describe one region). */
bool e1000_dma_contiguous(const struct e1000_dma *dma, const void *virt,
			  size_t len)
{
	size_t off = (size_t) ((const uint8_t *) virt - dma->virt);
	size_t first = off / dma->page_size;
	size_t last = (off + len - 1) / dma->page_size;
	size_t i;

	for (i = first; i < last; i++)
		if (dma->phys[i + 1] != dma->phys[i] + dma->page_size)
			return false;
	return true;
}

void e1000_dma_free(struct e1000_dma *dma)
{
	if (dma->virt)
		munmap(dma->virt, dma->len);
	free(dma->phys);
	dma->virt = NULL;
	dma->phys = NULL;
}
