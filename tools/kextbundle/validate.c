/* validate.c - what kextload/OSKext would refuse, caught before the build. */
#include "validate.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "version.h"

#define KPI_PREFIX "com.apple.kpi."
#define EXECUTABLE_MAX 255

static bool is_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

/*
 * The loader's rule, and only it (xnu libkern/c++/OSKext.cpp, setInfoDictionaryAndPath):
 * CFBundleIdentifier is a string shorter than KMOD_MAX_NAME (64) bytes. Nothing checks
 * its characters: "com.example.my_kext", "Sample" or "org.example.kext 2" all load.
 * (Apple's documentation recommends reverse DNS in [A-Za-z0-9.-]; the loader does not
 * enforce it, so neither does this.) An empty identifier is refused: the config format
 * has no empty values, and an Xcode build without PRODUCT_BUNDLE_IDENTIFIER fails too.
 * The text rules of the config (UTF-8, no control characters) are checked on reading.
 */
const char *kb_bundle_id_problem(const char *id)
{
	if (id[0] == '\0')
		return "is empty";
	if (strlen(id) > KB_MAX_ID_LEN)
		return "is longer than 63 bytes (the kernel's KMOD_MAX_NAME - 1)";
	return NULL;
}

static bool is_c_keyword(const char *name)
{
	static const char *const keywords[] = {
		"auto", "break", "case", "char", "const", "continue", "default", "do",
		"double", "else", "enum", "extern", "float", "for", "goto", "if", "inline",
		"int", "long", "register", "restrict", "return", "short", "signed", "sizeof",
		"static", "struct", "switch", "typedef", "union", "unsigned", "void",
		"volatile", "while",
	};

	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (strcmp(name, keywords[i]) == 0)
			return true;
	return false;
}

/* Names the generated kmod_info source defines or that libkmod already provides. */
static bool is_taken(const char *name)
{
	static const char *const taken[] = {
		"_start", "_stop", "_realmain", "_antimain", "_kext_apple_cc", "kmod_info",
	};

	for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
		if (strcmp(name, taken[i]) == 0)
			return true;
	return false;
}

const char *kb_c_identifier_problem(const char *name)
{
	if (!(name[0] == '_' || (is_alnum(name[0]) && !(name[0] >= '0' && name[0] <= '9'))))
		return "is not a C identifier (must start with a letter or '_')";
	for (const char *p = name; *p; p++)
		if (!(is_alnum(*p) || *p == '_'))
			return "is not a C identifier (letters, digits and '_' only)";
	/* _Bool, _Atomic etc. start with '_' and a capital: reserved for the language. */
	if (is_c_keyword(name) || (name[0] == '_' && (name[1] == '_' ||
						      (name[1] >= 'A' && name[1] <= 'Z'))))
		return "is a C keyword or a reserved identifier";
	if (is_taken(name))
		return "is already defined by the generated kmod_info source or libkmod";
	return NULL;
}

/* How the key is called where the value came from (MODULE_NAME for Xcode's settings). */
static const char *label(const struct kb_conf *c, enum kb_key k)
{
	return c->label[k] != NULL ? c->label[k] : kb_key_name(k);
}

static void require(const struct kb_conf *c, struct kb_diag *d, enum kb_key k)
{
	if (c->value[k] == NULL)
		kb_diag_error(d, 0, "missing required key %s", label(c, k));
}

/* Checks a version as the kernel parses it; stores the value for comparisons. */
static bool check_version(struct kb_diag *d, unsigned line, const char *what,
			  const char *v, uint64_t *value)
{
	const char *reason = NULL;

	if (strlen(v) > KB_MAX_VERSION_LEN)
		reason = "is longer than 63 characters (kmod_info's version field)";
	/* The kernel stops at whitespace; anything after it would still be written into
	 * Info.plist and kmod_info, so it is a mistake here. */
	else if (v[strcspn(v, " \t")] != '\0')
		reason = "contains whitespace";
	else if (kb_version_parse(v, 0, value, &reason) == 0)
		return true;
	kb_diag_error(d, line, "%s \"%s\" is not a valid kext version: %s", what, v, reason);
	return false;
}

static void check_versions(const struct kb_conf *c, struct kb_diag *d)
{
	uint64_t version = 0, compat = 0;
	bool version_ok = false;

	if (c->value[KB_VERSION])
		version_ok = check_version(d, c->line[KB_VERSION], label(c, KB_VERSION),
					   c->value[KB_VERSION], &version);
	if (c->value[KB_COMPAT] &&
	    check_version(d, c->line[KB_COMPAT], label(c, KB_COMPAT), c->value[KB_COMPAT],
			  &compat) &&
	    version_ok && compat > version)
		kb_diag_error(d, c->line[KB_COMPAT], "%s %s is greater than %s %s (must be <=)",
			      label(c, KB_COMPAT), c->value[KB_COMPAT],
			      label(c, KB_VERSION), c->value[KB_VERSION]);
}

static void check_id(const struct kb_conf *c, struct kb_diag *d)
{
	const char *id = c->value[KB_ID];
	const char *problem = id ? kb_bundle_id_problem(id) : NULL;

	if (problem)
		kb_diag_error(d, c->line[KB_ID], "%s \"%s\" %s (%zu bytes)",
			      label(c, KB_ID), id, problem, strlen(id));
}

static void check_executable(const struct kb_conf *c, struct kb_diag *d)
{
	const char *exe = c->value[KB_EXECUTABLE];

	if (exe == NULL)
		return;
	if (strchr(exe, '/') || strcmp(exe, ".") == 0 || strcmp(exe, "..") == 0 ||
	    strlen(exe) > EXECUTABLE_MAX)
		kb_diag_error(d, c->line[KB_EXECUTABLE],
			      "%s \"%s\" must be a plain file name in Contents/MacOS",
			      label(c, KB_EXECUTABLE), exe);
}

static void check_required(const struct kb_conf *c, struct kb_diag *d)
{
	static const char *const allowed[] = {
		"Root", "Local-Root", "Network-Root", "Safe Boot", "Console",
	};
	const char *v = c->value[KB_REQUIRED];

	if (v == NULL)
		return;
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (strcmp(v, allowed[i]) == 0)
			return;
	kb_diag_error(d, c->line[KB_REQUIRED], "%s \"%s\" must be one of Root, Local-Root, "
		      "Network-Root, Safe Boot, Console", label(c, KB_REQUIRED), v);
}

static void check_function(const struct kb_conf *c, struct kb_diag *d, enum kb_key k)
{
	const char *name = c->value[k];
	const char *problem = name ? kb_c_identifier_problem(name) : NULL;

	if (problem)
		kb_diag_error(d, c->line[k], "%s \"%s\" %s", label(c, k), name, problem);
}

static void check_functions(const struct kb_conf *c, struct kb_diag *d)
{
	check_function(c, d, KB_START);
	check_function(c, d, KB_STOP);
	if (c->value[KB_START] && c->value[KB_STOP] &&
	    strcmp(c->value[KB_START], c->value[KB_STOP]) == 0)
		kb_diag_error(d, c->line[KB_STOP], "%s and %s name the same function",
			      label(c, KB_START), label(c, KB_STOP));
}

static void check_lib(struct kb_diag *d, const struct kb_lib *lib)
{
	const char *problem = kb_bundle_id_problem(lib->id);
	uint64_t ignored;

	if (problem)
		kb_diag_error(d, lib->line, "library \"%s\" %s", lib->id, problem);
	else if (strncmp(lib->id, KPI_PREFIX, strlen(KPI_PREFIX)) != 0)
		kb_diag_error(d, lib->line, "library %s is not a com.apple.kpi.* KPI; 64-bit kexts "
			      "may only link against com.apple.kpi.*", lib->id);
	else if (strcmp(lib->id, "com.apple.kpi.private") == 0)
		kb_diag_error(d, lib->line, "library com.apple.kpi.private is Apple-internal; a "
			      "third-party kext uses the public KPIs only");
	check_version(d, lib->line, lib->id, lib->version, &ignored);
}

static void check_libs(const struct kb_conf *c, struct kb_diag *d)
{
	/* Every config here has an executable (it is required), so the loader needs at
	 * least one library to link it against. */
	if (c->nlibs == 0)
		kb_diag_error(d, 0, "OSBundleLibraries is empty: a kext with an executable must "
			      "declare the KPIs it links against (e.g. com.apple.kpi.libkern 8.0.0)");
	for (size_t i = 0; i < c->nlibs; i++)
		check_lib(d, &c->libs[i]);
}

unsigned kb_validate(const struct kb_conf *c, struct kb_diag *d)
{
	unsigned before = d->problems;

	require(c, d, KB_ID);
	require(c, d, KB_VERSION);
	require(c, d, KB_EXECUTABLE);
	require(c, d, KB_START);
	require(c, d, KB_STOP);
	check_id(c, d);
	check_versions(c, d);
	check_executable(c, d);
	check_required(c, d);
	check_functions(c, d);
	check_libs(c, d);
	return d->problems - before;
}

unsigned kb_validate_kmod(const struct kb_conf *c, struct kb_diag *d)
{
	unsigned before = d->problems;

	require(c, d, KB_ID);
	require(c, d, KB_VERSION);
	check_id(c, d);
	check_versions(c, d);
	check_functions(c, d);
	return d->problems - before;
}
