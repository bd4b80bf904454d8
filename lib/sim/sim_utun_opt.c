/*
 * sim_utun_opt.c - utun's socket options at level SYSPROTO_CONTROL, with the rules and
 * errnos of utun_ctl_setopt / utun_ctl_getopt in xnu-11417 (bsd/net/if_utun.c):
 *
 *   option                     set                              get
 *   1  FLAGS                   u32, root, before connect        u32
 *   2  IFNAME                  ENOPROTOOPT                      after connect; EMSGSIZE
 *                                                               below strlen+1; len strlen+1
 *   3  EXT_IFDATA_STATS        int, root, after connect         int
 *   4, 5 INC_IFDATA_STATS_*    24 bytes or more, after connect,  ENOPROTOOPT
 *                              with EXT_IFDATA_STATS on
 *   15 SET_DELEGATE_INTERFACE  up to 15 bytes, root, after       ENOPROTOOPT
 *                              connect; an unknown name ENXIO
 *   16 MAX_PENDING_PACKETS     u32 >= 1                         u32 (default 1)
 *   17 ENABLE_CHANNEL          int, after connect; 1: EPERM     int (0)
 *                              (needs an entitlement), 0: ENXIO
 *   18 GET_CHANNEL_UUID        ENOPROTOOPT                      ENXIO (no channel)
 *   19 ENABLE_FLOWSWITCH       int, after connect; ENOENT       int (0)
 *   20, 27 ENABLE_NETIF, ATTACH_FLOWSWITCH   int, before connect   int / ENOPROTOOPT
 *   21 SLOT_SIZE               u32 1024..32768, before connect  u32
 *   22..26 ring sizes          u32 8..1024, before connect      u32
 *   anything else              ENOPROTOOPT                      ENOPROTOOPT
 *
 * "Before connect" is EINVAL once the interface exists; "after connect" EINVAL before.
 * A value of the wrong length is EMSGSIZE (checked first). The privilege check (the
 * kernel's effective uid, kctl_sim_set_euid) comes before everything else.
 */
#include <errno.h>
#include <string.h>

#include "sim_utun.h"

#define UTUN_MIN_RING 8u
#define UTUN_MAX_RING 1024u
#define UTUN_MIN_SLOT 1024u
#define UTUN_MAX_SLOT (32u * 1024u)
#define UTUN_DELEGATE_MAX 15u /* IFNAMSIZ - 1 */

/* A 4-byte value (u32 or int: the same size on every Darwin), or EMSGSIZE. */
static int val32(const void *data, size_t len, uint32_t *v)
{
	if (len != sizeof(*v) || data == NULL)
		return -EMSGSIZE;
	memcpy(v, data, sizeof(*v));
	return 0;
}

static bool opt_needs_root(int opt)
{
	return opt == KCTL_ABI_UTUN_OPT_FLAGS || opt == KCTL_ABI_UTUN_OPT_EXT_IFDATA_STATS ||
	       opt == KCTL_ABI_UTUN_OPT_SET_DELEGATE_INTERFACE;
}

/* ---- set (lock held) ---- */

/* FLAGS and the nexus options 20..27: a 4-byte value, and only before connect. */
static int set_before_connect(struct utun_pcb *pcb, const void *data, size_t len,
			      uint32_t *v)
{
	int err = val32(data, len, v);

	if (err == 0 && pcb->has_if)
		err = -EINVAL;
	return err;
}

static int set_after_connect(const struct utun_pcb *pcb, const void *data, size_t len,
			     uint32_t *v)
{
	int err = val32(data, len, v);

	if (err == 0 && !pcb->has_if)
		err = -EINVAL;
	return err;
}

static int set_in_range(uint32_t v, uint32_t lo, uint32_t hi, uint32_t *field)
{
	if (v < lo || v > hi)
		return -EINVAL;
	*field = v;
	return 0;
}

static int set_nexus(struct utun_pcb *pcb, int opt, const void *data, size_t len)
{
	uint32_t v = 0;
	int err = set_before_connect(pcb, data, len, &v);

	if (err != 0)
		return err;
	switch (opt) {
	case KCTL_ABI_UTUN_OPT_ENABLE_NETIF:
		pcb->nx.use_netif = v != 0;
		return 0;
	case KCTL_ABI_UTUN_OPT_ATTACH_FLOWSWITCH:
		pcb->nx.attach_fsw = v != 0;
		return 0;
	case KCTL_ABI_UTUN_OPT_SLOT_SIZE:
		return set_in_range(v, UTUN_MIN_SLOT, UTUN_MAX_SLOT, &pcb->nx.slot_size);
	case KCTL_ABI_UTUN_OPT_NETIF_RING_SIZE:
		return set_in_range(v, UTUN_MIN_RING, UTUN_MAX_RING, &pcb->nx.netif_ring);
	case KCTL_ABI_UTUN_OPT_TX_FSW_RING_SIZE:
		return set_in_range(v, UTUN_MIN_RING, UTUN_MAX_RING, &pcb->nx.tx_fsw_ring);
	case KCTL_ABI_UTUN_OPT_RX_FSW_RING_SIZE:
		return set_in_range(v, UTUN_MIN_RING, UTUN_MAX_RING, &pcb->nx.rx_fsw_ring);
	case KCTL_ABI_UTUN_OPT_KPIPE_TX_RING_SIZE:
		return set_in_range(v, UTUN_MIN_RING, UTUN_MAX_RING, &pcb->nx.kpipe_tx_ring);
	default: /* KCTL_ABI_UTUN_OPT_KPIPE_RX_RING_SIZE */
		return set_in_range(v, UTUN_MIN_RING, UTUN_MAX_RING, &pcb->nx.kpipe_rx_ring);
	}
}

/* The counters a client keeps itself once it took them over (EXT_IFDATA_STATS). */
static int inc_stats(struct utun_pcb *pcb, int opt, const void *data, size_t len)
{
	struct kctl_abi_utun_stats_param sp;

	if (data == NULL || len < sizeof(sp))
		return -EINVAL;
	if (!pcb->has_if || !pcb->ext_stats)
		return -EINVAL;
	memcpy(&sp, data, sizeof(sp));
	if (opt == KCTL_ABI_UTUN_OPT_INC_IFDATA_STATS_IN) {
		pcb->st.ipackets += sp.utsp_packets;
		pcb->st.ibytes += sp.utsp_bytes;
		pcb->st.ierrors += sp.utsp_errors;
	} else {
		pcb->st.opackets += sp.utsp_packets;
		pcb->st.obytes += sp.utsp_bytes;
		pcb->st.oerrors += sp.utsp_errors;
	}
	return 0;
}

/*
 * ifnet_find_by_name over what this simulated host has: its utun interfaces, plus the
 * loopback and the first Ethernet every Mac has (lo0, en0), so a VPN that delegates to
 * its physical interface works as it would there.
 */
static bool if_exists(struct sim_utun *ut, const char *name)
{
	return strcmp(name, "lo0") == 0 || strcmp(name, "en0") == 0 ||
	       utun_find_if(ut, name) != NULL;
}

static int set_delegate(struct utun_pcb *pcb, const void *data, size_t len)
{
	char name[UTUN_DELEGATE_MAX + 1];

	if (len > UTUN_DELEGATE_MAX)
		return -EMSGSIZE;
	if (!pcb->has_if)
		return -EINVAL;
	memset(name, 0, sizeof(name));
	if (len > 0)
		memcpy(name, data, len); /* len 0 removes the delegate */
	if (len > 0 && !if_exists(pcb->ut, name))
		return -ENXIO;
	memcpy(pcb->delegate, name, sizeof(pcb->delegate));
	return 0;
}

static int set_max_pending(struct utun_pcb *pcb, const void *data, size_t len)
{
	uint32_t v = 0;
	int err = val32(data, len, &v);

	if (err == 0 && v == 0)
		err = -EINVAL;
	if (err == 0)
		pcb->max_pending = v;
	return err;
}

/* 17 and 19 only make sense with Skywalk, which the simulated utun does not have. */
static int set_skywalk(const struct utun_pcb *pcb, int opt, const void *data, size_t len)
{
	uint32_t v = 0;
	int err = set_after_connect(pcb, data, len, &v);

	if (err != 0)
		return err;
	if (opt == KCTL_ABI_UTUN_OPT_ENABLE_CHANNEL)
		return v != 0 ? -EPERM : -ENXIO; /* no entitlement; nothing to disable */
	return -ENOENT; /* no flowswitch agent on this interface */
}

static int setopt_locked(struct utun_pcb *pcb, int opt, const void *data, size_t len)
{
	uint32_t v = 0;
	int err;

	switch (opt) {
	case KCTL_ABI_UTUN_OPT_FLAGS:
		err = set_before_connect(pcb, data, len, &v);
		if (err == 0)
			pcb->flags = v;
		return err;
	case KCTL_ABI_UTUN_OPT_EXT_IFDATA_STATS:
		err = set_after_connect(pcb, data, len, &v);
		if (err == 0)
			pcb->ext_stats = v != 0;
		return err;
	case KCTL_ABI_UTUN_OPT_INC_IFDATA_STATS_IN:
	case KCTL_ABI_UTUN_OPT_INC_IFDATA_STATS_OUT:
		return inc_stats(pcb, opt, data, len);
	case KCTL_ABI_UTUN_OPT_SET_DELEGATE_INTERFACE:
		return set_delegate(pcb, data, len);
	case KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS:
		return set_max_pending(pcb, data, len);
	case KCTL_ABI_UTUN_OPT_ENABLE_CHANNEL:
	case KCTL_ABI_UTUN_OPT_ENABLE_FLOWSWITCH:
		return set_skywalk(pcb, opt, data, len);
	default:
		if (opt >= KCTL_ABI_UTUN_OPT_ENABLE_NETIF &&
		    opt <= KCTL_ABI_UTUN_OPT_ATTACH_FLOWSWITCH)
			return set_nexus(pcb, opt, data, len);
		return -ENOPROTOOPT;
	}
}

int utun_setopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt, void *data,
		size_t len)
{
	struct sim_utun *ut = kctl_sim_ctl_cookie(ctl);
	int err;

	(void)unit;
	if (unitinfo == NULL)
		return -EINVAL;
	if (opt_needs_root(opt) && !utun_caller_is_root(ut))
		return -EPERM;
	pthread_mutex_lock(&ut->lock);
	err = setopt_locked(unitinfo, opt, data, len);
	pthread_mutex_unlock(&ut->lock);
	return err;
}

/* ---- get (lock held) ---- */

static int get32(void *data, size_t *len, uint32_t v)
{
	if (*len != sizeof(v) || data == NULL)
		return -EMSGSIZE;
	memcpy(data, &v, sizeof(v));
	return 0;
}

/* The buffer must hold the name and its NUL (checked even before connect), then EINVAL. */
static int get_ifname(const struct utun_pcb *pcb, void *data, size_t *len)
{
	size_t n = strnlen(pcb->ifname, sizeof(pcb->ifname));
	size_t need = n + 1 < sizeof(pcb->ifname) ? n + 1 : sizeof(pcb->ifname);

	if (*len < need || data == NULL)
		return -EMSGSIZE;
	if (!pcb->has_if)
		return -EINVAL;
	if (n > *len - 1)
		n = *len - 1; /* scnprintf's cut; cannot happen once the check above passed */
	memcpy(data, pcb->ifname, n);
	((char *)data)[n] = '\0';
	*len = n + 1;
	return 0;
}

static int get_nexus(const struct utun_pcb *pcb, int opt, void *data, size_t *len)
{
	switch (opt) {
	case KCTL_ABI_UTUN_OPT_ENABLE_NETIF:
		return get32(data, len, pcb->nx.use_netif ? 1 : 0);
	case KCTL_ABI_UTUN_OPT_SLOT_SIZE:
		return get32(data, len, pcb->nx.slot_size);
	case KCTL_ABI_UTUN_OPT_NETIF_RING_SIZE:
		return get32(data, len, pcb->nx.netif_ring);
	case KCTL_ABI_UTUN_OPT_TX_FSW_RING_SIZE:
		return get32(data, len, pcb->nx.tx_fsw_ring);
	case KCTL_ABI_UTUN_OPT_RX_FSW_RING_SIZE:
		return get32(data, len, pcb->nx.rx_fsw_ring);
	case KCTL_ABI_UTUN_OPT_KPIPE_TX_RING_SIZE:
		return get32(data, len, pcb->nx.kpipe_tx_ring);
	case KCTL_ABI_UTUN_OPT_KPIPE_RX_RING_SIZE:
		return get32(data, len, pcb->nx.kpipe_rx_ring);
	default: /* ATTACH_FLOWSWITCH is set-only */
		return -ENOPROTOOPT;
	}
}

static int getopt_locked(const struct utun_pcb *pcb, int opt, void *data, size_t *len)
{
	switch (opt) {
	case KCTL_ABI_UTUN_OPT_FLAGS:
		return get32(data, len, pcb->flags);
	case KCTL_ABI_UTUN_OPT_EXT_IFDATA_STATS:
		return get32(data, len, pcb->ext_stats ? 1 : 0);
	case KCTL_ABI_UTUN_OPT_IFNAME:
		return get_ifname(pcb, data, len);
	case KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS:
		return get32(data, len, pcb->max_pending);
	case KCTL_ABI_UTUN_OPT_ENABLE_CHANNEL:
	case KCTL_ABI_UTUN_OPT_ENABLE_FLOWSWITCH:
		return get32(data, len, 0); /* no channel, no flowswitch agent */
	case KCTL_ABI_UTUN_OPT_GET_CHANNEL_UUID:
		return -ENXIO;
	default:
		if (opt >= KCTL_ABI_UTUN_OPT_ENABLE_NETIF &&
		    opt <= KCTL_ABI_UTUN_OPT_ATTACH_FLOWSWITCH)
			return get_nexus(pcb, opt, data, len);
		return -ENOPROTOOPT;
	}
}

int utun_getopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt, void *data,
		size_t *len)
{
	struct sim_utun *ut = kctl_sim_ctl_cookie(ctl);
	int err;

	(void)unit;
	if (unitinfo == NULL || len == NULL)
		return -EINVAL;
	pthread_mutex_lock(&ut->lock);
	err = getopt_locked(unitinfo, opt, data, len);
	pthread_mutex_unlock(&ut->lock);
	return err;
}
