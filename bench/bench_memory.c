/*
 * bench_memory - what libkctl allocates: for a handle that only makes requests, for one
 * that receives bursts of events, and per message in the steady state.
 *
 * malloc, calloc, realloc and free are wrapped here (glibc's __libc_* underneath), and
 * a call is libkctl's when it is made from libkctl.so's code (its return address lies
 * in that object): the simulated kernel's own allocations (its queues, mbufs) are not
 * counted. Live bytes are what libkctl asked for, in the blocks it still holds.
 * Linux with glibc only (the wrappers need __libc_malloc).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "kctl.h"
#include "kctl_sim.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static uintptr_t lib_lo, lib_hi;      /* libkctl.so's mapped range */
static size_t lib_calls, lib_live;    /* allocating calls made by libkctl; bytes held */

#define SET_CAP 4096
static void *lib_blocks[SET_CAP];     /* blocks libkctl holds (open addressing) */
static size_t lib_sizes[SET_CAP];     /* the bytes it asked for each */

static size_t slot_of(const void *p)
{
	return ((uintptr_t)p >> 4) * 2654435761u % SET_CAP;
}

static void set_add(void *p, size_t n)
{
	size_t i = slot_of(p);

	while (lib_blocks[i] != NULL)
		i = (i + 1) % SET_CAP;
	lib_blocks[i] = p;
	lib_sizes[i] = n;
	lib_live += n;
}

/* Removes p if libkctl holds it (backward-shift deletion keeps probing exact). */
static void set_del(void *p)
{
	size_t i = slot_of(p), j;

	while (lib_blocks[i] != NULL && lib_blocks[i] != p)
		i = (i + 1) % SET_CAP;
	if (lib_blocks[i] == NULL)
		return;
	lib_live -= lib_sizes[i];
	lib_blocks[i] = NULL;
	for (j = (i + 1) % SET_CAP; lib_blocks[j] != NULL; j = (j + 1) % SET_CAP) {
		void *q = lib_blocks[j];
		size_t h = slot_of(q);

		/* q may move to i if its home is not in (i, j] */
		if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) {
			lib_blocks[i] = q;
			lib_sizes[i] = lib_sizes[j];
			lib_blocks[j] = NULL;
			i = j;
		}
	}
}

static int from_lib(const void *ret)
{
	return (uintptr_t)ret >= lib_lo && (uintptr_t)ret < lib_hi;
}

void *malloc(size_t n)
{
	void *p = __libc_malloc(n);

	if (p && from_lib(__builtin_return_address(0))) {
		lib_calls++;
		set_add(p, n);
	}
	return p;
}

void *calloc(size_t k, size_t n)
{
	void *p = __libc_calloc(k, n);

	if (p && from_lib(__builtin_return_address(0))) {
		lib_calls++;
		set_add(p, k * n);
	}
	return p;
}

void *realloc(void *old, size_t n)
{
	int mine = from_lib(__builtin_return_address(0));
	size_t was = 0;
	void *p;

	if (mine && old) {
		was = lib_live;
		set_del(old);
		was -= lib_live; /* the old block's size, should the realloc fail */
	}
	p = __libc_realloc(old, n);
	if (mine) {
		lib_calls++;
		if (p)
			set_add(p, n);
		else if (old)
			set_add(old, was);
	}
	return p;
}

void free(void *p)
{
	if (p)
		set_del(p);
	__libc_free(p);
}

static int find_lib(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size; (void)data;
	if (!strstr(info->dlpi_name, "libkctl.so"))
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;

		if (ph->p_type != PT_LOAD)
			continue;
		if (!lib_lo || lo < lib_lo)
			lib_lo = lo;
		if (hi > lib_hi)
			lib_hi = hi;
	}
	return 1;
}



static int requests(kctl_t *h, uint32_t n)
{
	char payload[64] = { 0 }, reply[64];

	for (uint32_t i = 0; i < n; i++) {
		size_t got = 0;

		if (kctl_request(h, 1, payload, sizeof(payload), reply, sizeof(reply), &got))
			return -1;
	}
	return 0;
}

/* A burst of `frames` events of 24 bytes, queued for h, then read with kctl_msg_recv. */
static int burst(kctl_sim_ctl_t *ctl, kctl_t *h, uint32_t frames)
{
	static uint64_t buf[1000 * 3];
	uint64_t in[8];
	size_t off = 0, wire;

	for (uint32_t i = 0; i < frames; i++) {
		size_t w = 0;

		if (kctl_frame_start((char *)buf + off, 24, KCTL_FRAME_F_EVENT, 1, 0, 0) ||
		    kctl_frame_put((char *)buf + off, 24, &i, sizeof(i)) ||
		    kctl_frame_finish((char *)buf + off, 24, &w))
			return -1;
		off += w;
	}
	if (kctl_sim_enqueue(ctl, kctl_unit(h), buf, off, 0) != 0)
		return -1;
	for (uint32_t i = 0; i < frames; i++)
		if (kctl_msg_recv(h, in, sizeof(in), &wire) != 0)
			return -1;
	return 0;
}

static void report(const char *what, size_t before_live, size_t before_calls, uint32_t msgs)
{
	printf("  %-44s %6zu bytes held beyond the handle, %.4f allocations per message\n",
	       what, lib_live - before_live, msgs ? (double)(lib_calls - before_calls) / msgs : 0);
}

static int run_handle(kctl_sim_t *sim, const char *name, int stream, kctl_sim_ctl_t *ctl)
{
	size_t live0, calls0, calls1;
	kctl_t *h;

	live0 = lib_live;
	if (kctl_open_name(kctl_sim_backend(sim), name, 0,
			   stream ? KCTL_OPEN_STREAM : KCTL_OPEN_DGRAM, &h) != 0)
		return -1;
	printf("%s handle: %zu bytes (the handle itself)\n", stream ? "STREAM" : "DGRAM",
	       lib_live - live0);
	live0 = lib_live;
	calls0 = lib_calls;
	if (requests(h, 1000))
		return -1;
	report("after 1000 requests (64 B):", live0, calls0, 1000);
	calls1 = lib_calls;
	if (requests(h, 10000))
		return -1;
	printf("  %-44s %.4f allocations per message\n", "steady state (10,000 more requests):",
	       (double)(lib_calls - calls1) / 10000);
	if (stream) {
		calls0 = lib_calls;
		for (int i = 0; i < 10; i++)
			if (burst(ctl, h, 1000))
				return -1;
		report("after 10 bursts of 1000 events (24 B):", live0, calls0, 10000);
		calls1 = lib_calls;
		for (int i = 0; i < 20; i++)
			if (burst(ctl, h, 1000) || requests(h, 10))
				return -1;
		printf("  %-44s %.4f allocations per message\n",
		       "steady state (20 more bursts, requests):",
		       (double)(lib_calls - calls1) / 20200);
	}
	return kctl_close(h);
}

int main(void)
{
	struct kctl_sim_reg rd = { .name = "org.libkctl.bench.mem", .connect = bench_echo_connect,
				   .send = bench_echo_send, .recvsize = 65536 };
	struct kctl_sim_reg rs = rd;
	kctl_sim_ctl_t *cd, *cs;
	kctl_sim_t *sim;

	dl_iterate_phdr(find_lib, NULL);
	if (!lib_lo) {
		fprintf(stderr, "bench_memory: libkctl.so not found among the loaded objects\n");
		return 1;
	}
	snprintf(rs.name, sizeof(rs.name), "org.libkctl.bench.mem.stream");
	rs.flags = KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM;
	rs.cookie = (void *)(uintptr_t)&bench_echo_stream;
	if (kctl_sim_new(&sim) || kctl_sim_register(sim, &rd, &cd) ||
	    kctl_sim_register(sim, &rs, &cs))
		return 1;
	printf("memory: what libkctl.so allocates (malloc/calloc/realloc called from its code; "
	       "the simulated kernel's own not counted)\n");
	if (run_handle(sim, rd.name, 0, cd) || run_handle(sim, rs.name, 1, cs))
		return 1;
	kctl_sim_deregister(cd);
	kctl_sim_deregister(cs);
	kctl_sim_free(sim);
	return 0;
}
