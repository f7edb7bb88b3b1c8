/* detect_tx.c: the rules on an app-layer transaction.
 *
 * When a parser reports progress on a transaction (the request is complete, the response is,
 * the handshake is), the transaction's buffers present so far are scanned with their prefilter
 * databases; the rules found, and the app-layer rules without a pattern, are checked in full
 * against those buffers. A rule alerts at most once per transaction (once per direction when
 * its buffers exist on both sides), as in Suricata, however often the transaction
 * progresses. */
#include "detect.h"
#include "file.h"

#include <stdlib.h>
#include <string.h>

static int fired(const kn_app_tx_t *tx, uint32_t sig)
{
    uint16_t i;

    for (i = 0; i < tx->nfired; i++)
        if (tx->fired[i] == sig)
            return 1;
    return 0;
}

static void remember(kn_app_tx_t *tx, uint32_t sig)
{
    if (tx->nfired == tx->capfired) {
        uint16_t cap = tx->capfired ? (uint16_t)(tx->capfired * 2) : 4;
        uint32_t *v;
        if (cap < tx->capfired || !(v = realloc(tx->fired, cap * sizeof(*v))))
            return; /* out of memory: the rule may alert again on this transaction */
        tx->fired = v;
        tx->capfired = cap;
    }
    tx->fired[tx->nfired++] = sig;
}

/* Every buffer of the transaction's protocol (and the file buffers) through its database;
 * each instance of a multi buffer. */
static void prefilter_tx(kn_detect_ctx_t *c)
{
    uint8_t app = c->tx_parser->app, i;

    if (!c->tx_parser->buffer)
        return;
    for (i = 0; i < c->d->ntxbuf[app]; i++) {
        int b = c->d->txbuf[app][i];
        uint32_t n = kn_buffer_multi((kn_buf_t)b) ? KN_MULTI_MAX : 1, idx, len;
        const uint8_t *buf;
        for (idx = 0; idx < n && c->tx_parser->buffer(c->tx, b, c->dir, idx, &buf, &len); idx++)
            if (len)
                kn_detect_scan(c, KN_PF_APP(b), buf, len);
    }
}

/* The rule's app-layer conditions: each non-file one through the parser; the file ones all
 * on one file of the transaction. */
static int appkw_ok(const kn_detect_ctx_t *c, const kn_sig_t *s)
{
    const kn_app_parser_t *ps = c->tx_parser;
    int files = 0;
    uint8_t i;

    for (i = 0; i < s->napp; i++) {
        const kn_appkw_t *kw = &s->appkw[i];
        if (kn_file_keyword_kind(kw->kind))
            files = 1;
        else if (!ps->keyword || ps->keyword(c->tx, kw, c->dir) != 1)
            return 0;
    }
    return !files || (ps->files && kn_detect_files_match(s, ps->files(c->tx), c->dir));
}

static void check_tx_sig(kn_detect_ctx_t *c, const kn_sig_t *s)
{
    uint32_t key = s->idx << 1 | (c->d->x[s->idx].tx_per_dir && c->dir == KN_TOCLIENT);

    if (c->pass || fired(c->tx, key) || !kn_sig_packet_match(s, c->p, c->f, c->dir))
        return;
    if (s->napp && !appkw_ok(c, s))
        return;
    if (s->nbits && !kn_bits_check(c, s, c->p, c->f))
        return;
    if (s->nints && !kn_ints_check(c, s, c->f))
        return;
    if (s->nlists && !kn_detect_lists_match(c, s, KN_SRC_PACKET))
        return;
    remember(c->tx, key);
    kn_detect_matched(c, s, KN_SRC_PACKET);
}

void kn_detect_tx(kn_detect_ctx_t *c, const kn_packet_t *p, kn_flow_t *f, int dir,
                  const kn_app_parser_t *parser, kn_app_tx_t *tx)
{
    uint32_t i;

    c->p = p;
    c->f = f;
    c->dir = dir;
    c->pass = 0;
    c->stream = NULL;
    c->stream_len = 0;
    c->tx_parser = parser;
    c->tx = tx;
    prefilter_tx(c);
    kn_detect_add_list(c, &c->d->app_nopattern);
    if (c->cand.n > 1)
        qsort(c->cand.v, c->cand.n, sizeof(*c->cand.v), kn_u32cmp);
    c->ctr->c[KN_CTR_DETECT_CANDIDATES] += c->cand.n;
    for (i = 0; i < c->cand.n; i++) {
        const kn_sig_t *s = c->rs->sigs[c->cand.v[i]];
        c->seen[c->cand.v[i]] = 0;
        if ((s->flags & KN_SIGF_NEEDS_APP) || s->napp)
            check_tx_sig(c, s);
    }
    c->cand.n = 0;
    c->tx = NULL;
    c->tx_parser = NULL;
}
