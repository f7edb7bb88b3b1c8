/* output.h: the eve.json file sink: whole lines, batched, written by a thread of its own. */
#ifndef KANSHI_SENSOR_OUTPUT_H
#define KANSHI_SENSOR_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

typedef struct kn_output kn_output_t;

typedef struct kn_output_stats {
    uint64_t lines;         /* lines handed to the sink */
    uint64_t written;       /* lines the file took */
    uint64_t dropped;       /* lines lost: queue full (live) or write errors */
    uint64_t write_errors;  /* failed write(2) calls */
    uint64_t bytes;
} kn_output_stats_t;

/* Opens (appending) path. lossless: when the writer falls behind, the producer waits (offline
 * replay) instead of dropping batches (live capture). Returns NULL with a message in err. */
kn_output_t *kn_output_open(const char *path, int lossless, char *err, size_t errlen);

/* Appends one line (len bytes, without its newline). The line is copied. */
void kn_output_line(kn_output_t *o, const char *line, size_t len);

/* Hands the lines buffered so far to the writer. */
void kn_output_flush(kn_output_t *o);

/* Hands the buffered lines to the writer and waits until it has written them, so counters
 * read next are exact (offline stats, which must come out the same on every run). */
void kn_output_sync(kn_output_t *o);

/* Asks the writer to reopen the file before its next write (SIGHUP, for logrotate). */
void kn_output_reopen(kn_output_t *o);

/* Flushes, waits for the writer, closes. Fills st when not NULL. Returns 0, or -1 if any line
 * was lost. */
int kn_output_close(kn_output_t *o, kn_output_stats_t *st);

/* A snapshot of the counters; call from the thread that appends lines. */
void kn_output_stats(kn_output_t *o, kn_output_stats_t *st);

#endif
