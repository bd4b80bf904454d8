/*
 * A read-mostly rule table under lck_rw with _MALLOC'd entries (RuleStore): edits and
 * lookups behave, the upgrade from shared to exclusive holds under concurrent clients,
 * and unloading frees every rule.
 */
#include "kpi_fixture.h"
#include "rules_kext.h"

static int setup(void **state)
{
	struct kpi *k;

	if (kpi_setup(state) != 0)
		return -1;
	k = *state;
	return kpi_load(k, "RuleStore", &k->kext);
}

static uint32_t count(kctl_t *h)
{
	uint32_t n = 0;

	assert_int_equal(kctl_get_u32(h, RULES_OPT_COUNT, &n), 0);
	return n;
}

static char ask(kctl_t *h, const char *name)
{
	char answer[4];

	assert_int_equal(kctl_send(h, name, strlen(name), NULL), 0);
	assert_int_equal(kpi_recv_text(h, answer, sizeof(answer)), 1);
	return answer[0];
}

static void rules_are_added_listed_and_removed(void **state)
{
	struct kpi *k = *state;
	kctl_t *h = kpi_open(k, RULES_CTL_NAME, 0, 0);
	char list[64];
	size_t size = 0, len = 0;

	assert_int_equal(kctl_setopt(h, RULES_OPT_ADD, "com.apple.", 10), 0);
	assert_int_equal(kctl_setopt(h, RULES_OPT_ADD, "org.", 4), 0);
	assert_int_equal(kctl_setopt(h, RULES_OPT_ADD, "org.", 4), -EEXIST);
	assert_int_equal(kctl_setopt(h, RULES_OPT_ADD, NULL, 0), -EINVAL);
	assert_int_equal(count(h), 2);
	/* the size query (data NULL) and then the list itself */
	assert_int_equal(kctl_getopt_size(h, RULES_OPT_LIST, &size), 0);
	assert_int_equal(size, 16);
	assert_int_equal(kctl_getopt(h, RULES_OPT_LIST, list, sizeof(list), &len), 0);
	assert_int_equal(len, 16);
	assert_memory_equal(list, "com.apple.\0org.\0", 16);
	assert_int_equal(kctl_setopt(h, RULES_OPT_DEL, "org.", 4), 0);
	assert_int_equal(kctl_setopt(h, RULES_OPT_DEL, "org.", 4), -ENOENT);
	assert_int_equal(count(h), 1);
	assert_int_equal(kctl_setopt(h, RULES_OPT_CLEAR, NULL, 0), 0);
	assert_int_equal(count(h), 0);
	kctl_close(h);
}

static void names_match_by_prefix_and_hits_are_counted(void **state)
{
	struct kpi *k = *state;
	kctl_t *h = kpi_open(k, RULES_CTL_NAME, 0, 0);
	uint64_t hits = 0;

	assert_int_equal(kctl_setopt(h, RULES_OPT_ADD, "com.apple.", 10), 0);
	assert_int_equal(ask(h, "com.apple.safari"), '1');
	assert_int_equal(ask(h, "org.example"), '0');
	assert_int_equal(ask(h, "com.apple"), '0');
	assert_int_equal(kctl_get_u64(h, RULES_OPT_HITS, &hits), 0);
	assert_int_equal(hits, 1);
	kctl_close(h);
}

struct asker {
	struct kpi *k;
	unsigned matched;
};

static void *asker_main(void *arg)
{
	struct asker *a = arg;
	kctl_t *h = NULL;
	char answer[4];

	if (kctl_open_name(a->k->be, RULES_CTL_NAME, 0, 0, &h) != 0)
		return NULL;
	kctl_set_timeout(h, KPI_TIMEOUT_MS);
	for (int i = 0; i < 200; i++) {
		size_t got = 0;

		if (kctl_send(h, "com.apple.x", 11, NULL) != 0 ||
		    kctl_recv(h, answer, sizeof(answer), &got, NULL) != 0 || got != 1)
			break;
		a->matched += answer[0] == '1';
	}
	kctl_close(h);
	return NULL;
}

/* Four clients look up while one edits: every hit a client saw was counted once. */
static void concurrent_lookups_and_edits_stay_consistent(void **state)
{
	struct kpi *k = *state;
	kctl_t *editor = kpi_open(k, RULES_CTL_NAME, 0, 0);
	struct asker askers[4];
	pthread_t t[4];
	uint64_t hits = 0;
	unsigned seen = 0;

	assert_int_equal(kctl_setopt(editor, RULES_OPT_ADD, "com.", 4), 0);
	for (int i = 0; i < 4; i++) {
		askers[i].k = k;
		askers[i].matched = 0;
		assert_int_equal(pthread_create(&t[i], NULL, asker_main, &askers[i]), 0);
	}
	for (int i = 0; i < 100; i++) {
		assert_int_equal(kctl_setopt(editor, RULES_OPT_ADD, "com.apple.", 10), 0);
		assert_int_equal(kctl_setopt(editor, RULES_OPT_DEL, "com.apple.", 10), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		seen += askers[i].matched;
	}
	assert_int_equal(seen, 4 * 200); /* "com." matches throughout */
	assert_int_equal(kctl_get_u64(editor, RULES_OPT_HITS, &hits), 0);
	assert_int_equal(hits, seen);
	kctl_close(editor);
}

static void unloading_frees_every_rule(void **state)
{
	struct kpi *k = *state;
	kctl_t *h = kpi_open(k, RULES_CTL_NAME, 0, 0);

	assert_int_equal(kctl_setopt(h, RULES_OPT_ADD, "a", 1), 0);
	assert_int_equal(kctl_setopt(h, RULES_OPT_ADD, "b", 1), 0);
	kctl_close(h);
	/* a rule left behind would be a leak the sanitizers and valgrind report */
	assert_int_equal(kctl_kpi_unload(k->kext), 0);
	k->kext = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rules_are_added_listed_and_removed, setup,
						kpi_teardown),
		cmocka_unit_test_setup_teardown(names_match_by_prefix_and_hits_are_counted, setup,
						kpi_teardown),
		cmocka_unit_test_setup_teardown(concurrent_lookups_and_edits_stay_consistent, setup,
						kpi_teardown),
		cmocka_unit_test_setup_teardown(unloading_frees_every_rule, setup, kpi_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
