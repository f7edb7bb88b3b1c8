/* irc_msg.h: one IRC message line split into its parts (RFC 2812 2.3.1, RFC 1459 2.3.1). */
#ifndef KANSHI_ENGINE_IRC_MSG_H
#define KANSHI_ENGINE_IRC_MSG_H

#include <stdint.h>

#include "appinfo.h"

#define KN_IRC_PARAMS_MAX 15u /* 14 middle parameters and a trailing one */

typedef struct kn_irc_msg {
    kn_str_t prefix;   /* without ':'; p NULL when absent */
    kn_str_t command;  /* letters, or three digits */
    kn_str_t params[KN_IRC_PARAMS_MAX];
    uint16_t nparams;
    uint8_t trailing;  /* the last parameter was a trailing one (":text") */
    uint8_t numeric;   /* command is a three-digit reply */
} kn_irc_msg_t;

/* Splits l[0..n), a line without its CR LF (borrowed: m points into it). Lenient where
 * servers and clients are: spaces may repeat or lead, IRCv3 message tags ("@...") are passed
 * over. KN_ERR when there is no command, the command is neither letters nor three digits, a
 * prefix is empty, or the line holds a NUL. */
int kn_irc_msg_parse(const uint8_t *l, uint32_t n, kn_irc_msg_t *m);

/* The command is the text cmd (upper case), compared case-insensitively. */
int kn_irc_cmd_is(const kn_irc_msg_t *m, const char *cmd);

#endif
