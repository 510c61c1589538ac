/* html.h: revreport's HTML writer: one self-contained HTML5 file from a rr_doc.
 *
 *   rr_error err = {0};
 *   rr_status st = rr_html_write(doc, "/usr/share/revreport/templates",
 *                                "out/report.html.tmp", &err);
 *   if (st != RR_OK) rr_error_print(&err, "revreport");
 *   // the caller renames out/report.html.tmp to out/report.html
 *
 * The page is built with libxml2 from a customer-editable XHTML template
 * (template_dir/report.html, placeholders in the urn:revreport namespace,
 * see docs/templates.md) and its CSS (template_dir/report.css), inlined.
 * Charts are inline SVG from rr_chart_render_svg(); the logo is a data: URI.
 * The output makes no external request and holds no script.
 * Ownership: the writer only reads the doc; the caller owns what it passes. */
#ifndef RR_HTML_H
#define RR_HTML_H
#include "revreport/doc.h"
#include "revreport/status.h"
#include "revreport/strbuf.h"

/* Render doc through template_dir/report.html and write the whole file at
 * path (created or truncated).  Errors: RR_ERR_CONFIG for a missing or
 * malformed template / CSS (err->file and err->line name the place),
 * RR_ERR_IO for an unreadable logo or an unwritable path, RR_ERR_RENDER when a
 * chart cannot be drawn.  On error nothing useful is left at path. */
rr_status rr_html_write(const rr_doc *doc, const char *template_dir, const char *path,
                        rr_error *err);

/* Same as rr_html_write() but appends the page (UTF-8) to out, for tests and
 * the e-mail body.  out is left unchanged on error. */
rr_status rr_html_to_buffer(const rr_doc *doc, const char *template_dir, rr_strbuf *out,
                            rr_error *err);

/* The doc's sections the template shows, in its order: order[0..*n) are
 * indices into doc->sections (order has room for doc->nsections).  The PDF
 * follows it, so a section left out of the template is left out of both. */
rr_status rr_html_template_order(const rr_doc *doc, const char *template_dir, size_t *order, size_t *n,
                                 rr_error *err);

#endif
