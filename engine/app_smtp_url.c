/* app_smtp_url.c: the URLs of a message's text, as Suricata 7 reports them with its default
 * smtp.mime settings (extract-urls yes, extract-urls-schemes [http], log-url-scheme no):
 * every "http://" (any case) in the decoded text of a text/plain or text/html part, or of the
 * message itself, starts a URL that runs to the next blank, quote, '<', '>', ']', tab or line
 * end; it is kept without its scheme, lower-cased, once per MIME entity, and flagged when it
 * points at an executable (by extension) or its host is a numeric IPv4 or IPv6 address.
 *
 * The scanner is fed decoded bytes in any pieces (a URL may span TCP segments, base64 groups
 * or quoted-printable soft line breaks) and holds at most one URL (SMTP_URL_LEN bytes). A
 * message keeps SMTP_URL_MAX URLs; more, and the bytes of longer ones, are counted and dropped.
 *
 * Eve reports items of MIME entities as Suricata's email logger does: those of the entity the
 * parser is in when the transaction is logged (the message itself once it ended well) and of
 * its direct children, each entity's URLs newest first (kn_smtp_items_select). */
#include "app_smtp_private.h"
#include "strci.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define SCHEME "http://"
#define SCHEME_LEN 7u
#define IP4_CHARS 15u
#define IP6_CHARS 39u

enum { SC_SCHEME = 0, SC_URL, SC_SKIP_BLANKS, SC_SKIP_TOKEN };

static int url_end(uint8_t c)
{
    return c == ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == ']' || c == '\t' ||
           c == '\r' || c == '\n';
}

/* ---- flags -------------------------------------------------------------------------------- */

/* The first occurrence of an executable's extension ends the URL or its path (a '?' follows). */
static int exe_url(const uint8_t *u, uint32_t n)
{
    static const char *const exts[] = {".exe", ".vbs", ".bin", ".cmd", ".bat", ".jar", ".js",
                                       ".ps",  ".ps1", ".sh",  ".run", ".hta", ".elf"};
    const uint8_t *hit;
    size_t i, k;

    for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        k = strlen(exts[i]);
        hit = n >= k ? memmem(u, n, exts[i], k) : NULL; /* u is lower-case already */
        if (hit && ((uint32_t)(hit - u) + k == n || hit[k] == '?'))
            return 1;
    }
    return 0;
}

/* The host part (up to the first '/') parses as an address of family af. */
static int numeric_host(const uint8_t *u, uint32_t n, int af)
{
    char host[IP6_CHARS + 1];
    uint8_t addr[16];
    uint32_t i;

    for (i = 0; i < n && u[i] != '/'; i++)
        ;
    if (i > (af == AF_INET ? IP4_CHARS : IP6_CHARS))
        return 0;
    memcpy(host, u, i);
    host[i] = '\0';
    return inet_pton(af, host, addr) == 1;
}

static uint8_t url_flags(const uint8_t *u, uint32_t n)
{
    uint8_t f = exe_url(u, n) ? KN_EMAIL_URL_EXE : 0;

    if (numeric_host(u, n, AF_INET))
        f |= KN_EMAIL_URL_IPV4;
    else if (numeric_host(u, n, AF_INET6))
        f |= KN_EMAIL_URL_IPV6;
    return f;
}

/* ---- the entity-tagged lists ------------------------------------------------------------- */

static int item_known(const smtp_items_t *l, uint16_t ent, const uint8_t *p, uint32_t n)
{
    uint16_t i;

    for (i = 0; i < l->n; i++)
        if (l->v[i].ent == ent && l->v[i].s.len == n && !memcmp(l->v[i].s.p, p, n))
            return 1;
    return 0;
}

int kn_smtp_items_add(smtp_mem_t *m, smtp_items_t *l, uint16_t ent, uint16_t parent,
                      const uint8_t *p, uint32_t n, uint8_t flags)
{
    smtp_item_t *v;
    kn_str_t *out;
    uint16_t cap;
    size_t more;

    if (l->n >= SMTP_ITEMS_MAX)
        return -1;
    if (l->n == l->cap) { /* v and the output array grow together */
        cap = l->cap ? (uint16_t)(l->cap * 2) : 4;
        more = (size_t)(cap - l->cap) * (sizeof(*v) + sizeof(*out));
        if (m->used + more > m->cap || !(v = realloc(l->v, cap * sizeof(*v))))
            return -1;
        l->v = v;
        if (!(out = realloc(l->out, cap * sizeof(*out))))
            return -1;
        l->out = out;
        m->used += more;
        l->cap = cap;
    }
    v = &l->v[l->n];
    if (kn_smtp_keep(m, &v->s, p, n) != 0)
        return -1;
    v->ent = ent;
    v->parent = parent;
    v->flags = flags;
    l->n++;
    return 0;
}

void kn_smtp_items_free(smtp_mem_t *m, smtp_items_t *l)
{
    uint16_t i;

    for (i = 0; i < l->n; i++)
        kn_smtp_str_free(m, &l->v[i].s);
    m->used -= (size_t)l->cap * sizeof(*l->v) + (size_t)l->cap * sizeof(*l->out);
    free(l->v);
    free(l->out);
    memset(l, 0, sizeof(*l));
}

/* Appends the items of entity ent to out, newest first when rev. */
static void pick(smtp_items_t *l, uint16_t ent, int rev)
{
    uint16_t i, k;

    for (k = 0; k < l->n; k++) {
        i = rev ? (uint16_t)(l->n - 1 - k) : k;
        if (l->v[i].ent == ent)
            l->out[l->nout++] = l->v[i].s;
    }
}

uint8_t kn_smtp_items_select(smtp_items_t *l, uint16_t top, int self, int rev)
{
    uint8_t own = 0;
    uint16_t i, last = 0;
    int any = 0;

    l->nout = 0;
    for (i = 0; self && i < l->n; i++) {
        if (l->v[i].ent == top) {
            own |= l->v[i].flags | KN_EMAIL_URL_OWN;
            any = 1;
        }
    }
    if (any)
        pick(l, top, rev);
    /* children in the order they appeared (entity serials grow through the message) */
    for (i = 0; i < l->n; i++) {
        if (l->v[i].parent != top || l->v[i].ent == top || (last && l->v[i].ent <= last))
            continue;
        last = l->v[i].ent;
        pick(l, last, rev);
    }
    return own;
}

/* ---- the scanner ------------------------------------------------------------------------- */

void kn_smtp_url_part(smtp_url_scan_t *sc, uint16_t ent, uint16_t parent, int on)
{
    sc->st = SC_SCHEME;
    sc->matched = 0;
    sc->len = 0;
    sc->nul = 0;
    sc->ent = ent;
    sc->parent = parent;
    sc->on = (uint8_t)on;
}

static void url_done(kn_app_io_t *io, smtp_url_scan_t *sc, smtp_mem_t *m, smtp_items_t *l)
{
    uint32_t n = sc->len;

    sc->st = SC_SCHEME;
    sc->matched = 0;
    sc->len = 0;
    sc->nul = 0;
    if (!n || item_known(l, sc->ent, sc->buf, n))
        return;
    if (l->n >= SMTP_URL_MAX) {
        kn_app_count(io, KN_CTR_APP_SMTP_URL_DROPPED);
        return;
    }
    if (kn_smtp_items_add(m, l, sc->ent, sc->parent, sc->buf, n, url_flags(sc->buf, n)) != 0)
        kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
}

/* One byte inside a URL: kept lower-cased up to a NUL (the URL's end as Suricata keeps it) or
 * SMTP_URL_LEN bytes. */
static void url_byte(kn_app_io_t *io, smtp_url_scan_t *sc, uint8_t c)
{
    if (!c)
        sc->nul = 1;
    if (sc->nul)
        return;
    if (sc->len == SMTP_URL_LEN) {
        kn_app_count(io, KN_CTR_APP_SMTP_URL_TRUNCATED);
        sc->nul = 1;
        return;
    }
    sc->buf[sc->len++] = kn_lower(c);
}

/* Matching the scheme: "http://" right after the last URL or mismatch. */
static void scheme_byte(smtp_url_scan_t *sc, uint8_t c)
{
    if (kn_lower(c) == (uint8_t)SCHEME[sc->matched]) {
        if (++sc->matched == SCHEME_LEN)
            sc->st = SC_SKIP_BLANKS; /* the next byte decides: a URL or a blank */
        return;
    }
    sc->matched = kn_lower(c) == (uint8_t)SCHEME[0];
}

void kn_smtp_url_text(kn_app_io_t *io, smtp_url_scan_t *sc, smtp_mem_t *m, smtp_items_t *l,
                      const uint8_t *p, uint32_t n)
{
    uint32_t i;
    uint8_t c;

    if (!sc->on)
        return;
    for (i = 0; i < n; i++) {
        c = p[i];
        if (c == '\r' || c == '\n') { /* a line end ends everything */
            if (sc->st == SC_URL)
                url_done(io, sc, m, l);
            sc->st = SC_SCHEME;
            sc->matched = 0;
        } else if (sc->st == SC_SCHEME) {
            scheme_byte(sc, c);
        } else if (sc->st == SC_URL) {
            if (url_end(c))
                url_done(io, sc, m, l);
            else
                url_byte(io, sc, c);
        } else if (sc->st == SC_SKIP_BLANKS) {
            /* "http://" then a blank: no URL, and the next word is skipped too (Suricata
             * takes it for the token and moves past it) */
            if (sc->matched == SCHEME_LEN && !url_end(c)) {
                sc->st = SC_URL;
                url_byte(io, sc, c);
            } else if (!url_end(c)) {
                sc->st = SC_SKIP_TOKEN;
            }
            sc->matched = 0;
        } else if (url_end(c)) { /* SC_SKIP_TOKEN */
            sc->st = SC_SCHEME;
        }
    }
}

void kn_smtp_url_end(kn_app_io_t *io, smtp_url_scan_t *sc, smtp_mem_t *m, smtp_items_t *l)
{
    if (sc->on && sc->st == SC_URL)
        url_done(io, sc, m, l);
    kn_smtp_url_part(sc, sc->ent, sc->parent, 0);
}
