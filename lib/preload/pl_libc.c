/*
 * pl_libc.c - libc's own socket functions, the ones the preload's definitions hide.
 *
 * Found once with dlsym(RTLD_NEXT), on the first call that needs one: other libraries'
 * constructors may close or read a descriptor before the preload's own constructor has
 * run, so nothing here may depend on initialisation order.
 */
/* RTLD_NEXT */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "preload.h"

static struct pl_libc libc_fns;
static pthread_once_t libc_once = PTHREAD_ONCE_INIT;

/* A function pointer from dlsym's object pointer, as POSIX allows. */
#define PL_BIND(field, name)                                                        \
	do {                                                                        \
		void *sym_ = dlsym(RTLD_NEXT, name);                                \
		memcpy(&libc_fns.field, &sym_, sizeof(sym_));                       \
	} while (0)

/* stdio, not write(): the preload's own write() must not be called from in here. */
static void must_have(bool found, const char *name)
{
	if (found)
		return;
	fprintf(stderr, "libkctl-preload: libc has no %s()\n", name);
	abort();
}

static void bind_all(void)
{
	PL_BIND(socket, "socket");
	PL_BIND(socketpair, "socketpair");
	PL_BIND(close, "close");
	PL_BIND(close_range, "close_range"); /* glibc 2.34 and later */
	PL_BIND(dup, "dup");
	PL_BIND(dup2, "dup2");
	PL_BIND(dup3, "dup3");
	PL_BIND(fcntl, "fcntl");
	PL_BIND(fcntl64, "fcntl64");
	if (libc_fns.fcntl64 == NULL)
		libc_fns.fcntl64 = libc_fns.fcntl;
	PL_BIND(ioctl, "ioctl");
	PL_BIND(bind, "bind");
	PL_BIND(connect, "connect");
	PL_BIND(getpeername, "getpeername");
	PL_BIND(getsockname, "getsockname");
	PL_BIND(listen, "listen");
	PL_BIND(accept, "accept");
	PL_BIND(accept4, "accept4");
	PL_BIND(shutdown, "shutdown");
	PL_BIND(send, "send");
	PL_BIND(sendto, "sendto");
	PL_BIND(sendmsg, "sendmsg");
	PL_BIND(write, "write");
	PL_BIND(writev, "writev");
	PL_BIND(recv, "recv");
	PL_BIND(recvfrom, "recvfrom");
	PL_BIND(recvmsg, "recvmsg");
	PL_BIND(read, "read");
	PL_BIND(readv, "readv");
	PL_BIND(getsockopt, "getsockopt");
	PL_BIND(setsockopt, "setsockopt");
	must_have(libc_fns.socket != NULL, "socket"); /* these stand for the others */
	must_have(libc_fns.read != NULL, "read");
	must_have(libc_fns.close != NULL, "close");
}

const struct pl_libc *pl_libc(void)
{
	(void)pthread_once(&libc_once, bind_all);
	return &libc_fns;
}
