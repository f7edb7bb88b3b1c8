/* app_pop3.c: POP3 (RFC 1939) identified, not parsed: the flow is labelled pop3 from the
 * server's greeting, so a mailbox session is not taken for FTP (both clients send
 * "USER name"), and its bytes are otherwise left alone. No transactions, no records: the
 * issue asks for its identity only; a full parser (Suricata 8 writes pop3 records) is left
 * for later and said so in docs/eve.md. */
#include "applayer.h"

#include <stdlib.h>
#include <string.h>

/* The greeting is "+OK" then a space or the line end (RFC 1939 4); a client never starts so. */
static int probe(const uint8_t *d, uint32_t len, int dir)
{
    static const uint8_t ok[] = "+OK";

    if (dir != KN_TOCLIENT || memcmp(d, ok, len < 3 ? len : 3) != 0)
        return KN_DECLINED;
    if (len < 4)
        return KN_AGAIN;
    return d[3] == ' ' || d[3] == '\r' || d[3] == '\n' ? KN_OK : KN_DECLINED;
}

static void *state_new(void)
{
    return malloc(1);
}

static void state_free(void *st)
{
    free(st);
}

static int parse(kn_app_io_t *io, void *st, int dir, const uint8_t *d, uint32_t len)
{
    (void)io, (void)st, (void)dir, (void)d, (void)len;
    return KN_OK;
}

static const void *info(const kn_app_tx_t *tx)
{
    (void)tx;
    return NULL;
}

static size_t memuse(const void *st)
{
    (void)st;
    return 1;
}

const kn_app_parser_t kn_app_pop3_parser = {
    .app = KN_APP_POP3,
    .ipproto = 6,
    .ports = {110},
    .probe = probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = parse,
    .info = info,
    .memuse = memuse,
};
