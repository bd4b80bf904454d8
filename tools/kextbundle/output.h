/* output.h - write a generated file completely or not at all. */
#ifndef KEXTBUNDLE_OUTPUT_H
#define KEXTBUNDLE_OUTPUT_H

#include <stdio.h>

#include "conf.h"

/* Writes one generated file's text to f; returns 0 or a negative errno. */
typedef int (*kb_writer)(FILE *f, const struct kb_conf *c, unsigned flags);

/*
 * kb_write_file - run w into a temporary file next to path, then rename it over path,
 * so a reader (or an interrupted build) never sees half a file. Returns 0, or a
 * negative errno after removing the temporary file (path is left as it was).
 */
int kb_write_file(const char *path, kb_writer w, const struct kb_conf *c, unsigned flags);

#endif
