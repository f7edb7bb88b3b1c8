/* filestore.h: files written to a directory by their sha256 (Suricata's file-store version 2
 * layout: DIR/ab/abcdef...), off by default (outputs: - file-store: enabled: yes).
 *
 * The engine hands every byte of every open file (KN_EV_FILE_DATA); each file is written to
 * DIR/tmp/ as it comes and, when it ends with a sha256 (complete, or cut by a gap or a
 * limit), renamed to its hash; one already there is not written twice. A file that ends
 * without a hash (the flow ended first) is removed. Writing errors (a full disk) are reported
 * once and counted; files are then skipped, events are never lost. */
#ifndef KANSHI_SENSOR_FILESTORE_H
#define KANSHI_SENSOR_FILESTORE_H

#include <stddef.h>
#include <stdint.h>

#include "kanshi.h"

typedef struct kn_filestore kn_filestore_t;

typedef struct kn_filestore_stats {
    uint64_t stored;    /* files now in the store (written or already there) */
    uint64_t duplicate; /* of those, the same sha256 was already stored */
    uint64_t skipped;   /* more files open at once than max_open */
    uint64_t errors;    /* files lost to a writing error */
    uint64_t discarded; /* ended without a hash */
} kn_filestore_stats_t;

/* dir is created if missing (with tmp/ under it); NULL and a message in err on failure. */
kn_filestore_t *kn_filestore_new(const char *dir, uint32_t max_open, char *err, size_t errlen);

/* Finishes nothing: open temporary files are removed. */
void kn_filestore_free(kn_filestore_t *fs);

/* KN_EV_FILE_DATA: appends the bytes to the file's temporary copy. */
void kn_filestore_data(kn_filestore_t *fs, const kn_event_t *ev);

/* KN_EV_FILE: the file ended; returns 1 when it is in the store now. */
int kn_filestore_close(kn_filestore_t *fs, const kn_event_t *ev);

const kn_filestore_stats_t *kn_filestore_stats(const kn_filestore_t *fs);

#endif
