/*
 * cmd_list.c - `kctl list`: every registered control, from the kernel's registration
 * list (kctl_list_each: net.systm.kctl.reg_list, what netstat reads).
 */
#include <inttypes.h>

#include "cli.h"
#include "json.h"
#include "kctl_abi.h"

static const struct {
	uint32_t bit;
	const char *name;
} flag_names[] = {
	{ KCTL_ABI_CTL_FLAG_PRIVILEGED, "privileged" },
	{ KCTL_ABI_CTL_FLAG_REG_ID_UNIT, "id_unit" },
	{ KCTL_ABI_CTL_FLAG_REG_SOCK_STREAM, "stream" },
	{ KCTL_ABI_CTL_FLAG_REG_EXTENDED, "extended" },
	{ KCTL_ABI_CTL_FLAG_REG_CRIT, "crit" },
	{ KCTL_ABI_CTL_FLAG_REG_SETUP, "setup" },
};

#define NFLAGS (sizeof(flag_names) / sizeof(flag_names[0]))

struct list_state {
	struct kctl_cli *cli;
	uint32_t n;
};

/* "privileged,stream", "-" for none; bits without a name as 0x... */
static void flags_text(uint32_t flags, char *buf, size_t cap)
{
	size_t len = 0;
	uint32_t rest = flags;

	buf[0] = '\0';
	for (size_t i = 0; i < NFLAGS; i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		rest &= ~flag_names[i].bit;
		len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%s%s",
					len ? "," : "", flag_names[i].name);
	}
	if (rest != 0)
		len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%s0x%" PRIx32,
					len ? "," : "", rest);
	if (len == 0)
		snprintf(buf, cap, "-");
}

static void json_ctl(const struct kctl_ctl_desc *d)
{
	struct kctl_json j;

	kctl_json_begin(&j, stdout, "control");
	kctl_json_u64(&j, "id", d->id);
	kctl_json_str(&j, "name", d->name);
	kctl_json_u64(&j, "flags", d->flags);
	kctl_json_open(&j, "flag_names", '[');
	for (size_t i = 0; i < NFLAGS; i++)
		if (d->flags & flag_names[i].bit)
			kctl_json_str(&j, NULL, flag_names[i].name);
	kctl_json_close(&j);
	if (d->reg_unit == KCTL_LIST_NO_UNIT)
		kctl_json_null(&j, "reg_unit");
	else
		kctl_json_u64(&j, "reg_unit", d->reg_unit);
	kctl_json_u64(&j, "units_in_use", d->units_in_use);
	kctl_json_u64(&j, "sendsize", d->sendsize);
	kctl_json_u64(&j, "recvsize", d->recvsize);
	kctl_json_end(&j);
}

static int one(const struct kctl_ctl_desc *d, void *arg)
{
	struct list_state *st = arg;
	char flags[128], unit[16] = "-";

	if (st->cli->json) {
		json_ctl(d);
	} else {
		if (st->n == 0)
			printf("%5s  %-28s %5s %5s %7s %7s  %s\n", "ID", "FLAGS", "UNITS", "UNIT",
			       "SEND", "RECV", "NAME");
		flags_text(d->flags, flags, sizeof(flags));
		if (d->reg_unit != KCTL_LIST_NO_UNIT)
			snprintf(unit, sizeof(unit), "%" PRIu32, d->reg_unit);
		printf("%5" PRIu32 "  %-28s %5" PRIu32 " %5s %7" PRIu32 " %7" PRIu32 "  %s\n",
		       d->id, flags, d->units_in_use, unit, d->sendsize, d->recvsize, d->name);
	}
	st->n++;
	return 0;
}

static int run(struct kctl_cli *cli, int argc, char **argv)
{
	struct list_state st = { .cli = cli, .n = 0 };
	const kctl_backend_t *be;
	int c, status = 0;

	if (kctl_cli_no_options(cli, &kctl_cmd_list, argc, argv, &status) != 0)
		return status;
	status = kctl_cli_positionals(cli, argc, argv, 0, 0);
	if (status == 0)
		status = kctl_cli_backend(cli, &be);
	if (status != 0)
		return status;
	c = kctl_list_each(be, one, &st);
	if (c < 0)
		return kctl_cli_fail(cli, NULL, KCTL_CALL_OPEN, "list", c);
	return 0;
}

const struct kctl_cli_cmd kctl_cmd_list = {
	.name = "list",
	.synopsis = "",
	.summary = "list every registered control: id, flags, units in use, buffer sizes",
	.help = "Reads the kernel's registration list (net.systm.kctl.reg_list, what netstat\n"
		"reads). Columns: ID, FLAGS (privileged, id_unit, stream, and the\n"
		"kernel-private extended, crit, setup), UNITS (client sockets attached now),\n"
		"UNIT (the unit of an id_unit control), SEND and RECV (buffer sizes in\n"
		"bytes), NAME.\n",
	.run = run,
};
