/* report.c: the pipeline of one report run, read top to bottom in
 * rr_report_run(): period -> catalogue -> read inputs -> validate ->
 * compute -> figures -> document -> write XML, HTML, PDF -> commit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "revreport/board.h"
#include "revreport/build.h"
#include "revreport/data.h"
#include "revreport/doc.h"
#include "revreport/figures.h"
#include "revreport/fmt.h"
#include "revreport/fontset.h"
#include "revreport/fresh.h"
#include "revreport/html.h"
#include "revreport/i18n.h"
#include "revreport/lock.h"
#include "revreport/mail.h"
#include "revreport/metrics.h"
#include "revreport/outdir.h"
#include "revreport/paths.h"
#include "revreport/pdf.h"
#include "revreport/plan.h"
#include "revreport/period.h"
#include "revreport/report.h"
#include "revreport/xalloc.h"

rr_report_opts rr_report_opts_default(void)
{
    rr_report_opts o;
    memset(&o, 0, sizeof o);
    o.output_dir = "out";
    o.fy_start = 1;
    o.currency = "USD";
    o.lang = "en";
    o.company = "";
    o.lookback_days = 365;
    o.now = time(NULL);
    /* tests only (docs/delivery.md): a fake clock, seconds since 1970 */
    const char *fake = getenv("REVREPORT_NOW");
    if (fake && *fake) {
        char *end;
        long long v = strtoll(fake, &end, 10);
        if (!*end && v > 0) o.now = (time_t)v;
    }
    return o;
}

const char *rr_report_datadir(void)
{
    const char *env = getenv("REVREPORT_DATADIR");
    if (env && *env) return env;
    if (access(RR_DATADIR "/templates/i18n/en.txt", R_OK) == 0) return RR_DATADIR "/templates";
    return RR_SRCDIR "/templates";
}

/* Everything one run owns; freed once in run_free(). */
typedef struct {
    rr_period period;
    rr_i18n *cat;
    rr_fmt fmt;
    rr_data *data;
    rr_metrics *metrics;
    rr_plan *plan;
    rr_figs figs;
    rr_doc *doc;
    rr_outdir *out;
    rr_lock *lock;         /* one run at a time per output folder */
    rr_doc *html_doc, *pdf_doc, *appendix;   /* views of doc (board.h): report.sections, the pack */
    char **omitted;
    size_t nomitted;
    char generated[32];
} run;

static void run_free(run *r)
{
    rr_outdir_free(r->out);
    rr_lock_release(r->lock);
    rr_board_view_free(r->html_doc);
    rr_board_view_free(r->pdf_doc);
    rr_board_view_free(r->appendix);
    rr_doc_free(r->doc);
    rr_figs_free(&r->figs);
    rr_plan_free(r->plan);
    rr_metrics_free(r->metrics);
    rr_data_free(r->data);
    rr_i18n_free(r->cat);
    for (size_t i = 0; i < r->nomitted; i++) free(r->omitted[i]);
    free(r->omitted);
}

/* The first line of an input file holding text (file name and line in
 * *file, *line; 0 when no file holds it as written). */
static void find_line(const rr_data *d, const char *text, const char **file, long *line)
{
    *file = "";
    *line = 0;
    for (size_t i = 0; i < d->ninputs; i++) {
        FILE *f = fopen(d->inputs[i].path, "r");
        if (!f) continue;
        char *buf = NULL;
        size_t cap = 0;
        long n = 0;
        while (getline(&buf, &cap, f) >= 0) {
            n++;
            if (strstr(buf, text)) { *file = d->inputs[i].name; *line = n; break; }
        }
        free(buf);
        fclose(f);
        if (*line) return;
    }
}

/* Every name of the data is drawn with an installed font (the PDF's
 * fontset: TrueType fonts fontconfig knows): a character none has would
 * print as a box, so it is a data-quality warning naming the text, its file
 * and line, and the Debian package whose fonts have it. */
static void warn_unrenderable(run *r, const rr_report_opts *o)
{
    char dejavu[1200];
    snprintf(dejavu, sizeof dejavu, "%s/DejaVuSans.ttf", o->font_dir && *o->font_dir ? o->font_dir : RR_FONTDIR);
    rr_fontset *fs = rr_fontset_new(rr_i18n_lang(r->cat), dejavu, rr_tr(r->cat, "font.family"), 1);
    const rr_dict *dicts[] = {&r->data->channels, &r->data->campaigns, &r->data->names, &r->data->sources,
                              &r->data->stages, &r->data->owners};
    size_t warned = 0;
    for (size_t k = 0; k < sizeof dicts / sizeof dicts[0] && warned < 20; k++)
        for (int32_t id = 0; id < (int32_t)dicts[k]->n && warned < 20; id++) {
            const char *name = rr_dict_name(dicts[k], id);
            unsigned cp = rr_fontset_missing(fs, name, strlen(name));
            if (!cp) continue;
            const char *file;
            long line;
            find_line(r->data, name, &file, &line);
            char ln[24], u[16], ch[8] = "";
            snprintf(ln, sizeof ln, "%ld", line);
            snprintf(u, sizeof u, "U+%04X", cp);
            /* the character itself, as UTF-8 */
            if (cp < 0x800) snprintf(ch, sizeof ch, "%c%c", 0xC0 | (cp >> 6), 0x80 | (cp & 0x3F));
            else if (cp < 0x10000) snprintf(ch, sizeof ch, "%c%c%c", 0xE0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F));
            else snprintf(ch, sizeof ch, "%c%c%c%c", 0xF0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3F), 0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F));
            rr_data_warnk(r->data, "dq.no_font",
                          "{file}:{line}: \"{text}\" has {char} ({code}), which no installed font has: it would print "
                          "as a box (apt-get install {package})",
                          "file", *file ? file : "?", "line", line ? ln : "?", "text", name, "char", ch, "code", u,
                          "package", rr_fontset_package(cp), NULL);
            warned++;
        }
    rr_fontset_free(fs);
}

static void omit(run *r, const char *text)
{
    r->omitted = rr_xrealloc(r->omitted, (r->nomitted + 1) * sizeof *r->omitted);
    r->omitted[r->nomitted++] = rr_xstrdup(text);
}

/* Sections that cannot be built from the files present, and data-quality
 * warnings; with --strict every warning is an error. */
static rr_status validate(run *r, const rr_report_opts *o, rr_error *err)
{
    const rr_data *d = r->data;
    static const struct { int file; const char *key; } needs[] = {
        {RR_IN_SPEND, "omit.spend"}, {RR_IN_TOUCH, "omit.touchpoints"}, {RR_IN_LEADS, "omit.leads"},
        {RR_IN_TARGETS, "omit.targets"}};
    for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++)
        if (!d->files[needs[i].file].present) omit(r, rr_tr(r->cat, needs[i].key));
    if (o->strict && (d->nwarnings || d->duplicate_opps))
        return rr_error_set(err, RR_ERR_INPUT, NULL, 0, 0, NULL, "--strict: %s",
                            d->nwarnings ? d->warnings[0] : "duplicate opportunity ids");
    return RR_OK;
}

/* How to read the input folder: settings input.* (main.c puts --profile,
 * --encoding and --date-order there). */
static rr_status input_opts(const rr_report_opts *o, rr_input_opts *io, rr_error *err)
{
    memset(io, 0, sizeof *io);
    io->encoding = rr_config_str(o->config, "input.encoding", "auto");
    io->overrides = rr_config_str(o->config, "input.profiles", NULL);
    io->stages = rr_config_str(o->config, "input.stages", NULL);
    io->channel_map = rr_config_str(o->config, "input.channel_map", NULL);
    io->user_profiles = rr_config_str(o->config, "input.profile_dir", NULL);
    io->strict = o->strict;
    /* contact ids only group touchpoints by contact for leads-as-null paths:
     * a million contacts not interned otherwise (a third of the dictionary work) */
    io->skip_contacts = !rr_config_bool(o->config, "attribution.leads_as_null", 0);
    io->follow_links = rr_config_bool(o->config, "input.follow_links", 0);
    const char *dord = rr_config_str(o->config, "input.date_order", "auto");
    int v = rr_date_order_parse(dord);
    if (v < 0)
        return rr_error_set(err, RR_ERR_USAGE, NULL, 0, 0, NULL,
                            "--date-order (input.date_order) \"%s\": expected dmy, mdy, ymd or auto", dord);
    io->date_order = v;
    return RR_OK;
}

static rr_status write_figures(run *r, const rr_report_opts *o, const char *path, rr_error *err)
{
    /* every file read: a canonical file, or each export that fed a table */
    size_t cap = r->data->ninputs ? r->data->ninputs : 1;
    const char **names = rr_xcalloc(cap, sizeof *names), **sha = rr_xcalloc(cap, sizeof *sha);
    long *rows = rr_xcalloc(cap, sizeof *rows), *used = rr_xcalloc(cap, sizeof *used);
    long *skipped = rr_xcalloc(cap, sizeof *skipped);
    long long *bytes = rr_xcalloc(cap, sizeof *bytes);
    char (*hex)[65] = rr_xcalloc(cap, sizeof *hex);
    size_t n = 0;
    for (size_t k = 0; k < (size_t)RR_IN_COUNT * r->data->ninputs; k++) {   /* by table, in RR_IN_* order */
        size_t i = k % r->data->ninputs;
        const rr_input_file *f = &r->data->inputs[i];
        const rr_csv_stats *st = rr_data_input_stats(r->data, i);
        if (!f->present || f->table != (int)(k / r->data->ninputs)) continue;
        names[n] = f->name;
        rows[n] = st->rows; used[n] = st->rows_used; skipped[n] = st->rows_skipped;
        bytes[n] = st->bytes;
        rr_sha256_hex(st->sha256, hex[n]);
        sha[n] = hex[n];
        n++;
    }
    /* paths.csv is an input of its own (the attribution section computes its models): listed
     * with its records, bytes and checksum like the tables */
    char ppath[1200];
    snprintf(ppath, sizeof ppath, "%s/paths.csv", o->input_dir ? o->input_dir : ".");
    long prow = 0;
    long long pbytes = 0;
    unsigned char psha[32];
    if (access(ppath, R_OK) == 0 && rr_paths_file_stats(ppath, &prow, &pbytes, psha) == RR_OK) {
        cap = n + 1;
        names = rr_xrealloc(names, cap * sizeof *names); sha = rr_xrealloc(sha, cap * sizeof *sha);
        rows = rr_xrealloc(rows, cap * sizeof *rows); used = rr_xrealloc(used, cap * sizeof *used);
        skipped = rr_xrealloc(skipped, cap * sizeof *skipped); bytes = rr_xrealloc(bytes, cap * sizeof *bytes);
        hex = rr_xrealloc(hex, cap * sizeof *hex);
        for (size_t j = 0; j < n; j++) sha[j] = hex[j];   /* hex may have moved */
        names[n] = "paths.csv";
        rows[n] = used[n] = prow; skipped[n] = 0; bytes[n] = pbytes;
        rr_sha256_hex(psha, hex[n]);
        sha[n] = hex[n];
        n++;
    }
    rr_figs_meta meta = {
        .period = r->period.label,
        .period_kind = r->period.kind == RR_PERIOD_MONTH ? "month" : "quarter",
        .generated = r->generated, .company = o->company, .version = PACKAGE_STRING,
        .ninputs = n, .in_name = names, .in_rows = rows, .in_used = used, .in_skipped = skipped,
        .in_bytes = bytes, .in_sha = sha,
        .nwarnings = r->data->nwarnings, .warnings = (const char *const *)r->data->warnings,
        .nomitted = r->nomitted, .omitted = (const char *const *)r->omitted};
    rr_status st = rr_figs_write_xml(&r->figs, &meta, path, err);
    free(names); free(sha); free(rows); free(used); free(skipped); free(bytes); free(hex);
    return st;
}

/* The sections each output shows: the template's (the PDF follows the HTML
 * template, so a section left out of it is left out of both), less those
 * report.sections does not name; the pack (report.pack = board | full)
 * shapes the PDF: the board pack is page 1 and the key charts, the rest in
 * report-appendix.pdf (report.appendix = pdf | none). */
static rr_status pack_views(run *r, const rr_report_opts *o, const char *datadir, rr_error *err)
{
    const rr_config *cfg = o->config;
    const char *pack = rr_config_str(cfg, "report.pack", "full");
    const char *app = rr_config_str(cfg, "report.appendix", "pdf");
    const char *only = rr_config_str(cfg, "report.sections", NULL);
    if (strcmp(pack, "board") != 0 && strcmp(pack, "full") != 0)
        return rr_error_set(err, RR_ERR_CONFIG, rr_config_where(cfg, "report.pack"), 0, 0, NULL,
                            "report.pack \"%s\": expected board or full", pack);
    if (strcmp(app, "pdf") != 0 && strcmp(app, "none") != 0)
        return rr_error_set(err, RR_ERR_CONFIG, rr_config_where(cfg, "report.appendix"), 0, 0, NULL,
                            "report.appendix \"%s\": expected pdf or none", app);
    size_t ns = r->doc->nsections, n = 0, k = 0;
    size_t *order = rr_xcalloc(ns ? ns : 1, sizeof *order);
    rr_status st = rr_html_template_order(r->doc, datadir, order, &n, err);
    if (st != RR_OK) goto out;
    for (size_t i = 0; i < n; i++) {   /* report.sections: "summary,revenue,funnel" */
        const char *id = r->doc->sections[order[i]].id;
        size_t l = strlen(id);
        int keep = !only;
        for (const char *p = only; p && *p && !keep;) {
            while (*p == ' ' || *p == ',') p++;
            size_t m = strcspn(p, ", ");
            keep = m == l && strncmp(p, id, l) == 0;
            p += m;
        }
        if (keep) order[k++] = order[i];
    }
    if (only && k == 0) {
        st = rr_error_set(err, RR_ERR_CONFIG, rr_config_where(cfg, "report.sections"), 0, 0, NULL,
                          "report.sections \"%s\": names no section of the report (summary, revenue, forecast, "
                          "roi, attribution, funnel, appendix)", only);
        goto out;
    }
    if (only) {   /* the HTML in the doc's order; its template places them */
        size_t *docorder = rr_xcalloc(ns ? ns : 1, sizeof *docorder), m = 0;
        for (size_t s = 0; s < ns; s++)
            for (size_t i = 0; i < k; i++)
                if (order[i] == s) { docorder[m++] = s; break; }
        r->html_doc = rr_board_view(r->doc, docorder, m, 0);
        free(docorder);
    }
    int board = strcmp(pack, "board") == 0;
    r->pdf_doc = rr_board_view(r->doc, order, k, board);
    if (board && strcmp(app, "pdf") == 0)
        r->appendix = rr_board_appendix(r->doc, order, k, rr_tr(r->cat, "board.appendix_title"));
out:
    free(order);
    return st;
}

static long long source_epoch(const rr_report_opts *o)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
        char *end;
        long long v = strtoll(s, &end, 10);
        if (!*end && v >= 0) return v;
    }
    return (long long)o->now;
}

rr_status rr_report_run(const rr_report_opts *o, rr_error *err)
{
    rr_timing(NULL);
    run r;
    rr_status st;
    memset(&r, 0, sizeof r);
    const char *datadir = o->template_dir ? o->template_dir : rr_report_datadir();
    long long epoch = source_epoch(o);
    time_t et = (time_t)epoch;
    struct tm tm;
    gmtime_r(&et, &tm);
    strftime(r.generated, sizeof r.generated, "%Y-%m-%d %H:%M UTC", &tm);

    /* 1. which period */
    if ((st = rr_period_parse_zone(o->month, o->quarter, o->relative, o->fy_start, o->now,
                                   rr_config_str(o->config, "report.timezone", "UTC"), &r.period, err))) goto out;
    /* 2. the words of the report */
    if ((st = rr_i18n_load(datadir, o->lang, &r.cat, err))) goto out;
    rr_fmt_init(&r.fmt, r.cat, o->currency);
    /* 3. read inputs */
    r.data = rr_data_new(o->currency);
    rr_input_opts io;
    if ((st = input_opts(o, &io, err))) goto out;
    if ((st = rr_data_load_dir_opts(r.data, o->input_dir, &io, err))) goto out;
    rr_timing("read inputs");
    rr_data_check(r.data, r.period.first, r.period.last);
    warn_unrenderable(&r, o);               /* a name no installed font can draw */
    /* 3b. freshness: does every input reach the end of the period? */
    rr_fresh fresh;
    long max_age = rr_config_int(o->config, "report.max_data_age_days", 7);
    if (max_age < 0 || max_age > 366) {
        st = rr_error_set(err, RR_ERR_CONFIG, rr_config_where(o->config, "report.max_data_age_days"), 0, 0,
                          "report.max_data_age_days", "%ld: expected 0-366 days", max_age);
        goto out;
    }
    rr_fresh_check(r.data, &r.period, o->now, (int)max_age, &fresh);
    if (fresh.nstale && o->unattended && !rr_config_bool(o->config, "report.allow_stale", 0) &&
        (st = rr_config_check(o->config, err)) == RR_OK) {
        st = rr_fresh_error(&fresh, r.period.label, err);
        goto out;
    }
    /* 4. validate: sections left out, data-quality warnings */
    if ((st = validate(&r, o, err))) goto out;
    /* 5. compute metrics and collect every figure */
    rr_metrics_opts mo;
    rr_metrics_opts_from_config(o->config, o->lookback_days, &mo);
    rr_timing("check and validate");
    r.metrics = rr_metrics_compute(r.data, &r.period, &mo);
    rr_figs_init(&r.figs, o->currency);
    rr_metrics_figures(r.metrics, &r.period, &r.figs);
    /* deal types, plan vs actual, year on year, top deals (plan.c) */
    rr_plan_opts plo;
    rr_plan_opts_from_config(o->config, &plo);
    r.plan = rr_plan_compute(r.data, r.metrics, &r.period, &plo);
    rr_timing("metrics");
    /* 6. the document (layout of charts happens in the writers) */
    rr_build_ctx bc = {r.data, r.metrics, &r.figs, &r.period, r.cat, &r.fmt, o->company, o->logo, r.generated,
                       o->lookback_days, r.nomitted, (const char *const *)r.omitted, o->config, r.plan};
    r.doc = rr_build_doc(&bc);
    r.doc->banner = rr_fresh_banner(&fresh, r.cat);
    {   /* no silent wrong number: files left out and rows rejected are on page 1 too */
        char *dq = rr_data_banner(r.data, r.cat);
        if (dq && r.doc->banner) {
            char *both = rr_xasprintf("%s %s", r.doc->banner, dq);
            free(r.doc->banner);
            free(dq);
            r.doc->banner = both;
        } else if (dq)
            r.doc->banner = dq;
    }
    rr_timing("sections (document)");
    /* the big files' checksums were computed on the cores the rest left idle */
    if ((st = rr_data_checksums(r.data, err))) goto out;
    rr_timing("checksums (wait)");
    if ((st = rr_config_check(o->config, err))) goto out;
    /* 7. write report.xml, report.html, report.pdf (+ report.eml) into a staging folder */
    if ((st = rr_lock_acquire(o->output_dir, NULL, &r.lock, err))) goto out;
    if ((st = rr_outdir_begin(o->output_dir, &r.out, err))) goto out;
    if ((st = write_figures(&r, o, rr_outdir_path(r.out, "report.xml"), err))) goto out;
    rr_timing("report.xml");
    if ((st = pack_views(&r, o, datadir, err))) goto out;
    if ((st = rr_html_write(r.html_doc ? r.html_doc : r.doc, datadir, rr_outdir_path(r.out, "report.html"), err)))
        goto out;
    rr_timing("report.html");
    rr_pdf_opts po = rr_pdf_opts_default();
    po.paper = o->paper;
    po.landscape = o->landscape;
    if (o->font_dir) po.font_dir = o->font_dir;
    po.epoch = epoch;
    po.pdfa = o->archive;
    po.icc_path = rr_config_str(o->config, "archive.icc_profile", NULL);
    if (o->archive && (!o->config || rr_config_bool(o->config, "archive.attach_inputs", 0))) po.attach_dir = o->input_dir;
    if ((st = rr_pdf_write(r.pdf_doc, &po, rr_outdir_path(r.out, "report.pdf"), err))) goto out;
    if (r.appendix && (st = rr_pdf_write(r.appendix, &po, rr_outdir_path(r.out, "report-appendix.pdf"), err)))
        goto out;
    rr_timing("report.pdf");
    /* never in an archive: report.eml would keep the recipients' addresses for years */
    if (!o->archive && rr_mail_enabled(o->config) &&
        (st = rr_mail_write_report(r.doc, o->config, epoch, rr_outdir_path(r.out, "report.pdf"),
                                   rr_outdir_path(r.out, "report.eml"), err))) goto out;
    /* 8. all written: move into place together */
    st = rr_outdir_commit(r.out, err);
    rr_timing("commit outputs");
out:
    run_free(&r);
    rr_timing("free");
    return st;
}
