/* applayer.c: which protocol a flow speaks, decided from its first bytes, and the hand-off of
 * its in-order bytes to that protocol's parser.
 *
 * Each direction's first bytes are kept (up to KN_APP_PROBE_MAX) until a probe claims them;
 * probes of parsers registered for the flow's ports run first, then all the others, so HTTP on
 * 8001 or SSH on 10022 are found the same way as on 80 and 22. A probe that needs more bytes holds the
 * decision back; when every probe declined, or the buffer filled, that direction gives up. The
 * first direction to be claimed decides the flow; both buffers are then replayed into the
 * parser in the order their bytes arrived. */
#include "applayer.h"

#include <stdlib.h>
#include <string.h>

#include "decode.h"

#define PROBE_DATAGRAMS 4 /* UDP datagrams per direction probed before giving up */

extern const kn_app_parser_t kn_app_http_parser, kn_app_tls_parser, kn_app_ssh_parser,
    kn_app_dns_tcp_parser, kn_app_dns_udp_parser;
extern const kn_app_parser_t kn_app_smtp_parser, kn_app_ftp_parser; /* issue 5: smtp/ftp */
extern const kn_app_parser_t kn_app_ftp_data_parser; /* announced by FTP, never probed */
extern const kn_app_parser_t kn_app_pop3_parser;     /* identified, not parsed */
extern const kn_app_parser_t kn_app_quic_parser;
extern const kn_app_parser_t kn_app_irc_parser, kn_app_bittorrent_parser,
    kn_app_bittorrent_dht_parser; /* issue 5: irc/bittorrent */
extern const kn_app_parser_t kn_app_utp_parser, kn_app_bt_lsd_parser; /* bittorrent: uTP, LSD */

/* The table: adding a protocol is one line here. Order breaks ties between probes that both
 * claim the same bytes on a port neither is registered for. */
static const kn_app_parser_t *const parsers[] = {
    &kn_app_http_parser, &kn_app_tls_parser, &kn_app_ssh_parser, &kn_app_dns_tcp_parser,
    &kn_app_dns_udp_parser, &kn_app_smtp_parser,
    &kn_app_irc_parser, /* before FTP: an IRC "USER u m * :real" is not FTP's USER */
    &kn_app_ftp_parser, &kn_app_ftp_data_parser, &kn_app_pop3_parser,
    &kn_app_quic_parser,
    &kn_app_bittorrent_parser, &kn_app_bittorrent_dht_parser,
    &kn_app_utp_parser, &kn_app_bt_lsd_parser, /* after the TCP one: kn_app_parser(BITTORRENT) */
};
#define NPARSERS (sizeof(parsers) / sizeof(parsers[0]))

enum { DIR_PROBING = 0, DIR_GAVE_UP };

struct kn_appflow {
    const kn_app_parser_t *parser; /* NULL while probing */
    void *st;
    uint64_t off[2];   /* stream offset handed on so far (to probes or the parser) */
    uint8_t *pbuf[2];  /* bytes held while probing */
    uint16_t plen[2];
    uint8_t pstate[2]; /* DIR_* */
    uint8_t tries[2];  /* datagrams probed */
    uint8_t lost[2];   /* TCP: bytes after pbuf went by while that direction waited */
    int8_t first_dir;  /* direction whose bytes came first, -1 before any */
    uint8_t failed;    /* the parser gave up on the flow */
    uint8_t counted_fail;
    uint8_t switch_to;  /* kn_app_switch: the protocol taking over after this parse call */
    uint8_t asked;      /* the expectation table was asked about this flow */
    uint8_t orig_app;   /* the protocol before a tunnel opened (kn_app_reprobe), 0: none */
    uint64_t next_tx;
};

struct kn_app_io {
    const kn_app_env_t *env;
    kn_appflow_t *af;
    kn_flow_info_t *fi;
    void *flow;
    const kn_packet_t *p;
    int dir;
};

const kn_app_parser_t *kn_app_parser(int app)
{
    size_t i;

    for (i = 0; i < NPARSERS; i++)
        if (parsers[i]->app == app)
            return parsers[i];
    return NULL;
}

/* ---- for parsers ------------------------------------------------------------------------ */

void kn_app_tx_new(kn_app_io_t *io, kn_app_tx_t *tx)
{
    tx->id = io->af->next_tx++;
}

/* Suricata's app_layer.flow.* and app_layer.tx.* counters of each protocol (DNS per
 * transport); a protocol without a row counts under kanshi.applayer.*.other. */
static const struct app_counters {
    uint8_t app, ipproto; /* ipproto 0: either */
    kn_counter_id_t flow, tx;
} app_counters[] = {
    {KN_APP_HTTP, 0, KN_CTR_APP_FLOW_HTTP, KN_CTR_APP_TX_HTTP},
    {KN_APP_TLS, 0, KN_CTR_APP_FLOW_TLS, KN_CTR_APP_TX_TLS},
    {KN_APP_SSH, 0, KN_CTR_APP_FLOW_SSH, KN_CTR_APP_TX_SSH},
    {KN_APP_DNS, 6, KN_CTR_APP_FLOW_DNS_TCP, KN_CTR_APP_TX_DNS_TCP},
    {KN_APP_DNS, 17, KN_CTR_APP_FLOW_DNS_UDP, KN_CTR_APP_TX_DNS_UDP},
    {KN_APP_SMTP, 0, KN_CTR_APP_FLOW_SMTP, KN_CTR_APP_TX_SMTP},
    {KN_APP_FTP, 0, KN_CTR_APP_FLOW_FTP, KN_CTR_APP_TX_FTP},
    {KN_APP_FTP_DATA, 0, KN_CTR_APP_FLOW_FTP_DATA, KN_CTR_APP_TX_FTP_DATA},
    {KN_APP_QUIC, 0, KN_CTR_APP_FLOW_QUIC, KN_CTR_APP_TX_QUIC},
    {KN_APP_IRC, 0, KN_CTR_APP_FLOW_IRC, KN_CTR_APP_TX_IRC},
    {KN_APP_BITTORRENT, 0, KN_CTR_APP_FLOW_BITTORRENT, KN_CTR_APP_TX_BITTORRENT},
    {KN_APP_BITTORRENT_DHT, 0, KN_CTR_APP_FLOW_BITTORRENT_DHT, KN_CTR_APP_TX_BITTORRENT_DHT},
};

static const struct app_counters *counters_of(const kn_app_parser_t *ps)
{
    static const struct app_counters other = {0, 0, KN_CTR_APP_FLOW_OTHER, KN_CTR_APP_TX_OTHER};
    size_t i;

    for (i = 0; i < sizeof(app_counters) / sizeof(app_counters[0]); i++)
        if (app_counters[i].app == ps->app &&
            (!app_counters[i].ipproto || app_counters[i].ipproto == ps->ipproto))
            return &app_counters[i];
    return &other;
}

void kn_app_tx_update(kn_app_io_t *io, kn_app_tx_t *tx, unsigned progress)
{
    const kn_app_parser_t *ps = io->af->parser;
    kn_event_t ev;

    tx->progress |= (uint8_t)progress;
    if (io->env->detect && io->p && (io->p->flags & KN_PKT_PSEUDO)) {
        /* the flow ended: what is pending is inspected from both sides (a response cut by
         * the end of the flow still has its body for file.data and flow:to_client rules) */
        io->env->detect(io->env->user, io->p, io->flow, KN_TOSERVER, ps, tx);
        io->env->detect(io->env->user, io->p, io->flow, KN_TOCLIENT, ps, tx);
    } else if (io->env->detect) {
        io->env->detect(io->env->user, io->p, io->flow, io->dir, ps, tx);
    }
    if (!(progress & KN_TXP_DONE) || tx->logged)
        return;
    tx->logged = 1;
    io->env->ctr->c[counters_of(ps)->tx]++;
    memset(&ev, 0, sizeof(ev));
    ev.type = KN_EV_APP;
    ev.ts = kn_app_time(io);
    ev.flow = io->fi;
    ev.pkt = io->p && !(io->p->flags & KN_PKT_PSEUDO) ? io->p : NULL;
    ev.u.app.app = ps->app;
    ev.u.app.to_server = io->dir == KN_TOSERVER;
    ev.u.app.tx_id = tx->id;
    ev.u.app.info = ps->info(tx);
    io->env->emit(io->env->user, &ev);
}

void kn_app_tx_single(kn_app_io_t *io, kn_app_tx_t *tx)
{
    kn_app_tx_new(io, tx);
    kn_app_tx_update(io, tx,
                     (io->dir == KN_TOSERVER ? KN_TXP_REQUEST : KN_TXP_RESPONSE) | KN_TXP_DONE);
    kn_app_tx_clear(tx);
}

void kn_app_tx_clear(kn_app_tx_t *tx)
{
    free(tx->fired);
    tx->fired = NULL;
    tx->nfired = tx->capfired = 0;
}

void kn_app_anomaly(kn_app_io_t *io, kn_anomaly_t a)
{
    if (io->p && !(io->p->flags & KN_PKT_PSEUDO))
        kn_packet_anomaly(io->env->ctr, (kn_packet_t *)io->p, a);
    else
        io->env->ctr->anomaly[a]++;
}

size_t kn_app_state_cap(const kn_app_io_t *io)
{
    return io->env->cfg->app_state_cap;
}

kn_time_t kn_app_time(const kn_app_io_t *io)
{
    return io->p ? io->p->ts : io->fi->last;
}

const kn_engine_config_t *kn_app_config(const kn_app_io_t *io)
{
    return io->env->cfg;
}

void kn_app_file_event(kn_app_io_t *io, const kn_app_tx_t *tx, int dir, const kn_file_info_t *f)
{
    const kn_app_parser_t *ps = io->af->parser;
    kn_event_t ev;

    memset(&ev, 0, sizeof(ev));
    ev.type = KN_EV_FILE;
    ev.ts = kn_app_time(io);
    ev.flow = io->fi;
    ev.pkt = io->p && !(io->p->flags & KN_PKT_PSEUDO) ? io->p : NULL;
    ev.u.file.app = ps->app;
    ev.u.file.to_server = dir == KN_TOSERVER;
    ev.u.file.tx_id = tx->id;
    ev.u.file.app_info = ps->info(tx);
    ev.u.file.file = f;
    io->env->emit(io->env->user, &ev);
}

void kn_app_file_data(kn_app_io_t *io, const kn_file_info_t *f, const uint8_t *p, uint32_t n)
{
    kn_event_t ev;

    if (!io->env->cfg->file_data_events)
        return;
    memset(&ev, 0, sizeof(ev));
    ev.type = KN_EV_FILE_DATA;
    ev.ts = kn_app_time(io);
    ev.flow = io->fi;
    ev.u.file.app = io->af->parser->app;
    ev.u.file.file = f;
    ev.u.file.data = p;
    ev.u.file.len = n;
    io->env->emit(io->env->user, &ev);
}

void kn_app_count(kn_app_io_t *io, kn_counter_id_t id)
{
    io->env->ctr->c[id]++;
}

const kn_flow_info_t *kn_app_flow(const kn_app_io_t *io)
{
    return io->fi;
}

void kn_app_expect(kn_app_io_t *io, const kn_expect_t *e)
{
    kn_expect_tab_t *t = io->env->expect;
    kn_expect_t x;

    if (!t)
        return;
    x = *e;
    x.parent_id = io->fi->flow_id;
    io->env->ctr->c[KN_CTR_APP_EXPECT_ADDED]++;
    if (kn_expect_add(t, &x, kn_app_time(io)))
        io->env->ctr->c[KN_CTR_APP_EXPECT_DROPPED]++;
}

/* ---- protocol upgrade (STARTTLS): kn_app_switch, done by feed() after the parse call -- */

void kn_app_switch(kn_app_io_t *io, int app)
{
    io->af->switch_to = (uint8_t)app;
}

/* The old parser logs what it has pending and goes; the new one starts on the next bytes. */
#define SWITCH_REPROBE 0xff /* switch_to: find out again what the flow carries */

void kn_app_reprobe(kn_app_io_t *io)
{
    io->af->switch_to = SWITCH_REPROBE;
}

/* The tunnel's bytes are probed like a new flow's; the flow keeps its label until a probe
 * claims them (and keeps it if none does: it was that protocol, and stays "failed"-free). */
static void reprobe(kn_app_io_t *io)
{
    kn_appflow_t *af = io->af;

    if (af->parser->finish)
        af->parser->finish(io, af->st);
    af->parser->state_free(af->st);
    af->orig_app = af->parser->app;
    af->parser = NULL;
    af->st = NULL;
    af->next_tx = 0; /* the new protocol numbers its transactions from 0, as Suricata */
    af->pstate[0] = af->pstate[1] = DIR_PROBING;
    af->tries[0] = af->tries[1] = af->lost[0] = af->lost[1] = 0;
    af->first_dir = -1;
}

static void do_switch(kn_app_io_t *io)
{
    kn_appflow_t *af = io->af;
    const kn_app_parser_t *ps;
    uint8_t to = af->switch_to;

    af->switch_to = 0;
    if (to == SWITCH_REPROBE) {
        reprobe(io);
        return;
    }
    if (!(ps = kn_app_parser(to)) || ps->ipproto != af->parser->ipproto)
        return;
    if (af->parser->finish)
        af->parser->finish(io, af->st);
    af->parser->state_free(af->st);
    io->fi->app_proto_orig = af->parser->app;
    af->parser = ps;
    af->next_tx = 0;
    io->fi->app_proto = ps->app;
    if (!(af->st = ps->state_new())) {
        io->env->ctr->c[KN_CTR_APP_MEMCAP]++;
        af->failed = 1;
    }
}

/* ---- probing ------------------------------------------------------------------------------ */

static int port_listed(const kn_app_parser_t *ps, uint16_t port)
{
    int i;

    for (i = 0; i < 6 && ps->ports[i]; i++)
        if (ps->ports[i] == port)
            return 1;
    return 0;
}

/* Runs the probes on data: on the flow's ports first (pass 0), then the rest (pass 1).
 * Returns the parser that claimed it, or NULL; *again: some probe wants more bytes; *rev: the
 * claim was KN_REVERSED (callers that cannot turn the flow pass NULL: no reversed claims). */
static const kn_app_parser_t *probe(const kn_flow_info_t *fi, const uint8_t *d, uint32_t len,
                                    int dir, int *again, int *rev)
{
    int pass;
    size_t i;

    *again = 0;
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < NPARSERS; i++) {
            const kn_app_parser_t *ps = parsers[i];
            int listed = port_listed(ps, fi->dp) || port_listed(ps, fi->sp), rc;
            if (ps->ipproto != fi->proto || listed != (pass == 0))
                continue;
            rc = ps->probe(d, len, dir);
            if (rc == KN_OK || (rc == KN_REVERSED && rev)) {
                if (rev)
                    *rev = rc == KN_REVERSED;
                return ps;
            }
            if (rc == KN_AGAIN)
                *again = 1;
        }
    }
    return NULL;
}

static void parse_error(kn_app_io_t *io)
{
    io->af->failed = 1;
    io->env->ctr->c[KN_CTR_APP_PARSE_ERRORS]++;
}

static void feed(kn_app_io_t *io, int dir, const uint8_t *d, uint32_t len)
{
    kn_appflow_t *af = io->af;
    int saved = io->dir;

    if (af->failed || !len)
        return;
    io->dir = dir;
    if (af->parser->parse(io, af->st, dir, d, len) != KN_OK)
        parse_error(io);
    if (af->switch_to)
        do_switch(io);
    io->dir = saved;
}

static void drop_probe_buffers(kn_appflow_t *af)
{
    free(af->pbuf[0]);
    free(af->pbuf[1]);
    af->pbuf[0] = af->pbuf[1] = NULL;
    af->plen[0] = af->plen[1] = 0;
}

static void gap(kn_app_io_t *io, int dir, uint64_t lost)
{
    kn_appflow_t *af = io->af;
    int saved = io->dir;

    io->env->ctr->c[KN_CTR_APP_GAPS]++;
    if (af->failed)
        return;
    io->dir = dir;
    if (af->parser->gap && af->parser->gap(io, af->st, dir, lost) != KN_OK)
        parse_error(io);
    io->dir = saved;
}

/* Replays one direction's held bytes; what went by after them is a gap of unknown size. */
static void replay(kn_app_io_t *io, int dir)
{
    kn_appflow_t *af = io->af;

    feed(io, dir, af->pbuf[dir], af->plen[dir]);
    if (af->lost[dir])
        gap(io, dir, 0);
}

/* The flow is ps's: start the parser and replay what the probes held, first direction first. */
static void decide(kn_app_io_t *io, const kn_app_parser_t *ps)
{
    kn_appflow_t *af = io->af;
    int first = af->first_dir < 0 ? io->dir : af->first_dir;

    af->parser = ps;
    if (af->orig_app)
        io->fi->app_proto_orig = af->orig_app;
    io->fi->app_proto = ps->app;
    io->env->ctr->c[counters_of(ps)->flow]++;
    if (!(af->st = ps->state_new())) {
        io->env->ctr->c[KN_CTR_APP_MEMCAP]++;
        af->failed = 1;
    }
    if (ps->ipproto == 6) {
        replay(io, first);
        replay(io, !first);
    }
    drop_probe_buffers(af);
}

/* No probe knows dir's bytes. On TCP they are kept while the other direction may still be
 * claimed (an HTTP response seen before its request, a server's banner), so the parser gets
 * them at decide(). */
static void give_up(kn_app_io_t *io, int dir)
{
    kn_appflow_t *af = io->af;
    int both = af->pstate[!dir] == DIR_GAVE_UP || io->fi->proto == 17;

    af->pstate[dir] = DIR_GAVE_UP;
    io->env->ctr->c[KN_CTR_APP_PROBE_REJECTED]++;
    if (both || io->fi->proto != 6)
        drop_probe_buffers(af);
    /* TCP fails once both sides spoke and no probe knew them; UDP (as in Suricata) as soon as
     * one side's datagrams were not recognized */
    if (both && !af->counted_fail && !af->orig_app) {
        af->counted_fail = 1;
        io->fi->app_proto = KN_APP_FAILED;
        io->env->ctr->c[io->fi->proto == 6 ? KN_CTR_APP_FLOW_FAILED_TCP
                                           : KN_CTR_APP_FLOW_FAILED_UDP]++;
    }
}

/* Stream bytes of one direction while no parser is chosen. */
static void probe_stream(kn_app_io_t *io, const uint8_t *d, uint32_t len)
{
    kn_appflow_t *af = io->af;
    const kn_app_parser_t *ps;
    int dir = io->dir, again;
    uint32_t take;

    if (af->pstate[dir] != DIR_PROBING) {
        af->lost[dir] = 1;
        return;
    }
    if (!af->pbuf[dir] && !(af->pbuf[dir] = malloc(KN_APP_PROBE_MAX))) {
        io->env->ctr->c[KN_CTR_APP_MEMCAP]++;
        give_up(io, dir);
        return;
    }
    if (af->first_dir < 0)
        af->first_dir = (int8_t)dir;
    take = len < KN_APP_PROBE_MAX - af->plen[dir] ? len : KN_APP_PROBE_MAX - af->plen[dir];
    memcpy(af->pbuf[dir] + af->plen[dir], d, take);
    af->plen[dir] = (uint16_t)(af->plen[dir] + take);
    ps = probe(io->fi, af->pbuf[dir], af->plen[dir], dir, &again, NULL);
    if (ps) {
        decide(io, ps);
        if (take < len)
            feed(io, dir, d + take, len - take);
    } else if (!again || af->plen[dir] == KN_APP_PROBE_MAX) {
        af->lost[dir] = take < len;
        give_up(io, dir);
    }
}

static kn_appflow_t *appflow(const kn_app_env_t *env, kn_appflow_t **state)
{
    if (!*state) {
        if (!(*state = calloc(1, sizeof(**state)))) {
            env->ctr->c[KN_CTR_APP_MEMCAP]++;
            return NULL;
        }
        (*state)->first_dir = -1;
    }
    return *state;
}

/* A flow's first bytes: if a control channel announced it, it is that protocol outright. */
static void ask_expected(kn_app_io_t *io)
{
    kn_appflow_t *af = io->af;
    const kn_app_parser_t *ps;
    kn_expect_t e;

    af->asked = 1;
    if (!io->env->expect || af->parser ||
        !kn_expect_take(io->env->expect, io->fi, kn_app_time(io), &e) ||
        !(ps = kn_app_parser(e.app)) || ps->ipproto != io->fi->proto)
        return;
    io->env->ctr->c[KN_CTR_APP_EXPECT_MATCHED]++;
    io->fi->parent_id = e.parent_id;
    decide(io, ps);
    if (af->st && ps->expected)
        ps->expected(af->st, e.ctx, e.ctx_len);
}

void kn_app_stream(const kn_app_env_t *env, kn_appflow_t **state, kn_flow_info_t *fi,
                   void *flow, const kn_packet_t *p, int dir, const uint8_t *win,
                   uint32_t win_len, uint64_t win_base)
{
    kn_appflow_t *af;
    kn_app_io_t io = {env, NULL, fi, flow, p, dir};
    uint64_t end = win_base + win_len, from;

    if (!env->cfg->app_enabled || !(af = appflow(env, state)) || af->failed ||
        end <= af->off[dir])
        return;
    io.af = af;
    if (!af->asked)
        ask_expected(&io);
    from = af->off[dir] > win_base ? af->off[dir] : win_base;
    if (from > af->off[dir]) { /* bytes went by that nobody will see again */
        if (af->parser) {
            gap(&io, dir, from - af->off[dir]);
        } else if (af->pstate[dir] == DIR_PROBING) {
            env->ctr->c[KN_CTR_APP_GAPS]++;
            af->lost[dir] = 1;
            give_up(&io, dir);
        }
    }
    af->off[dir] = end;
    if (af->failed)
        return;
    if (af->parser)
        feed(&io, dir, win + (from - win_base), (uint32_t)(end - from));
    else
        probe_stream(&io, win + (from - win_base), (uint32_t)(end - from));
}

int kn_app_datagram(const kn_app_env_t *env, kn_appflow_t **state, kn_flow_info_t *fi,
                    void *flow, const kn_packet_t *p, int dir)
{
    kn_appflow_t *af;
    kn_app_io_t io = {env, NULL, fi, flow, p, dir};
    const kn_app_parser_t *ps;
    int again, rev = 0;

    if (!env->cfg->app_enabled || !p->payload_len || p->inner_layer ||
        !(af = appflow(env, state)) || af->failed)
        return 0;
    io.af = af;
    if (!af->parser) {
        if (af->pstate[dir] != DIR_PROBING)
            return 0;
        /* only the flow's first datagram can turn it around */
        ps = probe(fi, p->payload, p->payload_len, dir, &again,
                   dir == KN_TOSERVER && fi->pkts[0] == 1 && !fi->pkts[1] ? &rev : NULL);
        if (!ps) {
            if (++af->tries[dir] >= PROBE_DATAGRAMS)
                give_up(&io, dir);
            return 0;
        }
        io.dir = rev ? KN_TOCLIENT : dir;
        decide(&io, ps);
        if (rev)
            return 1;
    }
    feed(&io, dir, p->payload, p->payload_len);
    return 0;
}

void kn_app_flow_end(const kn_app_env_t *env, kn_appflow_t **state, kn_flow_info_t *fi,
                     void *flow, const kn_packet_t *pseudo)
{
    kn_appflow_t *af = *state;
    kn_app_io_t io = {env, af, fi, flow, pseudo, KN_TOSERVER};
    int dir;

    /* no more bytes will come: a TCP side a probe still waited on is not recognized, and
     * with the other side refused already the flow failed (random-looking bytes that a long
     * probe such as MSE's kept open end this way, as they would have had they gone on) */
    for (dir = 0; af && !af->parser && fi->proto == 6 && dir < 2; dir++)
        if (af->pstate[dir] == DIR_PROBING && af->plen[dir] && af->pstate[!dir] == DIR_GAVE_UP) {
            io.dir = dir;
            give_up(&io, dir);
        }
    if (af && af->parser && af->st && af->parser->finish)
        af->parser->finish(&io, af->st);
    kn_app_free(state);
}

void kn_app_free(kn_appflow_t **state)
{
    kn_appflow_t *af = *state;

    if (!af)
        return;
    if (af->parser && af->st)
        af->parser->state_free(af->st);
    drop_probe_buffers(af);
    free(af);
    *state = NULL;
}
