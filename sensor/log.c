/* log.c: stderr messages. A message is formatted into one buffer and written with a single
 * write(2), so lines from the output thread and the capture thread never interleave. */
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int log_level = KN_LOG_INFO; /* part of the configuration: set once before threads */

void kn_log_set_level(int level)
{
    log_level = level;
}

int kn_log_level(void)
{
    return log_level;
}

void kn_log(int level, const char *fmt, ...)
{
    static const char *const prefix[] = {"error: ", "warning: ", "", ""};
    char buf[2048];
    va_list ap;
    int n;

    if (level > log_level)
        return;
    n = snprintf(buf, sizeof(buf), "kanshi: %s", prefix[level]);
    va_start(ap, fmt);
    n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(buf) - 2)
        n = (int)sizeof(buf) - 2;
    buf[n++] = '\n';
    if (write(STDERR_FILENO, buf, (size_t)n) < 0)
        return;
}
