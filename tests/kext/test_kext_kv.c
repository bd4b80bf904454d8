/* Sample's per-unit key/value store: set, get, delete, and every bound it enforces. */
#include "kext_fixture.h"

static void a_value_set_is_read_back_overwritten_and_deleted(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	char v[SAMPLE_KV_VALUE_MAX];
	size_t vlen = 0;

	assert_int_equal(kx_kv_set(h, "colour", "blue", 4), 0);
	assert_int_equal(kx_kv_get(h, "colour", v, sizeof(v), &vlen), 0);
	assert_int_equal(vlen, 4);
	assert_memory_equal(v, "blue", 4);
	assert_int_equal(kx_kv_set(h, "colour", "green!", 6), 0);
	assert_int_equal(kx_kv_get(h, "colour", v, sizeof(v), &vlen), 0);
	assert_int_equal(vlen, 6);
	assert_memory_equal(v, "green!", 6);
	assert_int_equal(kx_kv_del(h, "colour"), 0);
	assert_int_equal(kx_kv_get(h, "colour", v, sizeof(v), &vlen), -ENOENT);
	assert_int_equal(kx_kv_del(h, "colour"), -ENOENT);
	kctl_close(h);
}

static void an_empty_value_and_the_largest_value_are_both_kept(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 1);
	unsigned char big[SAMPLE_KV_VALUE_MAX], v[SAMPLE_KV_VALUE_MAX];
	size_t vlen = 99;

	memset(big, 0xA5, sizeof(big));
	assert_int_equal(kx_kv_set(h, "empty", "", 0), 0);
	assert_int_equal(kx_kv_get(h, "empty", v, sizeof(v), &vlen), 0);
	assert_int_equal(vlen, 0);
	assert_int_equal(kx_kv_set(h, "big", big, sizeof(big)), 0);
	assert_int_equal(kx_kv_get(h, "big", v, sizeof(v), &vlen), 0);
	assert_int_equal(vlen, sizeof(big));
	assert_memory_equal(v, big, sizeof(big));
	kctl_close(h);
}

static void a_value_one_byte_too_long_is_answered_emsgsize(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	unsigned char big[SAMPLE_KV_VALUE_MAX + 1] = { 0 };
	char v[8];
	size_t vlen = 0;

	assert_int_equal(kx_kv_set(h, "k", big, sizeof(big)), -EMSGSIZE);
	assert_int_equal(kx_kv_get(h, "k", v, sizeof(v), &vlen), -ENOENT);
	kctl_close(h);
}

static void keys_must_be_one_to_thirty_one_bytes(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	char key31[32], key32[33];

	memset(key31, 'k', 31);
	key31[31] = '\0';
	memset(key32, 'k', 32);
	key32[32] = '\0';
	assert_int_equal(kx_kv_set(h, key31, "v", 1), 0);
	assert_int_equal(kx_kv_set(h, key32, "v", 1), -EINVAL);
	assert_int_equal(kx_kv_set(h, "", "v", 1), -EINVAL);
	kctl_close(h);
}

static void a_request_without_key_or_value_is_answered_einval(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	struct kx_msg m;
	uint64_t reply[8];

	assert_int_equal(kx_call(h, SAMPLE_MSG_KV_GET, NULL, reply, sizeof(reply), NULL), -EINVAL);
	kx_msg_init(&m);
	assert_int_equal(kctl_attr_put_str(m.buf, sizeof(m.buf), SAMPLE_ATTR_KEY, "k"), 0);
	assert_int_equal(kx_call(h, SAMPLE_MSG_KV_SET, &m, reply, sizeof(reply), NULL), -EINVAL);
	kctl_close(h);
}

static void a_key_that_is_not_a_string_is_answered_einval(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	struct kx_msg m;
	uint64_t reply[8];

	kx_msg_init(&m); /* "ab" without its NUL */
	assert_int_equal(kctl_attr_put(m.buf, sizeof(m.buf), SAMPLE_ATTR_KEY, "ab", 2), 0);
	assert_int_equal(kx_call(h, SAMPLE_MSG_KV_GET, &m, reply, sizeof(reply), NULL), -EINVAL);
	kx_msg_init(&m); /* a NUL inside */
	assert_int_equal(kctl_attr_put(m.buf, sizeof(m.buf), SAMPLE_ATTR_KEY, "a\0b", 4), 0);
	assert_int_equal(kx_call(h, SAMPLE_MSG_KV_GET, &m, reply, sizeof(reply), NULL), -EINVAL);
	kctl_close(h);
}

static void the_store_holds_sixteen_keys_and_answers_enospc_for_more(void **state)
{
	struct kx *k = *state;
	kctl_t *h = kx_open(k, 0);
	char key[16];

	for (unsigned i = 0; i < SAMPLE_KV_ENTRIES; i++) {
		snprintf(key, sizeof(key), "key%u", i);
		assert_int_equal(kx_kv_set(h, key, &i, sizeof(i)), 0);
	}
	assert_int_equal(kx_kv_set(h, "one-more", "x", 1), -ENOSPC);
	assert_int_equal(kx_kv_set(h, "key3", "replaced", 8), 0); /* overwriting needs no slot */
	assert_int_equal(kx_kv_del(h, "key0"), 0);
	assert_int_equal(kx_kv_set(h, "one-more", "x", 1), 0);
	kctl_close(h);
}

static void units_do_not_see_each_others_keys(void **state)
{
	struct kx *k = *state;
	kctl_t *a = kx_open(k, 0), *b = kx_open(k, 0);
	char v[8];
	size_t vlen = 0;

	assert_int_equal(kx_kv_set(a, "mine", "a", 1), 0);
	assert_int_equal(kx_kv_get(b, "mine", v, sizeof(v), &vlen), -ENOENT);
	kctl_close(a);
	kctl_close(b);
}

static void a_reconnected_unit_starts_with_an_empty_store(void **state)
{
	struct kx *k = *state;
	kctl_t *a = kx_open(k, 0);
	char v[8];
	size_t vlen = 0;

	assert_int_equal(kx_kv_set(a, "gone", "a", 1), 0);
	kctl_close(a);
	a = kx_open(k, 0); /* the same unit number again */
	assert_int_equal(kx_kv_get(a, "gone", v, sizeof(v), &vlen), -ENOENT);
	kctl_close(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_value_set_is_read_back_overwritten_and_deleted,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(an_empty_value_and_the_largest_value_are_both_kept,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(a_value_one_byte_too_long_is_answered_emsgsize,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(keys_must_be_one_to_thirty_one_bytes, kx_setup,
						kx_teardown),
		cmocka_unit_test_setup_teardown(a_request_without_key_or_value_is_answered_einval,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(a_key_that_is_not_a_string_is_answered_einval,
						kx_setup, kx_teardown),
		cmocka_unit_test_setup_teardown(
			the_store_holds_sixteen_keys_and_answers_enospc_for_more, kx_setup,
			kx_teardown),
		cmocka_unit_test_setup_teardown(units_do_not_see_each_others_keys, kx_setup,
						kx_teardown),
		cmocka_unit_test_setup_teardown(a_reconnected_unit_starts_with_an_empty_store,
						kx_setup, kx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
