/* minimal-client: open a control, make one framed request, close. Build it with
 * cc minimal-client.c $(pkg-config --cflags --libs libkctl); run it as README.md says. */
#include <stdio.h>
#include <kctl.h>

int main(void)
{
	kctl_t *h;
	struct kctl_error why;                          /* what went wrong, and who said so */
	char reply[64], msg[256];
	size_t len;
	int rc = kctl_open_name_ex(NULL, "org.libkctl.sample", 0 /* the kernel picks */,
				   KCTL_OPEN_DGRAM, &h, &why);

	if (rc < 0) {
		kctl_error_str(&why, msg, sizeof msg);  /* "ENOENT (No such file or directory): */
		fprintf(stderr, "open: %s\n", msg);     /*  the kernel has no control ..."      */
		return 1;
	}
	kctl_set_timeout(h, 1000);                      /* every blocking call: 1 s at most */
	rc = kctl_request(h, 1, "hello", 5, reply, sizeof reply, &len);     /* 1: echo */
	if (rc < 0)                      /* an error reply, a timeout: what, and who said so */
		kctl_explain(h, KCTL_CALL_REQUEST, rc, msg, sizeof msg);
	else
		snprintf(msg, sizeof msg, "reply: %.*s", (int)len, reply);
	puts(msg);
	kctl_close(h);
	return rc < 0;
}
