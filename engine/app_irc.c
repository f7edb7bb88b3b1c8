/* app_irc.c: IRC client and server lines (RFC 1459, RFC 2812; message grammar in irc_msg.c).
 *
 * One transaction per message that tells an analyst something, from either side, logged at
 * once: the client's registration (NICK, USER, PASS), its JOINs (channels and keys), PRIVMSG
 * and NOTICE (targets, text), TOPIC, PART, KICK, INVITE, QUIT, STARTTLS; the server's welcome
 * (001, which confirms the nick), topic (332) and names (353) replies, a refused nick (433),
 * and what it relays from users (PRIVMSG, NOTICE, JOIN ...), since a bot herder's commands
 * reach the bot from the server, often in a channel topic. Each record carries the session as
 * known so far (nick, user). Why per message and not one summary per session: IRC sessions
 * last days, a summary would come only at their end, and a rule must be able to fire on the one
 * PRIVMSG that carries a command. PING/PONG, MOTD and the other numerics are parsed (a line
 * that does not parse is an anomaly) but not logged.
 *
 * Each direction is a line collector that stops at any byte. A line is kept up to LINE_KEEP
 * bytes; RFC 2812 2.3 allows 512 with CR LF, a longer one is an anomaly and is cut. After
 * STARTTLS is accepted (670) the rest is TLS, and parsing stops. */
#include "applayer.h"

#include <stdlib.h>
#include <string.h>

#include "irc_msg.h"
#include "strci.h"

#define LINE_RFC 512u     /* RFC 2812 2.3: a message is at most 512 bytes with its CR LF */
#define LINE_KEEP 1024u   /* bytes of one line kept (IRCv3 tags make some lines longer) */
#define TEXT_MAX 512u     /* bytes of a message's text logged */
#define LIST_MAX 32u      /* targets, channels, keys of one message */
#define NAMES_MAX 64u     /* nicks of one 353 reply */
#define NICK_KEEP 64u
#define REAL_KEEP 128u
#define BAD_LINES_MAX 16u /* malformed lines in a row before a side is given up */
#define PROBE_LINE 512u   /* the first line must end within this */
#define PROBE_LINES 3u    /* client lines looked at for its registration */

enum { PH_LINE = 0, PH_SKIP, PH_STOP };

/* What a command's record holds. */
enum { K_NICK = 1, K_USER, K_PARAMS, K_JOIN, K_PART, K_MSG, K_TOPIC, K_TEXT, K_KICK, K_INVITE,
       K_WELCOME, K_TOPIC_REPLY, K_NAMES };

enum { FROM_CLIENT = 1, FROM_SERVER = 2, FROM_BOTH = 3 };

static const struct {
    const char *cmd;
    uint8_t kind, from;
} commands[] = {
    {"NICK", K_NICK, FROM_BOTH},     {"USER", K_USER, FROM_CLIENT},
    {"PASS", K_PARAMS, FROM_CLIENT}, {"JOIN", K_JOIN, FROM_BOTH},
    {"PART", K_PART, FROM_BOTH},     {"PRIVMSG", K_MSG, FROM_BOTH},
    {"NOTICE", K_MSG, FROM_BOTH},    {"TOPIC", K_TOPIC, FROM_BOTH},
    {"QUIT", K_TEXT, FROM_CLIENT},   {"ERROR", K_TEXT, FROM_SERVER},
    {"KICK", K_KICK, FROM_BOTH},     {"INVITE", K_INVITE, FROM_BOTH},
    {"STARTTLS", K_PARAMS, FROM_CLIENT},
    {"001", K_WELCOME, FROM_SERVER}, {"332", K_TOPIC_REPLY, FROM_SERVER},
    {"353", K_NAMES, FROM_SERVER},   {"433", K_PARAMS, FROM_SERVER},
    {"670", K_PARAMS, FROM_SERVER},
};

typedef struct side {
    uint8_t phase;
    uint8_t bad;    /* malformed lines in a row */
    uint16_t llen;  /* bytes kept of the current line */
    uint32_t total; /* bytes of the current line so far, kept or not (saturating) */
    uint8_t line[LINE_KEEP];
} side_t;

typedef struct irc_tx {
    kn_app_tx_t tx; /* first: the app layer's header */
    kn_irc_info_t info;
} irc_tx_t;

typedef struct irc_state {
    irc_tx_t t; /* the message being reported; reused */
    side_t side[2]; /* by direction: KN_TOSERVER is the client */
    uint8_t starttls;
    uint8_t nick[NICK_KEEP], user[NICK_KEEP], realname[REAL_KEEP];
    uint8_t nick_len, user_len, real_len;
    kn_str_t list_a[LIST_MAX], list_b[LIST_MAX], names[NAMES_MAX], params[KN_IRC_PARAMS_MAX];
} irc_state_t;

/* ---- detection ------------------------------------------------------------------------- */

/* How a session opens: a client registers (RFC 2812 3.1; CAP is IRCv3's), a server greets,
 * pings or refuses. Servers put their name in front of what they send; FTP's and SMTP's
 * "220" greetings have none, FTP's "USER name" has one parameter where IRC's has four. */
static int opening_line(const kn_irc_msg_t *m, int dir)
{
    static const char *const srv[] = {"NOTICE", "PRIVMSG", "PING", "JOIN", "MODE", "CAP",
                                      "ERROR", "NICK"};
    size_t i;

    if (dir == KN_TOSERVER)
        return !m->prefix.p && ((kn_irc_cmd_is(m, "NICK") && m->nparams >= 1) ||
                                (kn_irc_cmd_is(m, "USER") && m->nparams >= 4) ||
                                (kn_irc_cmd_is(m, "PASS") && m->nparams >= 1) ||
                                (kn_irc_cmd_is(m, "CAP") && m->nparams >= 1));
    if (!m->prefix.p)
        return (kn_irc_cmd_is(m, "NOTICE") && m->nparams >= 2) ||
               (kn_irc_cmd_is(m, "PING") && m->nparams >= 1) ||
               (kn_irc_cmd_is(m, "ERROR") && m->nparams >= 1);
    if (m->numeric)
        return m->nparams >= 1;
    for (i = 0; i < sizeof(srv) / sizeof(srv[0]); i++)
        if (kn_irc_cmd_is(m, srv[i]))
            return 1;
    return 0;
}

/* Text so far: no control bytes but tab, CR and CTCP's \x01. */
static int could_be_irc(const uint8_t *d, uint32_t len)
{
    uint32_t k;

    for (k = 0; k < len; k++)
        if (d[k] < 0x20 && d[k] != '\r' && d[k] != '\t' && d[k] != 1)
            return 0;
    return 1;
}

/* Case-insensitive: t[0..n) equals cmd (whole) or is a prefix of it (!whole). */
static int token_is(const uint8_t *t, uint32_t n, const char *cmd, int whole)
{
    uint32_t len = (uint32_t)strlen(cmd);

    if (n > len || (whole && n != len))
        return 0;
    return kn_ci_mem(t, (const uint8_t *)cmd, n);
}

/* The first line has no LF yet. A client's NICK, PASS or CAP claims the flow at once (FTP's
 * probe claims "PASS " as early, and IRC is asked first); USER waits for its parameters; a
 * server's prefixed line waits for its command; anything else is not an IRC opening. */
static int partial_first_line(const uint8_t *d, uint32_t len, int dir)
{
    static const char *const cli[] = {"NICK", "USER", "PASS", "CAP"};
    static const char *const srv[] = {"NOTICE", "PING", "ERROR"};
    const char *const *c = dir == KN_TOSERVER ? cli : srv;
    size_t i, nc = dir == KN_TOSERVER ? 4 : 3;
    uint32_t s = 0, e;

    if (!could_be_irc(d, len))
        return KN_DECLINED;
    while (s < len && d[s] == ' ')
        s++;
    if (s < len && (d[s] == '@' || d[s] == ':'))
        return dir == KN_TOCLIENT || d[s] == '@' ? KN_AGAIN : KN_DECLINED;
    for (e = s; e < len && ((d[e] | 0x20) >= 'a' && (d[e] | 0x20) <= 'z'); e++)
        ;
    if (e < len && d[e] != ' ' && d[e] != '\r')
        return KN_DECLINED; /* "HTTP/1.1", "220-" */
    for (i = 0; i < nc; i++) {
        if (e < len && token_is(d + s, e - s, c[i], 1))
            return dir == KN_TOSERVER && i != 1 ? KN_OK : KN_AGAIN;
        if (e == len && token_is(d + s, e - s, c[i], 0))
            return KN_AGAIN;
    }
    return KN_DECLINED;
}

static uint32_t strip_eol(const uint8_t *l, uint32_t n)
{
    if (n && l[n - 1] == '\n')
        n--;
    if (n && l[n - 1] == '\r')
        n--;
    return n;
}

/* A client that registers lazily ("USER foo" then "NICK foo") shows it on a later line. */
static int later_registration(const kn_irc_msg_t *m)
{
    return (kn_irc_cmd_is(m, "NICK") && m->nparams >= 1) ||
           (kn_irc_cmd_is(m, "USER") && m->nparams >= 4);
}

/* The first line decides; a client's next PROBE_LINES - 1 lines may too, when they are all
 * messages. */
static int probe(const uint8_t *d, uint32_t len, int dir)
{
    uint32_t off = 0, n, line;
    const uint8_t *lf;
    kn_irc_msg_t m;

    for (line = 0; line < PROBE_LINES && off < len; line++) {
        n = len - off < PROBE_LINE ? len - off : PROBE_LINE;
        if (!(lf = memchr(d + off, '\n', n)))
            return !line && n < PROBE_LINE ? partial_first_line(d, len, dir) : KN_DECLINED;
        n = (uint32_t)(lf - (d + off));
        if (!could_be_irc(d + off, n) ||
            kn_irc_msg_parse(d + off, strip_eol(d + off, n + 1), &m) != KN_OK)
            return KN_DECLINED;
        if (!line ? opening_line(&m, dir) : later_registration(&m))
            return KN_OK;
        if (dir == KN_TOCLIENT)
            return KN_DECLINED;
        off += n + 1;
    }
    return KN_DECLINED;
}

/* ---- state ------------------------------------------------------------------------------ */

static void *state_new(void)
{
    return calloc(1, sizeof(irc_state_t));
}

static void state_free(void *st)
{
    irc_state_t *s = st;

    if (!s)
        return;
    kn_app_tx_clear(&s->t.tx);
    free(s);
}

static void keep(uint8_t *dst, uint8_t *dlen, size_t cap, kn_str_t v)
{
    size_t n = v.len < cap ? v.len : cap;

    memcpy(dst, v.p, n);
    *dlen = (uint8_t)n;
}

/* ---- what a record holds ---------------------------------------------------------------- */

/* Splits v at sep into out[0..max), empty items skipped; *trunc when some did not fit. */
static uint16_t split(kn_str_t v, uint8_t sep, kn_str_t *out, uint16_t max, uint8_t *trunc)
{
    uint32_t i = 0, s;
    uint16_t n = 0;

    while (v.p && i < v.len) {
        for (s = i; i < v.len && v.p[i] != sep; i++)
            ;
        if (i > s) {
            if (n == max) {
                if (trunc)
                    *trunc = 1;
                break;
            }
            out[n++] = (kn_str_t){v.p + s, i - s};
        }
        i++;
    }
    return n;
}

/* The message's text, bounded; its CTCP command when it is one ("\x01DCC SEND ...\x01"). */
static void set_text(kn_irc_info_t *in, kn_str_t v, int line_cut)
{
    uint32_t i;

    if (!v.p)
        return;
    in->text = v;
    if (v.len > TEXT_MAX || line_cut) {
        in->text.len = v.len < TEXT_MAX ? v.len : TEXT_MAX;
        in->text_truncated = 1;
    }
    if (v.len < 2 || v.p[0] != 1)
        return;
    for (i = 1; i < v.len && v.p[i] != ' ' && v.p[i] != 1; i++)
        ;
    in->ctcp = (kn_str_t){v.p + 1, i - 1};
}

static kn_str_t param(const kn_irc_msg_t *m, unsigned i)
{
    return i < m->nparams ? m->params[i] : (kn_str_t){NULL, 0};
}

/* A prefix "nick!user@host" names nick. */
static int prefix_is_nick(kn_str_t prefix, const uint8_t *nick, uint32_t n)
{
    return n && prefix.len > n && memcmp(prefix.p, nick, n) == 0 &&
           (prefix.p[n] == '!' || prefix.p[n] == '@');
}

static void fill_session(irc_state_t *s, int kind, int dir, const kn_irc_msg_t *m)
{
    kn_str_t p0 = param(m, 0);

    if (kind == K_NICK && p0.p &&
        (dir == KN_TOSERVER || prefix_is_nick(m->prefix, s->nick, s->nick_len)))
        keep(s->nick, &s->nick_len, NICK_KEEP, p0);
    if (kind == K_WELCOME && p0.p)
        keep(s->nick, &s->nick_len, NICK_KEEP, p0);
    if (kind == K_USER && p0.p) {
        keep(s->user, &s->user_len, NICK_KEEP, p0);
        if (m->nparams >= 4)
            keep(s->realname, &s->real_len, REAL_KEEP, m->params[3]);
    }
    if (kind == K_PARAMS && kn_irc_cmd_is(m, "STARTTLS"))
        s->starttls = 1;
}

static void fill_lists(irc_state_t *s, int kind, const kn_irc_msg_t *m, kn_irc_info_t *in)
{
    kn_str_t p0 = param(m, 0), p1 = param(m, 1);

    switch (kind) {
    case K_JOIN:
    case K_PART:
    case K_TOPIC:
    case K_KICK: in->n_channels = split(p0, ',', s->list_a, LIST_MAX, NULL); break;
    case K_MSG: in->n_targets = split(p0, ',', s->list_b, LIST_MAX, NULL); break;
    case K_INVITE:
        in->n_targets = split(p0, ',', s->list_b, 1, NULL);
        in->n_channels = split(p1, ',', s->list_a, 1, NULL);
        break;
    case K_TOPIC_REPLY: in->n_channels = split(p1, ',', s->list_a, 1, NULL); break;
    case K_NAMES:
        if (m->nparams >= 2) {
            in->n_channels = split(m->params[m->nparams - 2], ',', s->list_a, 1, NULL);
            in->n_names = split(m->params[m->nparams - 1], ' ', s->names, NAMES_MAX,
                                &in->names_truncated);
        }
        break;
    default: break;
    }
    if (kind == K_JOIN)
        in->n_keys = split(p1, ',', s->list_b, LIST_MAX, NULL);
    if (kind == K_KICK)
        in->n_targets = split(p1, ',', s->list_b, LIST_MAX, NULL);
    in->channels = s->list_a;
    in->targets = in->keys = s->list_b;
    in->names = s->names;
}

static void fill_text(int kind, const kn_irc_msg_t *m, kn_irc_info_t *in, int cut)
{
    unsigned last = m->nparams ? m->nparams - 1u : 0;
    int on_last = cut && m->trailing;

    switch (kind) {
    case K_PART:
    case K_MSG:
    case K_TOPIC: set_text(in, param(m, 1), on_last && last == 1); break;
    case K_TEXT: set_text(in, param(m, 0), on_last && last == 0); break;
    case K_KICK:
    case K_TOPIC_REPLY: set_text(in, param(m, 2), on_last && last == 2); break;
    case K_WELCOME: set_text(in, param(m, last), on_last); break;
    default: break;
    }
}

static void fill_params(irc_state_t *s, const kn_irc_msg_t *m, kn_irc_info_t *in)
{
    memcpy(s->params, m->params, m->nparams * sizeof(kn_str_t));
    in->params = s->params;
    in->n_params = m->nparams;
}

/* ---- lines ------------------------------------------------------------------------------ */

static int find_command(const kn_irc_msg_t *m, int dir)
{
    size_t i;
    uint8_t from = dir == KN_TOSERVER ? FROM_CLIENT : FROM_SERVER;

    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if ((commands[i].from & from) && kn_irc_cmd_is(m, commands[i].cmd))
            return commands[i].kind;
    return 0;
}

/* A server's own NOTICEs ("*** Looking up your hostname") are chatter; users' are not. */
static int worth_logging(const kn_irc_msg_t *m, int kind, int dir)
{
    if (!kind)
        return 0;
    if (dir == KN_TOSERVER || kind != K_MSG)
        return 1;
    return m->prefix.p && memchr(m->prefix.p, '!', m->prefix.len) != NULL;
}

static void report(kn_app_io_t *io, irc_state_t *s, int dir, const kn_irc_msg_t *m, int kind,
                   int cut)
{
    kn_irc_info_t *in = &s->t.info;

    memset(&s->t, 0, sizeof(s->t));
    in->from_server = dir == KN_TOCLIENT;
    in->prefix = m->prefix;
    in->command = m->command;
    in->line_truncated = (uint8_t)cut;
    if (kind == K_USER && s->real_len)
        in->realname = (kn_str_t){s->realname, s->real_len};
    if (kind == K_NICK || kind == K_PARAMS)
        fill_params(s, m, in);
    fill_lists(s, kind, m, in);
    fill_text(kind, m, in, cut);
    if (s->nick_len)
        in->nick = (kn_str_t){s->nick, s->nick_len};
    if (s->user_len)
        in->user = (kn_str_t){s->user, s->user_len};
    kn_app_tx_new(io, &s->t.tx);
    kn_app_tx_update(io, &s->t.tx,
                     (dir == KN_TOSERVER ? KN_TXP_REQUEST : KN_TXP_RESPONSE) | KN_TXP_DONE);
    kn_app_tx_clear(&s->t.tx);
}

static void stop(side_t *sd)
{
    sd->phase = PH_STOP;
}

static void take_message(kn_app_io_t *io, irc_state_t *s, int dir, const uint8_t *l,
                         uint32_t n, int cut)
{
    side_t *sd = &s->side[dir];
    kn_irc_msg_t m;
    int kind;

    if (!n)
        return; /* an empty line: ignored, as servers do */
    if (kn_irc_msg_parse(l, n, &m) != KN_OK) {
        kn_app_anomaly(io, KN_ANOM_APP_IRC_MALFORMED_LINE);
        if (++sd->bad >= BAD_LINES_MAX)
            stop(sd);
        return;
    }
    sd->bad = 0;
    kind = find_command(&m, dir);
    fill_session(s, kind, dir, &m);
    if (worth_logging(&m, kind, dir))
        report(io, s, dir, &m, kind, cut);
    if (kind == K_PARAMS && kn_irc_cmd_is(&m, "670"))
        stop(sd); /* RFC-less but universal: 670 RPL_STARTTLS, then the TLS handshake */
}

/* The line in sd->line is complete (or the flow ended in it). */
static void line_done(kn_app_io_t *io, irc_state_t *s, int dir)
{
    side_t *sd = &s->side[dir];
    int cut = sd->total > sd->llen;

    take_message(io, s, dir, sd->line, cut ? sd->llen : strip_eol(sd->line, sd->llen), cut);
    sd->llen = 0;
    sd->total = 0;
}

/* PH_LINE: returns the bytes used. */
static uint32_t take_line(kn_app_io_t *io, irc_state_t *s, int dir, const uint8_t *d,
                          uint32_t len)
{
    side_t *sd = &s->side[dir];
    const uint8_t *lf = memchr(d, '\n', len);
    uint32_t n = lf ? (uint32_t)(lf - d) + 1 : len, room = LINE_KEEP - sd->llen;
    uint32_t copy = n < room ? n : room, before = sd->total;

    if (!sd->total && s->starttls && d[0] == 0x16) { /* a TLS record: STARTTLS went ahead */
        stop(sd);
        return len;
    }
    memcpy(sd->line + sd->llen, d, copy);
    sd->llen = (uint16_t)(sd->llen + copy);
    sd->total = n > UINT32_MAX - sd->total ? UINT32_MAX : sd->total + n;
    if (before <= LINE_RFC && sd->total > LINE_RFC)
        kn_app_anomaly(io, KN_ANOM_APP_IRC_LINE_TOO_LONG);
    if (lf)
        line_done(io, s, dir);
    return n;
}

/* PH_SKIP: after lost bytes, the rest of a line nobody can read whole. */
static uint32_t skip_line(side_t *sd, const uint8_t *d, uint32_t len)
{
    const uint8_t *lf = memchr(d, '\n', len);

    if (!lf)
        return len;
    sd->phase = PH_LINE;
    return (uint32_t)(lf - d) + 1;
}

static int parse(kn_app_io_t *io, void *st, int dir, const uint8_t *d, uint32_t len)
{
    irc_state_t *s = st;
    side_t *sd = &s->side[dir];
    uint32_t used;

    while (len && sd->phase != PH_STOP) {
        used = sd->phase == PH_LINE ? take_line(io, s, dir, d, len) : skip_line(sd, d, len);
        d += used;
        len -= used;
    }
    return KN_OK;
}

static int gap(kn_app_io_t *io, void *st, int dir, uint64_t lost)
{
    irc_state_t *s = st;
    side_t *sd = &s->side[dir];

    (void)io, (void)lost;
    if (sd->phase != PH_STOP) {
        sd->phase = PH_SKIP;
        sd->llen = 0;
        sd->total = 0;
    }
    return KN_OK;
}

/* A last line without its LF still counts. */
static void finish(kn_app_io_t *io, void *st)
{
    irc_state_t *s = st;
    int dir;

    for (dir = 0; dir < 2; dir++)
        if (s->side[dir].phase == PH_LINE && s->side[dir].llen)
            line_done(io, s, dir);
}


static const void *info(const kn_app_tx_t *tx)
{
    return &((const irc_tx_t *)tx)->info;
}

static size_t memuse(const void *st)
{
    (void)st;
    return sizeof(irc_state_t);
}

const kn_app_parser_t kn_app_irc_parser = {
    .app = KN_APP_IRC,
    .ipproto = 6,
    .ports = {6667, 6668, 6669, 6697, 7000, 194},
    .probe = probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse,
    .gap = gap,
    .finish = finish,
    .info = info,
    .memuse = memuse,
};
