/*
 * echo_ctl.h - a small test control for the client suites (header-only).
 *
 * Echoes every send back as one record; options: ECHO_OPT_U32 (a per-unit u32),
 * ECHO_OPT_U64, ECHO_OPT_NAME (get: "echo-<unit>"), ECHO_OPT_SHORT (answers 2 bytes),
 * ECHO_OPT_BLOB (variable size: answers the size query with blob_size). Counts the
 * callbacks it saw, atomically, for the thread tests.
 */
#ifndef ECHO_CTL_H
#define ECHO_CTL_H

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kctl_sim.h"

enum { ECHO_OPT_U32 = 1, ECHO_OPT_U64 = 2, ECHO_OPT_NAME = 3, ECHO_OPT_SHORT = 4,
       ECHO_OPT_BLOB = 5 };

struct echo_unit {
	uint32_t unit;
	uint32_t u32;
	uint64_t u64;
};

struct echo_stats {
	atomic_int connects;
	atomic_int disconnects;
	atomic_int sends;
	atomic_long bytes;
	size_t blob_size;
};

static inline int echo_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
			       void **unitinfo)
{
	struct echo_stats *st = kctl_sim_ctl_cookie(ctl);
	struct echo_unit *u = calloc(1, sizeof(*u));

	if (!u)
		return -ENOMEM;
	u->unit = sac->sc_unit;
	*unitinfo = u;
	atomic_fetch_add(&st->connects, 1);
	return 0;
}

static inline int echo_disconnect(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo)
{
	struct echo_stats *st = kctl_sim_ctl_cookie(ctl);

	(void)unit;
	free(unitinfo);
	atomic_fetch_add(&st->disconnects, 1);
	return 0;
}

static inline int echo_send(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo,
			    kctl_sim_mbuf_t *m, int flags)
{
	struct echo_stats *st = kctl_sim_ctl_cookie(ctl);
	size_t len = kctl_sim_mbuf_pkthdr_len(m);
	char buf[8192];
	int rc = -EMSGSIZE;

	(void)unitinfo; (void)flags;
	if (len <= sizeof(buf) && kctl_sim_mbuf_copydata(m, 0, len, buf) == 0)
		rc = kctl_sim_enqueue(ctl, unit, buf, len, KCTL_ABI_CTL_DATA_EOR);
	kctl_sim_mbuf_free(m);
	atomic_fetch_add(&st->sends, 1);
	atomic_fetch_add(&st->bytes, (long)len);
	return rc;
}

static inline int echo_setopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt,
			      void *data, size_t len)
{
	struct echo_unit *u = unitinfo;

	(void)ctl; (void)unit;
	if (opt == ECHO_OPT_U32 && len == sizeof(u->u32) && u) {
		memcpy(&u->u32, data, len);
		return 0;
	}
	if (opt == ECHO_OPT_U64 && len == sizeof(u->u64) && u) {
		memcpy(&u->u64, data, len);
		return 0;
	}
	if (opt == ECHO_OPT_U32 || opt == ECHO_OPT_U64)
		return u ? -EINVAL : 0; /* before connect (bound): accepted, nothing to store */
	return -ENOPROTOOPT;
}

static inline int echo_getopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt,
			      void *data, size_t *len)
{
	struct echo_stats *st = kctl_sim_ctl_cookie(ctl);
	struct echo_unit *u = unitinfo;
	char name[32];
	size_t n;

	switch (opt) {
	case ECHO_OPT_U32:
		if (!data || *len < sizeof(u->u32))
			return -EINVAL;
		memcpy(data, &u->u32, sizeof(u->u32));
		*len = sizeof(u->u32);
		return 0;
	case ECHO_OPT_U64:
		if (!data || *len < sizeof(u->u64))
			return -EINVAL;
		memcpy(data, &u->u64, sizeof(u->u64));
		*len = sizeof(u->u64);
		return 0;
	case ECHO_OPT_NAME:
		n = (size_t)snprintf(name, sizeof(name), "echo-%u", (unsigned)unit) + 1;
		if (data && *len < n)
			return -EMSGSIZE; /* as utun does for a short buffer */
		if (data)
			memcpy(data, name, n);
		*len = n;
		return 0;
	case ECHO_OPT_SHORT:
		if (data && *len >= 2)
			memset(data, 0xab, 2);
		*len = 2;
		return 0;
	case ECHO_OPT_BLOB:
		n = st->blob_size < *len || !data ? st->blob_size : *len;
		if (data)
			memset(data, 'z', n);
		*len = n;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/* Registers the echo control as `name` (flags: KCTL_ABI_CTL_FLAG_*). */
static inline int echo_register(kctl_sim_t *sim, const char *name, uint32_t flags,
				struct echo_stats *st, kctl_sim_ctl_t **ctl)
{
	struct kctl_sim_reg reg;

	memset(&reg, 0, sizeof(reg));
	snprintf(reg.name, sizeof(reg.name), "%s", name);
	reg.flags = flags;
	reg.cookie = st;
	reg.connect = echo_connect;
	reg.disconnect = echo_disconnect;
	reg.send = echo_send;
	reg.setopt = echo_setopt;
	reg.getopt = echo_getopt;
	return kctl_sim_register(sim, &reg, ctl);
}

#endif
