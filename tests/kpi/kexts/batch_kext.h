/* batch_kext.h - the Batch test kext's protocol (shared with its test). */
#ifndef BATCH_KEXT_H
#define BATCH_KEXT_H

#define BATCH_CTL_NAME "org.example.batch"
#define BATCH_FIRST_UNIT 100 /* its setup callback numbers units from here */
#define BATCH_BUSY_UNIT 107  /* setup refuses this one with EADDRINUSE */

#define BATCH_OPT_STATS 1 /* get: struct batch_stats */

struct batch_stats {
	unsigned int setup_calls;
	unsigned int bind_calls;
	unsigned int connect_calls;
	unsigned int send_calls;      /* one packet each */
	unsigned int send_list_calls; /* a list each */
	unsigned int list_packets;    /* packets that came in lists */
	unsigned int rcvd_calls;
	unsigned int bound_connects;  /* connects of a unit bind had prepared */
};

/* Each packet is answered: "one:<len>" for a send, "list:<i>/<n>" for the i-th of
 * n packets of a send_list (queued back with ctl_enqueuembuf_list). */

#endif
