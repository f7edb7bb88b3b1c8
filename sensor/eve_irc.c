/* eve_irc.c: kanshi's "irc" object (Suricata has no IRC logger; docs/eve.md "irc"): one IRC
 * message from a kn_irc_info_t. Wire text is written as Suricata writes bytes (valid UTF-8 as
 * it is, other bytes "\xNN"); absent fields and empty lists are left out. */
#include "eve_private.h"

static void add_str(json_object *o, const char *key, kn_str_t v)
{
    if (v.p)
        json_object_object_add_ex(o, key, kn_eve_bytes(v), NEW_KEY);
}

static void add_list(json_object *o, const char *key, const kn_str_t *v, uint16_t n)
{
    json_object *a;
    uint16_t i;

    if (!n)
        return;
    a = json_object_new_array_ext(n);
    for (i = 0; i < n; i++)
        json_object_array_add(a, kn_eve_bytes(v[i]));
    json_object_object_add_ex(o, key, a, NEW_KEY);
}

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
    add_str(o, "prefix", in->prefix);
    add_str(o, "command", in->command);
    add_str(o, "nick", in->nick);
    add_str(o, "user", in->user);
    add_str(o, "realname", in->realname);
    add_list(o, "params", in->params, in->n_params);
    add_list(o, "channels", in->channels, in->n_channels);
    add_list(o, "keys", in->keys, in->n_keys);
    add_list(o, "targets", in->targets, in->n_targets);
    add_str(o, "text", in->text);
    add_flag(o, "text_truncated", in->text_truncated);
    add_str(o, "ctcp", in->ctcp);
    add_list(o, "names", in->names, in->n_names);
    add_flag(o, "names_truncated", in->names_truncated);
    add_flag(o, "line_truncated", in->line_truncated);
    return o;
}
