/*
 * thermo.h - "your own client code": a small client of a (made-up) thermometer kext,
 * com.example.thermo, the kind of code an application keeps in a file of its own. It
 * takes the backend as a parameter: NULL in the application (the real kernel), a
 * simulated kernel in its unit tests (test_thermo.c).
 *
 * The kext's interface: a DGRAM control; option 1 (get, 4 bytes) the temperature in
 * millidegrees Celsius, a signed 32-bit value; option 2 (set, 4 bytes) the alarm
 * threshold, likewise; when the temperature crosses the threshold the kext sends a
 * 4-byte record, the temperature then.
 */
#ifndef THERMO_H
#define THERMO_H

#include <stdint.h>

#include <kctl.h>

#define THERMO_CTL_NAME "com.example.thermo"
#define THERMO_OPT_TEMP 1
#define THERMO_OPT_ALARM 2
#define THERMO_ALARM_MIN (-40000) /* the sensor's range, millidegrees */
#define THERMO_ALARM_MAX 125000

struct thermo;

/* Opens the thermometer on be (NULL: the system's kernel). 0 or libkctl's -errno. */
int thermo_open(const kctl_backend_t *be, struct thermo **out);

/* The temperature now, in millidegrees. -EBADMSG if the kext answers another length. */
int thermo_read(struct thermo *t, int32_t *millideg);

/* Sets the alarm threshold; -ERANGE (nothing sent) outside the sensor's range. */
int thermo_set_alarm(struct thermo *t, int32_t millideg);

/* Waits up to timeout_ms for an alarm; -ETIMEDOUT if none came. */
int thermo_wait_alarm(struct thermo *t, int32_t timeout_ms, int32_t *millideg);

/* The sentence for the last failure of an option call or a receive on t. */
const char *thermo_why(struct thermo *t, int rc, char *buf, size_t cap);

void thermo_close(struct thermo *t);

#endif
