/*
 * cmd_utun.c - `kctl utun [N]`: opens utunN (or the first free one) through Apple's
 * utun control, prints its name, then each packet the system routes into it, with its
 * 4-byte family header decoded (Darwin's AF_INET 2, AF_INET6 30) and the IP header's
 * addresses and protocol, until interrupted or COUNT packets came. Root only on a Mac.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli.h"
#include "json.h"

#define SLICE_MS 200                /* how often the stop flag is looked at */
#define PACKET_CAP ((size_t)512 * 1024) /* utun's send size: no packet is longer */

struct utun {
	struct kctl_cli *cli;
	kctl_t *h;
	char ifname[KCTL_UTUN_IFNAME_MAX];
	int fmt;
	int dump; /* -o given: the packet's bytes are printed too */
};

/* What the IP header says, as far as the packet has one. */
struct ip_info {
	int version; /* 0: not an IP header */
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	unsigned proto;
};

static const char *family_name(uint32_t family)
{
	if (family == KCTL_UTUN_AF_INET)
		return "inet";
	if (family == KCTL_UTUN_AF_INET6)
		return "inet6";
	return "unknown";
}

static const char *proto_name(unsigned proto)
{
	switch (proto) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 58: return "icmp6";
	default: return NULL;
	}
}

static void ip_decode(const unsigned char *p, size_t len, struct ip_info *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (len >= 20 && p[0] >> 4 == 4) {
		ip->version = 4;
		ip->proto = p[9];
		inet_ntop(AF_INET, p + 12, ip->src, sizeof(ip->src));
		inet_ntop(AF_INET, p + 16, ip->dst, sizeof(ip->dst));
	} else if (len >= 40 && p[0] >> 4 == 6) {
		ip->version = 6;
		ip->proto = p[6]; /* the first next header */
		inet_ntop(AF_INET6, p + 8, ip->src, sizeof(ip->src));
		inet_ntop(AF_INET6, p + 24, ip->dst, sizeof(ip->dst));
	}
}

static void print_text(const struct utun *u, uint32_t family, const void *pkt, size_t len,
		       const struct ip_info *ip)
{
	printf("%s %s", u->ifname, family_name(family));
	if (family != KCTL_UTUN_AF_INET && family != KCTL_UTUN_AF_INET6)
		printf(" (family %u)", (unsigned)family);
	printf(" %zu bytes", len);
	if (ip->version != 0) {
		const char *pn = proto_name(ip->proto);

		printf(" %s > %s ", ip->src, ip->dst);
		if (pn != NULL)
			printf("%s", pn);
		else
			printf("proto %u", ip->proto);
	}
	fputc('\n', stdout);
	if (u->dump)
		kctl_cli_print_data(stdout, u->fmt, pkt, len);
	fflush(stdout);
}

static void print_json(const struct utun *u, uint32_t family, const void *pkt, size_t len,
		       const struct ip_info *ip)
{
	const char *pn = proto_name(ip->proto);
	struct kctl_json j;

	kctl_json_begin(&j, stdout, "packet");
	kctl_json_str(&j, "interface", u->ifname);
	kctl_json_u64(&j, "family", family);
	kctl_json_str(&j, "family_name", family_name(family));
	if (ip->version != 0) {
		kctl_json_u64(&j, "ip_version", (uint64_t)ip->version);
		kctl_json_str(&j, "src", ip->src);
		kctl_json_str(&j, "dst", ip->dst);
		kctl_json_u64(&j, "proto", ip->proto);
		if (pn != NULL)
			kctl_json_str(&j, "proto_name", pn);
	}
	kctl_cli_json_data(&j, u->fmt, pkt, len);
	kctl_json_end(&j);
}

/* Packets until `count` (0: no end) or a signal; 0 or an exit status. */
static int read_packets(struct utun *u, uint64_t count)
{
	unsigned char *pkt = malloc(PACKET_CAP);
	uint64_t n = 0;
	int status = 0;

	if (pkt == NULL)
		return kctl_cli_fail_msg(u->cli, "utun", "out of memory");
	kctl_set_timeout(u->h, SLICE_MS);
	while ((count == 0 || n < count) && !kctl_cli_stopped()) {
		struct ip_info ip;
		uint32_t family = 0;
		size_t len = 0;
		int rc = kctl_utun_read(u->h, pkt, PACKET_CAP, &len, &family);

		if (rc == -ETIMEDOUT)
			continue;
		if (rc == -EBADMSG) { /* shorter than its header: a Mac's utun never sends one */
			fprintf(stderr, "kctl: utun: a record shorter than the 4-byte header, "
				"dropped\n");
			continue;
		}
		if (rc < 0 && rc != -EPFNOSUPPORT) { /* an unknown family is still shown */
			status = kctl_cli_fail(u->cli, u->h, KCTL_CALL_RECV, "utun read", rc);
			break;
		}
		ip_decode(pkt, len, &ip);
		if (u->cli->json)
			print_json(u, family, pkt, len, &ip);
		else
			print_text(u, family, pkt, len, &ip);
		n++;
	}
	free(pkt);
	return status;
}

static int open_utun(struct utun *u, uint32_t num, uint32_t max_pending)
{
	const kctl_backend_t *be;
	int rc = kctl_cli_backend(u->cli, &be);

	if (rc != 0)
		return rc;
	rc = kctl_utun_open(be, num, 0, &u->h);
	if (rc < 0)
		return kctl_cli_fail(u->cli, NULL, KCTL_CALL_OPEN, "utun", rc);
	rc = kctl_utun_ifname(u->h, u->ifname, sizeof(u->ifname));
	if (rc == 0 && max_pending != 0)
		rc = kctl_utun_set_max_pending(u->h, max_pending);
	if (rc < 0)
		return kctl_cli_fail(u->cli, u->h, KCTL_CALL_OPTION, "utun", rc);
	if (u->cli->json) {
		struct kctl_json j;

		kctl_json_begin(&j, stdout, "interface");
		kctl_json_str(&j, "name", u->ifname);
		kctl_json_u64(&j, "unit", kctl_unit(u->h));
		kctl_json_end(&j);
	} else {
		printf("%s\n", u->ifname);
		fflush(stdout);
	}
	return 0;
}

static int run(struct kctl_cli *cli, int argc, char **argv)
{
	static const struct option own[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "max-pending", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct utun u = { .cli = cli, .fmt = KCTL_CLI_FMT_HEX };
	uint32_t num = KCTL_UTUN_ANY, max_pending = 0;
	int c = 0, status = 0;
	struct kctl_cli_getopt g;
	uint64_t count = 0;
	const char *arg;

	kctl_cli_getopt_init(&g, &kctl_cmd_utun, "n:p:o:", own);
	while (status == 0 && (c = kctl_cli_getopt(cli, &g, argc, argv, &arg, &status)) > 0) {
		if (c == 'n' && kctl_cli_u64(arg, &count) == 0)
			continue;
		if (c == 'p' && kctl_cli_u32(arg, &max_pending) == 0 && max_pending > 0)
			continue;
		if (c == 'o' && kctl_cli_format(arg, &u.fmt) == 0) {
			u.dump = 1;
			continue;
		}
		status = kctl_cli_usage(cli, "'%s' is not a valid %s", arg,
					c == 'o' ? "format (auto, text, hex, raw, attrs)" :
						   "number for this option");
	}
	if (c == KCTL_CLI_OPT_EXIT || status != 0)
		return status;
	status = kctl_cli_positionals(cli, argc, argv, 0, 1);
	if (status == 0 && optind < argc &&
	    (kctl_cli_u32(argv[optind], &num) != 0 || num > KCTL_UTUN_MAX))
		status = kctl_cli_usage(cli, "N '%s': want 0..%u (utunN)", argv[optind],
					(unsigned)KCTL_UTUN_MAX);
	if (status == 0) {
		kctl_cli_catch_signals();
		status = open_utun(&u, num, max_pending);
	}
	if (status == 0)
		status = read_packets(&u, count);
	kctl_close(u.h);
	return status;
}

const struct kctl_cli_cmd kctl_cmd_utun = {
	.name = "utun",
	.synopsis = "[N] [-n COUNT] [--max-pending N] [-o FORMAT]",
	.summary = "open interface utunN (default: the first free), print packets",
	.help = "Prints the interface's name, then one line per packet the system sends into\n"
		"it: the family of its 4-byte header (inet, inet6), its length, and the IP\n"
		"header's addresses and protocol. Root only (exit status 4 otherwise). The\n"
		"interface exists until kctl ends (SIGINT, SIGTERM: exit status 0).\n"
		"  -n, --count N        stop after N packets (default 0: no end)\n"
		"  -p, --max-pending N  packets the socket may hold (UTUN_OPT_MAX_PENDING_PACKETS)\n"
		"  -o, --output FORMAT  also print each packet's bytes: hex, text, raw, attrs\n",
	.run = run,
};
