/* doc.c: the report document model (see doc.h). */
#include <stdlib.h>
#include <string.h>
#include "revreport/doc.h"
#include "revreport/strbuf.h"
#include "revreport/xalloc.h"

/* Every text of the document enters here: a copy, with each byte that does
 * not start a valid UTF-8 sequence replaced by U+FFFD, so that the writers
 * (libxml2, libharu) never get invalid UTF-8 even if a caller cut a text in
 * the middle of a character.  The suite checks that no report contains
 * U+FFFD: one would be such a bug (inputs are checked to be UTF-8). */
static char *text_dup(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s), i = 0, k;
    while (i < len && (k = rr_utf8_seq(u + i, len - i)) != 0) i += k;
    if (i == len) return rr_xstrdup(s);   /* the usual case: valid throughout */
    char *out = rr_xmalloc(len * 3 + 1), *o = out;   /* each bad byte becomes 3 */
    memcpy(o, s, i);
    o += i;
    for (; i < len; i += k ? k : 1) {
        k = rr_utf8_seq(u + i, len - i);
        if (k) { memcpy(o, u + i, k); o += k; }
        else { memcpy(o, "\xef\xbf\xbd", 3); o += 3; }
    }
    *o = 0;
    return out;
}

rr_doc *rr_doc_new(const char *lang)
{
    rr_doc *d = rr_xcalloc(1, sizeof *d);
    d->lang = rr_xstrdup(lang ? lang : "en");
    return d;
}

void rr_doc_set(char **field, const char *value)
{
    free(*field);
    *field = value ? text_dup(value) : NULL;
}

const char *rr_doc_tr(const rr_doc *d, const char *key)
{
    if (d && d->tr) return d->tr(d->cat, key);
    return key;
}

static void table_free(rr_table *t)
{
    if (!t) return;
    free(t->caption);
    for (size_t i = 0; i < t->ncols; i++) free(t->headers[i]);
    free(t->headers);
    free(t->align);
    for (size_t i = 0; i < t->nrows * t->ncols; i++) free(t->cells[i]);
    free(t->cells);
    free(t->row_kind);
    free(t->tone);
    free(t);
}

static void block_free(rr_block *b)
{
    free(b->text);
    for (size_t i = 0; i < b->nitems; i++) free(b->items[i]);
    free(b->items);
    for (size_t i = 0; i < b->nkpis; i++) {
        rr_kpi *k = &b->kpis[i];
        free(k->label); free(k->value); free(k->delta); free(k->note); free(k->spark);
    }
    free(b->kpis);
    table_free(b->table);
    rr_chart_free(b->chart);
}

void rr_doc_free(rr_doc *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->nsections; i++) {
        rr_doc_section *s = &d->sections[i];
        for (size_t j = 0; j < s->nblocks; j++) block_free(&s->blocks[j]);
        free(s->blocks);
        free(s->id);
        free(s->title);
    }
    free(d->sections);
    free(d->lang); free(d->title); free(d->period_label); free(d->company);
    free(d->logo_path); free(d->generated); free(d->confidentiality); free(d->banner);
    free(d->author); free(d->subject); free(d->keywords);
    free(d);
}

rr_doc_section *rr_doc_section_add(rr_doc *d, const char *id, const char *title)
{
    d->sections = rr_xgrow(d->sections, &d->cap, d->nsections + 1, sizeof *d->sections);
    rr_doc_section *s = &d->sections[d->nsections++];
    memset(s, 0, sizeof *s);
    s->id = rr_xstrdup(id);
    s->title = text_dup(title);
    return s;
}

static rr_block *block_add(rr_doc_section *s, rr_block_kind kind)
{
    s->blocks = rr_xgrow(s->blocks, &s->cap, s->nblocks + 1, sizeof *s->blocks);
    rr_block *b = &s->blocks[s->nblocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

void rr_doc_para(rr_doc_section *s, const char *text)
{
    block_add(s, RR_BLOCK_PARA)->text = text_dup(text);
}

void rr_doc_note(rr_doc_section *s, const char *text)
{
    rr_block *b = block_add(s, RR_BLOCK_PARA);
    b->text = text_dup(text);
    b->note = 1;
}

void rr_doc_list(rr_doc_section *s, rr_block_kind kind, size_t n, const char *const *items)
{
    rr_block *b = block_add(s, kind);
    b->items = rr_xcalloc(n ? n : 1, sizeof *b->items);
    for (size_t i = 0; i < n; i++) b->items[i] = text_dup(items[i]);
    b->nitems = n;
}

rr_kpi *rr_doc_kpis(rr_doc_section *s, size_t n)
{
    rr_block *b = block_add(s, RR_BLOCK_KPIS);
    b->kpis = rr_xcalloc(n ? n : 1, sizeof *b->kpis);
    b->nkpis = n;
    return b->kpis;
}

rr_table *rr_doc_table(rr_doc_section *s, const char *caption, size_t ncols,
                       const char *const *headers, const rr_align *align)
{
    rr_block *b = block_add(s, RR_BLOCK_TABLE);
    rr_table *t = rr_xcalloc(1, sizeof *t);
    t->caption = caption ? text_dup(caption) : NULL;
    t->ncols = ncols;
    t->headers = rr_xcalloc(ncols, sizeof *t->headers);
    t->align = rr_xcalloc(ncols, sizeof *t->align);
    for (size_t i = 0; i < ncols; i++) {
        t->headers[i] = text_dup(headers[i] ? headers[i] : "");
        t->align[i] = align ? align[i] : (i ? RR_ALIGN_RIGHT : RR_ALIGN_LEFT);
    }
    b->table = t;
    return t;
}

void rr_table_row(rr_table *t, rr_row_kind kind, const char *const *cells)
{
    if (t->nrows + 1 > t->cap) {
        size_t cap = t->cap;
        t->cells = rr_xgrow(t->cells, &cap, (t->nrows + 1), sizeof(char *) * t->ncols);
        t->row_kind = rr_xrealloc(t->row_kind, cap * sizeof *t->row_kind);
        if (t->tone) {
            t->tone = rr_xrealloc(t->tone, cap * t->ncols);
            memset(t->tone + t->cap * t->ncols, 0, (cap - t->cap) * t->ncols);
        }
        t->cap = cap;
    }
    for (size_t i = 0; i < t->ncols; i++)
        t->cells[t->nrows * t->ncols + i] = text_dup(cells[i] ? cells[i] : "");
    t->row_kind[t->nrows++] = kind;
}

void rr_table_tone(rr_table *t, size_t col, rr_tone tone)
{
    if (!t->nrows || col >= t->ncols) return;
    if (!t->tone) t->tone = rr_xcalloc(t->cap * t->ncols, 1);
    t->tone[(t->nrows - 1) * t->ncols + col] = (unsigned char)tone;
}

rr_tone rr_table_cell_tone(const rr_table *t, size_t row, size_t col)
{
    if (!t->tone || row >= t->nrows || col >= t->ncols) return RR_TONE_NONE;
    return (rr_tone)t->tone[row * t->ncols + col];
}

void rr_doc_chart(rr_doc_section *s, rr_chart *chart, const char *caption)
{
    rr_block *b = block_add(s, RR_BLOCK_CHART);
    b->chart = chart;
    b->text = caption ? text_dup(caption) : NULL;
}

void rr_doc_status(rr_doc_section *s, int status, const char *word, const char *text)
{
    rr_block *b = block_add(s, RR_BLOCK_STATUS);
    b->status = status;
    b->text = text_dup(text);
    b->items = rr_xmalloc(sizeof *b->items);
    b->items[0] = text_dup(word);
    b->nitems = 1;
}

void rr_doc_subhead(rr_doc_section *s, const char *text)
{
    rr_block *b = block_add(s, RR_BLOCK_SUBHEAD);
    b->text = text_dup(text);
}

void rr_doc_move(rr_doc_section *s, size_t from, size_t to)
{
    if (from >= s->nblocks || to >= s->nblocks || from == to) return;
    rr_block b = s->blocks[from];
    if (from > to) memmove(s->blocks + to + 1, s->blocks + to, (from - to) * sizeof *s->blocks);
    else memmove(s->blocks + from, s->blocks + from + 1, (to - from) * sizeof *s->blocks);
    s->blocks[to] = b;
}
