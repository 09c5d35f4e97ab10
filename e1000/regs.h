/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * regs.h - 8254x and 82574L register offsets, bits and descriptor formats.
 *
 * Offsets are from the 8254x SDM table 13-2 (section 13.3); bit names follow
 * section 13.4 and Linux's e1000_hw.h.  The 82574L keeps the 8254x's
 * offsets for everything e1000/ shares; its own registers and bits (the
 * 82574 GbE Controller Family Datasheet, chapter 10, "82574" below) are
 * named as Linux's e1000e/regs.h and defines.h name them.  Access types:
 *   RW  read/write          RO  read only         WO  write only
 *   RC  read, clear on read RWC read/write, clear on read
 */
#ifndef PCIFS_E1000_REGS_H
#define PCIFS_E1000_REGS_H

#include <stdint.h>

/* General (SDM 13.4.1-13.4.12) */
#define E1000_CTRL     0x00000 /* Device Control - RW */
#define E1000_STATUS   0x00008 /* Device Status - RO */
#define E1000_EECD     0x00010 /* EEPROM/Flash Control/Data - RW */
#define E1000_EERD     0x00014 /* EEPROM Read - RW (not on 82544) */
#define E1000_CTRL_EXT 0x00018 /* Extended Device Control - RW */
#define E1000_MDIC     0x00020 /* MDI Control - RW */
#define E1000_FCAL     0x00028 /* Flow Control Address Low - RW */
#define E1000_FCAH     0x0002C /* Flow Control Address High - RW */
#define E1000_FCT      0x00030 /* Flow Control Type - RW */
#define E1000_VET      0x00038 /* VLAN Ether Type - RW */
#define E1000_FCTTV    0x00170 /* Flow Control Transmit Timer Value - RW */
#define E1000_TXCW     0x00178 /* Transmit Config Word - RW */
#define E1000_RXCW     0x00180 /* Receive Config Word - RO */
#define E1000_LEDCTL   0x00E00 /* LED Control - RW */
#define E1000_PBA      0x01000 /* Packet Buffer Allocation - RW */

/* Interrupts (SDM 13.4.17-13.4.21) */
#define E1000_ICR 0x000C0 /* Interrupt Cause Read - RWC */
#define E1000_ITR 0x000C4 /* Interrupt Throttling Rate - RW */
#define E1000_ICS 0x000C8 /* Interrupt Cause Set - WO */
#define E1000_IMS 0x000D0 /* Interrupt Mask Set/Read - RW */
#define E1000_IMC 0x000D8 /* Interrupt Mask Clear - WO */

/* Receive (SDM 13.4.22-13.4.37) */
#define E1000_RCTL   0x00100 /* RX Control - RW */
#define E1000_RDBAL  0x02800 /* RX Descriptor Base Address Low - RW */
#define E1000_RDBAH  0x02804 /* RX Descriptor Base Address High - RW */
#define E1000_RDLEN  0x02808 /* RX Descriptor Length - RW */
#define E1000_RDH    0x02810 /* RX Descriptor Head - RW */
#define E1000_RDT    0x02818 /* RX Descriptor Tail - RW */
#define E1000_RDTR   0x02820 /* RX Delay Timer - RW */
#define E1000_RXDCTL 0x02828 /* RX Descriptor Control - RW */
#define E1000_RADV   0x0282C /* RX Interrupt Absolute Delay Timer - RW */
#define E1000_RSRPD  0x02C00 /* RX Small Packet Detect - RW */
#define E1000_RXCSUM 0x05000 /* RX Checksum Control - RW */
#define E1000_MTA    0x05200 /* Multicast Table Array (128 regs) - RW */
#define E1000_RAL0   0x05400 /* Receive Address Low 0 - RW */
#define E1000_RAH0   0x05404 /* Receive Address High 0 - RW */
#define E1000_RAL(i) (E1000_RAL0 + 8 * (i))
#define E1000_RAH(i) (E1000_RAH0 + 8 * (i))
#define E1000_VFTA   0x05600 /* VLAN Filter Table Array (128 regs) - RW */

#define E1000_MTA_ENTRIES 128
#define E1000_RA_ENTRIES  16

/* Transmit (SDM 13.4.33-13.4.46) */
#define E1000_TCTL   0x00400 /* TX Control - RW */
#define E1000_TIPG   0x00410 /* TX Inter-Packet Gap - RW */
#define E1000_TXDMAC 0x03000 /* TX DMA Control - RW */
#define E1000_TDBAL  0x03800 /* TX Descriptor Base Address Low - RW */
#define E1000_TDBAH  0x03804 /* TX Descriptor Base Address High - RW */
#define E1000_TDLEN  0x03808 /* TX Descriptor Length - RW */
#define E1000_TDH    0x03810 /* TX Descriptor Head - RW */
#define E1000_TDT    0x03818 /* TX Descriptor Tail - RW */
#define E1000_TIDV   0x03820 /* TX Interrupt Delay Value - RW */
#define E1000_TXDCTL 0x03828 /* TX Descriptor Control - RW */
#define E1000_TADV   0x0382C /* TX Interrupt Absolute Delay Val - RW */

/* Wakeup (SDM 13.6) */
#define E1000_WUC  0x05800 /* Wakeup Control - RW */
#define E1000_WUFC 0x05808 /* Wakeup Filter Control - RW */
#define E1000_WUS  0x05810 /* Wakeup Status - RO */

/* Statistics (SDM 13.7), all clear on read (RC) */
#define E1000_CRCERRS  0x04000 /* CRC Error Count */
#define E1000_ALGNERRC 0x04004 /* Alignment Error Count */
#define E1000_SYMERRS  0x04008 /* Symbol Error Count */
#define E1000_RXERRC   0x0400C /* RX Error Count */
#define E1000_MPC      0x04010 /* Missed Packets Count */
#define E1000_SCC      0x04014 /* Single Collision Count */
#define E1000_ECOL     0x04018 /* Excessive Collisions Count */
#define E1000_MCC      0x0401C /* Multiple Collision Count */
#define E1000_LATECOL  0x04020 /* Late Collisions Count */
#define E1000_COLC     0x04028 /* Collision Count */
#define E1000_DC       0x04030 /* Defer Count */
#define E1000_TNCRS    0x04034 /* TX with No CRS */
#define E1000_SEC      0x04038 /* Sequence Error Count */
#define E1000_CEXTERR  0x0403C /* Carrier Extension Error Count */
#define E1000_RLEC     0x04040 /* Receive Length Error Count */
#define E1000_XONRXC   0x04048 /* XON RX Count */
#define E1000_XONTXC   0x0404C /* XON TX Count */
#define E1000_XOFFRXC  0x04050 /* XOFF RX Count */
#define E1000_XOFFTXC  0x04054 /* XOFF TX Count */
#define E1000_FCRUC    0x04058 /* Flow Control RX Unsupported Count */
#define E1000_PRC64    0x0405C /* Packets RX (64 bytes) */
#define E1000_PRC127   0x04060 /* Packets RX (65-127 bytes) */
#define E1000_PRC255   0x04064 /* Packets RX (128-255 bytes) */
#define E1000_PRC511   0x04068 /* Packets RX (256-511 bytes) */
#define E1000_PRC1023  0x0406C /* Packets RX (512-1023 bytes) */
#define E1000_PRC1522  0x04070 /* Packets RX (1024-1522 bytes) */
#define E1000_GPRC     0x04074 /* Good Packets RX Count */
#define E1000_BPRC     0x04078 /* Broadcast Packets RX Count */
#define E1000_MPRC     0x0407C /* Multicast Packets RX Count */
#define E1000_GPTC     0x04080 /* Good Packets TX Count */
#define E1000_GORCL    0x04088 /* Good Octets RX Count Low */
#define E1000_GORCH    0x0408C /* Good Octets RX Count High */
#define E1000_GOTCL    0x04090 /* Good Octets TX Count Low */
#define E1000_GOTCH    0x04094 /* Good Octets TX Count High */
#define E1000_RNBC     0x040A0 /* RX No Buffers Count */
#define E1000_RUC      0x040A4 /* RX Undersize Count */
#define E1000_RFC      0x040A8 /* RX Fragment Count */
#define E1000_ROC      0x040AC /* RX Oversize Count */
#define E1000_RJC      0x040B0 /* RX Jabber Count */
#define E1000_TORL     0x040C0 /* Total Octets RX Low */
#define E1000_TORH     0x040C4 /* Total Octets RX High */
#define E1000_TOTL     0x040C8 /* Total Octets TX Low */
#define E1000_TOTH     0x040CC /* Total Octets TX High */
#define E1000_TPR      0x040D0 /* Total Packets RX */
#define E1000_TPT      0x040D4 /* Total Packets TX */
#define E1000_PTC64    0x040D8 /* Packets TX (64 bytes) */
#define E1000_PTC127   0x040DC /* Packets TX (65-127 bytes) */
#define E1000_PTC255   0x040E0 /* Packets TX (128-255 bytes) */
#define E1000_PTC511   0x040E4 /* Packets TX (256-511 bytes) */
#define E1000_PTC1023  0x040E8 /* Packets TX (512-1023 bytes) */
#define E1000_PTC1522  0x040EC /* Packets TX (1024-1522 bytes) */
#define E1000_MPTC     0x040F0 /* Multicast Packets TX Count */
#define E1000_BPTC     0x040F4 /* Broadcast Packets TX Count */
#define E1000_TSCTC    0x040F8 /* TCP Segmentation Context TX */
#define E1000_TSCTFC   0x040FC /* TCP Segmentation Context TX Fail */

/* The 82574L's own registers (82574 table 10-2), Linux e1000e names */
#define E1000_FLA	  0x0001C /* Flash Access - RW */
#define E1000_EIAC	  0x000DC /* Extended Interrupt Auto Clear - RW */
#define E1000_IAM	  0x000E0 /* Interrupt Acknowledge Auto Mask - RW */
#define E1000_IVAR	  0x000E4 /* Interrupt Vector Allocation - RW */
#define E1000_EITR0	  0x000E8 /* Extended Interrupt Throttle 0 - RW */
#define E1000_EITR1	  0x000EC
#define E1000_EITR2	  0x000F0
#define E1000_EITR3	  0x000F4
#define E1000_EITR4	  0x000F8
#define E1000_EXTCNF_CTRL 0x00F00 /* Extended Configuration Control - RW */
#define E1000_PBS	  0x01008 /* Packet Buffer Size - RW */
#define E1000_PSRCTL	  0x02170 /* Packet Split Receive Control - RW */
#define E1000_RAID	  0x02C08 /* Receive ACK Interrupt Delay - RW */
#define E1000_TARC0	  0x03840 /* TX Arbitration Count 0 - RW */
#define E1000_TARC1	  0x03940 /* TX Arbitration Count 1 - RW */
#define E1000_IAC	  0x04100 /* Interrupt Assertion Count - RC */
#define E1000_RFCTL	  0x05008 /* Receive Filter Control - RW */
#define E1000_MRQC	  0x05818 /* Multiple Receive Queues Command - RW */
#define E1000_GCR	  0x05B00 /* 3GIO (PCIe) Control - RW */
#define E1000_FACTPS	  0x05B30 /* Function Active and Power State - RO */
#define E1000_SWSM	  0x05B50 /* Software Semaphore - RW */
#define E1000_GCR2	  0x05B64 /* 3GIO (PCIe) Control 2 - RW */
#define E1000_PBACLR	  0x05B68 /* MSI-X PBA Clear - RW */

/* I/O-mapped access window (SDM 13.2.2): IOADDR selects, IODATA accesses. */
#define E1000_IOADDR 0x00
#define E1000_IODATA 0x04

/* CTRL bits (SDM 13.4.1) */
#define E1000_CTRL_FD		      (1u << 0) /* Full duplex */
#define E1000_CTRL_GIO_MASTER_DISABLE (1u << 2) /* 82574 10.2.2.1 */
#define E1000_CTRL_LRST		      (1u << 3) /* Link reset */
#define E1000_CTRL_ASDE		      (1u << 5) /* Auto-speed detection enable */
#define E1000_CTRL_SLU		      (1u << 6)	 /* Set link up */
#define E1000_CTRL_ILOS		      (1u << 7)	 /* Invert loss of signal */
#define E1000_CTRL_FRCSPD	      (1u << 11) /* Force speed */
#define E1000_CTRL_FRCDPX	      (1u << 12) /* Force duplex */
#define E1000_CTRL_RST		      (1u << 26) /* Global reset, self-clearing */
#define E1000_CTRL_RFCE		      (1u << 27) /* Receive flow control enable */
#define E1000_CTRL_TFCE		      (1u << 28) /* Transmit flow control enable */
#define E1000_CTRL_VME		      (1u << 30) /* VLAN mode enable */
#define E1000_CTRL_PHY_RST	      (1u << 31) /* PHY reset */

/* STATUS bits (SDM 13.4.2) */
#define E1000_STATUS_FD		       (1u << 0) /* Full duplex */
#define E1000_STATUS_LU		       (1u << 1) /* Link up */
#define E1000_STATUS_SPEED_SHIFT       6
#define E1000_STATUS_SPEED_MASK	       (3u << 6)  /* 00 10, 01 100, 1x 1000 */
#define E1000_STATUS_GIO_MASTER_ENABLE (1u << 19) /* 82574: requests pending */

/* EECD (82574: EEC) bits */
#define E1000_EECD_AUTO_RD (1u << 9) /* 82574: EEPROM auto-read done */

/* CTRL_EXT bits (82574 10.2.2.5) */
#define E1000_CTRL_EXT_EIAME	(1u << 24) /* MSI-X: auto-mask with EIAC */
#define E1000_CTRL_EXT_IAME	(1u << 27) /* ICR access auto-masks IAM */
#define E1000_CTRL_EXT_DRV_LOAD (1u << 28) /* a driver has the NIC */
#define E1000_CTRL_EXT_PBA_CLR	(1u << 31) /* MSI-X: IMS write clears PBA */

/* EERD bits (SDM 13.4.4, 82540/82541/82545/82546/82547) */
#define E1000_EERD_START	    (1u << 0)
#define E1000_EERD_DONE		    (1u << 4)
#define E1000_EERD_ADDR_SHIFT	    8
#define E1000_EERD_DATA_SHIFT	    16
/* EERD of the 82574 (82574 10.2.2.4): START bit 0, DONE bit 1, ADDR from
 * bit 2, DATA from bit 16, as Linux's E1000_NVM_RW_* */
#define E1000_EERD_DONE_82574	    (1u << 1)
#define E1000_EERD_ADDR_SHIFT_82574 2

/* Interrupt causes: ICR, ICS, IMS, IMC bits (SDM 13.4.17-13.4.21) */
#define E1000_ICR_TXDW	 (1u << 0) /* Transmit descriptor written back */
#define E1000_ICR_LSC	 (1u << 2) /* Link status change */
#define E1000_ICR_RXDMT0 (1u << 4) /* RX descriptor minimum threshold */
#define E1000_ICR_RXO	 (1u << 6) /* Receiver overrun */
#define E1000_ICR_RXT0	 (1u << 7) /* Receiver timer (frame stored) */
/* With MSI-X on, the 82574's per-queue causes (82574 10.2.4.1) */
#define E1000_ICR_RXQ0	 (1u << 20) /* Receive queue 0 */
#define E1000_ICR_TXQ0	 (1u << 22) /* Transmit queue 0 */
#define E1000_ICR_OTHER	 (1u << 24) /* Any other cause (LSC, RXO, ...) */

/* IVAR (82574 10.2.4, Interrupt Vector Allocation): a 4-bit field per cause, vector in bits 2:0 and
 * bit 3 valid; RXQ0 in 3:0, TXQ0 in 11:8, OTHER in 19:16 */
#define E1000_IVAR_VALID       0x8u
#define E1000_IVAR_RXQ0_SHIFT  0
#define E1000_IVAR_TXQ0_SHIFT  8
#define E1000_IVAR_OTHER_SHIFT 16

/* RFCTL bits (82574 10.2.5, Receive Filter Control) */
#define E1000_RFCTL_EXTEN (1u << 15) /* extended RX descriptors */

/* GCR, GCR2: bits Linux's e1000_initialize_hw_bits_82571 sets on the
 * 82574 without naming them (an erratum's workaround, 82574 spec update) */
#define E1000_GCR_82574_BIT22 (1u << 22)
#define E1000_GCR2_82574_BIT0 (1u << 0)

/* IMC (SDM 13.4.21): a 1 masks its cause */
#define E1000_IMC_ALL 0xffffffffu

/* RCTL bits (SDM 13.4.22) */
#define E1000_RCTL_EN	      (1u << 1)	 /* Receiver enable */
#define E1000_RCTL_SBP	      (1u << 2)	 /* Store bad packets */
#define E1000_RCTL_UPE	      (1u << 3)	 /* Unicast promiscuous */
#define E1000_RCTL_MPE	      (1u << 4)	 /* Multicast promiscuous */
#define E1000_RCTL_LPE	      (1u << 5)	 /* Long packet enable */
#define E1000_RCTL_LBM_MASK   (3u << 6)	 /* Loopback mode */
#define E1000_RCTL_RDMTS_HALF (0u << 8)	 /* RX desc min threshold 1/2 */
#define E1000_RCTL_MO_MASK    (3u << 12) /* Multicast offset */
#define E1000_RCTL_BAM	      (1u << 15) /* Broadcast accept mode */
#define E1000_RCTL_BSIZE_2048 (0u << 16) /* with BSEX = 0 */
#define E1000_RCTL_VFE	      (1u << 18) /* VLAN filter enable */
#define E1000_RCTL_BSEX	      (1u << 25) /* Buffer size extension */
#define E1000_RCTL_SECRC      (1u << 26) /* Strip Ethernet CRC */

/* RAH bits (SDM 13.4.41) */
#define E1000_RAH_AV (1u << 31) /* Address valid */

/* TCTL bits (SDM 13.4.33) */
#define E1000_TCTL_EN	      (1u << 1) /* Transmit enable */
#define E1000_TCTL_PSP	      (1u << 3) /* Pad short packets */
#define E1000_TCTL_CT_SHIFT   4		/* Collision threshold */
#define E1000_TCTL_COLD_SHIFT 12	/* Collision distance */
#define E1000_TCTL_CT_DEFAULT 0x0F	/* SDM 14.5: 0Fh */
#define E1000_TCTL_COLD_FD    0x40	/* SDM 14.5: 40h full duplex */

/* TIPG for IEEE 802.3 copper (SDM 13.4.34, table 13-77) */
#define E1000_TIPG_IPGT_COPPER 10
#define E1000_TIPG_IPGR1       8
#define E1000_TIPG_IPGR2       6
#define E1000_TIPG_IPGR1_SHIFT 10
#define E1000_TIPG_IPGR2_SHIFT 20

/* Legacy receive descriptor (SDM 3.2.3) */
struct e1000_rx_desc {
	uint64_t buffer_addr;
	uint16_t length;
	uint16_t csum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
};

_Static_assert(sizeof(struct e1000_rx_desc) == 16, "SDM 3.2.3: 16 bytes");

#define E1000_RXD_STAT_DD  0x01 /* Descriptor done */
#define E1000_RXD_STAT_EOP 0x02 /* End of packet */

/* Legacy transmit descriptor (SDM 3.3.3) */
struct e1000_tx_desc {
	uint64_t buffer_addr;
	uint16_t length;
	uint8_t cso;
	uint8_t cmd;
	uint8_t status;
	uint8_t css;
	uint16_t special;
};

_Static_assert(sizeof(struct e1000_tx_desc) == 16, "SDM 3.3.3: 16 bytes");

#define E1000_TXD_CMD_EOP  0x01 /* End of packet */
#define E1000_TXD_CMD_IFCS 0x02 /* Insert FCS */
#define E1000_TXD_CMD_RS   0x08 /* Report status */
#define E1000_TXD_STAT_DD  0x01 /* Descriptor done */
#define E1000_TXD_STAT_EC  0x02 /* Excess collisions */
#define E1000_TXD_STAT_LC  0x04 /* Late collision */

#endif /* PCIFS_E1000_REGS_H */
