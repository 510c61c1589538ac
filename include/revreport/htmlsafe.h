/* htmlsafe.h: the allow-lists of the HTML writer.  A template is data, not
 * code: only the elements, attributes and CSS constructs listed here reach
 * the page, names compared without regard to case and written in their
 * canonical spelling, CSS escapes decoded before anything is checked.
 *
 *   const char *name = rr_htmlsafe_element("STYLE", 0);     // "style"
 *   if (name && rr_htmlsafe_attr(name, "href", "#sec-x")) keep it;
 *   if (!rr_htmlsafe_css("a{background:u\\72l(http://x)}")) refuse;
 *   rr_htmlsafe_check_page(html, len, &bad, sizeof bad);    // re-parse as a browser
 *
 * Nothing here allocates memory the caller must free. */
#ifndef RR_HTMLSAFE_H
#define RR_HTMLSAFE_H
#include <stddef.h>

/* The canonical name of an allowed element ("clipPath" for "CLIPPATH"), or
 * NULL when the element may not appear.  svg: inside an <svg> element. */
const char *rr_htmlsafe_element(const char *name, int svg);

/* The canonical name of an allowed attribute of element elem (canonical)
 * with this value, or NULL.  URLs may only point inside the page ("#id") or
 * be data: images; style values must pass rr_htmlsafe_css. */
const char *rr_htmlsafe_attr(const char *elem, const char *name, const char *value);

/* 1 when a style sheet or style attribute can neither fetch nor run
 * anything: escapes and comments are decoded first; only allowed functions
 * (url() only to "#id" or a data: image), at-rules (@media, @page,
 * @supports, @keyframes) and no "</" (which could end a <style>). */
int rr_htmlsafe_css(const char *css);

/* Parse a finished page with libxml2's HTML parser (as a browser would:
 * case-insensitive names) and check every element, attribute and style
 * against the allow-lists.  1 when clean; 0 with a short description of the
 * first offending construct in bad. */
int rr_htmlsafe_check_page(const char *html, size_t len, char *bad, size_t cap);

#endif
