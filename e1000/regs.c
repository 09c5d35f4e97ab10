// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * regs.c - the BAR0 register names of both families, for regs/bar0/NAME.
 *
 * The 82574L keeps the 8254x's offsets for the registers they share
 * (E1000_SHARED_REGS); each family adds its own.
 */
#include <stddef.h>

#include "e1000/e1000.h"
#include "e1000/regs.h"

/* clang-format would spread the macro over four lines and misindent it. */
// clang-format off
#define REG(name, access, what) {#name, E1000_##name, NIC_REG_##access, what}

/* SDM table 13-2 (section 13.3), descriptions from section 13.4; on the
 * 82574L at the same offsets (82574 table 10-2). */
#define E1000_SHARED_REGS \
	REG(CTRL, RW, "Device Control"), \
	REG(STATUS, RO, "Device Status"), \
	REG(EECD, RW, "EEPROM/Flash Control/Data"), \
	REG(CTRL_EXT, RW, "Extended Device Control"), \
	REG(MDIC, RW, "MDI Control"), \
	REG(FCAL, RW, "Flow Control Address Low"), \
	REG(FCAH, RW, "Flow Control Address High"), \
	REG(FCT, RW, "Flow Control Type"), \
	REG(VET, RW, "VLAN Ether Type"), \
	REG(FCTTV, RW, "Flow Control Transmit Timer Value"), \
	REG(LEDCTL, RW, "LED Control"), \
	REG(PBA, RW, "Packet Buffer Allocation"), \
	REG(ICR, RWC, "Interrupt Cause Read"), \
	REG(ITR, RW, "Interrupt Throttling Rate"), \
	REG(ICS, WO, "Interrupt Cause Set"), \
	REG(IMS, RW, "Interrupt Mask Set/Read"), \
	REG(IMC, WO, "Interrupt Mask Clear"), \
	REG(RCTL, RW, "Receive Control"), \
	REG(RDBAL, RW, "Receive Descriptor Base Address Low"), \
	REG(RDBAH, RW, "Receive Descriptor Base Address High"), \
	REG(RDLEN, RW, "Receive Descriptor Length"), \
	REG(RDH, RW, "Receive Descriptor Head"), \
	REG(RDT, RW, "Receive Descriptor Tail"), \
	REG(RDTR, RW, "Receive Delay Timer"), \
	REG(RXDCTL, RW, "Receive Descriptor Control"), \
	REG(RADV, RW, "Receive Interrupt Absolute Delay Timer"), \
	REG(RSRPD, RW, "Receive Small Packet Detect Interrupt"), \
	REG(RXCSUM, RW, "Receive Checksum Control"), \
	REG(MTA, RW, "Multicast Table Array (first of 128)"), \
	REG(RAL0, RW, "Receive Address Low 0"), \
	REG(RAH0, RW, "Receive Address High 0"), \
	REG(VFTA, RW, "VLAN Filter Table Array (first of 128)"), \
	REG(TCTL, RW, "Transmit Control"), \
	REG(TIPG, RW, "Transmit Inter Packet Gap"), \
	REG(TDBAL, RW, "Transmit Descriptor Base Address Low"), \
	REG(TDBAH, RW, "Transmit Descriptor Base Address High"), \
	REG(TDLEN, RW, "Transmit Descriptor Length"), \
	REG(TDH, RW, "Transmit Descriptor Head"), \
	REG(TDT, RW, "Transmit Descriptor Tail"), \
	REG(TIDV, RW, "Transmit Interrupt Delay Value"), \
	REG(TXDCTL, RW, "Transmit Descriptor Control"), \
	REG(TADV, RW, "Transmit Absolute Interrupt Delay Value"), \
	REG(WUC, RW, "Wakeup Control"), \
	REG(WUFC, RW, "Wakeup Filter Control"), \
	REG(WUS, RO, "Wakeup Status"), \
	REG(CRCERRS, RC, "CRC Error Count"), \
	REG(ALGNERRC, RC, "Alignment Error Count"), \
	REG(SYMERRS, RC, "Symbol Error Count"), \
	REG(RXERRC, RC, "RX Error Count"), \
	REG(MPC, RC, "Missed Packets Count"), \
	REG(SCC, RC, "Single Collision Count"), \
	REG(ECOL, RC, "Excessive Collisions Count"), \
	REG(MCC, RC, "Multiple Collision Count"), \
	REG(LATECOL, RC, "Late Collisions Count"), \
	REG(COLC, RC, "Collision Count"), \
	REG(DC, RC, "Defer Count"), \
	REG(TNCRS, RC, "Transmit with No CRS"), \
	REG(SEC, RC, "Sequence Error Count"), \
	REG(CEXTERR, RC, "Carrier Extension Error Count"), \
	REG(RLEC, RC, "Receive Length Error Count"), \
	REG(XONRXC, RC, "XON Received Count"), \
	REG(XONTXC, RC, "XON Transmitted Count"), \
	REG(XOFFRXC, RC, "XOFF Received Count"), \
	REG(XOFFTXC, RC, "XOFF Transmitted Count"), \
	REG(FCRUC, RC, "FC Received Unsupported Count"), \
	REG(PRC64, RC, "Packets Received (64 Bytes) Count"), \
	REG(PRC127, RC, "Packets Received (65-127 Bytes) Count"), \
	REG(PRC255, RC, "Packets Received (128-255 Bytes) Count"), \
	REG(PRC511, RC, "Packets Received (256-511 Bytes) Count"), \
	REG(PRC1023, RC, "Packets Received (512-1023 Bytes) Count"), \
	REG(PRC1522, RC, "Packets Received (1024-Max Bytes) Count"), \
	REG(GPRC, RC, "Good Packets Received Count"), \
	REG(BPRC, RC, "Broadcast Packets Received Count"), \
	REG(MPRC, RC, "Multicast Packets Received Count"), \
	REG(GPTC, RC, "Good Packets Transmitted Count"), \
	REG(GORCL, RC, "Good Octets Received Count Low"), \
	REG(GORCH, RC, "Good Octets Received Count High"), \
	REG(GOTCL, RC, "Good Octets Transmitted Count Low"), \
	REG(GOTCH, RC, "Good Octets Transmitted Count High"), \
	REG(RNBC, RC, "Receive No Buffers Count"), \
	REG(RUC, RC, "Receive Undersize Count"), \
	REG(RFC, RC, "Receive Fragment Count"), \
	REG(ROC, RC, "Receive Oversize Count"), \
	REG(RJC, RC, "Receive Jabber Count"), \
	REG(TORL, RC, "Total Octets Received Low"), \
	REG(TORH, RC, "Total Octets Received High"), \
	REG(TOTL, RC, "Total Octets Transmitted Low"), \
	REG(TOTH, RC, "Total Octets Transmitted High"), \
	REG(TPR, RC, "Total Packets Received"), \
	REG(TPT, RC, "Total Packets Transmitted"), \
	REG(PTC64, RC, "Packets Transmitted (64 Bytes) Count"), \
	REG(PTC127, RC, "Packets Transmitted (65-127 Bytes) Count"), \
	REG(PTC255, RC, "Packets Transmitted (128-255 Bytes) Count"), \
	REG(PTC511, RC, "Packets Transmitted (256-511 Bytes) Count"), \
	REG(PTC1023, RC, "Packets Transmitted (512-1023 Bytes) Count"), \
	REG(PTC1522, RC, "Packets Transmitted (1024-Max Bytes) Count"), \
	REG(MPTC, RC, "Multicast Packets Transmitted Count"), \
	REG(BPTC, RC, "Broadcast Packets Transmitted Count"), \
	REG(TSCTC, RC, "TCP Segmentation Context Transmitted Count"), \
	REG(TSCTFC, RC, "TCP Segmentation Context Tx Fail Count"),

/* The 8254x: SDM table 13-2. */
const struct nic_reg e1000_regs[] = {
	REG(EERD, RW, "EEPROM Read"),
	REG(TXCW, RW, "Transmit Configuration Word"),
	REG(RXCW, RO, "Receive Configuration Word"),
	REG(TXDMAC, RW, "Transmit DMA Control"),
	E1000_SHARED_REGS
	{NULL, 0, NIC_REG_RW, NULL},
};

/* The 82574L: 82574 table 10-2, names as Linux's e1000e/regs.h.  It has
 * no TXCW, RXCW or TXDMAC (copper only). */
const struct nic_reg e1000e_regs[] = {
	REG(EERD, RW, "EEPROM Read (START bit 0, DONE bit 1, ADDR from bit 2, DATA from bit 16)"),
	REG(FLA, RW, "Flash Access"),
	REG(EIAC, RW, "Extended Interrupt Auto Clear (MSI-X)"),
	REG(IAM, RW, "Interrupt Acknowledge Auto Mask"),
	REG(IVAR, RW, "Interrupt Vector Allocation (MSI-X)"),
	REG(EITR0, RW, "Extended Interrupt Throttle 0 (MSI-X)"),
	REG(EITR1, RW, "Extended Interrupt Throttle 1 (MSI-X)"),
	REG(EITR2, RW, "Extended Interrupt Throttle 2 (MSI-X)"),
	REG(EITR3, RW, "Extended Interrupt Throttle 3 (MSI-X)"),
	REG(EITR4, RW, "Extended Interrupt Throttle 4 (MSI-X)"),
	REG(EXTCNF_CTRL, RW, "Extended Configuration Control"),
	REG(PBS, RW, "Packet Buffer Size"),
	REG(PSRCTL, RW, "Packet Split Receive Control"),
	REG(RAID, RW, "Receive ACK Interrupt Delay"),
	REG(TARC0, RW, "Transmit Arbitration Count 0 (bit 10: queue enabled)"),
	REG(TARC1, RW, "Transmit Arbitration Count 1"),
	REG(IAC, RC, "Interrupt Assertion Count"),
	REG(RFCTL, RW, "Receive Filter Control (EXTEN: extended descriptors)"),
	REG(MRQC, RW, "Multiple Receive Queues Command"),
	REG(GCR, RW, "3GIO (PCIe) Control"),
	REG(FACTPS, RO, "Function Active and Power State"),
	REG(SWSM, RW, "Software Semaphore"),
	REG(GCR2, RW, "3GIO (PCIe) Control 2"),
	REG(PBACLR, RW, "MSI-X PBA Clear"),
	E1000_SHARED_REGS
	{NULL, 0, NIC_REG_RW, NULL},
};
// clang-format on
