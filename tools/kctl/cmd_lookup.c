/*
 * cmd_lookup.c - `kctl id NAME` (CTLIOCGINFO) and `kctl count` (CTLIOCGCOUNT).
 */
#include <inttypes.h>

#include "cli.h"
#include "json.h"

static int run_id(struct kctl_cli *cli, int argc, char **argv)
{
	const kctl_backend_t *be;
	struct kctl_error why;
	const char *name;
	uint32_t id = 0;
	int status = 0, rc;

	if (kctl_cli_no_options(cli, &kctl_cmd_id, argc, argv, &status) != 0)
		return status;
	status = kctl_cli_positionals(cli, argc, argv, 1, 1);
	if (status == 0)
		status = kctl_cli_backend(cli, &be);
	if (status != 0)
		return status;
	name = argv[optind];
	rc = kctl_lookup_ex(be, name, &id, &why);
	if (rc < 0)
		return kctl_cli_fail_why(cli, &why, name);
	if (cli->json) {
		struct kctl_json j;

		kctl_json_begin(&j, stdout, "id");
		kctl_json_str(&j, "name", name);
		kctl_json_u64(&j, "id", id);
		kctl_json_end(&j);
	} else {
		printf("%" PRIu32 "\n", id);
	}
	return 0;
}

static int run_count(struct kctl_cli *cli, int argc, char **argv)
{
	const kctl_backend_t *be;
	uint32_t n = 0;
	int status = 0, rc;

	if (kctl_cli_no_options(cli, &kctl_cmd_count, argc, argv, &status) != 0)
		return status;
	status = kctl_cli_positionals(cli, argc, argv, 0, 0);
	if (status == 0)
		status = kctl_cli_backend(cli, &be);
	if (status != 0)
		return status;
	rc = kctl_count(be, &n);
	if (rc < 0)
		return kctl_cli_fail(cli, NULL, KCTL_CALL_OPEN, "count", rc);
	if (cli->json) {
		struct kctl_json j;

		kctl_json_begin(&j, stdout, "count");
		kctl_json_u64(&j, "count", n);
		kctl_json_end(&j);
	} else {
		printf("%" PRIu32 "\n", n);
	}
	return 0;
}

const struct kctl_cli_cmd kctl_cmd_id = {
	.name = "id",
	.synopsis = "NAME",
	.summary = "print the id of the control called NAME",
	.help = "The name is matched exactly, case included (CTLIOCGINFO). No such control:\n"
		"exit status 3.\n",
	.run = run_id,
};

const struct kctl_cli_cmd kctl_cmd_count = {
	.name = "count",
	.synopsis = "",
	.summary = "print how many controls are registered",
	.help = "",
	.run = run_count,
};
