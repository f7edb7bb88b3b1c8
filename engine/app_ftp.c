/* app_ftp.c: the FTP control connection (RFC 959 4, 5.4; RFC 2428 EPRT/EPSV; RFC 4217 AUTH
 * TLS): one transaction per command, completed by its first non-preliminary reply, with the
 * data port that PORT, EPRT, PASV or EPSV announced.
 *
 * Replies are kept as Suricata 7 keeps them, which eve reproduces: each segment's complete
 * lines form one reply unit that goes to the oldest transaction still waiting (a new one, with
 * no command, when none waits: the banner, or the rest of a long multi-line reply), and a unit
 * whose first line is not 1yz completes it. A line is kept up to LINE_MAX bytes (longer ones
 * are cut and flagged truncated); transactions are freed once logged, at most TX_MAX wait. */
#include "applayer.h"
#include "strci.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_FTP 4096u /* Suricata's ftp max-line-length default */
#define TX_MAX 256u        /* commands waiting for their reply */
#define REPLY_UNITS_MAX 64u

typedef struct ftp_tx {
    kn_app_tx_t tx; /* first: the app layer's header */
    kn_ftp_info_t info;
    char cmd[8];
    uint8_t *req;  /* the command line without CR LF */
    uint32_t reqlen;
    kn_str_t *units;
    uint16_t nunits;
    struct ftp_tx *next;
} ftp_tx_t;

typedef struct ftp_state {
    uint8_t line[2][LINE_MAX_FTP];
    uint32_t llen[2];
    uint8_t trunc[2];  /* the line being gathered was cut */
    uint8_t stop;
    uint8_t data_active;  /* the data port came from PORT/EPRT: the server connects */
    uint16_t data_port;   /* the last data port the server accepted or offered, 0: none */
    ftp_tx_t *head, *tail;
    uint32_t ntx;
    size_t mem;
} ftp_state_t;

/* Suricata 7's command table (its names are what eve writes); others get no "command". */
static const char *const commands[] = {
    "ABOR", "ACCT", "ALLO", "APPE", "AUTH", "CDUP", "CHMOD", "CWD",  "DELE", "EPSV", "EPRT",
    "HELP", "IDLE", "LIST", "MAIL", "MLFL", "MDTM", "MKD",  "MODE", "MRCP", "MRSQ",
    "MSAM", "MSND", "MSOM", "NLST", "NOOP", "PASS", "PASV", "PORT", "PWD",  "QUIT", "REIN",
    "REST", "RETR", "RMD",  "RNFR", "RNTO", "SITE", "SIZE", "SMNT", "STAT", "STOR", "STOU",
    "STRU", "SYST", "TYPE", "UMASK", "USER"};

/* ---- detection ---------------------------------------------------------------------------- */

/* USER decides only on its whole line: FTP's has one argument (RFC 959 4.1.1), IRC's
 * "USER name mode unused :real name" (RFC 2812 3.1.3) has four. */
static int probe_user(const uint8_t *d, uint32_t len)
{
    const uint8_t *lf = memchr(d, '\n', len);
    uint32_t i, spaces = 0;

    if (!lf)
        return len >= 512 ? KN_OK : KN_AGAIN;
    for (i = 5; d + i < lf; i++)
        if (d[i] == ' ' && d[i - 1] != ' ')
            spaces++;
    return spaces >= 3 ? KN_DECLINED : KN_OK;
}

/* A client's first line: USER, or the TLS upgrade (RFC 4217 4); the server's 220 greeting is
 * shared with SMTP and decides nothing (as in Suricata). */
static int probe(const uint8_t *d, uint32_t len, int dir)
{
    static const char *const starts[] = {"USER ", "AUTH TLS", "AUTH SSL", "PASS ", "PORT ",
                                         "FEAT\r\n"};
    size_t i;
    uint32_t k, n, j;
    int again = 0;

    if (dir != KN_TOSERVER)
        return KN_DECLINED;
    for (i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
        k = (uint32_t)strlen(starts[i]);
        n = len < k ? len : k;
        for (j = 0; j < n && kn_lower(d[j]) == kn_lower(starts[i][j]); j++)
            ;
        if (j < n)
            continue;
        if (len < k)
            again = 1;
        else
            return i == 0 ? probe_user(d, len) : KN_OK;
    }
    return again ? KN_AGAIN : KN_DECLINED;
}

static void *state_new(void)
{
    return calloc(1, sizeof(ftp_state_t));
}

static void tx_free(ftp_state_t *s, ftp_tx_t *t)
{
    uint16_t i;

    for (i = 0; i < t->nunits; i++) {
        s->mem -= t->units[i].len;
        free((void *)t->units[i].p);
    }
    s->mem -= t->reqlen + sizeof(*t) + (size_t)t->nunits * sizeof(kn_str_t);
    free(t->units);
    free(t->req);
    kn_app_tx_clear(&t->tx);
    free(t);
}

static void state_free(void *st)
{
    ftp_state_t *s = st;
    ftp_tx_t *t, *n;

    if (!s)
        return;
    for (t = s->head; t; t = n) {
        n = t->next;
        tx_free(s, t);
    }
    free(s);
}

/* ---- transactions ------------------------------------------------------------------------- */

static ftp_tx_t *tx_new(kn_app_io_t *io, ftp_state_t *s)
{
    ftp_tx_t *t;

    if (s->mem + sizeof(*t) > kn_app_state_cap(io) || !(t = calloc(1, sizeof(*t)))) {
        kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
        return NULL;
    }
    s->mem += sizeof(*t);
    kn_app_tx_new(io, &t->tx);
    if (s->tail)
        s->tail->next = t;
    else
        s->head = t;
    s->tail = t;
    s->ntx++;
    return t;
}

static void unlink_tx(ftp_state_t *s, ftp_tx_t *t)
{
    ftp_tx_t **pp;

    for (pp = &s->head; *pp && *pp != t; pp = &(*pp)->next)
        ;
    if (!*pp)
        return;
    *pp = t->next;
    if (s->tail == t) {
        for (s->tail = s->head; s->tail && s->tail->next; s->tail = s->tail->next)
            ;
    }
    s->ntx--;
}

/* Logs the transaction and frees it. */
static void tx_done(kn_app_io_t *io, ftp_state_t *s, ftp_tx_t *t)
{
    t->info.replies = t->units;
    t->info.n_replies = t->nunits;
    kn_app_tx_update(io, &t->tx, KN_TXP_REQUEST | KN_TXP_RESPONSE | KN_TXP_DONE);
    unlink_tx(s, t);
    tx_free(s, t);
}

/* ---- data ports ----------------------------------------------------------------------------- */

/* "h1,h2,h3,h4,p1,p2" (RFC 959 4.1.2 PORT, and the 227 reply): the port, 0 when malformed. */
static uint16_t port_six(const uint8_t *p, uint32_t n)
{
    unsigned v[6] = {0}, k = 0, digits = 0;
    uint32_t i;

    for (i = 0; i < n && k < 6; i++) {
        if (p[i] >= '0' && p[i] <= '9') {
            v[k] = v[k] * 10 + (unsigned)(p[i] - '0');
            if (++digits > 3 || v[k] > 255)
                return 0;
        } else if (p[i] == ',' && digits) {
            k++;
            digits = 0;
        } else if (digits) {
            break;
        }
    }
    if (k < 5 || (k == 5 && !digits))
        return 0;
    return (uint16_t)(v[4] * 256 + v[5]);
}

/* "<d><af><d><addr><d><port><d>" (RFC 2428 2 EPRT, 3 EPSV reply "(|||port|)"): the port. */
static uint16_t port_ext(const uint8_t *p, uint32_t n)
{
    uint32_t i, fields = 0, port = 0, digits = 0;
    uint8_t delim;

    if (!n)
        return 0;
    delim = p[0];
    for (i = 1; i < n && fields < 2; i++)
        if (p[i] == delim)
            fields++;
    for (; i < n && p[i] >= '0' && p[i] <= '9' && digits < 6; i++, digits++)
        port = port * 10 + (uint32_t)(p[i] - '0');
    if (fields < 2 || !digits || i >= n || p[i] != delim || port == 0 || port > 65535)
        return 0;
    return (uint16_t)port;
}

/* The port of a 227 or 229 reply line (inside its parentheses, or after the code). */
static uint16_t passive_port(const uint8_t *l, uint32_t n, int extended)
{
    const uint8_t *open = memchr(l, '(', n);
    uint32_t off = open ? (uint32_t)(open - l) + 1 : 4;

    if (off >= n)
        return 0;
    return extended ? port_ext(l + off, n - off) : port_six(l + off, n - off);
}

/* ---- client commands ---------------------------------------------------------------------- */

static const char *command_name(const uint8_t *l, uint32_t n, uint32_t *wlen)
{
    uint32_t w = 0;
    size_t i;

    while (w < n && l[w] != ' ')
        w++;
    *wlen = w;
    if (w < 3 || w > 5) /* the table's names are 3 to 5 letters: most lines stop here */
        return NULL;
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (kn_ci_eq(l, w, commands[i]))
            return commands[i];
    return NULL;
}

/* RETR/STOR/APPE/STOU move a file over the data connection the last PASV/EPSV offered (the
 * client connects to the server) or PORT/EPRT named (the server connects to the client), and
 * LIST/NLST/MLSD a directory listing: announce it, with the command and file name, so that
 * flow is ftp-data from its first byte. Context: the command, a NUL, the file name. */
static void announce_data(kn_app_io_t *io, const ftp_state_t *s, const ftp_tx_t *t)
{
    const kn_flow_info_t *fi = kn_app_flow(io);
    kn_expect_t e;
    uint32_t n = t->info.command_data.len, c = (uint32_t)strlen(t->cmd) + 1;

    static const char *const moves[] = {"RETR", "STOR", "APPE", "STOU", "LIST", "NLST", "MLSD"};
    size_t i;

    for (i = 0; i < sizeof(moves) / sizeof(moves[0]) && strcmp(t->cmd, moves[i]); i++)
        ;
    if (!s->data_port || i == sizeof(moves) / sizeof(moves[0]))
        return;
    memset(&e, 0, sizeof(e));
    e.ipproto = 6;
    e.app = KN_APP_FTP_DATA;
    e.client = s->data_active ? fi->dst : fi->src;
    e.server = s->data_active ? fi->src : fi->dst;
    e.server_port = s->data_port;
    memcpy(e.ctx, t->cmd, c);
    if (n > sizeof(e.ctx) - c)
        n = sizeof(e.ctx) - c;
    if (n)
        memcpy(e.ctx + c, t->info.command_data.p, n);
    e.ctx_len = c + n;
    kn_app_expect(io, &e);
}

static void command(kn_app_io_t *io, ftp_state_t *s, const uint8_t *l, uint32_t n, int trunc)
{
    ftp_tx_t *t;
    uint32_t w;
    const char *name = command_name(l, n, &w);

    if (s->ntx >= TX_MAX) /* a client that never gets replies: log the oldest unanswered */
        tx_done(io, s, s->head);
    if (!(t = tx_new(io, s)))
        return;
    if (name) {
        snprintf(t->cmd, sizeof(t->cmd), "%s", name);
        t->info.command.p = (const uint8_t *)t->cmd;
        t->info.command.len = (uint32_t)strlen(t->cmd);
    }
    if (n && (t->req = malloc(n))) {
        memcpy(t->req, l, n);
        t->reqlen = n;
        s->mem += n;
    }
    if (name && t->req && n > w + 1) {
        t->info.has_data = 1;
        t->info.command_data.p = t->req + w + 1;
        t->info.command_data.len = n - w - 1;
        t->info.command_truncated = (uint8_t)trunc;
    }
    if (trunc)
        kn_app_anomaly(io, KN_ANOM_APP_FTP_REQUEST_COMMAND_TOO_LONG);
    if (name && (!strcmp(name, "PORT") || !strcmp(name, "EPRT")) && t->info.has_data)
        t->info.port_cmd = 1;
    if (name)
        announce_data(io, s, t);
    kn_app_tx_update(io, &t->tx, KN_TXP_REQUEST);
}

/* ---- server replies ----------------------------------------------------------------------- */

static int is_cmd(const ftp_tx_t *t, const char *name)
{
    return t->info.command.len && strcmp(t->cmd, name) == 0;
}

/* The unit's first line decides for the transaction it goes to (RFC 959 4.2: 1yz is a
 * preliminary reply, the command goes on). */
static void apply_reply(kn_app_io_t *io, ftp_state_t *s, ftp_tx_t *t, const uint8_t *u,
                        uint32_t n)
{
    const kn_str_t *cd = &t->info.command_data;

    if (is_cmd(t, "PASV") && n >= 4 && memcmp(u, "227 ", 4) == 0)
        t->info.dynamic_port = passive_port(u, n, 0);
    else if (is_cmd(t, "EPSV") && n >= 4 && memcmp(u, "229 ", 4) == 0)
        t->info.dynamic_port = passive_port(u, n, 1);
    else if (is_cmd(t, "PORT") && t->info.has_data)
        t->info.dynamic_port = port_six(cd->p, cd->len);
    else if (is_cmd(t, "EPRT") && t->info.has_data)
        t->info.dynamic_port = port_ext(cd->p, cd->len);
    if (t->info.port_cmd && t->info.dynamic_port)
        t->info.active = 1;
    if (t->info.dynamic_port && (!t->info.port_cmd || (n && u[0] == '2'))) {
        s->data_port = t->info.dynamic_port;
        s->data_active = t->info.port_cmd;
    }
    if (is_cmd(t, "AUTH") && n >= 4 && memcmp(u, "234 ", 4) == 0) {
        s->stop = 1; /* RFC 4217 4: TLS follows */
        t->info.reply_received = 1;
        tx_done(io, s, t);
        kn_app_switch(io, KN_APP_TLS);
        return;
    }
    if (n && u[0] == '1')
        return;
    t->info.reply_received = 1;
    tx_done(io, s, t);
}

static void reply_unit(kn_app_io_t *io, ftp_state_t *s, const uint8_t *u, uint32_t n, int trunc)
{
    ftp_tx_t *t = s->head;
    kn_str_t *units;
    uint8_t *c;

    while (t && t->info.reply_received)
        t = t->next;
    if (!t && !(t = tx_new(io, s)))
        return;
    if (trunc) {
        t->info.reply_truncated = 1;
        kn_app_anomaly(io, KN_ANOM_APP_FTP_RESPONSE_COMMAND_TOO_LONG);
    }
    if (t->nunits < REPLY_UNITS_MAX && s->mem + n + sizeof(*units) <= kn_app_state_cap(io) &&
        (c = malloc(n ? n : 1)) &&
        (units = realloc(t->units, (t->nunits + 1u) * sizeof(*units)))) {
        memcpy(c, u, n);
        t->units = units;
        t->units[t->nunits].p = c;
        t->units[t->nunits++].len = n;
        s->mem += n + sizeof(*units);
    } else {
        kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
    }
    t->info.replies = t->units;
    t->info.n_replies = t->nunits;
    apply_reply(io, s, t, u, n);
}

/* ---- line assembly ------------------------------------------------------------------------ */

/* Client: one command per line. */
static void client_bytes(kn_app_io_t *io, ftp_state_t *s, const uint8_t *d, uint32_t len)
{
    uint8_t *line = s->line[KN_TOSERVER];
    uint32_t *ll = &s->llen[KN_TOSERVER], n, copy;
    const uint8_t *lf;

    while (len && !s->stop) {
        lf = memchr(d, '\n', len);
        n = lf ? (uint32_t)(lf - d) + 1 : len;
        copy = n < LINE_MAX_FTP - *ll ? n : LINE_MAX_FTP - *ll;
        memcpy(line + *ll, d, copy);
        *ll += copy;
        if (copy < n)
            s->trunc[KN_TOSERVER] = 1;
        d += n;
        len -= n;
        if (!lf)
            break;
        n = *ll;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        command(io, s, line, n, s->trunc[KN_TOSERVER]);
        *ll = 0;
        s->trunc[KN_TOSERVER] = 0;
    }
}

/* Server: the complete lines of this segment (with what an earlier one left unfinished) are
 * one unit; an unfinished last line waits for the next segment. */
static void server_bytes(kn_app_io_t *io, ftp_state_t *s, const uint8_t *d, uint32_t len)
{
    uint8_t *line = s->line[KN_TOCLIENT];
    uint32_t *ll = &s->llen[KN_TOCLIENT], upto, copy, n;
    const uint8_t *last = NULL, *p;

    for (p = d; (p = memchr(p, '\n', len - (uint32_t)(p - d))); p++)
        last = p;
    upto = last ? (uint32_t)(last - d) + 1 : 0;
    copy = upto < LINE_MAX_FTP - *ll ? upto : LINE_MAX_FTP - *ll;
    if (last) {
        memcpy(line + *ll, d, copy);
        n = *ll + copy;
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        reply_unit(io, s, line, n, s->trunc[KN_TOCLIENT] || copy < upto);
        *ll = 0;
        s->trunc[KN_TOCLIENT] = 0;
    }
    if (s->stop)
        return;
    n = len - upto;
    copy = n < LINE_MAX_FTP - *ll ? n : LINE_MAX_FTP - *ll;
    memcpy(line + *ll, d + upto, copy);
    *ll += copy;
    if (copy < n)
        s->trunc[KN_TOCLIENT] = 1;
}

static int parse(kn_app_io_t *io, void *st, int dir, const uint8_t *d, uint32_t len)
{
    ftp_state_t *s = st;

    if (s->stop)
        return KN_OK;
    if (dir == KN_TOSERVER)
        client_bytes(io, s, d, len);
    else
        server_bytes(io, s, d, len);
    return KN_OK;
}

/* Lost bytes: the line being gathered is dropped; commands and replies go on. */
static int gap(kn_app_io_t *io, void *st, int dir, uint64_t lost)
{
    ftp_state_t *s = st;

    (void)io;
    (void)lost;
    s->llen[dir] = 0;
    s->trunc[dir] = 0;
    return KN_OK;
}

/* The flow ends: unanswered commands are logged (reply_received "no"). */
static void finish(kn_app_io_t *io, void *st)
{
    ftp_state_t *s = st;

    while (s->head)
        tx_done(io, s, s->head);
}


static const void *info(const kn_app_tx_t *tx)
{
    return &((const ftp_tx_t *)tx)->info;
}

static size_t memuse(const void *st)
{
    const ftp_state_t *s = st;

    return sizeof(*s) + s->mem;
}

const kn_app_parser_t kn_app_ftp_parser = {
    .app = KN_APP_FTP,
    .ipproto = 6,
    .ports = {21},
    .probe = probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse,
    .gap = gap,
    .finish = finish,
    .info = info,
    .memuse = memuse,
};
