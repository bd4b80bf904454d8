/*
 * cmd_option.c - `kctl get NAME OPT TYPE` and `kctl set NAME OPT TYPE VALUE`: the
 * control's socket options (level SYSPROTO_CONTROL), typed as libkctl's calls type them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json.h"

#define GET_DEFAULT_SIZE 4096u

struct opt_cmd {
	const char *name;
	uint32_t opt;
	const char *type;
	size_t size; /* get hex/str: the buffer offered */
};

static void json_head(struct kctl_json *j, const kctl_t *h, const struct opt_cmd *o)
{
	kctl_json_begin(j, stdout, "option");
	kctl_json_str(j, "name", o->name);
	kctl_json_u64(j, "unit", kctl_unit(h));
	kctl_json_u64(j, "opt", o->opt);
	kctl_json_str(j, "type", o->type);
}

static void print_number(const struct kctl_cli *cli, const kctl_t *h,
			 const struct opt_cmd *o, const char *key, uint64_t v)
{
	struct kctl_json j;

	if (!cli->json) {
		printf("%" PRIu64 "\n", v);
		return;
	}
	json_head(&j, h, o);
	kctl_json_u64(&j, key, v);
	kctl_json_end(&j);
}

static int get_bytes(struct kctl_cli *cli, kctl_t *h, const struct opt_cmd *o)
{
	unsigned char *buf = calloc(1, o->size ? o->size : 1);
	size_t len = 0;
	int rc;

	if (buf == NULL)
		return kctl_cli_fail_msg(cli, "get", "out of memory");
	if (strcmp(o->type, "str") == 0) {
		rc = kctl_get_str(h, o->opt, (char *)buf, o->size);
		len = rc == 0 ? strlen((char *)buf) : 0;
	} else {
		rc = kctl_getopt(h, o->opt, buf, o->size, &len);
	}
	if (rc < 0) {
		free(buf);
		return kctl_cli_fail(cli, h, KCTL_CALL_OPTION, "getsockopt", rc);
	}
	if (cli->json) {
		struct kctl_json j;

		json_head(&j, h, o);
		if (strcmp(o->type, "str") == 0)
			kctl_json_strn(&j, "value", buf, len);
		else
			kctl_json_hex(&j, "value", buf, len);
		kctl_json_u64(&j, "len", len);
		kctl_json_end(&j);
	} else if (strcmp(o->type, "str") == 0) {
		printf("%s\n", (char *)buf);
	} else {
		kctl_cli_print_data(stdout, KCTL_CLI_FMT_HEX, buf, len);
	}
	free(buf);
	return 0;
}

static int get(struct kctl_cli *cli, kctl_t *h, const struct opt_cmd *o)
{
	uint64_t v64 = 0;
	uint32_t v32 = 0;
	size_t size = 0;
	int rc;

	if (strcmp(o->type, "u32") == 0) {
		rc = kctl_get_u32(h, o->opt, &v32);
		v64 = v32;
	} else if (strcmp(o->type, "u64") == 0) {
		rc = kctl_get_u64(h, o->opt, &v64);
	} else if (strcmp(o->type, "size") == 0) {
		rc = kctl_getopt_size(h, o->opt, &size);
		v64 = size;
	} else {
		return get_bytes(cli, h, o);
	}
	if (rc < 0)
		return kctl_cli_fail(cli, h, KCTL_CALL_OPTION, "getsockopt", rc);
	print_number(cli, h, o, strcmp(o->type, "size") == 0 ? "size" : "value", v64);
	return 0;
}

static const char *const get_types[] = { "u32", "u64", "str", "hex", "size", NULL };
static const char *const set_types[] = { "u32", "u64", "str", "hex", NULL };

static int known(const char *const *types, const char *t)
{
	for (size_t i = 0; types[i] != NULL; i++)
		if (strcmp(types[i], t) == 0)
			return 1;
	return 0;
}

/* NAME OPT TYPE from the positionals; 0 or a usage error. */
static int parse_head(struct kctl_cli *cli, char **argv, const char *const *types,
		      struct opt_cmd *o)
{
	o->name = argv[optind];
	o->type = argv[optind + 2];
	if (kctl_cli_u32(argv[optind + 1], &o->opt) != 0)
		return kctl_cli_usage(cli, "OPT '%s' is not a number", argv[optind + 1]);
	if (!known(types, o->type))
		return kctl_cli_usage(cli, "TYPE '%s' is not one of %s", o->type,
				      types == get_types ? "u32, u64, str, hex, size" :
							   "u32, u64, str, hex");
	return 0;
}

static int run_get(struct kctl_cli *cli, int argc, char **argv)
{
	static const struct option own[] = { { "size", required_argument, NULL, 'n' },
					     { NULL, 0, NULL, 0 } };
	struct opt_cmd o = { .size = GET_DEFAULT_SIZE };
	struct kctl_cli_getopt g;
	kctl_t *h = NULL;
	const char *arg;
	int c, status = 0;

	kctl_cli_getopt_init(&g, &kctl_cmd_get, "n:", own);
	while ((c = kctl_cli_getopt(cli, &g, argc, argv, &arg, &status)) > 0) {
		uint32_t n;

		if (kctl_cli_u32(arg, &n) != 0 || n == 0 || n > KCTL_OPT_MAX)
			return kctl_cli_usage(cli, "--size '%s': want 1..%u bytes", arg,
					      (unsigned)KCTL_OPT_MAX);
		o.size = n;
	}
	if (c == KCTL_CLI_OPT_EXIT)
		return status;
	status = kctl_cli_positionals(cli, argc, argv, 3, 3);
	if (status == 0)
		status = parse_head(cli, argv, get_types, &o);
	if (status == 0)
		status = kctl_cli_open(cli, o.name, &h);
	if (status != 0)
		return status;
	status = get(cli, h, &o);
	kctl_close(h);
	return status;
}

/* A value for `set`, checked before the control is opened. */
struct set_value {
	struct kctl_cli_payload bytes; /* hex */
	uint64_t v;                    /* u32, u64 */
	const char *str;               /* str */
};

static int parse_value(struct kctl_cli *cli, const struct opt_cmd *o, const char *value,
		       struct set_value *sv)
{
	if (strcmp(o->type, "str") == 0) {
		sv->str = value;
		return 0;
	}
	if (strcmp(o->type, "hex") == 0)
		return kctl_cli_payload_opt(cli, &sv->bytes, 'x', value);
	if (kctl_cli_u64(value, &sv->v) != 0 ||
	    (strcmp(o->type, "u32") == 0 && sv->v > UINT32_MAX))
		return kctl_cli_usage(cli, "VALUE '%s' is not a %s", value, o->type);
	return 0;
}

static int set(struct kctl_cli *cli, kctl_t *h, const struct opt_cmd *o,
	       const struct set_value *sv)
{
	size_t len;
	int rc;

	if (sv->str != NULL) {
		rc = kctl_set_str(h, o->opt, sv->str);
		len = strlen(sv->str) + 1;
	} else if (strcmp(o->type, "hex") == 0) {
		rc = kctl_setopt(h, o->opt, sv->bytes.data, sv->bytes.len);
		len = sv->bytes.len;
	} else if (strcmp(o->type, "u32") == 0) {
		rc = kctl_set_u32(h, o->opt, (uint32_t)sv->v);
		len = 4;
	} else {
		rc = kctl_set_u64(h, o->opt, sv->v);
		len = 8;
	}
	if (rc < 0)
		return kctl_cli_fail(cli, h, KCTL_CALL_OPTION, "setsockopt", rc);
	if (cli->json) {
		struct kctl_json j;

		json_head(&j, h, o);
		kctl_json_u64(&j, "len", len);
		kctl_json_end(&j);
	}
	return 0;
}

static int run_set(struct kctl_cli *cli, int argc, char **argv)
{
	struct set_value sv = { 0 };
	struct opt_cmd o = { 0 };
	kctl_t *h = NULL;
	int status = 0;

	if (kctl_cli_no_options(cli, &kctl_cmd_set, argc, argv, &status) != 0)
		return status;
	status = kctl_cli_positionals(cli, argc, argv, 4, 4);
	if (status == 0)
		status = parse_head(cli, argv, set_types, &o);
	if (status == 0)
		status = parse_value(cli, &o, argv[optind + 3], &sv);
	if (status == 0)
		status = kctl_cli_open(cli, o.name, &h);
	if (status == 0)
		status = set(cli, h, &o, &sv);
	kctl_close(h);
	kctl_cli_payload_free(&sv.bytes);
	return status;
}

const struct kctl_cli_cmd kctl_cmd_get = {
	.name = "get",
	.synopsis = "NAME OPT u32|u64|str|hex|size [--size N]",
	.summary = "print the value of the control's option OPT",
	.help = "TYPE says how to read it: u32 and u64 (the control must answer exactly 4 or 8\n"
		"bytes), str (a string, its NUL optional), hex (any bytes), size (the size\n"
		"query: getsockopt with no buffer, the length the control reports).\n"
		"  -n, --size N  offer N bytes for str and hex (default 4096)\n",
	.run = run_get,
};

const struct kctl_cli_cmd kctl_cmd_set = {
	.name = "set",
	.synopsis = "NAME OPT u32|u64|str|hex VALUE",
	.summary = "set the control's option OPT to VALUE",
	.help = "TYPE says how VALUE is sent: u32 and u64 (a number, host byte order), str\n"
		"(the string and its NUL), hex (bytes written in hex; \"\" sends none).\n",
	.run = run_set,
};
