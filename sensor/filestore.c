/* filestore.c: the file store behind filestore.h. Open files are a small array scanned by
 * (flow id, the engine's file record): a sensor has few files open at once, and the cap
 * bounds the scan. The record's address identifies the file while it is open (file ids
 * restart in every transaction); the entry goes when the file's end is reported. */
#include "filestore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hexfmt.h"
#include "log.h"

typedef struct open_file {
    uint64_t flow_id;
    const void *file; /* the engine's kn_file_info_t, stable until the file ends */
    int fd;     /* -1: a writing error, the bytes are dropped until the file ends */
    uint8_t used;
    char tmp[64];
} open_file_t;

struct kn_filestore {
    char *dir;
    open_file_t *open;
    uint32_t max_open;
    uint64_t seq;        /* temporary names */
    int warned;
    kn_filestore_stats_t st;
};

static int make_dir(const char *path)
{
    return mkdir(path, 0750) == 0 || errno == EEXIST ? 0 : -1;
}

kn_filestore_t *kn_filestore_new(const char *dir, uint32_t max_open, char *err, size_t errlen)
{
    kn_filestore_t *fs = calloc(1, sizeof(*fs));
    char tmp[4096];

    snprintf(tmp, sizeof(tmp), "%s/tmp", dir);
    if (!fs || !(fs->dir = strdup(dir)) || !(fs->open = calloc(max_open, sizeof(*fs->open)))) {
        snprintf(err, errlen, "file-store: out of memory");
        kn_filestore_free(fs);
        return NULL;
    }
    fs->max_open = max_open;
    if (make_dir(dir) != 0 || make_dir(tmp) != 0) {
        snprintf(err, errlen, "file-store: cannot create %s: %s", tmp, strerror(errno));
        kn_filestore_free(fs);
        return NULL;
    }
    return fs;
}

static void drop(kn_filestore_t *fs, open_file_t *o)
{
    char path[4200];

    if (o->fd >= 0)
        close(o->fd);
    snprintf(path, sizeof(path), "%s/tmp/%s", fs->dir, o->tmp);
    unlink(path);
    o->used = 0;
}

void kn_filestore_free(kn_filestore_t *fs)
{
    uint32_t i;

    if (!fs)
        return;
    for (i = 0; fs->open && i < fs->max_open; i++)
        if (fs->open[i].used)
            drop(fs, &fs->open[i]);
    free(fs->open);
    free(fs->dir);
    free(fs);
}

static open_file_t *find(kn_filestore_t *fs, uint64_t flow_id, const void *file)
{
    uint32_t i;

    for (i = 0; i < fs->max_open; i++)
        if (fs->open[i].used && fs->open[i].flow_id == flow_id && fs->open[i].file == file)
            return &fs->open[i];
    return NULL;
}

static void write_failed(kn_filestore_t *fs, open_file_t *o, const char *what)
{
    if (!fs->warned++)
        kn_warn("file-store: %s in %s/tmp: %s; files are not stored while this lasts", what,
                fs->dir, strerror(errno));
    if (o->fd >= 0)
        close(o->fd);
    o->fd = -1;
}

/* A slot and a temporary file for a file's first bytes; NULL when every slot is taken. */
static open_file_t *start(kn_filestore_t *fs, uint64_t flow_id, const void *file)
{
    open_file_t *o, *free_slot = NULL;
    char path[4200];
    uint32_t i;

    for (i = 0; i < fs->max_open && !free_slot; i++)
        if (!fs->open[i].used)
            free_slot = &fs->open[i];
    if (!free_slot) {
        fs->st.skipped++;
        return NULL;
    }
    o = free_slot;
    memset(o, 0, sizeof(*o));
    o->used = 1;
    o->flow_id = flow_id;
    o->file = file;
    snprintf(o->tmp, sizeof(o->tmp), "file.%ld.%llu", (long)getpid(),
             (unsigned long long)++fs->seq);
    snprintf(path, sizeof(path), "%s/tmp/%s", fs->dir, o->tmp);
    if ((o->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640)) < 0)
        write_failed(fs, o, "cannot create a file");
    return o;
}

void kn_filestore_data(kn_filestore_t *fs, const kn_event_t *ev)
{
    const kn_file_event_t *fe = &ev->u.file;
    uint64_t flow_id = ev->flow ? ev->flow->flow_id : 0;
    open_file_t *o = find(fs, flow_id, fe->file);
    const uint8_t *p = fe->data;
    uint32_t left = fe->len;

    if (!o && !(o = start(fs, flow_id, fe->file)))
        return;
    while (o->fd >= 0 && left) {
        ssize_t w = write(o->fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            write_failed(fs, o, "writing failed");
            break;
        }
        p += w;
        left -= (uint32_t)w;
    }
}

/* Moves the finished temporary copy to DIR/ab/abcd...; 1 when the store has it. */
static int keep(kn_filestore_t *fs, open_file_t *o, const char *sha)
{
    char from[4200], to[4300], sub[4200];
    struct stat st;

    snprintf(from, sizeof(from), "%s/tmp/%s", fs->dir, o->tmp);
    snprintf(sub, sizeof(sub), "%s/%.2s", fs->dir, sha);
    snprintf(to, sizeof(to), "%s/%s", sub, sha);
    if (stat(to, &st) == 0) {
        fs->st.duplicate++;
        return 1;
    }
    if (make_dir(sub) != 0 || rename(from, to) != 0) {
        write_failed(fs, o, "cannot move a file into place");
        return 0;
    }
    return 1;
}

int kn_filestore_close(kn_filestore_t *fs, const kn_event_t *ev)
{
    const kn_file_info_t *fi = ev->u.file.file;
    open_file_t *o = find(fs, ev->flow ? ev->flow->flow_id : 0, fi);
    int ok, stored = 0;
    char sha[65];

    if (!o)
        return 0;
    ok = o->fd >= 0;
    if (ok) {
        int rc = close(o->fd);
        o->fd = -1;
        if (rc != 0) {
            write_failed(fs, o, "writing failed");
            ok = 0;
        }
    }
    if (ok && fi->has_sha256) {
        kn_hex(fi->sha256, sizeof(fi->sha256), 0, sha);
        ok = stored = keep(fs, o, sha);
    }
    if (stored)
        fs->st.stored++;
    else if (ok)
        fs->st.discarded++;
    else
        fs->st.errors++;
    drop(fs, o); /* the temporary copy, if it was not moved into place */
    return stored;
}

const kn_filestore_stats_t *kn_filestore_stats(const kn_filestore_t *fs)
{
    return &fs->st;
}
