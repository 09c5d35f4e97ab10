/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcifs.h - the mount options, filled by main.c and read everywhere.
 */
#ifndef PCIFS_PCIFS_H
#define PCIFS_PCIFS_H

/* Mount options (-o ...), filled once by main.c, read-only afterwards. */
struct pcifs_opts {
	char *sysfs;   /* sysfs=DIR, devices live in DIR/devices/ */
	char *devices; /* devices=BDF[:BDF...] as given, or NULL */
	int ro;	       /* every write fails with EROFS */
	int force;     /* allow BAR access and config writes on bound devices */
	int unbind;    /* e1000: detach the kernel driver at mount */
	int nodriver;  /* never engage pcifs's own e1000 driver */
	int vfio;      /* e1000: bind vfio-pci at mount, give back at unmount */
	char *irq;     /* irq=KIND: msix, msi, intx or poll; NULL = the best */
	unsigned irq_kinds; /* irq= parsed (NIC_IRQ_*), 0 = any */
	char *netdev;	    /* netdev=DIR: a VM socket per NIC, or NULL */
};

extern struct pcifs_opts pcifs_opts;

#endif /* PCIFS_PCIFS_H */
