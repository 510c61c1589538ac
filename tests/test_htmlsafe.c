/* test_htmlsafe.c: hostile templates and style sheets (issue 19 item 3).
 *
 *   tests/test_htmlsafe        (TAP)
 *
 * Each template goes through rr_html_to_buffer; the page is re-read with
 * libxml2's HTML parser (as a browser would: names without regard to case)
 * and must hold no script, no handler and no reference outside the page,
 * or the template is refused (RR_ERR_CONFIG).  Then the CSS allow-list on
 * its own: escapes decoded before checking, image-set(), @import, etc. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include "revreport/doc.h"
#include "revreport/html.h"
#include "revreport/htmlsafe.h"
#include "revreport/tap.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) return;
    fputs(text, f);
    fclose(f);
}

static rr_status render(const char *dir, const char *tpl, const char *css, rr_strbuf *page, rr_error *err)
{
    char p[600];
    snprintf(p, sizeof p, "%s/report.html", dir);
    write_file(p, tpl);
    snprintf(p, sizeof p, "%s/report.css", dir);
    write_file(p, css);
    rr_doc *d = rr_doc_new("en");
    rr_doc_set(&d->title, "T");
    rr_doc_section *s = rr_doc_section_add(d, "summary", "Summary");
    rr_doc_para(s, "text");
    rr_strbuf_reset(page);
    rr_status st = rr_html_to_buffer(d, dir, page, err);
    rr_doc_free(d);
    return st;
}

/* count of XPath matches in page parsed as HTML */
static int count(const rr_strbuf *page, const char *xpath)
{
    htmlDocPtr h = htmlReadMemory(page->data, (int)page->len, "p.html", "UTF-8",
                                  HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    if (!h) return -1;
    xmlXPathContextPtr x = xmlXPathNewContext(h);
    xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)xpath, x);
    int n = o && o->nodesetval ? o->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(x);
    xmlFreeDoc(h);
    return n;
}

#define HEAD "<html xmlns:rr='urn:revreport'><head><title>x</title><rr:css/>"
#define CSS_OK "body{color:#111}"

/* a template either refused or rendered with nothing active in it */
static void hostile(const char *tmp, const char *tpl, const char *css, const char *what)
{
    rr_strbuf page = {0};
    rr_error err;
    rr_status st = render(tmp, tpl, css, &page, &err);
    if (st == RR_ERR_CONFIG) {
        rr_tap_ok(1, "%s: refused (%s)", what, err.msg);
    } else {
        int active = count(&page, "//script | //@*[starts-with(name(),'on')] | //iframe | //object | //embed"
                                  " | //link | //base | //foreignobject | //meta[@http-equiv]");
        const char *p = page.data ? page.data : "";
        int ext = strstr(p, "http:") || strstr(p, "https:") || strstr(p, "//evil") || strstr(p, "javascript") ||
                  strstr(p, "image-set") || strstr(p, "@import") || strstr(p, "\\72") || strstr(p, "expression");
        rr_tap_ok(st == RR_OK && active == 0 && !ext, "%s: rendered harmless (status %d, %d active, external %d)",
                  what, (int)st, active, ext);
    }
    rr_strbuf_free(&page);
}

static void test_templates(const char *tmp)
{
    hostile(tmp, HEAD "<STYLE>a{color:red}&lt;/style&gt;&lt;script&gt;document.title='pwned'&lt;/script&gt;</STYLE>"
                 "</head><body><rr:sections/></body></html>", CSS_OK, "upper-case <STYLE> closing itself");
    hostile(tmp, HEAD "<Style>a{background:u\\72l(http://evil/x.png)}</Style></head><body/></html>", CSS_OK,
            "<Style> with an escaped url()");
    hostile(tmp, HEAD "</head><body><SCRIPT>document.title='pwned'</SCRIPT><Script>x()</Script></body></html>",
            CSS_OK, "upper- and mixed-case <SCRIPT>");
    hostile(tmp, HEAD "</head><body><IMG SRC='http://evil/t.gif'/><img src='//evil/t.gif'/></body></html>", CSS_OK,
            "tracking images");
    hostile(tmp, HEAD "</head><body><div ONCLICK='x()' OnMouseOver='y()'>a</div></body></html>", CSS_OK,
            "event handlers in any case");
    hostile(tmp, HEAD "</head><body><A HREF='javascript:alert(1)'>a</A><a href=' JaVaScRiPt:x'>b</a></body></html>",
            CSS_OK, "javascript: links");
    hostile(tmp, HEAD "</head><body><svg><foreignObject><p>x</p></foreignObject><use href='http://evil/s.svg#a'/>"
                 "<image href='http://evil/i.png'/></svg></body></html>", CSS_OK, "SVG that fetches");
    hostile(tmp, HEAD "</head><body><div style='background:image-set(\"http://evil/a.png\" 1x)'>a</div></body></html>",
            CSS_OK, "image-set() in a style attribute");
    hostile(tmp, HEAD "</head><body><div style='background:u\\000072l(http://evil/a)'>a</div></body></html>", CSS_OK,
            "six-digit escape in a style attribute");
    hostile(tmp, HEAD "</head><body><META HTTP-EQUIV='refresh' CONTENT='0;url=http://evil/'/><Link REL='stylesheet' "
                 "HREF='http://evil/c.css'/><BASE HREF='http://evil/'/></body></html>", CSS_OK, "meta refresh, link, base");
    hostile(tmp, HEAD "</head><body><iframe src='http://evil/'/><OBJECT data='http://evil/'/><form action='http://evil/'>"
                 "<input/></form></body></html>", CSS_OK, "iframe, object, form");
    hostile(tmp, HEAD "</head><body/></html>", "a{background:image-set(\"http://evil/a.png\" 1x)}", "image-set() in the sheet");
    hostile(tmp, HEAD "</head><body/></html>", "a{background:u\\72l(http://evil/x)}", "escaped url() in the sheet");
    hostile(tmp, HEAD "</head><body/></html>", "@\\69mport 'http://evil/x.css';", "escaped @import in the sheet");
    hostile(tmp, HEAD "</head><body/></html>", "a{width:expression(alert(1))}", "expression() in the sheet");
    hostile(tmp, HEAD "</head><body/></html>", "@font-face{font-family:x;src:local(x),url(http://evil/f.woff)}",
            "@font-face in the sheet");
    hostile(tmp, HEAD "</head><body/></html>", "a{background:-webkit-image-set(url(#a) 1x)}", "-webkit-image-set()");
    hostile(tmp, HEAD "</head><body/></html>", "a{content:'x'}</style><script>alert(1)</script>", "</style> in the sheet");

    /* what a real template needs still passes */
    rr_strbuf page = {0};
    rr_error err;
    rr_status st = render(tmp, HEAD "</head><body><DIV CLASS='hero' Style='color:rgba(0,0,0,.5);"
                                    "background:linear-gradient(#fff,#eee)'><rr:sections/></DIV>"
                                    "<svg viewBox='0 0 10 10'><clipPath id='c'><rect width='5' height='5'/></clipPath>"
                                    "<path d='M0 0L10 10' clip-path='url(#c)' stroke='var(--x)'/></svg></body></html>",
                          "@media print{a{color:#000}} @page{size:A4} body{font:12px/1.4 sans-serif;"
                          "background:url(data:image/png;base64,iVBORw0KGgo=)} a:not(.x):nth-child(2n){color:red}",
                          &page, &err);
    rr_tap_int(st, RR_OK, "an ordinary template and sheet render");
    rr_tap_int(count(&page, "//div[@class='hero' and contains(@style,'linear-gradient')]"), 1,
               "upper-case names are kept, written in lower case");
    rr_tap_int(count(&page, "//svg/clippath | //svg/clipPath"), 1, "inline SVG clip path kept");
    rr_tap_ok(page.data && strstr(page.data, "clipPath") != NULL, "SVG names in their canonical spelling");
    rr_strbuf_free(&page);
}

static void test_css(void)
{
    static const struct { const char *css; int ok; } cases[] = {
        {"a{color:red}", 1},
        {"a{background:url(#grad)}", 1},
        {"a{background:url( 'data:image/png;base64,AAAA' )}", 1},
        {"a{background:url(http://x/)}", 0},
        {"a{background:URL(http://x/)}", 0},
        {"a{background:u\\rl(http://x/)}", 0},
        {"a{background:\\75\\72\\6c(http://x/)}", 0},
        {"a{background:url(\\68ttp://x/)}", 0},
        {"a{background:url('data:text/html,<b>')}", 0},
        {"a{background:url(data:text/html;base64,AAAA)}", 0},
        {"a{background:image-set('a.png' 1x)}", 0},
        {"a{background:cross-fade(url(#a),url(#b))}", 0},
        {"a{background:element(#x)}", 0},
        {"@import url(#x);", 0},
        {"@IMPORT 'x';", 0},
        {"@namespace svg url(#x);", 0},
        {"@media screen and (max-width:600px){a{color:red}}", 1},
        {"@supports (display:grid){a{display:grid}}", 1},
        {"a{behavior:url(#x)}", 0},
        {"a{-moz-binding:url(#x)}", 0},
        {"a{width:calc(100% - var(--w, 2px))}", 1},
        {"a{content:'url(http://x)'}", 1},                 /* a string: text, not a function */
        {"a{content:\"\\\"\" url(http://x)}", 0},          /* the escaped quote does not end the string */
        {"a{color:red}/* url(http://x) */", 1},
        {"a{background:u/**/rl(http://x)}", 0},
        {"a{x:expression(1)}", 0},
        {"a{x:eXpReSsIoN(1)}", 0},
        {"a{x:1}</style>", 0},
        {"a{x:1}</STYLE ", 0},
        {"/* <rr:css/> */ a{x:1}", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        rr_tap_ok(rr_htmlsafe_css(cases[i].css) == cases[i].ok, "css %s: %s", cases[i].ok ? "allowed" : "refused",
                  cases[i].css);
    rr_tap_str(rr_htmlsafe_element("STYLE", 0), "style", "element names without regard to case");
    rr_tap_str(rr_htmlsafe_element("lineargradient", 1), "linearGradient", "SVG names in canonical spelling");
    rr_tap_ok(rr_htmlsafe_element("script", 0) == NULL && rr_htmlsafe_element("SCRIPT", 1) == NULL, "no script");
    rr_tap_ok(rr_htmlsafe_attr("div", "OnClick", "x()") == NULL, "no handler");
    rr_tap_ok(rr_htmlsafe_attr("a", "HREF", "#sec-x") != NULL, "in-page link kept");
    rr_tap_ok(rr_htmlsafe_attr("a", "href", "https://x/") == NULL, "external link dropped");
    rr_tap_ok(rr_htmlsafe_attr("img", "src", "data:image/png;base64,AA") != NULL, "data: image kept");
}

int main(void)
{
    char tmp[] = "/tmp/rr-htmlsafe-XXXXXX";
    if (!mkdtemp(tmp)) return 1;
    test_templates(tmp);
    test_css();
    char p[600];
    snprintf(p, sizeof p, "%s/report.html", tmp); unlink(p);
    snprintf(p, sizeof p, "%s/report.css", tmp); unlink(p);
    rmdir(tmp);
    return rr_tap_done();
}
