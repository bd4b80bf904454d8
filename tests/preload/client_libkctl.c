/*
 * client_libkctl.c - a program linked with libkctl, using the native backend (NULL):
 * under `kctl-sim run` its calls reach the simulated kernel exactly as a raw-BSD
 * program's do; run plainly on Linux the kernel itself answers EAFNOSUPPORT
 * (`client_libkctl --plain`).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <kctl.h>

#include "sample_proto.h"

static int passed, failed;

#define CHECK(cond, what)                                                           \
	do {                                                                        \
		if (cond)                                                           \
			passed++;                                                   \
		else {                                                              \
			failed++;                                                   \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, what);       \
		}                                                                   \
	} while (0)

int main(int argc, char **argv)
{
	char reply[64];
	size_t len = 0;
	uint32_t count = 0, id = 0;
	kctl_t *h = NULL;
	int rc;

	if (argc == 2 && strcmp(argv[1], "--plain") == 0) {
		CHECK(kctl_open_name(NULL, SAMPLE_CTL_NAME, 0, 0, &h) == -EAFNOSUPPORT,
		      "no kernel controls here: EAFNOSUPPORT from the host's kernel");
		CHECK(kctl_count(NULL, &count) == -EAFNOSUPPORT, "count");
		CHECK(kctl_list(NULL, NULL, 0, &count) == -EAFNOSUPPORT, "list: no sysctlbyname here");
		printf("client_libkctl --plain: %d passed, %d failed\n", passed, failed);
		return failed != 0;
	}
	CHECK(kctl_lookup(NULL, SAMPLE_CTL_NAME, &id) == 0 && id != 0, "lookup");
	CHECK(kctl_count(NULL, &count) == 0 && count == 3, "count: utun and the sample's two");
	{
		uint32_t listed = 0;

		CHECK(kctl_list(NULL, NULL, 0, &listed) == 0 && listed == count,
		      "kctl_list through the preload's sysctlbyname");
	}
	rc = kctl_open_name(NULL, SAMPLE_CTL_NAME, 0, 0, &h);
	CHECK(rc == 0, kctl_strerror(rc));
	if (rc == 0) {
		CHECK(kctl_unit(h) == 1, "unit");
		kctl_set_timeout(h, 2000);
		rc = kctl_request(h, SAMPLE_MSG_ECHO, "via libkctl", 11, reply, sizeof(reply), &len);
		CHECK(rc == 0 && len == 11 && memcmp(reply, "via libkctl", 11) == 0,
		      kctl_strerror(rc));
		CHECK(kctl_set_str(h, SAMPLE_OPT_LABEL, "lbl") == 0, "set_str");
		CHECK(kctl_get_str(h, SAMPLE_OPT_LABEL, reply, sizeof(reply)) == 0 &&
		      strcmp(reply, "lbl") == 0, "get_str");
		CHECK(kctl_close(h) == 0, "close");
	}
	CHECK(kctl_open_name(NULL, "org.example.absent", 0, 0, &h) == -ENOENT, "ENOENT");
	printf("client_libkctl: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
