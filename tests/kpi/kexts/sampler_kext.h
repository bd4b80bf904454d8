/* sampler_kext.h - the Sampler test kext's protocol (shared with its test). */
#ifndef SAMPLER_KEXT_H
#define SAMPLER_KEXT_H

#include <stdint.h>

#define SAMPLER_CTL_NAME "org.example.sampler"
#define SAMPLER_MAX_UNITS 8
#define SAMPLER_PERIOD_MS 5

#define SAMPLER_OPT_STATS 1 /* get: struct sampler_stats */

/* One sample, exported by the kernel thread to every connected unit (STREAM). */
struct sampler_record {
	uint32_t magic; /* SAMPLER_MAGIC */
	uint32_t seq;
	int32_t pid;    /* proc_selfpid() on the kernel thread: 0, kernel_task */
	uint32_t units;
	uint64_t uptime;
};
#define SAMPLER_MAGIC 0x53616d70u

struct sampler_stats {
	unsigned int samples;
	unsigned int drops;            /* enqueues refused (ENOBUFS): the client is slow */
	unsigned int assert_evaluated; /* how often an assert() expression ran */
	unsigned int thread_running;
};

#endif
