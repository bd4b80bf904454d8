/*
 * layout_probe.c - prints the sizes and offsets the C compiler gives the structures the
 * Python binding mirrors with ctypes, and the values of the constants it spells out
 * ("const NAME value"); test_sim.py compares them with ctypes' and kctl.constants.
 */
#include <stddef.h>
#include <stdio.h>
#include <sys/uio.h>

#include "kctl.h"
#include "kctl_sim.h"

#define FIELD(s, f) printf("%s.%s %zu\n", #s, #f, offsetof(struct s, f))
#define CONST(py, c) printf("const %s %lld\n", #py, (long long)(c))

int main(void)
{
	printf("kctl_sim_reg %zu\n", sizeof(struct kctl_sim_reg));
	FIELD(kctl_sim_reg, name);
	FIELD(kctl_sim_reg, id);
	FIELD(kctl_sim_reg, unit);
	FIELD(kctl_sim_reg, flags);
	FIELD(kctl_sim_reg, sendsize);
	FIELD(kctl_sim_reg, recvsize);
	FIELD(kctl_sim_reg, cookie);
	FIELD(kctl_sim_reg, connect);
	FIELD(kctl_sim_reg, disconnect);
	FIELD(kctl_sim_reg, send);
	FIELD(kctl_sim_reg, setopt);
	FIELD(kctl_sim_reg, getopt);
	FIELD(kctl_sim_reg, rcvd);
	FIELD(kctl_sim_reg, bind);
	FIELD(kctl_sim_reg, setup);
	printf("kctl_abi_sockaddr_ctl %zu\n", sizeof(struct kctl_abi_sockaddr_ctl));
	FIELD(kctl_abi_sockaddr_ctl, sc_id);
	FIELD(kctl_abi_sockaddr_ctl, sc_unit);
	FIELD(kctl_abi_sockaddr_ctl, sc_reserved);
	printf("kctl_frame_hdr %zu\n", sizeof(struct kctl_frame_hdr));
	FIELD(kctl_frame_hdr, flags);
	FIELD(kctl_frame_hdr, type);
	FIELD(kctl_frame_hdr, seq);
	FIELD(kctl_frame_hdr, aux);
	printf("kctl_msg_stats %zu\n", sizeof(struct kctl_msg_stats));
	FIELD(kctl_msg_stats, bad_records);
	printf("kctl_attr %zu\n", sizeof(struct kctl_attr));
	FIELD(kctl_attr, type);
	printf("iovec %zu\n", sizeof(struct iovec));
	FIELD(iovec, iov_len);
	printf("kctl_error %zu\n", sizeof(struct kctl_error));
	FIELD(kctl_error, call);
	FIELD(kctl_error, origin);
	FIELD(kctl_error, reason);
	FIELD(kctl_error, arg);
	FIELD(kctl_error, limit);
	printf("kctl_msg_info %zu\n", sizeof(struct kctl_msg_info));
	FIELD(kctl_msg_info, seq);
	FIELD(kctl_msg_info, last);
	FIELD(kctl_msg_info, err);
	FIELD(kctl_msg_info, origin);
	FIELD(kctl_msg_info, reserved);
	printf("kctl_ctl_desc %zu\n", sizeof(struct kctl_ctl_desc));
	FIELD(kctl_ctl_desc, flags);
	FIELD(kctl_ctl_desc, reg_unit);
	FIELD(kctl_ctl_desc, units_in_use);
	FIELD(kctl_ctl_desc, sendsize);
	FIELD(kctl_ctl_desc, recvsize);
	FIELD(kctl_ctl_desc, name);
	printf("kctl_sim_utun_if %zu\n", sizeof(struct kctl_sim_utun_if));
	FIELD(kctl_sim_utun_if, unit);
	FIELD(kctl_sim_utun_if, flags);
	FIELD(kctl_sim_utun_if, max_pending);
	FIELD(kctl_sim_utun_if, queued);
	FIELD(kctl_sim_utun_if, untaken);
	FIELD(kctl_sim_utun_if, reserved);
	FIELD(kctl_sim_utun_if, ipackets);
	FIELD(kctl_sim_utun_if, ibytes);
	FIELD(kctl_sim_utun_if, ierrors);
	FIELD(kctl_sim_utun_if, opackets);
	FIELD(kctl_sim_utun_if, obytes);
	FIELD(kctl_sim_utun_if, oerrors);
	FIELD(kctl_sim_utun_if, in_dropped);
	/* every integer constant of kctl/constants.py, by its C name */
	CONST(KCTL_NAME_MAX, KCTL_NAME_MAX);
	CONST(KCTL_UNIT_MAX, KCTL_UNIT_MAX);
	CONST(KCTL_OPEN_DGRAM, KCTL_OPEN_DGRAM);
	CONST(KCTL_OPEN_STREAM, KCTL_OPEN_STREAM);
	CONST(KCTL_OPEN_NONBLOCK, KCTL_OPEN_NONBLOCK);
	CONST(KCTL_OPEN_BIND_ONLY, KCTL_OPEN_BIND_ONLY);
	CONST(KCTL_RECV_TRUNC, KCTL_RECV_TRUNC);
	CONST(KCTL_RECV_EOR, KCTL_RECV_EOR);
	CONST(KCTL_OPT_MAX, KCTL_OPT_MAX);
	CONST(KCTL_TIMEOUT_INFINITE, KCTL_TIMEOUT_INFINITE);
	CONST(KCTL_MSG_DEFAULT_MAX, KCTL_MSG_DEFAULT_MAX);
	CONST(KCTL_MSG_MAX_INFLIGHT, KCTL_MSG_MAX_INFLIGHT);
	CONST(KCTL_MSG_EVENT, KCTL_MSG_EVENT);
	CONST(KCTL_MSG_REPLY, KCTL_MSG_REPLY);
	CONST(KCTL_MSG_STRAY, KCTL_MSG_STRAY);
	CONST(KCTL_MSG_REQUEST, KCTL_MSG_REQUEST);
	CONST(KCTL_MSG_FRAMES_IN, KCTL_MSG_FRAMES_IN);
	CONST(KCTL_MSG_FRAMES_OUT, KCTL_MSG_FRAMES_OUT);
	CONST(KCTL_MSG_RECV_CALLS, KCTL_MSG_RECV_CALLS);
	CONST(KCTL_MSG_KERNEL_DROPS, KCTL_MSG_KERNEL_DROPS);
	CONST(KCTL_MSG_BACKLOG_DROPS, KCTL_MSG_BACKLOG_DROPS);
	CONST(KCTL_MSG_UNMATCHED_REPLIES, KCTL_MSG_UNMATCHED_REPLIES);
	CONST(KCTL_MSG_BAD_RECORDS, KCTL_MSG_BAD_RECORDS);
	CONST(KCTL_MSG_LATE_REPLIES, KCTL_MSG_LATE_REPLIES);
	CONST(KCTL_MSG_IN_FLIGHT, KCTL_MSG_IN_FLIGHT);
	CONST(KCTL_ORIGIN_NONE, KCTL_ORIGIN_NONE);
	CONST(KCTL_ORIGIN_LIBRARY, KCTL_ORIGIN_LIBRARY);
	CONST(KCTL_ORIGIN_KERNEL, KCTL_ORIGIN_KERNEL);
	CONST(KCTL_ORIGIN_CONTROL, KCTL_ORIGIN_CONTROL);
	CONST(KCTL_ORIGIN_KERNEL_OR_CONTROL, KCTL_ORIGIN_KERNEL_OR_CONTROL);
	CONST(KCTL_CALL_NONE, KCTL_CALL_NONE);
	CONST(KCTL_CALL_OPEN, KCTL_CALL_OPEN);
	CONST(KCTL_CALL_SEND, KCTL_CALL_SEND);
	CONST(KCTL_CALL_RECV, KCTL_CALL_RECV);
	CONST(KCTL_CALL_OPTION, KCTL_CALL_OPTION);
	CONST(KCTL_CALL_REQUEST, KCTL_CALL_REQUEST);
	CONST(KCTL_TRACE_TIME, KCTL_TRACE_TIME);
	CONST(KCTL_LIST_MAX, KCTL_LIST_MAX);
	CONST(KCTL_LIST_NO_UNIT, KCTL_LIST_NO_UNIT);
	CONST(KCTL_UTUN_AF_INET, KCTL_UTUN_AF_INET);
	CONST(KCTL_UTUN_AF_INET6, KCTL_UTUN_AF_INET6);
	CONST(KCTL_UTUN_HEADER_LEN, KCTL_UTUN_HEADER_LEN);
	CONST(KCTL_UTUN_ANY, KCTL_UTUN_ANY);
	CONST(KCTL_UTUN_MAX, KCTL_UTUN_MAX);
	CONST(KCTL_UTUN_IFNAME_MAX, KCTL_UTUN_IFNAME_MAX);
	CONST(KCTL_FRAME_VERSION, KCTL_FRAME_VERSION);
	CONST(KCTL_FRAME_HDR_LEN, KCTL_FRAME_HDR_LEN);
	CONST(KCTL_FRAME_ALIGN, KCTL_FRAME_ALIGN);
	CONST(KCTL_FRAME_MAX, KCTL_FRAME_MAX);
	CONST(KCTL_FRAME_ERRNO_MAX, KCTL_FRAME_ERRNO_MAX);
	CONST(KCTL_FRAME_F_REQUEST, KCTL_FRAME_F_REQUEST);
	CONST(KCTL_FRAME_F_REPLY, KCTL_FRAME_F_REPLY);
	CONST(KCTL_FRAME_F_ERROR, KCTL_FRAME_F_ERROR);
	CONST(KCTL_FRAME_F_EVENT, KCTL_FRAME_F_EVENT);
	CONST(KCTL_FRAME_F_MORE, KCTL_FRAME_F_MORE);
	CONST(KCTL_FRAME_F_RESERVED, KCTL_FRAME_F_RESERVED);
	CONST(KCTL_ABI_MAX_NAME, KCTL_ABI_MAX_NAME);
	CONST(KCTL_ABI_CTL_FLAG_PRIVILEGED, KCTL_ABI_CTL_FLAG_PRIVILEGED);
	CONST(KCTL_ABI_CTL_FLAG_REG_ID_UNIT, KCTL_ABI_CTL_FLAG_REG_ID_UNIT);
	CONST(KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM, KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM);
	CONST(KCTL_ABI_CTL_DATA_NOWAKEUP, KCTL_ABI_CTL_DATA_NOWAKEUP);
	CONST(KCTL_ABI_CTL_DATA_EOR, KCTL_ABI_CTL_DATA_EOR);
	CONST(KCTL_ABI_CTL_SENDSIZE, KCTL_ABI_CTL_SENDSIZE);
	CONST(KCTL_ABI_CTL_RECVSIZE, KCTL_ABI_CTL_RECVSIZE);
	CONST(KCTL_ABI_XSYSTMGEN_LEN, KCTL_ABI_XSYSTMGEN_LEN);
	CONST(KCTL_ABI_XKCTL_REG_LEN, KCTL_ABI_XKCTL_REG_LEN);
	CONST(KCTL_ABI_UTUN_OPT_FLAGS, KCTL_ABI_UTUN_OPT_FLAGS);
	CONST(KCTL_ABI_UTUN_OPT_IFNAME, KCTL_ABI_UTUN_OPT_IFNAME);
	CONST(KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS, KCTL_ABI_UTUN_OPT_MAX_PENDING_PACKETS);
	CONST(KCTL_ABI_UTUN_FLAGS_NO_OUTPUT, KCTL_ABI_UTUN_FLAGS_NO_OUTPUT);
	CONST(KCTL_ABI_UTUN_FLAGS_NO_INPUT, KCTL_ABI_UTUN_FLAGS_NO_INPUT);
	CONST(KCTL_ABI_UTUN_FLAGS_ENABLE_PROC_UUID, KCTL_ABI_UTUN_FLAGS_ENABLE_PROC_UUID);
	CONST(SIM_CALL_SOCKET, KCTL_SIM_CALL_SOCKET);
	CONST(SIM_CALL_IOCTL, KCTL_SIM_CALL_IOCTL);
	CONST(SIM_CALL_BIND, KCTL_SIM_CALL_BIND);
	CONST(SIM_CALL_CONNECT, KCTL_SIM_CALL_CONNECT);
	CONST(SIM_CALL_GETPEERNAME, KCTL_SIM_CALL_GETPEERNAME);
	CONST(SIM_CALL_SEND, KCTL_SIM_CALL_SEND);
	CONST(SIM_CALL_RECV, KCTL_SIM_CALL_RECV);
	CONST(SIM_CALL_GETSOCKOPT, KCTL_SIM_CALL_GETSOCKOPT);
	CONST(SIM_CALL_SETSOCKOPT, KCTL_SIM_CALL_SETSOCKOPT);
	CONST(SIM_CALL_CLOSE, KCTL_SIM_CALL_CLOSE);
	CONST(SIM_CALL_ENQUEUE, KCTL_SIM_CALL_ENQUEUE);
	CONST(SIM_CALL_SYSCTL, KCTL_SIM_CALL_SYSCTL);
	CONST(KCTL_SIM_IFNAMSIZ, KCTL_SIM_IFNAMSIZ);
	return 0;
}
