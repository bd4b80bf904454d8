/* output.c - temporary file and rename, the only atomic replace POSIX offers. */
#include "output.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkstemp() creates 0600; a bundle's files must be readable like any other output. */
static int default_mode(int fd)
{
	mode_t mask = umask(0);

	umask(mask);
	return fchmod(fd, 0666 & ~mask) == 0 ? 0 : -errno;
}

/* Writes, flushes and closes; f is closed on every path. */
static int fill(FILE *f, kb_writer w, const struct kb_conf *c, unsigned flags)
{
	int rc = w(f, c, flags);

	if (rc == 0 && fflush(f) != 0)
		rc = -errno;
	if (rc == 0 && ferror(f))
		rc = -EIO;
	if (rc == 0 && fsync(fileno(f)) != 0)
		rc = -errno;
	if (fclose(f) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

static int write_temp(char *tmp, bool *created, kb_writer w, const struct kb_conf *c,
		      unsigned flags)
{
	int fd = mkstemp(tmp);
	FILE *f;
	int rc;

	if (fd < 0)
		return -errno;
	*created = true;
	rc = default_mode(fd);
	f = rc ? NULL : fdopen(fd, "wb");
	if (f == NULL) {
		rc = rc ? rc : -errno;
		close(fd);
		return rc;
	}
	return fill(f, w, c, flags);
}

int kb_write_file(const char *path, kb_writer w, const struct kb_conf *c, unsigned flags)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + sizeof(".XXXXXX"));
	bool created = false;
	int rc;

	if (tmp == NULL)
		return -ENOMEM;
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".XXXXXX", sizeof(".XXXXXX"));
	rc = write_temp(tmp, &created, w, c, flags);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0 && created)
		unlink(tmp);
	free(tmp);
	return rc;
}
