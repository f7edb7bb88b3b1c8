/* app_smtp_mime.c: the message an SMTP DATA command carries: its header fields (RFC 5322 2.2,
 * folding 2.2.3), MIME entities (RFC 2045) nested by multipart boundaries (RFC 2046 5.1) and
 * the bodies of parts that name a file, decoded from base64 (RFC 2045 6.8) or
 * quoted-printable (6.7) into the file API, so attachments get fileinfo records and hashes.
 *
 * It is fed one line at a time (app_smtp.c removed CR LF and dot-stuffing), so it holds no
 * message bytes: one header field (cut at HDR_MAX, Suricata's header-value-depth), the
 * boundary stack, a part's file name, at most three base64 characters between lines and the
 * URL being read (app_smtp_url.c scans the decoded text of the message and its text parts).
 *
 * The transaction's email status follows Suricata 7's MIME parser states (HEADER_READY before
 * an entity's first field, HEADER_STARTED in its fields, HEADER_DONE at the blank line,
 * BODY_STARTED, BODY_END_BOUND after a close delimiter), since eve reports the state a message
 * was left in. Entities get serials so that eve reports attachments and URLs of the entity
 * the parser ended in and of its children, as Suricata's email logger does. */
#include "app_smtp_private.h"
#include "hexfmt.h"
#include "strci.h"

#include <stdlib.h>
#include <string.h>

#define HDR_MAX 2000u      /* bytes of one unfolded header field kept */
#define BOUNDARY_MAX 70u   /* RFC 2046 5.1.1 */
#define DEPTH_MAX 8u       /* nested multiparts followed */
#define OUT_CHUNK 3072u    /* decoded bytes handed to the file API at a time */

enum { ENC_NONE = 0, ENC_B64, ENC_QP };
enum { PH_HEADER = 0, PH_BODY };

struct smtp_mime {
    smtp_mem_t *mem;
    uint8_t phase;
    uint8_t top;             /* the headers being read are the message's own */
    uint8_t leaf;            /* the body being read is a part's content (not a preamble) */
    uint8_t depth;
    uint8_t blen[DEPTH_MAX];
    uint8_t bnd[DEPTH_MAX][BOUNDARY_MAX];
    /* the entity being read */
    uint8_t enc, multipart, bad_enc;
    uint8_t nblen;
    uint8_t nb[BOUNDARY_MAX];
    uint8_t fname[KN_FILE_NAME_MAX];
    uint32_t fname_len;
    /* the header field being gathered */
    uint8_t hdr[HDR_MAX];
    uint32_t hlen;
    uint8_t have_hdr;
    uint8_t cont;            /* the last line was a piece of an overlong one */
    uint8_t text;            /* its Content-Type is text/plain or text/html */
    uint8_t level;           /* nesting of the entity being read: 0 the message itself */
    uint16_t ent_next;       /* entity serials given so far */
    uint16_t ent[DEPTH_MAX + 1]; /* serial of the entity open at each level */
    smtp_url_scan_t url;
    /* body decoding */
    kn_file_t *file;
    uint8_t b64[4], b64n;
    uint8_t crlf_pending;    /* a line break goes before the next body line */
    kn_file_t *finished[KN_FILE_MAX_PER_TX];
    uint16_t nfinished;
};

smtp_mime_t *kn_smtp_mime_new(smtp_mem_t *mem)
{
    smtp_mime_t *m = calloc(1, sizeof(*m));

    if (m) {
        m->mem = mem;
        m->top = 1;
    }
    return m;
}

void kn_smtp_mime_free(smtp_mime_t *m)
{
    free(m);
}

/* ---- header fields ------------------------------------------------------------------------ */

/* Offset of the next ';' at or after i outside a quoted-string, or n. */
static uint32_t next_semi(const uint8_t *v, uint32_t n, uint32_t i)
{
    int quoted = 0;

    for (; i < n; i++) {
        if (v[i] == '"')
            quoted = !quoted;
        else if (v[i] == ';' && !quoted)
            return i;
    }
    return n;
}

/* The value of parameter name (RFC 2045 5.1: token or quoted-string) in a Content-Type or
 * Content-Disposition value; 0 when absent. */
static int header_param(const uint8_t *v, uint32_t n, const char *name, kn_str_t *out)
{
    uint32_t i, k = (uint32_t)strlen(name), start;

    for (i = next_semi(v, n, 0); i < n; i = next_semi(v, n, i)) {
        for (i++; i < n && (v[i] == ' ' || v[i] == '\t'); i++)
            ;
        if (n - i <= k || !kn_ci_prefix(v + i, n - i, name) || v[i + k] != '=')
            continue;
        i += k + 1;
        if (i < n && v[i] == '"') {
            for (start = ++i; i < n && v[i] != '"'; i++)
                ;
        } else {
            for (start = i; i < n && v[i] != ';' && v[i] != ' ' && v[i] != '\t'; i++)
                ;
        }
        out->p = v + start;
        out->len = i - start;
        return 1;
    }
    return 0;
}

static void set_fname(kn_app_io_t *io, smtp_mime_t *m, kn_str_t v)
{
    if (v.len > KN_FILE_NAME_MAX) {
        kn_app_anomaly(io, KN_ANOM_APP_SMTP_MIME_LONG_FILENAME);
        v.len = KN_FILE_NAME_MAX;
    }
    memcpy(m->fname, v.p, v.len);
    m->fname_len = v.len;
}

static void content_type(kn_app_io_t *io, smtp_mime_t *m, const uint8_t *v, uint32_t n)
{
    kn_str_t p;

    m->text = kn_ci_prefix(v, n, "text/plain") || kn_ci_prefix(v, n, "text/html");
    if (kn_ci_prefix(v, n, "multipart/") && header_param(v, n, "boundary", &p)) {
        if (p.len > BOUNDARY_MAX) {
            kn_app_anomaly(io, KN_ANOM_APP_SMTP_MIME_LONG_BOUNDARY);
            return;
        }
        m->multipart = 1;
        memcpy(m->nb, p.p, p.len);
        m->nblen = (uint8_t)p.len;
    } else if (!m->fname_len && header_param(v, n, "name", &p) && p.len) {
        set_fname(io, m, p);
    }
}

/* Top-level fields eve reports; the first of each is kept (Suricata keeps one too). */
static kn_str_t *top_field(smtp_tx_t *t, const uint8_t *name, uint32_t n)
{
    static const char *const names[] = {"from", "to", "cc", "bcc", "reply-to", "subject",
                                        "date", "message-id", "x-mailer", "user-agent"};
    kn_str_t *f[] = {&t->info.from, &t->info.to, &t->info.cc, &t->info.bcc,
                     &t->info.reply_to, &t->info.subject, &t->info.date, &t->info.message_id,
                     &t->info.x_mailer, &t->info.user_agent};
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (kn_ci_eq(name, n, names[i]))
            return f[i];
    return NULL;
}

static void field(kn_app_io_t *io, smtp_mime_t *m, smtp_tx_t *t, const uint8_t *name,
                  uint32_t nlen, const uint8_t *v, uint32_t n)
{
    kn_str_t *dst, p;

    if (kn_ci_eq(name, nlen, "content-type")) {
        content_type(io, m, v, n);
    } else if (kn_ci_eq(name, nlen, "content-disposition")) {
        if (header_param(v, n, "filename", &p) && p.len)
            set_fname(io, m, p);
    } else if (kn_ci_eq(name, nlen, "content-transfer-encoding")) {
        m->enc = kn_ci_eq(v, n, "base64") ? ENC_B64 : kn_ci_eq(v, n, "quoted-printable") ? ENC_QP
                                                                                   : ENC_NONE;
    }
    if (m->top && (dst = top_field(t, name, nlen)) && !dst->p &&
        kn_smtp_keep(m->mem, dst, v, n) != 0)
        kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
}

/* The gathered field "Name: value" is complete. */
static void flush_field(kn_app_io_t *io, smtp_mime_t *m, smtp_tx_t *t)
{
    const uint8_t *h = m->hdr, *colon = memchr(h, ':', m->hlen);
    uint32_t nlen, vs, ve = m->hlen;

    if (!m->have_hdr)
        return;
    m->have_hdr = 0;
    if (!colon)
        return;
    nlen = (uint32_t)(colon - h);
    while (nlen && (h[nlen - 1] == ' ' || h[nlen - 1] == '\t'))
        nlen--;
    for (vs = (uint32_t)(colon - h) + 1; vs < ve && (h[vs] == ' ' || h[vs] == '\t'); vs++)
        ;
    while (ve > vs && (h[ve - 1] == ' ' || h[ve - 1] == '\t'))
        ve--;
    field(io, m, t, h, nlen, h + vs, ve - vs);
}

static void hdr_append(kn_app_io_t *io, smtp_mime_t *m, const uint8_t *l, uint32_t n)
{
    uint32_t room = HDR_MAX - m->hlen;

    if (n > room) {
        if (room)
            kn_app_anomaly(io, KN_ANOM_APP_SMTP_MIME_LONG_HEADER_VALUE);
        n = room;
    }
    memcpy(m->hdr + m->hlen, l, n);
    m->hlen += n;
}

/* ---- entities ----------------------------------------------------------------------------- */

static void reset_entity(smtp_mime_t *m)
{
    m->enc = ENC_NONE;
    m->text = 0;
    m->multipart = 0;
    m->bad_enc = 0;
    m->nblen = 0;
    m->fname_len = 0;
    m->hlen = 0;
    m->have_hdr = 0;
    m->b64n = 0;
    m->crlf_pending = 0;
}

/* The blank line after an entity's header: its body starts. */
static uint16_t parent_of(const smtp_mime_t *m, uint8_t level)
{
    return level ? m->ent[level - 1] : 0;
}

/* The entity's text begins: its URLs are looked for when it is the message itself or a text
 * part, and not an attachment (Suricata's rule). */
static void text_begins(smtp_mime_t *m)
{
    kn_smtp_url_part(&m->url, m->ent[m->level], parent_of(m, m->level),
                     !m->fname_len && (m->level == 0 || m->text));
}

static void headers_done(kn_app_io_t *io, smtp_mime_t *m, smtp_tx_t *t)
{
    flush_field(io, m, t);
    t->info.email_status = KN_EMAIL_HEADER_DONE;
    m->top = 0;
    m->phase = PH_BODY;
    m->leaf = !m->multipart;
    text_begins(m);
    if (m->fname_len && kn_smtp_items_add(m->mem, &t->att, m->ent[m->level],
                                          parent_of(m, m->level), m->fname, m->fname_len, 0))
        kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
    if (m->multipart) {
        if (m->depth == DEPTH_MAX) {
            kn_app_anomaly(io, KN_ANOM_APP_SMTP_MIME_PARSE_FAILED);
            m->leaf = 0;
            return;
        }
        memcpy(m->bnd[m->depth], m->nb, m->nblen);
        m->blen[m->depth++] = m->nblen;
        return;
    }
    if (!m->fname_len)
        return;
    m->file = kn_file_open(io, &t->files, &t->tx, KN_TOSERVER, m->fname, m->fname_len);
}

/* A part's content ended at its boundary: its file is complete (closed after the log). */
static void part_end(smtp_mime_t *m)
{
    if (m->file && m->nfinished < KN_FILE_MAX_PER_TX)
        m->finished[m->nfinished++] = m->file;
    m->file = NULL;
    m->leaf = 0;
}

/* ---- body decoding ------------------------------------------------------------------------ */

/* Decoded bytes: to the part's file, and to the URL scanner. */
static void emit(kn_app_io_t *io, smtp_mime_t *m, smtp_tx_t *t, const uint8_t *p, uint32_t n)
{
    if (m->leaf && m->file)
        kn_file_data(io, m->file, p, n);
    kn_smtp_url_text(io, &m->url, m->mem, &t->url, p, n);
}

static int b64_value(uint8_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

static void b64_decode(kn_app_io_t *io, smtp_mime_t *m, smtp_tx_t *t, const uint8_t *l,
                       uint32_t n)
{
    uint8_t out[OUT_CHUNK];
    uint32_t i, o = 0;
    int v;

    for (i = 0; i < n; i++) {
        if (l[i] == '=') { /* padding: the group ends here */
            if (m->b64n >= 2)
                out[o++] = (uint8_t)(m->b64[0] << 2 | m->b64[1] >> 4);
            if (m->b64n == 3)
                out[o++] = (uint8_t)(m->b64[1] << 4 | m->b64[2] >> 2);
            m->b64n = 0;
        } else if ((v = b64_value(l[i])) >= 0) {
            m->b64[m->b64n++] = (uint8_t)v;
            if (m->b64n == 4) {
                out[o++] = (uint8_t)(m->b64[0] << 2 | m->b64[1] >> 4);
                out[o++] = (uint8_t)(m->b64[1] << 4 | m->b64[2] >> 2);
                out[o++] = (uint8_t)(m->b64[2] << 6 | m->b64[3]);
                m->b64n = 0;
            }
        } else if (l[i] != ' ' && l[i] != '\t' && !m->bad_enc) {
            m->bad_enc = 1;
            kn_app_anomaly(io, KN_ANOM_APP_SMTP_MIME_INVALID_BASE64);
        }
        if (o > OUT_CHUNK - 4) {
            emit(io, m, t, out, o);
            o = 0;
        }
    }
    if (o)
        emit(io, m, t, out, o);
}

/* Returns 1 when the line ended in a soft line break ("=" at its end). */
static int qp_decode(kn_app_io_t *io, smtp_mime_t *m, smtp_tx_t *t, const uint8_t *l,
                     uint32_t n)
{
    uint8_t out[OUT_CHUNK];
    uint32_t i, o = 0;
    int hi, lo, soft = 0;

    while (n && (l[n - 1] == ' ' || l[n - 1] == '\t')) /* RFC 2045 6.7 (3) */
        n--;
    for (i = 0; i < n; i++) {
        if (l[i] != '=') {
            out[o++] = l[i];
        } else if (i + 1 == n) {
            soft = 1;
        } else if (i + 2 < n && (hi = kn_hexval(l[i + 1])) >= 0 && (lo = kn_hexval(l[i + 2])) >= 0) {
            out[o++] = (uint8_t)(hi << 4 | lo);
            i += 2;
        } else {
            if (!m->bad_enc) {
                m->bad_enc = 1;
                kn_app_anomaly(io, KN_ANOM_APP_SMTP_MIME_INVALID_QP);
            }
            out[o++] = l[i];
        }
        if (o == OUT_CHUNK) {
            emit(io, m, t, out, o);
            o = 0;
        }
    }
    if (o)
        emit(io, m, t, out, o);
    return soft;
}

/* The line break between two body lines goes out with the second (a file gets none after its
 * last line); the URL scanner is told of a line's end at once. */
static void body_line(kn_app_io_t *io, smtp_mime_t *m, smtp_tx_t *t, const uint8_t *l,
                      uint32_t n, int partial)
{
    static const uint8_t crlf[2] = {'\r', '\n'};

    if (!(m->leaf && m->file) && !m->url.on)
        return;
    if (m->enc == ENC_B64) {
        b64_decode(io, m, t, l, n);
        return;
    }
    if (m->crlf_pending && m->leaf && m->file)
        kn_file_data(io, m->file, crlf, 2);
    if (m->enc == ENC_QP)
        m->crlf_pending = !qp_decode(io, m, t, l, n) && !partial;
    else {
        emit(io, m, t, l, n);
        m->crlf_pending = !partial;
    }
    if (m->crlf_pending)
        kn_smtp_url_text(io, &m->url, m->mem, &t->url, crlf + 1, 1);
}

/* "--boundary" or "--boundary--" of an enclosing multipart (RFC 2046 5.1.1): 1 when it was. */
static int boundary(kn_app_io_t *io, smtp_mime_t *m, smtp_tx_t *t, const uint8_t *l, uint32_t n)
{
    int i;
    uint32_t k;

    if (n < 2 || l[0] != '-' || l[1] != '-')
        return 0;
    for (i = m->depth - 1; i >= 0; i--) {
        k = m->blen[i];
        if (n < 2 + k || memcmp(l + 2, m->bnd[i], k) != 0)
            continue;
        kn_smtp_url_end(io, &m->url, m->mem, &t->url);
        part_end(m);
        reset_entity(m);
        if (n >= 4 + k && l[2 + k] == '-' && l[3 + k] == '-') { /* close delimiter */
            m->depth = (uint8_t)i;
            m->phase = PH_BODY; /* the epilogue: the multipart's own text */
            m->level = (uint8_t)i;
            t->info.email_status = KN_EMAIL_BODY_END_BOUND;
            kn_smtp_url_part(&m->url, m->ent[i], parent_of(m, m->level), i == 0);
        } else {
            m->depth = (uint8_t)(i + 1);
            m->phase = PH_HEADER;
            m->level = (uint8_t)(i + 1);
            if (m->ent_next < UINT16_MAX)
                m->ent_next++;
            m->ent[m->level] = m->ent_next;
            t->info.email_status = KN_EMAIL_HEADER_READY;
        }
        return 1;
    }
    return 0;
}

/* "name:" with a name of printable characters (RFC 5322 2.2: ftext) starts a field. */
static int field_start(const uint8_t *l, uint32_t n)
{
    uint32_t i;

    for (i = 0; i < n && l[i] > ' ' && l[i] < 127 && l[i] != ':'; i++)
        ;
    return i > 0 && i < n && l[i] == ':';
}

/* A line of an entity's header: a field, the rest of one (folded, or any line that is not a
 * field once one began, as Suricata takes it), the blank line, or the first line of a body
 * that has no header at all. Returns 1 when the line is body. */
static int header_line(kn_app_io_t *io, smtp_mime_t *m, smtp_tx_t *t, const uint8_t *l,
                       uint32_t n, int start)
{
    if (start && !n) {
        headers_done(io, m, t);
    } else if (start && field_start(l, n)) {
        flush_field(io, m, t);
        m->hlen = 0;
        m->have_hdr = 1;
        t->info.email_status = KN_EMAIL_HEADER_STARTED;
        hdr_append(io, m, l, n);
    } else if (m->have_hdr) {
        hdr_append(io, m, l, n); /* folding (RFC 5322 2.2.3): CR LF dropped */
    } else {
        m->top = 0;
        m->phase = PH_BODY;
        m->leaf = 1;
        text_begins(m);
        return 1;
    }
    return 0;
}

/* Empty lines Suricata passes over: after a close delimiter, and between the header and an
 * encoded body. */
static int skipped_blank(const smtp_mime_t *m, const smtp_tx_t *t, uint32_t n, int start)
{
    uint8_t st = t->info.email_status;

    if (n || !start)
        return 0;
    return st == KN_EMAIL_BODY_END_BOUND || (st == KN_EMAIL_HEADER_DONE && m->enc != ENC_NONE);
}

void kn_smtp_mime_line(kn_app_io_t *io, smtp_mime_t *m, smtp_tx_t *t, const uint8_t *l,
                       uint32_t n, int partial)
{
    int start = !m->cont;

    m->cont = (uint8_t)partial;
    if (m->phase == PH_HEADER && !header_line(io, m, t, l, n, start))
        return;
    if (skipped_blank(m, t, n, start))
        return;
    if (start && m->depth && boundary(io, m, t, l, n))
        return;
    t->info.email_status = KN_EMAIL_BODY_STARTED;
    body_line(io, m, t, l, n, partial);
}

/* Builds the transaction's eve lists (attachments, URLs and their flags) for entity top. */
static void mime_report(smtp_mime_t *m, smtp_tx_t *t)
{
    uint16_t top = m->ent[m->level];

    t->info.url_flags = kn_smtp_items_select(&t->url, top, 1, 1);
    (void)kn_smtp_items_select(&t->att, top, 0, 0);
}

void kn_smtp_mime_end(kn_app_io_t *io, smtp_mime_t *m, smtp_tx_t *t, int complete)
{
    if (m->phase == PH_HEADER && m->top)
        flush_field(io, m, t);
    kn_smtp_url_end(io, &m->url, m->mem, &t->url);
    mime_report(m, t);
    if (complete && m->leaf)
        part_end(m);
    m->file = NULL; /* a part cut short is closed truncated by kn_files_close_all */
    m->phase = PH_HEADER;
    m->top = 1;
    m->leaf = 0;
    m->depth = 0;
    m->level = 0;
    m->ent_next = 0;
    m->cont = 0;
    reset_entity(m);
}

void kn_smtp_mime_close(kn_app_io_t *io, smtp_mime_t *m)
{
    uint16_t i;

    for (i = 0; i < m->nfinished; i++)
        kn_file_close(io, m->finished[i], KN_FILE_END_OK);
    m->nfinished = 0;
}
