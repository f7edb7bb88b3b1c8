/* eve_ssh.c: the "ssh" object of an eve event from a kn_ssh_info_t, as Suricata 7 writes it:
 * {"client":{"proto_version","software_version","hassh":{"hash","string"}},"server":{...}}.
 * A side without a banner is left out, an empty software version too. "hassh" appears when the
 * engine computed it: app-layer.protocols.ssh.hassh is on (off in suricata.yaml as shipped) or
 * a rule reads it. */
#include "eve_private.h"

#include <stdio.h>
#include <stdlib.h>

static json_object *side_object(const kn_ssh_side_t *sd)
{
    json_object *o = json_object_new_object(), *h;

    json_object_object_add_ex(o, "proto_version", kn_eve_bytes(sd->proto_version), NEW_KEY);
    if (sd->software_version.len)
        json_object_object_add_ex(o, "software_version", kn_eve_bytes(sd->software_version),
                                  NEW_KEY);
    if (sd->hassh.len || sd->hassh_string.len) {
        h = json_object_new_object();
        if (sd->hassh.len)
            json_object_object_add_ex(h, "hash", kn_eve_bytes(sd->hassh), NEW_KEY);
        if (sd->hassh_string.len)
            json_object_object_add_ex(h, "string", kn_eve_bytes(sd->hassh_string), NEW_KEY);
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
