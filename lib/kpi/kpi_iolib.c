/*
 * kpi_iolib.c - the C part of IOKit's library (<IOKit/IOLib.h>): IOLog, allocation with
 * sizes checked on free, and sleeping and delaying.
 *
 * Each block from IOMalloc and friends carries its size in front, so that IOFree with
 * another size panics (on a Mac it corrupts the heap); the aligned ones keep the
 * pointer malloc gave as well.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <IOKit/IOLib.h>

#include "kpi_int.h"

/* 32 bytes, so that the block after it keeps malloc's 16-byte alignment. */
struct io_hdr {
	void *base;     /* what malloc returned */
	vm_size_t size; /* what the kext asked for */
	uint64_t magic;
	uint64_t pad;
};
_Static_assert(sizeof(struct io_hdr) == 32, "the header keeps 16-byte alignment");

#define IO_MAGIC 0x494f6d616c6c6f63ull /* "IOmalloc" */

static void *io_alloc(vm_size_t size, vm_offset_t align, int zero)
{
	size_t a = align > sizeof(struct io_hdr) ? align : sizeof(struct io_hdr);
	unsigned char *base, *p;
	struct io_hdr *h;

	if (size == 0 || size > SIZE_MAX - 2 * a)
		return NULL;
	base = zero ? calloc(1, size + 2 * a) : malloc(size + 2 * a);
	if (base == NULL)
		return NULL;
	/* round up past the header to a multiple of a (a power of two) */
	p = base + a;
	if (align > 1)
		p = (unsigned char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	h = (struct io_hdr *)(void *)p - 1;
	h->base = base;
	h->size = size;
	h->magic = IO_MAGIC;
	return p;
}

static void io_free(void *address, vm_size_t size, const char *what)
{
	struct io_hdr *h;

	if (address == NULL)
		return;
	h = (struct io_hdr *)address - 1;
	if (h->magic != IO_MAGIC)
		kpi_panicf("%s: %p was not allocated by IOMalloc", what, address);
	if (h->size != size)
		kpi_panicf("%s: size %lu differs from the allocation's %lu", what,
			   (unsigned long)size, (unsigned long)h->size);
	h->magic = 0;
	free(h->base);
}

void *IOMalloc(vm_size_t size)
{
	return io_alloc(size, 1, 0);
}

void *IOMallocZero(vm_size_t size)
{
	return io_alloc(size, 1, 1);
}

void IOFree(void *address, vm_size_t size)
{
	io_free(address, size, "IOFree");
}

void *IOMallocData(vm_size_t size)
{
	return io_alloc(size, 1, 0);
}

void *IOMallocZeroData(vm_size_t size)
{
	return io_alloc(size, 1, 1);
}

void IOFreeData(void *address, vm_size_t size)
{
	io_free(address, size, "IOFreeData");
}

void *IOMallocAligned(vm_size_t size, vm_offset_t alignment)
{
	if (alignment != 0 && (alignment & (alignment - 1)) != 0)
		return NULL;
	return io_alloc(size, alignment != 0 ? alignment : 1, 0);
}

void IOFreeAligned(void *address, vm_size_t size)
{
	io_free(address, size, "IOFreeAligned");
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000u), (long)(ns % 1000000000u) };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

void IOSleep(unsigned milliseconds)
{
	sleep_ns((uint64_t)milliseconds * 1000000u);
}

void IOSleepWithLeeway(unsigned intervalMilliseconds, unsigned leewayMilliseconds)
{
	(void)leewayMilliseconds;
	IOSleep(intervalMilliseconds);
}

void IODelay(unsigned microseconds)
{
	sleep_ns((uint64_t)microseconds * 1000u);
}

void IOPause(unsigned nanoseconds)
{
	sleep_ns(nanoseconds);
}

void IOLogv(const char *format, va_list ap)
{
	(void)kpi_log_vprintf(format, ap);
}

void IOLog(const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	IOLogv(format, ap); /* NOLINT(clang-analyzer-valist.Uninitialized) */
	va_end(ap);
}
