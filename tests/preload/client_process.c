/*
 * client_process.c - a kernel-control socket across fork, exec and exit under
 * `kctl-sim run` (the rules are in lib/preload/pl_kernel.c):
 *   fork: the child has no simulated kernel; an inherited socket fails with EBADF
 *         there, close() works and leaves the parent's socket working; socket(PF_SYSTEM)
 *         is EAFNOSUPPORT in the child.
 *   exec: FD_CLOEXEC (fcntl or FIOCLEX) closes the descriptor; without it the new image
 *         holds an orphan (EBADF, never a read that could take the parent's bytes; close
 *         works), no simulator descriptor leaks, and the parent's sockets keep working.
 *   exit: `client_process --exit-open` returns from main with a socket open; the driver
 *         checks that the kext's disconnect ran.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "check.h"
#include "frames.h"

static int echo_ok(int fd, uint32_t seq)
{
	unsigned char req[32], rep[64];
	size_t n = frame_request(req, SAMPLE_MSG_ECHO, seq, "fk", 2);
	ssize_t got;

	if (send(fd, req, n, 0) != (ssize_t)n)
		return 0;
	got = recv(fd, rep, sizeof(rep), 0);
	return got > 0 && frame_is_echo(rep, (size_t)got, seq, "fk", 2);
}

static int child_checks(int fd)
{
	char b[8];

	if (send(fd, "x", 1, 0) != -1 || errno != EBADF)
		return 10;
	if (recv(fd, b, sizeof(b), MSG_DONTWAIT) != -1 || errno != EBADF)
		return 11;
	if (socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) != -1 || errno != EAFNOSUPPORT)
		return 12;
	if (close(fd) != 0)
		return 13;
	if (close(fd) != -1 || errno != EBADF)
		return 14;
	return 0;
}

static void forks(int fd)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(child_checks(fd));
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "child checks failed at step %d", WEXITSTATUS(status));
	CHECK(echo_ok(fd, 21), "the parent's socket after the child closed its copy");
}

/* The exec'd image: argv[2] must be closed, argv[3] open but an orphan. */
static int after_exec(char **argv)
{
	int closed = atoi(argv[2]), open_fd = atoi(argv[3]), extra = 0;
	char b[4];
	ssize_t n;

	if (fcntl(closed, F_GETFD) != -1 || errno != EBADF)
		return 20;
	if (fcntl(open_fd, F_GETFD) == -1)
		return 21;
	n = read(open_fd, b, sizeof(b));
	if (n != -1 || errno != EBADF)
		return 22;
	for (int i = 3; i < 4096; i++)
		if (i != open_fd && fcntl(i, F_GETFD) != -1)
			extra++;
	if (extra != 0)
		return 23;
	return close(open_fd) == 0 ? 0 : 24;
}

static void execs(const char *self)
{
	int a = ctl_open(SAMPLE_CTL_NAME, SOCK_DGRAM, 0, NULL);
	int b = ctl_open(SAMPLE_CTL_NAME, SOCK_DGRAM, 0, NULL);
	int c = ctl_open(SAMPLE_CTL_NAME, SOCK_DGRAM, 0, NULL);
	char sa[16], sb[16];
	int status = -1;
	pid_t pid;

	CHECK(a >= 0 && b >= 0 && c >= 0, "opens");
	CHECK(fcntl(a, F_SETFD, FD_CLOEXEC) == 0, "F_SETFD");
	CHECK(ioctl(c, FIOCLEX) == 0, "FIOCLEX: %s", strerror(errno));
	CHECK(fcntl(c, F_GETFD) == FD_CLOEXEC, "FIOCLEX did not set FD_CLOEXEC");
	snprintf(sa, sizeof(sa), "%d", a);
	snprintf(sb, sizeof(sb), "%d", b);
	pid = fork();
	if (pid == 0) {
		for (int i = 3; i < 4096; i++) /* leave only a, b and c (and hidden ones) */
			if (i != a && i != b && i != c)
				(void)close(i);
		execl(self, self, "--after-exec", sa, sb, (char *)NULL);
		_exit(30);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "exec'd image failed at step %d", WEXITSTATUS(status));
	CHECK(echo_ok(a, 31) && echo_ok(b, 32), "the sockets in the parent after exec");
	close(a);
	close(b);
	close(c);
}

int main(int argc, char **argv)
{
	int fd;

	if (argc == 4 && strcmp(argv[1], "--after-exec") == 0)
		return after_exec(argv);
	fd = ctl_open(SAMPLE_CTL_NAME, SOCK_DGRAM, 0, NULL);
	CHECK(fd >= 0, "open: %s", strerror(-fd));
	if (argc == 2 && strcmp(argv[1], "--exit-open") == 0) {
		CHECK(echo_ok(fd, 1), "echo");
		printf("exiting with unit %u open\n", ctl_unit(fd));
		return checks_done("client_process --exit-open");
	}
	CHECK(echo_ok(fd, 2), "echo before fork");
	forks(fd);
	execs(argv[0]);
	close(fd);
	return checks_done("client_process");
}
