/* mailhtml.h: the e-mail bodies of a report, built from the rr_doc: an HTML
 * body made for mail clients (Gmail, Outlook, Apple Mail: table layout,
 * inline styles, 600 px wide, charts as PNG images referenced by cid:, no
 * SVG, no data: URIs, no scripts) written with libxml2's HTML serializer,
 * and a plain-text alternative with the key figures and highlights.
 *
 *   rr_mailhtml m;
 *   if (rr_mailhtml_build(doc, subject, "The full report is attached.", &m, &err) == RR_OK) {
 *       use m.html.data, m.text.data, m.parts[0..m.nparts) (image/png, cid "chart1@revreport")
 *   }
 *   rr_mailhtml_free(&m);
 *
 * Charts are rendered with rr_chart_render_png at 2x (1200 px) and shown at
 * 600 px.  The struct owns every buffer; rr_mailhtml_free releases them
 * (also after a failure). */
#ifndef RR_MAILHTML_H
#define RR_MAILHTML_H
#include <stddef.h>
#include "revreport/doc.h"
#include "revreport/mail.h"
#include "revreport/status.h"
#include "revreport/strbuf.h"

typedef struct {
    rr_strbuf html;          /* UTF-8 HTML 4.01 Transitional document */
    rr_strbuf text;          /* UTF-8 plain text, '\n' line breaks */
    rr_mail_part *parts;     /* inline PNGs in the order the HTML uses them */
    size_t nparts;
    rr_strbuf *png;          /* the PNG bytes behind parts[i].data */
    char **names;            /* cids and file names behind parts[i] */
} rr_mailhtml;

/* Build both bodies.  subject: the <title>; note: a paragraph shown under
 * the title in both bodies (e.g. "the PDF is attached" or "the PDF was left
 * out"), may be NULL.  Errors: RR_ERR_RENDER (a chart could not be drawn,
 * libxml2 failure). */
rr_status rr_mailhtml_build(const rr_doc *d, const char *subject, const char *note, rr_mailhtml *out,
                            rr_error *err);
void rr_mailhtml_free(rr_mailhtml *m);   /* accepts NULL and a zeroed struct */

#endif
