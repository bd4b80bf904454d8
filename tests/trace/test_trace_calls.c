/*
 * The call tracer against the simulated kernel: every call of a session, exactly as
 * it is printed.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "client/echo_ctl.h"
#include "kctl.h"
#include "kctl_sim.h"
#include "kctl_sys.h"
#include "msg/frame_ctl.h"
#include "testutil.h"

#define MAX_LINES 64 /* lines kept; more are counted */

struct capture {
	pthread_mutex_t lock;
	char lines[MAX_LINES][1100];
	int n;
};

static void capture_line(void *ctx, const char *line)
{
	struct capture *c = ctx;

	pthread_mutex_lock(&c->lock);
	if (c->n < MAX_LINES)
		snprintf(c->lines[c->n], sizeof(c->lines[0]), "%s", line);
	c->n++;
	pthread_mutex_unlock(&c->lock);
}

struct tfix {
	kctl_sim_t *sim;
	kctl_sim_ctl_t *frames, *stream, *echo;
	struct fc_state st_frames, st_stream;
	struct echo_stats st_echo;
	kctl_trace_t *tr;
	const kctl_backend_t *be;
	struct capture cap;
	int fds;
};

static int tfix_setup(void **state)
{
	struct tfix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->fds = tu_open_fds();
	pthread_mutex_init(&f->cap.lock, NULL);
	f->st_stream.stream = 1;
	if (kctl_sim_new(&f->sim) != 0 ||
	    fc_register(f->sim, "org.libkctl.test.frames", &f->st_frames, 0, &f->frames) != 0 ||
	    fc_register(f->sim, "org.libkctl.test.frames.stream", &f->st_stream, 0,
			&f->stream) != 0 ||
	    echo_register(f->sim, "org.libkctl.test.echo", 0, &f->st_echo, &f->echo) != 0 ||
	    kctl_trace_new(kctl_sim_backend(f->sim), capture_line, &f->cap, 0, &f->tr) != 0)
		return -1;
	f->be = kctl_trace_backend(f->tr);
	*state = f;
	return 0;
}

static int tfix_teardown(void **state)
{
	struct tfix *f = *state;
	int leaked;

	kctl_trace_free(f->tr);
	kctl_sim_free(f->sim);
	pthread_mutex_destroy(&f->cap.lock);
	leaked = tu_open_fds() - f->fds;
	free(f);
	return leaked == 0 ? 0 : -1;
}

/* Compares the captured lines from `from` on with want[], "FD" standing for fd. */
static void expect_lines(struct tfix *f, int from, int fd, const char *const *want, int n)
{
	assert_int_equal(f->cap.n - from, n);
	for (int i = 0; i < n; i++) {
		char line[1200];
		size_t o = 0;

		for (const char *p = want[i]; *p && o < sizeof(line) - 16; p++) {
			if (p[0] == 'F' && p[1] == 'D') {
				o += (size_t)snprintf(line + o, sizeof(line) - o, "%d", fd);
				p++;
			} else {
				line[o++] = *p;
			}
		}
		line[o] = '\0';
		assert_string_equal(f->cap.lines[from + i], line);
	}
}

#define EXPECT(f, from, fd, ...)                                                       \
	do {                                                                           \
		static const char *const want_[] = { __VA_ARGS__ };                    \
		expect_lines(f, from, fd, want_, (int)(sizeof(want_) / sizeof(want_[0]))); \
	} while (0)

static void an_open_shows_the_lookup_and_the_connect_field_by_field(void **state)
{
	struct tfix *f = *state;
	kctl_t *h;
	int fd;

	assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.frames", 0, 0, &h), 0);
	fd = kctl_fd(h);
	/* the lookup's short-lived socket had the same (lowest free) number */
	EXPECT(f, 0, fd,
	       "socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = FD",
	       "ioctl(FD, FIOCLEX) = 0",
	       "ioctl(FD, FIONBIO, [1]) = 0",
	       "setsockopt(FD, SOL_SOCKET, SO_NOSIGPIPE, [1], 4) = 0",
	       "ioctl(FD, CTLIOCGINFO, {ctl_name=\"org.libkctl.test.frames\"} => {ctl_id=1}) = 0",
	       "close(FD) = 0",
	       "socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = FD",
	       "ioctl(FD, FIOCLEX) = 0",
	       "ioctl(FD, FIONBIO, [1]) = 0",
	       "setsockopt(FD, SOL_SOCKET, SO_NOSIGPIPE, [1], 4) = 0",
	       "connect(FD, {sc_len=32, sc_family=AF_SYSTEM, ss_sysaddr=AF_SYS_CONTROL, sc_id=1, "
	       "sc_unit=0}, 32) = 0",
	       "getpeername(FD, {sc_len=32, sc_family=AF_SYSTEM, ss_sysaddr=AF_SYS_CONTROL, "
	       "sc_id=1, sc_unit=1}, [32]) = 0");
	assert_int_equal(kctl_close(h), 0);
	EXPECT(f, 12, fd, "close(FD) = 0");
}

static void an_unknown_name_shows_the_kernels_answer_by_its_errno_name(void **state)
{
	struct tfix *f = *state;
	kctl_t *h = NULL;

	assert_int_equal(kctl_open_name(f->be, "org.libkctl.nope", 0, KCTL_OPEN_STREAM, &h),
			 -ENOENT);
	assert_int_equal(f->cap.n, 6);
	assert_string_equal(f->cap.lines[4] + strcspn(f->cap.lines[4], ","),
			    ", CTLIOCGINFO, {ctl_name=\"org.libkctl.nope\"}) = -1 ENOENT (No such "
			    "file or directory)");
}

static void a_request_and_its_reply_show_their_frame_headers(void **state)
{
	struct tfix *f = *state;
	uint32_t einval = EINVAL;
	char reply[16];
	size_t len = 0;
	kctl_t *h;

	assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.frames", 0, 0, &h), 0);
	f->cap.n = 0;
	assert_int_equal(kctl_request(h, FC_ECHO, "hi", 2, reply, sizeof(reply), &len), 0);
	assert_int_equal(kctl_request(h, FC_FAIL, &einval, 4, reply, sizeof(reply), &len),
			 -EINVAL);
	EXPECT(f, 0, kctl_fd(h),
	       "sendmsg(FD, 24 bytes [{REQUEST type=1 seq=1 len=18 \"hi\"}], 0) = 24",
	       "recvmsg(FD, 8192 bytes, 0) = 24 [{REPLY type=1 seq=1 len=18 \"hi\"}] "
	       "msg_flags=MSG_EOR",
	       "sendmsg(FD, 24 bytes [{REQUEST type=2 seq=2 len=20 \"\\x16\\x00\\x00\\x00\"}], 0) "
	       "= 24",
	       "recvmsg(FD, 8192 bytes, 0) = 16 [{REPLY|ERROR type=2 seq=2 len=16 "
	       "errno=EINVAL}] msg_flags=MSG_EOR");
	kctl_close(h);
}

static void a_stream_read_shows_every_frame_it_holds(void **state)
{
	struct tfix *f = *state;
	uint32_t three = 3;
	char reply[16];
	size_t len = 0;
	kctl_t *h;

	assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.frames.stream", 0,
					KCTL_OPEN_STREAM, &h), 0);
	kctl_set_timeout(h, 2000);
	f->cap.n = 0;
	assert_int_equal(kctl_request(h, FC_EVENTS, &three, 4, reply, sizeof(reply), &len), 0);
	assert_int_equal(kctl_request(h, FC_MULTI, NULL, 0, reply, sizeof(reply), &len), 0);
	EXPECT(f, 0, kctl_fd(h),
	       "sendmsg(FD, 24 bytes [{REQUEST type=3 seq=1 len=20 \"\\x03\\x00\\x00\\x00\"}], 0) "
	       "= 24",
	       "recvmsg(FD, 4096 bytes, 0) = 88 [{EVENT type=100 seq=0 len=20 \"\\x00\\x00\\x00"
	       "\\x00\"}, {EVENT type=100 seq=0 len=20 \"\\x01\\x00\\x00\\x00\"}, {EVENT "
	       "type=100 seq=0 len=20 \"\\x02\\x00\\x00\\x00\"}, {REPLY type=3 seq=1 len=16}]",
	       "sendmsg(FD, 16 bytes [{REQUEST type=4 seq=2 len=16}], 0) = 16",
	       "recvmsg(FD, 4096 bytes, 0) = 72 [{REPLY|MORE type=4 seq=2 len=19 \"one\"}, "
	       "{REPLY|MORE type=4 seq=2 len=19 \"two\"}, {REPLY type=4 seq=2 len=21 \"three\"}]");
	kctl_close(h);
}

static void a_stream_read_cut_inside_a_frame_says_how_much_came(void **state)
{
	struct tfix *f = *state;
	uint64_t ev[8], out[8];
	size_t wire = 0;
	kctl_t *h;

	assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.frames.stream", 0,
					KCTL_OPEN_STREAM | KCTL_OPEN_NONBLOCK, &h), 0);
	assert_int_equal(fc_event(ev, 7, &wire), 0);
	assert_int_equal(wire, 24);
	f->cap.n = 0;
	assert_int_equal(kctl_sim_enqueue(f->stream, kctl_unit(h), ev, 20, 0), 0);
	assert_int_equal(kctl_msg_recv(h, out, sizeof(out), &wire), -EAGAIN);
	assert_int_equal(kctl_sim_enqueue(f->stream, kctl_unit(h), (char *)ev + 20, 4, 0), 0);
	assert_int_equal(kctl_msg_recv(h, out, sizeof(out), &wire), 0);
	EXPECT(f, 0, kctl_fd(h),
	       "recvmsg(FD, 4096 bytes, 0) = 20 [{EVENT type=100 seq=0 len=20, 20 of 24 bytes}]",
	       "recvmsg(FD, 4076 bytes, 0) = -1 EAGAIN (Resource temporarily unavailable)",
	       "recvmsg(FD, 4076 bytes, 0) = 4 \"\\x00\\x00\\x00\\x00\"");
	kctl_close(h);
}

static void raw_data_and_a_truncated_record_show_bytes_and_msg_flags(void **state)
{
	struct tfix *f = *state;
	char buf[2];
	size_t got = 0;
	uint32_t fl = 0;
	kctl_t *h;

	assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.echo", 0, KCTL_OPEN_NONBLOCK,
					&h), 0);
	f->cap.n = 0;
	assert_int_equal(kctl_send(h, "pi\"ng\n", 6, NULL), 0);
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, &fl), 0);
	assert_int_equal(fl, KCTL_RECV_TRUNC);
	assert_int_equal(kctl_recv(h, buf, sizeof(buf), &got, &fl), -EAGAIN);
	EXPECT(f, 0, kctl_fd(h),
	       "sendmsg(FD, 6 bytes \"pi\\\"ng\\n\", 0) = 6",
	       "recvmsg(FD, 2 bytes, 0) = 2 \"pi\" msg_flags=MSG_TRUNC",
	       "recvmsg(FD, 2 bytes, 0) = -1 EAGAIN (Resource temporarily unavailable)");
	kctl_close(h);
}

static void options_show_level_number_value_and_length_in_and_out(void **state)
{
	struct tfix *f = *state;
	char name[32];
	size_t size = 0;
	uint32_t v = 0;
	kctl_t *h;

	assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.echo", 0, 0, &h), 0);
	f->st_echo.blob_size = 100;
	f->cap.n = 0;
	assert_int_equal(kctl_set_u32(h, ECHO_OPT_U32, 5), 0);
	assert_int_equal(kctl_get_u32(h, ECHO_OPT_U32, &v), 0);
	assert_int_equal(kctl_getopt_size(h, ECHO_OPT_BLOB, &size), 0);
	assert_int_equal(kctl_get_str(h, ECHO_OPT_NAME, name, sizeof(name)), 0);
	assert_int_equal(kctl_get_u32(h, 99, &v), -ENOPROTOOPT);
	assert_int_equal(kctl_set_u64(h, ECHO_OPT_U64, 1ull << 40), 0);
	EXPECT(f, 0, kctl_fd(h),
	       "setsockopt(FD, SYSPROTO_CONTROL, 1, [5], 4) = 0",
	       "getsockopt(FD, SYSPROTO_CONTROL, 1, [5], [4]) = 0",
	       "getsockopt(FD, SYSPROTO_CONTROL, 5, NULL, [0 => 100]) = 0",
	       "getsockopt(FD, SYSPROTO_CONTROL, 3, \"echo-1\\x00\", [32 => 7]) = 0",
	       "getsockopt(FD, SYSPROTO_CONTROL, 99, ..., [4]) = -1 ENOPROTOOPT (Protocol not "
	       "available)",
	       "setsockopt(FD, SYSPROTO_CONTROL, 2, [1099511627776], 8) = 0");
	kctl_close(h);
}

static void a_dirty_sockaddr_shows_its_reserved_words(void **state)
{
	struct tfix *f = *state;
	struct kctl_abi_sockaddr_ctl sa;
	char abc[] = "abc";
	struct iovec iov = { .iov_base = abc, .iov_len = 3 };
	size_t sent = 0;
	int fd = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sc_len = 32;
	sa.sc_family = KCTL_ABI_AF_SYSTEM;
	sa.ss_sysaddr = 7; /* SYSPROTO_CONTROL's 2 is the usual mistake; any value shows */
	sa.sc_id = 99;
	sa.sc_reserved[1] = 0xdead;
	assert_int_equal(f->be->ops->socket(f->be->ctx, KCTL_ABI_AF_SYSTEM, KCTL_ABI_SOCK_DGRAM,
					    KCTL_ABI_SYSPROTO_CONTROL, &fd), 0);
	assert_int_equal(f->be->ops->connect(f->be->ctx, fd, &sa, 32), -ENOENT);
	assert_int_equal(f->be->ops->bind(f->be->ctx, fd, &sa, 16), -EINVAL);
	assert_int_equal(f->be->ops->sendmsg(f->be->ctx, fd, &iov, 1, 0x80 | 0x80000 | 0x100000,
					     &sent), -ENOTCONN);
	assert_int_equal(f->be->ops->ioctl(f->be->ctx, fd, 0xc0104e09UL, &sa), -ENOTSUP);
	assert_int_equal(f->be->ops->close(f->be->ctx, fd), 0);
	EXPECT(f, 0, fd,
	       "socket(AF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL) = FD",
	       "connect(FD, {sc_len=32, sc_family=AF_SYSTEM, ss_sysaddr=7, sc_id=99, sc_unit=0, "
	       "sc_reserved=[0, 57005, 0, 0, 0]}, 32) = -1 ENOENT (No such file or directory)",
	       "bind(FD, {sc_len=32, sc_family=AF_SYSTEM, ss_sysaddr=7, sc_id=99, sc_unit=0, "
	       "sc_reserved=[0, 57005, 0, 0, 0]}, 16) = -1 EINVAL (Invalid argument)",
	       "sendmsg(FD, 3 bytes \"abc\", MSG_DONTWAIT|MSG_NOSIGNAL|0x100000) = -1 ENOTCONN "
	       "(Transport endpoint is not connected)",
	       "ioctl(FD, 0xc0104e09, ...) = -1 EOPNOTSUPP (Operation not supported)",
	       "close(FD) = 0");
}

static void utun_shows_its_family_header_options_and_the_registration_list(void **state)
{
	struct tfix *f = *state;
	struct kctl_ctl_desc d[4];
	kctl_trace_t *t = NULL;
	kctl_sim_t *mac = NULL;
	unsigned char pkt[16];
	char name[KCTL_UTUN_IFNAME_MAX];
	uint32_t n = 0, fam = 0;
	size_t len = 0;
	kctl_t *h = NULL;
	int fd;

	assert_int_equal(kctl_sim_new_mac(&mac), 0); /* utun registered */
	kctl_sim_set_euid(mac, 0);
	assert_int_equal(kctl_trace_new(kctl_sim_backend(mac), capture_line, &f->cap, 0, &t), 0);
	assert_int_equal(kctl_utun_open(kctl_trace_backend(t), KCTL_UTUN_ANY, 0, &h), 0);
	fd = kctl_fd(h);
	kctl_set_timeout(h, 1000);
	f->cap.n = 0;
	assert_int_equal(kctl_utun_ifname(h, name, sizeof(name)), 0);
	assert_int_equal(kctl_utun_write(h, KCTL_UTUN_AF_INET, "E\0\0\x14", 4), 0);
	assert_int_equal(kctl_sim_utun_inject(mac, name, KCTL_UTUN_AF_INET6, "`\0\0\0", 4), 0);
	assert_int_equal(kctl_utun_read(h, pkt, sizeof(pkt), &len, &fam), 0);
	assert_int_equal(kctl_list(kctl_trace_backend(t), d, 4, &n), 0);
	EXPECT(f, 0, fd,
	       "getsockopt(FD, SYSPROTO_CONTROL, UTUN_OPT_IFNAME, \"utun0\\x00\", [16 => 6]) = 0",
	       "sendmsg(FD, 8 bytes [AF_INET, 4 bytes \"E\\x00\\x00\\x14\"], 0) = 8",
	       "recvmsg(FD, 20 bytes, 0) = 8 [AF_INET6, 4 bytes \"`\\x00\\x00\\x00\"] "
	       "msg_flags=MSG_EOR",
	       "sysctl(\"net.systm.kctl.reg_list\", NULL, [0 => 200], NULL, 0) = 0",
	       "sysctl(\"net.systm.kctl.reg_list\", 464 bytes, [464 => 264], NULL, 0) = 0 "
	       "{xg_count=1, xg_gen=2} [\"com.apple.net.utun_control\" id=1 units=1]");
	kctl_close(h);
	kctl_trace_free(t);
	kctl_sim_free(mac);
}

struct sender {
	kctl_t *h;
	int n;
};

static void *send_many(void *arg)
{
	struct sender *s = arg;

	for (int i = 0; i < s->n; i++)
		if (kctl_send(s->h, "abcd", 4, NULL) != 0)
			return arg;
	return NULL;
}

static void lines_of_threads_never_interleave(void **state)
{
	struct tfix *f = *state;
	struct sender s[2] = { { NULL, 30 }, { NULL, 30 } };
	pthread_t th[2];
	char want[2][64];

	for (int i = 0; i < 2; i++)
		assert_int_equal(kctl_open_name(f->be, "org.libkctl.test.echo", 0, 0, &s[i].h), 0);
	for (int i = 0; i < 2; i++)
		snprintf(want[i], sizeof(want[i]), "sendmsg(%d, 4 bytes \"abcd\", 0) = 4",
			 kctl_fd(s[i].h));
	f->cap.n = 0;
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, send_many, &s[i]), 0);
	for (int i = 0; i < 2; i++) {
		void *r = &r;

		assert_int_equal(pthread_join(th[i], &r), 0);
		assert_null(r);
	}
	assert_int_equal(f->cap.n, 60);
	for (int i = 0; i < MAX_LINES && i < 60; i++)
		assert_true(strcmp(f->cap.lines[i], want[0]) == 0 ||
			    strcmp(f->cap.lines[i], want[1]) == 0);
	kctl_close(s[0].h);
	kctl_close(s[1].h);
}

static void a_tracer_on_an_fd_writes_whole_lines_and_the_time_if_asked(void **state)
{
	struct tfix *f = *state;
	kctl_trace_t *t;
	char buf[4096];
	int p[2];
	kctl_t *h = NULL;
	ssize_t n;

	assert_int_equal(pipe(p), 0);
	assert_int_equal(kctl_trace_new_fd(kctl_sim_backend(f->sim), p[1], KCTL_TRACE_TIME, &t),
			 0);
	assert_int_equal(kctl_open_name(kctl_trace_backend(t), "org.libkctl.nope", 0, 0, &h),
			 -ENOENT);
	kctl_trace_free(t);
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	assert_true(n > 0);
	buf[n] = '\0';
	/* six lines, each "+S.UUUUUU call...\n" */
	for (int i = 0; i < 6; i++) {
		char *nl = strchr(buf, '\n');
		char *sp = strchr(buf, ' ');

		assert_non_null(nl);
		assert_non_null(sp);
		assert_true(buf[0] == '+' && sp < nl && sp - strchr(buf, '.') == 7);
		if (i == 4)
			assert_true(strncmp(sp + 1, "ioctl(", 6) == 0 &&
				    strstr(sp, "= -1 ENOENT (No such file or directory)\n") == nl - 39);
		memmove(buf, nl + 1, strlen(nl + 1) + 1);
	}
	assert_string_equal(buf, "");
}

static void a_tracer_refuses_what_it_cannot_use(void **state)
{
	struct tfix *f = *state;
	kctl_trace_t *t = NULL;

	assert_int_equal(kctl_trace_new(kctl_sim_backend(f->sim), NULL, NULL, 0, &t), -EINVAL);
	assert_int_equal(kctl_trace_new(kctl_sim_backend(f->sim), capture_line, &f->cap, 0x8, &t),
			 -EINVAL);
	assert_int_equal(kctl_trace_new_fd(kctl_sim_backend(f->sim), -1, 0, &t), -EINVAL);
	assert_int_equal(kctl_trace_new_fd(kctl_sim_backend(f->sim), 2, 0, NULL), -EINVAL);
	assert_null(t);
	assert_null(kctl_trace_backend(NULL));
	kctl_trace_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, tfix_setup, tfix_teardown)
		T(an_open_shows_the_lookup_and_the_connect_field_by_field),
		T(an_unknown_name_shows_the_kernels_answer_by_its_errno_name),
		T(a_request_and_its_reply_show_their_frame_headers),
		T(a_stream_read_shows_every_frame_it_holds),
		T(a_stream_read_cut_inside_a_frame_says_how_much_came),
		T(raw_data_and_a_truncated_record_show_bytes_and_msg_flags),
		T(options_show_level_number_value_and_length_in_and_out),
		T(a_dirty_sockaddr_shows_its_reserved_words),
		T(utun_shows_its_family_header_options_and_the_registration_list),
		T(lines_of_threads_never_interleave),
		T(a_tracer_on_an_fd_writes_whole_lines_and_the_time_if_asked),
		T(a_tracer_refuses_what_it_cannot_use),
#undef T
	};

	return cmocka_run_group_tests_name("trace_calls", tests, NULL, NULL);
}
