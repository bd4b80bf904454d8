/* tunnel.c - the utun reflector of tunnel.h, on libkctl's utun helpers. */
#include "tunnel.h"

int tunnel_open(const kctl_backend_t *be, kctl_t **out, char *ifname, size_t cap)
{
	kctl_t *h = NULL;
	int rc = kctl_utun_open(be, KCTL_UTUN_ANY, 0, &h);

	if (rc == 0)
		rc = kctl_utun_ifname(h, ifname, cap);
	if (rc < 0) {
		kctl_close(h);
		return rc;
	}
	*out = h;
	return 0;
}

int tunnel_reflect_one(kctl_t *h, void *buf, size_t cap, int32_t timeout_ms)
{
	uint32_t family = 0;
	size_t len = 0;
	int rc = kctl_set_timeout(h, timeout_ms);

	if (rc == 0)
		rc = kctl_utun_read(h, buf, cap, &len, &family); /* the header stripped */
	if (rc == 0)
		rc = kctl_utun_write(h, family, buf, len);       /* and added again */
	return rc;
}
