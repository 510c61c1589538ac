/* figures.c: the figure store and its XML form (libxml2 xmlTextWriter). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>
#include "revreport/figures.h"
#include "revreport/xmp.h"
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
        free(f->v[i].deal_types);
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

void rr_fig_set_deal_types(rr_fig *g, const char *deal_types)
{
    free(g->deal_types);
    g->deal_types = deal_types ? rr_xstrdup(deal_types) : NULL;
}

void rr_fig_set_status(rr_fig *g, const char *status) { g->status = status; }

void rr_figs_tag_deal_types(rr_figs *f, const char *const *metrics, const char *deal_types)
{
    for (size_t i = 0; i < f->n; i++) {
        if (f->v[i].deal_types) continue;
        for (const char *const *m = metrics; *m; m++)
            if (!strcmp(f->v[i].metric, *m)) { f->v[i].deal_types = rr_xstrdup(deal_types); break; }
    }
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

/* ISO 4217 codes in use (active list, 2024) */
static const char iso4217[] =
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BZD "
    "CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP "
    "GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW "
    "KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN "
    "NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL "
    "SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES "
    "VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG ZWL";

int rr_currency_normalise(const char *in, char out[4])
{
    if (!in || strlen(in) != 3) return -1;
    for (int i = 0; i < 3; i++) {
        char c = in[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (c < 'A' || c > 'Z') return -1;
        out[i] = c;
    }
    out[3] = 0;
    for (const char *p = iso4217; *p; p += p[3] ? 4 : 3)
        if (memcmp(p, out, 3) == 0) return 0;
    return -1;
}

/* An attribute whose value is text from the data (company, channel, ...) */
static int text_attr(xmlTextWriterPtr w, const char *name, const char *v)
{
    char *own;
    int r = xmlTextWriterWriteAttribute(w, X(name), X(rr_xml_text(v, &own)));
    free(own);
    return r;
}

static int text_el(xmlTextWriterPtr w, const char *name, const char *v)
{
    char *own;
    int r = xmlTextWriterWriteElement(w, X(name), X(rr_xml_text(v, &own)));
    free(own);
    return r;
}

/* v as an xs:decimal with 10 significant digits, never in exponent form
 * (3.703703704e-06 is "0.000003703703704"); |v| < 1e-12 is "0".  The caller
 * writes |v| >= 1e15 (no figure of a report) as not defined. */
static void decimal_str(double v, char *buf, size_t cap)
{
    if (fabs(v) < 1e-12) { snprintf(buf, cap, "0"); return; }   /* xs:decimal in libxml2: 24 digits at most */
    int mag = (int)floor(log10(fabs(v)));           /* 10^mag <= |v| */
    int prec = 9 - mag;
    if (prec < 0) prec = 0;
    if (prec > 40) prec = 40;
    snprintf(buf, cap, "%.*f", prec, v);
    if (strchr(buf, '.')) {
        size_t l = strlen(buf);
        while (l && buf[l - 1] == '0') buf[--l] = 0;
        if (l && buf[l - 1] == '.') buf[--l] = 0;
    }
    if (!strcmp(buf, "-0")) snprintf(buf, cap, "0");
}

/* REVREPORT_XSD=docs/figures.xsd (set by make check and the fuzz targets):
 * the file just written must validate against the schema, else the run
 * fails (RR_ERR_INTERNAL: a bug, the writer broke its own contract). */
static void quiet(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

static rr_status check_schema(const char *path, rr_error *err)
{
    const char *xsd = getenv("REVREPORT_XSD");
    if (!xsd || !*xsd) return RR_OK;
    rr_status st = RR_OK;
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(xsd);
    xmlSchemaPtr schema = pc ? xmlSchemaParse(pc) : NULL;
    xmlSchemaValidCtxtPtr vc = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
    if (!vc) {
        st = rr_error_set(err, RR_ERR_INTERNAL, xsd, 0, 0, NULL, "REVREPORT_XSD: cannot load the schema");
        goto out;
    }
    xmlSchemaSetValidErrors(vc, quiet, quiet, NULL);
    int r = xmlSchemaValidateFile(vc, path, 0);
    if (r != 0) {
        const xmlError *e = xmlGetLastError();
        st = rr_error_set(err, RR_ERR_INTERNAL, path, e ? e->line : 0, 0, NULL,
                          "report.xml does not validate against %s: %.300s", xsd, e && e->message ? e->message : "");
    }
out:
    if (vc) xmlSchemaFreeValidCtxt(vc);
    if (schema) xmlSchemaFree(schema);
    if (pc) xmlSchemaFreeParserCtxt(pc);
    return st;
}

rr_status rr_figs_write_xml(const rr_figs *f, const rr_figs_meta *m, const char *path, rr_error *err)
{
    xmlTextWriterPtr w = xmlNewTextWriterFilename(path, 0);
    char buf[400];
    if (!w) return rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "cannot create the figures file");
    W(xmlTextWriterSetIndent(w, 1));
    W(xmlTextWriterSetIndentString(w, X("  ")));
    W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
    W(xmlTextWriterStartElementNS(w, NULL, X("report"), X(RR_FIGS_NS)));
    W(text_attr(w, "generator", m->version ? m->version : "revreport"));
    W(text_attr(w, "period", m->period));
    W(xmlTextWriterWriteAttribute(w, X("period-kind"), X(m->period_kind)));
    W(xmlTextWriterWriteAttribute(w, X("currency"), X(f->currency)));
    if (m->company) W(text_attr(w, "company", m->company));
    if (m->generated) W(text_attr(w, "generated", m->generated));

    W(xmlTextWriterStartElement(w, X("inputs")));
    for (size_t i = 0; i < m->ninputs; i++) {
        W(xmlTextWriterStartElement(w, X("file")));
        W(text_attr(w, "name", m->in_name[i]));
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
            W(text_el(w, "omitted", m->omitted[i]));
        for (size_t i = 0; i < m->nwarnings; i++)
            W(text_el(w, "warning", m->warnings[i]));
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
        if (g->dim && g->key) W(text_attr(w, g->dim, g->key));
        if (g->model) W(text_attr(w, "model", g->model));
        W(xmlTextWriterWriteAttribute(w, X("unit"), X(unit_name(f, g->unit))));
        int huge = g->defined && g->unit != RR_FU_MONEY && fabs(g->value) >= 1e15;
        if (!g->defined || huge) {
            W(xmlTextWriterWriteAttribute(w, X("defined"), X("false")));
            W(text_attr(w, "reason", huge ? "too large to state (1e15 or more)" : g->reason));
        } else if (g->unit == RR_FU_MONEY) {
            rr_money_str(g->money, 4, buf, sizeof buf);
            W(xmlTextWriterWriteAttribute(w, X("value"), X(buf)));
        } else if (g->unit == RR_FU_COUNT) {
            decimal_str(round(g->value), buf, sizeof buf);
            W(xmlTextWriterWriteAttribute(w, X("value"), X(buf)));
        } else {
            decimal_str(g->value, buf, sizeof buf);
            W(xmlTextWriterWriteAttribute(w, X("value"), X(buf)));
        }
        /* after the value, so that readers matching metric ... unit ... value keep working */
        if (g->deal_types) W(text_attr(w, "deal_types", g->deal_types));
        if (g->status) W(xmlTextWriterWriteAttribute(w, X("status"), X(g->status)));
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
    return check_schema(path, err);
fail:
    xmlFreeTextWriter(w);
    return rr_error_set(err, RR_ERR_IO, path, 0, 0, NULL, "cannot write the figures file");
}
