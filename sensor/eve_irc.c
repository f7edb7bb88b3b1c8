/* eve_irc.c: kanshi's "irc" object (Suricata has no IRC logger; docs/eve.md "irc"): one IRC
 * message from a kn_irc_info_t. Wire text is written as Suricata writes bytes (valid UTF-8 as
 * it is, other bytes "\xNN"); absent fields and empty lists are left out. */
#include "eve_private.h"

static void add_flag(json_object *o, const char *key, uint8_t on)
{
    if (on)
        json_object_object_add_ex(o, key, json_object_new_boolean(1), NEW_KEY);
}

json_object *kn_eve_irc_object(kn_eve_t *e, const kn_irc_info_t *in)
{
    json_object *o = json_object_new_object();

    (void)e;
    json_object_object_add_ex(o, "from", json_object_new_string(in->from_server ? "server"
                                                                                : "client"),
                              NEW_KEY);
    kn_eve_add_bytes(o, "prefix", in->prefix);
    kn_eve_add_bytes(o, "command", in->command);
    kn_eve_add_bytes(o, "nick", in->nick);
    kn_eve_add_bytes(o, "user", in->user);
    kn_eve_add_bytes(o, "realname", in->realname);
    kn_eve_add_bytes_list(o, "params", in->params, in->n_params);
    kn_eve_add_bytes_list(o, "channels", in->channels, in->n_channels);
    kn_eve_add_bytes_list(o, "keys", in->keys, in->n_keys);
    kn_eve_add_bytes_list(o, "targets", in->targets, in->n_targets);
    kn_eve_add_bytes(o, "text", in->text);
    add_flag(o, "text_truncated", in->text_truncated);
    kn_eve_add_bytes(o, "ctcp", in->ctcp);
    kn_eve_add_bytes_list(o, "names", in->names, in->n_names);
    add_flag(o, "names_truncated", in->names_truncated);
    add_flag(o, "line_truncated", in->line_truncated);
    return o;
}
