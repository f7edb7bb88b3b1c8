/* eve_ssh.c: the "ssh" object of an eve event from a kn_ssh_info_t, as Suricata 7 writes it:
 * {"client":{"proto_version","software_version","hassh":{"hash","string"}},"server":{...}}.
 * A side without a banner is left out, an empty software version too. "hassh" appears when the
 * engine computed it: app-layer.protocols.ssh.hassh is on (off in suricata.yaml as shipped) or
 * a rule reads it. */
#include "eve_private.h"

#include <stdio.h>
#include <stdlib.h>

/* Length of the valid UTF-8 sequence starting at s[0] (at most n bytes), or 0. */
static uint32_t utf8_seq(const uint8_t *s, uint32_t n)
{
    uint32_t need, i;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        need = 2;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        need = 3;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        need = 4;
    else
        return 0;
    if (need > n)
        return 0;
    for (i = 1; i < need; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return need;
}

/* Wire bytes as a JSON string the way Suricata's set_string_from_bytes does it: valid UTF-8
 * as it is, otherwise every byte of 0x80 and above as the text "\xNN". */
json_object *kn_eve_bytes_string(kn_str_t v)
{
    uint32_t i, k;
    char *buf, *p;
    json_object *o;

    for (i = 0; i < v.len && (k = utf8_seq(v.p + i, v.len - i)); i += k)
        ;
    if (i == v.len)
        return json_object_new_string_len((const char *)v.p, (int)v.len);
    if (!(buf = malloc((size_t)v.len * 4 + 1)))
        return json_object_new_string("");
    for (p = buf, i = 0; i < v.len; i++) {
        if (v.p[i] < 0x80)
            *p++ = (char)v.p[i];
        else
            p += snprintf(p, 5, "\\x%02x", v.p[i]);
    }
    o = json_object_new_string_len(buf, (int)(p - buf));
    free(buf);
    return o;
}

static json_object *side_object(const kn_ssh_side_t *sd)
{
    json_object *o = json_object_new_object(), *h;

    json_object_object_add_ex(o, "proto_version", kn_eve_bytes_string(sd->proto_version), NEW_KEY);
    if (sd->software_version.len)
        json_object_object_add_ex(o, "software_version", kn_eve_bytes_string(sd->software_version),
                                  NEW_KEY);
    if (sd->hassh.len || sd->hassh_string.len) {
        h = json_object_new_object();
        if (sd->hassh.len)
            json_object_object_add_ex(h, "hash", kn_eve_bytes_string(sd->hassh), NEW_KEY);
        if (sd->hassh_string.len)
            json_object_object_add_ex(h, "string", kn_eve_bytes_string(sd->hassh_string), NEW_KEY);
        json_object_object_add_ex(o, "hassh", h, NEW_KEY);
    }
    return o;
}

json_object *kn_eve_ssh_object(kn_eve_t *e, const kn_ssh_info_t *info)
{
    json_object *o = json_object_new_object();

    (void)e;

    if (info->client.proto_version.len)
        json_object_object_add_ex(o, "client", side_object(&info->client), NEW_KEY);
    if (info->server.proto_version.len)
        json_object_object_add_ex(o, "server", side_object(&info->server), NEW_KEY);
    return o;
}
