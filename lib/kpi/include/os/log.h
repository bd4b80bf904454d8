/*
 * <os/log.h> for kext code running in the simulated kernel (libkctl-kpi): os_log and its
 * levels, with Apple's names. Messages go to the kext log as printf's do, one line
 * each; the privacy and type annotations of the format (%{public}s, %{private}d,
 * %{bool}d, ...) are accepted and dropped, as `log stream` shows them on a machine that
 * reveals private data. Every level is enabled (the simulator's log is a debug-level
 * stream). os_log_create() returns OS_LOG_DEFAULT: categories are not kept.
 *
 * The format is not checked against its arguments (Apple's clang does that with its own
 * os_log format attribute, which gcc and clang elsewhere lack).
 */
#ifndef KCTL_KPI_OS_LOG_H
#define KCTL_KPI_OS_LOG_H
/* the macros use ##__VA_ARGS__ and statement expressions: keep -Wpedantic quiet */
#pragma GCC system_header

#include <stdbool.h>
#include <stdint.h>

#include <sys/_kpi_cdefs.h>

__BEGIN_DECLS

typedef struct os_log_s *os_log_t;
extern struct os_log_s _os_log_default;
#define OS_LOG_DEFAULT (&_os_log_default)
#define OS_LOG_DISABLED ((os_log_t)0)

typedef uint8_t os_log_type_t;
#define OS_LOG_TYPE_DEFAULT ((os_log_type_t)0x00)
#define OS_LOG_TYPE_INFO ((os_log_type_t)0x01)
#define OS_LOG_TYPE_DEBUG ((os_log_type_t)0x02)
#define OS_LOG_TYPE_ERROR ((os_log_type_t)0x10)
#define OS_LOG_TYPE_FAULT ((os_log_type_t)0x11)

os_log_t os_log_create(const char *subsystem, const char *category);
bool os_log_type_enabled(os_log_t oslog, os_log_type_t type);
bool os_log_info_enabled(os_log_t log);
bool os_log_debug_enabled(os_log_t log);
void _os_log_internal(void *dso, os_log_t log, os_log_type_t type, const char *message, ...);

#define os_log_with_type(log, type, format, ...) __extension__({                     \
	if (os_log_type_enabled(log, type))                                           \
		_os_log_internal((void *)0, log, type, format, ##__VA_ARGS__);        \
})
#define os_log(log, format, ...) \
	os_log_with_type(log, OS_LOG_TYPE_DEFAULT, format, ##__VA_ARGS__)
#define os_log_info(log, format, ...) \
	os_log_with_type(log, OS_LOG_TYPE_INFO, format, ##__VA_ARGS__)
#define os_log_debug(log, format, ...) \
	os_log_with_type(log, OS_LOG_TYPE_DEBUG, format, ##__VA_ARGS__)
#define os_log_error(log, format, ...) \
	os_log_with_type(log, OS_LOG_TYPE_ERROR, format, ##__VA_ARGS__)
#define os_log_fault(log, format, ...) \
	os_log_with_type(log, OS_LOG_TYPE_FAULT, format, ##__VA_ARGS__)

__END_DECLS

#endif
