/* buffers.c: the buffer and application protocol name tables behind buffers.h. */
#include "buffers.h"

#include <string.h>

#define KN_BUF_ROW(id, name, sticky, modifier, app, dir)                                          \
    {name, sticky, modifier, KN_APP_##app, KN_BDIR_##dir},
static const kn_buffer_info_t buffers[KN_BUF_MAX] = {KN_BUFFER_LIST(KN_BUF_ROW)};
#undef KN_BUF_ROW

#define KN_APP_ROW(id, name) name,
static const char *const apps[KN_APP_MAX] = {KN_APP_LIST(KN_APP_ROW)};
#undef KN_APP_ROW

const kn_buffer_info_t *kn_buffer_info(kn_buf_t b)
{
    return (unsigned)b < KN_BUF_MAX ? &buffers[b] : &buffers[0];
}

int kn_buffer_multi(kn_buf_t b)
{
    switch (b) {
    case KN_BUF_HTTP_REQUEST_HEADER:
    case KN_BUF_HTTP_RESPONSE_HEADER:
    case KN_BUF_DNS_QUERY:
    case KN_BUF_TLS_CERTS:
    case KN_BUF_SMTP_RCPT_TO:
        return 1;
    default:
        return 0;
    }
}

int kn_buffer_by_sticky(const char *name)
{
    int i;

    for (i = 1; i < KN_BUF_MAX; i++)
        if (strcmp(buffers[i].name, name) == 0 ||
            (buffers[i].sticky && strcmp(buffers[i].sticky, name) == 0))
            return i;
    return -1;
}

int kn_buffer_by_modifier(const char *name)
{
    int i;

    for (i = 1; i < KN_BUF_MAX; i++)
        if (buffers[i].modifier && strcmp(buffers[i].modifier, name) == 0)
            return i;
    return -1;
}

int kn_app_by_name(const char *name)
{
    int i;

    if (strcmp(name, "http1") == 0)
        return KN_APP_HTTP;
    for (i = 1; i < KN_APP_MAX; i++)
        if (strcmp(apps[i], name) == 0)
            return i;
    return -1;
}

const char *kn_app_name(int app)
{
    return app >= 0 && app < KN_APP_MAX ? apps[app] : apps[0];
}
