/* bt_client.c: a BitTorrent client's name and version from its peer id (BEP 20).
 *
 * Two conventions cover nearly all clients seen today:
 *   Azureus style  "-" two-letter client code, four version characters, "-": "-UT3550-"
 *   Mainline style  one letter, then version numbers separated by "-", ending "--": "M7-4-3--"
 * The version characters are read as digits (letters as 10, 11 ...: libtorrent's "0D80" is
 * 0.13.8) and joined by dots without trailing zero parts, as most clients number themselves.
 * The codes are the registry of BEP 20 and its de facto continuation. */
#include "bt_client.h"

#include <stdio.h>
#include <string.h>

static const struct {
    char code[3];
    const char *name;
} az_clients[] = {
    {"7T", "aTorrent"},      {"AG", "Ares"},           {"A~", "Ares"},
    {"AR", "Arctic"},        {"AT", "Artemis"},        {"AV", "Avicora"},
    {"AX", "BitPump"},       {"AZ", "Vuze"},           {"BB", "BitBuddy"},
    {"BC", "BitComet"},      {"BE", "BitTorrent SDK"}, {"BF", "Bitflu"},
    {"BG", "BTG"},           {"BI", "BiglyBT"},        {"BN", "Baidu Netdisk"},
    {"BR", "BitRocket"},     {"BS", "BTSlave"},        {"BT", "BitTorrent"},
    {"BW", "BitWombat"},     {"BX", "BitTorrent X"},   {"CD", "Enhanced CTorrent"},
    {"CT", "CTorrent"},      {"DE", "Deluge"},         {"DP", "Propagate"},
    {"EB", "EBit"},          {"ES", "Electric Sheep"}, {"FC", "FileCroc"},
    {"FD", "Free Download Manager"},                   {"FT", "FoxTorrent"},
    {"FW", "FrostWire"},     {"FX", "Freebox"},        {"GS", "GSTorrent"},
    {"HK", "Hekate"},        {"HL", "Halite"},         {"HN", "Hydranode"},
    {"KG", "KGet"},          {"KT", "KTorrent"},       {"LC", "LeechCraft"},
    {"LH", "LH-ABC"},        {"LP", "Lphant"},         {"LT", "libtorrent (rakshasa)"},
    {"lt", "libtorrent (rasterbar)"},                  {"LW", "LimeWire"},
    {"MO", "MonoTorrent"},   {"MP", "MooPolice"},      {"MR", "Miro"},
    {"MT", "MoonlightTorrent"},                        {"NX", "Net Transport"},
    {"OS", "OneSwarm"},      {"OT", "OmegaTorrent"},   {"PD", "Pando"},
    {"PI", "PicoTorrent"},   {"qB", "qBittorrent"},    {"QD", "QQDownload"},
    {"QT", "Qt 4 Torrent"},  {"RT", "Retriever"},      {"SB", "Swiftbit"},
    {"SD", "Thunder"},       {"SM", "SoMud"},          {"SP", "BitSpirit"},
    {"SS", "SwarmScope"},    {"ST", "SymTorrent"},     {"st", "sharktorrent"},
    {"SZ", "Shareaza"},      {"TL", "Tribler"},        {"TN", "TorrentDotNET"},
    {"TR", "Transmission"},  {"TS", "Torrentstorm"},   {"TT", "TuoTu"},
    {"UL", "uLeecher!"},     {"UM", "uTorrent for Mac"},                  {"UT", "uTorrent"},
    {"UW", "uTorrent Web"},  {"VG", "Vagaa"},          {"WD", "WebTorrent Desktop"},
    {"WT", "BitLet"},        {"WW", "WebTorrent"},     {"WY", "FireTorrent"},
    {"XF", "Xfplay"},        {"XL", "Xunlei"},         {"XT", "XanTorrent"},
    {"XX", "Xtorrent"},      {"ZT", "ZipTorrent"},
};

static int version_char(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return 10 + c - 'A';
    if (c >= 'a' && c <= 'z')
        return 10 + c - 'a';
    return -1;
}

/* "3550" -> "3.5.5": the parts joined by dots, trailing zero parts dropped (two kept). */
static int az_version(const uint8_t *v, char *buf, size_t cap)
{
    int part[4], i, n = 4, len = 0;

    for (i = 0; i < 4; i++)
        if ((part[i] = version_char(v[i])) < 0)
            return -1;
    while (n > 2 && part[n - 1] == 0)
        n--;
    for (i = 0; i < n && len >= 0 && (size_t)len < cap; i++)
        len += snprintf(buf + len, cap - (size_t)len, i ? ".%d" : "%d", part[i]);
    return len >= 0 && (size_t)len < cap ? len : -1;
}

/* "M7-4-3--": numbers separated by '-', ending "--". */
static int mainline_version(const uint8_t *id, char *buf, size_t cap)
{
    size_t i, len = 0;

    for (i = 1; i < 8 && len + 1 < cap; i++) {
        if (id[i] == '-' && id[i + 1] == '-')
            break;
        if (id[i] == '-')
            buf[len++] = '.';
        else if (id[i] >= '0' && id[i] <= '9')
            buf[len++] = (char)id[i];
        else
            return -1;
    }
    if (i == 8 || len == 0)
        return -1;
    buf[len] = '\0';
    return (int)len;
}

void kn_bt_client(const uint8_t *id, kn_str_t *name, char *buf, size_t cap, kn_str_t *version)
{
    size_t i;
    int n;

    *name = (kn_str_t){NULL, 0};
    *version = (kn_str_t){NULL, 0};
    if (id[0] == '-' && id[7] == '-') {
        for (i = 0; i < sizeof(az_clients) / sizeof(az_clients[0]); i++) {
            if (memcmp(id + 1, az_clients[i].code, 2) != 0)
                continue;
            name->p = (const uint8_t *)az_clients[i].name;
            name->len = (uint32_t)strlen(az_clients[i].name);
            if ((n = az_version(id + 3, buf, cap)) > 0)
                *version = (kn_str_t){(const uint8_t *)buf, (uint32_t)n};
            return;
        }
    } else if (id[0] == 'M' && (n = mainline_version(id, buf, cap)) > 0) {
        name->p = (const uint8_t *)"BitTorrent";
        name->len = 10;
        *version = (kn_str_t){(const uint8_t *)buf, (uint32_t)n};
    }
}
