/*
 * test_thermo.c - unit tests of "your own client code" (thermo.c, tunnel.c) against
 * libkctl's simulated kernel, with cmocka: the pattern to copy.
 *
 * Each test gets a fresh simulated kernel in which a fake kext registers
 * com.example.thermo with callbacks written here (the "kext side": what it answers,
 * what it was sent), and the client code is pointed at it through kctl_sim_backend().
 * No Mac, no root, no kext: the tests run anywhere and fail when the client is wrong.
 * Build and run: make (Makefile beside this file), or `make check` in libkctl's tree.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <kctl_sim.h>

#include "thermo.h"
#include "tunnel.h"

/* The fake kext: what it answers and what it was told. */
struct fake_thermo {
	kctl_sim_t *sim;
	kctl_sim_ctl_t *ctl;
	uint32_t unit;       /* the client's unit, once connected */
	int32_t temp;        /* what option 1 answers */
	size_t temp_len;     /* how many bytes it answers (4, or a bug) */
	int32_t alarm;       /* what option 2 was last set to */
	int alarms_set;
};

static int fake_connect(kctl_sim_ctl_t *ctl, const struct kctl_abi_sockaddr_ctl *sac,
			void **unitinfo)
{
	struct fake_thermo *f = kctl_sim_ctl_cookie(ctl);

	(void)unitinfo;
	f->unit = sac->sc_unit;
	return 0;
}

static int fake_getopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt,
		       void *data, size_t *len)
{
	struct fake_thermo *f = kctl_sim_ctl_cookie(ctl);

	(void)unit;
	(void)unitinfo;
	if (opt != THERMO_OPT_TEMP)
		return -ENOPROTOOPT;
	if (data != NULL && *len < f->temp_len)
		return -EMSGSIZE;
	if (data != NULL)
		memcpy(data, &f->temp, f->temp_len < 4 ? f->temp_len : 4);
	*len = f->temp_len;
	return 0;
}

static int fake_setopt(kctl_sim_ctl_t *ctl, uint32_t unit, void *unitinfo, int opt,
		       void *data, size_t len)
{
	struct fake_thermo *f = kctl_sim_ctl_cookie(ctl);

	(void)unit;
	(void)unitinfo;
	if (opt != THERMO_OPT_ALARM || len != sizeof(f->alarm))
		return -EINVAL;
	memcpy(&f->alarm, data, sizeof(f->alarm));
	f->alarms_set++;
	return 0;
}

/* A fresh kernel with the fake kext registered in it. */
static int setup(void **state)
{
	static struct fake_thermo f;
	struct kctl_sim_reg reg = { .name = THERMO_CTL_NAME, .cookie = &f,
				    .connect = fake_connect, .getopt = fake_getopt,
				    .setopt = fake_setopt };

	memset(&f, 0, sizeof(f));
	f.temp_len = 4;
	if (kctl_sim_new(&f.sim) != 0 || kctl_sim_register(f.sim, &reg, &f.ctl) != 0)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fake_thermo *f = *state;

	kctl_sim_free(f->sim); /* closes what a failed test left open */
	return 0;
}

static struct thermo *open_thermo(struct fake_thermo *f)
{
	struct thermo *t = NULL;

	assert_int_equal(thermo_open(kctl_sim_backend(f->sim), &t), 0);
	return t;
}

static void reads_the_temperature_the_kext_reports(void **state)
{
	struct fake_thermo *f = *state;
	struct thermo *t = open_thermo(f);
	int32_t v = 0;

	f->temp = -12500;
	assert_int_equal(thermo_read(t, &v), 0);
	assert_int_equal(v, -12500);
	thermo_close(t);
}

static void an_alarm_is_sent_to_the_kext_in_millidegrees(void **state)
{
	struct fake_thermo *f = *state;
	struct thermo *t = open_thermo(f);

	assert_int_equal(thermo_set_alarm(t, 85000), 0);
	assert_int_equal(f->alarm, 85000);
	assert_int_equal(f->alarms_set, 1);
	thermo_close(t);
}

static void an_alarm_out_of_range_never_reaches_the_kext(void **state)
{
	struct fake_thermo *f = *state;
	struct thermo *t = open_thermo(f);
	uint64_t before = kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SETSOCKOPT);

	assert_int_equal(thermo_set_alarm(t, 200000), -ERANGE);
	assert_int_equal(kctl_sim_call_count(f->sim, KCTL_SIM_CALL_SETSOCKOPT), before);
	assert_int_equal(f->alarms_set, 0);
	thermo_close(t);
}

static void a_kext_answering_the_wrong_length_is_caught(void **state)
{
	struct fake_thermo *f = *state;
	struct thermo *t = open_thermo(f);
	char why[256];
	int32_t v = 7;

	f->temp_len = 2; /* a kext bug: half a temperature */
	assert_int_equal(thermo_read(t, &v), -EBADMSG);
	assert_int_equal(v, 7); /* nothing half-read */
	assert_non_null(strstr(thermo_why(t, -EBADMSG, why, sizeof(why)), "2 bytes"));
	thermo_close(t);
}

static void an_alarm_from_the_kext_is_received(void **state)
{
	struct fake_thermo *f = *state;
	struct thermo *t = open_thermo(f);
	int32_t hot = 91000, v = 0;

	assert_int_equal(kctl_sim_enqueue(f->ctl, f->unit, &hot, sizeof(hot),
					  KCTL_ABI_CTL_DATA_EOR), 0);
	assert_int_equal(thermo_wait_alarm(t, 1000, &v), 0);
	assert_int_equal(v, 91000);
	assert_int_equal(thermo_wait_alarm(t, 10, &v), -ETIMEDOUT); /* and no other */
	thermo_close(t);
}

static void a_kext_that_is_not_loaded_is_enoent(void **state)
{
	struct fake_thermo *f = *state;
	struct thermo *t = NULL;

	assert_int_equal(kctl_sim_deregister(f->ctl), 0);
	assert_int_equal(thermo_open(kctl_sim_backend(f->sim), &t), -ENOENT);
	assert_null(t);
}

static void a_refused_connect_is_passed_on(void **state)
{
	struct fake_thermo *f = *state;
	struct thermo *t = NULL;

	/* fault injection: the kernel's next connect fails as a Mac's would */
	assert_int_equal(kctl_sim_fail_next(f->sim, KCTL_SIM_CALL_CONNECT, -EPERM), 0);
	assert_int_equal(thermo_open(kctl_sim_backend(f->sim), &t), -EPERM);
	assert_null(t);
}

/* A kernel "like a Mac": Apple's utun registered, the process root. */
static void the_tunnel_reflects_what_the_network_sends(void **state)
{
	static const unsigned char ping[28] = { 0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0,
						10, 7, 0, 2, 10, 7, 0, 1, 8, 0, 0xf7, 0xff };
	unsigned char buf[2048], back[64];
	char ifname[KCTL_UTUN_IFNAME_MAX];
	kctl_sim_t *sim;
	uint32_t family = 0;
	size_t len = 0;
	kctl_t *h;

	(void)state;
	assert_int_equal(kctl_sim_new_mac(&sim), 0);
	kctl_sim_set_euid(sim, 0);
	assert_int_equal(tunnel_open(kctl_sim_backend(sim), &h, ifname, sizeof(ifname)), 0);
	assert_string_equal(ifname, "utun0");
	kctl_sim_utun_inject(sim, "utun0", KCTL_UTUN_AF_INET, ping, sizeof(ping));
	assert_int_equal(tunnel_reflect_one(h, buf, sizeof(buf), 1000), 0);
	assert_int_equal(kctl_sim_utun_take(sim, "utun0", back, sizeof(back), &len, &family,
					    1000), 0);
	assert_int_equal(family, KCTL_UTUN_AF_INET);
	assert_memory_equal(back, ping, sizeof(ping));
	assert_int_equal(len, sizeof(ping));
	kctl_close(h);
	kctl_sim_free(sim);
}

static void the_tunnel_needs_root(void **state)
{
	char ifname[KCTL_UTUN_IFNAME_MAX];
	kctl_t *h = NULL;
	kctl_sim_t *sim;

	(void)state;
	assert_int_equal(kctl_sim_new_mac(&sim), 0);
	kctl_sim_set_euid(sim, 501);
	assert_int_equal(tunnel_open(kctl_sim_backend(sim), &h, ifname, sizeof(ifname)), -EPERM);
	assert_null(h);
	kctl_sim_free(sim);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(reads_the_temperature_the_kext_reports, setup,
						teardown),
		cmocka_unit_test_setup_teardown(an_alarm_is_sent_to_the_kext_in_millidegrees,
						setup, teardown),
		cmocka_unit_test_setup_teardown(an_alarm_out_of_range_never_reaches_the_kext,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_kext_answering_the_wrong_length_is_caught,
						setup, teardown),
		cmocka_unit_test_setup_teardown(an_alarm_from_the_kext_is_received, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_kext_that_is_not_loaded_is_enoent, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_refused_connect_is_passed_on, setup, teardown),
		cmocka_unit_test(the_tunnel_reflects_what_the_network_sends),
		cmocka_unit_test(the_tunnel_needs_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
