/* plist.h - the kext's Contents/Info.plist. */
#ifndef KEXTBUNDLE_PLIST_H
#define KEXTBUNDLE_PLIST_H

#include <stdio.h>

#include "conf.h"

/*
 * kb_write_plist - write a validated config as an XML property list (UTF-8, Apple's
 * DOCTYPE, no comments: the kernel's own plist parser does not take them), with every
 * value XML-escaped. flags is unused. Returns 0 (stream errors are left in ferror(f)).
 */
int kb_write_plist(FILE *f, const struct kb_conf *c, unsigned flags);

/* kb_xml_escape - write s with &, <, >, " and ' replaced by entity references. */
void kb_xml_escape(FILE *f, const char *s);

#endif
