/*
 * json.h - the kctl tool's JSON output: one object per line, written as it is built.
 *
 * Every line kctl prints with --json is one object whose first key is "kind" (what the
 * line describes: kctl.1 lists the kinds and their keys). Strings are escaped as RFC 8259
 * asks; bytes that are not valid UTF-8 are written as U+FFFD, so a line is always valid
 * JSON (payloads are given in hex as well, which loses nothing).
 */
#ifndef KCTL_CLI_JSON_H
#define KCTL_CLI_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KCTL_JSON_DEPTH 8

/* A line being written. Caller-owned; no allocation. */
struct kctl_json {
	FILE *out;
	int depth;                            /* open objects and arrays */
	unsigned char first[KCTL_JSON_DEPTH]; /* nothing written yet at that depth */
	char closer[KCTL_JSON_DEPTH];         /* '}' or ']' */
};

/* Starts a line: `{"kind":"KIND"`. */
void kctl_json_begin(struct kctl_json *j, FILE *out, const char *kind);

/* Ends the line: closes what is open, writes "}\n" and flushes (scripts read lines). */
void kctl_json_end(struct kctl_json *j);

/* Members: key is NULL for an element of an array. */
void kctl_json_str(struct kctl_json *j, const char *key, const char *s);
void kctl_json_strn(struct kctl_json *j, const char *key, const void *s, size_t n);
void kctl_json_u64(struct kctl_json *j, const char *key, uint64_t v);
void kctl_json_i64(struct kctl_json *j, const char *key, int64_t v);
void kctl_json_bool(struct kctl_json *j, const char *key, int v);
void kctl_json_null(struct kctl_json *j, const char *key);
/* The bytes as lowercase hex digits, two per byte, in a string. */
void kctl_json_hex(struct kctl_json *j, const char *key, const void *p, size_t n);

/* Opens an array ('[') or an object ('{') as a member; kctl_json_close() ends it. */
void kctl_json_open(struct kctl_json *j, const char *key, char bracket);
void kctl_json_close(struct kctl_json *j);

/* Whether n bytes are valid UTF-8 (no overlong form, no surrogate, up to U+10FFFF). */
int kctl_json_utf8_valid(const void *p, size_t n);

#endif
