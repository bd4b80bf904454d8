/*
 * pl_kernel.c - the simulated kernel of a process: start-up, configuration, fork and
 * exit.
 *
 * The kernel is made "like a Mac": Apple's utun control is registered before any kext.
 * Configuration comes from the environment `kctl-sim run` sets (tools/kctl-sim):
 *   KCTL_SIM_KEXTS     kext modules to load, absolute paths separated by ':'
 *   KCTL_SIM_EUID      the effective uid the kernel sees (default: the process's)
 *   KCTL_SIM_NET       a Unix datagram socket path: utun's network side (pl_net.c)
 *   KCTL_SIM_MAIN_PID  the process kctl-sim started: its kernel starts before main(),
 *                      so a kext that cannot load stops the program at once (exit 127)
 * Any other process that has the preload (a program's children inherit LD_PRELOAD)
 * starts a kernel of its own the first time it needs one, so helpers that never touch
 * PF_SYSTEM (sh, ifconfig) cost nothing. There is one kernel per process: two programs
 * never share one, as they would on a Mac.
 *
 * fork: the kernel is this process's memory (the kexts' state, their threads, every
 * socket's queue), and a copy in the child would share the parent's descriptors and
 * corrupt the parent's readiness. So a forked child has no kernel: each simulated
 * socket it inherited is an orphan (any call on it fails with EBADF, after one line on
 * stderr; close() works and leaves the parent's socket alone, as a Mac's close of a
 * shared descriptor does), and socket(PF_SYSTEM) fails with EAFNOSUPPORT as on a plain
 * Linux kernel. A vfork child shares the parent's memory: the preload leaves it to libc.
 * Programs that open a kernel control after daemonizing must run in the foreground.
 *
 * exec: the kernel stays with the image that made it (or goes with it, if that image
 * is replaced). A descriptor left open across exec (no FD_CLOEXEC, Darwin's default) is
 * recognised by the new image's preload at start-up by the abstract name of the
 * socketpair end it copies, and is an orphan there as in a fork child: EBADF, and
 * never a read that would take the signal byte from the kernel's process. (A new image
 * without the preload sees a plain AF_UNIX socket.) The simulator's own descriptors
 * are close-on-exec.
 *
 * exit: after the program's atexit handlers (ours is registered before main), every
 * socket still open is closed in the simulator, so each kext's disconnect runs as when
 * a Mac closes a dying process's descriptors, then the kexts are unloaded (their stop
 * routine runs). The kernel's memory is not freed: other threads may still be inside it.
 */
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "kctl_kpi.h"
#include "preload.h"

#define PL_MAX_KEXTS 16

static pthread_once_t kernel_once = PTHREAD_ONCE_INIT;
static kctl_sim_t *kernel;            /* written once, under kernel_once */
static int kernel_err;                /* why it did not start, under kernel_once */
static kctl_kpi_kext_t *kexts[PL_MAX_KEXTS];
static int nkexts;
static _Atomic pid_t owner;           /* the process whose memory holds the kernel */
static volatile sig_atomic_t forked;  /* set in a fork child (its own copy) */
static volatile sig_atomic_t noted;   /* the fork-child line was printed */

enum pl_where pl_where(void)
{
	pid_t o = atomic_load(&owner);

	if (forked)
		return PL_CHILD;
	if (o == 0) {
		pid_t me = getpid();

		/* a call before our constructor: this process is the owner */
		if (atomic_compare_exchange_strong(&owner, &o, me))
			return PL_HERE;
	}
	return getpid() == o ? PL_HERE : PL_VFORK;
}

void pl_note_orphan(int fd, bool fork_child)
{
	if (noted)
		return;
	noted = 1;
	if (!fork_child)
		fprintf(stderr, "kctl-sim: descriptor %d was inherited across exec: its simulated "
			"kernel stayed with the program that opened it (EBADF)\n", fd);
	else if (fd >= 0)
		fprintf(stderr, "kctl-sim: pid %d is a fork of pid %d, which keeps the simulated "
			"kernel: descriptor %d cannot be used here (EBADF)\n", (int)getpid(),
			(int)atomic_load(&owner), fd);
	else
		fprintf(stderr, "kctl-sim: pid %d is a fork of pid %d, which keeps the simulated "
			"kernel: no PF_SYSTEM socket here (EAFNOSUPPORT)\n", (int)getpid(),
			(int)atomic_load(&owner));
}

/* Is fd a copy of a simulated socket's client end (its abstract name says so)? */
static bool inherited_socket(int fd)
{
	struct sockaddr_un sun;
	socklen_t len = sizeof(sun);
	size_t plen = strlen(PL_SOCK_NAME);

	memset(&sun, 0, sizeof(sun));
	if (pl_libc()->getsockname(fd, (struct sockaddr *)&sun, &len) != 0 ||
	    sun.sun_family != AF_UNIX || len < offsetof(struct sockaddr_un, sun_path) + 1 + plen)
		return false;
	return sun.sun_path[0] == '\0' && memcmp(sun.sun_path + 1, PL_SOCK_NAME, plen) == 0;
}

/* A new image: descriptors it inherited from simulated sockets become orphans. */
static void adopt_inherited(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);

		if (*end == '\0' && end != e->d_name && fd >= 0 && fd <= INT_MAX &&
		    fd != dirfd(d) && inherited_socket((int)fd))
			(void)pl_fd_adopt_orphan((int)fd);
	}
	closedir(d);
}

static void set_euid(kctl_sim_t *sim)
{
	const char *v = getenv("KCTL_SIM_EUID");
	char *end;
	unsigned long u;

	if (v == NULL || *v == '\0')
		return;
	u = strtoul(v, &end, 10);
	if (*end != '\0' || u > UINT32_MAX) {
		fprintf(stderr, "kctl-sim: KCTL_SIM_EUID=%s is not a uid; keeping %u\n", v,
			(unsigned)geteuid());
		return;
	}
	kctl_sim_set_euid(sim, (uint32_t)u);
}

/* Loads each module of KCTL_SIM_KEXTS; the first failure is the kernel's error. */
static int load_kexts(kctl_sim_t *sim)
{
	const char *v = getenv("KCTL_SIM_KEXTS");
	char *list, *save = NULL;
	int err = 0;

	if (v == NULL || *v == '\0')
		return 0;
	list = strdup(v);
	if (list == NULL)
		return -ENOMEM;
	for (char *p = strtok_r(list, ":", &save); p != NULL && err == 0;
	     p = strtok_r(NULL, ":", &save)) {
		if (nkexts == PL_MAX_KEXTS) {
			fprintf(stderr, "kctl-sim: more than %d kexts\n", PL_MAX_KEXTS);
			err = -E2BIG;
			break;
		}
		err = kctl_kpi_load_module(sim, p, &kexts[nkexts]);
		if (err == 0)
			nkexts++;
		else /* the loader's sentence says why; the errno alone would not */
			fprintf(stderr, "kctl-sim: cannot load kext %s: %s\n", p,
				kctl_kpi_last_error());
	}
	free(list);
	return err;
}

/* KCTL_SIM_NET: utun's network side on a datagram socket (pl_net.c). */
static int start_net(kctl_sim_t *sim)
{
	const char *path = getenv("KCTL_SIM_NET");
	int err;

	if (path == NULL || *path == '\0')
		return 0;
	err = pl_net_start(sim, path, pl_hidden_floor());
	if (err != 0)
		fprintf(stderr, "kctl-sim: --net %s: %s\n", path, strerror(-err));
	return err;
}

/* A kernel like a Mac's (Apple's utun registered), then the kexts and the network. */
static void start(void)
{
	kctl_sim_t *sim;
	int err = kctl_sim_new_mac(&sim);

	if (err != 0) {
		kernel_err = err;
		return;
	}
	set_euid(sim);
	err = load_kexts(sim);
	if (err == 0)
		err = start_net(sim);
	if (err != 0)
		kernel_err = err; /* the kernel runs with what did start */
	kernel = sim;
}

kctl_sim_t *pl_kernel(void)
{
	if (pl_where() != PL_HERE)
		return NULL;
	(void)pthread_once(&kernel_once, start);
	return kernel;
}

/*
 * Unloads every kext, the last loaded first. Each is unloaded whatever the others
 * answered: only -EBUSY leaves a kext loaded (its stop refused, as kextunload is
 * refused on a Mac); after -ENOTEMPTY or -ENOTRECOVERABLE it is gone all the same
 * (kctl_kpi.h), untidily, and the loader's sentence says what it left behind.
 */
static void stop(void)
{
	if (pl_where() != PL_HERE || kernel == NULL)
		return;
	pl_net_stop();
	pl_table_close_all();
	while (nkexts > 0) {
		kctl_kpi_kext_t *k = kexts[--nkexts];
		char name[80];

		snprintf(name, sizeof(name), "%s", kctl_kpi_kext_name(k));
		if (kctl_kpi_unload(k) != 0)
			fprintf(stderr, "kctl-sim: unloading kext %s: %s\n", name,
				kctl_kpi_last_error());
	}
}

static void fork_prepare(void)
{
	pl_table_lock();
}

static void fork_parent(void)
{
	pl_table_unlock();
}

static void fork_child(void)
{
	forked = 1;
	pl_table_orphan_all();
	pl_table_unlock();
}

/* The process kctl-sim launched starts its kernel now, so a bad kext stops it here. */
static bool launched_here(void)
{
	const char *v = getenv("KCTL_SIM_MAIN_PID");

	return v != NULL && strtol(v, NULL, 10) == (long)getpid();
}

__attribute__((constructor)) static void pl_start(void)
{
	pid_t none = 0;

	(void)atomic_compare_exchange_strong(&owner, &none, getpid());
	(void)pthread_atfork(fork_prepare, fork_parent, fork_child);
	(void)atexit(stop);
	adopt_inherited();
	if (launched_here()) {
		(void)pl_kernel();
		if (kernel_err != 0) {
			fprintf(stderr, "kctl-sim: the simulated kernel did not start: %s\n",
				kctl_strerror(kernel_err));
			_exit(127);
		}
	}
}
