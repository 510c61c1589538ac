/* xmp.h: the XMP metadata packet of an archival (PDF/A-1b) PDF, written by
 * libxml2 so that "Procter & Gamble" or a control character in the company
 * name cannot break it (libharu 2.3.0 pastes the info strings in unescaped).
 *
 *   rr_xmp x = {.title = "Report", .creator = "Procter & Gamble", .date = "2026-11-01T06:00:00+00:00"};
 *   char *packet = rr_xmp_packet(&x);     // caller frees
 */
#ifndef RR_XMP_H
#define RR_XMP_H

typedef struct {
    const char *title, *creator, *description, *keywords;  /* may be NULL */
    const char *creator_tool, *producer;                   /* may be NULL */
    const char *date;                                      /* xmp:CreateDate/ModifyDate, may be NULL */
    int pdfa_part;                                         /* 0: no PDF/A identification */
    const char *pdfa_conformance;                          /* "B" */
} rr_xmp;

/* The packet (<?xpacket?> ... </x:xmpmeta><?xpacket end='w'?>), every value
 * escaped and cleaned of characters XML cannot carry.  Never NULL. */
char *rr_xmp_packet(const rr_xmp *x);

/* Text XML 1.0 can carry: C0 controls (but tab, LF, CR), U+FFFE/U+FFFF,
 * surrogates and invalid UTF-8 become U+FFFD.  Returns s (or "" for NULL)
 * when clean, else a new string also stored in *own for the caller to free. */
const char *rr_xml_text(const char *s, char **own);

#endif
