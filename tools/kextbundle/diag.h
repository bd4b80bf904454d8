/* diag.h - problems found in a config, printed as they are found and counted. */
#ifndef KEXTBUNDLE_DIAG_H
#define KEXTBUNDLE_DIAG_H

/* One run over one config file: every problem is printed, none stops the run. */
struct kb_diag {
	const char *path;   /* the config file, prefixed to every message */
	unsigned problems;  /* how many were reported */
};

/*
 * kb_diag_error - report one problem on stderr as "PATH:LINE: message" (or "PATH:
 * message" when line is 0) and count it.
 */
void kb_diag_error(struct kb_diag *d, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
