/* main.c: the revreport command line (GNU conventions).  All work is in
 * librr; this file only turns arguments into rr_report_opts. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "revreport/archive.h"
#include "revreport/attr_report.h"
#include "revreport/config.h"
#include "revreport/date.h"
#include "revreport/fc_report.h"
#include "revreport/figures.h"
#include "revreport/mail.h"
#include "revreport/pdf.h"
#include "revreport/report.h"
#include "revreport/smtp.h"
#include "revreport/strbuf.h"

static void usage(FILE *out)
{
    fputs("Usage: revreport [report] [OPTION]...\n"
          "  or:  revreport send [OPTION]...     the report, then e-mail report.eml (mail.* settings)\n"
          "  or:  revreport archive --into=DIR [--quarter=YYYYQn] [--force] [OPTION]...\n"
          "  or:  revreport verify ARCHIVE-FOLDER\n"
          "Turn marketing and CRM CSV exports into a revenue-marketing report:\n"
          "report.html, report.pdf and report.xml (every figure, machine-readable).\n"
          "\n"
          "Input and output:\n"
          "  -i, --input=DIR            folder with the canonical CSV files (default: .)\n"
          "  -o, --output=DIR           folder for the report (default: out); written\n"
          "                             atomically: a failed run keeps the previous report\n"
          "      --profile=FILE=NAME    read export FILE of the input folder through profile\n"
          "                             NAME or a .profile file; repeatable (docs/exports.md)\n"
          "      --encoding=[FILE=]CP   code page of files that are not UTF-8 (CP932,\n"
          "                             GB18030, CP1251, CP1252...; default: detect)\n"
          "      --date-order=ORDER     dmy, mdy or ymd: how exports write A/B/YYYY dates\n"
          "      --stage=STAGE=MEANING  a deal stage of an export: won, lost or open (repeatable)\n"
          "Period (one of; default: --period last-month):\n"
          "  -m, --month=YYYY-MM        a calendar month, e.g. 2026-10\n"
          "  -q, --quarter=YYYYQn       a fiscal quarter, e.g. 2026Q3\n"
          "  -p, --period=REL           last-month, last-quarter, this-month, this-quarter\n"
          "                             (relative to today in report.timezone, UTC\n"
          "                             by default)\n"
          "      --fiscal-year-start=M  first month of the fiscal year, 1-12 (default 1);\n"
          "                             fiscal years are named by the year they end in\n"
          "Figures:\n"
          "      --currency=CODE        base currency of the report (default USD);\n"
          "                             other currencies are converted with fx.csv\n"
          "      --lookback-days=N      touches up to N days before an opportunity was\n"
          "                             created count in its journey (default 365)\n"
          "      --strict               treat data-quality warnings as errors\n"
          "      --config=FILE          settings file (key = value lines)\n"
          "      --set=KEY=VALUE        one setting (wins over --config); repeatable\n"
          "      --list-settings        list every setting and exit\n"
          "Presentation:\n"
          "      --lang=LANG            report language: en (default), ja, zh or ru,\n"
          "                             whatever the machine's locale\n"
          "      --company=NAME         company name on the cover\n"
          "      --logo=FILE            PNG logo for the cover\n"
          "      --templates=DIR        template folder (a re-branded copy of templates/)\n"
          "      --font-dir=DIR         folder holding DejaVuSans.ttf and DejaVuSans-Bold.ttf\n"
          "      --paper=SIZE           a4 (default) or letter\n"
          "      --landscape            landscape pages\n"
          "      --pack=PACK            full (default): the whole report; board: page 1 and at\n"
          "                             most four pages, the rest in report-appendix.pdf\n"
          "Delivery (docs/delivery.md):\n"
          "      --allow-stale          send/archive even when an input ends before the\n"
          "                             period does (default: exit 7); a warning is shown\n"
          "                             on page 1 whatever the command\n"
          "      --into=DIR             archive: root of the archive (writes DIR/YYYY/Qn/)\n"
          "      --force                archive: replace an existing quarter, keeping the\n"
          "                             earlier one beside it as Qn.previous-<time>\n"
          "Other:\n"
          "      --quiet                print nothing on success\n"
          "  -h, --help                 show this help and exit\n"
          "  -V, --version              show the version and exit\n"
          "\n"
          "Exit status: 0 success; 1 internal error; 2 usage error; 3 input error (the\n"
          "message names file, line, column and field); 4 file-system error;\n"
          "5 configuration/template error; 6 rendering error; 7 send/archive refused:\n"
          "the inputs do not cover the period (each stale file is named).\n"
          "Input formats: docs/inputs.md.  Report a bug: " PACKAGE_BUGREPORT "\n",
          out);
}

enum { OPT_CURRENCY = 256, OPT_FY, OPT_LOOKBACK, OPT_STRICT, OPT_LANG, OPT_COMPANY, OPT_LOGO, OPT_TEMPLATES,
       OPT_FONTDIR, OPT_PAPER, OPT_LANDSCAPE, OPT_QUIET, OPT_CONFIG, OPT_SET, OPT_LIST_SETTINGS,
       OPT_INTO, OPT_FORCE, OPT_PROFILE, OPT_ENCODING, OPT_DATE_ORDER, OPT_STAGE, OPT_ALLOW_STALE,
       OPT_PACK };

/* One input.* setting from a command-line option (the option wins over --set). */
static rr_status set_input(rr_config *cfg, const char *key, const char *val, rr_error *err)
{
    rr_strbuf kv = {0};
    rr_strbuf_printf(&kv, "%s=%s", key, val);
    rr_status st = rr_config_set(cfg, kv.data, err);
    rr_strbuf_free(&kv);
    return st;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"input", required_argument, NULL, 'i'}, {"output", required_argument, NULL, 'o'},
        {"month", required_argument, NULL, 'm'}, {"quarter", required_argument, NULL, 'q'},
        {"period", required_argument, NULL, 'p'}, {"currency", required_argument, NULL, OPT_CURRENCY},
        {"fiscal-year-start", required_argument, NULL, OPT_FY},
        {"lookback-days", required_argument, NULL, OPT_LOOKBACK}, {"strict", no_argument, NULL, OPT_STRICT},
        {"lang", required_argument, NULL, OPT_LANG}, {"company", required_argument, NULL, OPT_COMPANY},
        {"logo", required_argument, NULL, OPT_LOGO}, {"templates", required_argument, NULL, OPT_TEMPLATES},
        {"font-dir", required_argument, NULL, OPT_FONTDIR}, {"paper", required_argument, NULL, OPT_PAPER},
        {"landscape", no_argument, NULL, OPT_LANDSCAPE}, {"quiet", no_argument, NULL, OPT_QUIET},
        {"config", required_argument, NULL, OPT_CONFIG}, {"set", required_argument, NULL, OPT_SET},
        {"list-settings", no_argument, NULL, OPT_LIST_SETTINGS},
        {"into", required_argument, NULL, OPT_INTO}, {"force", no_argument, NULL, OPT_FORCE},
        {"profile", required_argument, NULL, OPT_PROFILE}, {"encoding", required_argument, NULL, OPT_ENCODING},
        {"date-order", required_argument, NULL, OPT_DATE_ORDER}, {"stage", required_argument, NULL, OPT_STAGE},
        {"allow-stale", no_argument, NULL, OPT_ALLOW_STALE}, {"pack", required_argument, NULL, OPT_PACK},
        {"help", no_argument, NULL, 'h'}, {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
    rr_report_opts o = rr_report_opts_default();
    o.input_dir = ".";
    rr_config *cfg = rr_config_new();
    const char *sets[64];
    size_t nsets = 0;
    const char *config_file = NULL;
    rr_archive_opts ao = {&o, NULL, 0};
    const char *cmd = "report", *verify_dir = NULL;
    rr_strbuf in_profiles = {0}, in_encoding = {0}, in_stages = {0};
    const char *date_order = NULL;
    int allow_stale = 0, fy_given = 0;
    const char *pack = NULL;
    rr_error err;
    memset(&err, 0, sizeof err);
    int c, code = RR_EXIT_OK;
    static char currency[4];
    o.config = cfg;
    while ((c = getopt_long(argc, argv, "i:o:m:q:p:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': o.input_dir = optarg; break;
        case 'o': o.output_dir = optarg; break;
        case 'm': o.month = optarg; break;
        case 'q': o.quarter = optarg; break;
        case 'p': o.relative = optarg; break;
        case OPT_CURRENCY:
            if (rr_currency_normalise(optarg, currency) != 0) {
                fprintf(stderr, "revreport: --currency '%.16s': expected a 3-letter ISO 4217 code such as USD\n",
                        optarg);
                code = RR_EXIT_USAGE;
                goto out;
            }
            o.currency = currency;
            break;
        case OPT_FY:
            fy_given = 1;
            if (parse_int(optarg, 1, 12, &o.fy_start)) {
                fprintf(stderr, "revreport: --fiscal-year-start '%s': expected a month number 1-12\n", optarg);
                code = RR_EXIT_USAGE;
                goto out;
            }
            break;
        case OPT_LOOKBACK:
            if (parse_int(optarg, 0, 3650, &o.lookback_days)) {
                fprintf(stderr, "revreport: --lookback-days '%s': expected 0-3650\n", optarg);
                code = RR_EXIT_USAGE;
                goto out;
            }
            break;
        case OPT_STRICT: o.strict = 1; break;
        case OPT_LANG: o.lang = optarg; break;
        case OPT_COMPANY: o.company = optarg; break;
        case OPT_LOGO: o.logo = optarg; break;
        case OPT_TEMPLATES: o.template_dir = optarg; break;
        case OPT_FONTDIR: o.font_dir = optarg; break;
        case OPT_PAPER:
            if (!strcmp(optarg, "a4") || !strcmp(optarg, "A4")) o.paper = RR_PDF_A4;
            else if (!strcmp(optarg, "letter") || !strcmp(optarg, "Letter")) o.paper = RR_PDF_LETTER;
            else {
                fprintf(stderr, "revreport: --paper '%s': expected a4 or letter\n", optarg);
                code = RR_EXIT_USAGE;
                goto out;
            }
            break;
        case OPT_LANDSCAPE: o.landscape = 1; break;
        case OPT_QUIET: o.quiet = 1; break;
        case OPT_CONFIG: config_file = optarg; break;
        case OPT_INTO: ao.into = optarg; break;
        case OPT_FORCE: ao.force = 1; break;
        case OPT_ALLOW_STALE: allow_stale = 1; break;
        case OPT_STAGE: {
            const char *eq = strrchr(optarg, '=');
            if (!eq || eq == optarg || strchr(optarg, ';') ||
                (strcasecmp(eq + 1, "won") && strcasecmp(eq + 1, "lost") && strcasecmp(eq + 1, "open"))) {
                fprintf(stderr, "revreport: --stage '%s': expected STAGE=won, STAGE=lost or STAGE=open\n", optarg);
                code = RR_EXIT_USAGE;
                goto out;
            }
            rr_strbuf_printf(&in_stages, "%s%s", in_stages.len ? ";" : "", optarg);
            break;
        }
        case OPT_PACK:
            if (strcmp(optarg, "board") != 0 && strcmp(optarg, "full") != 0) {
                fprintf(stderr, "revreport: --pack '%s': expected board or full\n", optarg);
                code = RR_EXIT_USAGE;
                goto out;
            }
            pack = optarg;
            break;
        case OPT_PROFILE:
        case OPT_ENCODING:
            if (strchr(optarg, ';') || (c == OPT_PROFILE && !strchr(optarg, '=')) || !*optarg ||
                optarg[strlen(optarg) - 1] == '=') {
                fprintf(stderr, c == OPT_PROFILE ? "revreport: --profile '%s': expected FILE=NAME (a profile name or "
                                                   "a .profile file)\n"
                                                 : "revreport: --encoding '%s': expected CODEPAGE or FILE=CODEPAGE\n",
                        optarg);
                code = RR_EXIT_USAGE;
                goto out;
            }
            rr_strbuf_printf(c == OPT_PROFILE ? &in_profiles : &in_encoding, "%s%s",
                             (c == OPT_PROFILE ? in_profiles.len : in_encoding.len) ? ";" : "", optarg);
            break;
        case OPT_DATE_ORDER:
            if (rr_date_order_parse(optarg) < 0) {
                fprintf(stderr, "revreport: --date-order '%s': expected dmy, mdy or ymd\n", optarg);
                code = RR_EXIT_USAGE;
                goto out;
            }
            date_order = optarg;
            break;
        case OPT_SET:
            if (nsets == sizeof sets / sizeof sets[0]) {
                fputs("revreport: too many --set options\n", stderr);
                code = RR_EXIT_USAGE;
                goto out;
            }
            sets[nsets++] = optarg;
            break;
        case OPT_LIST_SETTINGS:
            puts("Settings (--config FILE with \"key = value\" lines, or --set key=value):");
            rr_config_list(stdout);
            goto out;
        case 'h': usage(stdout); goto out;
        case 'V':
            puts(PACKAGE_STRING);
            goto out;
        default:
            fputs("Try 'revreport --help' for more information.\n", stderr);
            code = RR_EXIT_USAGE;
            goto out;
        }
    }
    /* the first non-option argument selects the command */
    if (optind < argc && (!strcmp(argv[optind], "report") || !strcmp(argv[optind], "send") ||
                          !strcmp(argv[optind], "archive") || !strcmp(argv[optind], "verify")))
        cmd = argv[optind++];
    if (!strcmp(cmd, "verify") && optind < argc) verify_dir = argv[optind++];
    if (!strcmp(cmd, "verify") && !verify_dir) {
        fputs("revreport: verify needs an archive folder, e.g. revreport verify archive/2026/Q3\n", stderr);
        code = RR_EXIT_USAGE;
        goto out;
    }
    if ((ao.into != NULL || ao.force) != !strcmp(cmd, "archive")) {
        fputs(ao.into || ao.force ? "revreport: --into and --force belong to the archive command\n"
                                  : "revreport: archive needs --into=DIR\n", stderr);
        code = RR_EXIT_USAGE;
        goto out;
    }
    if (optind < argc) {
        fprintf(stderr, "revreport: unexpected argument '%s'\nTry 'revreport --help' for more information.\n",
                argv[optind]);
        code = RR_EXIT_USAGE;
        goto out;
    }
    rr_status st = RR_OK;
    if (config_file) st = rr_config_load(cfg, config_file, &err);
    for (size_t i = 0; st == RR_OK && i < nsets; i++) st = rr_config_set(cfg, sets[i], &err);
    if (st == RR_OK && in_profiles.len) st = set_input(cfg, "input.profiles", in_profiles.data, &err);
    if (st == RR_OK && in_encoding.len) st = set_input(cfg, "input.encoding", in_encoding.data, &err);
    if (st == RR_OK && date_order) st = set_input(cfg, "input.date_order", date_order, &err);
    if (st == RR_OK && in_stages.len) st = set_input(cfg, "input.stages", in_stages.data, &err);
    if (st == RR_OK && allow_stale) st = set_input(cfg, "report.allow_stale", "true", &err);
    if (st == RR_OK && pack) st = set_input(cfg, "report.pack", pack, &err);
    if (st == RR_OK && !fy_given) {
        long fy = rr_config_int(cfg, "report.fiscal_year_start", 1);
        if (fy < 1 || fy > 12) rr_config_bad_value(cfg, "report.fiscal_year_start", "%ld: expected a month 1-12", fy);
        else o.fy_start = (int)fy;
        st = rr_config_check(cfg, &err);
    }
    /* unattended commands refuse inputs that do not reach the period's end */
    o.unattended = !strcmp(cmd, "send") || !strcmp(cmd, "archive");
    /* settings with a fixed set of values are checked before any input is read */
    if (st == RR_OK && strcmp(cmd, "verify") != 0) st = rr_attrrep_config_check(cfg, o.lookback_days, &err);
    if (st == RR_OK && strcmp(cmd, "verify") != 0) st = rr_fcr_config_check(cfg, &err);
    if (st == RR_OK) {
        if (!*o.company) o.company = rr_config_str(cfg, "report.company", "");
        if (!o.logo) o.logo = rr_config_str(cfg, "report.logo", NULL);
        if (!strcmp(cmd, "send")) {
            char *note = NULL;
            st = rr_smtp_send_report(&o, &note, &err);
            if (note && (!o.quiet || !strncmp(note, "warning:", 8))) {
                fputs("revreport: ", stderr);
                rr_fputs_safe(note, stderr);
                fputc('\n', stderr);
            }
            if (note && st == RR_OK) { free(note); goto out; }   /* nothing more to say */
            free(note);
        }
        else if (!strcmp(cmd, "verify")) st = rr_archive_verify(verify_dir, o.quiet ? NULL : stdout, &err);
        else if (!strcmp(cmd, "archive")) {
            char *where = NULL;
            st = rr_archive_run(&ao, &where, &err);
            if (st == RR_OK && !o.quiet)
                printf(where ? "revreport: archived %s\n" : "revreport: the quarter is already archived; nothing to do\n",
                       where);
            free(where);
            goto done;
        } else st = rr_report_run(&o, &err);
    }
done:
    if (st != RR_OK) {
        rr_error_print(&err, "revreport");
        code = rr_status_exit(st);
        goto out;
    }
    if (!o.quiet && !strcmp(cmd, "report"))
        printf("revreport: wrote %s/report.html, report.pdf, report.xml%s\n", o.output_dir,
               rr_mail_enabled(cfg) ? ", report.eml" : "");
    if (!o.quiet && !strcmp(cmd, "send")) printf("revreport: sent %s/report.eml\n", o.output_dir);
out:
    rr_strbuf_free(&in_profiles);
    rr_strbuf_free(&in_encoding);
    rr_strbuf_free(&in_stages);
    rr_config_free(cfg);
    return code;
}
