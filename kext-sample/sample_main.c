/*
 * sample_main.c - start and stop: what a kext must set up before its first callback
 * and tear down after its last.
 *
 * Stop refuses (KERN_FAILURE, the kext stays loaded) while any client is attached:
 * ctl_deregister answers EBUSY then, and nothing else may be torn down.
 */
#include <string.h>

#include <libkern/libkern.h>

#include "sample.h"

struct sample_globals sample_g;

static void globals_free(void)
{
	if (sample_g.lock != NULL)
		lck_mtx_free(sample_g.lock, sample_g.grp);
	if (sample_g.grp != NULL)
		lck_grp_free(sample_g.grp);
	if (sample_g.tag != NULL)
		OSMalloc_Tagfree(sample_g.tag);
	memset(&sample_g, 0, sizeof(sample_g));
}

kern_return_t sample_start(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	memset(&sample_g, 0, sizeof(sample_g));
	sample_g.tag = OSMalloc_Tagalloc(SAMPLE_CTL_NAME, OSMT_DEFAULT);
	sample_g.grp = lck_grp_alloc_init(SAMPLE_CTL_NAME, LCK_GRP_ATTR_NULL);
	if (sample_g.tag == NULL || sample_g.grp == NULL)
		goto fail;
	sample_g.lock = lck_mtx_alloc_init(sample_g.grp, LCK_ATTR_NULL);
	if (sample_g.lock == NULL || sample_events_start() != 0)
		goto fail;
	if (sample_ctl_register() != 0) {
		sample_events_stop();
		goto fail;
	}
	printf("sample: started: controls %s and %s registered\n", SAMPLE_CTL_NAME,
	       SAMPLE_CTL_STREAM_NAME);
	return KERN_SUCCESS;
fail:
	printf("sample: start failed\n");
	globals_free();
	return KERN_FAILURE;
}

kern_return_t sample_stop(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	lck_mtx_lock(sample_g.lock);
	sample_g.closing = 1;
	lck_mtx_unlock(sample_g.lock);
	if (sample_ctl_deregister() != 0) {
		lck_mtx_lock(sample_g.lock);
		sample_g.closing = 0;
		lck_mtx_unlock(sample_g.lock);
		printf("sample: clients are connected: not stopping\n");
		return KERN_FAILURE;
	}
	/* no control, so no unit and no callback any more: only the timer is left */
	sample_events_stop();
	globals_free();
	printf("sample: stopped\n");
	return KERN_SUCCESS;
}
