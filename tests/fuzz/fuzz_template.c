/* fuzz_template.c: libFuzzer target for the HTML template (a customer-edited
 * file): whatever it holds, the writer must refuse or render it, never crash,
 * read other files or reach the network.  make fuzz. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "revreport/doc.h"
#include "revreport/html.h"
#include "revreport/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[] = "/tmp/rr-fuzz-tpl-XXXXXX", path[512];
    if (!mkdtemp(dir)) return 0;
    snprintf(path, sizeof path, "%s/report.html", dir);
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    if (size) fwrite(data, 1, size, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/report.css", dir);
    f = fopen(path, "wb");
    fputs("body{color:#111}", f);
    fclose(f);
    rr_doc *d = rr_doc_new("en");
    rr_doc_set(&d->title, "T <b>&</b>");
    rr_doc_section *s = rr_doc_section_add(d, "summary", "Summary");
    rr_doc_para(s, "<script>alert(1)</script>");
    const char *h[] = {"a", "b"};
    rr_table *t = rr_doc_table(s, "cap", 2, h, NULL);
    rr_table_row(t, RR_ROW_NORMAL, h);
    rr_strbuf out = {0};
    rr_error err;
    rr_html_to_buffer(d, dir, &out, &err);
    rr_strbuf_free(&out);
    rr_doc_free(d);
    unlink(path);
    snprintf(path, sizeof path, "%s/report.html", dir);
    unlink(path);
    rmdir(dir);
    return 0;
}
