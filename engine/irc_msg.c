/* irc_msg.c: the IRC message grammar (RFC 2812 2.3.1):
 *
 *   message = [ "@" tags SPACE ] [ ":" prefix SPACE ] command [ params ] crlf
 *   params  = *14( SPACE middle ) [ SPACE ":" trailing ]
 *           =/ 14( SPACE middle ) [ SPACE [ ":" ] trailing ]
 *
 * (tags: IRCv3 message-tags). Real peers repeat spaces and end lines with LF alone; both are
 * accepted, as servers do. */
#include "irc_msg.h"

#include <string.h>

#include "kanshi.h"
#include "strci.h"

static uint32_t skip_spaces(const uint8_t *l, uint32_t n, uint32_t i)
{
    while (i < n && l[i] == ' ')
        i++;
    return i;
}

static uint32_t token_end(const uint8_t *l, uint32_t n, uint32_t i)
{
    while (i < n && l[i] != ' ')
        i++;
    return i;
}

static int is_letter(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(uint8_t c)
{
    return c >= '0' && c <= '9';
}

/* command = 1*letter / 3digit */
static int take_command(const uint8_t *l, uint32_t n, uint32_t *i, kn_irc_msg_t *m)
{
    uint32_t s = *i, e = token_end(l, n, s), k;
    int letters = 1, digits = 1;

    for (k = s; k < e; k++) {
        letters &= is_letter(l[k]);
        digits &= is_digit(l[k]);
    }
    if (e == s || !(letters || (digits && e - s == 3)))
        return KN_ERR;
    m->command = (kn_str_t){l + s, e - s};
    m->numeric = (uint8_t)!letters;
    *i = e;
    return KN_OK;
}

static void take_params(const uint8_t *l, uint32_t n, uint32_t i, kn_irc_msg_t *m)
{
    uint32_t e;

    for (;;) {
        i = skip_spaces(l, n, i);
        if (i >= n)
            return;
        if (l[i] == ':' || m->nparams == KN_IRC_PARAMS_MAX - 1) {
            i += l[i] == ':';
            m->params[m->nparams++] = (kn_str_t){l + i, n - i};
            m->trailing = 1;
            return;
        }
        e = token_end(l, n, i);
        m->params[m->nparams++] = (kn_str_t){l + i, e - i};
        i = e;
    }
}

int kn_irc_msg_parse(const uint8_t *l, uint32_t n, kn_irc_msg_t *m)
{
    uint32_t i;

    memset(m, 0, sizeof(*m));
    if (memchr(l, '\0', n))
        return KN_ERR;
    i = skip_spaces(l, n, 0);
    if (i < n && l[i] == '@')
        i = skip_spaces(l, n, token_end(l, n, i));
    if (i < n && l[i] == ':') {
        uint32_t e = token_end(l, n, i + 1);
        if (e == i + 1)
            return KN_ERR;
        m->prefix = (kn_str_t){l + i + 1, e - i - 1};
        i = skip_spaces(l, n, e);
    }
    if (take_command(l, n, &i, m) != KN_OK)
        return KN_ERR;
    take_params(l, n, i, m);
    return KN_OK;
}

int kn_irc_cmd_is(const kn_irc_msg_t *m, const char *cmd)
{
    return kn_ci_eq(m->command.p, m->command.len, cmd);
}
