/* sample_path.h - where `kctl -S` finds the sample kext module (sample_path.c). */
#ifndef KCTL_CLI_SAMPLE_PATH_H
#define KCTL_CLI_SAMPLE_PATH_H

#include <stddef.h>

/*
 * The sample kext module for -S, in buf (cap bytes): $KCTL_SAMPLE_KEXT if set; the build
 * tree's module when this is the build tree's kctl; otherwise the installed one, found
 * from this executable's own location first (so a relocated or DESTDIR install tree
 * uses its own), then at the configured prefix. Returns buf.
 */
const char *kctl_cli_sample_path(char *buf, size_t cap);

#endif
