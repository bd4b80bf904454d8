/* fixture.h - a simulated kernel with a DGRAM and a STREAM echo control (header-only). */
#ifndef CLIENT_FIXTURE_H
#define CLIENT_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "echo_ctl.h"
#include "kctl.h"
#include "kctl_sim.h"
#include "testutil.h"

#define ECHO_NAME "org.libkctl.test.echo"
#define ECHO_STREAM_NAME "org.libkctl.test.echo.stream"

struct fixture {
	kctl_sim_t *sim;
	const kctl_backend_t *be;
	kctl_sim_ctl_t *dgram;
	kctl_sim_ctl_t *stream;
	struct echo_stats st;
	struct echo_stats st_stream;
	int fds_before;
};

static inline int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->fds_before = tu_open_fds();
	if (kctl_sim_new(&f->sim) != 0)
		return -1;
	f->be = kctl_sim_backend(f->sim);
	if (echo_register(f->sim, ECHO_NAME, 0, &f->st, &f->dgram) != 0 ||
	    echo_register(f->sim, ECHO_STREAM_NAME, KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM,
			  &f->st_stream, &f->stream) != 0)
		return -1;
	*state = f;
	return 0;
}

/* Frees everything and fails the test if any fd opened during it is still open. */
static inline int fixture_teardown(void **state)
{
	struct fixture *f = *state;
	int leaked;

	kctl_sim_free(f->sim);
	leaked = tu_open_fds() - f->fds_before;
	free(f);
	return leaked == 0 ? 0 : -1;
}

#endif
