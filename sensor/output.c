/* output.c: batches whole eve lines and writes them from a thread of its own.
 *
 * The capture thread appends lines to the batch it owns; a full batch (or a flush) goes to the
 * writer through a small queue of buffers, so the capture loop never waits on the disk. When
 * every buffer is queued, an offline replay waits (nothing may be lost), while live capture
 * drops the newest batch and counts its lines. Each batch is one write(2) of complete lines; a
 * write that fails part-way is cut back to the last whole line, so a full disk loses events
 * (counted, reported) but never leaves half a line. */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

#define NBUF 8
#define BATCH_CAP (256 * 1024)

typedef struct kn_batch {
    char *data;
    size_t len, cap;
    uint64_t lines;
} kn_batch_t;

struct kn_output {
    char *path;
    int fd;
    int lossless;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work, freed;
    kn_batch_t buf[NBUF];
    int queue[NBUF], qhead, qlen; /* batches waiting for the writer */
    int free_idx[NBUF], nfree;
    int cur; /* the batch the producer fills */
    int stop, reopen;
    int busy; /* the writer holds a batch */
    int last_errno; /* last write error reported, to report each kind once */
    uint64_t produced; /* lines appended; only the producer touches it */
    kn_output_stats_t st;
};

static int open_file(const char *path)
{
    return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
}

/* Writes the batch; on failure cuts the file back to where the batch began. */
static int write_batch(kn_output_t *o, const kn_batch_t *b)
{
    off_t start = lseek(o->fd, 0, SEEK_END);
    size_t off = 0;

    while (off < b->len) {
        ssize_t n = write(o->fd, b->data + off, b->len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            if (off > 0 && start >= 0 && ftruncate(o->fd, start) != 0)
                kn_warn("%s: could not remove a partly written batch: %s", o->path, strerror(errno));
            return e;
        }
        off += (size_t)n;
    }
    return 0;
}

static void report_error(kn_output_t *o, int e, uint64_t lost)
{
    if (e == o->last_errno)
        return;
    o->last_errno = e;
    kn_err("%s: write failed: %s; %llu events lost so far (counted in stats)", o->path,
           strerror(e), (unsigned long long)lost);
}

static void writer_reopen(kn_output_t *o)
{
    int fd = open_file(o->path);

    if (fd < 0) {
        kn_err("%s: reopen failed: %s; still writing to the old file", o->path, strerror(errno));
        return;
    }
    close(o->fd);
    o->fd = fd;
}

static void *writer_main(void *arg)
{
    kn_output_t *o = arg;

    pthread_mutex_lock(&o->mu);
    for (;;) {
        kn_batch_t *b;
        int idx, e, reopen;

        while (o->qlen == 0 && !o->stop)
            pthread_cond_wait(&o->work, &o->mu);
        if (o->qlen == 0)
            break;
        idx = o->queue[o->qhead];
        o->qhead = (o->qhead + 1) % NBUF;
        o->qlen--;
        reopen = o->reopen;
        o->reopen = 0;
        o->busy = 1;
        pthread_mutex_unlock(&o->mu);

        if (reopen)
            writer_reopen(o);
        b = &o->buf[idx];
        e = write_batch(o, b);

        pthread_mutex_lock(&o->mu);
        if (e) {
            o->st.write_errors++;
            o->st.dropped += b->lines;
            report_error(o, e, o->st.dropped);
        } else {
            o->st.written += b->lines;
            o->st.bytes += b->len;
            o->last_errno = 0;
        }
        b->len = 0;
        b->lines = 0;
        o->free_idx[o->nfree++] = idx;
        o->busy = 0;
        pthread_cond_broadcast(&o->freed);
    }
    pthread_mutex_unlock(&o->mu);
    return NULL;
}

kn_output_t *kn_output_open(const char *path, int lossless, char *err, size_t errlen)
{
    kn_output_t *o = calloc(1, sizeof(*o));
    int i;

    if (!o || !(o->path = strdup(path))) {
        snprintf(err, errlen, "out of memory");
        goto err;
    }
    o->fd = open_file(path);
    if (o->fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        goto err;
    }
    for (i = 0; i < NBUF; i++) {
        if (!(o->buf[i].data = malloc(BATCH_CAP))) {
            snprintf(err, errlen, "out of memory");
            goto err;
        }
        o->buf[i].cap = BATCH_CAP;
        if (i > 0)
            o->free_idx[o->nfree++] = i;
    }
    o->cur = 0;
    o->lossless = lossless;
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->work, NULL);
    pthread_cond_init(&o->freed, NULL);
    if (pthread_create(&o->thread, NULL, writer_main, o) != 0) {
        snprintf(err, errlen, "cannot start the output thread");
        goto err;
    }
    return o;
err:
    if (o) {
        for (i = 0; i < NBUF; i++)
            free(o->buf[i].data);
        if (o->path && o->fd > 0)
            close(o->fd);
        free(o->path);
        free(o);
    }
    return NULL;
}

/* Queues the current batch and takes a free one (waiting or dropping, by mode). */
static void hand_off(kn_output_t *o)
{
    kn_batch_t *b = &o->buf[o->cur];

    if (b->len == 0)
        return;
    pthread_mutex_lock(&o->mu);
    while (o->nfree == 0 && o->lossless)
        pthread_cond_wait(&o->freed, &o->mu);
    if (o->nfree == 0) {
        o->st.dropped += b->lines; /* the writer is behind: keep capturing, lose this batch */
        b->len = 0;
        b->lines = 0;
        pthread_mutex_unlock(&o->mu);
        return;
    }
    o->queue[(o->qhead + o->qlen) % NBUF] = o->cur;
    o->qlen++;
    o->cur = o->free_idx[--o->nfree];
    pthread_cond_signal(&o->work);
    pthread_mutex_unlock(&o->mu);
}

void kn_output_line(kn_output_t *o, const char *line, size_t len)
{
    kn_batch_t *b = &o->buf[o->cur];

    if (b->len + len + 1 > b->cap) {
        hand_off(o);
        b = &o->buf[o->cur];
        if (len + 1 > b->cap) { /* one line larger than a batch: grow this buffer */
            char *nd = realloc(b->data, len + 1);
            if (!nd) {
                o->produced++;
                pthread_mutex_lock(&o->mu);
                o->st.dropped++;
                pthread_mutex_unlock(&o->mu);
                return;
            }
            b->data = nd;
            b->cap = len + 1;
        }
    }
    memcpy(b->data + b->len, line, len);
    b->data[b->len + len] = '\n';
    b->len += len + 1;
    b->lines++;
    o->produced++;
}

void kn_output_flush(kn_output_t *o)
{
    hand_off(o);
}

void kn_output_sync(kn_output_t *o)
{
    hand_off(o);
    pthread_mutex_lock(&o->mu);
    while (o->qlen > 0 || o->busy)
        pthread_cond_wait(&o->freed, &o->mu);
    pthread_mutex_unlock(&o->mu);
}

void kn_output_reopen(kn_output_t *o)
{
    pthread_mutex_lock(&o->mu);
    o->reopen = 1;
    pthread_mutex_unlock(&o->mu);
}

void kn_output_stats(kn_output_t *o, kn_output_stats_t *st)
{
    pthread_mutex_lock(&o->mu);
    *st = o->st;
    pthread_mutex_unlock(&o->mu);
    st->lines = o->produced;
}

int kn_output_close(kn_output_t *o, kn_output_stats_t *st)
{
    kn_output_stats_t s;
    int i;

    if (!o)
        return 0;
    hand_off(o);
    pthread_mutex_lock(&o->mu);
    o->stop = 1;
    pthread_cond_signal(&o->work);
    pthread_mutex_unlock(&o->mu);
    pthread_join(o->thread, NULL);
    if (fsync(o->fd) != 0 && errno != EINVAL && errno != EROFS)
        kn_warn("%s: fsync: %s", o->path, strerror(errno));
    close(o->fd);
    s = o->st;
    s.lines = o->produced;
    if (st)
        *st = s;
    for (i = 0; i < NBUF; i++)
        free(o->buf[i].data);
    pthread_mutex_destroy(&o->mu);
    pthread_cond_destroy(&o->work);
    pthread_cond_destroy(&o->freed);
    free(o->path);
    free(o);
    return s.dropped ? -1 : 0;
}
