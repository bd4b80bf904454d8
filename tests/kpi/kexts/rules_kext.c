/*
 * rules_kext.c - a read-mostly rule table behind a kern_control, in the style of
 * filtering and monitoring kexts: rules live in a TAILQ of _MALLOC'd entries under a
 * lck_rw_t; lookups (every packet) take it shared and upgrade to count a hit, edits
 * (socket options) take it exclusive. Public KPI only.
 */
#include <mach/mach_types.h>
#include <libkern/OSAtomic.h>
#include <sys/errno.h>
#include <sys/kern_control.h>
#include <sys/kpi_mbuf.h>
#include <sys/malloc.h>
#include <sys/queue.h>
#include <sys/systm.h>
#include <kern/locks.h>

#include "rules_kext.h"

kern_return_t RuleStore_start(kmod_info_t *ki, void *d);
kern_return_t RuleStore_stop(kmod_info_t *ki, void *d);

struct rule {
	TAILQ_ENTRY(rule) link;
	size_t len;
	u_int64_t hits;
	char text[RULES_MAX_RULE + 1];
};

static TAILQ_HEAD(rule_list, rule) g_rules = TAILQ_HEAD_INITIALIZER(g_rules);
static u_int32_t g_nrules;
static lck_grp_t *g_grp;
static lck_rw_t *g_lock;
static kern_ctl_ref g_ref;
static volatile SInt64 g_hits;

/* Under the lock: the rule with exactly this text. */
static struct rule *find(const char *text, size_t len)
{
	struct rule *r;

	TAILQ_FOREACH(r, &g_rules, link)
		if (r->len == len && bcmp(r->text, text, len) == 0)
			return r;
	return NULL;
}

/* Shared, then exclusive to count the hit: the upgrade may fail and drop the lock. */
static int match(const char *name, size_t len)
{
	struct rule *r;
	int hit = 0;

	lck_rw_lock_shared(g_lock);
	TAILQ_FOREACH(r, &g_rules, link) {
		if (r->len <= len && bcmp(r->text, name, r->len) == 0) {
			hit = 1;
			break;
		}
	}
	if (!hit) {
		lck_rw_unlock_shared(g_lock);
		return 0;
	}
	if (!lck_rw_lock_shared_to_exclusive(g_lock)) {
		lck_rw_lock_exclusive(g_lock);	/* we lost the lock: look again */
		TAILQ_FOREACH(r, &g_rules, link)
			if (r->len <= len && bcmp(r->text, name, r->len) == 0)
				break;
	}
	if (r != NULL) {
		r->hits++;
		OSAddAtomic64(1, &g_hits);
	}
	lck_rw_unlock_exclusive(g_lock);
	return r != NULL;
}

static errno_t add_rule(const void *data, size_t len)
{
	struct rule *r;

	if (len == 0 || len > RULES_MAX_RULE)
		return EINVAL;
	MALLOC(r, struct rule *, sizeof(*r), M_TEMP, M_WAITOK | M_ZERO);
	if (r == NULL)
		return ENOMEM;
	bcopy(data, r->text, len);
	r->len = len;
	lck_rw_lock_exclusive(g_lock);
	if (find(r->text, len) != NULL || g_nrules == RULES_MAX_RULES) {
		errno_t err = g_nrules == RULES_MAX_RULES ? ENOSPC : EEXIST;

		lck_rw_unlock_exclusive(g_lock);
		FREE(r, M_TEMP);
		return err;
	}
	TAILQ_INSERT_TAIL(&g_rules, r, link);
	g_nrules++;
	lck_rw_unlock_exclusive(g_lock);
	return 0;
}

static errno_t del_rule(const void *data, size_t len)
{
	struct rule *r;

	lck_rw_lock_exclusive(g_lock);
	r = find(data, len);
	if (r != NULL) {
		TAILQ_REMOVE(&g_rules, r, link);
		g_nrules--;
	}
	lck_rw_unlock_exclusive(g_lock);
	if (r == NULL)
		return ENOENT;
	FREE(r, M_TEMP);
	return 0;
}

static void clear_rules(void)
{
	struct rule *r, *tmp;

	lck_rw_lock_exclusive(g_lock);
	TAILQ_FOREACH_SAFE(r, &g_rules, link, tmp) {
		TAILQ_REMOVE(&g_rules, r, link);
		FREE(r, M_TEMP);
	}
	g_nrules = 0;
	lck_rw_unlock_exclusive(g_lock);
}

/* Under the shared lock: the LIST answer, or its size when data is NULL. */
static errno_t list_rules(void *data, size_t *len)
{
	size_t need = 0, off = 0;
	struct rule *r;

	TAILQ_FOREACH(r, &g_rules, link)
		need += r->len + 1;
	if (data == NULL) {
		*len = need;
		return 0;
	}
	if (*len < need)
		return EMSGSIZE;
	TAILQ_FOREACH(r, &g_rules, link) {
		bcopy(r->text, (char *)data + off, r->len);
		off += r->len;
		((char *)data)[off++] = '\0';
	}
	*len = need;
	return 0;
}

static errno_t rules_connect(kern_ctl_ref ref, struct sockaddr_ctl *sac, void **unitinfo)
{
#pragma unused(ref, sac, unitinfo)
	return 0;
}

static errno_t rules_disconnect(kern_ctl_ref ref, u_int32_t unit, void *unitinfo)
{
#pragma unused(ref, unit, unitinfo)
	return 0;
}

static errno_t rules_send(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, mbuf_t m,
			  int flags)
{
#pragma unused(unitinfo, flags)
	char name[256];
	size_t len = min((u_int)mbuf_pkthdr_len(m), (u_int)sizeof(name));
	char answer;
	errno_t err = mbuf_copydata(m, 0, len, name);

	mbuf_freem(m);
	if (err != 0)
		return err;
	answer = match(name, len) ? '1' : '0';
	return ctl_enqueuedata(ref, unit, &answer, 1, CTL_DATA_EOR);
}

static errno_t rules_setopt(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, int opt,
			    void *data, size_t len)
{
#pragma unused(ref, unit, unitinfo)
	switch (opt) {
	case RULES_OPT_ADD:
		return add_rule(data, len);
	case RULES_OPT_DEL:
		return del_rule(data, len);
	case RULES_OPT_CLEAR:
		clear_rules();
		return 0;
	default:
		return ENOPROTOOPT;
	}
}

static errno_t rules_getopt(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, int opt,
			    void *data, size_t *len)
{
#pragma unused(ref, unit, unitinfo)
	errno_t err = 0;
	u_int64_t hits;

	switch (opt) {
	case RULES_OPT_COUNT:
		if (*len < sizeof(u_int32_t))
			return EINVAL;
		lck_rw_lock_shared(g_lock);
		*(u_int32_t *)data = g_nrules;
		lck_rw_unlock_shared(g_lock);
		*len = sizeof(u_int32_t);
		return 0;
	case RULES_OPT_LIST:
		lck_rw_lock_shared(g_lock);
		err = list_rules(data, len);
		lck_rw_unlock_shared(g_lock);
		return err;
	case RULES_OPT_HITS:
		if (*len < sizeof(hits))
			return EINVAL;
		hits = (u_int64_t)g_hits;
		bcopy(&hits, data, sizeof(hits));
		*len = sizeof(hits);
		return 0;
	default:
		return ENOPROTOOPT;
	}
}

kern_return_t RuleStore_start(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	struct kern_ctl_reg reg;

	g_grp = lck_grp_alloc_init("RuleStore", LCK_GRP_ATTR_NULL);
	g_lock = lck_rw_alloc_init(g_grp, LCK_ATTR_NULL);
	bzero(&reg, sizeof(reg));
	strlcpy(reg.ctl_name, RULES_CTL_NAME, sizeof(reg.ctl_name));
	reg.ctl_connect = rules_connect;
	reg.ctl_disconnect = rules_disconnect;
	reg.ctl_send = rules_send;
	reg.ctl_setopt = rules_setopt;
	reg.ctl_getopt = rules_getopt;
	if (ctl_register(&reg, &g_ref) != 0) {
		lck_rw_free(g_lock, g_grp);
		lck_grp_free(g_grp);
		return KERN_FAILURE;
	}
	return KERN_SUCCESS;
}

kern_return_t RuleStore_stop(kmod_info_t *ki, void *d)
{
#pragma unused(ki, d)
	if (ctl_deregister(g_ref) != 0)
		return KERN_FAILURE;
	clear_rules();
	lck_rw_free(g_lock, g_grp);
	lck_grp_free(g_grp);
	return KERN_SUCCESS;
}
