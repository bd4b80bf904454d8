/*
 * <net/if_utun.h> - Apple's utun kernel control (user-space part), for Mac client code
 * built on another system (libkctl-darwin). Values are macOS's (xnu bsd/net/if_utun.h).
 * Every packet read from or written to a utun socket starts with the 4-byte protocol
 * family in network byte order, Darwin's numbers: AF_INET 2, AF_INET6 30.
 */
#ifndef _NET_IF_UTUN_H_
#define _NET_IF_UTUN_H_

#include <stdint.h>
#include <sys/types.h>

#define UTUN_CONTROL_NAME "com.apple.net.utun_control"

/* Socket options at level SYSPROTO_CONTROL. */
#define UTUN_OPT_FLAGS                  1
#define UTUN_OPT_IFNAME                 2
#define UTUN_OPT_EXT_IFDATA_STATS       3  /* get|set (type int) */
#define UTUN_OPT_INC_IFDATA_STATS_IN    4  /* set (struct utun_stats_param) */
#define UTUN_OPT_INC_IFDATA_STATS_OUT   5  /* set (struct utun_stats_param) */
#define UTUN_OPT_SET_DELEGATE_INTERFACE 15 /* set (char[]) */
#define UTUN_OPT_MAX_PENDING_PACKETS    16 /* packets that may wait to be read */
#define UTUN_OPT_ENABLE_CHANNEL         17
#define UTUN_OPT_GET_CHANNEL_UUID       18
#define UTUN_OPT_ENABLE_FLOWSWITCH      19
#define UTUN_OPT_ENABLE_NETIF           20 /* before connect */
#define UTUN_OPT_SLOT_SIZE              21 /* before connect */
#define UTUN_OPT_NETIF_RING_SIZE        22 /* before connect */
#define UTUN_OPT_TX_FSW_RING_SIZE       23 /* before connect */
#define UTUN_OPT_RX_FSW_RING_SIZE       24 /* before connect */
#define UTUN_OPT_KPIPE_TX_RING_SIZE     25 /* before connect */
#define UTUN_OPT_KPIPE_RX_RING_SIZE     26 /* before connect */
#define UTUN_OPT_ATTACH_FLOWSWITCH      27 /* before connect */

/* UTUN_OPT_FLAGS */
#define UTUN_FLAGS_NO_OUTPUT        0x0001
#define UTUN_FLAGS_NO_INPUT         0x0002
#define UTUN_FLAGS_ENABLE_PROC_UUID 0x0004

/* UTUN_OPT_INC_IFDATA_STATS_IN / _OUT */
struct utun_stats_param {
	uint64_t utsp_packets;
	uint64_t utsp_bytes;
	uint64_t utsp_errors;
};

#endif /* _NET_IF_UTUN_H_ */
