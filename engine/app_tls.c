/* app_tls.c: TLS handshake (RFC 8446, RFC 5246) (placeholder until the parser lands: claims nothing). */
#include "applayer.h"

static int probe(const uint8_t *d, uint32_t len, int dir)
{
    (void)d;
    (void)len;
    (void)dir;
    return KN_DECLINED;
}

static void *state_new(void)
{
    return NULL;
}

static void state_free(void *st)
{
    (void)st;
}

static int parse(kn_app_io_t *io, void *st, int dir, const uint8_t *d, uint32_t len)
{
    (void)io;
    (void)st;
    (void)dir;
    (void)d;
    (void)len;
    return KN_ERR;
}

static int gap(kn_app_io_t *io, void *st, int dir)
{
    (void)io;
    (void)st;
    (void)dir;
    return KN_ERR;
}

static int buffer(const kn_app_tx_t *tx, int buf, int dir, const uint8_t **b, uint32_t *len)
{
    (void)tx;
    (void)buf;
    (void)dir;
    *b = NULL;
    *len = 0;
    return 0;
}

static const void *info(const kn_app_tx_t *tx)
{
    return tx;
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
    .buffer = buffer,
    .info = info,
};

