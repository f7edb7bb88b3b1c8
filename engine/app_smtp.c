/* app_smtp.c: the SMTP dialogue (RFC 5321): commands and replies, matched in order so that
 * pipelined commands (RFC 2920) find their replies, MAIL/RCPT/DATA transactions (3.3), BDAT
 * chunks (RFC 3030 2) and STARTTLS (RFC 3207), after whose 220 reply the flow goes on as TLS.
 *
 * Both directions are line machines that stop at any byte. A line is kept up to LINE_MAX
 * bytes; a longer command or reply raises an anomaly and its rest is skipped, a longer message
 * line goes to the message parser in pieces. The message itself (RFC 5322 headers, MIME
 * parts, attachments as files) is app_smtp_mime.c's. A transaction is logged when its message
 * ended, a RSET was accepted, or the flow ends; it is then freed, so the state holds at most
 * one transaction, its lines and the pending-command ring. */
#include "app_smtp_private.h"
#include "strci.h"

#include <stdlib.h>
#include <string.h>

#define LINE_MAX_SMTP 4096u /* Suricata's line buffer; RFC 5321 4.5.3.1.6 needs 1000 */
#define PENDING_MAX 128u    /* commands sent and not yet answered (RFC 2920 pipelining) */
#define LIST_MAX 1024u      /* recipients, attachments or URLs one transaction keeps */

enum { C_CMD = 0, C_DATA, C_BDAT, C_STOP }; /* what the client's next bytes are */
enum { CMD_OTHER = 0, CMD_DATA, CMD_BDAT, CMD_STARTTLS, CMD_RSET, CMD_DATA_END };

typedef struct smtp_state {
    smtp_mem_t mem;
    uint8_t line[2][LINE_MAX_SMTP];
    uint32_t llen[2];
    uint8_t skip[2];        /* discarding the rest of an overlong line (or after a gap) */
    uint8_t partial;        /* C_DATA: the current message line was handed on in pieces */
    uint8_t cmode;          /* C_* */
    uint8_t server_stop;
    uint8_t banner_seen, welcome_missing;
    uint64_t bdat_left;
    uint8_t pending[PENDING_MAX];
    uint32_t phead, pcount;
    kn_str_t helo;
    smtp_tx_t *cur;         /* the open transaction, NULL between them */
    smtp_mime_t *mime;
} smtp_state_t;

/* ---- owned strings ------------------------------------------------------------------------ */

int kn_smtp_keep(smtp_mem_t *m, kn_str_t *dst, const uint8_t *p, uint32_t n)
{
    uint8_t *c;

    if (m->used + n + 1 > m->cap || !(c = malloc((size_t)n + 1)))
        return -1;
    if (n)
        memcpy(c, p, n);
    c[n] = '\0';
    m->used += (size_t)n + 1;
    dst->p = c;
    dst->len = n;
    return 0;
}

void kn_smtp_str_free(smtp_mem_t *m, kn_str_t *s)
{
    if (s->p) {
        m->used -= (size_t)s->len + 1;
        free((void *)s->p);
    }
    s->p = NULL;
    s->len = 0;
}

/* Appends a copy to a list; 0 on success, -1 over the cap or list limit. */
static int list_add(smtp_mem_t *m, smtp_list_t *l, const uint8_t *p, uint32_t n)
{
    kn_str_t *v;
    uint16_t cap;

    if (l->n >= LIST_MAX)
        return -1;
    if (l->n == l->cap) {
        cap = l->cap ? (uint16_t)(l->cap * 2) : 4;
        if (m->used + (size_t)(cap - l->cap) * sizeof(*v) > m->cap ||
            !(v = realloc(l->v, cap * sizeof(*v))))
            return -1;
        m->used += (size_t)(cap - l->cap) * sizeof(*v);
        l->v = v;
        l->cap = cap;
    }
    if (kn_smtp_keep(m, &l->v[l->n], p, n) != 0)
        return -1;
    l->n++;
    return 0;
}

static void list_free(smtp_mem_t *m, smtp_list_t *l)
{
    uint16_t i;

    for (i = 0; i < l->n; i++)
        kn_smtp_str_free(m, &l->v[i]);
    m->used -= (size_t)l->cap * sizeof(*l->v);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

/* ---- transactions ------------------------------------------------------------------------- */

static void tx_strings_free(smtp_state_t *s, smtp_tx_t *t);

static void tx_free(smtp_state_t *s, smtp_tx_t *t)
{
    if (t)
        tx_strings_free(s, t);
}

static void tx_strings_free(smtp_state_t *s, smtp_tx_t *t)
{
    kn_str_t *f[] = {&t->info.mail_from, &t->info.from, &t->info.to, &t->info.cc,
                     &t->info.bcc, &t->info.reply_to, &t->info.subject, &t->info.date,
                     &t->info.message_id, &t->info.x_mailer, &t->info.user_agent};
    size_t i;

    kn_files_free(&t->files);
    for (i = 0; i < sizeof(f) / sizeof(f[0]); i++)
        kn_smtp_str_free(&s->mem, f[i]);
    list_free(&s->mem, &t->rcpt);
    kn_smtp_items_free(&s->mem, &t->att);
    kn_smtp_items_free(&s->mem, &t->url);
    kn_app_tx_clear(&t->tx);
    s->mem.used -= sizeof(*t);
    free(t);
}

/* The lists' arrays may have moved: the public struct points at them again. */
static void sync_info(smtp_state_t *s, smtp_tx_t *t)
{
    t->info.helo = s->helo;
    t->info.rcpt_to = t->rcpt.v;
    t->info.n_rcpt_to = t->rcpt.n;
    t->info.attachments = t->att.out;
    t->info.n_attachments = t->att.nout;
    t->info.urls = t->url.out;
    t->info.n_urls = t->url.nout;
}

static smtp_tx_t *tx_open(kn_app_io_t *io, smtp_state_t *s)
{
    smtp_tx_t *t;

    if (s->cur)
        return s->cur;
    if (s->mem.used + sizeof(*t) > s->mem.cap || !(t = calloc(1, sizeof(*t)))) {
        kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
        return NULL;
    }
    s->mem.used += sizeof(*t);
    kn_files_init(&t->files, &s->mem.used);
    kn_app_tx_new(io, &t->tx);
    s->cur = t;
    sync_info(s, t);
    return t;
}

/* The transaction is complete: its files are closed (parts that reached their boundary
 * complete, the others with how: KN_FILE_END_*), then it is logged and freed. */
static void tx_done(kn_app_io_t *io, smtp_state_t *s, int complete, int how)
{
    smtp_tx_t *t = s->cur;

    if (!t)
        return;
    if (s->mime && t->info.email_status != KN_EMAIL_NONE && !t->msg_ended)
        kn_smtp_mime_end(io, s->mime, t, complete);
    if (s->mime)
        kn_smtp_mime_close(io, s->mime);
    kn_files_close_all(io, &t->files, how);
    sync_info(s, t);
    kn_app_tx_update(io, &t->tx, KN_TXP_REQUEST | KN_TXP_RESPONSE | KN_TXP_DONE);
    s->cur = NULL;
    tx_free(s, t);
}

/* ---- detection ---------------------------------------------------------------------------- */

static int prefix_ci(const uint8_t *d, uint32_t len, const char *word)
{
    uint32_t i, n = (uint32_t)strlen(word);

    for (i = 0; i < n && i < len; i++)
        if (kn_lower(d[i]) != kn_lower(word[i]))
            return 0;
    return 1;
}

/* The client's first command names the protocol (RFC 5321 4.1.1.1); a server's 220 greeting
 * is shared with FTP and others, so it decides nothing (as in Suricata). */
static int probe(const uint8_t *d, uint32_t len, int dir)
{
    static const char *const words[] = {"EHLO", "HELO", "LHLO"};
    size_t i;

    if (dir != KN_TOSERVER)
        return KN_DECLINED;
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (!prefix_ci(d, len, words[i]))
            continue;
        if (len < 5)
            return KN_AGAIN;
        return d[4] == ' ' || d[4] == '\r' || d[4] == '\n' ? KN_OK : KN_DECLINED;
    }
    return KN_DECLINED;
}

static void *state_new(void)
{
    return calloc(1, sizeof(smtp_state_t));
}

static void state_free(void *st)
{
    smtp_state_t *s = st;

    if (!s)
        return;
    tx_free(s, s->cur);
    kn_smtp_mime_free(s->mime);
    free((void *)s->helo.p);
    free(s);
}

/* ---- client commands (RFC 5321 4.1) -------------------------------------------------------- */

static void push_cmd(smtp_state_t *s, uint8_t cmd)
{
    if (s->pcount == PENDING_MAX) /* a client that never reads replies: forget the oldest */
        s->phead = (s->phead + 1) % PENDING_MAX, s->pcount--;
    s->pending[(s->phead + s->pcount) % PENDING_MAX] = cmd;
    s->pcount++;
}

/* The first word after a command's fixed part (skipping spaces): "MAIL FROM:<a@b> SIZE=1"
 * gives "<a@b>". */
static kn_str_t param(const uint8_t *l, uint32_t n, uint32_t skip)
{
    kn_str_t v;
    uint32_t i = skip, start;

    while (i < n && l[i] == ' ')
        i++;
    for (start = i; i < n && l[i] != ' '; i++)
        ;
    v.p = l + start;
    v.len = i - start;
    return v;
}

/* "BDAT size [LAST]" (RFC 3030 2): the chunk follows at once, without a reply. */
static void bdat(kn_app_io_t *io, smtp_state_t *s, const uint8_t *l, uint32_t n)
{
    uint32_t i = 5;
    uint64_t size = 0;

    while (i < n && l[i] == ' ')
        i++;
    if (i == n || l[i] < '0' || l[i] > '9') {
        kn_app_anomaly(io, KN_ANOM_APP_SMTP_BDAT_CHUNK_LEN_EXCEEDED);
        return;
    }
    for (; i < n && l[i] >= '0' && l[i] <= '9' && size < (1ull << 40); i++)
        size = size * 10 + (uint64_t)(l[i] - '0');
    s->bdat_left = size;
    s->cmode = size ? C_BDAT : C_CMD;
}

static void set_helo(smtp_state_t *s, kn_str_t v)
{
    uint8_t *c;

    if (v.len > 1024 || !(c = malloc((size_t)v.len + 1)))
        return;
    memcpy(c, v.p, v.len);
    c[v.len] = '\0';
    free((void *)s->helo.p);
    s->helo.p = c;
    s->helo.len = v.len;
}

static uint8_t command_fields(kn_app_io_t *io, smtp_state_t *s, smtp_tx_t *t, const uint8_t *l,
                              uint32_t n)
{
    kn_str_t v;

    if ((prefix_ci(l, n, "HELO ") || prefix_ci(l, n, "EHLO ") || prefix_ci(l, n, "LHLO ")) &&
        n >= 5) {
        if (!s->helo.p)
            set_helo(s, param(l, n, 5));
    } else if (n >= 10 && prefix_ci(l, n, "MAIL FROM:")) {
        v = param(l, n, 10);
        if (t->info.mail_from.p)
            kn_app_anomaly(io, KN_ANOM_APP_SMTP_DUPLICATE_FIELDS);
        else if (kn_smtp_keep(&s->mem, &t->info.mail_from, v.p, v.len) != 0)
            kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
    } else if (n >= 8 && prefix_ci(l, n, "RCPT TO:")) {
        v = param(l, n, 8);
        if (list_add(&s->mem, &t->rcpt, v.p, v.len) != 0)
            kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
    } else if (n == 4 && prefix_ci(l, n, "DATA")) {
        return CMD_DATA;
    } else if (n >= 5 && prefix_ci(l, n, "BDAT ")) {
        return CMD_BDAT;
    } else if (n == 8 && prefix_ci(l, n, "STARTTLS")) {
        return CMD_STARTTLS;
    } else if (n == 4 && prefix_ci(l, n, "RSET")) {
        return CMD_RSET;
    }
    return CMD_OTHER;
}

static void command(kn_app_io_t *io, smtp_state_t *s, const uint8_t *l, uint32_t n)
{
    smtp_tx_t *t;
    uint8_t cmd;

    if (!s->banner_seen && !s->welcome_missing) {
        s->welcome_missing = 1;
        kn_app_anomaly(io, KN_ANOM_APP_SMTP_NO_SERVER_WELCOME_MESSAGE);
    }
    if (!(t = tx_open(io, s)))
        return;
    cmd = command_fields(io, s, t, l, n);
    push_cmd(s, cmd);
    /* Suricata starts the message at the command, whatever the reply: a transaction whose
     * DATA was refused still reports an email status */
    if (cmd == CMD_DATA && t->info.email_status == KN_EMAIL_NONE)
        t->info.email_status = KN_EMAIL_HEADER_READY;
    sync_info(s, t);
    kn_app_tx_update(io, &t->tx, 0);
    if (cmd == CMD_BDAT)
        bdat(io, s, l, n);
}

/* ---- the message after DATA (RFC 5321 4.1.1.4, 4.5.2) ------------------------------------- */

static void data_line(kn_app_io_t *io, smtp_state_t *s, const uint8_t *l, uint32_t n, int partial)
{
    int first = !s->partial;

    s->partial = (uint8_t)partial;
    if (first && !partial && n == 1 && l[0] == '.') {
        /* end of the message; the transaction ends with the reply to it (as in Suricata, a
         * command pipelined behind the "." still belongs to it) */
        s->cmode = C_CMD;
        push_cmd(s, CMD_DATA_END);
        if (s->cur && !s->cur->msg_ended) {
            s->cur->info.email_status = KN_EMAIL_PARSE_DONE;
            if (s->mime) {
                kn_smtp_mime_end(io, s->mime, s->cur, 1);
                kn_smtp_mime_close(io, s->mime); /* its parts are complete */
            }
            s->cur->msg_ended = 1;
            sync_info(s, s->cur);
            /* the client's side is complete: rules on it (the attachments' file keywords)
             * are checked now, in its direction */
            kn_app_tx_update(io, &s->cur->tx, KN_TXP_REQUEST);
        }
        return;
    }
    if (first && n && l[0] == '.') /* dot-stuffing */
        l++, n--;
    if (s->cur && s->mime)
        kn_smtp_mime_line(io, s->mime, s->cur, l, n, partial);
}

static void start_data(kn_app_io_t *io, smtp_state_t *s)
{
    smtp_tx_t *t = tx_open(io, s);

    s->cmode = C_DATA;
    s->partial = 0;
    if (!t)
        return;
    if (!s->mime && !(s->mime = kn_smtp_mime_new(&s->mem)))
        return;
    t->info.email_status = KN_EMAIL_HEADER_READY;
}

/* ---- server replies (RFC 5321 4.2) --------------------------------------------------------- */

static void switch_tls(kn_app_io_t *io, smtp_state_t *s)
{
    tx_done(io, s, 0, KN_FILE_END_TRUNCATED);
    s->cmode = C_STOP;
    s->server_stop = 1;
    kn_app_switch(io, KN_APP_TLS);
}

/* A complete reply (its last line) with its code: answer to the oldest pending command. */
static void reply(kn_app_io_t *io, smtp_state_t *s, unsigned code)
{
    uint8_t cmd;

    if (!s->banner_seen) { /* the greeting (4.3.1), even when a command got ahead of it */
        s->banner_seen = 1;
        if (code == 220)
            return;
        kn_app_anomaly(io, KN_ANOM_APP_SMTP_NO_SERVER_WELCOME_MESSAGE);
    }
    if (!s->pcount) {
        kn_app_anomaly(io, KN_ANOM_APP_SMTP_UNABLE_TO_MATCH_REPLY);
        return;
    }
    cmd = s->pending[s->phead];
    s->phead = (s->phead + 1) % PENDING_MAX;
    s->pcount--;
    if (cmd == CMD_STARTTLS && code == 220)
        switch_tls(io, s);
    else if (cmd == CMD_STARTTLS)
        kn_app_anomaly(io, KN_ANOM_APP_SMTP_TLS_REJECTED);
    else if (cmd == CMD_DATA && code == 354 && s->cmode == C_CMD)
        start_data(io, s);
    else if (cmd == CMD_DATA_END)
        tx_done(io, s, 1, KN_FILE_END_TRUNCATED);
    else if (cmd == CMD_DATA && code >= 400)
        kn_app_anomaly(io, KN_ANOM_APP_SMTP_DATA_COMMAND_REJECTED);
    else if (cmd == CMD_RSET && code == 250 && s->cur &&
             (s->cur->info.mail_from.p || s->cur->rcpt.n))
        tx_done(io, s, 0, KN_FILE_END_TRUNCATED);
}

static void reply_line(kn_app_io_t *io, smtp_state_t *s, const uint8_t *l, uint32_t n)
{
    unsigned code;

    if (n < 3 || l[0] < '2' || l[0] > '5' || l[1] < '0' || l[1] > '9' || l[2] < '0' ||
        l[2] > '9' || (n > 3 && l[3] != ' ' && l[3] != '-')) {
        kn_app_anomaly(io, KN_ANOM_APP_SMTP_INVALID_REPLY);
        return;
    }
    code = (unsigned)(l[0] - '0') * 100 + (unsigned)(l[1] - '0') * 10 + (unsigned)(l[2] - '0');
    if (n > 3 && l[3] == '-') /* more lines of this reply follow */
        return;
    reply(io, s, code);
}

/* ---- line assembly ----------------------------------------------------------------------- */

static void line(kn_app_io_t *io, smtp_state_t *s, int dir, const uint8_t *l, uint32_t n,
                 int partial)
{
    if (n && l[n - 1] == '\r' && !partial)
        n--;
    if (dir == KN_TOCLIENT)
        reply_line(io, s, l, n);
    else if (s->cmode == C_DATA)
        data_line(io, s, l, n, partial);
    else if (s->cmode == C_CMD)
        command(io, s, l, n);
}

/* The buffer of dir is full without a line end: a message line goes on in pieces, a command
 * or reply is taken as far as it was kept and its rest skipped. */
static void overlong(kn_app_io_t *io, smtp_state_t *s, int dir)
{
    int data = dir == KN_TOSERVER && s->cmode == C_DATA;

    if (!data) {
        kn_app_anomaly(io, dir == KN_TOSERVER ? KN_ANOM_APP_SMTP_MAX_COMMAND_LINE_LEN_EXCEEDED
                                              : KN_ANOM_APP_SMTP_MAX_REPLY_LINE_LEN_EXCEEDED);
        s->skip[dir] = 1;
    }
    line(io, s, dir, s->line[dir], s->llen[dir], data);
    s->llen[dir] = 0;
}

/* Up to and including the next LF (or all of d): returns the bytes used. */
static uint32_t take_line(kn_app_io_t *io, smtp_state_t *s, int dir, const uint8_t *d,
                          uint32_t len)
{
    const uint8_t *lf = memchr(d, '\n', len);
    uint32_t n = lf ? (uint32_t)(lf - d) + 1 : len, body = lf ? n - 1 : n;
    uint32_t room = LINE_MAX_SMTP - s->llen[dir], copy = body < room ? body : room;

    if (s->skip[dir]) {
        if (lf)
            s->skip[dir] = 0;
        return n;
    }
    if (!lf || copy < body) {
        memcpy(s->line[dir] + s->llen[dir], d, copy);
        s->llen[dir] += copy;
        if (s->llen[dir] == LINE_MAX_SMTP)
            overlong(io, s, dir);
        return copy;
    }
    if (!s->llen[dir]) { /* the whole line is in d: no copy */
        line(io, s, dir, d, body, 0);
        return n;
    }
    memcpy(s->line[dir] + s->llen[dir], d, body);
    s->llen[dir] += body;
    line(io, s, dir, s->line[dir], s->llen[dir], 0);
    s->llen[dir] = 0;
    return n;
}

/* A BDAT chunk's bytes (not parsed: Suricata writes no email object for them either). */
static uint32_t take_bdat(smtp_state_t *s, uint32_t len)
{
    uint32_t n = (uint64_t)len < s->bdat_left ? len : (uint32_t)s->bdat_left;

    s->bdat_left -= n;
    if (!s->bdat_left) /* the transaction goes on after LAST too, as Suricata 7 has it */
        s->cmode = C_CMD;
    return n;
}

static int parse(kn_app_io_t *io, void *st, int dir, const uint8_t *d, uint32_t len)
{
    smtp_state_t *s = st;
    uint32_t used;

    s->mem.cap = kn_app_state_cap(io);
    while (len) {
        if (dir == KN_TOSERVER ? s->cmode == C_STOP : s->server_stop)
            break;
        if (dir == KN_TOSERVER && s->cmode == C_BDAT)
            used = take_bdat(s, len);
        else
            used = take_line(io, s, dir, d, len);
        d += used;
        len -= used;
    }
    return KN_OK;
}

/* Lost bytes: a message in progress ends cut short; lines resume after the next LF. */
static int gap(kn_app_io_t *io, void *st, int dir, uint64_t lost)
{
    smtp_state_t *s = st;

    (void)lost;
    s->llen[dir] = 0;
    s->skip[dir] = 1;
    if (dir == KN_TOSERVER && (s->cmode == C_DATA || s->cmode == C_BDAT)) {
        s->cmode = C_CMD;
        tx_done(io, s, 0, KN_FILE_END_TRUNCATED);
    }
    if (dir == KN_TOCLIENT)
        s->pcount = 0;
    return KN_OK;
}

static void finish(kn_app_io_t *io, void *st)
{
    tx_done(io, st, 0, KN_FILE_END_FLOW);
}

static int buffer(const kn_app_tx_t *tx, int buf, int dir, uint32_t idx, const uint8_t **b,
                  uint32_t *len)
{
    const smtp_tx_t *t = (const smtp_tx_t *)tx;
    kn_str_t v = {NULL, 0};

    if (dir != KN_TOSERVER)
        return 0;
    switch (buf) {
    case KN_BUF_SMTP_HELO: v = idx ? v : t->info.helo; break;
    case KN_BUF_SMTP_MAIL_FROM: v = idx ? v : t->info.mail_from; break;
    case KN_BUF_SMTP_RCPT_TO: v = idx < t->rcpt.n ? t->rcpt.v[idx] : v; break;
    default: break;
    }
    *b = v.p;
    *len = v.len;
    return v.p != NULL;
}

static const void *info(const kn_app_tx_t *tx)
{
    return &((const smtp_tx_t *)tx)->info;
}

static size_t memuse(const void *st)
{
    const smtp_state_t *s = st;

    return sizeof(*s) + s->mem.used;
}

/* The files of a transaction, for the file rule keywords (tx is the first member). */
static const kn_files_t *tx_files(const kn_app_tx_t *tx)
{
    return &((const smtp_tx_t *)tx)->files;
}

const kn_app_parser_t kn_app_smtp_parser = {
    .app = KN_APP_SMTP,
    .ipproto = 6,
    .ports = {25, 587, 2525},
    .probe = probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse,
    .gap = gap,
    .finish = finish,
    .buffer = buffer,
    .info = info,
    .files = tx_files,
    .memuse = memuse,
};
