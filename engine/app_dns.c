/* app_dns.c: DNS messages over UDP and TCP (RFC 1035 4.1, 4.2), one transaction per message.
 *
 * Suricata logs a query and its response as two dns events, each its own transaction, so every
 * message here becomes a transaction that is reported complete (KN_TXP_DONE) as soon as it is
 * parsed; no request/response pairing is kept. Because the transaction is logged and done
 * before the next message is read, one transaction, one record array and one text buffer per
 * flow are reused, and nothing is allocated per message once they have grown. Names are
 * decoded with compression (RFC 1035 4.1.4) under bounds on pointers followed, labels and
 * length. Over TCP every message carries a two-byte length (RFC 1035 4.2.2) and may be split
 * anywhere across segments, so each direction assembles its message before parsing it. */
#include "applayer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cursor.h"
#include "sig.h"

#define HDR_LEN 12u         /* RFC 1035 4.1.1 */
#define NAME_TEXT_MAX 1025u /* Suricata's cap on a name's text (dnsmasq's limit) */
#define NAME_WIRE_MAX 255u  /* RFC 1035 2.3.4: octets of a name on the wire */
#define MAX_STEPS 255u      /* labels plus pointers in one name before we stop */
#define MAX_JUMPS 32u       /* distinct compression pointers followed in one name */
#define PROBE_MAX_QD 16u    /* questions a plausible message asks */
#define NO_OFF UINT32_MAX   /* a string that points into the message, not into st->text */

/* Problems met while walking one message. */
enum { F_LOOP = 1, F_LONG = 2, F_LABELS = 4, F_CAP = 8, F_BAD_AUTH = 16, F_BAD_ADD = 32 };

typedef struct dns_tx {
    kn_app_tx_t h; /* first: the app layer's header */
    kn_dns_info_t info;
} dns_tx_t;

/* One TCP direction: the message being assembled behind its length prefix. */
typedef struct dns_tcpdir {
    uint8_t lenb[2], nlen; /* length prefix bytes seen */
    uint8_t gap;           /* bytes were lost: wait for a plausible message start */
    uint32_t need, have;
    uint8_t *buf;
    uint32_t cap;
} dns_tcpdir_t;

typedef struct dns_state {
    dns_tx_t tx;             /* reused for every message */
    uint8_t *text;           /* decoded names and addresses of the current message */
    uint32_t text_len, text_cap;
    kn_dns_rr_t *rr;         /* its records, section after section */
    uint32_t (*roff)[3];     /* per record: text offsets of name, rdata, rdata2 (or NO_OFF) */
    uint32_t n_rr, rr_cap;
    dns_tcpdir_t d[2];
    uint8_t tcp;
    uint8_t oriented, flip;  /* the first message decides which side asks */
} dns_state_t;

/* A message being walked. st is NULL while probing: nothing is kept then. */
typedef struct dns_msg {
    const uint8_t *p;
    uint32_t len;
    dns_state_t *st;
    size_t cap;
    unsigned flags; /* F_* */
} dns_msg_t;

typedef struct tref {
    uint32_t off, len;
    uint8_t trunc;
} tref_t;

/* ---- storage of one message -------------------------------------------------------------- */

static size_t state_bytes(const dns_state_t *st)
{
    return sizeof(*st) + st->text_cap + (size_t)st->rr_cap * (sizeof(*st->rr) + sizeof(*st->roff)) +
           st->d[0].cap + st->d[1].cap;
}

/* Room for n more text bytes, within the flow's cap. */
static int text_room(dns_msg_t *m, uint32_t n)
{
    dns_state_t *st = m->st;
    uint32_t want = st->text_len + n, cap = st->text_cap ? st->text_cap : 512;
    uint8_t *t;

    if (want <= st->text_cap)
        return 1;
    while (cap < want)
        cap *= 2;
    if (state_bytes(st) + (cap - st->text_cap) > m->cap || !(t = realloc(st->text, cap))) {
        m->flags |= F_CAP;
        return 0;
    }
    st->text = t;
    st->text_cap = cap;
    return 1;
}

/* A new record, zeroed, or NULL when the cap says no more. */
static kn_dns_rr_t *rr_add(dns_msg_t *m)
{
    dns_state_t *st = m->st;
    uint32_t cap = st->rr_cap ? st->rr_cap * 2 : 8;
    kn_dns_rr_t *r;
    uint32_t(*o)[3];

    if (st->n_rr == st->rr_cap) {
        if (state_bytes(st) + (size_t)(cap - st->rr_cap) * (sizeof(*r) + sizeof(*o)) > m->cap ||
            !(r = realloc(st->rr, cap * sizeof(*r)))) {
            m->flags |= F_CAP;
            return NULL;
        }
        st->rr = r;
        if (!(o = realloc(st->roff, cap * sizeof(*o)))) {
            m->flags |= F_CAP;
            return NULL;
        }
        st->roff = o;
        st->rr_cap = cap;
    }
    r = &st->rr[st->n_rr];
    memset(r, 0, sizeof(*r));
    st->roff[st->n_rr][0] = st->roff[st->n_rr][1] = st->roff[st->n_rr][2] = NO_OFF;
    st->n_rr++;
    return r;
}

/* ---- names (RFC 1035 3.1, 4.1.4) ----------------------------------------------------------- */

static void put_label(dns_msg_t *m, tref_t *t, const uint8_t *label, uint32_t n)
{
    uint32_t add = (t->len ? 1u : 0u) + n;

    if (!m->st || t->trunc)
        return;
    if (t->len + add > NAME_TEXT_MAX) {
        add = NAME_TEXT_MAX - t->len;
        t->trunc = 1;
    }
    if (!add || !text_room(m, add))
        return;
    if (t->len) {
        m->st->text[m->st->text_len++] = '.';
        add--;
    }
    n = n < add ? n : add;
    memcpy(m->st->text + m->st->text_len, label, n);
    m->st->text_len += n;
    t->len = m->st->text_len - t->off;
}

static int jumped_from(const uint32_t *jumps, uint32_t nj, uint32_t pos)
{
    uint32_t i;

    for (i = 0; i < nj; i++)
        if (jumps[i] == pos)
            return 1;
    return 0;
}

/* Decodes the name at pos. Returns the offset just past it where it sits in the message (after
 * its first pointer), or 0 when malformed (no name ends at 0: the header comes first). */
static uint32_t read_name(dns_msg_t *m, uint32_t pos, tref_t *t)
{
    uint32_t jumps[MAX_JUMPS], nj = 0, steps = 0, wire = 1, after = 0;

    t->off = m->st ? m->st->text_len : 0;
    t->len = t->trunc = 0;
    for (;;) {
        uint8_t c;
        if (pos >= m->len)
            return 0;
        c = m->p[pos];
        if (c == 0) {
            pos++;
            break;
        }
        if ((c & 0xC0) == 0xC0) {
            uint32_t tgt;
            if (m->len - pos < 2)
                return 0;
            tgt = (uint32_t)(c & 0x3F) << 8 | m->p[pos + 1];
            if (!after)
                after = pos + 2;
            if (tgt == pos || jumped_from(jumps, nj, pos) || nj == MAX_JUMPS) {
                m->flags |= F_LOOP; /* the end is known once a pointer was followed */
                if (!nj)
                    return 0;
                break;
            }
            jumps[nj++] = pos;
            pos = tgt;
        } else if (c & 0xC0) {
            return 0; /* 01 and 10 prefixes: extended label types (RFC 6891 5), unused */
        } else {
            if (c > m->len - pos - 1)
                return 0;
            wire += c + 1u;
            put_label(m, t, m->p + pos + 1, c);
            pos += 1u + c;
        }
        if (++steps > MAX_STEPS) {
            m->flags |= F_LABELS;
            if (!nj)
                return 0;
            t->trunc = 1;
            break;
        }
    }
    if (wire > NAME_WIRE_MAX || t->trunc)
        m->flags |= F_LONG;
    return after ? after : pos;
}

/* ---- records (RFC 1035 3.2.1, 3.3, 4.1.2, 4.1.3) ------------------------------------------- */

/* A name inside rdata [pos, end): it must end there too. Kept as string slot k of record i. */
static uint32_t rdata_name(dns_msg_t *m, uint32_t pos, uint32_t end, kn_dns_rr_t *r, int k)
{
    tref_t t;
    uint32_t next = read_name(m, pos, &t);

    if (!next || next > end)
        return 0;
    if (r) {
        m->st->roff[r - m->st->rr][k] = t.off;
        (k == 1 ? &r->rdata : &r->rdata2)->len = t.len;
        if (k == 1)
            r->rdata_truncated = t.trunc;
    }
    return next;
}

/* Suricata's address text: dotted quad, or eight groups of four hex digits. */
static void rdata_addr(dns_msg_t *m, kn_dns_rr_t *r, const uint8_t *a, uint32_t n)
{
    char buf[48];
    int w = 0;
    uint32_t i;

    if (n == 4)
        w = snprintf(buf, sizeof(buf), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    else if (n == 16)
        for (i = 0; i < 16; i += 2)
            w += snprintf(buf + w, sizeof(buf) - (size_t)w, "%s%02x%02x", i ? ":" : "", a[i],
                          a[i + 1]);
    r->kind = KN_DNS_RD_TEXT;
    if (!text_room(m, (uint32_t)w))
        return;
    memcpy(m->st->text + m->st->text_len, buf, (size_t)w);
    m->st->roff[r - m->st->rr][1] = m->st->text_len;
    r->rdata.len = (uint32_t)w;
    m->st->text_len += (uint32_t)w;
}

/* TXT (RFC 1035 3.3.14): the complete character-strings; at least one must be there. */
static int rdata_txt(const dns_msg_t *m, uint32_t pos, uint32_t end, kn_dns_rr_t *r)
{
    uint32_t p = pos;

    while (p < end && m->p[p] <= end - p - 1)
        p += 1u + m->p[p];
    if (p == pos)
        return 0;
    if (r) {
        r->kind = KN_DNS_RD_TXT;
        r->rdata.p = m->p + pos;
        r->rdata.len = p - pos;
    }
    return 1;
}

static void rdata_raw(const dns_msg_t *m, kn_dns_rr_t *r, uint8_t kind, uint32_t pos, uint32_t n)
{
    if (!r)
        return;
    r->kind = kind;
    r->rdata.p = m->p + pos;
    r->rdata.len = n;
}

/* Fixed fields after a name (SOA) or before one (MX, SRV) into r->num. */
static void rdata_nums(const dns_msg_t *m, kn_dns_rr_t *r, uint32_t pos, int n, int width)
{
    int i;

    for (i = 0; r && i < n; i++, pos += (uint32_t)width)
        r->num[i] = width == 4 ? kn_rd_be32(m->p + pos) : kn_rd_be16(m->p + pos);
}

/* Decodes the data of one record as Suricata does; 0 when it is malformed. */
static int read_rdata(dns_msg_t *m, uint16_t type, uint32_t pos, uint32_t n, kn_dns_rr_t *r)
{
    uint32_t end = pos + n, q;

    switch (type) {
    case 1: case 28: /* A, AAAA */
        if (r)
            rdata_addr(m, r, m->p + pos, n);
        return 1;
    case 2: case 5: case 12: /* NS, CNAME, PTR */
        if (r)
            r->kind = KN_DNS_RD_TEXT;
        return rdata_name(m, pos, end, r, 1) != 0;
    case 15: /* MX: the preference is not logged */
        if (r)
            r->kind = KN_DNS_RD_TEXT;
        return n >= 2 && rdata_name(m, pos + 2, end, r, 1);
    case 33: /* SRV (RFC 2782) */
        if (n < 6)
            return 0;
        rdata_nums(m, r, pos, 3, 2);
        if (r)
            r->kind = KN_DNS_RD_SRV;
        return rdata_name(m, pos + 6, end, r, 1) != 0;
    case 6: /* SOA */
        if (r)
            r->kind = KN_DNS_RD_SOA;
        if (!(q = rdata_name(m, pos, end, r, 1)) || !(q = rdata_name(m, q, end, r, 2)) ||
            end - q < 20)
            return 0;
        rdata_nums(m, r, q, 5, 4);
        return 1;
    case 16: return rdata_txt(m, pos, end, r);
    case 10: rdata_raw(m, r, KN_DNS_RD_TEXT, pos, n); return 1; /* NULL */
    case 41: rdata_raw(m, r, KN_DNS_RD_OPT, pos, n); return 1;  /* OPT (RFC 6891 6.1.2) */
    case 44: /* SSHFP (RFC 4255) */
        if (n < 2)
            return 0;
        rdata_raw(m, r, KN_DNS_RD_SSHFP, pos + 2, n - 2);
        if (r)
            r->num[0] = m->p[pos], r->num[1] = m->p[pos + 1];
        return 1;
    default: return 1;
    }
}

/* A question (keep: store it). Returns the offset after it, or 0. */
static uint32_t read_question(dns_msg_t *m, uint32_t pos, int keep)
{
    tref_t t;
    uint32_t next = read_name(m, pos, &t);
    kn_dns_rr_t *r;

    if (!next || m->len - next < 4)
        return 0;
    if (keep && (r = rr_add(m))) {
        m->st->roff[r - m->st->rr][0] = t.off;
        r->name.len = t.len;
        r->name_truncated = t.trunc;
        r->type = kn_rd_be16(m->p + next);
        r->class = kn_rd_be16(m->p + next + 2);
    }
    return next + 4;
}

/* A resource record. Suricata keeps no entry for one with empty data. */
static uint32_t read_rr(dns_msg_t *m, uint32_t pos, int keep)
{
    tref_t t;
    uint32_t next = read_name(m, pos, &t), n;
    uint16_t type;
    kn_dns_rr_t *r = NULL;

    if (!next || m->len - next < 10)
        return 0;
    type = kn_rd_be16(m->p + next);
    n = kn_rd_be16(m->p + next + 8);
    if (n > m->len - next - 10)
        return 0;
    if (keep && n && (r = rr_add(m))) {
        m->st->roff[r - m->st->rr][0] = t.off;
        r->name.len = t.len;
        r->name_truncated = t.trunc;
        r->type = type;
        r->class = kn_rd_be16(m->p + next + 2);
        r->ttl = kn_rd_be32(m->p + next + 4);
    }
    if (n && !read_rdata(m, type, next + 10, n, r)) /* empty data: nothing to decode */
        return 0;
    return next + 10 + n;
}

/* ---- messages (RFC 1035 4.1) ------------------------------------------------------------- */

typedef struct dns_hdr {
    uint16_t id, flags, count[4]; /* questions, answers, authorities, additionals */
} dns_hdr_t;

static void read_hdr(const uint8_t *p, dns_hdr_t *h)
{
    int i;

    h->id = kn_rd_be16(p);
    h->flags = kn_rd_be16(p + 2);
    for (i = 0; i < 4; i++)
        h->count[i] = kn_rd_be16(p + 4 + 2 * i);
}

/* Walks every section; nsec[] gets how many records each kept. Returns the end, or 0. Like
 * Suricata 8, the parser (not the probe) keeps a message whose authority or additional section
 * is broken, with what came before the break. */
static uint32_t walk(dns_msg_t *m, const dns_hdr_t *h, uint32_t nsec[4])
{
    uint32_t pos = HDR_LEN, i, before, last = 0;
    int s;

    for (s = 0; s < 4; s++) {
        before = m->st ? m->st->n_rr : 0;
        nsec[s] = 0;
        for (i = 0; i < h->count[s] && pos; i++) {
            last = m->st ? m->st->n_rr : 0;
            pos = s ? read_rr(m, pos, m->st != NULL) : read_question(m, pos, m->st != NULL);
        }
        if (!pos && (s < 2 || !m->st))
            return 0;
        if (!pos) { /* drop the broken record and what follows */
            m->st->n_rr = last;
            nsec[s] = last - before;
            m->flags |= s == 2 ? F_BAD_AUTH : F_BAD_ADD;
            return 1;
        }
        nsec[s] = m->st ? m->st->n_rr - before : 0;
    }
    return pos;
}

/* Opcodes in use (RFC 6895 2.2): query, iquery, status, notify, update, DSO. */
static int opcode_known(unsigned op)
{
    return op <= 2 || op == 4 || op == 5 || op == 6;
}

/* ---- probing ---------------------------------------------------------------------------------- */

/* The header and questions of a message of mlen bytes of which len are here. KN_OK: plausible
 * (and, when all here, every record parses and ends the message, exactly when exact is set);
 * KN_AGAIN: the questions run past what is here; KN_DECLINED otherwise. A TCP message is framed
 * by its length already, and some stacks (Windows AXFR) add bytes after the records. */
static int probe_msg(const uint8_t *d, uint32_t len, uint32_t mlen, int exact)
{
    dns_msg_t m = {d, len, NULL, 0, 0};
    dns_hdr_t h;
    uint32_t pos = HDR_LEN, i, total, nsec[4];

    if (mlen < HDR_LEN)
        return KN_DECLINED;
    if (len < HDR_LEN)
        return KN_AGAIN;
    read_hdr(d, &h);
    total = (uint32_t)h.count[0] + h.count[1] + h.count[2] + h.count[3];
    if (h.count[0] < 1 || h.count[0] > PROBE_MAX_QD || !opcode_known(h.flags >> 11 & 0xF) ||
        2 * total > mlen || (!(h.flags & 0x8000) && (h.flags & 0xF)))
        return KN_DECLINED;
    for (i = 0; i < h.count[0]; i++) {
        uint16_t cls;
        if (!(pos = read_question(&m, pos, 0)))
            return len < mlen ? KN_AGAIN : KN_DECLINED;
        cls = kn_rd_be16(d + pos - 2) & 0x7FFF; /* mDNS uses the top bit (RFC 6762 5.4) */
        if (cls != 1 && cls != 3 && cls != 4 && cls != 254 && cls != 255)
            return KN_DECLINED;
    }
    if (len < mlen)
        return KN_OK;
    pos = walk(&m, &h, nsec);
    return pos && (pos == mlen || !exact) ? KN_OK : KN_DECLINED;
}

/* Three protocols share the DNS message format on their own ports, and Suricata does not log
 * them as dns: NetBIOS names (RFC 1002 4.2.1: one 32-letter label of 'A'..'P', type NB or
 * NBSTAT), multicast DNS (RFC 6762 18.1: id 0 without recursion, or the unicast-response bit) and
 * LLMNR (RFC 4795: a single-label name asked without recursion). The first question tells. */
static int foreign_protocol(const uint8_t *d, uint32_t len)
{
    uint32_t pos = HDR_LEN, labels = 0, first = 0;
    uint16_t type, cls;

    while (pos < len && d[pos] && d[pos] < 64 && d[pos] < len - pos) {
        if (!labels++)
            first = pos;
        pos += 1u + d[pos];
    }
    if (!labels || len - pos < 5 || d[pos])
        return 0;
    type = kn_rd_be16(d + pos + 1);
    cls = kn_rd_be16(d + pos + 3);
    if (d[first] == 32 && (type == 32 || type == 33)) {
        uint32_t i;
        for (i = 1; i <= 32 && d[first + i] >= 'A' && d[first + i] <= 'P'; i++)
            ;
        if (i > 32)
            return 1;
    }
    if ((cls & 0x8000) || (kn_rd_be16(d) == 0 && !(d[2] & 0x01))) /* mDNS: id 0, no RD */
        return 1;
    return labels == 1 && !(d[2] & 0x81); /* a query without RD */
}

/* A response seen first (its question was not captured) is still DNS: the flow is turned
 * around, as Suricata does, so the responder is the server. */
static int probe_udp(const uint8_t *d, uint32_t len, int dir)
{
    if (probe_msg(d, len, len, 1) != KN_OK || foreign_protocol(d, len))
        return KN_DECLINED;
    return dir == KN_TOSERVER && (d[2] & 0x80) ? KN_REVERSED : KN_OK;
}

static int probe_tcp(const uint8_t *d, uint32_t len, int dir)
{
    uint32_t mlen;

    (void)dir;
    if (len < 2)
        return KN_AGAIN;
    mlen = kn_rd_be16(d);
    return probe_msg(d + 2, len - 2 < mlen ? len - 2 : mlen, mlen, 0);
}

/* ---- transactions ------------------------------------------------------------------------- */

static const uint8_t *text_at(const dns_state_t *st, uint32_t off)
{
    return st->text ? st->text + off : (const uint8_t *)"";
}

/* Points the records' strings at the text buffer, now that it no longer moves. */
static void fix_strings(dns_state_t *st)
{
    uint32_t i;

    for (i = 0; i < st->n_rr; i++) {
        kn_dns_rr_t *r = &st->rr[i];
        r->name.p = text_at(st, st->roff[i][0] != NO_OFF ? st->roff[i][0] : 0);
        if (st->roff[i][1] != NO_OFF)
            r->rdata.p = text_at(st, st->roff[i][1]);
        else if (!r->rdata.p)
            r->rdata.p = (const uint8_t *)"";
        if (st->roff[i][2] != NO_OFF)
            r->rdata2.p = text_at(st, st->roff[i][2]);
        else if (!r->rdata2.p)
            r->rdata2.p = (const uint8_t *)"";
    }
}

static void fill_info(dns_state_t *st, const dns_hdr_t *h, const uint32_t nsec[4])
{
    kn_dns_info_t *in = &st->tx.info;
    const kn_dns_rr_t *r = st->rr;

    in->tx_id = st->tx.h.id;
    in->id = h->id;
    in->flags = h->flags;
    in->is_response = h->flags >> 15;
    in->opcode = h->flags >> 11 & 0xF;
    in->rcode = h->flags & 0xF;
    in->queries = r, r += nsec[0];
    in->answers = r, r += nsec[1];
    in->authorities = r, r += nsec[2];
    in->additionals = r;
    in->n_queries = (uint16_t)nsec[0];
    in->n_answers = (uint16_t)nsec[1];
    in->n_authorities = (uint16_t)nsec[2];
    in->n_additionals = (uint16_t)nsec[3];
}

/* The anomalies the walk noticed, on the packet and on the transaction. */
static void raise_flags(kn_app_io_t *io, dns_state_t *st, unsigned f, uint16_t flags)
{
    dns_tx_t *tx = &st->tx;

    if (f & F_LOOP)
        kn_app_anomaly(io, KN_ANOM_APP_DNS_INFINITE_LOOP);
    if (f & F_LONG)
        kn_app_anomaly(io, KN_ANOM_APP_DNS_NAME_TOO_LONG);
    if (f & F_LABELS)
        kn_app_anomaly(io, KN_ANOM_APP_DNS_TOO_MANY_LABELS);
    if (f & F_BAD_AUTH)
        kn_app_anomaly(io, KN_ANOM_APP_DNS_INVALID_AUTHORITIES);
    if (f & F_BAD_ADD)
        kn_app_anomaly(io, KN_ANOM_APP_DNS_INVALID_ADDITIONALS);
    if (f & F_CAP) {
        tx->info.truncated = 1;
        kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
    }
    if (flags & 0x0040) /* RFC 1035 4.1.1: Z must be zero */
        kn_app_anomaly(io, KN_ANOM_APP_DNS_Z_FLAG_SET);
    if ((flags >> 11 & 0xF) >= 7) /* as Suricata 8 counts them */
        kn_app_anomaly(io, KN_ANOM_APP_DNS_INVALID_OPCODE);
}

/* Which way this message goes, as the flow's first message oriented it. 1: to the server. */
static int to_server(dns_state_t *st, int dir, int is_resp)
{
    if (!st->oriented) {
        st->oriented = 1;
        st->flip = (dir == KN_TOSERVER) == is_resp; /* a capture that starts with a response */
    }
    return (dir == KN_TOSERVER) != st->flip;
}

/* Suricata's sanity check of a header against the message size: every record takes at least
 * two bytes, a message without records is only a header, and a query asks something. */
static int hdr_plausible(const dns_hdr_t *h, uint32_t len)
{
    uint32_t total = (uint32_t)h->count[0] + h->count[1] + h->count[2] + h->count[3];

    return 2 * total <= len && (total || len == HDR_LEN) && ((h->flags & 0x8000) || h->count[0]);
}

/* Reports the parsed message as a transaction, logged at once. */
static void report(kn_app_io_t *io, dns_state_t *st, const dns_hdr_t *h, const uint32_t nsec[4],
                   unsigned f, int to_srv)
{
    int is_resp = h->flags >> 15;

    fix_strings(st);
    kn_app_tx_clear(&st->tx.h);
    memset(&st->tx, 0, sizeof(st->tx));
    kn_app_tx_new(io, &st->tx.h);
    fill_info(st, h, nsec);
    raise_flags(io, st, f, h->flags);
    if (!is_resp && !to_srv)
        kn_app_anomaly(io, KN_ANOM_APP_DNS_NOT_A_RESPONSE);
    kn_app_tx_update(io, &st->tx.h, (is_resp ? KN_TXP_RESPONSE : KN_TXP_REQUEST) | KN_TXP_DONE);
    kn_app_tx_clear(&st->tx.h);
}

/* One whole message. KN_ERR: it is malformed (counted; TCP gives up there as Suricata does). */
static int message(kn_app_io_t *io, dns_state_t *st, int dir, const uint8_t *d, uint32_t len)
{
    dns_msg_t m = {d, len, st, kn_app_state_cap(io), 0};
    dns_hdr_t h;
    uint32_t nsec[4];
    int is_resp, to_srv;

    if (len < HDR_LEN) {
        kn_app_anomaly(io, KN_ANOM_APP_DNS_MALFORMED_DATA);
        return KN_ERR;
    }
    read_hdr(d, &h);
    if (!hdr_plausible(&h, len))
        return st->tcp ? KN_ERR : KN_OK; /* not DNS: Suricata skips such a datagram silently */
    is_resp = h.flags >> 15;
    to_srv = to_server(st, dir, is_resp);
    if (to_srv && is_resp) {
        kn_app_anomaly(io, KN_ANOM_APP_DNS_NOT_A_REQUEST); /* Suricata drops it */
        return KN_ERR;
    }
    st->n_rr = st->text_len = 0;
    if (!walk(&m, &h, nsec)) {
        kn_app_anomaly(io, KN_ANOM_APP_DNS_MALFORMED_DATA);
        return KN_ERR;
    }
    report(io, st, &h, nsec, m.flags, to_srv);
    return KN_OK;
}

/* ---- TCP framing (RFC 1035 4.2.2) --------------------------------------------------------- */

/* Room for the whole message in the direction's buffer, within the cap. */
static int tcp_room(kn_app_io_t *io, dns_state_t *st, dns_tcpdir_t *td)
{
    uint8_t *b;

    if (td->cap >= td->need)
        return 1;
    if (state_bytes(st) + (td->need - td->cap) > kn_app_state_cap(io) ||
        !(b = realloc(td->buf, td->need))) {
        kn_app_anomaly(io, KN_ANOM_APP_STATE_CAP);
        return 0;
    }
    td->buf = b;
    td->cap = td->need;
    return 1;
}

/* Bytes lost: skip data until something looks like the start of a message again. */
static int tcp_resync(dns_tcpdir_t *td, const uint8_t *d, uint32_t len)
{
    if (probe_tcp(d, len, 0) == KN_DECLINED)
        return 0;
    td->gap = 0;
    td->nlen = 0;
    td->have = 0;
    return 1;
}

static int parse_tcp(kn_app_io_t *io, dns_state_t *st, int dir, const uint8_t *d, uint32_t len)
{
    dns_tcpdir_t *td = &st->d[dir];
    uint32_t take;

    if (td->gap && !tcp_resync(td, d, len))
        return KN_OK;
    while (len) {
        if (td->nlen < 2) {
            td->lenb[td->nlen++] = *d++, len--;
            td->need = td->nlen == 2 ? kn_rd_be16(td->lenb) : 0;
            td->have = 0;
            continue;
        }
        if (!td->need) { /* an empty message: Suricata steps over its length */
            td->nlen = 0;
            continue;
        }
        if (!td->have && len >= td->need) { /* whole message here: parse in place */
            if (message(io, st, dir, d, td->need) != KN_OK)
                return KN_ERR;
            d += td->need, len -= td->need;
            td->nlen = 0;
            continue;
        }
        if (!tcp_room(io, st, td))
            return KN_ERR;
        take = td->need - td->have < len ? td->need - td->have : len;
        memcpy(td->buf + td->have, d, take);
        td->have += take, d += take, len -= take;
        if (td->have == td->need) {
            td->nlen = 0;
            td->have = 0;
            if (message(io, st, dir, td->buf, td->need) != KN_OK)
                return KN_ERR;
        }
    }
    return KN_OK;
}

/* ---- the parser interface ------------------------------------------------------------------ */

static void *state_new_udp(void)
{
    return calloc(1, sizeof(dns_state_t));
}

static void *state_new_tcp(void)
{
    dns_state_t *st = calloc(1, sizeof(*st));

    if (st)
        st->tcp = 1;
    return st;
}

static void state_free(void *p)
{
    dns_state_t *st = p;

    if (!st)
        return;
    kn_app_tx_clear(&st->tx.h);
    free(st->text);
    free(st->rr);
    free(st->roff);
    free(st->d[0].buf);
    free(st->d[1].buf);
    free(st);
}

static int parse(kn_app_io_t *io, void *p, int dir, const uint8_t *d, uint32_t len)
{
    dns_state_t *st = p;

    if (st->tcp)
        return parse_tcp(io, st, dir, d, len);
    (void)message(io, st, dir, d, len); /* one bad datagram does not end the flow */
    return KN_OK;
}

static int gap(kn_app_io_t *io, void *p, int dir, uint64_t lost)
{
    dns_state_t *st = p;

    (void)io;
    (void)lost;
    if (st->tcp)
        st->d[dir].gap = 1;
    return KN_OK;
}

/* Every message was reported when it was parsed; a partial TCP message is not logged. */
static void finish(kn_app_io_t *io, void *p)
{
    (void)io;
    (void)p;
}

/* dns.query: each question's name of a request, one instance per question. */
static int buffer(const kn_app_tx_t *tx, int buf, int dir, uint32_t idx, const uint8_t **b,
                  uint32_t *len)
{
    const kn_dns_info_t *in = &((const dns_tx_t *)tx)->info;

    (void)dir;
    *b = NULL;
    *len = 0;
    if (buf != KN_BUF_DNS_QUERY || in->is_response || idx >= in->n_queries)
        return 0;
    *b = in->queries[idx].name.p;
    *len = in->queries[idx].name.len;
    return 1;
}

static const void *info(const kn_app_tx_t *tx)
{
    return &((const dns_tx_t *)tx)->info;
}

static size_t memuse(const void *p)
{
    return state_bytes(p);
}

/* ---- names of types and codes; rule keywords ---------------------------------------------- */

typedef struct dns_name {
    uint16_t v;
    const char *name;
} dns_name_t;

/* Suricata 8's record type names (its DNSRecordType), ending in a sentinel. */
static const dns_name_t rrtypes[] = {
    {1, "A"}, {2, "NS"}, {3, "MD"}, {4, "MF"}, {5, "CNAME"}, {6, "SOA"}, {7, "MB"}, {8, "MG"},
    {9, "MR"}, {10, "NULL"}, {11, "WKS"}, {12, "PTR"}, {13, "HINFO"}, {14, "MINFO"}, {15, "MX"},
    {16, "TXT"}, {17, "RP"}, {18, "AFSDB"}, {19, "X25"}, {20, "ISDN"}, {21, "RT"}, {22, "NSAP"},
    {23, "NSAPPTR"}, {24, "SIG"}, {25, "KEY"}, {26, "PX"}, {27, "GPOS"}, {28, "AAAA"},
    {29, "LOC"}, {30, "NXT"}, {33, "SRV"}, {34, "ATMA"}, {35, "NAPTR"}, {36, "KX"},
    {37, "CERT"}, {38, "A6"}, {39, "DNAME"}, {41, "OPT"}, {42, "APL"}, {43, "DS"},
    {44, "SSHFP"}, {45, "IPSECKEY"}, {46, "RRSIG"}, {47, "NSEC"}, {48, "DNSKEY"},
    {49, "DHCID"}, {50, "NSEC3"}, {51, "NSEC3PARAM"}, {52, "TLSA"}, {55, "HIP"}, {59, "CDS"},
    {60, "CDNSKEY"}, {65, "HTTPS"}, {99, "SPF"}, {249, "TKEY"}, {250, "TSIG"}, {254, "MAILA"},
    {255, "ANY"}, {256, "URI"}, {0, NULL},
};

/* RFC 6895 2.3 codes that fit the header's four bits. */
static const dns_name_t rcodes[] = {
    {0, "NOERROR"}, {1, "FORMERR"}, {2, "SERVFAIL"}, {3, "NXDOMAIN"}, {4, "NOTIMP"},
    {5, "REFUSED"}, {6, "YXDOMAIN"}, {7, "YXRRSET"}, {8, "NXRRSET"}, {9, "NOTAUTH"},
    {10, "NOTZONE"}, {0, NULL},
};

static const char *name_of(const dns_name_t *t, unsigned v)
{
    for (; t->name; t++)
        if (t->v == v)
            return t->name;
    return NULL;
}

const char *kn_dns_rrtype_name(unsigned type)
{
    return name_of(rrtypes, type);
}

const char *kn_dns_rcode_name(unsigned rcode)
{
    return name_of(rcodes, rcode);
}

static int value_of(const dns_name_t *t, const char *name)
{
    for (; t->name; t++)
        if (!strcasecmp(t->name, name))
            return t->v;
    return -1;
}

int kn_dns_rrtype_value(const char *name)
{
    return value_of(rrtypes, name);
}

int kn_dns_rcode_value(const char *name)
{
    return value_of(rcodes, name);
}

/* dns.opcode/rcode/rrtype were parsed when the rule loaded (names became numbers). */
static int keyword(const kn_app_tx_t *t, const kn_appkw_t *kw, int dir)
{
    const dns_tx_t *tx = (const dns_tx_t *)t;
    const kn_dns_info_t *in = &tx->info;
    int r = 0;
    uint16_t i;

    (void)dir;
    switch (kw->kind) {
    case KN_AK_DNS_OPCODE: r = kn_num_match(&kw->num, in->opcode); break;
    case KN_AK_DNS_RCODE: r = kn_num_match(&kw->num, in->rcode); break;
    case KN_AK_DNS_RRTYPE: /* any question of the message */
        for (i = 0; i < in->n_queries && !r; i++)
            r = kn_num_match(&kw->num, in->queries[i].type);
        break;
    default: return 0;
    }
    return kw->neg ? !r : r;
}

const kn_app_parser_t kn_app_dns_udp_parser = {
    .app = KN_APP_DNS,
    .ipproto = 17,
    .ports = {53, 5353},
    .probe = probe_udp,
    .state_new = state_new_udp,
    .state_free = state_free,
    .parse = parse,
    .gap = gap,
    .finish = finish,
    .buffer = buffer,
    .keyword = keyword,
    .info = info,
    .memuse = memuse,
};

const kn_app_parser_t kn_app_dns_tcp_parser = {
    .app = KN_APP_DNS,
    .ipproto = 6,
    .ports = {53},
    .probe = probe_tcp,
    .state_new = state_new_tcp,
    .state_free = state_free,
    .parse = parse,
    .gap = gap,
    .finish = finish,
    .buffer = buffer,
    .keyword = keyword,
    .info = info,
    .memuse = memuse,
};
