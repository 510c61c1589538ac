/* xmp.c: the XMP packet of the archival PDF, through libxml2 (see xmp.h).
 *
 *   char *p = rr_xmp_packet(&(rr_xmp){.title = "T", .creator = "A & B"});  free(p);
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlwriter.h>
#include "revreport/xalloc.h"
#include "revreport/xmp.h"

#define X(s) BAD_CAST (s)

/* Text that XML 1.0 can carry: C0 controls (but tab, LF, CR), U+FFFE/U+FFFF,
 * surrogates and invalid UTF-8 become U+FFFD.  Returns s itself when clean,
 * else a new string in *own (freed by the caller). */
const char *rr_xml_text(const char *s, char **own)
{
    *own = NULL;
    if (!s) return "";
    size_t n = strlen(s);
    int clean = 1;
    for (size_t i = 0; i < n && clean; i++) {
        unsigned char c = (unsigned char)s[i];
        clean = (c >= 0x20 && c < 0x80) || c == '\t' || c == '\n' || c == '\r';
    }
    if (clean) return s;
    char *o = rr_xmalloc(3 * n + 1), *q = o;
    for (size_t i = 0; i < n; ) {
        unsigned char c = (unsigned char)s[i];
        unsigned long cp = 0;
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        int ok = len > 0 && i + len <= n;
        if (ok) {
            cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
            for (size_t k = 1; k < len && ok; k++) {
                unsigned char d = (unsigned char)s[i + k];
                ok = (d & 0xC0) == 0x80;
                cp = (cp << 6) | (d & 0x3Fu);
            }
        }
        static const unsigned long minv[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (ok && (cp < minv[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF ||
                   (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')))
            ok = 0;
        if (ok) {
            memcpy(q, s + i, len);
            q += len;
            i += len;
        } else {
            memcpy(q, "\xef\xbf\xbd", 3);       /* U+FFFD */
            q += 3;
            i += len ? len : 1;
            if (len > 1 && i > n) i = n;
        }
    }
    *q = 0;
    *own = o;
    return o;
}

static void text_el(xmlTextWriterPtr w, const char *name, const char *v)
{
    char *own;
    xmlTextWriterWriteElement(w, X(name), X(rr_xml_text(v, &own)));
    free(own);
}

/* <name><rdf:Alt><rdf:li xml:lang="x-default">v</rdf:li></rdf:Alt></name> */
static void alt_el(xmlTextWriterPtr w, const char *name, const char *v, const char *container)
{
    char *own;
    xmlTextWriterStartElement(w, X(name));
    xmlTextWriterStartElement(w, X(container));
    xmlTextWriterStartElement(w, X("rdf:li"));
    if (!strcmp(container, "rdf:Alt")) xmlTextWriterWriteAttribute(w, X("xml:lang"), X("x-default"));
    xmlTextWriterWriteString(w, X(rr_xml_text(v, &own)));
    free(own);
    xmlTextWriterEndElement(w);
    xmlTextWriterEndElement(w);
    xmlTextWriterEndElement(w);
}

static void description(xmlTextWriterPtr w, const char *prefix, const char *ns)
{
    char attr[64];
    xmlTextWriterStartElement(w, X("rdf:Description"));
    snprintf(attr, sizeof attr, "xmlns:%s", prefix);
    xmlTextWriterWriteAttribute(w, X(attr), X(ns));
    xmlTextWriterWriteAttribute(w, X("rdf:about"), X(""));
}

char *rr_xmp_packet(const rr_xmp *x)
{
    xmlBufferPtr b = xmlBufferCreate();
    xmlTextWriterPtr w = b ? xmlNewTextWriterMemory(b, 0) : NULL;
    if (!w) { fprintf(stderr, "revreport: out of memory\n"); abort(); }
    xmlTextWriterSetQuoteChar(w, '\'');
    xmlTextWriterWritePI(w, X("xpacket"), X("begin='' id='W5M0MpCehiHzreSzNTczkc9d'"));
    xmlTextWriterStartElement(w, X("x:xmpmeta"));
    xmlTextWriterWriteAttribute(w, X("xmlns:x"), X("adobe:ns:meta/"));
    xmlTextWriterStartElement(w, X("rdf:RDF"));
    xmlTextWriterWriteAttribute(w, X("xmlns:rdf"), X("http://www.w3.org/1999/02/22-rdf-syntax-ns#"));
    description(w, "dc", "http://purl.org/dc/elements/1.1/");
    xmlTextWriterWriteElement(w, X("dc:format"), X("application/pdf"));
    if (x->title) alt_el(w, "dc:title", x->title, "rdf:Alt");
    if (x->creator) alt_el(w, "dc:creator", x->creator, "rdf:Seq");
    if (x->description) alt_el(w, "dc:description", x->description, "rdf:Alt");
    xmlTextWriterEndElement(w);
    description(w, "xmp", "http://ns.adobe.com/xap/1.0/");
    if (x->creator_tool) text_el(w, "xmp:CreatorTool", x->creator_tool);
    if (x->date) {
        text_el(w, "xmp:CreateDate", x->date);
        text_el(w, "xmp:ModifyDate", x->date);
    }
    xmlTextWriterEndElement(w);
    description(w, "pdf", "http://ns.adobe.com/pdf/1.3/");
    if (x->keywords) text_el(w, "pdf:Keywords", x->keywords);
    if (x->producer) text_el(w, "pdf:Producer", x->producer);
    xmlTextWriterEndElement(w);
    if (x->pdfa_part > 0) {
        char part[16];
        snprintf(part, sizeof part, "%d", x->pdfa_part);
        description(w, "pdfaid", "http://www.aiim.org/pdfa/ns/id/");
        xmlTextWriterWriteAttribute(w, X("pdfaid:part"), X(part));
        xmlTextWriterWriteAttribute(w, X("pdfaid:conformance"), X(x->pdfa_conformance ? x->pdfa_conformance : "B"));
        xmlTextWriterEndElement(w);
    }
    xmlTextWriterEndElement(w);                 /* rdf:RDF */
    xmlTextWriterEndElement(w);                 /* x:xmpmeta */
    xmlTextWriterWritePI(w, X("xpacket"), X("end='w'"));
    xmlTextWriterFlush(w);
    xmlFreeTextWriter(w);
    char *out = rr_xstrdup((const char *)xmlBufferContent(b));
    xmlBufferFree(b);
    return out;
}
