/* mailhtml.c: the e-mail bodies of a report (see mailhtml.h).  The HTML is
 * a tree built with libxml2 (which escapes every text and attribute) and
 * serialised by its HTML writer; the layout is what mail clients render
 * alike: nested presentation tables 640 px wide, inline styles only,
 * bgcolor/width attributes for Outlook, images referenced by cid:.
 *
 *   rr_mailhtml m;
 *   rr_mailhtml_build(doc, "Revenue marketing report — October 2026", NULL, &m, &err);
 *   rr_mailhtml_free(&m);
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include "revreport/i18n.h"
#include "revreport/mailhtml.h"
#include "revreport/xalloc.h"

#define FONT "font-family:Arial,Helvetica,sans-serif;"
#define INK "#1f2937"
#define MUTED "#6b7280"
#define LINE "#e5e7eb"
#define CHART_W 600.0
#define CHART_H 300.0
#define CHART_SCALE 2.0

typedef struct {
    const rr_doc *d;
    xmlDocPtr x;
    rr_mailhtml *m;
    rr_error *err;
} ctx;

static xmlNodePtr el(ctx *c, xmlNodePtr parent, const char *name, const char *style)
{
    xmlNodePtr n = xmlNewDocNode(c->x, NULL, BAD_CAST name, NULL);
    if (style) xmlNewProp(n, BAD_CAST "style", BAD_CAST style);
    xmlAddChild(parent, n);
    return n;
}

static xmlNodePtr tel(ctx *c, xmlNodePtr parent, const char *name, const char *style, const char *text)
{
    xmlNodePtr n = el(c, parent, name, style);
    if (text && *text) xmlAddChild(n, xmlNewDocText(c->x, BAD_CAST text));
    return n;
}

static void attr(xmlNodePtr n, const char *name, const char *value)
{
    xmlNewProp(n, BAD_CAST name, BAD_CAST value);
}

/* A presentation table: <table role="presentation" width=... cellpadding=0 ...>. */
static xmlNodePtr ptable(ctx *c, xmlNodePtr parent, const char *width, const char *style)
{
    xmlNodePtr t = el(c, parent, "table", style);
    attr(t, "role", "presentation");
    attr(t, "width", width);
    attr(t, "cellpadding", "0");
    attr(t, "cellspacing", "0");
    attr(t, "border", "0");
    return t;
}

/* One row with one cell of the 640 px card; returns the cell. */
static xmlNodePtr card_row(ctx *c, xmlNodePtr card, const char *style)
{
    xmlNodePtr tr = el(c, card, "tr", NULL);
    return el(c, tr, "td", style);
}

static void kpis(ctx *c, xmlNodePtr cell, const rr_block *b)
{
    xmlNodePtr t = ptable(c, cell, "100%", NULL);
    xmlNodePtr tr = NULL;
    for (size_t i = 0; i < b->nkpis; i++) {
        const rr_kpi *k = &b->kpis[i];
        if (i % 2 == 0) tr = el(c, t, "tr", NULL);
        xmlNodePtr td = el(c, tr, "td", "padding:4px;vertical-align:top;");
        attr(td, "width", "50%");
        attr(td, "valign", "top");
        xmlNodePtr tile = ptable(c, td, "100%", "border:1px solid " LINE ";background-color:#f9fafb;");
        attr(tile, "bgcolor", "#f9fafb");
        xmlNodePtr in = el(c, el(c, tile, "tr", NULL), "td", "padding:10px 12px;" FONT);
        tel(c, in, "div", "font-size:12px;line-height:16px;color:" MUTED ";", k->label);
        tel(c, in, "div", "font-size:22px;line-height:28px;font-weight:bold;color:" INK ";", k->value);
        if (k->delta && *k->delta) {
            const char *col = k->good > 0 ? "color:#047857;" : k->good < 0 ? "color:#b91c1c;" : "color:" MUTED ";";
            char style[128];
            snprintf(style, sizeof style, "font-size:13px;line-height:18px;%s", col);
            char *txt = rr_xasprintf("%s %s", k->trend > 0 ? "\xe2\x96\xb2" : k->trend < 0 ? "\xe2\x96\xbc" : "\xe2\x96\xb6",
                                     k->delta);
            tel(c, in, "div", style, txt);
            free(txt);
        }
        if (k->note && *k->note) tel(c, in, "div", "font-size:12px;line-height:16px;color:" MUTED ";", k->note);
    }
    if (b->nkpis % 2 == 1) {
        xmlNodePtr td = el(c, tr, "td", "padding:4px;");
        attr(td, "width", "50%");
    }
}

static void table(ctx *c, xmlNodePtr cell, const rr_table *t)
{
    if (t->caption && *t->caption)
        tel(c, cell, "p", "margin:12px 0 4px 0;font-size:14px;font-weight:bold;color:" INK ";" FONT, t->caption);
    /* wide tables scroll sideways on phones (Apple Mail, Gmail apps) instead of widening the page */
    xmlNodePtr wrap = el(c, cell, "div", "overflow-x:auto;");
    xmlNodePtr tb = el(c, wrap, "table", "border-collapse:collapse;width:100%;" FONT "font-size:13px;color:" INK ";");
    attr(tb, "width", "100%");
    attr(tb, "cellpadding", "0");
    attr(tb, "cellspacing", "0");
    attr(tb, "border", "0");
    xmlNodePtr tr = el(c, tb, "tr", NULL);
    for (size_t j = 0; j < t->ncols; j++) {
        const char *al = t->align[j] == RR_ALIGN_RIGHT ? "right" : t->align[j] == RR_ALIGN_CENTER ? "center" : "left";
        char style[160];
        snprintf(style, sizeof style, "padding:5px 6px;text-align:%s;background-color:#f3f4f6;"
                 "border-bottom:1px solid #d1d5db;font-weight:bold;", al);
        xmlNodePtr th = tel(c, tr, "th", style, t->headers[j]);
        attr(th, "align", al);
        attr(th, "bgcolor", "#f3f4f6");
    }
    for (size_t i = 0; i < t->nrows; i++) {
        tr = el(c, tb, "tr", NULL);
        for (size_t j = 0; j < t->ncols; j++) {
            const char *al = t->align[j] == RR_ALIGN_RIGHT ? "right" : t->align[j] == RR_ALIGN_CENTER ? "center" : "left";
            const char *kind = t->row_kind[i] == RR_ROW_TOTAL ? "font-weight:bold;border-top:2px solid #9ca3af;"
                             : t->row_kind[i] == RR_ROW_MUTED ? "color:" MUTED ";" : "";
            rr_tone tn = rr_table_cell_tone(t, i, j);
            const char *tone = tn == RR_TONE_GOOD ? "color:#17703a;font-weight:bold;"
                             : tn == RR_TONE_WARN ? "color:#b54708;font-weight:bold;"
                             : tn == RR_TONE_BAD ? "color:#b42318;font-weight:bold;" : "";
            char style[260];
            snprintf(style, sizeof style, "padding:4px 6px;text-align:%s;border-bottom:1px solid " LINE ";%s%s%s", al,
                     t->align[j] == RR_ALIGN_RIGHT ? "white-space:nowrap;" : "", kind, tone);
            xmlNodePtr td = tel(c, tr, "td", style, t->cells[i * t->ncols + j]);
            attr(td, "align", al);
        }
    }
}

static rr_status chart(ctx *c, xmlNodePtr cell, const rr_block *b)
{
    rr_mailhtml *m = c->m;
    size_t i = m->nparts;
    m->parts = rr_xrealloc(m->parts, (i + 1) * sizeof *m->parts);
    m->png = rr_xrealloc(m->png, (i + 1) * sizeof *m->png);
    m->names = rr_xrealloc(m->names, 2 * (i + 1) * sizeof *m->names);
    memset(&m->png[i], 0, sizeof m->png[i]);
    m->names[2 * i] = rr_xasprintf("chart%zu@revreport", i + 1);
    m->names[2 * i + 1] = rr_xasprintf("chart%zu.png", i + 1);
    m->nparts++;
    rr_status st = rr_chart_render_png(b->chart, CHART_W, CHART_H, CHART_SCALE, &c->d->chart_env, &m->png[i]);
    if (st != RR_OK)
        return rr_error_set(c->err, st, NULL, 0, 0, NULL, "chart \"%s\" could not be drawn for the e-mail",
                            b->chart && b->chart->title ? b->chart->title : "");
    m->parts[i] = (rr_mail_part){"image/png", m->names[2 * i + 1], m->names[2 * i], m->png[i].data, m->png[i].len};
    char *src = rr_xasprintf("cid:%s", m->names[2 * i]);
    const char *alt = b->text && *b->text ? b->text : b->chart && b->chart->title ? b->chart->title : "";
    if (b->text && *b->text)
        tel(c, cell, "p", "margin:12px 0 4px 0;font-size:14px;font-weight:bold;color:" INK ";" FONT, b->text);
    xmlNodePtr img = el(c, cell, "img", "display:block;width:100%;max-width:600px;height:auto;border:0;");
    attr(img, "src", src);
    attr(img, "width", "600");
    attr(img, "alt", alt);
    free(src);
    return RR_OK;
}

/* A catalogue pattern (the English one when the catalogue lacks it). */
static const char *mtr(const rr_doc *d, const char *key, const char *en)
{
    const char *s = rr_doc_tr(d, key);
    return !s || !*s || strcmp(s, key) == 0 ? en : s;
}

/* The KPI cards in the plain-text part, in the language's own punctuation:
 * "- Revenue won: $1.2M (+5% vs …; note)", ja "・受注額：$1.2M（前月比 +5%、…）". */
static void text_kpis(rr_strbuf *t, const rr_doc *doc, const rr_block *b)
{
    for (size_t i = 0; i < b->nkpis; i++) {
        const rr_kpi *k = &b->kpis[i];
        int d = k->delta && *k->delta, n = k->note && *k->note;
        char *more = d && n ? rr_i18n_subst(mtr(doc, "mail.text.pair", "{a}; {b}"), "a", k->delta, "b", k->note, NULL)
                            : rr_xstrdup(d ? k->delta : n ? k->note : "");
        char *line = rr_i18n_subst(mtr(doc, d || n ? "mail.text.kpi_more" : "mail.text.kpi",
                                       d || n ? "- {label}: {value} ({more})" : "- {label}: {value}"),
                                   "label", k->label ? k->label : "", "value", k->value ? k->value : "", "more", more,
                                   NULL);
        rr_strbuf_adds(t, line);
        rr_strbuf_adds(t, "\n");
        free(line);
        free(more);
    }
}

static rr_status build(ctx *c, const char *subject, const char *note)
{
    const rr_doc *d = c->d;
    rr_mailhtml *m = c->m;
    rr_status st = RR_OK;
    xmlNodePtr html = xmlNewDocNode(c->x, NULL, BAD_CAST "html", NULL);
    xmlDocSetRootElement(c->x, html);
    attr(html, "lang", d->lang ? d->lang : "en");
    xmlNodePtr head = el(c, html, "head", NULL);
    xmlNodePtr meta = el(c, head, "meta", NULL);
    attr(meta, "http-equiv", "Content-Type");
    attr(meta, "content", "text/html; charset=UTF-8");
    meta = el(c, head, "meta", NULL);
    attr(meta, "name", "viewport");
    attr(meta, "content", "width=device-width, initial-scale=1");
    tel(c, head, "title", NULL, subject);
    xmlNodePtr body = el(c, html, "body", "margin:0;padding:0;background-color:#f3f4f6;");
    attr(body, "bgcolor", "#f3f4f6");
    xmlNodePtr outer = ptable(c, body, "100%", "background-color:#f3f4f6;");
    attr(outer, "bgcolor", "#f3f4f6");
    xmlNodePtr otd = el(c, el(c, outer, "tr", NULL), "td", "padding:16px 8px;");
    attr(otd, "align", "center");
    /* fluid up to 640 px; Outlook for Windows ignores max-width, so it gets a
     * fixed 640 px table in a conditional comment around the card */
    xmlAddChild(otd, xmlNewDocComment(c->x, BAD_CAST "[if mso]><table role=\"presentation\" width=\"640\" "
                                      "align=\"center\" cellpadding=\"0\" cellspacing=\"0\" border=\"0\"><tr><td><![endif]"));
    xmlNodePtr card = ptable(c, otd, "100%", "width:100%;max-width:640px;table-layout:fixed;background-color:#ffffff;border:1px solid " LINE ";");
    attr(card, "bgcolor", "#ffffff");
    attr(card, "align", "center");
    xmlAddChild(otd, xmlNewDocComment(c->x, BAD_CAST "[if mso]></td></tr></table><![endif]"));

    /* header */
    xmlNodePtr cell = card_row(c, card, "padding:20px 20px 8px 20px;" FONT "color:" INK ";");
    if (d->company && *d->company) tel(c, cell, "div", "font-size:13px;color:" MUTED ";", d->company);
    tel(c, cell, "h1", "margin:4px 0;font-size:22px;line-height:28px;", d->title);
    tel(c, cell, "div", "font-size:15px;color:" MUTED ";", d->period_label);
    if (note && *note)
        tel(c, card_row(c, card, "padding:8px 20px;" FONT), "p",
            "margin:0;padding:8px 10px;font-size:13px;background-color:#eff6ff;border-left:3px solid #2563eb;color:" INK ";",
            note);

    /* plain text: title, note, key figures, highlights */
    rr_strbuf *t = &m->text;
    rr_strbuf_printf(t, "%s\n%s\n", subject, d->company && *d->company ? d->company : "");
    if (note && *note) rr_strbuf_printf(t, "\n%s\n", note);

    /* a summary, not the report: page 1 whole, then the first chart of the
     * revenue and forecast sections; the PDF attached carries the rest */
    size_t ncharts = 0;
    for (size_t si = 0; si < d->nsections; si++) {
        const rr_doc_section *s = &d->sections[si];
        int summary = si == 0;
        size_t only = (size_t)-1;   /* the one block shown of a section after the summary */
        if (!summary) {
            if (ncharts >= 2 || !s->id || (strcmp(s->id, "revenue") != 0 && strcmp(s->id, "forecast") != 0)) continue;
            for (size_t bi = 0; bi < s->nblocks && only == (size_t)-1; bi++)
                if (s->blocks[bi].kind == RR_BLOCK_CHART) only = bi;
            if (only == (size_t)-1) continue;
            ncharts++;
        }
        cell = card_row(c, card, "padding:12px 20px;" FONT "color:" INK ";");
        tel(c, cell, "h2", "margin:8px 0 8px 0;font-size:18px;line-height:24px;border-bottom:2px solid #2563eb;"
                           "padding-bottom:4px;", s->title);
        int titled = 0;
        for (size_t bi = 0; bi < s->nblocks; bi++) {
            const rr_block *b = &s->blocks[bi];
            if (!summary && bi != only) continue;
            if (b->kind == RR_BLOCK_KPIS || (summary && b->kind != RR_BLOCK_TABLE && b->kind != RR_BLOCK_CHART)) {
                if (!titled) rr_strbuf_printf(t, "\n%s\n", s->title);
                titled = 1;
            }
            switch (b->kind) {
            case RR_BLOCK_PARA:
                tel(c, cell, "p", "margin:8px 0;font-size:14px;line-height:20px;", b->text);
                if (summary) rr_strbuf_printf(t, "%s\n", b->text ? b->text : "");
                break;
            case RR_BLOCK_LIST:
            case RR_BLOCK_WARN: {
                int warn = b->kind == RR_BLOCK_WARN;
                xmlNodePtr ul = el(c, cell, "ul", warn ? "margin:8px 0;padding:8px 8px 8px 24px;font-size:13px;"
                                                        "line-height:19px;background-color:#fffbeb;color:#92400e;"
                                                      : "margin:8px 0;padding-left:20px;font-size:14px;line-height:20px;");
                for (size_t k = 0; k < b->nitems; k++) {
                    tel(c, ul, "li", "margin:2px 0;", b->items[k]);
                    if (summary || warn) rr_strbuf_printf(t, "%s %s\n", warn ? "!" : "*", b->items[k]);
                }
                break;
            }
            case RR_BLOCK_KPIS:
                kpis(c, cell, b);
                text_kpis(t, d, b);
                break;
            case RR_BLOCK_TABLE:
                table(c, cell, b->table);
                break;
            case RR_BLOCK_CHART:
                if ((st = chart(c, cell, b))) return st;
                break;
            case RR_BLOCK_STATUS: {   /* the status in colour and in words */
                const char *ink = b->status == 1 ? "#1e7b4a" : b->status == 2 ? "#8a5a10" : "#b42318";
                const char *bg = b->status == 1 ? "#eaf6ef" : b->status == 2 ? "#fdf6e7" : "#fdecea";
                char style[200];
                snprintf(style, sizeof style, "margin:8px 0;padding:8px 10px;font-size:14px;line-height:20px;"
                                              "background-color:%s;border-left:5px solid %s;", bg, ink);
                xmlNodePtr p = tel(c, cell, "p", style, NULL);
                snprintf(style, sizeof style, "color:%s;", ink);
                tel(c, p, "strong", style, b->nitems ? b->items[0] : "");
                xmlAddChild(p, xmlNewDocText(c->x, BAD_CAST " "));
                xmlAddChild(p, xmlNewDocText(c->x, BAD_CAST (b->text ? b->text : "")));
                rr_strbuf_printf(t, "%s: %s\n", b->nitems ? b->items[0] : "", b->text ? b->text : "");
                break;
            }
            case RR_BLOCK_SUBHEAD:
                tel(c, cell, "h3", "margin:14px 0 4px 0;font-size:15px;line-height:20px;color:#1f4e79;", b->text);
                rr_strbuf_printf(t, "\n%s\n", b->text ? b->text : "");
                break;
            }
        }
    }
    {   /* where the rest is */
        const char *att = d->tr ? d->tr(d->cat, "board.mail_attached") : NULL;
        if (att && strcmp(att, "board.mail_attached") != 0) {
            tel(c, card_row(c, card, "padding:4px 20px 12px 20px;" FONT "font-size:13px;color:" MUTED ";"), "p",
                "margin:0;", att);
            rr_strbuf_printf(t, "\n%s\n", att);
        }
    }
    /* footer */
    cell = card_row(c, card, "padding:12px 20px 20px 20px;" FONT "font-size:12px;line-height:17px;color:" MUTED ";"
                             "border-top:1px solid " LINE ";");
    if (d->generated && *d->generated) tel(c, cell, "div", NULL, d->generated);
    if (d->confidentiality && *d->confidentiality) tel(c, cell, "div", NULL, d->confidentiality);
    rr_strbuf_printf(t, "\n--\n%s\n%s\n", d->generated ? d->generated : "",
                     d->confidentiality ? d->confidentiality : "");
    return RR_OK;
}

rr_status rr_mailhtml_build(const rr_doc *d, const char *subject, const char *note, rr_mailhtml *out,
                            rr_error *err)
{
    memset(out, 0, sizeof *out);
    ctx c = {d, NULL, out, err};
    rr_status st = RR_OK;
    xmlOutputBufferPtr ob = NULL;
    c.x = htmlNewDocNoDtD(NULL, NULL);
    if (!c.x) { st = rr_error_set(err, RR_ERR_RENDER, NULL, 0, 0, NULL, "libxml2: cannot create a document"); goto out; }
    xmlCreateIntSubset(c.x, BAD_CAST "html", BAD_CAST "-//W3C//DTD HTML 4.01 Transitional//EN",
                       BAD_CAST "http://www.w3.org/TR/html4/loose.dtd");
    if ((st = build(&c, subject ? subject : "", note))) goto out;
    ob = xmlAllocOutputBuffer(NULL);
    if (!ob) { st = rr_error_set(err, RR_ERR_RENDER, NULL, 0, 0, NULL, "libxml2: cannot allocate a buffer"); goto out; }
    htmlDocContentDumpFormatOutput(ob, c.x, "UTF-8", 1);
    xmlOutputBufferFlush(ob);
    if (ob->error) { st = rr_error_set(err, RR_ERR_RENDER, NULL, 0, 0, NULL, "e-mail HTML serialisation failed"); goto out; }
    rr_strbuf_add(&out->html, xmlOutputBufferGetContent(ob), xmlOutputBufferGetSize(ob));
out:
    if (ob) xmlOutputBufferClose(ob);
    xmlFreeDoc(c.x);
    return st;
}

void rr_mailhtml_free(rr_mailhtml *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->nparts; i++) {
        rr_strbuf_free(&m->png[i]);
        free(m->names[2 * i]);
        free(m->names[2 * i + 1]);
    }
    free(m->png);
    free(m->names);
    free(m->parts);
    rr_strbuf_free(&m->html);
    rr_strbuf_free(&m->text);
    memset(m, 0, sizeof *m);
}
