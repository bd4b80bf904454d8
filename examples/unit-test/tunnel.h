/*
 * tunnel.h - more "own client code": the utun side of a (very small) VPN client. It
 * opens the first free utun interface and reflects packets: what the system routes
 * into the tunnel comes back out of it (test_thermo.c tests it in a simulated kernel
 * "like a Mac", with Apple's utun registered).
 */
#ifndef TUNNEL_H
#define TUNNEL_H

#include <stddef.h>

#include <kctl.h>

/* Opens the first free utunN on be (NULL: the system's); its name into ifname. */
int tunnel_open(const kctl_backend_t *be, kctl_t **out, char *ifname, size_t cap);

/*
 * Reads one packet into buf (cap bytes; waiting up to timeout_ms) and sends it back:
 * 0 or libkctl's -errno.
 */
int tunnel_reflect_one(kctl_t *h, void *buf, size_t cap, int32_t timeout_ms);

#endif
