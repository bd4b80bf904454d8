/*
 * signal.c - SIGINT and SIGTERM for the commands that run until interrupted (monitor,
 * utun): the signal sets a flag, the command's loop (whose waits are short) sees it,
 * and the command ends cleanly: its handle closed, the simulated kernel stopped, its
 * summary printed, exit status 0.
 */
#include <signal.h>
#include <string.h>

#include "cli.h"

static volatile sig_atomic_t stop_flag; /* the one piece of state a handler may touch */

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

void kctl_cli_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
}

int kctl_cli_stopped(void)
{
	return stop_flag != 0;
}
