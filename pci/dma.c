// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dma.c - memory a device can DMA to: pinned pages with a bus address each.
 *
 * hugetlbfs pages when hugetlbfs is mounted (physically contiguous, never
 * swapped or migrated); otherwise a memfd of base pages, mlocked.  Either is
 * mapped MAP_SHARED so that a forked child (the guardian) keeps the very
 * same pages alive after the daemon dies.  The backend then makes them
 * reachable by the device and says at which bus addresses (dma_map).
 */
#define _GNU_SOURCE
#include "pci/access.h"

#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

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
static int alloc_huge(struct pci_dma *dma, size_t len)
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
static int alloc_pages(struct pci_dma *dma, size_t len, char *why,
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

int pci_dma_alloc(struct pci_fn *fn, struct pci_dma *dma, size_t len, char *why,
		  size_t whylen)
{
	int err;

	memset(dma, 0, sizeof(*dma));
	dma->page_size = (size_t) sysconf(_SC_PAGESIZE);
	if (alloc_huge(dma, len) < 0) {
		dma->virt = NULL;
		err = alloc_pages(dma, len, why, whylen);
		if (err < 0) {
			pci_dma_free(fn, dma);
			return err;
		}
	}
	memset(dma->virt, 0, dma->len);
	dma->addr = calloc(dma->len / dma->page_size, sizeof(*dma->addr));
	if (!dma->addr) {
		snprintf(why, whylen, "out of memory");
		pci_dma_free(fn, dma);
		return -ENOMEM;
	}
	err = fn->methods->dma_map(fn, dma, why, whylen);
	dma->mapped = err == 0;
	if (err)
		pci_dma_free(fn, dma);
	return err;
}

/* Unmapped from the device first: it must never reach freed pages. */
void pci_dma_free(struct pci_fn *fn, struct pci_dma *dma)
{
	if (dma->mapped)
		fn->methods->dma_unmap(fn, dma);
	dma->mapped = false;
	if (dma->virt)
		munmap(dma->virt, dma->len);
	free(dma->addr);
	dma->virt = NULL;
	dma->addr = NULL;
}

uint64_t pci_dma_addr(const struct pci_dma *dma, const void *virt)
{
	size_t off = (size_t) ((const uint8_t *) virt - dma->virt);

	return dma->addr[off / dma->page_size] + off % dma->page_size;
}

bool pci_dma_contiguous(const struct pci_dma *dma, const void *virt, size_t len)
{
	size_t off = (size_t) ((const uint8_t *) virt - dma->virt);
	size_t first = off / dma->page_size;
	size_t last = (off + len - 1) / dma->page_size;

	for (size_t i = first; i < last; i++)
		if (dma->addr[i + 1] != dma->addr[i] + dma->page_size)
			return false;
	return true;
}
