/*
 * Segmented mbufs: the sample works with any segment size because it reads with
 * mbuf_copydata; a kext that treats mbuf_data() as the whole packet (below, on purpose)
 * visibly fails. Also the shim's mbuf calls against XNU's documented edge cases, and
 * its ctl_getenqueuereadable.
 */
#include <sys/kern_control.h>
#include <sys/kpi_mbuf.h>
#include <mach/kmod.h>

#include "kext_fixture.h"

static int setup_seg16(void **state)
{
	return kx_setup_seg(state, 16);
}

static int setup_seg1(void **state)
{
	return kx_setup_seg(state, 1);
}

static void round_trip_everything(struct kx *k)
{
	static unsigned char out[SAMPLE_MAX_FRAME - KCTL_FRAME_HDR_LEN], back[SAMPLE_MAX_FRAME];

	for (size_t i = 0; i < sizeof(out); i++)
		out[i] = (unsigned char)(i ^ 0x5A);
	for (int stream = 0; stream <= 1; stream++) {
		kctl_t *h = kx_open(k, stream);
		char v[8];
		size_t rlen = 0, vlen = 0;

		assert_int_equal(kctl_request(h, SAMPLE_MSG_ECHO, out, sizeof(out), back,
					      sizeof(back), &rlen), 0);
		assert_int_equal(rlen, sizeof(out));
		assert_memory_equal(back, out, sizeof(out));
		assert_int_equal(kx_kv_set(h, "a-key-that-spans-segments", "value!", 6), 0);
		assert_int_equal(kx_kv_get(h, "a-key-that-spans-segments", v, sizeof(v), &vlen), 0);
		assert_memory_equal(v, "value!", 6);
		assert_int_equal(kx_counter(h, 7), 7);
		kctl_close(h);
	}
}

static void the_sample_works_with_sixteen_byte_segments(void **state)
{
	round_trip_everything(*state);
}

static void the_sample_works_with_one_byte_segments(void **state)
{
	round_trip_everything(*state);
}

/* ---- a deliberately naive kext: echoes mbuf_data(m) for mbuf_len(m) bytes ---- */

static kern_ctl_ref naive_ref;

static errno_t naive_connect(kern_ctl_ref ref, struct sockaddr_ctl *sac, void **unitinfo)
{
	(void)ref;
	(void)sac;
	*unitinfo = NULL;
	return 0;
}

static errno_t naive_send(kern_ctl_ref ref, u_int32_t unit, void *unitinfo, mbuf_t m,
			  int flags)
{
	/* WRONG on purpose: the first segment is not the packet */
	errno_t err = ctl_enqueuedata(ref, unit, mbuf_data(m), mbuf_len(m), CTL_DATA_EOR);

	(void)unitinfo;
	(void)flags;
	mbuf_freem(m);
	return err;
}

static kern_return_t naive_start(kmod_info_t *ki, void *data)
{
	struct kern_ctl_reg r;

	(void)ki;
	(void)data;
	memset(&r, 0, sizeof(r));
	strcpy(r.ctl_name, "org.libkctl.test.naive");
	r.ctl_connect = naive_connect;
	r.ctl_send = naive_send;
	return ctl_register(&r, &naive_ref) == 0 ? KERN_SUCCESS : KERN_FAILURE;
}

static kern_return_t naive_stop(kmod_info_t *ki, void *data)
{
	(void)ki;
	(void)data;
	return ctl_deregister(naive_ref) == 0 ? KERN_SUCCESS : KERN_FAILURE;
}

static kmod_info_t naive_kmod = { NULL, KMOD_INFO_VERSION, UINT32_MAX,
				  "org.libkctl.test.naive", "1.0", -1, NULL, 0, 0, 0,
				  naive_start, naive_stop };

static void a_kext_assuming_contiguous_mbufs_loses_data_where_the_sample_does_not(
	void **state)
{
	struct kx *k = *state;
	kctl_kpi_kext_t *naive = NULL;
	kctl_t *h = NULL;
	unsigned char out[300], back[400];
	size_t got = 0;

	memset(out, 'n', sizeof(out));
	assert_int_equal(kctl_kpi_load(k->sim, &naive_kmod, &naive), 0);
	assert_int_equal(kctl_open_name(k->be, "org.libkctl.test.naive", 0, 0, &h), 0);
	assert_int_equal(kctl_send(h, out, sizeof(out), NULL), 0);
	assert_int_equal(kctl_recv(h, back, sizeof(back), &got, NULL), 0);
	assert_int_equal(got, 128); /* one default segment, not 300 bytes */
	kctl_close(h);
	assert_int_equal(kctl_kpi_unload(naive), 0);
	round_trip_everything(k); /* the sample, same kernel, same segments: intact */
}

/*
 * ctl_getenqueuereadable through the shim, as kern_control.c computes it: the bytes
 * still needed before the client's socket polls readable (low-water mark 1 minus the
 * bytes queued), 0 once it does. The naive kext echoes the first segment of a send.
 */
static void ctl_getenqueuereadable_is_the_bytes_missing_before_the_socket_is_readable(
	void **state)
{
	struct kx *k = *state;
	kctl_kpi_kext_t *naive = NULL;
	kctl_t *h = NULL;
	u_int32_t diff = 99, unit;
	unsigned char back[16];
	size_t got = 0;

	assert_int_equal(kctl_kpi_load(k->sim, &naive_kmod, &naive), 0);
	assert_int_equal(kctl_open_name(k->be, "org.libkctl.test.naive", 0, 0, &h), 0);
	unit = kctl_unit(h);
	assert_int_equal(ctl_getenqueuereadable(naive_ref, unit, &diff), 0);
	assert_int_equal(diff, 1);
	assert_int_equal(kctl_send(h, "abc", 3, NULL), 0);
	assert_int_equal(ctl_getenqueuereadable(naive_ref, unit, &diff), 0);
	assert_int_equal(diff, 0);
	assert_int_equal(kctl_recv(h, back, sizeof(back), &got, NULL), 0);
	assert_int_equal(got, 3);
	assert_int_equal(ctl_getenqueuereadable(naive_ref, unit, &diff), 0);
	assert_int_equal(diff, 1);
	assert_int_equal(ctl_getenqueuereadable(naive_ref, unit + 1, &diff), EINVAL);
	assert_int_equal(ctl_getenqueuereadable(naive_ref, unit, NULL), EINVAL);
	kctl_close(h);
	assert_int_equal(kctl_kpi_unload(naive), 0);
}

/* ---- the shim's mbuf calls, as XNU documents them ---- */

static void mbuf_allocpacket_follows_xnu_on_lengths_and_chunk_limits(void **state)
{
	mbuf_t m = NULL;
	unsigned int chunks = 0;

	(void)state; /* 16-byte segments */
	assert_int_equal(mbuf_allocpacket(MBUF_DONTWAIT, 0, NULL, &m), EINVAL);
	assert_int_equal(mbuf_allocpacket(MBUF_DONTWAIT, 100, &chunks, &m), 0);
	assert_int_equal(chunks, 7);
	assert_int_equal(mbuf_pkthdr_len(m), 100);
	assert_int_equal(mbuf_len(m), 16);
	assert_non_null(mbuf_next(m));
	mbuf_freem(m);
	chunks = 2;
	m = NULL;
	assert_int_equal(mbuf_allocpacket(MBUF_WAITOK, 100, &chunks, &m), ENOBUFS);
	assert_null(m);
}

static void mbuf_copydata_refuses_ranges_past_the_chain_and_allows_empty_copies(void **state)
{
	mbuf_t m = NULL;
	unsigned char in[40], out[40];

	(void)state;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)i;
	assert_int_equal(mbuf_allocpacket(MBUF_DONTWAIT, sizeof(in), NULL, &m), 0);
	assert_int_equal(mbuf_copyback(m, 0, sizeof(in), in, MBUF_DONTWAIT), 0);
	assert_int_equal(mbuf_copydata(m, 5, 30, out), 0);
	assert_memory_equal(out, in + 5, 30);
	assert_int_equal(mbuf_copydata(m, 30, 11, out), EINVAL);
	assert_int_equal(mbuf_copydata(m, 41, 0, out), 0);
	assert_int_equal(mbuf_copydata(m, 0, 0x80000000u, out), EINVAL);
	mbuf_freem(m);
}

static void mbuf_copyback_grows_the_chain_and_its_packet_length(void **state)
{
	mbuf_t m = NULL;
	unsigned char in[50], out[60];

	(void)state;
	memset(in, 'g', sizeof(in));
	assert_int_equal(mbuf_allocpacket(MBUF_DONTWAIT, 10, NULL, &m), 0);
	assert_int_equal(mbuf_copyback(m, 10, sizeof(in), in, MBUF_DONTWAIT), 0);
	assert_int_equal(mbuf_pkthdr_len(m), 60);
	assert_int_equal(mbuf_copydata(m, 10, 50, out), 0);
	assert_memory_equal(out, in, 50);
	assert_int_equal(mbuf_copyback(m, 0, 0, in, MBUF_DONTWAIT), EINVAL);
	m = mbuf_free(m); /* frees one segment, returns the rest */
	assert_non_null(m);
	mbuf_freem(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(the_sample_works_with_sixteen_byte_segments,
						setup_seg16, kx_teardown),
		cmocka_unit_test_setup_teardown(the_sample_works_with_one_byte_segments,
						setup_seg1, kx_teardown),
		cmocka_unit_test_setup_teardown(
			a_kext_assuming_contiguous_mbufs_loses_data_where_the_sample_does_not,
			kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(
			ctl_getenqueuereadable_is_the_bytes_missing_before_the_socket_is_readable,
			kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(
			mbuf_allocpacket_follows_xnu_on_lengths_and_chunk_limits, setup_seg16,
			kx_teardown),
		cmocka_unit_test_setup_teardown(
			mbuf_copydata_refuses_ranges_past_the_chain_and_allows_empty_copies,
			setup_seg16, kx_teardown),
		cmocka_unit_test_setup_teardown(mbuf_copyback_grows_the_chain_and_its_packet_length,
						setup_seg16, kx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
