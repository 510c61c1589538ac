/* html.c: the HTML writer: template (XHTML + urn:revreport placeholders)
 * + rr_doc -> one self-contained HTML5 page, built and escaped by libxml2.
 *
 *   rr_strbuf page = {0};
 *   if (rr_html_to_buffer(doc, "templates", &page, &err) == RR_OK) use(page.data);
 *   rr_strbuf_free(&page);
 *
 * How: the template is parsed as XML with no network, no DTD loading and no
 * entity substitution; its elements are copied into a fresh HTML document
 * without namespaces (HTML5 needs none, not even for inline SVG), dropping
 * anything that could run code or fetch a resource (scripts, event
 * attributes, links to anything but "#..." or "data:image/...").  Each
 * <rr:*> placeholder is replaced by generated nodes.  Chart SVG from cairo is
 * parsed and imported the same way, with every id and reference prefixed
 * per chart.  libxml2's HTML serialiser writes the page: void elements
 * without end tag, every other element with one (never <div/>). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "revreport/html.h"
#include "revreport/htmlsafe.h"
#include "revreport/xalloc.h"

#define RR_NS "urn:revreport"
#define MAX_TEMPLATE (4u << 20)
#define MAX_CSS (1u << 20)
#define MAX_LOGO (2u << 20)

typedef struct {
    const rr_doc *doc;
    const char *dir;
    rr_error *err;
    char tpl_path[1024];
    xmlDocPtr out;
    char **sec_ids;            /* html id per doc section ("sec-summary") */
    unsigned char *explicit_;  /* section placed by <rr:section id="..."/> */
    int banner_done;           /* the doc's banner is on the page (<rr:banner/> or before the first section) */
    size_t *order;             /* doc section indices in page order */
    size_t norder;
    size_t nchart;             /* charts rendered so far: id prefixes c1-, c2-, ... */
    size_t nids;               /* other generated ids */
} html_ctx;

/* ---- small helpers --------------------------------------------------- */

/* The writer's own labels: the doc's catalogue, English when it has none. */
static const char *tr(const html_ctx *c, const char *key, const char *english)
{
    const char *s = rr_doc_tr(c->doc, key);
    return (s && *s && strcmp(s, key) != 0) ? s : english;
}

static xmlNodePtr add_el(html_ctx *c, xmlNodePtr parent, const char *name, const char *cls)
{
    xmlNodePtr n = xmlNewDocNode(c->out, NULL, BAD_CAST name, NULL);
    if (cls) xmlNewProp(n, BAD_CAST "class", BAD_CAST cls);
    if (parent) xmlAddChild(parent, n);
    return n;
}

static void add_text(html_ctx *c, xmlNodePtr parent, const char *text)
{
    if (text && *text) xmlAddChild(parent, xmlNewDocText(c->out, BAD_CAST text));
}

/* An element holding escaped text. */
static xmlNodePtr add_tel(html_ctx *c, xmlNodePtr parent, const char *name, const char *cls,
                          const char *text)
{
    xmlNodePtr n = add_el(c, parent, name, cls);
    add_text(c, n, text);
    return n;
}

static void set_attr(xmlNodePtr n, const char *name, const char *value)
{
    xmlSetProp(n, BAD_CAST name, BAD_CAST value);
}

/* "sec-" + id reduced to [A-Za-z0-9_-]. */
static char *make_id(const char *prefix, const char *id)
{
    size_t pl = strlen(prefix), n = id ? strlen(id) : 0;
    char *s = rr_xmalloc(pl + n + 1);
    memcpy(s, prefix, pl);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)id[i];
        s[pl + i] = (isalnum(ch) && ch < 128) || ch == '-' || ch == '_' ? (char)ch : '-';
    }
    s[pl + n] = 0;
    return s;
}

static rr_status slurp(html_ctx *c, const char *path, size_t max, rr_strbuf *out,
                       rr_status st_missing)
{
    rr_status st = RR_OK;
    FILE *f = fopen(path, "rb");
    if (!f) return rr_error_set(c->err, st_missing, path, 0, 0, NULL, "cannot open: %s",
                                strerror(errno));
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (out->len + n > max) {
            st = rr_error_set(c->err, RR_ERR_LIMIT, path, 0, 0, NULL,
                              "file larger than %zu bytes", (size_t)max);
            goto out;
        }
        rr_strbuf_add(out, buf, n);
    }
    if (ferror(f)) st = rr_error_set(c->err, RR_ERR_IO, path, 0, 0, NULL, "read error");
    if (!out->data) rr_strbuf_add(out, "", 0);
out:
    fclose(f);
    return st;
}

/* Prefix the ids referenced by "#id" and "url(#id)" in an SVG attribute. */
static char *prefix_refs(const char *v, const char *prefix)
{
    rr_strbuf b = {0};
    const char *p = v;
    if (*p == '#') {
        rr_strbuf_add(&b, "#", 1);
        rr_strbuf_adds(&b, prefix);
        p++;
    }
    for (const char *q; (q = strstr(p, "url(#")) != NULL; p = q + 5) {
        rr_strbuf_add(&b, p, (size_t)(q - p) + 5);
        rr_strbuf_adds(&b, prefix);
    }
    rr_strbuf_adds(&b, p);
    return rr_strbuf_steal(&b);
}

/* ---- copying template / SVG nodes into the page ---------------------- */

static rr_status expand_placeholder(html_ctx *c, xmlNodePtr src, xmlNodePtr parent);

/* Copy src's attributes onto dst (no namespaces; xlink:href becomes href).
 * idprefix != NULL: SVG import, ids and references get the prefix. */
static void copy_attrs(xmlNodePtr src, xmlNodePtr dst, const char *idprefix)
{
    const char *elem = (const char *)dst->name;
    for (xmlAttrPtr a = src->properties; a; a = a->next) {
        char name[128];
        if (a->ns && a->ns->href && strcmp((const char *)a->ns->href, RR_NS) == 0) continue;
        if (a->ns && a->ns->prefix && strcmp((const char *)a->ns->prefix, "xlink") != 0)
            snprintf(name, sizeof name, "%s:%s", (const char *)a->ns->prefix,
                     (const char *)a->name);
        else
            snprintf(name, sizeof name, "%s", (const char *)a->name);
        xmlChar *v = xmlNodeListGetString(src->doc, a->children, 1);
        const char *val = v ? (const char *)v : "";
        const char *canon = rr_htmlsafe_attr(elem, name, val);
        if (canon) {
            snprintf(name, sizeof name, "%s", strcmp(canon, "xlink:href") == 0 ? "href" : canon);
            if (idprefix && strcmp(name, "id") == 0) {
                char *id = rr_xasprintf("%s%s", idprefix, val);
                set_attr(dst, "id", id);
                free(id);
            } else if (idprefix) {
                char *nv = prefix_refs(val, idprefix);
                set_attr(dst, name, nv);
                free(nv);
            } else {
                set_attr(dst, name, val);
            }
        }
        xmlFree(v);
    }
}

static int is_named(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static rr_status copy_node(html_ctx *c, xmlNodePtr n, xmlNodePtr dst, const char *idprefix);

/* dst is an <svg> element or inside one */
static int inside_svg(xmlNodePtr dst)
{
    for (; dst && dst->type == XML_ELEMENT_NODE; dst = dst->parent)
        if (strcmp((const char *)dst->name, "svg") == 0) return 1;
    return 0;
}

/* Copy the children of src under dst. */
static rr_status copy_children(html_ctx *c, xmlNodePtr src, xmlNodePtr dst, const char *idprefix)
{
    rr_status st = RR_OK;
    for (xmlNodePtr n = src->children; n && st == RR_OK; n = n->next)
        st = copy_node(c, n, dst, idprefix);
    return st;
}

/* Copy one template node (idprefix NULL) or SVG node under dst. */
static rr_status copy_node(html_ctx *c, xmlNodePtr n, xmlNodePtr dst, const char *idprefix)
{
    rr_status st = RR_OK;
    switch (n->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE: {
        const char *t = (const char *)n->content;
        if (!t) break;
        if (is_named(dst, "style")) {
            if (!rr_htmlsafe_css(t)) {
                st = rr_error_set(c->err, RR_ERR_CONFIG, c->tpl_path, xmlGetLineNo(n), 0,
                                  NULL, "a <style> in the template loads external content");
                break;
            }
            if (idprefix) {
                char *nt = prefix_refs(t, idprefix);
                add_text(c, dst, nt);
                free(nt);
                break;
            }
        }
        add_text(c, dst, t);
        break;
    }
    case XML_ENTITY_REF_NODE:
        st = rr_error_set(c->err, RR_ERR_CONFIG, c->tpl_path, xmlGetLineNo(n), 0, NULL,
                          "entity &%s; is not allowed in a template", (const char *)n->name);
        break;
    case XML_ELEMENT_NODE: {
        if (!idprefix && n->ns && n->ns->href &&
            strcmp((const char *)n->ns->href, RR_NS) == 0) {
            st = expand_placeholder(c, n, dst);
            break;
        }
        /* allow-listed elements only, compared without regard to case and
         * written in their canonical spelling; anything else is dropped
         * with its content */
        const char *name = rr_htmlsafe_element((const char *)n->name, idprefix != NULL || inside_svg(dst));
        if (!name) break;
        xmlNodePtr e = add_el(c, dst, name, NULL);
        copy_attrs(n, e, idprefix);
        if (!idprefix && strcmp(name, "html") == 0)
            set_attr(e, "lang", c->doc->lang ? c->doc->lang : "en");
        if (!idprefix && strcmp(name, "head") == 0) {
            xmlNodePtr m = add_el(c, e, "meta", NULL);
            set_attr(m, "charset", "utf-8");
            m = add_el(c, e, "meta", NULL);
            set_attr(m, "name", "viewport");
            set_attr(m, "content", "width=device-width, initial-scale=1");
        }
        st = copy_children(c, n, e, idprefix);
        break;
    }
    default:           /* comments, processing instructions, DTD: dropped */
        break;
    }
    return st;
}

/* ---- generated content ----------------------------------------------- */

static rr_status add_css(html_ctx *c, xmlNodePtr src, xmlNodePtr parent)
{
    rr_status st;
    rr_strbuf css = {0};
    xmlChar *file = xmlGetProp(src, BAD_CAST "file");
    const char *fname = file ? (const char *)file : "report.css";
    char path[1200];
    if (!*fname || strchr(fname, '/') || strchr(fname, '\\') || fname[0] == '.') {
        st = rr_error_set(c->err, RR_ERR_CONFIG, c->tpl_path, xmlGetLineNo(src), 0, NULL,
                          "<rr:css file=\"%s\"/>: a plain file name in the template folder is "
                          "expected", fname);
        goto out;
    }
    snprintf(path, sizeof path, "%s/%s", c->dir, fname);
    st = slurp(c, path, MAX_CSS, &css, RR_ERR_CONFIG);
    if (st != RR_OK) goto out;
    if (!rr_htmlsafe_css(css.data)) {
        st = rr_error_set(c->err, RR_ERR_CONFIG, path, 0, 0, NULL,
                          "the style sheet uses a construct that can fetch or run something "
                          "(@import, url() to a file or address, image-set(), a function or "
                          "at-rule not on the allow-list of docs/security.md) or contains '</'; "
                          "the report must be self-contained");
        goto out;
    }
    add_tel(c, parent, "style", NULL, css.data);
out:
    xmlFree(file);
    rr_strbuf_free(&css);
    return st;
}

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void base64(rr_strbuf *out, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n) v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n) v |= p[i + 2];
        char q[4] = { b64chars[(v >> 18) & 63], b64chars[(v >> 12) & 63],
                      i + 1 < n ? b64chars[(v >> 6) & 63] : '=',
                      i + 2 < n ? b64chars[v & 63] : '=' };
        rr_strbuf_add(out, q, 4);
    }
}

static rr_status add_logo(html_ctx *c, xmlNodePtr parent)
{
    rr_status st = RR_OK;
    rr_strbuf img = {0}, uri = {0};
    const char *path = c->doc->logo_path;
    if (!path || !*path) return RR_OK;
    st = slurp(c, path, MAX_LOGO, &img, RR_ERR_IO);
    if (st != RR_OK) goto out;
    const char *mime;
    if (img.len >= 8 && memcmp(img.data, "\x89PNG\r\n\x1a\n", 8) == 0)
        mime = "image/png";
    else if (img.len > 3 && memcmp(img.data, "\xff\xd8\xff", 3) == 0)
        mime = "image/jpeg";
    else if (strstr(img.data, "<svg"))
        mime = "image/svg+xml";
    else {
        st = rr_error_set(c->err, RR_ERR_CONFIG, path, 0, 0, NULL,
                          "logo is not a PNG, JPEG or SVG file");
        goto out;
    }
    rr_strbuf_printf(&uri, "data:%s;base64,", mime);
    base64(&uri, (const unsigned char *)img.data, img.len);
    xmlNodePtr n = add_el(c, parent, "img", "rr-logo");
    set_attr(n, "src", uri.data);
    set_attr(n, "alt", c->doc->company ? c->doc->company : "");
out:
    rr_strbuf_free(&img);
    rr_strbuf_free(&uri);
    return st;
}

static void add_toc(html_ctx *c, xmlNodePtr parent)
{
    if (c->norder == 0) return;
    xmlNodePtr nav = add_el(c, parent, "nav", "rr-toc");
    set_attr(nav, "aria-labelledby", "rr-toc-title");
    xmlNodePtr h = add_tel(c, nav, "h2", "rr-toc-title", tr(c, "html.contents", "Contents"));
    set_attr(h, "id", "rr-toc-title");
    xmlNodePtr ol = add_el(c, nav, "ol", NULL);
    for (size_t i = 0; i < c->norder; i++) {
        size_t k = c->order[i];
        xmlNodePtr li = add_el(c, ol, "li", NULL);
        char *href = rr_xasprintf("#%s", c->sec_ids[k]);
        xmlNodePtr a = add_tel(c, li, "a", NULL, c->doc->sections[k].title);
        set_attr(a, "href", href);
        free(href);
    }
}

static void fmt_value(const html_ctx *c, double v, const rr_chart *ch, char *out, size_t cap)
{
    if (isnan(v)) {
        snprintf(out, cap, "%s", "\xe2\x80\x93");   /* en dash */
        return;
    }
    const rr_chart_env *env = &c->doc->chart_env;
    if (env->format) {
        out[0] = 0;
        env->format(env->format_ud, v, ch->unit, ch->currency, 0, out, cap);
    } else {
        snprintf(out, cap, "%.10g", v);
    }
}

static void add_sparkline(html_ctx *c, xmlNodePtr parent, const rr_kpi *k)
{
    const double W = 120, H = 32, pad = 3;
    double lo = INFINITY, hi = -INFINITY;
    size_t nok = 0;
    for (size_t i = 0; i < k->nspark; i++)
        if (isfinite(k->spark[i])) {
            lo = fmin(lo, k->spark[i]);
            hi = fmax(hi, k->spark[i]);
            nok++;
        }
    if (k->nspark < 2 || nok < 2) return;
    if (hi - lo < 1e-12) { lo -= 1; hi += 1; }
    rr_strbuf line = {0}, area = {0};
    double first_x = -1, last_x = 0;
    for (size_t i = 0; i < k->nspark; i++) {
        if (!isfinite(k->spark[i])) continue;
        double x = pad + (W - 2 * pad) * (double)i / (double)(k->nspark - 1);
        double y = pad + (H - 2 * pad) * (1.0 - (k->spark[i] - lo) / (hi - lo));
        rr_strbuf_printf(&line, "%s%.1f,%.1f", line.len ? " " : "", x, y);
        if (first_x < 0) first_x = x;
        last_x = x;
    }
    rr_strbuf_printf(&area, "%.1f,%.1f %s %.1f,%.1f", first_x, H, line.data, last_x, H);
    xmlNodePtr svg = add_el(c, parent, "svg", "rr-spark");
    char vb[64];
    snprintf(vb, sizeof vb, "0 0 %g %g", W, H);
    set_attr(svg, "viewBox", vb);
    set_attr(svg, "preserveAspectRatio", "none");
    set_attr(svg, "aria-hidden", "true");
    set_attr(svg, "focusable", "false");
    xmlNodePtr poly = add_el(c, svg, "polygon", "rr-spark-area");
    set_attr(poly, "points", area.data);
    xmlNodePtr pl = add_el(c, svg, "polyline", "rr-spark-line");
    set_attr(pl, "points", line.data);
    set_attr(pl, "vector-effect", "non-scaling-stroke");
    rr_strbuf_free(&line);
    rr_strbuf_free(&area);
}

static void add_kpis(html_ctx *c, xmlNodePtr parent, const rr_block *b)
{
    xmlNodePtr grid = add_el(c, parent, "div", "rr-kpis");
    for (size_t i = 0; i < b->nkpis; i++) {
        const rr_kpi *k = &b->kpis[i];
        const char *tone = k->good > 0 ? "rr-good" : k->good < 0 ? "rr-bad" : "rr-neutral";
        xmlNodePtr card = add_el(c, grid, "article", "rr-kpi");
        add_tel(c, card, "h3", "rr-kpi-label", k->label);
        add_tel(c, card, "p", "rr-kpi-value", k->value);
        if (k->delta && *k->delta) {
            char cls[64];
            snprintf(cls, sizeof cls, "rr-kpi-delta %s", tone);
            xmlNodePtr d = add_el(c, card, "p", cls);
            xmlNodePtr arrow = add_tel(c, d, "span", "rr-arrow",
                                       k->trend > 0 ? "\xe2\x96\xb2" : k->trend < 0
                                       ? "\xe2\x96\xbc" : "\xe2\x96\xb6");
            set_attr(arrow, "aria-hidden", "true");
            add_tel(c, d, "span", NULL, k->delta);
        }
        if (k->spark) add_sparkline(c, card, k);
        if (k->note && *k->note) add_tel(c, card, "p", "rr-kpi-note", k->note);
    }
}

static const char *align_class(rr_align a)
{
    return a == RR_ALIGN_RIGHT ? "rr-num" : a == RR_ALIGN_CENTER ? "rr-ctr" : NULL;
}

/* A scrollable region holding a table; returns the <table>. */
static xmlNodePtr add_table_shell(html_ctx *c, xmlNodePtr parent, const char *caption)
{
    xmlNodePtr wrap = add_el(c, parent, "div", "rr-table-wrap");
    xmlNodePtr t = add_el(c, wrap, "table", "rr-table");
    if (caption && *caption) {
        char *id = rr_xasprintf("rr-cap-%zu", ++c->nids);
        xmlNodePtr cap = add_tel(c, t, "caption", NULL, caption);
        set_attr(cap, "id", id);
        set_attr(wrap, "role", "region");
        set_attr(wrap, "aria-labelledby", id);
        set_attr(wrap, "tabindex", "0");
        free(id);
    }
    return t;
}

static void add_table(html_ctx *c, xmlNodePtr parent, const rr_table *tb)
{
    xmlNodePtr t = add_table_shell(c, parent, tb->caption);
    xmlNodePtr tr_ = add_el(c, add_el(c, t, "thead", NULL), "tr", NULL);
    for (size_t j = 0; j < tb->ncols; j++) {
        xmlNodePtr th = add_tel(c, tr_, "th", align_class(tb->align[j]), tb->headers[j]);
        set_attr(th, "scope", "col");
    }
    xmlNodePtr body = add_el(c, t, "tbody", NULL);
    for (size_t i = 0; i < tb->nrows; i++) {
        rr_row_kind rk = tb->row_kind[i];
        xmlNodePtr row = add_el(c, body, "tr", rk == RR_ROW_TOTAL ? "rr-total"
                                : rk == RR_ROW_MUTED ? "rr-muted" : NULL);
        for (size_t j = 0; j < tb->ncols; j++) {
            xmlNodePtr cell = add_tel(c, row, j == 0 ? "th" : "td", align_class(tb->align[j]),
                                      tb->cells[i * tb->ncols + j]);
            if (j == 0) set_attr(cell, "scope", "row");
            rr_tone tn = rr_table_cell_tone(tb, i, j);
            if (tn != RR_TONE_NONE)
                set_attr(cell, "data-tone", tn == RR_TONE_GOOD ? "good" : tn == RR_TONE_WARN ? "warn" : "bad");
        }
    }
}

/* The chart's numbers as a table: categories down, series across. */
static void add_chart_data(html_ctx *c, xmlNodePtr parent, const rr_chart *ch,
                           const char *caption)
{
    xmlNodePtr det = add_el(c, parent, "details", "rr-chart-data");
    add_tel(c, det, "summary", NULL, tr(c, "html.data_table", "Data"));
    xmlNodePtr t = add_table_shell(c, det, caption);
    xmlNodePtr row = add_el(c, add_el(c, t, "thead", NULL), "tr", NULL);
    set_attr(add_tel(c, row, "th", NULL, ch->x_title ? ch->x_title
                     : tr(c, "html.category", "Category")), "scope", "col");
    for (size_t s = 0; s < ch->nseries; s++)
        set_attr(add_tel(c, row, "th", "rr-num", ch->series[s].name), "scope", "col");
    xmlNodePtr body = add_el(c, t, "tbody", NULL);
    for (size_t i = 0; i < ch->ncat; i++) {
        row = add_el(c, body, "tr", NULL);
        set_attr(add_tel(c, row, "th", NULL, ch->categories[i]), "scope", "row");
        for (size_t s = 0; s < ch->nseries; s++) {
            const rr_series *se = &ch->series[s];
            char a[128], b2[128], cell[300];
            if (se->kind == RR_SERIES_BAND && se->lo && se->hi) {
                fmt_value(c, se->lo[i], ch, a, sizeof a);
                fmt_value(c, se->hi[i], ch, b2, sizeof b2);
                snprintf(cell, sizeof cell, "%s \xe2\x80\x93 %s", a, b2);
            } else {
                fmt_value(c, se->values ? se->values[i] : NAN, ch, cell, sizeof cell);
            }
            add_tel(c, row, "td", "rr-num", cell);
        }
    }
}

/* Chart sizes in layout px: a wide drawing for desktop and print, a compact
 * one for phones (CSS shows one of them), so chart text stays legible. */
#define CHART_W 960.0
#define CHART_H 380.0
#define CHART_COMPACT_W 360.0   /* about a phone's content width: text stays ~10 px */
#define CHART_COMPACT_H 320.0

/* Draw ch at w x h and import the SVG under parent; ids prefixed with prefix. */
static rr_status add_chart_svg(html_ctx *c, xmlNodePtr parent, const rr_chart *ch, double w,
                               double h, const char *id, const char *prefix, const char *cls,
                               const char *label)
{
    rr_status st = RR_OK;
    rr_strbuf svg = {0};
    xmlDocPtr sd = NULL;
    /* the title is the figure's HTML heading (it wraps on a phone): not drawn again */
    rr_chart untitled = *ch;
    untitled.title = NULL;
    st = rr_chart_render_svg(&untitled, w, h, &c->doc->chart_env, &svg);
    if (st != RR_OK || !svg.data) {
        st = rr_error_set(c->err, st != RR_OK ? st : RR_ERR_RENDER, NULL, 0, 0, NULL,
                          "chart \"%s\" could not be drawn as SVG", label);
        goto out;
    }
    sd = xmlReadMemory(svg.data, (int)svg.len, "chart.svg", "UTF-8",
                       XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNodePtr root = sd ? xmlDocGetRootElement(sd) : NULL;
    if (!root || strcmp((const char *)root->name, "svg") != 0) {
        st = rr_error_set(c->err, RR_ERR_RENDER, NULL, 0, 0, NULL,
                          "chart \"%s\": the chart module's SVG is not well-formed", label);
        goto out;
    }
    xmlNodePtr s = add_el(c, parent, "svg", NULL);
    copy_attrs(root, s, prefix);
    xmlUnsetProp(s, BAD_CAST "width");
    xmlUnsetProp(s, BAD_CAST "height");
    if (!xmlHasProp(s, BAD_CAST "viewBox")) {
        char vb[64];
        snprintf(vb, sizeof vb, "0 0 %g %g", w, h);
        set_attr(s, "viewBox", vb);
    }
    set_attr(s, "id", id);
    set_attr(s, "class", cls);
    set_attr(s, "role", "img");
    set_attr(s, "aria-label", label);
    set_attr(s, "focusable", "false");
    st = copy_children(c, root, s, prefix);
out:
    xmlFreeDoc(sd);
    rr_strbuf_free(&svg);
    return st;
}

static rr_status add_chart(html_ctx *c, xmlNodePtr parent, const rr_block *b)
{
    rr_status st = RR_OK;
    const rr_chart *ch = b->chart;
    if (!ch) return RR_OK;
    /* heading: the chart's title (HTML text, wraps); the caption below the drawing */
    const char *caption = b->text && *b->text ? b->text : NULL;
    const char *title = ch->title && *ch->title ? ch->title : caption ? caption : "";
    const char *label = title;
    if (caption && strcmp(caption, title) == 0) caption = NULL;
    double w = CHART_W, h = CHART_H, cw = CHART_COMPACT_W, chh = CHART_COMPACT_H;
    if (ch->kind == RR_CHART_HBAR) {
        h = fmin(760, fmax(260, 70 + 30.0 * (double)ch->ncat));
        chh = fmin(900, fmax(260, 70 + 34.0 * (double)ch->ncat));
    }
    if (ch->kind == RR_CHART_DONUT) { w = 720; h = 360; }
    size_t n = ++c->nchart;
    char prefix[32], cprefix[32], id[32], cid[40], hid[40];
    snprintf(prefix, sizeof prefix, "c%zu-", n);
    snprintf(cprefix, sizeof cprefix, "c%zus-", n);
    snprintf(id, sizeof id, "chart-%zu", n);
    snprintf(cid, sizeof cid, "chart-%zu-compact", n);
    snprintf(hid, sizeof hid, "chart-%zu-title", n);

    xmlNodePtr block = add_el(c, parent, "div", "rr-chart-block");
    xmlNodePtr fig = add_el(c, block, "figure", "rr-chart");
    set_attr(fig, "aria-labelledby", hid);
    set_attr(add_tel(c, fig, "h3", "rr-chart-title", title), "id", hid);
    xmlNodePtr box = add_el(c, fig, "div", "rr-chart-svg");
    st = add_chart_svg(c, box, ch, w, h, id, prefix, "rr-svg rr-svg-wide", label);
    if (st == RR_OK)
        st = add_chart_svg(c, box, ch, cw, chh, cid, cprefix, "rr-svg rr-svg-compact", label);
    if (st == RR_OK && caption) add_tel(c, fig, "figcaption", "rr-chart-caption", caption);
    if (st == RR_OK) add_chart_data(c, block, ch, title);
    return st;
}

/* The doc's page-1 warning (stale inputs), once: <aside class="rr-banner" role="alert">. */
static void add_banner(html_ctx *c, xmlNodePtr parent)
{
    if (c->banner_done || !c->doc->banner || !*c->doc->banner) return;
    c->banner_done = 1;
    xmlNodePtr box = add_tel(c, parent, "aside", "rr-banner", c->doc->banner);
    set_attr(box, "role", "alert");
}

static rr_status add_section(html_ctx *c, xmlNodePtr parent, size_t k)
{
    rr_status st = RR_OK;
    const rr_doc_section *sec = &c->doc->sections[k];
    char *cls = make_id("rr-section rr-section-", sec->id);
    add_banner(c, parent);   /* a template without <rr:banner/>: before the first section */
    xmlNodePtr s = add_el(c, parent, "section", cls);
    free(cls);
    char *hid = rr_xasprintf("%s-title", c->sec_ids[k]);
    set_attr(s, "id", c->sec_ids[k]);
    set_attr(s, "aria-labelledby", hid);
    set_attr(add_tel(c, s, "h2", "rr-section-title", sec->title), "id", hid);
    free(hid);
    for (size_t i = 0; i < sec->nblocks && st == RR_OK; i++) {
        const rr_block *b = &sec->blocks[i];
        switch (b->kind) {
        case RR_BLOCK_PARA:
            add_tel(c, s, "p", b->note ? "rr-para rr-note" : "rr-para", b->text);
            break;
        case RR_BLOCK_LIST: {
            xmlNodePtr ul = add_el(c, s, "ul", "rr-list");
            for (size_t j = 0; j < b->nitems; j++) add_tel(c, ul, "li", NULL, b->items[j]);
            break;
        }
        case RR_BLOCK_WARN: {
            xmlNodePtr box = add_el(c, s, "aside", "rr-warnings");
            add_tel(c, box, "h3", "rr-warnings-title", tr(c, "html.warnings", "Please note"));
            xmlNodePtr ul = add_el(c, box, "ul", NULL);
            for (size_t j = 0; j < b->nitems; j++) add_tel(c, ul, "li", NULL, b->items[j]);
            break;
        }
        case RR_BLOCK_KPIS:
            add_kpis(c, s, b);
            break;
        case RR_BLOCK_TABLE:
            if (b->table) add_table(c, s, b->table);
            break;
        case RR_BLOCK_CHART:
            st = add_chart(c, s, b);
            break;
        case RR_BLOCK_STATUS: {   /* the status in colour and in words */
            xmlNodePtr p = add_el(c, s, "p", b->status == 1 ? "rr-status rr-status-good" :
                                              b->status == 2 ? "rr-status rr-status-warn" : "rr-status rr-status-bad");
            add_tel(c, p, "strong", "rr-status-word", b->nitems ? b->items[0] : "");
            add_tel(c, p, "span", "rr-status-text", b->text);
            break;
        }
        case RR_BLOCK_SUBHEAD:
            add_tel(c, s, "h3", "rr-subhead", b->text);
            break;
        }
    }
    return st;
}

static rr_status expand_placeholder(html_ctx *c, xmlNodePtr src, xmlNodePtr parent)
{
    const rr_doc *d = c->doc;
    const char *name = (const char *)src->name;
    rr_status st = RR_OK;
    if (strcmp(name, "css") == 0) return add_css(c, src, parent);
    if (strcmp(name, "title") == 0) { add_text(c, parent, d->title); return RR_OK; }
    if (strcmp(name, "company") == 0) { add_text(c, parent, d->company); return RR_OK; }
    if (strcmp(name, "period") == 0) { add_text(c, parent, d->period_label); return RR_OK; }
    if (strcmp(name, "generated") == 0) { add_text(c, parent, d->generated); return RR_OK; }
    if (strcmp(name, "confidentiality") == 0) {
        add_text(c, parent, d->confidentiality);
        return RR_OK;
    }
    if (strcmp(name, "logo") == 0) return add_logo(c, parent);
    if (strcmp(name, "toc") == 0) { add_toc(c, parent); return RR_OK; }
    if (strcmp(name, "banner") == 0) { add_banner(c, parent); return RR_OK; }
    if (strcmp(name, "section") == 0) {
        xmlChar *id = xmlGetProp(src, BAD_CAST "id");
        for (size_t k = 0; id && k < d->nsections && st == RR_OK; k++)
            if (strcmp(d->sections[k].id, (const char *)id) == 0) {
                st = add_section(c, parent, k);
                break;
            }
        xmlFree(id);
        return st;
    }
    if (strcmp(name, "sections") == 0) {
        for (size_t k = 0; k < d->nsections && st == RR_OK; k++)
            if (!c->explicit_[k]) st = add_section(c, parent, k);
        return st;
    }
    return rr_error_set(c->err, RR_ERR_CONFIG, c->tpl_path, xmlGetLineNo(src), 0, NULL,
                        "unknown placeholder <rr:%s/> (see docs/templates.md)", name);
}

/* ---- section order: a pass over the template before rendering -------- */

static int is_rr(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, RR_NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

/* Place section k on the page once: a template that names a section twice,
 * or holds <rr:sections/> twice, shows it at its first place (found by
 * fuzz_template: the order array overflowed). */
static void order_add(html_ctx *c, size_t k)
{
    for (size_t i = 0; i < c->norder; i++)
        if (c->order[i] == k) return;
    c->order[c->norder++] = k;
}

/* pass 0: mark sections named by <rr:section id>; pass 1: record page order. */
static void plan_sections(html_ctx *c, xmlNodePtr n, int pass)
{
    const rr_doc *d = c->doc;
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (is_rr(n, "section")) {
            xmlChar *id = xmlGetProp(n, BAD_CAST "id");
            for (size_t k = 0; id && k < d->nsections; k++)
                if (strcmp(d->sections[k].id, (const char *)id) == 0) {
                    if (pass == 0) c->explicit_[k] = 1;
                    else order_add(c, k);
                    break;
                }
            xmlFree(id);
        } else if (is_rr(n, "sections") && pass == 1) {
            for (size_t k = 0; k < d->nsections; k++)
                if (!c->explicit_[k]) order_add(c, k);
        }
        plan_sections(c, n->children, pass);
    }
}

/* ---- the writer ------------------------------------------------------ */

static rr_status load_template(html_ctx *c, xmlDocPtr *out)
{
    rr_status st = RR_OK;
    rr_strbuf src = {0};
    xmlParserCtxtPtr pc = NULL;
    *out = NULL;
    st = slurp(c, c->tpl_path, MAX_TEMPLATE, &src, RR_ERR_CONFIG);
    if (st != RR_OK) goto out;
    pc = xmlNewParserCtxt();
    if (!pc) { st = rr_error_set(c->err, RR_ERR_INTERNAL, NULL, 0, 0, NULL, "libxml2 context"); goto out; }
    /* no XML_PARSE_NOENT (no entity substitution), no DTDLOAD / DTDATTR, no network */
    *out = xmlCtxtReadMemory(pc, src.data, (int)src.len, c->tpl_path, "UTF-8",
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                             XML_PARSE_NOCDATA);
    if (!*out) {
        xmlErrorPtr e = xmlCtxtGetLastError(pc);
        char msg[400] = "not well-formed XML";
        if (e && e->message) {
            snprintf(msg, sizeof msg, "%s", e->message);
            size_t l = strlen(msg);
            while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' ')) msg[--l] = 0;
        }
        st = rr_error_set(c->err, RR_ERR_CONFIG, c->tpl_path, e ? e->line : 0,
                          e ? e->int2 : 0, NULL, "template: %s", msg);
        goto out;
    }
    if ((*out)->intSubset && (*out)->intSubset->children) {
        st = rr_error_set(c->err, RR_ERR_CONFIG, c->tpl_path, 1, 0, NULL,
                          "template: a DOCTYPE with declarations is not allowed (write no "
                          "DOCTYPE; the writer emits <!DOCTYPE html>)");
        goto out;
    }
    xmlNodePtr root = xmlDocGetRootElement(*out);
    if (!root || strcmp((const char *)root->name, "html") != 0) {
        st = rr_error_set(c->err, RR_ERR_CONFIG, c->tpl_path, 1, 0, NULL,
                          "template: the root element must be <html>");
        goto out;
    }
out:
    if (st != RR_OK && *out) { xmlFreeDoc(*out); *out = NULL; }
    if (pc) xmlFreeParserCtxt(pc);
    rr_strbuf_free(&src);
    return st;
}

rr_status rr_html_template_order(const rr_doc *doc, const char *template_dir, size_t *order, size_t *n,
                                 rr_error *err)
{
    html_ctx c = { .doc = doc, .dir = template_dir ? template_dir : ".", .err = err };
    size_t ns = doc->nsections;
    xmlDocPtr tpl = NULL;
    c.explicit_ = rr_xcalloc(ns ? ns : 1, 1);
    c.order = order;
    snprintf(c.tpl_path, sizeof c.tpl_path, "%s/report.html", c.dir);
    rr_status st = load_template(&c, &tpl);
    if (st == RR_OK) {
        plan_sections(&c, xmlDocGetRootElement(tpl), 0);
        plan_sections(&c, xmlDocGetRootElement(tpl), 1);
    }
    *n = c.norder;
    if (tpl) xmlFreeDoc(tpl);
    free(c.explicit_);
    return st;
}

rr_status rr_html_to_buffer(const rr_doc *doc, const char *template_dir, rr_strbuf *out,
                            rr_error *err)
{
    rr_status st = RR_OK;
    html_ctx c = { .doc = doc, .dir = template_dir ? template_dir : ".", .err = err };
    xmlDocPtr tpl = NULL;
    xmlOutputBufferPtr ob = NULL;
    size_t ns = doc->nsections;

    c.sec_ids = rr_xcalloc(ns ? ns : 1, sizeof *c.sec_ids);
    c.explicit_ = rr_xcalloc(ns ? ns : 1, 1);
    c.order = rr_xcalloc(ns ? ns : 1, sizeof *c.order);
    for (size_t k = 0; k < ns; k++) {
        c.sec_ids[k] = make_id("sec-", doc->sections[k].id);
        for (size_t j = 0; j < k; j++)
            if (strcmp(c.sec_ids[j], c.sec_ids[k]) == 0) {   /* duplicate id: number it */
                free(c.sec_ids[k]);
                c.sec_ids[k] = rr_xasprintf("sec-%zu", k + 1);
                break;
            }
    }
    snprintf(c.tpl_path, sizeof c.tpl_path, "%s/report.html", c.dir);
    st = load_template(&c, &tpl);
    if (st != RR_OK) goto out;
    xmlNodePtr troot = xmlDocGetRootElement(tpl);
    plan_sections(&c, troot, 0);
    plan_sections(&c, troot, 1);

    c.out = htmlNewDocNoDtD(NULL, NULL);
    xmlCreateIntSubset(c.out, BAD_CAST "html", NULL, NULL);
    /* copy the root into a holder, then make it the page's root */
    xmlNodePtr holder = xmlNewDocNode(c.out, NULL, BAD_CAST "holder", NULL);
    st = copy_node(&c, troot, holder, NULL);
    xmlNodePtr html = holder->children;
    if (st == RR_OK && html) {
        xmlUnlinkNode(html);
        xmlDocSetRootElement(c.out, html);
    }
    xmlFreeNode(holder);
    if (st != RR_OK) goto out;

    ob = xmlAllocOutputBuffer(NULL);
    if (!ob) { st = rr_error_set(err, RR_ERR_INTERNAL, NULL, 0, 0, NULL, "libxml2 buffer"); goto out; }
    htmlDocContentDumpFormatOutput(ob, c.out, "UTF-8", 1);
    xmlOutputBufferFlush(ob);
    if (ob->error) {
        st = rr_error_set(err, RR_ERR_RENDER, NULL, 0, 0, NULL, "HTML serialisation failed");
        goto out;
    }
    /* what a browser parses is what was checked: parse the page as HTML
     * (names without regard to case) and check it against the allow-lists */
    char bad[160];
    if (!rr_htmlsafe_check_page((const char *)xmlOutputBufferGetContent(ob), xmlOutputBufferGetSize(ob), bad,
                                sizeof bad)) {
        st = rr_error_set(err, RR_ERR_CONFIG, c.tpl_path, 0, 0, NULL,
                          "the page would hold %s, which is not allowed (docs/security.md): refused", bad);
        goto out;
    }
    rr_strbuf_add(out, xmlOutputBufferGetContent(ob), xmlOutputBufferGetSize(ob));
out:
    if (ob) xmlOutputBufferClose(ob);
    xmlFreeDoc(tpl);
    xmlFreeDoc(c.out);
    for (size_t k = 0; k < ns; k++) free(c.sec_ids[k]);
    free(c.sec_ids);
    free(c.explicit_);
    free(c.order);
    return st;
}

rr_status rr_html_write(const rr_doc *doc, const char *template_dir, const char *path,
                        rr_error *err)
{
    rr_strbuf page = {0};
    rr_status st = rr_html_to_buffer(doc, template_dir, &page, err);
    FILE *f = NULL;
    if (st != RR_OK) goto out;
    f = fopen(path, "wb");
    if (!f) {
        st = rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "cannot create: %s", strerror(errno));
        goto out;
    }
    if (fwrite(page.data, 1, page.len, f) != page.len) {
        st = rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "write error: %s", strerror(errno));
        goto out;
    }
out:
    if (f && fclose(f) != 0 && st == RR_OK)
        st = rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "write error: %s", strerror(errno));
    rr_strbuf_free(&page);
    return st;
}
