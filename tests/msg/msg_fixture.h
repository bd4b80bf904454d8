/* msg_fixture.h - a simulated kernel with a DGRAM and a STREAM frame control. */
#ifndef MSG_FIXTURE_H
#define MSG_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "frame_ctl.h"
#include "kctl.h"
#include "testutil.h"

struct mfix {
	kctl_sim_t *sim;
	const kctl_backend_t *be;
	kctl_sim_ctl_t *dgram, *stream;
	struct fc_state st_dgram, st_stream;
	kctl_t *hd, *hs; /* a connected handle on each */
	int fds;
};

static inline int mfix_setup(void **state)
{
	struct mfix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->fds = tu_open_fds();
	f->st_stream.stream = 1;
	if (kctl_sim_new(&f->sim) != 0 ||
	    fc_register(f->sim, "org.libkctl.test.frames", &f->st_dgram, 0, &f->dgram) != 0 ||
	    fc_register(f->sim, "org.libkctl.test.frames.stream", &f->st_stream, 0,
			&f->stream) != 0)
		return -1;
	f->be = kctl_sim_backend(f->sim);
	if (kctl_open_name(f->be, "org.libkctl.test.frames", 0, 0, &f->hd) != 0 ||
	    kctl_open_name(f->be, "org.libkctl.test.frames.stream", 0, KCTL_OPEN_STREAM,
			   &f->hs) != 0)
		return -1;
	kctl_set_timeout(f->hd, 2000);
	kctl_set_timeout(f->hs, 2000);
	*state = f;
	return 0;
}

static inline int mfix_teardown(void **state)
{
	struct mfix *f = *state;
	int leaked;

	kctl_close(f->hd);
	kctl_close(f->hs);
	kctl_sim_free(f->sim);
	leaked = tu_open_fds() - f->fds;
	free(f);
	return leaked == 0 ? 0 : -1;
}

#endif
