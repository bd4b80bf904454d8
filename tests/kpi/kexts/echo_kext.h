/* echo_kext.h - what a client of the EchoKext test kext needs (shared with its test). */
#ifndef ECHO_KEXT_H
#define ECHO_KEXT_H

#define ECHO_CTL_NAME "com.example.kctl_echo"
#define ECHO_MAX_PACKET 1024
#define ECHO_PREFIX_MAX 15

#define ECHO_OPT_STATS 1  /* get: struct echo_stats */
#define ECHO_OPT_PREFIX 2 /* set: up to ECHO_PREFIX_MAX bytes put before each echo */

struct echo_stats {
	unsigned int clients;
	unsigned int packets;
	unsigned long long bytes;
};

#endif
