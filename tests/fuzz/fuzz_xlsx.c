/* fuzz_xlsx.c - bytes as an Excel workbook, and as the XML inside one.
 *
 * An input whose first byte is odd is the .xlsx file itself (a zip or not).
 * Otherwise the rest is split at "\n@@\n" into a worksheet, a shared-string
 * table and a styles part, zipped with a fixed, valid package around them
 * (relationships, workbook), so the fuzzer reaches the XML readers instead of
 * stopping at libzip. Both are read through facts_open/facts_next, with and
 * without a header predicate and a sheet name. Invariants: every record has a
 * source, and either an error that says why or cells whose errors say why. */
#include <stdbool.h>
#include <stdint.h>
#include <zip.h>

#include "arena.h"
#include "facts.h"
#include "fuzz_common.h"

static bool any_name(const void *ctx, const char *name, size_t len)
{
    (void)ctx;
    return len >= 2 && name[0] == 'f';
}

static void read_all(const char *path, const char *sheet, bool names)
{
    const char *paths[] = {path};
    FactReader *r = facts_open(paths, 1);
    facts_workbooks(r, sheet, names ? any_name : NULL, NULL);
    Arena a;
    arena_init(&a);
    FactRecord rec;
    long n = 0;
    while (facts_next(r, &a, &rec)) {
        FUZZ_ASSERT(++n < 2000000);
        FUZZ_ASSERT(rec.source && *rec.source);
        if (rec.error) {
            FUZZ_ASSERT(*rec.error);
        } else {
            for (size_t i = 0; i < rec.ncells; i++) {
                const FactCell *c = &rec.cells[i];
                FUZZ_ASSERT(!c->error || *c->error);
                FUZZ_ASSERT(c->error || c->val);
            }
        }
        arena_reset(&a);
    }
    facts_close(r);
    arena_free(&a);
}

static const char RELS[] =
    "<?xml version=\"1.0\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
    "Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    "officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char BOOK[] =
    "<?xml version=\"1.0\"?><workbook "
    "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char BOOK_RELS[] =
    "<?xml version=\"1.0\"?><Relationships "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
    "Target=\"styles.xml\"/></Relationships>";

static void add(zip_t *z, const char *name, const void *data, size_t n)
{
    zip_source_t *s = zip_source_buffer(z, data, n, 0);
    FUZZ_ASSERT(s && zip_file_add(z, name, s, ZIP_FL_OVERWRITE) >= 0);
}

/* The next part of data[*at..size), up to the separator. */
static const uint8_t *part(const uint8_t *data, size_t size, size_t *at, size_t *len)
{
    const uint8_t *s = data + *at;
    size_t i = *at;
    while (i + 4 <= size && memcmp(data + i, "\n@@\n", 4) != 0)
        i++;
    if (i + 4 > size)
        i = size;
    *len = i - *at;
    *at = i < size ? i + 4 : size;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    if (size && (data[0] & 1)) {
        const char *p = fuzz_write_file(0, "raw.xlsx", data + 1, size - 1);
        read_all(p, NULL, false);
        read_all(p, "S", true);
        return 0;
    }
    char path[160];
    snprintf(path, sizeof path, "%s/parts.xlsx", fuzz_tmpdir());
    int code = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
    FUZZ_ASSERT(z);
    size_t at = size ? 1 : 0, n1, n2, n3;
    const uint8_t *sheet = part(data, size, &at, &n1);
    const uint8_t *sst = part(data, size, &at, &n2);
    const uint8_t *styles = part(data, size, &at, &n3);
    add(z, "_rels/.rels", RELS, sizeof RELS - 1);
    add(z, "xl/workbook.xml", BOOK, sizeof BOOK - 1);
    add(z, "xl/_rels/workbook.xml.rels", BOOK_RELS, sizeof BOOK_RELS - 1);
    add(z, "xl/worksheets/sheet1.xml", sheet, n1);
    add(z, "xl/sharedStrings.xml", sst, n2);
    add(z, "xl/styles.xml", styles, n3);
    FUZZ_ASSERT(zip_close(z) == 0);
    read_all(path, NULL, false);
    read_all(path, NULL, true);
    return 0;
}
