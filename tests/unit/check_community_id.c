/* check_community_id.c: Community ID v1 against the values published with the specification
 * (corelight/community-id-spec, baseline/baseline_deflt.json, seed 0). For ICMP the "ports"
 * are the type and code, as the spec's reference script passes them. */
#include <arpa/inet.h>
#include <string.h>

#include "community_id.h"
#include "suites.h"

static const struct {
    uint8_t proto;
    const char *saddr, *daddr;
    int sport, dport; /* -1: the protocol has no ports */
    const char *expect;
} vectors[] = {
    {58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 135, 136, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="},
    {58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 136, 135, "1:dGHyGvjMfljg6Bppwm3bg0LO8TY="},
    {58, "fe80::260:97ff:fe07:69ea", "fe80::200:86ff:fe05:80da", 135, 136, "1:zavyT/cezQr1fmImYCwYnMXbgck="},
    {58, "fe80::200:86ff:fe05:80da", "fe80::260:97ff:fe07:69ea", 136, 135, "1:zavyT/cezQr1fmImYCwYnMXbgck="},
    {58, "3ffe:501:1800:2345::2", "3ffe:507:0:1:200:86ff:fe05:80da", 3, 0, "1:2ObVBgIn28oZvibYZhZMBgh7WdQ="},
    {58, "3ffe:501:410:0:2c0:dfff:fe47:33e", "3ffe:507:0:1:200:86ff:fe05:80da", 1, 4, "1:hLZd0XGWojozrvxqE0dWB1iM6R0="},
    {58, "3ffe:507:0:1:200:86ff:fe05:80da", "3ffe:501:0:1001::2", 128, 129, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="},
    {58, "3ffe:501:0:1001::2", "3ffe:507:0:1:200:86ff:fe05:80da", 129, 128, "1:+TW+HtLHvV1xnGhV1lv7XoJrqQg="},
    {58, "fe80::200:86ff:fe05:80da", "ff02::2", 133, 134, "1:hO+sN4H+MG5MY/8hIrXPqc4ZQz0="},
    {58, "fe80::260:97ff:fe07:69ea", "ff02::1", 134, 133, "1:pkvHqCL88/tg1k4cPigmZXUtL00="},
    {1, "192.168.0.89", "192.168.0.1", 8, 0, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="},
    {1, "192.168.0.1", "192.168.0.89", 0, 8, "1:X0snYXpgwiv9TZtqg64sgzUn6Dk="},
    {1, "10.0.0.1", "10.0.0.2", 11, 0, "1:YHxtAirCG//0OzkcVAukqKQN9xM="},
    {6, "2001:470:e5bf:dead:4957:2174:e82c:4887", "2607:f8b0:400c:c03::1a", 63943, 25, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
    {6, "2607:f8b0:400c:c03::1a", "2001:470:e5bf:dead:4957:2174:e82c:4887", 25, 63943, "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
    {132, "192.168.170.8", "192.168.170.56", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="},
    {132, "192.168.170.56", "192.168.170.8", 7, 7, "1:MP2EtRCAUIZvTw6MxJHLV7N7JDs="},
    {6, "128.232.110.120", "66.35.250.204", 34855, 80, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
    {6, "66.35.250.204", "128.232.110.120", 80, 34855, "1:LQU9qZlK+B5F3KDmev6m5PMibrg="},
    {17, "192.168.1.52", "8.8.8.8", 54585, 53, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
    {17, "8.8.8.8", "192.168.1.52", 53, 54585, "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
    {46, "10.1.12.1", "10.1.12.2", -1, -1, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="},
    {46, "10.1.12.2", "10.1.12.1", -1, -1, "1:KHlLkgoJW7ifUTyTSgyVfkFHzKw="},
};

static uint8_t parse(const char *s, kn_addr_t *a)
{
    memset(a, 0, sizeof(*a));
    if (inet_pton(AF_INET, s, a->b) == 1)
        return 4;
    ck_assert_int_eq(inet_pton(AF_INET6, s, a->b), 1);
    return 6;
}

START_TEST(published_vectors)
{
    kn_addr_t s, d;
    char out[32];
    uint8_t v;

    kn_cid_t *c = kn_cid_new();

    v = parse(vectors[_i].saddr, &s);
    parse(vectors[_i].daddr, &d);
    kn_community_id(c, 0, v, &s, &d, vectors[_i].proto, (uint16_t)vectors[_i].sport,
                    (uint16_t)vectors[_i].dport, vectors[_i].sport >= 0, out);
    ck_assert_str_eq(out, vectors[_i].expect);
    kn_cid_free(c);
}
END_TEST

START_TEST(seed_changes_the_hash)
{
    kn_cid_t *c = kn_cid_new();
    kn_addr_t s, d;
    char a[32], b[32];

    parse("10.0.0.1", &s);
    parse("10.0.0.2", &d);
    kn_community_id(c, 0, 4, &s, &d, 6, 1, 2, 1, a);
    kn_community_id(c, 1, 4, &s, &d, 6, 1, 2, 1, b);
    ck_assert_str_ne(a, b);
    kn_cid_free(c);
}
END_TEST

Suite *suite_community_id(void)
{
    Suite *s = suite_create("community_id");
    TCase *tc = tcase_create("spec");

    tcase_add_loop_test(tc, published_vectors, 0, (int)(sizeof(vectors) / sizeof(vectors[0])));
    tcase_add_test(tc, seed_changes_the_hash);
    suite_add_tcase(s, tc);
    return s;
}
