/* app_ftp_data.c: an FTP data connection (RFC 959 3.2), known because the control connection
 * announced it (app_ftp.c: RETR/STOR after PASV/EPSV/PORT/EPRT; app_expect.h): its bytes are
 * one file, named by the control command's argument. There is no probe: data connections
 * carry anything, so only the announcement says what a flow is.
 *
 * One transaction per connection, logged when the flow ends (ftp_data record), after the file
 * (fileinfo record). A directory listing (LIST, NLST, MLSD) is labelled ftp-data but is
 * neither a file nor a record, as in Suricata. The file is CLOSED when its sender closed the connection (FIN) with no
 * bytes missing, as the end of the data is the end of the file in stream mode (RFC 959 3.4). */
#include "applayer.h"

#include <stdlib.h>
#include <string.h>

#include "file.h"

typedef struct ftpd_state {
    kn_app_tx_t tx; /* first: the app layer's header */
    kn_ftp_data_info_t info;
    char cmd[8];
    uint8_t *name;
    uint32_t name_len;
    kn_files_t files;
    kn_file_t *file;
    int8_t dir;     /* direction the file travels, -1 before its first byte */
    uint8_t gaps, started;
    uint8_t listing; /* LIST/NLST/MLSD: no file, no record */
    size_t mem;
} ftpd_state_t;

static int probe(const uint8_t *d, uint32_t len, int dir)
{
    (void)d, (void)len, (void)dir;
    return KN_DECLINED;
}

static void *state_new(void)
{
    ftpd_state_t *s = calloc(1, sizeof(*s));

    if (s) {
        kn_files_init(&s->files, &s->mem);
        s->dir = -1;
    }
    return s;
}

static void state_free(void *st)
{
    ftpd_state_t *s = st;

    if (!s)
        return;
    kn_files_free(&s->files);
    kn_app_tx_clear(&s->tx);
    free(s->name);
    free(s);
}

/* ctx from app_ftp.c: the command, a NUL, the file name. */
static void expected(void *st, const uint8_t *ctx, uint32_t len)
{
    ftpd_state_t *s = st;
    const uint8_t *nul = memchr(ctx, 0, len);
    uint32_t c;

    if (!nul)
        return;
    c = (uint32_t)(nul - ctx);
    memcpy(s->cmd, ctx, c < sizeof(s->cmd) - 1 ? c : sizeof(s->cmd) - 1);
    s->info.command.p = (const uint8_t *)s->cmd;
    s->info.command.len = (uint32_t)strlen(s->cmd);
    s->listing = !strcmp(s->cmd, "LIST") || !strcmp(s->cmd, "NLST") || !strcmp(s->cmd, "MLSD");
    if (len > c + 1 && (s->name = malloc(len - c - 1))) {
        s->name_len = len - c - 1;
        memcpy(s->name, nul + 1, s->name_len);
        s->mem += s->name_len;
        s->info.filename.p = s->name;
        s->info.filename.len = s->name_len;
    }
}

static int parse(kn_app_io_t *io, void *st, int dir, const uint8_t *d, uint32_t len)
{
    ftpd_state_t *s = st;

    (void)d, (void)len;
    if (s->listing)
        return KN_OK;
    if (!s->started) {
        s->started = 1;
        kn_app_tx_new(io, &s->tx);
    }
    if (s->dir < 0) {
        s->dir = (int8_t)dir;
        s->file = kn_file_open(io, &s->files, &s->tx, dir, s->name, s->name_len);
    }
    if (dir == s->dir)
        kn_file_data(io, s->file, d, len); /* the other side has nothing to say in stream mode */
    return KN_OK;
}

static int gap(kn_app_io_t *io, void *st, int dir, uint64_t lost)
{
    ftpd_state_t *s = st;

    if (dir == s->dir) {
        s->gaps = 1;
        kn_file_gap(io, s->file, lost);
    }
    return KN_OK;
}

/* The file ends with the connection: whole when its sender closed it (FIN) and nothing went
 * missing, cut short otherwise. */
static void finish(kn_app_io_t *io, void *st)
{
    ftpd_state_t *s = st;
    const kn_flow_info_t *fi = kn_app_flow(io);

    if (!s->started)
        return;
    if (s->file)
        kn_file_close(io, s->file, (fi->tcp_flags[s->dir] & 0x01) && !s->gaps
                                       ? KN_FILE_END_OK : KN_FILE_END_TRUNCATED);
    s->file = NULL;
    kn_app_tx_update(io, &s->tx, KN_TXP_REQUEST | KN_TXP_RESPONSE | KN_TXP_DONE);
}


static const void *info(const kn_app_tx_t *tx)
{
    return &((const ftpd_state_t *)tx)->info;
}

static size_t memuse(const void *st)
{
    return ((const ftpd_state_t *)st)->mem + sizeof(ftpd_state_t);
}

/* The files of a transaction, for the file rule keywords (tx is the first member). */
static const kn_files_t *tx_files(const kn_app_tx_t *tx)
{
    return &((const ftpd_state_t *)tx)->files;
}

const kn_app_parser_t kn_app_ftp_data_parser = {
    .app = KN_APP_FTP_DATA,
    .ipproto = 6,
    .probe = probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse,
    .gap = gap,
    .finish = finish,
    .info = info,
    .files = tx_files,
    .memuse = memuse,
    .expected = expected,
};
