/*
 * kext_log.h - capturing a kext's log lines (kctl_kpi_set_log) for assertions, shared by
 * the fixtures that load kexts (header-only).
 */
#ifndef KCTL_TEST_KEXT_LOG_H
#define KCTL_TEST_KEXT_LOG_H

#include <pthread.h>
#include <string.h>

/* The kext's lines, newline-separated; lines past the buffer's end are not kept. */
struct kext_log {
	pthread_mutex_t lock;
	char text[32768];
	size_t len;
};

static inline void kext_log_init(struct kext_log *l)
{
	pthread_mutex_init(&l->lock, NULL);
	l->len = 0;
	l->text[0] = '\0';
}

static inline void kext_log_destroy(struct kext_log *l)
{
	pthread_mutex_destroy(&l->lock);
}

/* A kctl_kpi_log_fn: ctx is the struct kext_log. */
static inline void kext_log_line(void *ctx, const char *line)
{
	struct kext_log *l = ctx;
	size_t n = strlen(line);

	pthread_mutex_lock(&l->lock);
	if (l->len + n + 2 <= sizeof(l->text)) {
		memcpy(l->text + l->len, line, n);
		l->len += n;
		l->text[l->len++] = '\n';
		l->text[l->len] = '\0';
	}
	pthread_mutex_unlock(&l->lock);
}

/* Whether the log holds s (which may span lines). */
static inline int kext_log_has(struct kext_log *l, const char *s)
{
	int found;

	pthread_mutex_lock(&l->lock);
	found = strstr(l->text, s) != NULL;
	pthread_mutex_unlock(&l->lock);
	return found;
}

#endif
