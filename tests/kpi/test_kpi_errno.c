/*
 * What a client sees for the errno a kext returns: the host's names as they are,
 * Darwin's own names as the host's nearest (EQFULL -> ENOBUFS, ENOATTR -> ENODATA,
 * EAUTH -> EACCES ...), EJUSTRETURN as success (from bind exactly as xnu's sobindlock
 * makes it), ERESTART as EINTR, nonsense as EIO; the mappings are logged.
 */
#include <sys/errno.h>
#include <sys/kern_control.h>

#include "kpi_static.h"

#define CTL_NAME "org.libkctl.test.errno"

static errno_t connect_ret, bind_ret;
static kern_ctl_ref ref;

static errno_t t_connect(kern_ctl_ref r, struct sockaddr_ctl *sac, void **unitinfo)
{
	(void)r;
	(void)sac;
	(void)unitinfo;
	return connect_ret;
}

static errno_t t_disconnect(kern_ctl_ref r, u_int32_t unit, void *unitinfo)
{
	(void)r;
	(void)unit;
	(void)unitinfo;
	return 0;
}

static errno_t t_bind(kern_ctl_ref r, struct sockaddr_ctl *sac, void **unitinfo)
{
	(void)r;
	(void)sac;
	(void)unitinfo;
	return bind_ret;
}

static kern_return_t start(void)
{
	struct kern_ctl_reg reg;

	memset(&reg, 0, sizeof(reg));
	strlcpy(reg.ctl_name, CTL_NAME, sizeof(reg.ctl_name));
	reg.ctl_connect = t_connect;
	reg.ctl_disconnect = t_disconnect;
	reg.ctl_bind = t_bind; /* this file is built with KERNEL_PRIVATE: bind is kept */
	return ctl_register(&reg, &ref) == 0 ? KERN_SUCCESS : KERN_FAILURE;
}

static kern_return_t stop(void)
{
	return ctl_deregister(ref) == 0 ? KERN_SUCCESS : KERN_FAILURE;
}

static int setup(void **state)
{
	static_start_hook = start;
	static_stop_hook = stop;
	return static_setup(state);
}

/* The errno a client's connect gets when the connect callback returns e. */
static int connect_with(struct kpi *k, errno_t e)
{
	kctl_t *h = NULL;
	int rc;

	connect_ret = e;
	rc = kctl_open_name(k->be, CTL_NAME, 0, 0, &h);
	if (rc == 0)
		kctl_close(h);
	return rc;
}

static void host_errnos_reach_the_client_as_they_are(void **state)
{
	struct kpi *k = *state;

	assert_int_equal(connect_with(k, 0), 0);
	assert_int_equal(connect_with(k, ECONNREFUSED), -ECONNREFUSED);
	assert_int_equal(connect_with(k, EPERM), -EPERM);
	assert_int_equal(connect_with(k, ENOTSUP), -ENOTSUP);
}

static void darwins_own_errnos_become_the_hosts_nearest(void **state)
{
	struct kpi *k = *state;

	assert_int_equal(connect_with(k, EQFULL), -ENOBUFS);
	assert_int_equal(connect_with(k, ENOATTR), -ENODATA);
	assert_int_equal(connect_with(k, EAUTH), -EACCES);
	assert_int_equal(connect_with(k, EBADARCH), -ENOEXEC);
	assert_int_equal(connect_with(k, EPWROFF), -EIO);
	assert_true(kpi_logged(k, CTL_NAME "'s connect callback returned EQFULL, which this "
				  "host has not"));
}

static void kernel_pseudo_errnos_follow_xnu(void **state)
{
	struct kpi *k = *state;

	assert_int_equal(connect_with(k, EJUSTRETURN), 0);
	assert_int_equal(connect_with(k, ERESTART), -EINTR);
	assert_true(kpi_logged(k, "returned ERESTART: a Mac would restart the call"));
	assert_int_equal(connect_with(k, 5000), -EIO);
	assert_int_equal(connect_with(k, -9), -EIO);
}

static void ejustreturn_from_bind_is_success(void **state)
{
	struct kpi *k = *state;
	struct kctl_abi_sockaddr_ctl sa;
	uint32_t id = 0;
	int fd = -1;

	assert_int_equal(kctl_lookup(k->be, CTL_NAME, &id), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sc_len = sizeof(sa);
	sa.sc_family = KCTL_ABI_AF_SYSTEM;
	sa.ss_sysaddr = KCTL_ABI_AF_SYS_CONTROL;
	sa.sc_id = id;
	assert_int_equal(kctl_sim_socket(k->sim, KCTL_ABI_AF_SYSTEM, KCTL_ABI_SOCK_DGRAM,
					 KCTL_ABI_SYSPROTO_CONTROL, &fd), 0);
	bind_ret = EJUSTRETURN;
	assert_int_equal(kctl_sim_bind(k->sim, fd, &sa, sizeof(sa)), 0);
	assert_int_equal(kctl_sim_close(k->sim, fd), 0);
	assert_int_equal(kctl_sim_socket(k->sim, KCTL_ABI_AF_SYSTEM, KCTL_ABI_SOCK_DGRAM,
					 KCTL_ABI_SYSPROTO_CONTROL, &fd), 0);
	bind_ret = EADDRINUSE;
	assert_int_equal(kctl_sim_bind(k->sim, fd, &sa, sizeof(sa)), -EADDRINUSE);
	assert_int_equal(kctl_sim_close(k->sim, fd), 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, static_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(host_errnos_reach_the_client_as_they_are),
		T(darwins_own_errnos_become_the_hosts_nearest),
		T(kernel_pseudo_errnos_follow_xnu),
		T(ejustreturn_from_bind_is_success),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
