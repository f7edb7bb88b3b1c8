/* log.h: messages to stderr, one line each, prefixed with the program name. */
#ifndef KANSHI_SENSOR_LOG_H
#define KANSHI_SENSOR_LOG_H

#include <stdarg.h>

enum { KN_LOG_ERROR = 0, KN_LOG_WARN, KN_LOG_INFO, KN_LOG_DEBUG };

/* Messages above this level are dropped; set once at start-up from -q/-v. */
void kn_log_set_level(int level);
int kn_log_level(void);

void kn_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define kn_err(...) kn_log(KN_LOG_ERROR, __VA_ARGS__)
#define kn_warn(...) kn_log(KN_LOG_WARN, __VA_ARGS__)
#define kn_info(...) kn_log(KN_LOG_INFO, __VA_ARGS__)

#endif
