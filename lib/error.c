/*
 * error.c - sentences for the errors users of kernel controls actually hit.
 *
 * Each says what the errno most likely means here and what to do, because the same
 * errno means something specific on a PF_SYSTEM socket (EBUSY is "unit taken", not
 * "device busy"). A table, not a switch: ENOTSUP and EOPNOTSUPP are one value on Linux
 * and two on Darwin.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>

#include "kctl.h"

struct kctl_errmsg {
	int err;
	const char *msg;
};

static const char kctl_unknown_error[] =
	"unexpected error from the kernel: see errno for details";

static const struct kctl_errmsg kctl_errmsgs[] = {
	{ EPERM, "operation not permitted: the control is privileged (CTL_FLAG_PRIVILEGED); "
		 "run as root" },
	{ ENOENT, "no such kernel control: it is not registered (kext not loaded, or the "
		  "name is misspelt; names are exact and case-sensitive)" },
	{ EBUSY, "unit in use (or no free unit, or the control still has clients): ask for "
		 "unit 0 to let the kernel choose, or close the other clients" },
	{ EPROTOTYPE, "wrong socket type for this control: open it as STREAM if it was "
		      "registered with CTL_FLAG_REG_SOCK_STREAM, else as DGRAM" },
	{ ENOBUFS, "the receive buffer is full: the reader is behind; read faster or count "
		   "the drops, and do not tear the session down" },
	{ EMSGSIZE, "message too long: a DGRAM record above the control's send size, or an "
		    "answer that does not fit the buffer; send less or ask for the size first" },
	{ EINVAL, "invalid argument: a name must be 1..95 bytes, and options need a bound "
		  "or connected socket" },
	{ EAFNOSUPPORT, "kernel controls (PF_SYSTEM) exist only on macOS: on this system "
			"use the simulated kernel (kctl_sim.h)" },
	{ ENOTCONN, "not connected: open the control (or call kctl_connect after "
		    "KCTL_OPEN_BIND_ONLY) before sending or receiving" },
	{ EPIPE, "the connection is gone (its connect failed or the control went away): "
		 "close the handle and open it again" },
	{ EISCONN, "already connected: open a new handle for another unit" },
	{ ETIMEDOUT, "timed out: nothing arrived within the handle's timeout "
		     "(kctl_set_timeout)" },
	{ EAGAIN, "would block: nothing to read or no room to send now; poll the fd "
		  "(kctl_fd) and try again (from kctl_list: the list kept changing while it "
		  "was read; try again)" },
	{ ENOTSUP, "not supported by this control: it has no callback for this operation "
		   "(send, setopt, getopt), or it does not know this request" },
	{ EOPNOTSUPP, "operation not supported on a kernel-control socket" },
	{ ENOPROTOOPT, "unknown option for this control: check the option number" },
	{ ECONNREFUSED, "the control refused the connection (its connect callback failed)" },
	{ EOVERFLOW, "the kernel answered with more bytes than were asked for: the answer "
		     "was rejected" },
	{ EBADMSG, "malformed answer from the kernel (wrong length or layout, or a utun "
		   "packet shorter than its 4-byte header): rejected" },
	{ EPROTO, "the kernel's answer breaks the protocol: rejected" },
	{ ENOMEM, "out of memory" },
	{ EBADF, "bad file descriptor: the handle was closed" },
	{ ENOSPC, "the array is too small for every registered control: the count returned "
		  "says how many entries are needed; call again with that many" },
	{ EPFNOSUPPORT, "not a utun protocol family: utun carries IPv4 (AF_INET, 2) and IPv6 "
			"(AF_INET6, 30, Darwin's number) in its 4-byte header" },
};

const char *kctl_strerror(int err)
{
	if (err == INT_MIN)
		return kctl_unknown_error; /* -INT_MIN does not exist; no errno is that big */
	if (err < 0)
		err = -err;
	if (err == 0)
		return "success";
	for (size_t i = 0; i < sizeof(kctl_errmsgs) / sizeof(kctl_errmsgs[0]); i++)
		if (kctl_errmsgs[i].err == err)
			return kctl_errmsgs[i].msg;
	return kctl_unknown_error;
}
