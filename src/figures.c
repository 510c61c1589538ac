/* figures.c: the figure store and its XML form (libxml2 xmlTextWriter). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlwriter.h>
#include "revreport/figures.h"
#include "revreport/xalloc.h"

#define RR_FIGS_NS "urn:revreport:figures:1"

void rr_figs_init(rr_figs *f, const char *currency)
{
    memset(f, 0, sizeof *f);
    snprintf(f->currency, sizeof f->currency, "%s", currency ? currency : "USD");
}

void rr_figs_free(rr_figs *f)
{
    if (!f) return;
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].metric); free(f->v[i].dim); free(f->v[i].key); free(f->v[i].model); free(f->v[i].reason);
    }
    free(f->v);
    free(f->ix);
    for (size_t i = 0; i < f->nset; i++) { free(f->set_key[i]); free(f->set_val[i]); }
    free(f->set_key);
    free(f->set_val);
    f->set_key = f->set_val = NULL;
    f->nset = f->capset = 0;
    for (size_t i = 0; i < f->nactions; i++) {
        free(f->actions[i].rule); free(f->actions[i].text); free(f->actions[i].cite);
    }
    free(f->actions);
    f->actions = NULL;
    f->nactions = 0;
    f->v = NULL;
    f->ix = NULL;
    f->n = f->cap = f->ixcap = 0;
}

/* ---- the index: open addressing with linear probing over (metric, period,
 * key).  A slot holds the figure's position + 1 (0 = empty) and its hash.
 * Figures are inserted in position order and never removed, so along a probe
 * sequence equal keys appear in the order they were added: the first match
 * is the first figure added.  At most half the slots are used. */

struct rr_figs_slot { size_t fig; uint64_t hash; };

static uint64_t fnv(uint64_t h, const char *s)
{
    if (!s) return (h ^ 0x01) * 1099511628211ull;          /* NULL differs from "" */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (h ^ 0xff) * 1099511628211ull;
}

static uint64_t fig_hash(const char *metric, const char *period, const char *key)
{
    uint64_t h = fnv(fnv(fnv(14695981039346656037ull, metric), period), key);
    h ^= h >> 29;                                             /* the low bits pick the slot */
    h *= 0xbf58476d1ce4e5b9ull;
    return h ^ (h >> 32);
}

static int same(const char *a, const char *b) { return a == b || (a && b && strcmp(a, b) == 0); }

static void ix_put(rr_figs *f, size_t i, uint64_t h)
{
    size_t m = f->ixcap - 1, s = (size_t)h & m;
    while (f->ix[s].fig) s = (s + 1) & m;
    f->ix[s].fig = i + 1;
    f->ix[s].hash = h;
}

/* (re)build the index of v[0..n) with room for at least `need` figures */
static void ix_build(rr_figs *f, size_t need)
{
    size_t cap = 64;
    while (cap < 2 * need) cap *= 2;
    free(f->ix);
    f->ix = rr_xcalloc(cap, sizeof *f->ix);
    f->ixcap = cap;
    for (size_t i = 0; i < f->n; i++) {
        const rr_fig *g = &f->v[i];
        ix_put(f, i, fig_hash(g->metric, g->period, g->key));
    }
}

static rr_fig *add(rr_figs *f, const char *metric, const char *period, const char *dim, const char *key)
{
    if (2 * (f->n + 1) > f->ixcap) ix_build(f, f->n + 1);   /* twice the slots */
    f->v = rr_xgrow(f->v, &f->cap, f->n + 1, sizeof *f->v);
    rr_fig *g = &f->v[f->n++];
    memset(g, 0, sizeof *g);
    g->metric = rr_xstrdup(metric);
    snprintf(g->period, sizeof g->period, "%s", period);
    g->dim = dim ? rr_xstrdup(dim) : NULL;
    g->key = key ? rr_xstrdup(key) : NULL;
    g->defined = 1;
    ix_put(f, f->n - 1, fig_hash(g->metric, g->period, g->key));
    return g;
}

void rr_figs_rotate(rr_figs *f, size_t from, size_t k)
{
    if (from >= f->n || k == 0 || k >= f->n - from) return;
    size_t n = f->n - from;
    rr_fig *p = f->v + from, *tmp = rr_xmalloc(k * sizeof *tmp);
    memcpy(tmp, p, k * sizeof *tmp);
    memmove(p, p + k, (n - k) * sizeof *p);
    memcpy(p + (n - k), tmp, k * sizeof *tmp);
    free(tmp);
    ix_build(f, f->n);
}

rr_fig *rr_figs_money(rr_figs *f, const char *metric, const char *period, const char *dim, const char *key,
                      rr_money v)
{
    rr_fig *g = add(f, metric, period, dim, key);
    g->unit = RR_FU_MONEY;
    g->money = v;
    g->value = rr_money_to_double(v);
    return g;
}

rr_fig *rr_figs_count(rr_figs *f, const char *metric, const char *period, const char *dim, const char *key,
                      long long v)
{
    rr_fig *g = add(f, metric, period, dim, key);
    g->unit = RR_FU_COUNT;
    g->value = (double)v;
    return g;
}

rr_fig *rr_figs_value(rr_figs *f, rr_fig_unit unit, const char *metric, const char *period, const char *dim,
                      const char *key, double v, int defined, const char *reason)
{
    rr_fig *g = add(f, metric, period, dim, key);
    g->unit = unit;
    g->defined = defined && isfinite(v);
    g->value = g->defined ? v : NAN;
    if (!g->defined) g->reason = rr_xstrdup(reason ? reason : "not computable");
    return g;
}

void rr_figs_setting(rr_figs *f, const char *key, const char *value)
{
    for (size_t i = 0; i < f->nset; i++)
        if (strcmp(f->set_key[i], key) == 0) return;
    size_t cap = f->capset;
    f->set_key = rr_xgrow(f->set_key, &cap, f->nset + 1, sizeof *f->set_key);
    f->set_val = rr_xgrow(f->set_val, &f->capset, f->nset + 1, sizeof *f->set_val);
    f->set_key[f->nset] = rr_xstrdup(key);
    f->set_val[f->nset] = rr_xstrdup(value ? value : "");
    f->nset++;
}

void rr_figs_action(rr_figs *f, const char *rule, const char *text, size_t ncite, const size_t *cite)
{
    f->actions = rr_xrealloc(f->actions, (f->nactions + 1) * sizeof *f->actions);
    rr_fig_action *a = &f->actions[f->nactions++];
    a->rule = rr_xstrdup(rule);
    a->text = rr_xstrdup(text);
    a->ncite = ncite;
    a->cite = rr_xmalloc((ncite ? ncite : 1) * sizeof *a->cite);
    if (ncite) memcpy(a->cite, cite, ncite * sizeof *cite);
}

void rr_fig_set_model(rr_fig *g, const char *model)
{
    free(g->model);
    g->model = model ? rr_xstrdup(model) : NULL;
}

/* the first figure with metric, period and key; with exact, also dim and model */
static const rr_fig *lookup(const rr_figs *f, const char *metric, const char *period, const char *key, int exact,
                            const char *dim, const char *model)
{
    if (!f->ixcap) return NULL;
    uint64_t h = fig_hash(metric, period, key);
    size_t m = f->ixcap - 1;
    for (size_t s = (size_t)h & m; f->ix[s].fig; s = (s + 1) & m) {
        if (f->ix[s].hash != h) continue;
        const rr_fig *g = &f->v[f->ix[s].fig - 1];
        if (strcmp(g->metric, metric) || strcmp(g->period, period) || !same(g->key, key)) continue;
        if (exact && (!same(g->dim, dim) || !same(g->model, model))) continue;
        return g;
    }
    return NULL;
}

const rr_fig *rr_figs_find(const rr_figs *f, const char *metric, const char *period, const char *key)
{
    return lookup(f, metric, period, key, 0, NULL, NULL);
}

const rr_fig *rr_figs_find_exact(const rr_figs *f, const char *metric, const char *period, const char *dim,
                                 const char *key, const char *model)
{
    return lookup(f, metric, period, key, 1, dim, model);
}

double rr_figs_get(const rr_figs *f, const char *metric, const char *period, const char *key)
{
    const rr_fig *g = rr_figs_find(f, metric, period, key);
    return g && g->defined ? g->value : NAN;
}

static const char *unit_name(const rr_figs *f, rr_fig_unit u)
{
    switch (u) {
    case RR_FU_MONEY: return f->currency;
    case RR_FU_COUNT: return "count";
    case RR_FU_FRACTION: return "fraction";
    case RR_FU_RATIO: return "ratio";
    case RR_FU_DAYS: return "days";
    case RR_FU_NUMBER: return "number";
    }
    return "number";
}

#define W(call) do { if ((call) < 0) goto fail; } while (0)
#define X(s) BAD_CAST (s)

rr_status rr_figs_write_xml(const rr_figs *f, const rr_figs_meta *m, const char *path, rr_error *err)
{
    xmlTextWriterPtr w = xmlNewTextWriterFilename(path, 0);
    char buf[64];
    if (!w) return rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "cannot create the figures file");
    W(xmlTextWriterSetIndent(w, 1));
    W(xmlTextWriterSetIndentString(w, X("  ")));
    W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
    W(xmlTextWriterStartElementNS(w, NULL, X("report"), X(RR_FIGS_NS)));
    W(xmlTextWriterWriteAttribute(w, X("generator"), X(m->version ? m->version : "revreport")));
    W(xmlTextWriterWriteAttribute(w, X("period"), X(m->period)));
    W(xmlTextWriterWriteAttribute(w, X("period-kind"), X(m->period_kind)));
    W(xmlTextWriterWriteAttribute(w, X("currency"), X(f->currency)));
    if (m->company) W(xmlTextWriterWriteAttribute(w, X("company"), X(m->company)));
    if (m->generated) W(xmlTextWriterWriteAttribute(w, X("generated"), X(m->generated)));

    W(xmlTextWriterStartElement(w, X("inputs")));
    for (size_t i = 0; i < m->ninputs; i++) {
        W(xmlTextWriterStartElement(w, X("file")));
        W(xmlTextWriterWriteAttribute(w, X("name"), X(m->in_name[i])));
        snprintf(buf, sizeof buf, "%ld", m->in_rows[i]);
        W(xmlTextWriterWriteAttribute(w, X("rows"), X(buf)));
        snprintf(buf, sizeof buf, "%ld", m->in_used[i]);
        W(xmlTextWriterWriteAttribute(w, X("rows-used"), X(buf)));
        snprintf(buf, sizeof buf, "%ld", m->in_skipped[i]);
        W(xmlTextWriterWriteAttribute(w, X("rows-skipped"), X(buf)));
        snprintf(buf, sizeof buf, "%lld", m->in_bytes[i]);
        W(xmlTextWriterWriteAttribute(w, X("bytes"), X(buf)));
        W(xmlTextWriterWriteAttribute(w, X("sha256"), X(m->in_sha[i])));
        W(xmlTextWriterEndElement(w));
    }
    W(xmlTextWriterEndElement(w));

    if (m->nwarnings || m->nomitted) {
        W(xmlTextWriterStartElement(w, X("notes")));
        for (size_t i = 0; i < m->nomitted; i++)
            W(xmlTextWriterWriteElement(w, X("omitted"), X(m->omitted[i])));
        for (size_t i = 0; i < m->nwarnings; i++)
            W(xmlTextWriterWriteElement(w, X("warning"), X(m->warnings[i])));
        W(xmlTextWriterEndElement(w));
    }

    if (f->nset) {   /* the settings behind the figures: two runs with different ones say so */
        W(xmlTextWriterStartElement(w, X("settings")));
        for (size_t i = 0; i < f->nset; i++) {
            W(xmlTextWriterStartElement(w, X("setting")));
            W(xmlTextWriterWriteAttribute(w, X("key"), X(f->set_key[i])));
            W(xmlTextWriterWriteAttribute(w, X("value"), X(f->set_val[i])));
            W(xmlTextWriterEndElement(w));
        }
        W(xmlTextWriterEndElement(w));
    }

    W(xmlTextWriterStartElement(w, X("figures")));
    for (size_t i = 0; i < f->n; i++) {
        const rr_fig *g = &f->v[i];
        W(xmlTextWriterStartElement(w, X("figure")));
        W(xmlTextWriterWriteAttribute(w, X("metric"), X(g->metric)));
        W(xmlTextWriterWriteAttribute(w, X("period"), X(g->period)));
        if (g->dim && g->key) W(xmlTextWriterWriteAttribute(w, X(g->dim), X(g->key)));
        if (g->model) W(xmlTextWriterWriteAttribute(w, X("model"), X(g->model)));
        W(xmlTextWriterWriteAttribute(w, X("unit"), X(unit_name(f, g->unit))));
        if (!g->defined) {
            W(xmlTextWriterWriteAttribute(w, X("defined"), X("false")));
            W(xmlTextWriterWriteAttribute(w, X("reason"), X(g->reason)));
        } else if (g->unit == RR_FU_MONEY) {
            rr_money_str(g->money, 4, buf, sizeof buf);
            W(xmlTextWriterWriteAttribute(w, X("value"), X(buf)));
        } else if (g->unit == RR_FU_COUNT) {
            snprintf(buf, sizeof buf, "%.0f", g->value);
            W(xmlTextWriterWriteAttribute(w, X("value"), X(buf)));
        } else {
            snprintf(buf, sizeof buf, "%.10g", g->value);
            W(xmlTextWriterWriteAttribute(w, X("value"), X(buf)));
        }
        W(xmlTextWriterEndElement(w));
    }
    W(xmlTextWriterEndElement(w));
    /* recommended actions, each with the figures it cites (same attributes as
     * the <figure>, so a check finds each one there) */
    if (f->nactions) {
        W(xmlTextWriterStartElement(w, X("actions")));
        for (size_t i = 0; i < f->nactions; i++) {
            const rr_fig_action *a = &f->actions[i];
            W(xmlTextWriterStartElement(w, X("action")));
            W(xmlTextWriterWriteAttribute(w, X("rule"), X(a->rule)));
            W(xmlTextWriterWriteElement(w, X("text"), X(a->text)));
            for (size_t k = 0; k < a->ncite; k++) {
                if (a->cite[k] >= f->n) continue;
                const rr_fig *g = &f->v[a->cite[k]];
                W(xmlTextWriterStartElement(w, X("cite")));
                W(xmlTextWriterWriteAttribute(w, X("metric"), X(g->metric)));
                W(xmlTextWriterWriteAttribute(w, X("period"), X(g->period)));
                if (g->dim && g->key) W(xmlTextWriterWriteAttribute(w, X(g->dim), X(g->key)));
                if (g->model) W(xmlTextWriterWriteAttribute(w, X("model"), X(g->model)));
                if (g->defined && g->unit == RR_FU_MONEY) {
                    rr_money_str(g->money, 4, buf, sizeof buf);
                    W(xmlTextWriterWriteAttribute(w, X("value"), X(buf)));
                } else if (g->defined && g->unit == RR_FU_COUNT) {
                    snprintf(buf, sizeof buf, "%.0f", g->value);
                    W(xmlTextWriterWriteAttribute(w, X("value"), X(buf)));
                } else if (g->defined) {
                    snprintf(buf, sizeof buf, "%.10g", g->value);
                    W(xmlTextWriterWriteAttribute(w, X("value"), X(buf)));
                }
                W(xmlTextWriterEndElement(w));
            }
            W(xmlTextWriterEndElement(w));
        }
        W(xmlTextWriterEndElement(w));
    }
    W(xmlTextWriterEndElement(w));
    W(xmlTextWriterEndDocument(w));
    xmlFreeTextWriter(w);
    return RR_OK;
fail:
    xmlFreeTextWriter(w);
    return rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "cannot write the figures file");
}
