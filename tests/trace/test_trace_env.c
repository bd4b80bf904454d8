/*
 * KCTL_TRACE: the native backend traced from the environment, with no change to the
 * program. Run three times by meson: with KCTL_TRACE=/path (argv: file PATH), with
 * KCTL_TRACE=1 (argv: stderr) and without it (argv: off).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "kctl.h"

static const char *mode, *path;
static int err_pipe[2] = { -1, -1 };

/* What one open through the native backend printed: the file, or what reached stderr. */
static size_t traced(char *buf, size_t cap)
{
	ssize_t n = 0;

	if (strcmp(mode, "file") == 0) {
		int fd = open(path, O_RDONLY);

		assert_true(fd >= 0);
		n = read(fd, buf, cap - 1);
		close(fd);
	} else {
		int fl = fcntl(err_pipe[0], F_GETFL);

		fcntl(err_pipe[0], F_SETFL, fl | O_NONBLOCK);
		n = read(err_pipe[0], buf, cap - 1);
		if (n < 0 && errno == EAGAIN)
			n = 0;
	}
	assert_true(n >= 0);
	buf[n] = '\0';
	return (size_t)n;
}

static void the_native_backend_prints_each_call_where_kctl_trace_says(void **state)
{
	kctl_t *h = NULL;
	char buf[4096];
	uint32_t count = 0;

	(void)state;
	assert_int_equal(kctl_open_name(NULL, "org.example.kext", 0, 0, &h), -EAFNOSUPPORT);
	assert_int_equal(kctl_count(kctl_backend_native(), &count), -EAFNOSUPPORT);
	traced(buf, sizeof(buf));
	if (strcmp(mode, "off") == 0) {
		assert_string_equal(buf, "");
		return;
	}
	assert_string_equal(buf,
			    "socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = -1 EAFNOSUPPORT "
			    "(Address family not supported by protocol)\n"
			    "socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = -1 EAFNOSUPPORT "
			    "(Address family not supported by protocol)\n");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_native_backend_prints_each_call_where_kctl_trace_says),
	};

	if (argc < 2)
		return 2;
	mode = argv[1];
	path = argc > 2 ? argv[2] : NULL;
	if (path)
		unlink(path); /* before the first use of the native backend opens it */
	if (strcmp(mode, "file") != 0) {
		/* stderr becomes a pipe the test reads; cmocka reports on stdout */
		if (pipe(err_pipe) != 0 || dup2(err_pipe[1], STDERR_FILENO) < 0)
			return 2;
	}
	return cmocka_run_group_tests_name("trace_env", tests, NULL, NULL);
}
