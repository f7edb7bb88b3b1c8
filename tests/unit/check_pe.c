/* check_pe.c: engine/pe.c on PE images built here field by field (offsets from the Microsoft
 * PE format specification): PE32 and PE32+ optional headers, flags and data directories as
 * pe.log reads them, an object file without optional header, every prefix of the headers
 * (KN_AGAIN with the length still needed, never a wrong answer), malformed headers, ELF. */
#include <stdlib.h>
#include <string.h>

#include "kanshi.h"
#include "pe.h"
#include "suites.h"

#define LFANEW 0x80u
#define COFF (LFANEW + 4u)
#define OPT (COFF + 20u)

static uint8_t img[4096];

static void le16(uint32_t at, uint16_t v)
{
    img[at] = (uint8_t)v, img[at + 1] = (uint8_t)(v >> 8);
}

static void le32(uint32_t at, uint32_t v)
{
    le16(at, (uint16_t)v);
    le16(at + 2, (uint16_t)(v >> 16));
}

/* An image with nsec sections; magic 0x10b (PE32) or 0x20b (PE32+). Returns where the section
 * table ends. */
static uint32_t build(uint16_t magic, uint16_t nsec)
{
    uint16_t opt_size = magic == 0x20b ? 240 : 224;
    uint32_t dirs = OPT + (magic == 0x20b ? 112u : 96u), sec = OPT + opt_size, i;

    memset(img, 0, sizeof(img));
    img[0] = 'M', img[1] = 'Z';
    le32(0x3c, LFANEW);
    memcpy(img + LFANEW, "PE\0\0", 4);
    le16(COFF, magic == 0x20b ? 0x8664 : 0x14c);
    le16(COFF + 2, nsec);
    le32(COFF + 4, 1234567890u);
    le16(COFF + 16, opt_size);
    le16(COFF + 18, magic == 0x20b ? 0x0022 : 0x0102); /* PE32 one: 32BIT_MACHINE */
    le16(OPT, magic);
    le16(OPT + 40, 6), le16(OPT + 42, 1); /* OS version 6.1 */
    le16(OPT + 68, 3);                    /* WINDOWS_CUI */
    le16(OPT + 70, 0x0040 | 0x0100 | 0x0400); /* ASLR, NX, NO_SEH */
    le32(dirs - 4, 16);                   /* NumberOfRvaAndSizes */
    le32(dirs + 1 * 8 + 4, 40);           /* import table */
    le32(dirs + 4 * 8 + 4, 1000);         /* certificate table */
    for (i = 0; i < nsec; i++)
        memcpy(img + sec + i * 40, i ? ".data\0\0\0" : ".textbss", 8);
    return sec + nsec * 40u;
}

START_TEST(pe32_fields)
{
    kn_pe_t pe;
    uint32_t need, end = build(0x10b, 2);

    ck_assert_int_eq(kn_pe_parse(img, end, &pe, &need), KN_OK);
    ck_assert_uint_eq(pe.info.machine, 0x14c);
    ck_assert_uint_eq(pe.info.compile_ts, 1234567890u);
    ck_assert(pe.info.is_exe && !pe.info.is_64bit && pe.info.has_opt);
    ck_assert_uint_eq(pe.info.os_major, 6);
    ck_assert_uint_eq(pe.info.os_minor, 1);
    ck_assert_uint_eq(pe.info.subsystem, 3);
    ck_assert(pe.info.uses_aslr && pe.info.uses_dep && !pe.info.uses_seh);
    ck_assert(!pe.info.uses_code_integrity);
    ck_assert(pe.info.has_import_table && pe.info.has_cert_table);
    ck_assert(!pe.info.has_export_table && !pe.info.has_debug_data);
    ck_assert_uint_eq(pe.info.n_sections, 2);
    ck_assert_uint_eq(pe.info.section_names[0].len, 8); /* no NUL: all eight bytes */
    ck_assert_mem_eq(pe.info.section_names[1].p, ".data", 5);
    ck_assert_uint_eq(pe.info.section_names[1].len, 5);
}
END_TEST

START_TEST(pe32plus_fields)
{
    kn_pe_t pe;
    uint32_t need, end = build(0x20b, 1);

    ck_assert_int_eq(kn_pe_parse(img, end, &pe, &need), KN_OK);
    ck_assert_uint_eq(pe.info.machine, 0x8664);
    ck_assert(pe.info.is_64bit);
    ck_assert_uint_eq(pe.info.os_major, 6);
    ck_assert_uint_eq(pe.info.subsystem, 3);
    ck_assert(pe.info.has_import_table && pe.info.has_cert_table);
}
END_TEST

START_TEST(object_file_has_no_optional_header)
{
    kn_pe_t pe;
    uint32_t need;

    build(0x10b, 0);
    le16(COFF + 16, 0);
    ck_assert_int_eq(kn_pe_parse(img, OPT, &pe, &need), KN_OK);
    ck_assert(!pe.info.is_exe && !pe.info.has_opt && pe.info.uses_seh);
    ck_assert_uint_eq(pe.info.n_sections, 0);
}
END_TEST

START_TEST(every_prefix)
{
    kn_pe_t pe;
    uint32_t need, len, end = build(0x20b, 3);

    for (len = 0; len < end; len++) {
        int rc = kn_pe_parse(img, len, &pe, &need);
        ck_assert_int_eq(rc, KN_AGAIN);
        ck_assert_uint_gt(need, len); /* what it asks for is more than it had */
        ck_assert_uint_le(need, end);
    }
    ck_assert_int_eq(kn_pe_parse(img, end, &pe, &need), KN_OK);
}
END_TEST

START_TEST(malformed)
{
    kn_pe_t pe;
    uint32_t need, end = build(0x10b, 1);

    img[LFANEW] = 'N', img[LFANEW + 1] = 'E'; /* a 16-bit NE executable */
    ck_assert_int_eq(kn_pe_parse(img, end, &pe, &need), KN_DECLINED);
    build(0x10b, 1);
    img[0] = 'Z';
    ck_assert_int_eq(kn_pe_parse(img, end, &pe, &need), KN_DECLINED);
    build(0x10b, 1);
    le32(0x3c, 0xfffffff0u); /* e_lfanew far past anything */
    ck_assert_int_eq(kn_pe_parse(img, end, &pe, &need), KN_DECLINED);
    build(0x10b, 1);
    le16(COFF + 2, 0xffff); /* a section table larger than the prefix: more is needed */
    ck_assert_int_eq(kn_pe_parse(img, sizeof(img), &pe, &need), KN_AGAIN);
    ck_assert_uint_eq(need, OPT + 224u + 0xffffu * 40u);
    build(0x10b, 1);
    le16(OPT, 0x999); /* unknown optional header magic: skipped, as by Zeek */
    ck_assert_int_eq(kn_pe_parse(img, end, &pe, &need), KN_OK);
    ck_assert(pe.info.is_exe && !pe.info.has_opt);
    build(0x10b, 1);
    le16(COFF + 16, 8); /* an optional header too short for its fields */
    ck_assert_int_eq(kn_pe_parse(img, OPT + 8 + 40, &pe, &need), KN_OK);
    ck_assert(!pe.info.has_opt);
}
END_TEST

START_TEST(e_lfanew_inside_dos_header)
{
    kn_pe_t pe;
    uint32_t need;

    /* Zeek reads the NT headers right after the DOS header when e_lfanew points inside it */
    memset(img, 0, sizeof(img));
    img[0] = 'M', img[1] = 'Z';
    le32(0x3c, 8);
    memcpy(img + 64, "PE\0\0", 4);
    le16(68, 0x14c);
    ck_assert_int_eq(kn_pe_parse(img, 200, &pe, &need), KN_OK);
    ck_assert_uint_eq(pe.info.machine, 0x14c);
}
END_TEST

START_TEST(elf)
{
    static const uint8_t elf64[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    static const uint8_t bad[] = {0x7f, 'E', 'L', 'F', 3, 1, 1, 0};

    ck_assert_int_eq(kn_elf_detect(elf64, sizeof(elf64)), 1);
    ck_assert_int_eq(kn_elf_detect(elf64, 6), 0);
    ck_assert_int_eq(kn_elf_detect(bad, sizeof(bad)), 0);
}
END_TEST

Suite *suite_pe(void)
{
    Suite *s = suite_create("pe");
    TCase *t = tcase_create("pe");

    tcase_add_test(t, pe32_fields);
    tcase_add_test(t, pe32plus_fields);
    tcase_add_test(t, object_file_has_no_optional_header);
    tcase_add_test(t, every_prefix);
    tcase_add_test(t, malformed);
    tcase_add_test(t, e_lfanew_inside_dos_header);
    tcase_add_test(t, elf);
    suite_add_tcase(s, t);
    return s;
}
