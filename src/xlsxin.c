/* xlsxin.c: one sheet of an .xlsx workbook, row by row (see xlsxin.h).
 *
 *   rr_xlsx *x;
 *   rr_xlsx_open("Campaigns.xlsx", "Campaigns", &x, &err);
 *   while (rr_xlsx_next(x, &row, &err) == RR_OK && row) ...
 *
 * An .xlsx is a zip of XML parts: _rels/.rels names the workbook part,
 * whose relationships name its sheets, shared strings and styles.  The
 * small parts are read whole at open (shared strings into one buffer with
 * offsets, styles into one "is a date" flag per cell format); the sheet is
 * streamed through xmlTextReader, one row per rr_xlsx_next call, so memory
 * is the shared strings plus one row whatever the sheet's size.  Every part
 * is read through a counting callback that stops past the byte bound (a
 * zip bomb's declared size may lie).  Entities are never substituted and
 * the network is never used (XML_PARSE_NONET, no XML_PARSE_NOENT). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/xmlreader.h>
#include <zip.h>
#include "revreport/date.h"
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"
#include "revreport/xlsxin.h"

#define MAX_ENTRIES 10000              /* parts in the zip */
#define MAX_PART_BYTES (256LL << 20)   /* unzipped bytes of one part */
#define MAX_STRINGS (16L << 20)        /* shared strings */
#define MAX_COLUMNS 16384              /* XFD, Excel's last column */
#define MAX_ROWS 1048576L              /* Excel's last row */
#define MAX_ROW_BYTES (16 << 20)       /* text of one row, as csvin's record */
#define MAX_XF 65536                   /* cell formats */

typedef struct {
    zip_file_t *zf;
    long long got, max;
    int over, zerr;
} zsrc;

typedef struct {
    char *id, *type, *target;
} rel;

struct rr_xlsx {
    char *path;
    zip_t *z;
    long long max_bytes;
    int date1904;
    char *sheet;           /* its name */
    char *sheet_part;      /* "xl/worksheets/sheet1.xml" */
    rr_strbuf sst;         /* shared strings, NUL-terminated one after another */
    size_t *sst_off;
    size_t nsst, capsst;
    unsigned char *xf_date;   /* per cellXfs index: 1 = a date format */
    size_t nxf;
    zsrc src;              /* the sheet being streamed */
    xmlTextReaderPtr rd;
    int done;
    char xmlerr[256];      /* the reader's first error message */
    /* the row being built */
    rr_strbuf buf;         /* cell texts, each NUL-terminated */
    size_t *off, *len, capoff, caplen;
    const char **cells;
    size_t capcells, ncells;
    rr_strbuf val;         /* text of the current cell */
    long rownum, col;
    rr_xlsx_row out;
};

/* ---- small helpers ---- */
static void xml_error(void *arg, const char *msg, xmlParserSeverities sev, xmlTextReaderLocatorPtr loc)
{
    rr_xlsx *x = arg;
    (void)loc;
    if (x->xmlerr[0] || (sev != XML_PARSER_SEVERITY_ERROR && sev != XML_PARSER_SEVERITY_VALIDITY_ERROR)) return;
    snprintf(x->xmlerr, sizeof x->xmlerr, "%s", msg ? msg : "");
    size_t n = strlen(x->xmlerr);
    while (n && (x->xmlerr[n - 1] == '\n' || x->xmlerr[n - 1] == ' ')) x->xmlerr[--n] = 0;
}

static int zread(void *ctx, char *buf, int len)
{
    zsrc *s = ctx;
    zip_int64_t n = zip_fread(s->zf, buf, (zip_uint64_t)len);
    if (n < 0) { s->zerr = 1; return -1; }
    s->got += n;
    if (s->got > s->max) { s->over = 1; return -1; }
    return (int)n;
}

static int zclose(void *ctx)
{
    zsrc *s = ctx;
    if (s->zf) zip_fclose(s->zf);
    s->zf = NULL;
    return 0;
}

static const char *base_name(const char *p)
{
    const char *b = strrchr(p, '/');
    return b ? b + 1 : p;
}

void rr_xlsx_cellref(long column, long row, char *out, size_t cap)
{
    if (column <= 0) { snprintf(out, cap, "row %ld", row); return; }
    char letters[8];
    int n = 0;
    for (long c = column; c > 0 && n < 7; c = (c - 1) / 26) letters[n++] = (char)('A' + (c - 1) % 26);
    char rev[8];
    for (int i = 0; i < n; i++) rev[i] = letters[n - 1 - i];
    rev[n] = 0;
    snprintf(out, cap, "%s%ld", rev, row);
}

/* "C14" -> column 3, row 14; 0 when not a cell reference */
static int parse_ref(const char *s, long *col, long *row)
{
    long c = 0, r = 0;
    const char *p = s;
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
        c = c * 26 + ((*p | 0x20) - 'a' + 1);
        if (c > MAX_COLUMNS) return 0;
        p++;
    }
    while (*p >= '0' && *p <= '9') {
        r = r * 10 + (*p - '0');
        if (r > MAX_ROWS) return 0;
        p++;
    }
    if (*p || p == s) return 0;
    *col = c;
    *row = r;
    return 1;
}

static char *attr(xmlTextReaderPtr rd, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(rd, (const xmlChar *)name);
    if (!v) return NULL;
    char *s = rr_xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

/* The r:id of a <sheet>: the attribute "id" in any namespace (transitional
 * and strict OOXML use different relationship namespaces) */
static char *attr_rid(xmlTextReaderPtr rd)
{
    char *out = NULL;
    if (xmlTextReaderMoveToFirstAttribute(rd) != 1) return NULL;
    do {
        const xmlChar *ln = xmlTextReaderConstLocalName(rd), *ns = xmlTextReaderConstNamespaceUri(rd);
        if (ln && ns && !strcmp((const char *)ln, "id")) {
            const xmlChar *v = xmlTextReaderConstValue(rd);
            out = rr_xstrdup(v ? (const char *)v : "");
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(rd) == 1);
    xmlTextReaderMoveToElement(rd);
    return out;
}

static int is_name(xmlTextReaderPtr rd, const char *n)
{
    const xmlChar *ln = xmlTextReaderConstLocalName(rd);
    return ln && !strcmp((const char *)ln, n);
}

/* ---- parts ---- */
static rr_status part_open(rr_xlsx *x, const char *name, int required, zsrc *s, xmlTextReaderPtr *rd,
                           rr_error *err)
{
    zip_stat_t zs;
    *rd = NULL;
    memset(s, 0, sizeof *s);
    zip_int64_t idx = zip_name_locate(x->z, name, ZIP_FL_NOCASE);
    if (idx < 0) {
        if (!required) return RR_OK;
        return rr_error_set(err, RR_ERR_INPUT, x->path, 0, 0, NULL,
                            "not an .xlsx workbook: the zip has no part %s (save it from the tool or from Excel "
                            "as an .xlsx workbook, or export CSV)", name);
    }
    if (zip_stat_index(x->z, (zip_uint64_t)idx, 0, &zs) != 0)
        return rr_error_set(err, RR_ERR_INPUT, x->path, 0, 0, NULL, "corrupt .xlsx workbook: part %s: %s", name,
                            zip_strerror(x->z));
    if ((zs.valid & ZIP_STAT_ENCRYPTION_METHOD) && zs.encryption_method != ZIP_EM_NONE)
        return rr_error_set(err, RR_ERR_INPUT, x->path, 0, 0, NULL,
                            "the workbook's part %s is encrypted: save it without a password", name);
    if ((zs.valid & ZIP_STAT_COMP_METHOD) && !zip_compression_method_supported(zs.comp_method, 0))
        return rr_error_set(err, RR_ERR_INPUT, x->path, 0, 0, NULL,
                            "the workbook's part %s uses a compression method this build cannot read (%d): "
                            "save it again from Excel or export CSV", name, (int)zs.comp_method);
    if ((zs.valid & ZIP_STAT_SIZE) && (long long)zs.size > x->max_bytes)
        return rr_error_set(err, RR_ERR_INPUT, x->path, 0, 0, NULL,
                            "the workbook's part %s unzips to %llu bytes, more than the %lld read at most "
                            "(a zip bomb, or a sheet too big for one report: export CSV)", name,
                            (unsigned long long)zs.size, x->max_bytes);
    s->max = x->max_bytes;
    s->zf = zip_fopen_index(x->z, (zip_uint64_t)idx, 0);
    if (!s->zf)
        return rr_error_set(err, RR_ERR_INPUT, x->path, 0, 0, NULL, "corrupt .xlsx workbook: part %s: %s", name,
                            zip_strerror(x->z));
    x->xmlerr[0] = 0;
    *rd = xmlReaderForIO(zread, zclose, s, name, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!*rd) {
        zclose(s);
        return rr_error_set(err, RR_ERR_INTERNAL, x->path, 0, 0, NULL, "cannot start an XML reader on %s", name);
    }
    xmlTextReaderSetErrorHandler(*rd, xml_error, x);
    return RR_OK;
}

/* The error for a reader that returned -1 on part name (where: "" or
 * " sheet 'S' cell C14") */
static rr_status part_error(rr_xlsx *x, const zsrc *s, const char *name, const char *where, rr_error *err)
{
    char file[1200];
    snprintf(file, sizeof file, "%s%s", x->path, where);
    if (s->over)
        return rr_error_set(err, RR_ERR_INPUT, file, 0, 0, NULL,
                            "the workbook's part %s unzips to more than %lld bytes: refused (a zip bomb, or a "
                            "sheet too big for one report: export CSV)", name, x->max_bytes);
    if (s->zerr)
        return rr_error_set(err, RR_ERR_INPUT, file, 0, 0, NULL, "corrupt .xlsx workbook: part %s cannot be "
                            "unzipped: %s", name, s->zf ? zip_file_strerror(s->zf) : "read error");
    return rr_error_set(err, RR_ERR_INPUT, file, 0, 0, NULL, "corrupt .xlsx workbook: part %s is not well-formed "
                        "XML: %s", name, x->xmlerr[0] ? x->xmlerr : "parse error");
}

static void rels_free(rel *r, size_t n)
{
    for (size_t i = 0; i < n; i++) { free(r[i].id); free(r[i].type); free(r[i].target); }
    free(r);
}

/* Relationships of a part (its .rels), *out owned by the caller */
static rr_status rels_read(rr_xlsx *x, const char *name, rel **out, size_t *nout, rr_error *err)
{
    zsrc s;
    xmlTextReaderPtr rd;
    size_t cap = 0;
    int ret;
    *out = NULL;
    *nout = 0;
    rr_status st = part_open(x, name, 0, &s, &rd, err);
    if (st || !rd) return st;
    while ((ret = xmlTextReaderRead(rd)) == 1) {
        if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT || !is_name(rd, "Relationship")) continue;
        if (*nout >= 4096) break;
        *out = rr_xgrow(*out, &cap, *nout + 1, sizeof **out);
        rel *r = &(*out)[(*nout)++];
        r->id = attr(rd, "Id");
        r->type = attr(rd, "Type");
        r->target = attr(rd, "Target");
    }
    if (ret < 0) st = part_error(x, &s, name, "", err);
    xmlFreeTextReader(rd);
    zclose(&s);
    return st;
}

/* The part a relationship of source part `from` points to: targets are
 * relative to from's folder, or absolute from the zip's root ("/xl/...") */
static char *resolve(const char *from, const char *target)
{
    if (target[0] == '/') return rr_xstrdup(target + 1);
    size_t dir = (size_t)(base_name(from) - from);
    while (!strncmp(target, "../", 3)) {
        target += 3;
        if (dir) dir--;
        while (dir && from[dir - 1] != '/') dir--;
    }
    return rr_xasprintf("%.*s%s", (int)dir, from, target);
}

static const rel *rel_by_type(const rel *r, size_t n, const char *suffix)
{
    size_t sl = strlen(suffix);
    for (size_t i = 0; i < n; i++) {
        size_t tl = r[i].type ? strlen(r[i].type) : 0;
        if (r[i].target && tl >= sl && !strcmp(r[i].type + tl - sl, suffix)) return &r[i];
    }
    return NULL;
}

/* A number format shows a date: built-in ids 14-22, 27-36, 45-47, 50-58
 * (the last ones are the Japanese, Chinese and Korean date formats), or a
 * custom code whose first section has y, d or m (or e, the era year) outside
 * quotes, brackets and escapes.  "General" and "0.00" are no dates. */
static int date_format(long id, const char *code)
{
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58))
        return 1;
    if (!code) return 0;
    int q = 0;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (q) { if (c == '"') q = 0; continue; }
        if (c == '"') { q = 1; continue; }
        if (c == '\\' || c == '_' || c == '*') { if (p[1]) p++; continue; }
        if (c == '[') { const char *e = strchr(p, ']'); if (!e) break; p = e; continue; }
        if (c == ';') break;
        c = (char)(c | 0x20);
        if (c == 'y' || c == 'd' || c == 'm' || c == 'e') {
            if (c == 'e' && !strncasecmp(p, "e+", 2)) continue;   /* 0.00E+00 */
            if (c == 'e' && p > code && (p[-1] | 0x20) == 'g') continue;   /* "General" is handled below */
            return strncasecmp(code, "General", 7) != 0;
        }
    }
    return 0;
}

static rr_status styles_read(rr_xlsx *x, const char *name, rr_error *err)
{
    zsrc s;
    xmlTextReaderPtr rd;
    int ret, in_xfs = 0;
    long *fid = NULL;   /* custom format ids and codes */
    char **fcode = NULL;
    size_t nf = 0, capf = 0, capc = 0, capxf = 0;
    rr_status st = part_open(x, name, 0, &s, &rd, err);
    if (st || !rd) return st;
    while ((ret = xmlTextReaderRead(rd)) == 1) {
        int t = xmlTextReaderNodeType(rd);
        if (t == XML_READER_TYPE_END_ELEMENT && is_name(rd, "cellXfs")) in_xfs = 0;
        if (t != XML_READER_TYPE_ELEMENT) continue;
        if (is_name(rd, "cellXfs")) in_xfs = !xmlTextReaderIsEmptyElement(rd);
        else if (is_name(rd, "numFmt") && nf < 4096) {
            char *id = attr(rd, "numFmtId");
            fid = rr_xgrow(fid, &capf, nf + 1, sizeof *fid);
            fcode = rr_xgrow(fcode, &capc, nf + 1, sizeof *fcode);
            fid[nf] = id ? strtol(id, NULL, 10) : -1;
            fcode[nf++] = attr(rd, "formatCode");
            free(id);
        } else if (in_xfs && is_name(rd, "xf") && x->nxf < MAX_XF) {
            char *id = attr(rd, "numFmtId");
            long v = id ? strtol(id, NULL, 10) : 0;
            const char *code = NULL;
            for (size_t k = 0; k < nf; k++)
                if (fid[k] == v) code = fcode[k];
            x->xf_date = rr_xgrow(x->xf_date, &capxf, x->nxf + 1, 1);
            x->xf_date[x->nxf++] = (unsigned char)date_format(v, code);
            free(id);
        }
    }
    if (ret < 0) st = part_error(x, &s, name, "", err);
    for (size_t k = 0; k < nf; k++) free(fcode[k]);
    free(fid);
    free(fcode);
    xmlFreeTextReader(rd);
    zclose(&s);
    return st;
}

/* Shared strings: the text of each <si>, its <t> and rich-text runs' <t>
 * joined, phonetic guides (<rPh>: furigana) left out */
static rr_status sst_read(rr_xlsx *x, const char *name, rr_error *err)
{
    zsrc s;
    xmlTextReaderPtr rd;
    int ret, in_si = 0, in_t = 0, rph = 0;
    rr_status st = part_open(x, name, 0, &s, &rd, err);
    if (st || !rd) return st;
    while ((ret = xmlTextReaderRead(rd)) == 1) {
        int t = xmlTextReaderNodeType(rd);
        if (t == XML_READER_TYPE_ELEMENT) {
            int empty = xmlTextReaderIsEmptyElement(rd);
            if (is_name(rd, "si")) {
                if (x->nsst >= (size_t)MAX_STRINGS) {
                    st = rr_error_set(err, RR_ERR_INPUT, x->path, 0, 0, NULL, "the workbook holds more than %ld "
                                      "shared strings: refused (export CSV)", MAX_STRINGS);
                    break;
                }
                x->sst_off = rr_xgrow(x->sst_off, &x->capsst, x->nsst + 1, sizeof *x->sst_off);
                x->sst_off[x->nsst++] = x->sst.len;
                if (empty) rr_strbuf_add(&x->sst, "", 1);
                else in_si = 1;
            } else if (is_name(rd, "rPh")) {
                if (!empty) rph++;
            } else if (is_name(rd, "t")) {
                in_t = !empty;
            }
        } else if (t == XML_READER_TYPE_END_ELEMENT) {
            if (is_name(rd, "si") && in_si) { rr_strbuf_add(&x->sst, "", 1); in_si = 0; }
            else if (is_name(rd, "rPh") && rph) rph--;
            else if (is_name(rd, "t")) in_t = 0;
        } else if ((t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                    t == XML_READER_TYPE_CDATA) && in_si && in_t && !rph) {
            const xmlChar *v = xmlTextReaderConstValue(rd);
            if (v) rr_strbuf_adds(&x->sst, (const char *)v);
        }
    }
    if (ret < 0 && st == RR_OK) st = part_error(x, &s, name, "", err);
    if (in_si) rr_strbuf_add(&x->sst, "", 1);
    xmlFreeTextReader(rd);
    zclose(&s);
    return st;
}

typedef struct { char *name, *rid; int hidden; } sheet_ref;

static rr_status workbook_read(rr_xlsx *x, const char *name, sheet_ref **out, size_t *nout, rr_error *err)
{
    zsrc s;
    xmlTextReaderPtr rd;
    int ret;
    size_t cap = 0;
    *out = NULL;
    *nout = 0;
    rr_status st = part_open(x, name, 1, &s, &rd, err);
    if (st) return st;
    while ((ret = xmlTextReaderRead(rd)) == 1) {
        if (xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT) continue;
        if (is_name(rd, "workbookPr")) {
            char *v = attr(rd, "date1904");
            x->date1904 = v && (!strcmp(v, "1") || !strcasecmp(v, "true"));
            free(v);
        } else if (is_name(rd, "sheet") && *nout < 4096) {
            *out = rr_xgrow(*out, &cap, *nout + 1, sizeof **out);
            sheet_ref *r = &(*out)[(*nout)++];
            r->name = attr(rd, "name");
            if (!r->name) r->name = rr_xstrdup("");
            char *state = attr(rd, "state");
            r->hidden = state && strcmp(state, "visible") != 0;
            free(state);
            r->rid = attr_rid(rd);
        }
    }
    if (ret < 0) st = part_error(x, &s, name, "", err);
    xmlFreeTextReader(rd);
    zclose(&s);
    return st;
}

int rr_xlsx_kind(const char *path)
{
    unsigned char b[8];
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    if (n >= 4 && !memcmp(b, "PK\x03\x04", 4)) return 1;
    if (n >= 8 && !memcmp(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) return 2;
    return 0;
}

rr_status rr_xlsx_open(const char *path, const char *sheet, rr_xlsx **out, rr_error *err)
{
    rr_status st = RR_OK;
    rel *top = NULL, *wrels = NULL;
    size_t ntop = 0, nw = 0, nsheets = 0;
    sheet_ref *sheets = NULL;
    char *wb = NULL, *wbrels = NULL, *part = NULL;
    rr_xlsx *x = rr_xcalloc(1, sizeof *x);
    *out = NULL;
    x->path = rr_xstrdup(path);
    x->max_bytes = MAX_PART_BYTES;
    const char *mb = getenv("RR_XLSX_MAX_BYTES");
    if (mb && *mb) {
        long long v = strtoll(mb, NULL, 10);
        if (v > 0) x->max_bytes = v;
    }
    int kind = rr_xlsx_kind(path);
    if (kind == 2) {
        st = rr_error_set(err, RR_ERR_INPUT, path, 0, 0, NULL,
                          "a password-protected (encrypted) workbook or an old binary .xls: revreport reads "
                          ".xlsx files saved without a password (or CSV)");
        goto out;
    }
    int zerr = 0;
    x->z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!x->z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        st = rr_error_set(err, zerr == ZIP_ER_OPEN || zerr == ZIP_ER_NOENT || zerr == ZIP_ER_READ ? RR_ERR_IO
                          : RR_ERR_INPUT, path, 0, 0, NULL, "%s: %s",
                          zerr == ZIP_ER_OPEN || zerr == ZIP_ER_NOENT || zerr == ZIP_ER_READ ? "cannot open"
                          : "not a readable .xlsx workbook (a corrupt or truncated zip)", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        goto out;
    }
    zip_int64_t ne = zip_get_num_entries(x->z, 0);
    if (ne < 0 || ne > MAX_ENTRIES) {
        st = rr_error_set(err, RR_ERR_INPUT, path, 0, 0, NULL,
                          "the zip holds %lld parts, more than the %d a workbook may have: refused",
                          (long long)ne, MAX_ENTRIES);
        goto out;
    }
    /* the workbook part, its relationships, its sheets */
    if ((st = rels_read(x, "_rels/.rels", &top, &ntop, err))) goto out;
    const rel *od = rel_by_type(top, ntop, "/officeDocument");
    wb = od ? resolve("", od->target) : rr_xstrdup("xl/workbook.xml");
    if ((st = workbook_read(x, wb, &sheets, &nsheets, err))) goto out;
    wbrels = rr_xasprintf("%.*s_rels/%s.rels", (int)(base_name(wb) - wb), wb, base_name(wb));
    if ((st = rels_read(x, wbrels, &wrels, &nw, err))) goto out;
    size_t pick = nsheets;
    for (size_t i = 0; i < nsheets; i++) {
        if (sheet && *sheet ? !strcasecmp(sheets[i].name, sheet) : !sheets[i].hidden) { pick = i; break; }
    }
    if (pick == nsheets && !(sheet && *sheet) && nsheets) pick = 0;   /* every sheet hidden: the first */
    if (pick == nsheets) {
        rr_strbuf names = {0};
        for (size_t i = 0; i < nsheets && i < 20; i++) rr_strbuf_printf(&names, "%s'%s'", i ? ", " : "", sheets[i].name);
        rr_strbuf_add(&names, "", 1);
        st = rr_error_set(err, RR_ERR_INPUT, path, 0, 0, NULL, nsheets ? "no sheet '%s' in the workbook (its sheets: %s)"
                          : "the workbook has no sheet%s%s", sheet && *sheet && nsheets ? sheet : "", names.data);
        rr_strbuf_free(&names);
        goto out;
    }
    x->sheet = rr_xstrdup(sheets[pick].name);
    for (size_t i = 0; i < nw && !part; i++)
        if (sheets[pick].rid && wrels[i].id && wrels[i].target && !strcmp(wrels[i].id, sheets[pick].rid))
            part = resolve(wb, wrels[i].target);
    if (!part) part = rr_xasprintf("xl/worksheets/sheet%zu.xml", pick + 1);
    x->sheet_part = part;
    part = NULL;
    const rel *r = rel_by_type(wrels, nw, "/sharedStrings");
    part = r ? resolve(wb, r->target) : rr_xstrdup("xl/sharedStrings.xml");
    if ((st = sst_read(x, part, err))) goto out;
    free(part);
    r = rel_by_type(wrels, nw, "/styles");
    part = r ? resolve(wb, r->target) : rr_xstrdup("xl/styles.xml");
    if ((st = styles_read(x, part, err))) goto out;
    /* the sheet, streamed by rr_xlsx_next */
    if ((st = part_open(x, x->sheet_part, 1, &x->src, &x->rd, err))) goto out;
    *out = x;
    x = NULL;
out:
    for (size_t i = 0; i < nsheets; i++) { free(sheets[i].name); free(sheets[i].rid); }
    free(sheets);
    rels_free(top, ntop);
    rels_free(wrels, nw);
    free(wb);
    free(wbrels);
    free(part);
    rr_xlsx_close(x);
    return st;
}

const char *rr_xlsx_sheet(const rr_xlsx *x) { return x->sheet; }

void rr_xlsx_close(rr_xlsx *x)
{
    if (!x) return;
    if (x->rd) xmlFreeTextReader(x->rd);
    zclose(&x->src);
    if (x->z) zip_discard(x->z);
    free(x->path);
    free(x->sheet);
    free(x->sheet_part);
    rr_strbuf_free(&x->sst);
    free(x->sst_off);
    free(x->xf_date);
    rr_strbuf_free(&x->buf);
    rr_strbuf_free(&x->val);
    free(x->off);
    free(x->len);
    free(x->cells);
    free(x);
}

/* ---- the sheet ---- */
static rr_status cell_error(rr_xlsx *x, long col, rr_error *err, const char *msg, const char *detail)
{
    char ref[32], file[1200];
    rr_xlsx_cellref(col, x->rownum, ref, sizeof ref);
    snprintf(file, sizeof file, "%s: sheet '%s' %s%s", x->path, x->sheet, col > 0 ? "cell " : "", ref);
    return rr_error_set(err, RR_ERR_INPUT, file, 0, 0, NULL, "%s%s", msg, detail ? detail : "");
}

/* a number as Excel shows it: 15 significant digits, no exponent */
static void put_number(rr_strbuf *b, const char *v, size_t n)
{
    char tmp[64], out[400];
    size_t sig = 0;
    int plain = n > 0 && n < sizeof tmp, lead = 1;
    for (size_t i = 0; i < n && plain; i++) {
        char c = v[i];
        if (c >= '0' && c <= '9') { if (c != '0' || !lead) { sig++; lead = 0; } }
        else if (!(c == '.' || (c == '-' && i == 0))) plain = 0;
    }
    if (plain && sig <= 15) { rr_strbuf_add(b, v, n); return; }
    if (n == 0 || n >= sizeof tmp) { rr_strbuf_add(b, v, n); return; }
    memcpy(tmp, v, n);
    tmp[n] = 0;
    char *end;
    errno = 0;
    double d = strtod(tmp, &end);   /* the C locale: revreport never sets LC_NUMERIC */
    if (end != tmp + n || !isfinite(d)) { rr_strbuf_add(b, v, n); return; }
    snprintf(out, sizeof out, "%.15g", d);
    char *e = strchr(out, 'e');
    if (e) {
        int ex = (int)strtol(e + 1, NULL, 10), dec = ex >= 14 ? 0 : 14 - ex;
        if (dec > 330) dec = 330;
        snprintf(out, sizeof out, "%.*f", dec, d);
        if (strchr(out, '.')) {
            size_t l = strlen(out);
            while (l && out[l - 1] == '0') out[--l] = 0;
            if (l && out[l - 1] == '.') out[--l] = 0;
        }
    }
    rr_strbuf_adds(b, out);
}

/* a date serial as "YYYY-MM-DD[ HH:MM:SS]"; 0 when out of Excel's range */
static int put_date(rr_strbuf *b, const char *v, size_t n, int date1904)
{
    char tmp[64];
    if (n == 0 || n >= sizeof tmp) return 0;
    memcpy(tmp, v, n);
    tmp[n] = 0;
    char *end;
    double d = strtod(tmp, &end);
    if (end != tmp + n || !isfinite(d) || d < 0 || d > 2958465.99999) return 0;
    long days = (long)floor(d);
    long secs = lround((d - (double)days) * 86400.0);
    if (secs >= 86400) { days++; secs -= 86400; }
    rr_date base;
    if (date1904) base = rr_date_from_ymd(1904, 1, 1);
    else if (days < 60) base = rr_date_from_ymd(1899, 12, 31);   /* Excel's 1900-02-29 (serial 60) never was */
    else base = rr_date_from_ymd(1899, 12, 30);
    if (!date1904 && days == 60) return 0;
    int y, m, dd;
    rr_date_to_ymd(base + (rr_date)days, &y, &m, &dd);
    if (secs) rr_strbuf_printf(b, "%04d-%02d-%02d %02ld:%02ld:%02ld", y, m, dd, secs / 3600, secs / 60 % 60, secs % 60);
    else rr_strbuf_printf(b, "%04d-%02d-%02d", y, m, dd);
    return 1;
}

static void row_reset(rr_xlsx *x)
{
    rr_strbuf_reset(&x->buf);
    x->ncells = 0;
    x->col = 0;
}

/* Store the current cell (x->val, type t, style s) at column col */
static rr_status cell_store(rr_xlsx *x, long col, const char *t, long s, rr_error *err)
{
    if (col <= (long)x->ncells)
        return cell_error(x, col, err, "cell written twice or out of order in the sheet's XML", NULL);
    if (x->buf.len + x->val.len + (size_t)(col - (long)x->ncells) > MAX_ROW_BYTES)
        return cell_error(x, col, err, "row longer than 16 MiB", NULL);
    while ((long)x->ncells < col) {   /* gaps before it: empty cells */
        x->off = rr_xgrow(x->off, &x->capoff, x->ncells + 1, sizeof *x->off);
        x->len = rr_xgrow(x->len, &x->caplen, x->ncells + 1, sizeof *x->len);
        x->off[x->ncells] = x->buf.len;
        x->len[x->ncells++] = 0;
        rr_strbuf_add(&x->buf, "", 1);
    }
    size_t at = x->off[col - 1];   /* the cell's slot: the last one, empty */
    x->buf.len = at;
    const char *v = x->val.data ? x->val.data : "";
    size_t n = x->val.len;
    if (!t || !strcmp(t, "n")) {
        if (s >= 0 && (size_t)s < x->nxf && x->xf_date[s] && put_date(&x->buf, v, n, x->date1904)) {}
        else put_number(&x->buf, v, n);
    } else if (!strcmp(t, "s")) {
        char tmp[32];
        char *end;
        snprintf(tmp, sizeof tmp, "%.*s", (int)(n < 31 ? n : 31), v);
        long k = strtol(tmp, &end, 10);
        if (!n || *end || k < 0 || (size_t)k >= x->nsst)
            return cell_error(x, col, err, "refers to a shared string that the workbook does not hold: ", tmp);
        rr_strbuf_adds(&x->buf, x->sst.data + x->sst_off[k]);
    } else if (!strcmp(t, "b")) {
        rr_strbuf_adds(&x->buf, n == 1 && v[0] == '1' ? "true" : "false");
    } else {   /* inlineStr, str (a formula's text), e (#N/A...), d (ISO 8601) */
        rr_strbuf_add(&x->buf, v, n);
    }
    x->len[col - 1] = x->buf.len - at;
    rr_strbuf_add(&x->buf, "", 1);
    return RR_OK;
}

static void row_publish(rr_xlsx *x)
{
    x->cells = rr_xgrow(x->cells, &x->capcells, x->ncells + 1, sizeof *x->cells);
    for (size_t i = 0; i < x->ncells; i++) x->cells[i] = x->buf.data + x->off[i];
    x->out.row = x->rownum;
    x->out.ncells = x->ncells;
    x->out.cell = x->cells;
    x->out.len = x->len;
}

rr_status rr_xlsx_next(rr_xlsx *x, const rr_xlsx_row **row, rr_error *err)
{
    int ret;
    char *t = NULL;
    long s = -1, col = 0;
    int in_c = 0, in_v = 0, in_is = 0, in_t = 0, rph = 0;
    rr_status st = RR_OK;
    *row = NULL;
    if (x->done) return RR_OK;
    row_reset(x);
    while ((ret = xmlTextReaderRead(x->rd)) == 1) {
        int nt = xmlTextReaderNodeType(x->rd);
        if (nt == XML_READER_TYPE_ELEMENT) {
            int empty = xmlTextReaderIsEmptyElement(x->rd);
            if (is_name(x->rd, "row")) {
                char *r = attr(x->rd, "r");
                long v = r ? strtol(r, NULL, 10) : x->rownum + 1;
                free(r);
                if (v <= x->rownum || v > MAX_ROWS) {
                    x->rownum = x->rownum + 1;
                    st = cell_error(x, 0, err, "row number out of order or past Excel's last row", NULL);
                    goto out;
                }
                x->rownum = v;
                row_reset(x);
            } else if (is_name(x->rd, "c")) {
                char *r = attr(x->rd, "r");
                long rr = x->rownum;
                col = x->col + 1;
                if (r && !parse_ref(r, &col, &rr)) {
                    free(r);
                    st = cell_error(x, x->col + 1, err, "not a cell reference in the sheet's XML", NULL);
                    goto out;
                }
                free(r);
                if (col < 1 || col > MAX_COLUMNS) {
                    st = cell_error(x, x->col + 1, err, "column past Excel's last column (XFD)", NULL);
                    goto out;
                }
                free(t);
                t = attr(x->rd, "t");
                char *sv = attr(x->rd, "s");
                s = sv ? strtol(sv, NULL, 10) : -1;
                free(sv);
                rr_strbuf_reset(&x->val);
                x->col = col;
                in_c = !empty;
                in_v = in_is = in_t = rph = 0;
            } else if (in_c && is_name(x->rd, "v")) {
                in_v = !empty;
            } else if (in_c && is_name(x->rd, "is")) {
                in_is = !empty;
            } else if (in_is && is_name(x->rd, "rPh")) {
                if (!empty) rph++;
            } else if (in_is && is_name(x->rd, "t")) {
                in_t = !empty;
            }
        } else if (nt == XML_READER_TYPE_END_ELEMENT) {
            if (in_c && is_name(x->rd, "c")) {
                in_c = 0;
                if (x->val.len || (t && !strcmp(t, "inlineStr")))
                    if ((st = cell_store(x, col, t, s, err))) goto out;
            } else if (is_name(x->rd, "v")) in_v = 0;
            else if (is_name(x->rd, "is")) in_is = 0;
            else if (is_name(x->rd, "t")) in_t = 0;
            else if (is_name(x->rd, "rPh") && rph) rph--;
            else if (is_name(x->rd, "row")) {
                if (x->ncells) { row_publish(x); *row = &x->out; goto out; }
            } else if (is_name(x->rd, "sheetData")) {
                break;
            }
        } else if (nt == XML_READER_TYPE_TEXT || nt == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                   nt == XML_READER_TYPE_CDATA) {
            if (in_v || (in_is && in_t && !rph)) {
                const xmlChar *v = xmlTextReaderConstValue(x->rd);
                if (v) rr_strbuf_adds(&x->val, (const char *)v);
                if (x->val.len > MAX_ROW_BYTES) {
                    st = cell_error(x, col, err, "cell longer than 16 MiB", NULL);
                    goto out;
                }
            }
        }
    }
    if (ret < 0) {
        char where[400];
        char ref[32];
        rr_xlsx_cellref(in_c ? col : 0, x->rownum, ref, sizeof ref);
        snprintf(where, sizeof where, ": sheet '%s'%s%s", x->sheet, x->rownum ? (in_c ? " cell " : " ") : "",
                 x->rownum ? ref : "");
        st = part_error(x, &x->src, x->sheet_part, where, err);
        goto out;
    }
    x->done = 1;
    if (x->ncells) { row_publish(x); *row = &x->out; }   /* a row the XML never closed */
out:
    free(t);
    return st;
}
