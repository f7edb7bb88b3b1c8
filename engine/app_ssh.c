/* app_ssh.c: SSH connection setup in the clear (RFC 4253): each side's identification string
 * (4.2), then its binary packets (6) up to NEWKEYS, whose first KEXINIT (7.1) gives the HASSH
 * fingerprint of that side.
 *
 * One transaction per connection. Each side's banner reports its half of the transaction at
 * once (so ssh.proto and ssh.software rules fire early) and its KEXINIT reports it again (for
 * ssh.hassh rules); when both sides have told all they will in the clear, the transaction is
 * done and parsing stops, since everything after NEWKEYS is encrypted. Both directions are
 * state machines that stop at any byte; a side holds at most its banner line (255 bytes), one
 * KEXINIT (capped by app-layer.state-cap) and its HASSH string. */
#include "applayer.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "hexfmt.h"

#define BANNER_MAX 255u         /* RFC 4253 4.2: the identification line, CR LF included */
#define PREBANNER_LINES 1024u   /* server lines before its banner we wait through (as OpenSSH) */
#define PACKET_MAX (256u * 1024) /* RFC 4253 6.1 requires 35000; OpenSSH allows 256 KiB */
#define HDR_LEN 6u              /* packet_length, padding_length, message code */
#define MSG_KEXINIT 20
#define MSG_NEWKEYS 21

enum {
    PH_LINE = 0,   /* collecting a line: the banner, or a server line before it */
    PH_SKIP_LINE,  /* discarding a server line before the banner, up to its LF */
    PH_BANNER_EOL, /* an overlong banner was taken; its rest is discarded up to LF */
    PH_HDR,        /* collecting the first HDR_LEN bytes of a binary packet */
    PH_BODY,       /* the rest of a packet: kept (KEXINIT) or skipped */
    PH_STOP,       /* nothing more to learn here: encrypted, SSH-1, broken or done */
};

typedef struct side {
    uint8_t phase;
    uint8_t has_banner;
    uint8_t kex_done; /* the first KEXINIT was hashed, or given up on */
    uint8_t hlen;
    uint8_t hdr[HDR_LEN];
    uint16_t llen;
    uint16_t prelines;
    uint8_t line[BANNER_MAX];
    uint32_t left;    /* bytes of the current packet still to come */
    uint8_t *kex;     /* KEXINIT body being collected (caller frees: state_free) */
    uint32_t kexlen, kexcap;
    char *hstr;       /* the HASSH input string */
    uint32_t hstrlen;
    char hash[33];    /* its md5, lowercase hex */
} side_t;

typedef struct ssh_tx {
    kn_app_tx_t tx; /* first: the app layer's header */
    kn_ssh_info_t info;
} ssh_tx_t;

typedef struct ssh_state {
    ssh_tx_t t;
    uint8_t have_tx;
    side_t side[2]; /* by direction: KN_TOSERVER is the client */
} ssh_state_t;

/* ---- detection --------------------------------------------------------------------------- */

/* A server may send text lines before its banner (RFC 4253 4.2): its first bytes are also
 * claimed when, among what has arrived, a line starting "SSH-" follows only such lines. */
static int server_prebanner(const uint8_t *d, uint32_t len)
{
    uint32_t i, bol = 0;

    for (i = 0; i < len; i++) {
        if (d[i] == '\n') {
            bol = i + 1;
            if (len - bol >= 4 && memcmp(d + bol, "SSH-", 4) == 0)
                return KN_OK;
        } else if ((d[i] < 0x20 || d[i] > 0x7e) && d[i] != '\r' && d[i] != '\t') {
            return KN_DECLINED;
        }
    }
    return KN_DECLINED; /* not held back: a text protocol must not wait on SSH */
}

/* Either direction may start: the server usually speaks first (RFC 4253 4.2). */
static int probe(const uint8_t *d, uint32_t len, int dir)
{
    uint32_t n = len < 4 ? len : 4;

    if (memcmp(d, "SSH-", n) != 0)
        return dir == KN_TOCLIENT ? server_prebanner(d, len) : KN_DECLINED;
    return len < 4 ? KN_AGAIN : KN_OK;
}

static void *state_new(void)
{
    return calloc(1, sizeof(ssh_state_t));
}

static void state_free(void *st)
{
    ssh_state_t *s = st;
    int i;

    if (!s)
        return;
    for (i = 0; i < 2; i++) {
        free(s->side[i].kex);
        free(s->side[i].hstr);
    }
    kn_app_tx_clear(&s->t.tx);
    free(s);
}

static kn_ssh_side_t *info_side(ssh_state_t *s, int dir)
{
    return dir == KN_TOSERVER ? &s->t.info.client : &s->t.info.server;
}

static unsigned side_progress(int dir)
{
    return dir == KN_TOSERVER ? KN_TXP_REQUEST : KN_TXP_RESPONSE;
}

/* A side has said all it will in the clear. */
static int settled(const side_t *sd)
{
    return sd->phase == PH_STOP || (sd->has_banner && sd->kex_done);
}

static void stop(side_t *sd)
{
    sd->phase = PH_STOP;
    free(sd->kex);
    sd->kex = NULL;
    sd->kexlen = sd->kexcap = 0;
}

/* The transaction is done once both sides are settled; the rest of the flow is not parsed. */
static void check_done(kn_app_io_t *io, ssh_state_t *s)
{
    if (!s->have_tx || s->t.tx.logged || !settled(&s->side[0]) || !settled(&s->side[1]))
        return;
    stop(&s->side[0]);
    stop(&s->side[1]);
    kn_app_tx_update(io, &s->t.tx, KN_TXP_DONE);
}

/* ---- identification string (RFC 4253 4.2) ------------------------------------------------ */

static int printable(uint8_t c)
{
    return c > 0x20 && c < 0x7f;
}

/* "SSH-protoversion-softwareversion SP comments" (l: the line without CR LF). Both versions
 * are printable US-ASCII without whitespace and the protoversion has no '-'; the software
 * version runs to SP or the end (it may hold '-', as "Cisco-1.25" does). */
static int parse_banner(const uint8_t *l, uint32_t n, kn_str_t *proto, kn_str_t *soft)
{
    uint32_t i = 4, start;

    if (n < 4 || memcmp(l, "SSH-", 4) != 0)
        return KN_ERR;
    for (start = i; i < n && l[i] != '-' && printable(l[i]); i++)
        ;
    if (i == start || i == n || l[i] != '-')
        return KN_ERR;
    proto->p = l + start;
    proto->len = i - start;
    for (start = ++i; i < n && printable(l[i]); i++)
        ;
    if (i < n && l[i] != ' ')
        return KN_ERR;
    soft->p = l + start;
    soft->len = i - start;
    return KN_OK;
}

/* SSH protocol 1.x speaks another packet format; "1.99" is a 2.0 peer that also knows 1.x. */
static int is_ssh1(const kn_str_t *proto)
{
    return proto->len >= 2 && proto->p[0] == '1' && proto->p[1] == '.' &&
           !(proto->len == 4 && memcmp(proto->p, "1.99", 4) == 0);
}

static void start_tx(kn_app_io_t *io, ssh_state_t *s)
{
    if (!s->have_tx) {
        s->have_tx = 1;
        kn_app_tx_new(io, &s->t.tx);
    }
}

/* The banner of side dir is in sd->line[0..n) (terminator stripped). */
static void take_banner(kn_app_io_t *io, ssh_state_t *s, int dir, uint32_t n)
{
    side_t *sd = &s->side[dir], *other = &s->side[!dir];
    kn_ssh_side_t *is = info_side(s, dir);
    const kn_ssh_side_t *oi = info_side(s, !dir);

    if (parse_banner(sd->line, n, &is->proto_version, &is->software_version) != KN_OK) {
        memset(is, 0, sizeof(*is));
        kn_app_anomaly(io, KN_ANOM_APP_SSH_INVALID_BANNER);
        stop(sd);
        check_done(io, s);
        return;
    }
    sd->has_banner = 1;
    if (sd->phase == PH_LINE)
        sd->phase = PH_HDR;
    /* SSH-1 packets carry no KEXINIT: neither side is parsed on once one of them speaks it */
    if (is_ssh1(&is->proto_version) || (other->has_banner && is_ssh1(&oi->proto_version))) {
        stop(sd);
        if (other->has_banner)
            stop(other);
    }
    start_tx(io, s);
    kn_app_tx_update(io, &s->t.tx, side_progress(dir));
    check_done(io, s);
}

/* A line that is not a banner: the server may send some first (4.2), the client may not. */
static void not_banner(kn_app_io_t *io, ssh_state_t *s, int dir, int complete)
{
    side_t *sd = &s->side[dir];

    sd->llen = 0;
    if (dir == KN_TOSERVER || ++sd->prelines > PREBANNER_LINES) {
        kn_app_anomaly(io, KN_ANOM_APP_SSH_INVALID_BANNER);
        stop(sd);
        check_done(io, s);
        return;
    }
    sd->phase = complete ? PH_LINE : PH_SKIP_LINE;
}

/* Length of l[0..n) without its line terminator (LF, or CR LF). */
static uint32_t strip_eol(const uint8_t *l, uint32_t n)
{
    if (n && l[n - 1] == '\n')
        n--;
    if (n && l[n - 1] == '\r')
        n--;
    return n;
}

/* PH_LINE: returns the bytes used. A line is kept up to BANNER_MAX bytes with its terminator;
 * a longer banner is taken as far as it was kept and its rest is skipped. */
static uint32_t take_line(kn_app_io_t *io, ssh_state_t *s, int dir, const uint8_t *d, uint32_t len)
{
    side_t *sd = &s->side[dir];
    const uint8_t *lf = memchr(d, '\n', len);
    uint32_t n = lf ? (uint32_t)(lf - d) + 1 : len, room = BANNER_MAX - sd->llen;
    uint32_t copy = n < room ? n : room, cmp;

    memcpy(sd->line + sd->llen, d, copy);
    sd->llen = (uint16_t)(sd->llen + copy);
    cmp = sd->llen < 4 ? sd->llen : 4;
    if (memcmp(sd->line, "SSH-", cmp) != 0) {
        not_banner(io, s, dir, lf && copy == n);
        return copy;
    }
    if (lf && copy == n) {
        take_banner(io, s, dir, strip_eol(sd->line, sd->llen));
        return copy;
    }
    if (sd->llen == BANNER_MAX) {
        kn_app_anomaly(io, KN_ANOM_APP_SSH_LONG_BANNER);
        sd->phase = PH_BANNER_EOL;
        take_banner(io, s, dir, strip_eol(sd->line, sd->llen));
    }
    return copy;
}

/* PH_SKIP_LINE and PH_BANNER_EOL: discard up to and including LF. */
static uint32_t skip_line(side_t *sd, const uint8_t *d, uint32_t len)
{
    const uint8_t *lf = memchr(d, '\n', len);

    if (!lf)
        return len;
    sd->phase = sd->phase == PH_SKIP_LINE ? PH_LINE : PH_HDR;
    return (uint32_t)(lf - d) + 1;
}

/* ---- binary packets (RFC 4253 6) and KEXINIT (7.1) ---------------------------------------- */

/* md5 of "kex;encryption;mac;compression" with the lists of the side's own direction
 * (client: client_to_server, server: server_to_client), as the HASSH method defines. */
static int make_hassh(side_t *sd, int dir)
{
    static const uint8_t pick[2][4] = {{0, 2, 4, 6}, {0, 3, 5, 7}};
    kn_cursor_t c;
    kn_str_t f[10];
    unsigned i;
    uint32_t total = 3, off = 0;

    kn_cur_init(&c, sd->kex, sd->kexlen);
    kn_cur_skip(&c, 16); /* cookie */
    for (i = 0; i < 10; i++) { /* kex, host key, enc c2s/s2c, mac c2s/s2c, comp c2s/s2c, lang */
        f[i].len = kn_cur_be32(&c);
        f[i].p = kn_cur_take(&c, f[i].len);
    }
    kn_cur_u8(&c);   /* first_kex_packet_follows */
    kn_cur_be32(&c); /* reserved */
    if (c.err)
        return KN_ERR;
    for (i = 0; i < 4; i++)
        total += f[pick[dir][i]].len; /* each list is within kexlen: no overflow */
    if (!(sd->hstr = malloc(total)))
        return KN_ERR;
    for (i = 0; i < 4; i++) {
        if (i)
            sd->hstr[off++] = ';';
        memcpy(sd->hstr + off, f[pick[dir][i]].p, f[pick[dir][i]].len);
        off += f[pick[dir][i]].len;
    }
    sd->hstrlen = total;
    return kn_digest_hex(EVP_md5(), sd->hstr, total, 0, 0, sd->hash) ? KN_ERR : KN_OK;
}

static void kexinit_done(kn_app_io_t *io, ssh_state_t *s, int dir)
{
    side_t *sd = &s->side[dir];
    kn_ssh_side_t *is = info_side(s, dir);

    if (kn_app_config(io)->ssh_hassh && make_hassh(sd, dir) == KN_OK) {
        is->hassh.p = (const uint8_t *)sd->hash;
        is->hassh.len = 32;
        is->hassh_string.p = (const uint8_t *)sd->hstr;
        is->hassh_string.len = sd->hstrlen;
    }
    free(sd->kex);
    sd->kex = NULL;
    sd->kexlen = sd->kexcap = 0;
    sd->kex_done = 1;
    kn_app_tx_update(io, &s->t.tx, side_progress(dir));
    check_done(io, s);
}

/* The packet header is complete: check its lengths and decide what to do with the body. */
static void packet_start(kn_app_io_t *io, ssh_state_t *s, int dir)
{
    side_t *sd = &s->side[dir];
    uint32_t plen = kn_rd_be32(sd->hdr), pad = sd->hdr[4], body;
    uint8_t msg = sd->hdr[5];

    sd->hlen = 0;
    /* the payload holds at least the message code: packet_length >= padding_length + 2 */
    if (plen < pad + 2 || plen > PACKET_MAX) {
        kn_app_anomaly(io, KN_ANOM_APP_SSH_INVALID_RECORD_LENGTH);
        stop(sd);
        check_done(io, s);
        return;
    }
    if (msg == MSG_NEWKEYS) { /* what follows is encrypted */
        stop(sd);
        check_done(io, s);
        return;
    }
    sd->left = plen - 2;
    sd->phase = PH_BODY;
    if (msg != MSG_KEXINIT || sd->kex_done)
        return;
    body = plen - pad - 2; /* the KEXINIT fields after the message code */
    if (body > kn_app_state_cap(io) || !(sd->kex = malloc(body ? body : 1))) {
        kn_app_anomaly(io, KN_ANOM_APP_SSH_LONG_KEX_RECORD);
        sd->kex_done = 1;
        return;
    }
    sd->kexcap = body;
    sd->kexlen = 0;
}

static uint32_t take_header(kn_app_io_t *io, ssh_state_t *s, int dir, const uint8_t *d,
                            uint32_t len)
{
    side_t *sd = &s->side[dir];
    uint32_t n = HDR_LEN - sd->hlen;

    if (n > len)
        n = len;
    memcpy(sd->hdr + sd->hlen, d, n);
    sd->hlen = (uint8_t)(sd->hlen + n);
    if (sd->hlen == HDR_LEN)
        packet_start(io, s, dir);
    return n;
}

static uint32_t take_body(kn_app_io_t *io, ssh_state_t *s, int dir, const uint8_t *d,
                          uint32_t len)
{
    side_t *sd = &s->side[dir];
    uint32_t n = len < sd->left ? len : sd->left, keep;

    if (sd->kex) {
        keep = sd->kexcap - sd->kexlen;
        keep = n < keep ? n : keep;
        memcpy(sd->kex + sd->kexlen, d, keep);
        sd->kexlen += keep;
    }
    sd->left -= n;
    if (!sd->left) {
        sd->phase = PH_HDR;
        if (sd->kex)
            kexinit_done(io, s, dir);
    }
    return n;
}

static int parse(kn_app_io_t *io, void *st, int dir, const uint8_t *d, uint32_t len)
{
    ssh_state_t *s = st;
    side_t *sd = &s->side[dir];
    uint32_t used = 0;

    while (len && sd->phase != PH_STOP) {
        switch (sd->phase) {
        case PH_LINE: used = take_line(io, s, dir, d, len); break;
        case PH_SKIP_LINE:
        case PH_BANNER_EOL: used = skip_line(sd, d, len); break;
        case PH_HDR: used = take_header(io, s, dir, d, len); break;
        case PH_BODY: used = take_body(io, s, dir, d, len); break;
        default: break;
        }
        d += used;
        len -= used;
    }
    return KN_OK;
}

/* Lost bytes: this side cannot be followed further; what it told so far stays. */
static int gap(kn_app_io_t *io, void *st, int dir, uint64_t lost)
{
    ssh_state_t *s = st;

    (void)lost;
    stop(&s->side[dir]);
    check_done(io, s);
    return KN_OK;
}

static void finish(kn_app_io_t *io, void *st)
{
    ssh_state_t *s = st;

    /* lines a server sent that never led to its banner ("Exceeded MaxStartups") */
    if (s->side[KN_TOCLIENT].prelines && !s->side[KN_TOCLIENT].has_banner)
        kn_app_anomaly(io, KN_ANOM_APP_SSH_INVALID_BANNER);
    if (s->have_tx && !s->t.tx.logged)
        kn_app_tx_update(io, &s->t.tx, KN_TXP_DONE);
}

/* ssh.proto and ssh.software are the banner of the side sending in direction dir. */
static int buffer(const kn_app_tx_t *tx, int buf, int dir, uint32_t idx, const uint8_t **b,
                  uint32_t *len)
{
    const ssh_tx_t *t = (const ssh_tx_t *)tx;
    const kn_ssh_side_t *sd = dir == KN_TOSERVER ? &t->info.client : &t->info.server;
    kn_str_t v = {NULL, 0};

    (void)idx;
    switch (buf) {
    case KN_BUF_SSH_PROTO: v = sd->proto_version; break;
    case KN_BUF_SSH_SOFTWARE: v = sd->software_version; break;
    case KN_BUF_SSH_HASSH: v = t->info.client.hassh; break;
    case KN_BUF_SSH_HASSH_SERVER: v = t->info.server.hassh; break;
    case KN_BUF_SSH_HASSH_STRING: v = t->info.client.hassh_string; break;
    case KN_BUF_SSH_HASSH_SERVER_STRING: v = t->info.server.hassh_string; break;
    default: break;
    }
    *b = v.p;
    *len = v.len;
    return v.p && v.len;
}

static const void *info(const kn_app_tx_t *tx)
{
    return &((const ssh_tx_t *)tx)->info;
}

static size_t memuse(const void *st)
{
    const ssh_state_t *s = st;

    return sizeof(*s) + s->side[0].kexcap + s->side[1].kexcap + s->side[0].hstrlen +
           s->side[1].hstrlen;
}

const kn_app_parser_t kn_app_ssh_parser = {
    .app = KN_APP_SSH,
    .ipproto = 6,
    .ports = {22},
    .probe = probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse,
    .gap = gap,
    .finish = finish,
    .buffer = buffer,
    .info = info,
    .memuse = memuse,
};
