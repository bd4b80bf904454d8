/*
 * test_native_kernel.c - one test, two kernels: the kernel behaviours users depend on,
 * checked through libkctl's native backend, whichever kernel answers it.
 *
 *   test_native_kernel --as-root [--net-reflect]    as root: utun opens
 *   test_native_kernel --as-user                    as a normal user: utun refuses
 *
 * On Linux `make check` runs it under `kctl-sim run` (the simulated kernel, "like a
 * Mac"), as root under tests/preload's net_peer with --net-reflect (the network sends
 * every packet back, so the 4-byte header can be checked both ways). On macOS it is
 * written to run against the real kernel: `sudo test_native_kernel --as-root` gives the
 * new interface addresses with ifconfig(8) and sends it a UDP datagram, which the
 * kernel routes out through utun to our read; `test_native_kernel --as-user` needs no
 * privilege. The macOS runs are in .github/workflows/macos.yml and HAVE NEVER RUN: no
 * Mac was available to this project.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "kctl.h"
#include "kctl_abi.h"

static int net_reflect; /* the simulator's network sends packets back */

/* ---- lookup and list ---- */

static void utun_is_found_by_its_exact_name_only(void **state)
{
	char shorter[sizeof(KCTL_UTUN_CONTROL_NAME)];
	uint32_t id = 0;

	(void)state;
	assert_int_equal(kctl_lookup(NULL, KCTL_UTUN_CONTROL_NAME, &id), 0);
	assert_true(id != 0);
	memcpy(shorter, KCTL_UTUN_CONTROL_NAME, sizeof(shorter));
	shorter[sizeof(shorter) - 2] = '\0';
	assert_int_equal(kctl_lookup(NULL, shorter, &id), -ENOENT);
	assert_int_equal(kctl_lookup(NULL, "", &id), -EINVAL);
}

static int find_utun(const struct kctl_ctl_desc *c, void *arg)
{
	if (strcmp(c->name, KCTL_UTUN_CONTROL_NAME) != 0)
		return 0;
	*(struct kctl_ctl_desc *)arg = *c;
	return 1;
}

static void the_registration_list_agrees_with_lookup_and_count(void **state)
{
	struct kctl_ctl_desc utun;
	uint32_t id = 0, count = 0, listed = 0;

	(void)state;
	memset(&utun, 0, sizeof(utun));
	assert_int_equal(kctl_lookup(NULL, KCTL_UTUN_CONTROL_NAME, &id), 0);
	assert_int_equal(kctl_count(NULL, &count), 0);
	assert_int_equal(kctl_list(NULL, NULL, 0, &listed), 0);
	assert_int_equal(listed, count);
	assert_int_equal(kctl_list_each(NULL, find_utun, &utun), 1);
	assert_int_equal(utun.id, id);
	assert_true(utun.flags & KCTL_ABI_CTL_FLAG_PRIVILEGED);
	assert_int_equal(utun.sendsize, 512 * 1024);
}

/* ---- utun as root ---- */

static void utun_opens_names_itself_and_refuses_a_taken_number(void **state)
{
	char name[KCTL_UTUN_IFNAME_MAX], name2[KCTL_UTUN_IFNAME_MAX];
	kctl_t *a = NULL, *b = NULL, *c = NULL;
	unsigned n;

	(void)state;
	assert_int_equal(kctl_utun_open(NULL, KCTL_UTUN_ANY, 0, &a), 0);
	assert_int_equal(kctl_utun_ifname(a, name, sizeof(name)), 0);
	assert_int_equal(sscanf(name, "utun%u", &n), 1);
	assert_int_equal(kctl_unit(a), n + 1);
	assert_int_equal(kctl_utun_open(NULL, n, 0, &b), -EBUSY);
	/* a walk from the taken number skips it */
	assert_int_equal(kctl_utun_open_range(NULL, n, n + 8, 0, &c), 0);
	assert_int_equal(kctl_utun_ifname(c, name2, sizeof(name2)), 0);
	assert_string_not_equal(name, name2);
	assert_int_equal(kctl_utun_ifname(a, name2, 3), -EMSGSIZE);
	kctl_close(c);
	kctl_close(a);
	/* gone with its socket: the number is free again */
	assert_int_equal(kctl_utun_open(NULL, n, 0, &b), 0);
	kctl_close(b);
}

#ifdef __APPLE__
/* Gives utunN 10.213.n.1 -> 10.213.n.2 and sends a datagram to .2: it leaves through utun. */
static void provoke_a_packet(const char *ifname, uint32_t *dst)
{
	char cmd[128];
	struct sockaddr_in sin;
	int s;

	snprintf(cmd, sizeof(cmd), "ifconfig %s 10.213.77.1 10.213.77.2 up", ifname);
	assert_int_equal(system(cmd), 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr.s_addr = inet_addr("10.213.77.2");
	*dst = sin.sin_addr.s_addr;
	s = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(s >= 0);
	assert_int_equal(sendto(s, "native", 6, 0, (struct sockaddr *)&sin, sizeof(sin)), 6);
	close(s);
}
#endif

static void every_packet_carries_the_4_byte_family_header(void **state)
{
	uint8_t pkt[128], in[2048];
	kctl_t *h = NULL;
	size_t len = 0;
	uint32_t family = 0;

	(void)state;
	assert_int_equal(kctl_utun_open(NULL, KCTL_UTUN_ANY, 0, &h), 0);
	kctl_set_timeout(h, 3000);
	assert_int_equal(kctl_utun_write(h, 99, "x", 1), -EPFNOSUPPORT); /* refused before any send */
	if (net_reflect) {
		memset(pkt, 0x5a, sizeof(pkt));
		pkt[0] = 0x45;
		assert_int_equal(kctl_utun_write(h, KCTL_UTUN_AF_INET, pkt, sizeof(pkt)), 0);
		assert_int_equal(kctl_utun_read(h, in, sizeof(in), &len, &family), 0);
		assert_int_equal(family, KCTL_UTUN_AF_INET);
		assert_int_equal(len, sizeof(pkt));
		assert_memory_equal(in, pkt, sizeof(pkt));
		pkt[0] = 0x60;
		assert_int_equal(kctl_utun_write(h, KCTL_UTUN_AF_INET6, pkt, 40), 0);
		assert_int_equal(kctl_utun_read(h, in, sizeof(in), &len, &family), 0);
		assert_int_equal(family, KCTL_UTUN_AF_INET6); /* 30: Darwin's, whatever the host's */
		assert_int_equal(len, 40);
	} else {
#ifdef __APPLE__
		char name[KCTL_UTUN_IFNAME_MAX];
		uint32_t dst = 0;

		assert_int_equal(kctl_utun_ifname(h, name, sizeof(name)), 0);
		provoke_a_packet(name, &dst);
		do /* the first packet may be the kernel's own (IPv6 router solicitation...) */
			assert_int_equal(kctl_utun_read(h, in, sizeof(in), &len, &family), 0);
		while (!(family == KCTL_UTUN_AF_INET && len >= 20 && memcmp(in + 16, &dst, 4) == 0));
		assert_int_equal(in[9], IPPROTO_UDP);
#else
		fail_msg("no network behind utun here: run under net_peer with --net-reflect");
#endif
	}
	kctl_close(h);
}

/* ---- utun as a normal user ---- */

static void utun_refuses_a_normal_user_with_eperm(void **state)
{
	kctl_t *h = NULL;
	uint32_t id = 0;

	(void)state;
	assert_int_equal(kctl_lookup(NULL, KCTL_UTUN_CONTROL_NAME, &id), 0); /* lookup is free */
	assert_int_equal(kctl_utun_open(NULL, KCTL_UTUN_ANY, 0, &h), -EPERM);
	assert_int_equal(kctl_utun_open_range(NULL, 0, 254, 0, &h), -EPERM); /* not "busy" */
	assert_null(h);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest common[] = {
		cmocka_unit_test(utun_is_found_by_its_exact_name_only),
		cmocka_unit_test(the_registration_list_agrees_with_lookup_and_count),
	};
	const struct CMUnitTest root[] = {
		cmocka_unit_test(utun_opens_names_itself_and_refuses_a_taken_number),
		cmocka_unit_test(every_packet_carries_the_4_byte_family_header),
	};
	const struct CMUnitTest user[] = {
		cmocka_unit_test(utun_refuses_a_normal_user_with_eperm),
	};
	int as_root = 0, as_user = 0, rc;

	for (int i = 1; i < argc; i++) {
		as_root |= strcmp(argv[i], "--as-root") == 0;
		as_user |= strcmp(argv[i], "--as-user") == 0;
		net_reflect |= strcmp(argv[i], "--net-reflect") == 0;
	}
	if (as_user && geteuid() == 0 && getenv("KCTL_SIM_MAIN_PID") == NULL) {
		fprintf(stderr, "%s: --as-user needs a normal user (this is root)\n", argv[0]);
		return 2;
	}
	if (as_root == as_user) {
		fprintf(stderr, "usage: %s --as-root [--net-reflect] | --as-user\n", argv[0]);
		return 2;
	}
	rc = cmocka_run_group_tests_name("the kernel as users see it", common, NULL, NULL);
	if (as_root)
		rc |= cmocka_run_group_tests_name("utun as root", root, NULL, NULL);
	else
		rc |= cmocka_run_group_tests_name("utun as a normal user", user, NULL, NULL);
	return rc;
}
