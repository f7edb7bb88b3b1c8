/* app_tls.c: the TLS handshake (RFC 8446, RFC 5246) of one connection as one transaction.
 *
 * Three resumable layers, one per direction: the record layer (RFC 5246 6.2.1: 5-byte header,
 * then a body of up to 2^14 + 2048 bytes) cut anywhere by TCP; the handshake layer (RFC 8446
 * 4: 4-byte header, then a body that may span records) whose ClientHello, ServerHello and
 * Certificate bodies are kept whole, within the flow's app-state cap, and decoded once
 * complete; and the connection, reported as a single transaction: KN_TXP_REQUEST once the
 * ClientHello is known, KN_TXP_RESPONSE|KN_TXP_DONE once the server's clear-text part is
 * (ServerHelloDone up to TLS 1.2; the ServerHello for TLS 1.3 since the rest is encrypted;
 * or the server's ChangeCipherSpec or first application data on a resumed session).
 *
 * After a direction's ChangeCipherSpec (or a TLS 1.3 ServerHello) its records are ciphertext:
 * only the 5-byte record headers are still read, so application data costs one header per
 * record and heartbeats stay visible. What the transaction reports follows Suricata 7: the
 * version strings, the JA3/JA3S text, certificate fields, session resumption. JA4 follows the
 * FoxIO specification (technical_details/JA4.md).
 *
 * SSLv2 records (a first byte with either top bit set) are framed too, as Suricata does: an
 * SSLv2 CLIENT-HELLO, which old clients send to offer SSLv3 and TLS as well (RFC 5246 E.2),
 * claims the flow as tls and opens the transaction, and either side's SSLv2 records make its
 * version SSLv2. */
#include "applayer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_tls_private.h"
#include "hexfmt.h"
#include "cursor.h"
#include "sig.h"

#define REC_HDR 5u
#define HS_HDR 4u
#define REC_MAX (16384u + 2048u) /* RFC 5246 6.2.3: TLSCiphertext.length */
#define MAX_ALPN 16              /* protocols kept per side */
#define MAX_CERTS 16             /* chain entries kept (the rest are counted) */
#define TOO_MANY_RECORDS 256     /* Suricata's per-packet limit for tls.too_many_records */

enum { REC_CCS = 20, REC_ALERT = 21, REC_HANDSHAKE = 22, REC_APPDATA = 23, REC_HEARTBEAT = 24 };

/* SSLv2 message types (draft-hickman-netscape-ssl-00 "Protocol Messages"); the record header
 * is 2 bytes (high bit set) or 3 (next bit set, then a padding length), then the type. */
enum { SSL2_ERROR = 0, SSL2_CLIENT_HELLO = 1, SSL2_SERVER_HELLO = 4 };
#define SSL2_HELLO_FIXED 8u /* version, cipher-specs, session-id and challenge lengths */

/* Handshake types (RFC 8446 4, RFC 5246 7.4, RFC 6066 8). */
enum {
    HS_HELLO_REQUEST = 0, HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_NEW_SESSION_TICKET = 4,
    HS_END_OF_EARLY_DATA = 5, HS_ENCRYPTED_EXTENSIONS = 8, HS_CERTIFICATE = 11,
    HS_SERVER_KEY_EXCHANGE = 12, HS_CERTIFICATE_REQUEST = 13, HS_SERVER_HELLO_DONE = 14,
    HS_CERTIFICATE_VERIFY = 15, HS_CLIENT_KEY_EXCHANGE = 16, HS_FINISHED = 20,
    HS_CERTIFICATE_URL = 21, HS_CERTIFICATE_STATUS = 22, HS_SUPPLEMENTAL_DATA = 23,
    HS_KEY_UPDATE = 24, HS_COMPRESSED_CERTIFICATE = 25, HS_MESSAGE_HASH = 254,
};

/* Versions as eve names them; drafts 1..15 share one name (Suricata: "draft-<16"). */
#define V_SSL2 0x0002
#define V_TLS12 0x0303
#define V_TLS13 0x0304
#define V_TLS13_PRE16 0x7f00

/* RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest. */
static const uint8_t hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

typedef struct tls_dir {
    uint8_t hdr[REC_HDR], hdr_have; /* record header being read */
    uint8_t rec_type;
    uint32_t rec_len, rec_left;
    uint8_t hb[3], hb_have;         /* heartbeat type and payload_length */
    uint8_t ssl2;                   /* the current record is an SSLv2 one */
    uint8_t v2[SSL2_HELLO_FIXED], v2_have; /* the fixed part of an SSLv2 CLIENT-HELLO */
    uint8_t hs[HS_HDR], hs_have;    /* handshake header being read */
    uint8_t msg_keep;               /* the body is collected in msg */
    uint32_t msg_len, msg_have;
    uint8_t *msg;                   /* reassembly of one handshake message */
    uint32_t msg_cap;
    uint8_t encrypted;              /* CCS (or TLS 1.3 ServerHello) seen: ciphertext follows */
    uint8_t dead;                   /* not TLS any more, or bytes lost: ignore the direction */
} tls_dir_t;

typedef struct tls_state {
    kn_app_tx_t tx; /* the connection's one transaction; first, so a tx pointer is the state */
    kn_tls_info_t info;
    tls_dir_t d[2];
    kn_tls_cert_t cert;         /* the server's leaf certificate */
    uint8_t *cert_msg;          /* the server's Certificate message; certs point into it */
    kn_str_t certs[MAX_CERTS];
    uint16_t n_certs;           /* kept (eve, tls.certs) */
    uint32_t chain_len;         /* all of them (tls.cert_chain_len) */
    uint8_t *alpn_buf[2];       /* ALPN extension bodies; alpns point into them */
    kn_str_t alpns[2][MAX_ALPN];
    uint16_t n_alpns[2];
    uint8_t *sni;
    char *ja3, *ja3s;
    char ja3_hash[33], ja3s_hash[33], ja4[KN_TLS_JA4_LEN];
    uint8_t random[2][32];
    uint8_t have_random[2];
    uint8_t csid[32], csid_len; /* the client's session id, to recognise resumption */
    uint16_t client_version;    /* hello version, or the first supported_versions entry */
    uint16_t server_version;    /* normalized as eve names it */
    uint8_t started, done, ch_seen, sh_seen, cert_seen, ch_sv, resumed, log_wo_cert, capped;
    uint8_t cur;       /* ssl_state bits of the messages of the last parse call */
    uint8_t pend;      /* KN_TXP_* to report at the end of this parse call */
    uint8_t touched;   /* a handshake message was parsed in this call */
    int64_t now;       /* time the certificate validity keywords compare with */
    size_t mem;        /* bytes allocated for this flow */
} tls_state_t;


/* Seconds of packet time: certificate validity is judged when the capture saw it. */
static int64_t io_now(const kn_app_io_t *io)
{
    return kn_app_time(io) / 1000000;
}

/* ---- memory within the flow's cap ---------------------------------------------------------- */

static void *st_alloc(kn_app_io_t *io, tls_state_t *st, size_t n)
{
    void *p;

    if (st->mem + n > kn_app_state_cap(io)) {
        if (!st->capped)
            kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
        st->capped = 1;
        return NULL;
    }
    if (!(p = malloc(n ? n : 1)))
        return NULL;
    st->mem += n;
    return p;
}

static uint8_t *st_dup(kn_app_io_t *io, tls_state_t *st, const uint8_t *d, size_t n)
{
    uint8_t *p = st_alloc(io, st, n);

    if (p && n)
        memcpy(p, d, n);
    return p;
}

/* ---- probe ---------------------------------------------------------------------------------- */

/* An SSLv2 CLIENT-HELLO with a 2-byte header, which old clients also send to offer SSLv3 and
 * TLS (RFC 5246 E.2): Suricata claims it as tls when it names version 2.0 or 3.0 to 3.3. */
static int probe_ssl2(const uint8_t *d, uint32_t len)
{
    if (len >= 2 && (((d[0] & 0x7fu) << 8) | d[1]) < 1 + SSL2_HELLO_FIXED)
        return KN_DECLINED;
    if (len >= 3 && d[2] != SSL2_CLIENT_HELLO)
        return KN_DECLINED;
    if (len >= 4 && d[3] != 0 && d[3] != 3)
        return KN_DECLINED;
    if (len < 5)
        return KN_AGAIN;
    return (d[3] == 0 && d[4] == 2) || (d[3] == 3 && d[4] <= 3) ? KN_OK : KN_DECLINED;
}

/* A handshake record (RFC 5246 6.2.1) whose first message is the hello of that side. */
static int probe(const uint8_t *d, uint32_t len, int dir)
{
    uint16_t rlen;

    if (len >= 1 && (d[0] & 0x80) && dir == KN_TOSERVER)
        return probe_ssl2(d, len);
    if (len < 1 || d[0] != REC_HANDSHAKE)
        return len < 1 ? KN_AGAIN : KN_DECLINED;
    if (len >= 2 && d[1] != 3)
        return KN_DECLINED;
    if (len >= 3 && d[2] > 4)
        return KN_DECLINED;
    if (len < 6)
        return KN_AGAIN;
    rlen = kn_rd_be16(d + 3);
    if (!rlen || rlen > REC_MAX) /* a hello may be spread over tiny records */
        return KN_DECLINED;
    return d[5] == (dir == KN_TOSERVER ? HS_CLIENT_HELLO : HS_SERVER_HELLO) ? KN_OK : KN_DECLINED;
}

/* ---- state ----------------------------------------------------------------------------------- */

static void *state_new(void)
{
    return calloc(1, sizeof(tls_state_t));
}

static void state_free(void *vst)
{
    tls_state_t *st = vst;

    if (!st)
        return;
    kn_app_tx_clear(&st->tx);
    kn_tls_cert_clear(&st->cert);
    free(st->d[0].msg);
    free(st->d[1].msg);
    free(st->cert_msg);
    free(st->alpn_buf[0]);
    free(st->alpn_buf[1]);
    free(st->sni);
    free(st->ja3);
    free(st->ja3s);
    free(st);
}

static size_t memuse(const void *vst)
{
    const tls_state_t *st = vst;

    return sizeof(*st) + st->mem;
}

static kn_str_t str_of(const void *p, size_t n)
{
    kn_str_t s = {p, (uint32_t)n};

    return s;
}

/* A NUL-terminated string as a byte range; absent (p NULL) for NULL or "". */
static kn_str_t zstr(const char *z)
{
    return z && z[0] ? str_of(z, strlen(z)) : str_of(NULL, 0);
}

/* What eve and rules read, refreshed before every report. */
static void fill_info(tls_state_t *st)
{
    kn_tls_info_t *in = &st->info;
    int have_cert = st->cert.subject && st->cert.issuer;

    in->version = st->server_version;
    in->subject = st->cert.subject ? str_of(st->cert.subject, strlen(st->cert.subject))
                                   : str_of(NULL, 0);
    in->issuerdn = st->cert.issuer ? str_of(st->cert.issuer, strlen(st->cert.issuer))
                                   : str_of(NULL, 0);
    in->serial = zstr(st->cert.serial);
    in->fingerprint = zstr(st->cert.fingerprint);
    in->notbefore = st->cert.notbefore;
    in->notafter = st->cert.notafter;
    in->ja3 = zstr(st->ja3);
    in->ja3_hash = st->ja3 ? zstr(st->ja3_hash) : str_of(NULL, 0);
    in->ja3s = zstr(st->ja3s);
    in->ja3s_hash = st->ja3s ? zstr(st->ja3s_hash) : str_of(NULL, 0);
    in->ja4 = zstr(st->ja4);
    in->client_alpns = st->alpns[KN_TOSERVER];
    in->n_client_alpns = st->n_alpns[KN_TOSERVER];
    in->server_alpns = st->alpns[KN_TOCLIENT];
    in->n_server_alpns = st->n_alpns[KN_TOCLIENT];
    in->certs = st->certs;
    in->n_certs = st->n_certs;
    /* Suricata 7 output-json-tls.c: "session_resumed" only without a certificate, after a
     * ServerHello, below TLS 1.3; the event itself needs a certificate, a resumption or 1.3 */
    in->session_resumed = st->resumed && !have_cert && st->sh_seen && !st->log_wo_cert;
    in->loggable = have_cert || st->resumed || st->log_wo_cert;
}

static void start_tx(kn_app_io_t *io, tls_state_t *st)
{
    if (st->started)
        return;
    st->started = 1;
    kn_app_tx_new(io, &st->tx);
}

/* The server's clear-text part is over. */
static void complete(tls_state_t *st)
{
    if (st->started && !st->done)
        st->pend |= KN_TXP_RESPONSE | KN_TXP_DONE;
}

/* Runs the rules on what this call added and logs the transaction once it is done. */
static void report(kn_app_io_t *io, tls_state_t *st)
{
    uint8_t pend = st->pend;

    if (!st->started || (!st->touched && !pend))
        return;
    st->pend = 0;
    st->touched = 0;
    if (st->done)
        pend &= (uint8_t)~KN_TXP_DONE;
    if (pend & KN_TXP_DONE)
        st->done = 1;
    fill_info(st);
    kn_app_tx_update(io, &st->tx, pend);
}

/* ---- hello messages -------------------------------------------------------------------------- */

/* RFC 6066 3: the first host_name of server_name_list, of 1..255 bytes (Suricata's limits).
 * As Suricata, the list length is skipped, not checked, and the first entry read. */
static void ext_sni(kn_app_io_t *io, tls_state_t *st, kn_cursor_t *c)
{
    uint16_t len = 0;
    uint8_t type = 0;
    const uint8_t *name = NULL;
    int rc;

    if (!kn_cur_left(c))
        return;
    if (st->sni) {
        kn_app_anomaly(io, KN_ANOM_APP_TLS_MULTIPLE_SNI_EXTENSIONS);
        return;
    }
    kn_cur_skip(c, 2);
    rc = kn_tls_name_next(c, &type, &name, &len);
    if (!rc || type) {
        kn_app_anomaly(io, rc ? KN_ANOM_APP_TLS_INVALID_SNI_TYPE
                              : KN_ANOM_APP_TLS_HANDSHAKE_INVALID_LENGTH);
        return;
    }
    if (rc < 0 || !len || len > 255) {
        kn_app_anomaly(io, KN_ANOM_APP_TLS_INVALID_SNI_LENGTH);
        return;
    }
    if ((st->sni = st_dup(io, st, name, len)))
        st->info.sni = str_of(st->sni, len);
}

/* RFC 7301 3.1: ProtocolNameList, kept (the first extension's) for eve. */
static void ext_alpn(kn_app_io_t *io, tls_state_t *st, int dir, kn_cursor_t *c)
{
    kn_cursor_t l;
    uint8_t *copy, n;
    const uint8_t *p;

    if (kn_tls_list(c, 2, &l) || st->alpn_buf[dir] ||
        !(copy = st_dup(io, st, kn_cur_ptr(&l), l.len)))
        return;
    st->alpn_buf[dir] = copy;
    kn_cur_init(&l, copy, l.len);
    while (st->n_alpns[dir] < MAX_ALPN && kn_tls_alpn_next(&l, &p, &n))
        st->alpns[dir][st->n_alpns[dir]++] = str_of(p, n);
}

static void client_ext(kn_app_io_t *io, tls_state_t *st, uint16_t type, kn_cursor_t *c)
{
    kn_cursor_t l;
    uint16_t v;

    switch (type) {
    case KN_TLS_EXT_SERVER_NAME:
        ext_sni(io, st, c);
        break;
    case KN_TLS_EXT_ALPN:
        ext_alpn(io, st, KN_TOSERVER, c);
        break;
    case KN_TLS_EXT_SESSION_TICKET:
        st->resumed = 1; /* as Suricata: a ticket offer counts as a resumption attempt */
        break;
    case KN_TLS_EXT_SUPPORTED_VERSIONS:
        st->ch_sv = 1;
        kn_tls_list(c, 1, &l);
        if (kn_tls_u16_next(&l, &v))
            st->client_version = v; /* Suricata takes the first (preferred) entry */
        break;
    default:
        break;
    }
}

/* JA3: SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats (decimal). */
static void make_ja3(kn_app_io_t *io, tls_state_t *st, uint16_t version, const kn_tls_chfp_t *fp)
{
    kn_tls_sb_t s = {0};

    kn_tls_ja3_text(&s, version, fp);
    if (s.oom || kn_digest_hex(EVP_md5(), s.p, s.len, 0, 0, st->ja3_hash) ||
        !(st->ja3 = (char *)st_dup(io, st, (const uint8_t *)s.p, s.len + 1)))
        st->ja3_hash[0] = '\0';
    free(s.p);
}

static void client_hello(kn_app_io_t *io, tls_state_t *st, const uint8_t *b, uint32_t n)
{
    kn_tls_hello_t h;
    kn_tls_chfp_t *fp;
    kn_cursor_t c, body;
    uint16_t type;
    int rc;

    if (st->ch_seen) /* a second hello (after a HelloRetryRequest) changes nothing we report */
        return;
    st->ch_seen = 1;
    if (kn_tls_hello_parse(b, n, 1, &h) || h.sid_len > 32) {
        kn_app_anomaly(io, KN_ANOM_APP_TLS_HANDSHAKE_INVALID_LENGTH);
        return;
    }
    if (!(fp = calloc(1, sizeof(*fp))))
        return;
    st->client_version = h.version;
    memcpy(st->random[KN_TOSERVER], h.random, 32);
    st->have_random[KN_TOSERVER] = 1;
    memcpy(st->csid, h.sid, h.sid_len);
    st->csid_len = h.sid_len;
    kn_tls_fp_ciphers(fp, &h);
    kn_cur_init(&c, h.exts, h.exts_len);
    while ((rc = kn_tls_ext_next(&c, &type, &body)) == 1) {
        kn_tls_fp_ext(fp, type, body);
        client_ext(io, st, type, &body);
    }
    if (rc < 0)
        kn_app_anomaly(io, KN_ANOM_APP_TLS_HANDSHAKE_INVALID_LENGTH);
    make_ja3(io, st, h.version, fp);
    kn_tls_ja4('t', h.version, fp, st->ja4);
    free(fp);
    st->pend |= KN_TXP_REQUEST;
}


/* RFC 8446 4.1.3 / draft-ietf-tls-tls13 (0x7fNN): the version eve names. */
static void server_version(tls_state_t *st, uint16_t v)
{
    if (v == V_TLS13 || (v >> 8) == 0x7f)
        st->log_wo_cert = 1;
    if ((v >= 0x7f01 && v < 0x7f10) || v == V_TLS13)
        v = V_TLS13_PRE16; /* drafts 1..15 cannot be told apart */
    st->server_version = v;
}

static void server_ext(kn_app_io_t *io, tls_state_t *st, uint16_t type, kn_cursor_t *c)
{
    uint16_t v;

    if (type == KN_TLS_EXT_SUPPORTED_VERSIONS) {
        v = kn_cur_be16(c);
        if (c->err)
            return;
        if (st->ch_sv && v > V_TLS12)
            st->log_wo_cert = 1;
        st->server_version = v;
    } else if (type == KN_TLS_EXT_ALPN) {
        ext_alpn(io, st, KN_TOCLIENT, c);
    }
}

/* JA3S: SSLVersion,Cipher,Extensions. */
static void make_ja3s(kn_app_io_t *io, tls_state_t *st, const kn_tls_hello_t *h,
                      const uint16_t *exts, unsigned nexts)
{
    kn_tls_sb_t s = {0};
    char num[16];

    snprintf(num, sizeof(num), "%u,%u,", h->version, h->cipher);
    kn_tls_sb_str(&s, num);
    kn_tls_ids_text(&s, exts, nexts);
    if (s.oom || kn_digest_hex(EVP_md5(), s.p, s.len, 0, 0, st->ja3s_hash) ||
        !(st->ja3s = (char *)st_dup(io, st, (const uint8_t *)s.p, s.len + 1)))
        st->ja3s_hash[0] = '\0';
    free(s.p);
}

static void server_hello_fields(kn_app_io_t *io, tls_state_t *st, const kn_tls_hello_t *h)
{
    uint16_t exts[KN_TLS_MAX_IDS], type;
    unsigned nexts = 0;
    kn_cursor_t c, body;
    int rc;

    memcpy(st->random[KN_TOCLIENT], h->random, 32);
    st->have_random[KN_TOCLIENT] = 1;
    server_version(st, h->version);
    if (h->sid_len && h->sid_len == st->csid_len && !memcmp(h->sid, st->csid, h->sid_len))
        st->resumed = 1; /* RFC 5246 7.4.1.3: the server echoes the id it resumes */
    kn_cur_init(&c, h->exts, h->exts_len);
    while ((rc = kn_tls_ext_next(&c, &type, &body)) == 1) {
        kn_tls_fp_add(exts, &nexts, type);
        server_ext(io, st, type, &body);
    }
    if (rc < 0)
        kn_app_anomaly(io, KN_ANOM_APP_TLS_HANDSHAKE_INVALID_LENGTH);
    make_ja3s(io, st, h, exts, nexts);
}

static void server_hello(kn_app_io_t *io, tls_state_t *st, const uint8_t *b, uint32_t n)
{
    kn_tls_hello_t h;

    if (kn_tls_hello_parse(b, n, 0, &h) || h.sid_len > 32) {
        kn_app_anomaly(io, KN_ANOM_APP_TLS_HANDSHAKE_INVALID_LENGTH);
        return;
    }
    if (!st->sh_seen) /* a HelloRetryRequest counts: the ServerHello after it adds nothing */
        server_hello_fields(io, st, &h);
    st->sh_seen = 1;
    if (st->log_wo_cert && memcmp(h.random, hrr_random, 32)) {
        /* TLS 1.3: everything after the ServerHello is encrypted, both ways */
        st->d[KN_TOCLIENT].encrypted = 1;
        st->d[KN_TOSERVER].encrypted = 1;
        complete(st);
    }
}
/* RFC 5246 7.4.2: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>; the leaf is decoded. */
static void certificate(kn_app_io_t *io, tls_state_t *st, uint8_t *b, uint32_t n)
{
    kn_cursor_t c;
    uint32_t total;
    int rc;

    st->cert_seen = 1;
    st->cert_msg = b;
    kn_cur_init(&c, b, n);
    total = kn_cur_be24(&c);
    if (c.err || total != kn_cur_left(&c)) {
        kn_app_anomaly(io, KN_ANOM_APP_TLS_CERTIFICATE_INVALID_LENGTH);
        return;
    }
    while (kn_cur_left(&c)) {
        uint32_t len = kn_cur_be24(&c);
        const uint8_t *der = kn_cur_take(&c, len);
        if (c.err || !len) {
            kn_app_anomaly(io, KN_ANOM_APP_TLS_CERTIFICATE_INVALID_LENGTH);
            return;
        }
        if (!st->n_certs && (rc = kn_tls_cert_parse(der, len, &st->cert)))
            kn_app_anomaly(io, (kn_anomaly_t)rc);
        st->chain_len++;
        if (st->n_certs < MAX_CERTS)
            st->certs[st->n_certs++] = str_of(der, len);
    }
}

/* ---- handshake layer ------------------------------------------------------------------------- */

static int hs_known(uint8_t t)
{
    switch (t) {
    case HS_HELLO_REQUEST: case HS_CLIENT_HELLO: case HS_SERVER_HELLO: case 3:
    case HS_NEW_SESSION_TICKET: case HS_END_OF_EARLY_DATA: case 6: case HS_ENCRYPTED_EXTENSIONS:
    case HS_CERTIFICATE: case HS_SERVER_KEY_EXCHANGE: case HS_CERTIFICATE_REQUEST:
    case HS_SERVER_HELLO_DONE: case HS_CERTIFICATE_VERIFY: case HS_CLIENT_KEY_EXCHANGE:
    case HS_FINISHED: case HS_CERTIFICATE_URL: case HS_CERTIFICATE_STATUS:
    case HS_SUPPLEMENTAL_DATA: case HS_KEY_UPDATE: case HS_COMPRESSED_CERTIFICATE:
    case HS_MESSAGE_HASH:
        return 1;
    default:
        return 0;
    }
}

/* Bodies we decode: the hellos of their side and the server's (clear-text) Certificate. */
static int hs_wanted(const tls_state_t *st, uint8_t type, int dir)
{
    if (dir == KN_TOSERVER)
        return type == HS_CLIENT_HELLO && !st->ch_seen;
    return type == HS_SERVER_HELLO || (type == HS_CERTIFICATE && !st->cert_seen);
}

/* A whole message: b is NULL when its body was not kept. May take ownership of b (owned). */
static void hs_message(kn_app_io_t *io, tls_state_t *st, int dir, uint8_t type, uint8_t *b,
                       uint32_t n, int owned)
{
    start_tx(io, st);
    st->touched = 1;
    switch (type) {
    case HS_CLIENT_HELLO:
        st->cur |= KN_SSLST_CLIENT_HELLO;
        if (b && dir == KN_TOSERVER)
            client_hello(io, st, b, n);
        break;
    case HS_SERVER_HELLO:
        st->cur |= KN_SSLST_SERVER_HELLO;
        if (b && dir == KN_TOCLIENT)
            server_hello(io, st, b, n);
        break;
    case HS_CERTIFICATE:
        if (b && dir == KN_TOCLIENT && !st->cert_seen) {
            if (!owned && !(b = st_dup(io, st, b, n)))
                break;
            certificate(io, st, b, n);
        }
        break;
    case HS_SERVER_KEY_EXCHANGE: st->cur |= KN_SSLST_SERVER_KEYX; break;
    case HS_CLIENT_KEY_EXCHANGE: st->cur |= KN_SSLST_CLIENT_KEYX; break;
    case HS_SERVER_HELLO_DONE:
        if (dir == KN_TOCLIENT)
            complete(st);
        break;
    default:
        break;
    }
}

/* The 4-byte header is in: decide whether the body is collected. */
static int hs_start(kn_app_io_t *io, tls_state_t *st, int dir)
{
    tls_dir_t *t = &st->d[dir];
    uint8_t *nb;

    t->msg_len = kn_rd_be24(t->hs + 1);
    t->msg_have = 0;
    t->msg_keep = 0;
    if (!hs_known(t->hs[0])) {
        kn_app_anomaly(io, KN_ANOM_APP_TLS_INVALID_HANDSHAKE_MESSAGE);
        return KN_ERR;
    }
    if (!hs_wanted(st, t->hs[0], dir) || !t->msg_len)
        return KN_OK;
    if (t->msg_len > t->msg_cap) {
        size_t grow = t->msg_len - t->msg_cap;
        if (st->mem + grow > kn_app_state_cap(io)) { /* a chain too big to keep: counted */
            if (!st->capped)
                kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
            st->capped = 1;
            return KN_OK;
        }
        if (!(nb = realloc(t->msg, t->msg_len)))
            return KN_OK;
        t->msg = nb;
        st->mem += grow;
        t->msg_cap = t->msg_len;
    }
    t->msg_keep = 1;
    return KN_OK;
}

static void hs_end(kn_app_io_t *io, tls_state_t *st, int dir)
{
    tls_dir_t *t = &st->d[dir];
    uint8_t *b = t->msg_keep ? t->msg : NULL;
    int owned = 0;

    if (b && t->hs[0] == HS_CERTIFICATE && dir == KN_TOCLIENT && !st->cert_seen) {
        owned = 1; /* the chain stays: hand the buffer over instead of copying it */
        t->msg = NULL;
        t->msg_cap = 0;
    }
    hs_message(io, st, dir, t->hs[0], b, t->msg_len, owned);
    if (owned && st->cert_msg != b)
        free(b);
    t->hs_have = 0;
}

static void hs_feed(kn_app_io_t *io, tls_state_t *st, int dir, const uint8_t *d, uint32_t n)
{
    tls_dir_t *t = &st->d[dir];
    uint32_t take;

    while (n && !t->dead && !t->encrypted) {
        if (t->hs_have < HS_HDR) {
            take = HS_HDR - t->hs_have < n ? HS_HDR - t->hs_have : n;
            memcpy(t->hs + t->hs_have, d, take);
            t->hs_have = (uint8_t)(t->hs_have + take);
            d += take, n -= take;
            if (t->hs_have < HS_HDR)
                return;
            if (hs_start(io, st, dir) != KN_OK) {
                t->dead = 1;
                return;
            }
        } else {
            take = t->msg_len - t->msg_have < n ? t->msg_len - t->msg_have : n;
            if (t->msg_keep)
                memcpy(t->msg + t->msg_have, d, take);
            t->msg_have += take;
            d += take, n -= take;
        }
        if (t->msg_have == t->msg_len)
            hs_end(io, st, dir);
    }
}

/* ---- SSLv2 records ----------------------------------------------------------------------------- */

/* As Suricata, a record whose first byte has either of the top bits set is SSLv2, from either
 * side, and makes that side's version SSLv2; of its messages only the hellos and ERROR count. */
static int ssl2_start(kn_app_io_t *io, tls_state_t *st, int dir)
{
    tls_dir_t *t = &st->d[dir];
    int two = t->hdr[0] & 0x80;
    uint32_t len = (uint32_t)(t->hdr[0] & (two ? 0x7f : 0x3f)) << 8 | t->hdr[1];

    t->ssl2 = 1;
    t->rec_type = two ? t->hdr[2] : t->hdr[3];
    t->v2_have = 0;
    if (!len) { /* no room for the message type */
        kn_app_anomaly(io, KN_ANOM_APP_TLS_INVALID_SSLV2_HEADER);
        return KN_ERR;
    }
    t->rec_len = len;
    t->rec_left = len - 1; /* the type is read */
    if (dir == KN_TOSERVER)
        st->client_version = V_SSL2;
    else
        st->server_version = V_SSL2;
    if (t->rec_type == SSL2_ERROR)
        kn_app_anomaly(io, KN_ANOM_APP_TLS_ERROR_MESSAGE_ENCOUNTERED);
    return KN_OK;
}

/* The cipher specs (3 bytes each), the session id (none or 16 bytes) and the challenge (16 to
 * 32 bytes) of a CLIENT-HELLO must fill its record exactly. */
static int ssl2_hello_ok(const tls_dir_t *t)
{
    uint32_t cs, sid, ch;

    if (t->v2_have < SSL2_HELLO_FIXED)
        return 0;
    cs = kn_rd_be16(t->v2 + 2);
    sid = kn_rd_be16(t->v2 + 4);
    ch = kn_rd_be16(t->v2 + 6);
    return cs && !(cs % 3) && (!sid || sid == 16) && ch >= 16 && ch <= 32 &&
           1 + SSL2_HELLO_FIXED + cs + sid + ch == t->rec_len;
}

/* A whole SSLv2 hello, reported as a TLS one is once complete. Suricata reads nothing past the
 * CLIENT-HELLO's lengths, so neither its ciphers nor its challenge are kept (no JA3). */
static void ssl2_end(kn_app_io_t *io, tls_state_t *st, int dir)
{
    const tls_dir_t *t = &st->d[dir];

    if (t->rec_type != (dir == KN_TOSERVER ? SSL2_CLIENT_HELLO : SSL2_SERVER_HELLO))
        return;
    start_tx(io, st);
    st->touched = 1;
    if (dir == KN_TOCLIENT) {
        st->cur |= KN_SSLST_SERVER_HELLO;
        return;
    }
    st->cur |= KN_SSLST_CLIENT_HELLO;
    if (!ssl2_hello_ok(t))
        kn_app_anomaly(io, KN_ANOM_APP_TLS_HANDSHAKE_INVALID_LENGTH);
    if (!st->ch_seen)
        st->pend |= KN_TXP_REQUEST;
    st->ch_seen = 1;
}

/* ---- record layer ---------------------------------------------------------------------------- */

/* Header bytes to read: 5 (RFC 5246 6.2.1), or the SSLv2 length and message type. */
static uint8_t hdr_size(const tls_dir_t *t)
{
    if (!t->hdr_have)
        return 1;
    if (!(t->hdr[0] & 0xc0))
        return REC_HDR;
    return t->hdr[0] & 0x80 ? 3 : 4;
}

static int record_start(kn_app_io_t *io, tls_state_t *st, int dir)
{
    tls_dir_t *t = &st->d[dir];
    uint8_t type = t->hdr[0];

    t->hb_have = 0;
    if (type & 0xc0)
        return ssl2_start(io, st, dir);
    t->ssl2 = 0;
    t->rec_len = t->rec_left = kn_rd_be16(t->hdr + 3);
    t->rec_type = type;
    if (type < REC_CCS || type > REC_HEARTBEAT) {
        kn_app_anomaly(io, KN_ANOM_APP_TLS_INVALID_RECORD_TYPE);
        return KN_ERR;
    }
    if (t->hdr[1] != 3 || t->hdr[2] > 4) {
        kn_app_anomaly(io, KN_ANOM_APP_TLS_INVALID_RECORD_VERSION);
        return KN_ERR;
    }
    if (t->rec_len > REC_MAX) {
        kn_app_anomaly(io, KN_ANOM_APP_TLS_INVALID_RECORD_LENGTH);
        return KN_ERR;
    }
    if (!t->rec_len && type == REC_HANDSHAKE) /* RFC 8446 5.1 */
        kn_app_anomaly(io, KN_ANOM_APP_TLS_INVALID_RECORD_LENGTH);
    if (type == REC_HEARTBEAT)
        kn_app_anomaly(io, KN_ANOM_APP_TLS_HEARTBEAT_MESSAGE);
    if ((type == REC_CCS && !st->log_wo_cert) || type == REC_APPDATA) {
        /* the server changing cipher or sending data ends its clear-text part (in TLS 1.3 a
         * CCS is the dummy of RFC 8446 D.4, even between a HelloRetryRequest and the real
         * ServerHello, and changes nothing) */
        if (dir == KN_TOCLIENT && st->started)
            complete(st);
        t->encrypted = 1;
    }
    return KN_OK;
}

/* RFC 6520 4: payload_length + 3 + 16 (padding) must fit in the record. */
static void record_end(kn_app_io_t *io, tls_state_t *st, int dir)
{
    tls_dir_t *t = &st->d[dir];
    uint32_t plen;

    t->hdr_have = 0;
    if (t->ssl2)
        ssl2_end(io, st, dir);
    if (t->ssl2 || t->rec_type != REC_HEARTBEAT || t->encrypted || t->hb_have < 3)
        return;
    plen = kn_rd_be16(t->hb + 1);
    if (plen + 3 + 16 > t->rec_len)
        kn_app_anomaly(io, KN_ANOM_APP_TLS_OVERFLOW_HEARTBEAT_MESSAGE);
}

static void record_body(kn_app_io_t *io, tls_state_t *st, int dir, const uint8_t *d, uint32_t n)
{
    tls_dir_t *t = &st->d[dir];

    if (t->ssl2) {
        while (n && t->v2_have < SSL2_HELLO_FIXED)
            t->v2[t->v2_have++] = *d++, n--;
    } else if (t->rec_type == REC_HANDSHAKE && !t->encrypted) {
        hs_feed(io, st, dir, d, n);
    } else if (t->rec_type == REC_HEARTBEAT) {
        while (n && t->hb_have < 3)
            t->hb[t->hb_have++] = *d++, n--;
    }
}

static void records(kn_app_io_t *io, tls_state_t *st, int dir, const uint8_t *d, uint32_t len)
{
    tls_dir_t *t = &st->d[dir];
    unsigned nrec = 0;
    uint32_t n, want;

    while (len && !t->dead) {
        if (t->hdr_have < (want = hdr_size(t))) {
            n = want - t->hdr_have < len ? want - t->hdr_have : len;
            memcpy(t->hdr + t->hdr_have, d, n);
            t->hdr_have = (uint8_t)(t->hdr_have + n);
            d += n, len -= n;
            if (t->hdr_have < hdr_size(t)) /* the first byte tells how long the header is */
                continue;
            if (record_start(io, st, dir) != KN_OK) {
                t->dead = 1;
                break;
            }
            if (++nrec == TOO_MANY_RECORDS)
                kn_app_anomaly(io, KN_ANOM_APP_TLS_TOO_MANY_RECORDS_IN_PACKET);
        } else {
            n = t->rec_left < len ? t->rec_left : len;
            record_body(io, st, dir, d, n);
            t->rec_left -= n;
            d += n, len -= n;
        }
        if (!t->rec_left)
            record_end(io, st, dir);
    }
}

static int parse(kn_app_io_t *io, void *vst, int dir, const uint8_t *d, uint32_t len)
{
    tls_state_t *st = vst;

    st->now = io_now(io);
    st->cur = 0;
    records(io, st, dir, d, len);
    report(io, st);
    /* both directions unreadable and nothing left to report: the app layer may stop calling */
    return st->d[0].dead && st->d[1].dead && (!st->started || st->done) ? KN_ERR : KN_OK;
}

/* Record framing cannot be recovered after a hole: the direction is given up; the handshake
 * fields already decoded are still reported at the end. */
static int gap(kn_app_io_t *io, void *vst, int dir, uint64_t lost)
{
    tls_state_t *st = vst;

    (void)io;
    (void)lost;
    st->d[dir].dead = 1;
    return KN_OK;
}

static void finish(kn_app_io_t *io, void *vst)
{
    tls_state_t *st = vst;

    if (st->started && !st->done) {
        st->pend |= KN_TXP_DONE;
        report(io, st);
    }
}

/* ---- detection ------------------------------------------------------------------------------- */

static int give(const void *p, size_t n, const uint8_t **b, uint32_t *len)
{
    if (!p)
        return 0;
    *b = p;
    *len = (uint32_t)n;
    return 1;
}

static int buffer(const kn_app_tx_t *tx, int buf, int dir, uint32_t idx, const uint8_t **b,
                  uint32_t *len)
{
    const tls_state_t *st = (const tls_state_t *)(const void *)tx;
    int side = dir == KN_TOCLIENT ? KN_TOCLIENT : KN_TOSERVER;
    const uint8_t *r = st->have_random[side] ? st->random[side] : NULL;

    *b = NULL;
    *len = 0;
    switch (buf) {
    case KN_BUF_TLS_SNI: return give(st->sni, st->info.sni.len, b, len);
    case KN_BUF_TLS_CERT_SUBJECT: return give(st->cert.subject, st->info.subject.len, b, len);
    case KN_BUF_TLS_CERT_ISSUER: return give(st->cert.issuer, st->info.issuerdn.len, b, len);
    case KN_BUF_TLS_CERT_SERIAL: return give(st->cert.serial, st->info.serial.len, b, len);
    case KN_BUF_TLS_CERT_FINGERPRINT:
        return give(st->cert.fingerprint[0] ? st->cert.fingerprint : NULL,
                    strlen(st->cert.fingerprint), b, len);
    case KN_BUF_TLS_CERTS: /* each certificate of the chain, DER */
        return idx < st->n_certs ? give(st->certs[idx].p, st->certs[idx].len, b, len) : 0;
    case KN_BUF_JA3_HASH: return give(st->ja3 ? st->ja3_hash : NULL, 32, b, len);
    case KN_BUF_JA3_STRING: return give(st->ja3, st->ja3 ? strlen(st->ja3) : 0, b, len);
    case KN_BUF_JA3S_HASH: return give(st->ja3s ? st->ja3s_hash : NULL, 32, b, len);
    case KN_BUF_JA3S_STRING: return give(st->ja3s, st->ja3s ? strlen(st->ja3s) : 0, b, len);
    case KN_BUF_JA4_HASH: return give(st->ja4[0] ? st->ja4 : NULL, strlen(st->ja4), b, len);
    case KN_BUF_TLS_RANDOM: return give(r, 32, b, len);
    case KN_BUF_TLS_RANDOM_TIME: return give(r, 4, b, len);
    case KN_BUF_TLS_RANDOM_BYTES: return give(r ? r + 4 : NULL, 28, b, len);
    default: return 0;
    }
}

/* tls.version, ssl_version and ssl_state were parsed when the rule loaded (rule_appkw.c). */
static int keyword(const kn_app_tx_t *tx, const struct kn_appkw *kw, int dir)
{
    const tls_state_t *st = (const tls_state_t *)(const void *)tx;
    uint16_t v = dir == KN_TOCLIENT ? st->server_version : st->client_version;
    int r;

    switch (kw->kind) {
    case KN_AK_TLS_VERSION:
        return kn_appkw_tls_version(kw, v);
    case KN_AK_SSL_VERSION:
        return kn_appkw_ssl_version(kw, v);
    case KN_AK_SSL_STATE:
        return kn_appkw_ssl_state(kw, st->cur);
    case KN_AK_TLS_CERT_EXPIRED:
        r = st->cert.notafter && st->cert.notafter < st->now;
        return r ^ kw->neg;
    case KN_AK_TLS_CERT_VALID:
        r = st->cert.notafter && st->cert.notbefore <= st->now && st->now <= st->cert.notafter;
        return r ^ kw->neg;
    case KN_AK_TLS_CERT_CHAIN_LEN:
        return st->cert_seen && (kn_num_match(&kw->num, st->chain_len) ^ kw->neg);
    default:
        return 0;
    }
}

static const void *info(const kn_app_tx_t *tx)
{
    return &((const tls_state_t *)(const void *)tx)->info;
}

const kn_app_parser_t kn_app_tls_parser = {
    .app = KN_APP_TLS,
    .ipproto = 6,
    .ports = {443, 465, 993, 995, 8443},
    .probe = probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse,
    .gap = gap,
    .finish = finish,
    .buffer = buffer,
    .keyword = keyword,
    .info = info,
    .memuse = memuse,
};
