/* applayer.h: application protocol identity and the parser table (engine only).
 *
 * A flow's protocol is decided by its bytes, never by its port alone: each parser has a probe
 * that looks at the first bytes of one direction and says "mine", "not mine" or "need more";
 * ports only decide which probes run first. Once a flow is identified, every in-order byte of
 * each direction goes to that protocol's parser, which keeps its own resumable state and
 * reports transactions back through the kn_app_io_t functions below. Adding a protocol is one
 * file app_<name>.c and one line in applayer.c's table (docs/new-parser.md). */
#ifndef KANSHI_ENGINE_APPLAYER_H
#define KANSHI_ENGINE_APPLAYER_H

#include <stddef.h>
#include <stdint.h>

#include "anomaly.h"
#include "app_expect.h"
#include "appinfo.h"
#include "buffers.h"
#include "counters.h"
#include "event.h"
#include "kanshi.h"

/* Transaction progress, for detection and logging. */
enum {
    KN_TXP_REQUEST = 1u << 0,  /* the client's part is complete */
    KN_TXP_RESPONSE = 1u << 1, /* the server's part is complete */
    KN_TXP_DONE = 1u << 2,     /* nothing more will come: log it, then it may be freed */
};

/* Every protocol's transaction starts with this header. The app layer owns the fields; the
 * parser only allocates the struct zeroed and frees it after KN_TXP_DONE was reported. */
typedef struct kn_app_tx {
    uint64_t id;        /* set by kn_app_tx_new: 0, 1, 2 ... per flow */
    uint8_t progress;   /* KN_TXP_* reported so far */
    uint8_t logged;
    uint16_t nfired, capfired;
    uint32_t *fired;    /* signatures that already alerted on this transaction */
} kn_app_tx_t;

/* What a parser is handed on every call: who to report to. Opaque to parsers. */
typedef struct kn_app_io kn_app_io_t;

struct kn_appkw; /* sig.h */

/* Probe results (design.md: KN_OK mine, KN_DECLINED not mine, KN_AGAIN need more). A UDP
 * probe may also answer KN_REVERSED: mine, but this datagram is what the server sends, so a
 * flow that began with it is turned around (a capture that missed the question). */
#define KN_REVERSED -6

/* Bytes of one TCP direction kept while probing: what a probe can see at most. Large enough
 * for a BitTorrent handshake behind an MSE exchange (app_bittorrent_private.h). */
#define KN_APP_PROBE_MAX 1280u
typedef int (*kn_app_probe_fn)(const uint8_t *data, uint32_t len, int dir);

typedef struct kn_app_parser {
    uint8_t app;      /* kn_app_t */
    uint8_t ipproto;  /* 6 or 17 */
    uint16_t ports[6]; /* where the probe runs first; 0 ends the list */
    kn_app_probe_fn probe;
    /* State for one flow, or NULL when out of memory. */
    void *(*state_new)(void);
    /* Frees the state and every transaction it still holds (no reporting). */
    void (*state_free)(void *st);
    /* In-order bytes of one direction (a whole datagram for UDP). Returns KN_OK, or KN_ERR when
     * the flow is not (or no longer) this protocol: the app layer stops calling. */
    int (*parse)(kn_app_io_t *io, void *st, int dir, const uint8_t *data, uint32_t len);
    /* lost bytes of one direction went by unseen (0: how many is not known); the parser
     * resynchronizes or gives up (KN_ERR). NULL: nothing to do (datagram protocols). */
    int (*gap)(kn_app_io_t *io, void *st, int dir, uint64_t lost);
    /* The flow ends: report what is pending (KN_TXP_DONE) so nothing is lost. NULL: nothing
     * is ever pending. */
    void (*finish)(kn_app_io_t *io, void *st);
    /* The bytes of an app-layer buffer of tx seen from direction dir; 0 when absent. A multi
     * buffer (kn_buffer_multi: one header line, one query, one certificate) has instances
     * idx = 0, 1, ... until 0 is returned; single buffers are only asked for idx 0. NULL: the
     * protocol has no rule buffers. */
    int (*buffer)(const kn_app_tx_t *tx, int buf, int dir, uint32_t idx, const uint8_t **b,
                  uint32_t *len);
    /* A rule's app-layer condition (sig.h kn_appkw_t: tls.version, dns.opcode, urilen ...) on
     * tx: 1 true, 0 false or unknown. NULL: none of them apply to this protocol. */
    int (*keyword)(const kn_app_tx_t *tx, const struct kn_appkw *kw, int dir);
    /* The public struct of tx for events (appinfo.h). */
    const void *(*info)(const kn_app_tx_t *tx);
    /* The files tx carries (file.h), for the file rule keywords; NULL: the protocol has none. */
    const struct kn_files *(*files)(const kn_app_tx_t *tx);
    /* Bytes the state holds, for the per-flow cap. */
    size_t (*memuse)(const void *st);
    /* The flow was announced by another (kn_app_expect): the announcer's context, given once
     * right after state_new. NULL for protocols that are never expected. */
    void (*expected)(void *st, const uint8_t *ctx, uint32_t len);
} kn_app_parser_t;

/* ---- for parsers ---------------------------------------------------------------------------- */

/* Numbers a new transaction (zeroed by the parser) in its flow. */
void kn_app_tx_new(kn_app_io_t *io, kn_app_tx_t *tx);

/* The transaction progressed: rules run on what it now has; with KN_TXP_DONE it is logged,
 * and the parser may free it once this returns. */
void kn_app_tx_update(kn_app_io_t *io, kn_app_tx_t *tx, unsigned progress);

/* Releases what the app layer keeps in tx (call before freeing a transaction). */
void kn_app_tx_clear(kn_app_tx_t *tx);

/* A message that is a whole transaction by itself (a DHT query, an LSD announce): opened,
 * inspected and logged as done in the current direction, then released. */
void kn_app_tx_single(kn_app_io_t *io, kn_app_tx_t *tx);

/* A malformed-input event on the current packet (named in anomaly.h). */
void kn_app_anomaly(kn_app_io_t *io, kn_anomaly_t a);

/* The per-flow cap on what a parser may hold (app-layer.max-state bytes). */
size_t kn_app_state_cap(const kn_app_io_t *io);

/* Packet time of the bytes being parsed (the flow's last packet at flow end): certificate
 * validity and the like are judged in the capture's time, never the wall clock. */
kn_time_t kn_app_time(const kn_app_io_t *io);

/* The engine configuration, for parser settings (body limits, dump-all-headers ...). */
const kn_engine_config_t *kn_app_config(const kn_app_io_t *io);

/* A file of tx, sent in direction dir, ended (file.c): emits KN_EV_FILE with info(tx). */
void kn_app_file_event(kn_app_io_t *io, const kn_app_tx_t *tx, int dir, const kn_file_info_t *f);

/* n more bytes of the open file f (file.c), for the sensor's file store: a KN_EV_FILE_DATA
 * event when the configuration asks for file data, nothing otherwise. */
void kn_app_file_data(kn_app_io_t *io, const kn_file_info_t *f, const uint8_t *p, uint32_t n);

/* Adds one to an engine counter (kanshi.files.* ...). */
void kn_app_count(kn_app_io_t *io, kn_counter_id_t id);

/* The flow goes on as another protocol (SMTP STARTTLS, FTP AUTH TLS: KN_APP_TLS) from the
 * next byte on: when the current parse call returns, the app layer finishes and frees this
 * parser's state and hands every later byte to the new one. Bytes of the current call after
 * the switch point are not parsed (RFC 3207 4: nothing may follow the 220 in the clear). */
void kn_app_switch(kn_app_io_t *io, int app);

/* The flow becomes a tunnel (HTTP CONNECT answered 2xx, 101 Switching Protocols): as with
 * kn_app_switch, this parser finishes when the current call returns; the later bytes are
 * probed as a new flow's. The flow keeps its protocol until a probe claims them, and then
 * has the old one as app_proto_orig. */
void kn_app_reprobe(kn_app_io_t *io);

/* The flow being parsed (addresses oriented client to server), for parsers that announce
 * other connections. */
const kn_flow_info_t *kn_app_flow(const kn_app_io_t *io);

/* A connection this flow announced (FTP: the data connection of RETR/STOR) will speak
 * e->app: the flow matching it skips probing, and that parser's expected() gets e->ctx. */
void kn_app_expect(kn_app_io_t *io, const kn_expect_t *e);

/* ---- for the engine --------------------------------------------------------------------- */

typedef struct kn_appflow kn_appflow_t; /* a flow's app-layer state */

/* How the app layer reaches the rest of the engine: events and rules. */
typedef struct kn_app_env {
    const kn_engine_config_t *cfg;
    kn_counters_t *ctr;
    void (*emit)(void *user, kn_event_t *ev);
    /* runs the app-layer rules on a transaction; may be NULL (no rules) */
    void (*detect)(void *user, const kn_packet_t *p, void *flow, int dir,
                   const kn_app_parser_t *parser, kn_app_tx_t *tx);
    void *user;
    kn_expect_tab_t *expect; /* announced connections; may be NULL */
} kn_app_env_t;

const kn_app_parser_t *kn_app_parser(int app);

/* The reassembled window of direction dir (win_len bytes from stream offset win_base); the
 * app layer hands on what it has not had yet and treats bytes it missed as a gap. fi gets the
 * protocol once known. *state is the flow's app state (created on first use). */
void kn_app_stream(const kn_app_env_t *env, kn_appflow_t **state, kn_flow_info_t *fi,
                   void *flow, const kn_packet_t *p, int dir, const uint8_t *win,
                   uint32_t win_len, uint64_t win_base);

/* One UDP datagram's payload. Returns 1, without parsing it, when the flow's first datagram
 * went server to client: the caller turns the flow around (kn_flow_reverse), flips dir and
 * hands the datagram again; 0 otherwise. */
int kn_app_datagram(const kn_app_env_t *env, kn_appflow_t **state, kn_flow_info_t *fi,
                    void *flow, const kn_packet_t *p, int dir);

/* The flow ends: pending transactions are reported; then the state is freed. */
void kn_app_flow_end(const kn_app_env_t *env, kn_appflow_t **state, kn_flow_info_t *fi,
                     void *flow, const kn_packet_t *pseudo);

/* Frees without reporting (engine teardown). */
void kn_app_free(kn_appflow_t **state);

#endif
