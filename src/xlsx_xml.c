/* xlsx_xml.c - the .xlsx reader's plumbing: expat with a memory cap, the
 * parts of the zip read under a size limit, and small helpers (expat names,
 * a growable buffer).
 *
 * expat's memory functions take no context, so the cap is kept in a
 * thread-local slot that every call into expat sets around itself; the other
 * files of the reader call expat through xlsx_xml_new/parse/resume/free,
 * which do that. A DOCTYPE stops the parser (no DTD, no entities beyond XML's
 * five), and only stored and deflated entries are read (all that OPC allows). */
#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "i18n.h"
#include "xlsx.h"
#include "xlsx_impl.h"

/* ---- expat with a memory cap ---- */

/* expat's memory functions take no context, and the cap is per parser: the
 * size is kept in front of each block and the total in a thread-local slot
 * that the parse functions below set around every call into expat. */
static _Thread_local XmlMem *xml_mem;

static void *mm_malloc(size_t n)
{
    if (!xml_mem || n > XML_MEM_MAX - xml_mem->used)
        return NULL;
    size_t *p = malloc(n + sizeof(size_t) * 2);
    if (!p)
        return NULL;
    p[0] = n;
    xml_mem->used += n;
    return p + 2;
}

static void mm_free(void *q)
{
    if (!q)
        return;
    size_t *p = (size_t *)q - 2;
    if (xml_mem)
        xml_mem->used -= p[0];
    free(p);
}

static void *mm_realloc(void *q, size_t n)
{
    if (!q)
        return mm_malloc(n);
    size_t *p = (size_t *)q - 2, old = p[0];
    if (!xml_mem || (n > old && n - old > XML_MEM_MAX - xml_mem->used))
        return NULL;
    size_t *np = realloc(p, n + sizeof(size_t) * 2);
    if (!np)
        return NULL;
    np[0] = n;
    xml_mem->used = xml_mem->used - old + n;
    return np + 2;
}

static const XML_Memory_Handling_Suite MM = {mm_malloc, mm_realloc, mm_free};

enum XML_Status xlsx_xml_parse(XML_Parser p, XmlMem *mem, const char *s, int n, bool final)
{
    xml_mem = mem;
    enum XML_Status st = XML_Parse(p, s, n, final);
    xml_mem = NULL;
    return st;
}

enum XML_Status xlsx_xml_resume(XML_Parser p, XmlMem *mem)
{
    xml_mem = mem;
    enum XML_Status st = XML_ResumeParser(p);
    xml_mem = NULL;
    return st;
}

void xlsx_xml_free(XML_Parser p, XmlMem *mem)
{
    xml_mem = mem;
    XML_ParserFree(p);
    xml_mem = NULL;
}

/* ---- small helpers ---- */

/* The local part of an expat name "URI\x01local" (or the name itself). */
const char *xlsx_local(const char *name)
{
    const char *s = strrchr(name, '\x01');
    return s ? s + 1 : name;
}

const char *xlsx_attr(const char **atts, const char *want)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(xlsx_local(atts[i]), want) == 0)
            return atts[i + 1];
    return NULL;
}

void xlsx_buf_add(Buf *b, const char *s, size_t n)
{
    if (b->cap - b->len < n + 1) {
        size_t c = b->cap ? b->cap : 256;
        while (c - b->len < n + 1)
            c *= 2;
        b->p = xrealloc(b->p, c);
        b->cap = c;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

/* ---- parts of the zip ---- */

/* Open zip entry name (a part name without a leading '/'), checking its
 * method and declared size against limit. */
zip_file_t *xlsx_open_part(XlsxSheet *x, const char *name, uint64_t limit, Arena *a,
                           const char **err)
{
    zip_int64_t idx = zip_name_locate(x->zip, name, ZIP_FL_NOCASE);
    if (idx < 0) {
        *err = arena_printf(a, _("the workbook has no part %s"), name);
        return NULL;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) != 0) {
        *err = arena_printf(a, "%s: %s", name, zip_strerror(x->zip));
        return NULL;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        *err = arena_printf(a, _("%s is encrypted"), name);
        return NULL;
    }
    if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE &&
        st.comp_method != ZIP_CM_DEFLATE) {
        *err = arena_printf(a, _("%s is packed with zip method %u, not one an .xlsx may use"), name,
                            (unsigned)st.comp_method);
        return NULL;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > limit) {
        *err = arena_printf(a, _("%s unpacks to more than %llu MiB, the limit for a workbook part"),
                            name, (unsigned long long)(limit / MIB));
        return NULL;
    }
    zip_file_t *f = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!f)
        *err = arena_printf(a, "%s: %s", name, zip_strerror(x->zip));
    return f;
}

XML_Parser xlsx_xml_new(XmlMem *mem)
{
    xml_mem = mem;
    XML_Parser p = XML_ParserCreate_MM(NULL, &MM, "\x01");
    xml_mem = NULL;
    return p;
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int internal)
{
    (void)name, (void)sysid, (void)pubid, (void)internal;
    XML_StopParser(*(XML_Parser *)ud, XML_FALSE);
}

/* Why expat stopped, for a message. */
const char *xlsx_xml_why(XML_Parser p, Arena *a, const char *part, bool doctype)
{
    if (doctype)
        return arena_printf(a,
                            _("%s holds a DOCTYPE (a DTD), which a workbook has no use for and "
                              "rubric does not read"),
                            part);
    enum XML_Error e = XML_GetErrorCode(p);
    if (e == XML_ERROR_NO_MEMORY)
        return arena_printf(a, _("%s: the XML needs more than %zu MiB to read"), part,
                            XML_MEM_MAX >> 20);
    return arena_printf(a, _("%s: broken XML at line %lu: %s"), part,
                        (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(e));
}

void XMLCALL xlsx_on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                             const XML_Char *pubid, int internal)
{
    ((Ud *)ud)->doctype = true;
    on_doctype(ud, name, sysid, pubid, internal);
}

bool xlsx_parse_part(XlsxSheet *x, const char *name, Ud *ud, XML_StartElementHandler start,
                     XML_EndElementHandler end, XML_CharacterDataHandler text, Arena *a,
                     const char **err)
{
    zip_file_t *f = xlsx_open_part(x, name, PART_MAX, a, err);
    if (!f)
        return false;
    XmlMem mem = {0};
    XML_Parser p = xlsx_xml_new(&mem);
    if (!p) {
        zip_fclose(f);
        *err = _("out of memory");
        return false;
    }
    ud->p = p;
    ud->x = x;
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, text);
    XML_SetStartDoctypeDeclHandler(p, xlsx_on_doctype);
    char *blk = xmalloc(READ_BLOCK);
    uint64_t total = 0;
    bool ok = true;
    for (;;) {
        zip_int64_t n = zip_fread(f, blk, READ_BLOCK);
        if (n < 0) {
            *err = arena_printf(a, "%s: %s", name, zip_file_strerror(f));
            ok = false;
            break;
        }
        total += (uint64_t)n;
        if (total > PART_MAX) {
            *err = arena_printf(
                a, _("%s unpacks to more than %llu MiB, the limit for a workbook part"), name,
                (unsigned long long)(PART_MAX / MIB));
            ok = false;
            break;
        }
        xml_mem = &mem;
        enum XML_Status s = XML_Parse(p, blk, (int)n, n == 0);
        xml_mem = NULL;
        if (s != XML_STATUS_OK || ud->stop) {
            *err = ud->stop ? arena_printf(a, "%s: %s", name, ud->stop)
                            : xlsx_xml_why(p, a, name, ud->doctype);
            ok = false;
            break;
        }
        if (n == 0)
            break;
    }
    free(blk);
    xml_mem = &mem;
    XML_ParserFree(p);
    xml_mem = NULL;
    zip_fclose(f);
    return ok;
}
