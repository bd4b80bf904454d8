/*
 * list-controls - every registered control, as netstat reads them: its id, name, flags,
 * units in use and buffer sizes (kctl_list: the kernel's net.systm.kctl.reg_list).
 * On a Mac it lists the Mac's controls; here, under the simulated kernel:
 *   kctl-sim run --kext Sample.so -- ./list-controls
 * Build: cc list-controls.c $(pkg-config --cflags --libs libkctl)
 */
#include <stdio.h>

#include <kctl.h>

int main(void)
{
	static struct kctl_ctl_desc d[256];
	uint32_t n = 0;
	int rc;

	rc = kctl_list(NULL, d, 256, &n);                      /* -ENOSPC: n says how many */
	if (rc < 0) {
		fprintf(stderr, "list: %s\n", kctl_strerror(rc)); /* kctl_list keeps no record */
		return 1;
	}
	for (uint32_t i = 0; i < n; i++)
		printf("%5u %-40s units %u flags 0x%x\n", d[i].id, d[i].name,
		       d[i].units_in_use, d[i].flags);
	return n == 0;
}
