/* htmlsafe.c: allow-lists of elements, attributes and CSS for the HTML
 * writer, and the check of a finished page as a browser parses it (see
 * htmlsafe.h).
 *
 *   if (!rr_htmlsafe_css(style)) refuse;
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include "revreport/htmlsafe.h"

static const char *const html_elements[] = {
    "html", "head", "title", "body", "header", "footer", "main", "nav", "section", "article", "aside",
    "div", "span", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "figure",
    "figcaption", "img", "a", "strong", "em", "b", "i", "u", "s", "small", "sub", "sup", "br", "hr",
    "abbr", "time", "mark", "blockquote", "pre", "code", "q", "cite", "del", "ins", "details",
    "summary", "style", "svg", NULL
};

static const char *const svg_elements[] = {
    "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "defs",
    "clipPath", "use", "symbol", "linearGradient", "radialGradient", "stop", "mask", "pattern",
    "text", "tspan", "title", "desc", "image", NULL
};

static const char *const global_attrs[] = {
    "id", "class", "lang", "dir", "title", "role", "style", "hidden", "tabindex", NULL
};

/* "elem:attr" pairs of HTML */
static const char *const html_attrs[] = {
    "a:href", "img:src", "img:alt", "img:width", "img:height", "td:colspan", "td:rowspan",
    "td:headers", "th:colspan", "th:rowspan", "th:scope", "th:headers", "th:abbr", "col:span",
    "colgroup:span", "col:width", "time:datetime", "ol:start", "ol:reversed", "ol:type",
    "li:value", "details:open", "meta:charset", "meta:name", "meta:content", "html:xmlns", NULL
};

static const char *const svg_attrs[] = {
    "d", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "width",
    "height", "viewBox", "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
    "stroke-dashoffset", "stroke-opacity", "opacity", "clip-path", "clip-rule", "clipPathUnits",
    "mask", "maskUnits", "maskContentUnits", "points", "offset", "stop-color", "stop-opacity",
    "gradientUnits", "gradientTransform", "spreadMethod", "patternUnits", "patternContentUnits",
    "patternTransform", "preserveAspectRatio", "version", "font-family", "font-size",
    "font-weight", "font-style", "text-anchor", "dominant-baseline", "overflow", "color",
    "display", "visibility", "vector-effect", "href", "xlink:href", "focusable", "xmlns",
    "xmlns:xlink", NULL
};

/* attributes whose value is CSS (may hold url()) */
static const char *const css_attrs[] = {"style", "fill", "stroke", "clip-path", "mask", NULL};
/* attributes whose value is a URL */
static const char *const url_attrs[] = {"href", "xlink:href", "src", NULL};

static const char *const css_functions[] = {
    "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color-mix", "calc",
    "min", "max", "clamp", "var", "linear-gradient", "radial-gradient", "conic-gradient",
    "repeating-linear-gradient", "repeating-radial-gradient", "repeating-conic-gradient",
    "translate", "translatex", "translatey", "translatez", "translate3d", "rotate", "rotatex",
    "rotatey", "rotatez", "rotate3d", "scale", "scalex", "scaley", "scalez", "scale3d", "skew",
    "skewx", "skewy", "matrix", "matrix3d", "perspective", "cubic-bezier", "steps", "attr",
    "counter", "counters", "rect", "inset", "circle", "ellipse", "polygon", "minmax", "repeat",
    "fit-content", "not", "is", "where", "has", "lang", "dir", "nth-child", "nth-of-type",
    "nth-last-child", "nth-last-of-type", "drop-shadow", "blur", "brightness", "contrast",
    "grayscale", "saturate", "sepia", "invert", "hue-rotate", "opacity", NULL
};

static const char *const css_at_rules[] = {
    "media", "page", "supports", "keyframes", "-webkit-keyframes", "charset", NULL
};

/* data: images a page may embed (none of them can run code or fetch) */
static const char *const data_images[] = {
    "data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:image/webp;",
    "data:image/svg+xml;", "data:image/png,", "data:image/jpeg,", "data:image/gif,", NULL
};

static const char *find_ci(const char *const *list, const char *s)
{
    for (size_t i = 0; list[i]; i++)
        if (strcasecmp(list[i], s) == 0) return list[i];
    return NULL;
}

const char *rr_htmlsafe_element(const char *name, int svg)
{
    return find_ci(svg ? svg_elements : html_elements, name);
}

/* A URL that stays in the page: "#id", or a data: image. */
static int url_local(const char *v, int allow_data)
{
    while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r' || *v == '\f') v++;
    if (*v == '#') return strpbrk(v, "\"'()\\<>") == NULL;
    if (!allow_data) return 0;
    for (size_t i = 0; data_images[i]; i++)
        if (strncasecmp(v, data_images[i], strlen(data_images[i])) == 0) return 1;
    return 0;
}

const char *rr_htmlsafe_attr(const char *elem, const char *name, const char *value)
{
    int svg = rr_htmlsafe_element(elem, 1) && !rr_htmlsafe_element(elem, 0);
    svg |= strcmp(elem, "svg") == 0;
    const char *canon = find_ci(global_attrs, name);
    if (!canon && (strncasecmp(name, "aria-", 5) == 0 || strncasecmp(name, "data-", 5) == 0)) {
        for (const char *p = name; *p; p++)
            if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') return NULL;
        canon = name;
    }
    if (!canon && svg) canon = find_ci(svg_attrs, name);
    if (!canon) {
        char pair[160];
        snprintf(pair, sizeof pair, "%s:%s", elem, name);
        const char *p = find_ci(html_attrs, pair);
        if (p) canon = strchr(p, ':') + 1;
    }
    if (!canon) return NULL;
    if (find_ci(url_attrs, canon)) {
        int data_ok = strcmp(elem, "img") == 0 || strcmp(elem, "image") == 0;
        return url_local(value, data_ok) ? canon : NULL;
    }
    if (find_ci(css_attrs, canon) && !rr_htmlsafe_css(value)) return NULL;
    return canon;
}

/* ---- CSS ------------------------------------------------------------- */

static int is_hex(int c) { return isxdigit(c); }
static int hexval(int c) { return isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10); }

/* Decode one CSS escape at s (s[0] == '\\'); code point in *cp, returns the
 * length consumed (an escaped newline: *cp = -1). */
static size_t css_escape(const char *s, long *cp)
{
    size_t i = 1;
    if (!s[1]) { *cp = 0xFFFD; return 1; }
    if (s[1] == '\n' || s[1] == '\r' || s[1] == '\f') { *cp = -1; return 2; }
    if (!is_hex((unsigned char)s[1])) { *cp = (unsigned char)s[1]; return 2; }
    long v = 0;
    while (i <= 6 && is_hex((unsigned char)s[i])) v = v * 16 + hexval((unsigned char)s[i++]);
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\f') i++;
    else if (s[i] == '\r') i += s[i + 1] == '\n' ? 2 : 1;
    *cp = (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) ? 0xFFFD : v;
    return i;
}

static int ident_cp(long cp)
{
    return cp >= 0x80 || isalnum((int)cp) || cp == '-' || cp == '_';
}

/* The argument of url( starting at s (after the parenthesis), decoded,
 * quotes and spaces removed, into buf; returns the position after ')'. */
static const char *css_url_arg(const char *s, char *buf, size_t cap)
{
    size_t n = 0;
    while (*s && *s != ')') {
        long cp;
        if (*s == '\\') {
            s += css_escape(s, &cp);
            if (cp < 0) continue;
        } else {
            cp = (unsigned char)*s++;
        }
        if (cp == '"' || cp == '\'' || cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f') continue;
        if (n + 1 < cap) buf[n++] = cp < 0x80 ? (char)cp : '?';
    }
    buf[n] = 0;
    return *s ? s + 1 : s;
}

int rr_htmlsafe_css(const char *s)
{
    if (strstr(s, "</")) return 0;                /* could end the <style> element */
    char ident[64];
    size_t il = 0;
    int at = 0;                                   /* the identifier follows '@' */
    char quote = 0;
    for (const char *p = s; ; ) {
        long cp;
        if (!quote && p[0] == '/' && p[1] == '*') {  /* a comment ends any identifier */
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
            cp = ' ';
            goto end_ident;
        }
        if (!*p) cp = 0;
        else if (*p == '\\') {
            p += css_escape(p, &cp);
            if (cp < 0) continue;
            if (quote) continue;                  /* escaped chars in a string are text */
            if (il + 1 < sizeof ident) ident[il++] = cp < 0x80 ? (char)tolower((int)cp) : '?';
            continue;
        } else {
            cp = (unsigned char)*p++;
        }
        if (quote) {
            if (cp == (unsigned char)quote || cp == '\n' || cp == 0) quote = 0;
            if (cp == 0) break;
            continue;
        }
        if (cp != 0 && ident_cp(cp)) {
            if (il + 1 < sizeof ident) ident[il++] = cp < 0x80 ? (char)tolower((int)cp) : '?';
            continue;
        }
        if (cp == '(' && il > 0) {                /* a function */
            ident[il] = 0;
            if (strcmp(ident, "url") == 0) {
                char arg[256];
                p = css_url_arg(p, arg, sizeof arg);
                if (!url_local(arg, 1)) return 0;
            } else if (!find_ci(css_functions, ident) || at) {
                return 0;
            }
            il = 0;
            at = 0;
            continue;
        }
    end_ident:
        if (il > 0) {
            ident[il] = 0;
            if (at && !find_ci(css_at_rules, ident)) return 0;
            if (!strcmp(ident, "behavior") || !strcmp(ident, "-moz-binding") || !strcmp(ident, "javascript"))
                return 0;
        } else if (at && cp != '@') {
            return 0;                             /* "@" followed by no name: "@\0import" and the like */
        }
        il = 0;
        at = cp == '@';
        if (cp == '"' || cp == '\'') quote = (char)cp;
        if (cp == 0 && !*p) break;
    }
    return 1;
}

/* ---- the finished page ----------------------------------------------- */

static int check_node(xmlNodePtr n, int svg, char *bad, size_t cap)
{
    for (; n; n = n->next) {
        if (n->type == XML_DTD_NODE || n->type == XML_COMMENT_NODE) continue;
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->parent && n->parent->name && strcasecmp((const char *)n->parent->name, "style") == 0 &&
                n->content && !rr_htmlsafe_css((const char *)n->content)) {
                snprintf(bad, cap, "a <style> that fetches or runs something");
                return 0;
            }
            continue;
        }
        if (n->type != XML_ELEMENT_NODE) {
            snprintf(bad, cap, "a node of type %d", (int)n->type);
            return 0;
        }
        const char *name = (const char *)n->name;
        int in_svg = svg || strcasecmp(name, "svg") == 0;
        const char *canon = rr_htmlsafe_element(name, in_svg);
        if (!canon && !in_svg && strcasecmp(name, "meta") == 0) canon = "meta";
        if (!canon) {
            snprintf(bad, cap, "element <%.40s>", name);
            return 0;
        }
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            char aname[128];
            if (a->ns && a->ns->prefix)
                snprintf(aname, sizeof aname, "%s:%s", (const char *)a->ns->prefix, (const char *)a->name);
            else
                snprintf(aname, sizeof aname, "%s", (const char *)a->name);
            xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
            int ok = rr_htmlsafe_attr(canon, aname, v ? (const char *)v : "") != NULL;
            xmlFree(v);
            if (!ok) {
                snprintf(bad, cap, "attribute %.40s on <%.40s>", aname, name);
                return 0;
            }
        }
        if (!check_node(n->children, in_svg, bad, cap)) return 0;
    }
    return 1;
}

int rr_htmlsafe_check_page(const char *html, size_t len, char *bad, size_t cap)
{
    htmlDocPtr d = htmlReadMemory(html, (int)len, "report.html", "UTF-8",
                                  HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                  HTML_PARSE_NOIMPLIED | HTML_PARSE_COMPACT);
    if (!d) {
        snprintf(bad, cap, "the page does not parse as HTML");
        return 0;
    }
    int ok = check_node(d->children, 0, bad, cap);
    xmlFreeDoc(d);
    return ok;
}
