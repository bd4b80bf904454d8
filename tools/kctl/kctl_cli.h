/* kctl_cli.h - pieces of the kctl tool shared by its files. */
#ifndef KCTL_CLI_H
#define KCTL_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "kctl.h"

/* Prints a payload as text when it is printable, else as hex; then a newline. */
void kctl_cli_print_payload(FILE *out, const void *data, size_t len);

/*
 * -S: starts a simulated kernel in this process with the sample kext loaded, and sets
 * *be to it, so the tool can be tried without a Mac. 0 or -errno.
 */
int kctl_cli_sim_start(const kctl_backend_t **be);

/* Unloads the sample kext and frees the simulated kernel, if -S started one. */
void kctl_cli_sim_stop(void);

#endif
