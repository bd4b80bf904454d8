/*
 * layout_probe.c - prints the sizes and offsets the C compiler gives the structures the
 * Python binding mirrors with ctypes; test_sim.py compares them with ctypes'.
 */
#include <stddef.h>
#include <stdio.h>
#include <sys/uio.h>

#include "kctl.h"
#include "kctl_sim.h"

#define FIELD(s, f) printf("%s.%s %zu\n", #s, #f, offsetof(struct s, f))

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
	return 0;
}
