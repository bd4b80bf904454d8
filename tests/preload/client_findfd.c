/*
 * client_findfd.c - finding one's kernel-control descriptor by asking every descriptor
 * for its peer, the way code handed an anonymous tunnel descriptor does it (WireGuard's
 * network extension scans 0...1024 with getpeername and compares sc_id). Other kinds of
 * descriptors are open too, and must be passed over.
 */
#include <fcntl.h>
#include <netinet/in.h>

#include "check.h"
#include "sample_proto.h"

/* The descriptor whose peer is the control `name`, or -1. */
static int find_ctl_fd(const char *name)
{
	struct ctl_info info;
	int found = -1;

	memset(&info, 0, sizeof(info));
	strncpy(info.ctl_name, name, sizeof(info.ctl_name) - 1);
	for (int fd = 0; fd <= 1024; fd++) {
		struct sockaddr_ctl addr;
		socklen_t len = sizeof(addr);

		memset(&addr, 0, sizeof(addr));
		if (getpeername(fd, (struct sockaddr *)&addr, &len) != 0 ||
		    addr.sc_family != AF_SYSTEM)
			continue;
		if (info.ctl_id == 0 && ioctl(fd, CTLIOCGINFO, &info) != 0)
			continue;
		if (addr.sc_id == info.ctl_id) {
			CHECK(found == -1, "two descriptors claim the control: %d and %d", found, fd);
			found = fd;
		}
	}
	return found;
}

int main(void)
{
	int pipefd[2], udp, file, a, b, want;
	struct sockaddr_in sin;

	CHECK(pipe(pipefd) == 0, "pipe");
	udp = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(connect(udp, (struct sockaddr *)&sin, sizeof(sin)) == 0, "udp connect");
	file = open("/dev/null", O_RDONLY);
	a = socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL); /* never connected */
	want = ctl_open(SAMPLE_CTL_NAME, SOCK_DGRAM, 0, NULL);
	b = ctl_open(SAMPLE_CTL_STREAM_NAME, SOCK_STREAM, 0, NULL);
	CHECK(a >= 0 && want >= 0 && b >= 0, "opens: %d %d %d", a, want, b);
	CHECK(find_ctl_fd(SAMPLE_CTL_NAME) == want, "found %d, want %d",
	      find_ctl_fd(SAMPLE_CTL_NAME), want);
	CHECK(find_ctl_fd(SAMPLE_CTL_STREAM_NAME) == b, "stream found elsewhere");
	close(want);
	CHECK(find_ctl_fd(SAMPLE_CTL_NAME) == -1, "a closed descriptor was found");
	close(a);
	close(b);
	close(file);
	close(udp);
	close(pipefd[0]);
	close(pipefd[1]);
	return checks_done("client_findfd");
}
