/* plist.c - Info.plist writer. */
#include "plist.h"

void kb_xml_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fputc(*s, f); break;
		}
	}
}

static void put_string(FILE *f, const char *indent, const char *key, const char *value)
{
	fprintf(f, "%s<key>", indent);
	kb_xml_escape(f, key);
	fprintf(f, "</key>\n%s<string>", indent);
	kb_xml_escape(f, value);
	fputs("</string>\n", f);
}

/* Writes a config key only when it has a value (optional keys stay out). */
static void put_conf(FILE *f, const struct kb_conf *c, enum kb_key k)
{
	const char *value = kb_conf_get(c, k);

	if (value)
		put_string(f, "\t", kb_key_name(k), value);
}

static void put_libraries(FILE *f, const struct kb_conf *c)
{
	fputs("\t<key>OSBundleLibraries</key>\n\t<dict>\n", f);
	for (size_t i = 0; i < c->nlibs; i++)
		put_string(f, "\t\t", c->libs[i].id, c->libs[i].version);
	fputs("\t</dict>\n", f);
}

int kb_write_plist(FILE *f, const struct kb_conf *c, unsigned flags)
{
	(void)flags;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
	      "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
	      "<plist version=\"1.0\">\n<dict>\n", f);
	put_string(f, "\t", "CFBundleDevelopmentRegion", "English");
	put_conf(f, c, KB_EXECUTABLE);
	put_conf(f, c, KB_ID);
	put_string(f, "\t", "CFBundleInfoDictionaryVersion", "6.0");
	put_conf(f, c, KB_NAME);
	put_string(f, "\t", "CFBundlePackageType", "KEXT");
	put_conf(f, c, KB_SHORT_VERSION);
	put_string(f, "\t", "CFBundleSignature", "????");
	put_conf(f, c, KB_VERSION);
	put_conf(f, c, KB_COMPAT);
	put_libraries(f, c);
	put_conf(f, c, KB_REQUIRED);
	put_conf(f, c, KB_COPYRIGHT);
	fputs("</dict>\n</plist>\n", f);
	return 0;
}
