/* thermo.c - the thermometer client of thermo.h, written against libkctl only. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "thermo.h"

struct thermo {
	kctl_t *h;
	uint32_t last_call; /* the kind of the last call that failed, for thermo_why */
};

int thermo_open(const kctl_backend_t *be, struct thermo **out)
{
	struct thermo *t = calloc(1, sizeof(*t));
	int rc;

	if (t == NULL)
		return -ENOMEM;
	rc = kctl_open_name(be, THERMO_CTL_NAME, 0, KCTL_OPEN_DGRAM, &t->h);
	if (rc < 0) {
		free(t);
		return rc;
	}
	*out = t;
	return 0;
}

int thermo_read(struct thermo *t, int32_t *millideg)
{
	uint32_t raw;
	int rc = kctl_get_u32(t->h, THERMO_OPT_TEMP, &raw); /* length checked: 4 bytes */

	if (rc < 0) {
		t->last_call = KCTL_CALL_OPTION;
		return rc;
	}
	memcpy(millideg, &raw, sizeof(raw)); /* the kext's int32, bit for bit */
	return 0;
}

int thermo_set_alarm(struct thermo *t, int32_t millideg)
{
	uint32_t raw;
	int rc;

	if (millideg < THERMO_ALARM_MIN || millideg > THERMO_ALARM_MAX)
		return -ERANGE;
	memcpy(&raw, &millideg, sizeof(raw));
	rc = kctl_set_u32(t->h, THERMO_OPT_ALARM, raw);
	if (rc < 0)
		t->last_call = KCTL_CALL_OPTION;
	return rc;
}

int thermo_wait_alarm(struct thermo *t, int32_t timeout_ms, int32_t *millideg)
{
	unsigned char rec[16];
	size_t got = 0;
	int rc = kctl_set_timeout(t->h, timeout_ms);

	if (rc == 0)
		rc = kctl_recv(t->h, rec, sizeof(rec), &got, NULL);
	if (rc == 0 && got != sizeof(*millideg))
		rc = -EBADMSG; /* an alarm is exactly 4 bytes */
	if (rc < 0) {
		t->last_call = KCTL_CALL_RECV;
		return rc;
	}
	memcpy(millideg, rec, sizeof(*millideg));
	return 0;
}

const char *thermo_why(struct thermo *t, int rc, char *buf, size_t cap)
{
	kctl_explain(t->h, t->last_call, rc, buf, cap);
	return buf;
}

void thermo_close(struct thermo *t)
{
	if (t == NULL)
		return;
	kctl_close(t->h);
	free(t);
}
