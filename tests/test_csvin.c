/* test_csvin.c: the CSV adapter: quoting, embedded newlines, CRLF, BOM,
 * empty fields, header mapping, locations in errors, malformed files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "revreport/csvin.h"
#include "revreport/tap.h"

static char path[256];

static void write_file(const char *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    fwrite(bytes, 1, n, f);
    fclose(f);
}

typedef struct { char got[16][64]; long lines[16]; int n; } collect;

static const rr_csv_col cols[] = {{"id", 1}, {"name", 1}, {"amount", 0}};

static rr_status on_row(const rr_csv_row *row, void *ud, rr_error *err)
{
    collect *c = ud;
    size_t a, b, m;
    const char *id = rr_csv_get(row, 0, &a), *name = rr_csv_get(row, 1, &b), *amt = rr_csv_get(row, 2, &m);
    if (c->n < 16) {
        snprintf(c->got[c->n], sizeof c->got[0], "%.*s|%.*s|%.*s", (int)a, id, (int)b, name, (int)m, amt);
        c->lines[c->n] = rr_csv_line(row);
    }
    c->n++;
    if (strcmp(id, "bad") == 0) return rr_csv_fail(row, 2, err, "not a number");
    return RR_OK;
}

static rr_status run(const char *bytes, size_t n, collect *c, rr_error *err, rr_csv_stats *st)
{
    memset(c, 0, sizeof *c);
    memset(err, 0, sizeof *err);
    write_file(bytes, n);
    return rr_csv_read(path, cols, 3, on_row, c, st, err);
}
#define RUN(s) run(s, sizeof(s) - 1, &c, &err, &st)


/* Every row as "line:id|name|amount;" for comparing readers. */
typedef struct { char *buf; size_t len, cap; long rows; } dump;

static rr_status dump_row(const rr_csv_row *row, void *ud, rr_error *err)
{
    dump *d = ud;
    char tmp[512];
    size_t a, b, m;
    const char *id = rr_csv_get(row, 0, &a), *name = rr_csv_get(row, 1, &b), *amt = rr_csv_get(row, 2, &m);
    int k = snprintf(tmp, sizeof tmp, "%ld:%.*s|%.*s|%.*s;", rr_csv_line(row), (int)a, id, (int)b, name, (int)m, amt);
    if (k < 0) k = 0;
    if ((size_t)k >= sizeof tmp) k = (int)sizeof tmp - 1;
    if (d->len + (size_t)k + 1 > d->cap) {
        d->cap = (d->len + (size_t)k + 1) * 2;
        d->buf = realloc(d->buf, d->cap);
    }
    memcpy(d->buf + d->len, tmp, (size_t)k);
    d->len += (size_t)k;
    d->buf[d->len] = 0;
    d->rows++;
    if (strcmp(id, "bad") == 0) return rr_csv_fail(row, 2, err, "not a number");
    return RR_OK;
}

/* the second half of a split read goes to its own dump, appended on join */
static int forks;
static void *dump_fork(void *ud) { (void)ud; forks++; return calloc(1, sizeof(dump)); }
static void dump_drop(void *part) { if (part) free(((dump *)part)->buf); free(part); }
static rr_status dump_join(void *ud, void *part, rr_error *err)
{
    dump *d = ud, *p = part;
    (void)err;
    if (d->len + p->len + 1 > d->cap) { d->cap = d->len + p->len + 1; d->buf = realloc(d->buf, d->cap); }
    if (p->len) memcpy(d->buf + d->len, p->buf, p->len);
    d->len += p->len;
    if (d->buf) d->buf[d->len] = 0;
    d->rows += p->rows;
    dump_drop(p);
    return RR_OK;
}
static const rr_csv_split dump_split = {dump_fork, dump_join, dump_drop};
static int deferred;     /* split reads whose checksum was still being computed when they returned */
static int split_mode;   /* read_with: rr_csv_read_split on any file size, in 2 parts (1) or 5 (2) */

/* Read path with the reader settings of the environment given; the rows,
 * and the error (file:line:column: message) or "OK", end up in *out. */
static char *read_with(const char *lib, const char *chunk)
{
    dump d = {0};
    rr_error err;
    rr_csv_stats st;
    memset(&err, 0, sizeof err);
    setenv("RR_CSV_LIBCSV", lib, 1);
    setenv("RR_CSV_CHUNK", chunk, 1);
    if (split_mode) setenv("RR_CSV_SPLIT_MIN", "1", 1);
    setenv("RR_CSV_THREADS", split_mode == 2 ? "5" : "2", 1);   /* not the machine's core count */
    rr_status s = split_mode ? rr_csv_read_split(path, cols, 3, &dump_split, dump_row, &d, &st, &err)
                             : rr_csv_read(path, cols, 3, dump_row, &d, &st, &err);
    unsetenv("RR_CSV_SPLIT_MIN");
    unsetenv("RR_CSV_THREADS");
    unsetenv("RR_CSV_LIBCSV");
    unsetenv("RR_CSV_CHUNK");
    char tail[1400];
    char hx[65];
    unsigned char dig[32];
    if (st.pending) deferred++;   /* a split read leaves its checksum to the hasher */
    if (!s && rr_csv_stats_sha256(&st, path, dig, &err) != RR_OK) s = RR_ERR_IO;
    rr_csv_stats_release(&st);
    rr_sha256_hex(s ? st.sha256 : dig, hx);
    snprintf(tail, sizeof tail, "#%d %ld:%ld %s rows=%ld used=%ld bytes=%lld sha=%.16s", (int)s, err.line, err.column,
             s ? err.msg : "OK", st.rows, st.rows_used, s ? 0 : st.bytes, s ? "" : hx);
    size_t tl = strlen(tail);
    char *out = malloc(d.len + tl + 1);
    if (d.len) memcpy(out, d.buf, d.len);
    memcpy(out + d.len, tail, tl + 1);
    free(d.buf);
    return out;
}

/* The fast line splitter, with any read size, gives what libcsv gives. */
static void same_as_libcsv(const char *text, const char *what)
{
    write_file(text, strlen(text));
    char *ref = read_with("1", "262144");
    static const char *const chunks[] = {"1", "2", "3", "5", "7", "11", "16", "64", "262144"};
    int ok = 1, ok_split = 1, ok_split5 = 1;
    for (split_mode = 0; split_mode < 3; split_mode++)
        for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++)
            for (int lib = 0; lib < 2; lib++) {
                char *got = read_with(lib ? "1" : "0", chunks[i]);
                if (strcmp(got, ref) != 0) {
                    if (ok && ok_split && ok_split5) {
                        size_t k = 0;
                        while (got[k] && got[k] == ref[k]) k++;
                        k = k > 40 ? k - 40 : 0;
                        printf("# %s: chunk %s libcsv=%d split=%d\n#  got ...%.200s\n#  ref ...%.200s\n", what,
                               chunks[i], lib, split_mode, got + k, ref + k);
                    }
                    if (split_mode == 2) ok_split5 = 0;
                    else if (split_mode) ok_split = 0;
                    else ok = 0;
                }
                free(got);
            }
    split_mode = 0;
    rr_tap_ok(ok, "%s: same rows and errors with every read size, fast path and libcsv alone", what);
    rr_tap_ok(ok_split, "%s: the same read on two threads (split near the middle)", what);
    rr_tap_ok(ok_split5, "%s: the same read in five parts on five threads", what);
    free(ref);
}

int main(void)
{
    collect c;
    rr_error err;
    rr_csv_stats st;
    snprintf(path, sizeof path, "/tmp/rr-test-csvin-%ld.csv", (long)getpid());

    rr_tap_ok(RUN("id,name,amount\n1,a,10\n2,b,20\n") == RR_OK && c.n == 2, "plain file");
    rr_tap_str(c.got[1], "2|b|20", "fields mapped");
    rr_tap_ok(RUN("amount,extra,NAME,Id\n10,x,a,1\n") == RR_OK && c.n == 1, "column order free, extra ignored, case-insensitive");
    rr_tap_str(c.got[0], "1|a|10", "mapped by name");
    rr_tap_ok(RUN("id,name\n1,a\n") == RR_OK && strcmp(c.got[0], "1|a|") == 0, "optional column absent");
    rr_tap_ok(RUN("\xEF\xBB\xBFid,name\r\n1,a\r\n2,b\r\n") == RR_OK && c.n == 2, "BOM + CRLF");
    rr_tap_str(c.got[1], "2|b|", "CRLF stripped");
    rr_tap_ok(RUN("id,name,amount\n1,\"a, \"\"quoted\"\" name\",5\n") == RR_OK, "quotes and commas");
    rr_tap_str(c.got[0], "1|a, \"quoted\" name|5", "escaped quotes");
    rr_tap_ok(RUN("id,name,amount\n1,\"two\nlines\",5\n2,b,6\n") == RR_OK && c.n == 2, "embedded newline");
    rr_tap_ok(c.lines[0] == 2 && c.lines[1] == 4, "record lines: 2 and 4 (got %ld, %ld)", c.lines[0], c.lines[1]);
    rr_tap_ok(RUN("id,name,amount\n1,,\n\n2,b,\n") == RR_OK && c.n == 2 && strcmp(c.got[0], "1||") == 0,
              "empty fields and blank lines");
    rr_tap_ok(c.lines[1] == 4, "blank line counted in line numbers");
    rr_tap_ok(RUN("id,name,amount\n1,a,5") == RR_OK && c.n == 1, "no final newline");
    rr_tap_ok(RUN("id,name,amount\n") == RR_OK && c.n == 0, "header only is empty data, not an error");
    rr_tap_ok(st.rows == 0, "rows counted: 0");

    rr_tap_ok(RUN("") == RR_ERR_INPUT && strstr(err.msg, "empty file"), "empty file is an error");
    rr_tap_ok(RUN("id,amount\n1,2\n") == RR_ERR_MISSING, "missing required column");
    rr_tap_ok(strcmp(err.field, "name") == 0 && err.line == 1 && strstr(err.msg, "found: id, amount"),
              "names the column and lists what was found");
    rr_tap_ok(RUN("id,name,amount\n1,a,5\n2,b\n") == RR_ERR_INPUT && err.line == 3 && err.column == 3,
              "short row: line 3, column 3 (%ld:%ld)", err.line, err.column);
    rr_tap_ok(RUN("id,name,amount\n1,a,5\nbad,b,x\n") == RR_ERR_INPUT && err.line == 3 && err.column == 3 &&
              strcmp(err.field, "amount") == 0, "callback error has line, column, field");
    rr_tap_ok(strcmp(err.record, "bad,b,x") == 0, "and the record");
    rr_tap_ok(RUN("id,name,amount\n1,\"unterminated,5\n") == RR_ERR_INPUT && strstr(err.msg, "never closed") && err.line == 2,
              "unterminated quote");
    rr_tap_ok(RUN("id,name,amount\n1,a\"b,5\n") == RR_ERR_INPUT && err.line == 2, "quote inside unquoted field");
    rr_tap_ok(RUN("id,name,amount\n1,\"a\"x,5\n") == RR_ERR_INPUT, "text after closing quote");
    rr_tap_ok(run("id,name,amount\n1,a\0b,5\n", 22, &c, &err, &st) == RR_ERR_INPUT && strstr(err.msg, "NUL"),
              "NUL byte");
    rr_tap_ok(RUN("id,name,amount\n1,caf\xe9,5\n") == RR_ERR_INPUT && strstr(err.msg, "invalid UTF-8") &&
              err.line == 2 && err.column == 2, "invalid UTF-8 (Latin-1 byte) located");
    rr_tap_ok(RUN("id,name,amount\n1,\xed\xa0\x80,5\n") == RR_ERR_INPUT, "UTF-8 surrogate rejected");
    rr_tap_ok(RUN("id,name,amount\n1,\xc0\xaf,5\n") == RR_ERR_INPUT, "overlong UTF-8 rejected");
    rr_tap_ok(RUN("id,name,amount\n1,\xe6\x97\xa5\xe6\x9c\xac,5\n") == RR_OK, "Japanese UTF-8 accepted");
    /* the delimiter is the one whose count is the same on most lines, not
     * the one most frequent on some line: stray tabs in a comma file, a
     * semicolon file with decimal commas, a title line before the header */
    rr_tap_ok(RUN("id,name,amount\n1,a,2\n2,\tb\t\t\tc,3\n3,d,4\n") == RR_OK && st.delimiter == ',' && c.n == 3,
              "comma file with a row holding four stray tabs: comma");
    rr_tap_ok(RUN("id;name;amount\n1;a,b,c;2,5\n2;d;3,75\n") == RR_OK && st.delimiter == ';' && c.n == 2 &&
              !strcmp(c.got[0], "1|a,b,c|2,5"), "semicolon file with decimal commas and commas in a name: semicolon");
    (void)RUN("Report: pipeline, by owner, Q3\nid\tname\tamount\n1\ta\t2\n2\tb\t3\n");   /* no preamble allowed here */
    rr_tap_ok(st.delimiter == '\t', "tab file after a title line with two commas: tab");
    /* UTF-16LE with BOM, tab-separated (Excel "Unicode text"): decoded, lines kept */
    rr_tap_ok(RUN("\xff\xfei\0d\0\t\0n\0a\0m\0e\0\n\0" "1\0\t\0\xe9\0\n\0") == RR_OK && c.n == 1 &&
              !strcmp(c.got[0], "1|\xc3\xa9|") && c.lines[0] == 2 && !strcmp(st.encoding, "UTF-16LE") &&
              st.delimiter == '\t', "UTF-16LE + BOM, TAB: decoded, line 2");
    rr_tap_ok(RUN("\xfe\xff\0i\0d\0;\0n\0a\0m\0e\0\n\0" "1\0;\x04\x10\0\n") == RR_OK && c.n == 1 &&
              !strcmp(c.got[0], "1|\xd0\x90|") && st.delimiter == ';', "UTF-16BE + BOM, semicolon");
    rr_tap_ok(RUN("\xff\xfei\0d\0,\0n\0a\0m\0e\0\n\0\x3d") == RR_ERR_INPUT && strstr(err.msg, "ends inside"),
              "UTF-16 cut in the middle of a character: error");
    {   /* legacy code pages through options: converted, lines and columns of the original */
        rr_csv_opts o;
        memset(&o, 0, sizeof o);
        o.encoding = "auto";
        static const struct { const char *bytes, *want, *enc; } leg[] = {
            {"id;name;amount\r\n1;M\xfcller;5\r\n", "1|M\xc3\xbcller|5", "CP1252"},
            {"id,name,amount\n1,\xc8\xe2\xe0\xed\xee\xe2,5\n", "1|\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd\xd0\xbe\xd0\xb2|5", "CP1251"},
            {"id,name,amount\n1,\x82\xb3\x82\xad\x82\xe7,5\n", "1|\xe3\x81\x95\xe3\x81\x8f\xe3\x82\x89|5", "CP932"},
            {"id,name,amount\n1,\xb1\xb1\xbe\xa9,5\n", "1|\xe5\x8c\x97\xe4\xba\xac|5", "GB18030"}};
        for (size_t i = 0; i < sizeof leg / sizeof leg[0]; i++) {
            memset(&c, 0, sizeof c);
            write_file(leg[i].bytes, strlen(leg[i].bytes));
            rr_status r = rr_csv_read_opts(path, cols, 3, &o, on_row, &c, &st, &err);
            char what[80];
            snprintf(what, sizeof what, "%s detected and converted", leg[i].enc);
            rr_tap_ok(r == RR_OK && c.n == 1 && !strcmp(c.got[0], leg[i].want) && !strcmp(st.encoding, leg[i].enc), what);
        }
        /* a named code page; an unknown one */
        o.encoding = "CP1251";
        write_file("id,name,amount\n1,\xcc,5\n", 21);
        memset(&c, 0, sizeof c);
        rr_tap_ok(rr_csv_read_opts(path, cols, 3, &o, on_row, &c, &st, &err) == RR_OK &&
                  !strcmp(c.got[0], "1|\xd0\x9c|5"), "--encoding CP1251");
        o.encoding = "NOPE-42";
        rr_tap_ok(rr_csv_read_opts(path, cols, 3, &o, on_row, &c, &st, &err) == RR_ERR_CONFIG &&
                  strstr(err.msg, "NOPE-42"), "unknown encoding named");
        /* preamble, aliases with capture, footers, empty marker, lenient rejects */
        static const char *const a_id[] = {"Campaign", NULL}, *const a_name[] = {"Amount spent (*)", NULL},
                                 *const a_amt[] = {"Cost", NULL};
        static const char *const *const al[] = {a_id, a_name, a_amt};
        static const char *const foot[] = {"Total:", "Grand Totals", NULL};
        memset(&o, 0, sizeof o);
        o.aliases = al; o.max_preamble = 5; o.footers = foot; o.empty = "--"; o.lenient = 1;
        const char *f = "Campaign report\n\"October 1, 2026 - October 31, 2026\"\n"
                        "Campaign,Amount spent (EUR),Cost\nA,1,--\nbad,2,3\nB,3,4\nTotal: Account,6,7\n"
                        "\nGrand Totals (3 records)\n";
        write_file(f, strlen(f));
        memset(&c, 0, sizeof c);
        rr_status r = rr_csv_read_opts(path, cols, 3, &o, on_row, &c, &st, &err);
        rr_tap_ok(r == RR_OK && st.rows_preamble == 2 && st.rows == 3 && st.rows_used == 2 && st.rows_rejected == 1 &&
                  st.rows_footer == 2 && !strcmp(c.got[0], "A|1|") && c.lines[0] == 4 && st.nrejects == 1 &&
                  strstr(st.rejects[0], "line 5, column 3 (amount): not a number"),
                  "preamble, aliases, '--', footers skipped and counted, rejected row located");
    }
    /* a 1 MiB field streams through the 64 KiB chunks */
    size_t big = 1 << 20;
    char *b = malloc(big + 64);
    int k = snprintf(b, 64, "id,name,amount\n1,");
    memset(b + k, 'x', big);
    memcpy(b + k + big, ",5\n", 3);
    rr_tap_ok(run(b, (size_t)k + big + 3, &c, &err, &st) == RR_OK && c.n == 1, "1 MiB field");
    free(b);
    rr_tap_ok(rr_csv_read("/nonexistent/x.csv", cols, 3, on_row, &c, NULL, &err) == RR_ERR_IO &&
              strstr(err.msg, "cannot open"), "missing file is an i/o error");

    /* SHA-256 of "abc" (FIPS 180-2 example) and of the file read */
    rr_sha256 s;
    unsigned char d[32];
    char hex[65];
    rr_sha256_init(&s);
    rr_sha256_update(&s, "abc", 3);
    rr_sha256_final(&s, d);
    rr_sha256_hex(d, hex);
    rr_tap_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256(abc)");
    RUN("id,name\n1,a\n");
    rr_sha256_init(&s);
    rr_sha256_update(&s, "id,name\n1,a\n", 12);
    rr_sha256_final(&s, d);
    rr_tap_ok(memcmp(d, st.sha256, 32) == 0 && st.bytes == 12, "file checksum while streaming");

    /* the fast path vs libcsv: quoted newlines and quotes across every read size */
    same_as_libcsv("id,name,amount\n1,\"x\ny\",5\n2,b,6\n", "quoted newline");
    write_file("id,name,amount\n1,\"x\ny\",5\n2,b,6\n", 30);
    {
        char *got = read_with("0", "3");
        rr_tap_str(got, "2:1|x\ny|5;4:2|b|6;#0 0:0 OK rows=2 used=2 bytes=30 sha=067a8e9c1b2ad98c",
                   "quoted newline: rows and start lines (3-byte reads)");
        free(got);
    }
    same_as_libcsv("id , name,amount\r\n  1 ,\t a b \t, 5 \r\n\r\n   \n,,\n3,\"\",\r\n4,\"q\"\"x\r\ny\"\"\",7\r\n5,e,8",
                   "CRLF, blanks, spaces, empty and doubled quotes, no final newline");
    same_as_libcsv("id;name;amount\n1; a ;2\n2;\"b;c\";3\n", "semicolons");
    same_as_libcsv("id\tname\tamount\n1\t a \t2\n2\t\t3\n", "tabs as delimiter");
    same_as_libcsv("id,name,amount\n1,a,2\n2,b\"c,3\n3,c,4\n", "quote inside an unquoted field");
    same_as_libcsv("id,name,amount\n1,a,2\n2,\"b\"x,3\n", "text after a closing quote");
    same_as_libcsv("id,name,amount\n1,a,2\n2,\"open\n3,c,4\n", "unclosed quote");
    same_as_libcsv("id,name,amount\n1,a,2\nbad,b,3\n", "callback error");
    same_as_libcsv("id,name,amount\n1,a,2\n2\n", "short row");
    same_as_libcsv("id,name,amount\n1,a\r2,b,3\n4,\"c\",5\n", "a lone CR");
    {
        char many[6000];
        size_t w = 0;
        w += (size_t)snprintf(many + w, sizeof many - w, "id,name,amount\n");
        for (int i = 0; w + 40 < sizeof many; i++)
            w += (size_t)snprintf(many + w, sizeof many - w, i % 3 ? "%d,n%d,%d\n" : "%d,\"l\n%d\",%d\r\n", i, i, i);
        same_as_libcsv(many, "many rows, a quoted newline every third");
        /* errors in either half: the first one in the file is reported */
        char *q3 = strstr(many + w * 3 / 4, "\n") + 1, *q1 = strstr(many + w / 4, "\n") + 1;
        char keep3[4], keep1[4];
        memcpy(keep3, q3, 3);
        memcpy(keep1, q1, 3);
        memcpy(q3, "bad", 3);
        same_as_libcsv(many, "a callback error in the second half");
        memcpy(q1, "bad", 3);
        same_as_libcsv(many, "callback errors in both halves");
        memcpy(q3, keep3, 3);
        memcpy(q1, keep1, 3);
        char *q2 = strstr(many + w * 2 / 3, "\n") + 1;
        q2[1] = '"';
        same_as_libcsv(many, "a quote inside an unquoted field in the second half");
        q2[1] = ',';
        many[w - 3] = '"';
        same_as_libcsv(many, "an unclosed quote on the last line");
        many[w - 3] = ',';
        write_file(many, strlen(many));
        forks = 0;
        split_mode = 2;
        free(read_with("0", "64"));
        split_mode = 0;
        rr_tap_int(forks, 4, "a five-part read of the many-rows file forks four parts");
    }

    /* the middle of the file inside a quoted field spanning lines, at every offset */
    {
        int all = 1;
        forks = 0;
        for (int pad = 0; pad < 48; pad++) {
            char f2[800];
            int w = snprintf(f2, sizeof f2, "id,name,amount\n%.*s1,a,1\n", pad, "000000000000000000000000000000000000000000000000");
            for (int rep = 0; rep < 3; rep++) {   /* ~330 bytes: the middle lies past the first 64-byte read */
                w += snprintf(f2 + w, sizeof f2 - (size_t)w, "2,\"x\n,\"\"y\n\n z\",2\n3,\"\n\",3\r\n4,d,4\n5,\"e\ne\",5\n");
                w += snprintf(f2 + w, sizeof f2 - (size_t)w, "6,f,6\n7,\"g\"\"\n\",7\n8,h,8\n");
            }
            write_file(f2, (size_t)w);
            char *ref = read_with("1", "262144");
            for (split_mode = 0; split_mode < 2; split_mode++) {
                static const char *const ck[] = {"1", "4", "9", "64"};
                for (size_t i = 0; i < 4; i++) {
                    char *got = read_with("0", ck[i]);
                    if (strcmp(got, ref) != 0) {
                        if (all) printf("# pad %d chunk %s split %d\n#  got %.300s\n#  ref %.300s\n", pad, ck[i], split_mode, got, ref);
                        all = 0;
                    }
                    free(got);
                }
            }
            split_mode = 0;
            free(ref);
        }
        rr_tap_ok(all, "split point near quoted newlines (48 offsets): same rows, lines and checksum as libcsv alone");
        rr_tap_ok(forks > 100, "the split reads did run a second part (%d)", forks);
        rr_tap_ok(deferred > 100, "... and returned before their checksum was known (%d); it was the same", deferred);
        /* RR_CSV_HASH_WAIT=1: the read waits for its checksum itself */
        char *ref = read_with("1", "262144");
        int before = deferred;
        setenv("RR_CSV_HASH_WAIT", "1", 1);
        split_mode = 1;
        char *got = read_with("0", "64");
        split_mode = 0;
        unsetenv("RR_CSV_HASH_WAIT");
        rr_tap_str(got, ref, "RR_CSV_HASH_WAIT=1: same rows, bytes and checksum");
        rr_tap_int(deferred, before, "RR_CSV_HASH_WAIT=1: no checksum left pending");
        free(got);
        free(ref);
    }

    /* random lines over the bytes that matter (delimiter, quote, CR, LF,
     * blanks, UTF-8, long runs that cross 16- and 32-byte blocks): the fast
     * path (32 bytes at a time, 16, one at a time at a chunk's end) gives
     * libcsv's rows and errors with every read size */
    {
        static const char *const alpha[] = {"a", "b", ",", ",", "\"", "\r", "\n", "\n", " ", "\t", "\xc3\xa9",
                                            "abcdefghijklmnopqrstuvwxyz0123456789", "\r\n", "x,y,z"};
        unsigned seed = 12345;
        int same = 1, texts = 0;
        for (int t = 0; t < 300; t++) {
            char text[1200];
            size_t w = (size_t)snprintf(text, sizeof text, "id,name,amount\n");
            int parts = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 60;
            for (int pi = 0; pi < parts && w < sizeof text - 64; pi++) {
                seed = seed * 1103515245u + 12345u;
                const char *piece = alpha[(seed >> 16) % (sizeof alpha / sizeof alpha[0])];
                /* quotes and CRs rarely, so that many lines stay on the fast path */
                if ((piece[0] == '"' || (piece[0] == '\r' && piece[1] != '\n')) && (seed >> 8) % 4) piece = "q";
                w += (size_t)snprintf(text + w, sizeof text - w, "%s", piece);
            }
            write_file(text, w);
            char *ref = read_with("1", "262144");
            static const char *const ck[] = {"1", "7", "31", "33", "64", "100", "262144"};
            for (size_t i = 0; i < sizeof ck / sizeof ck[0]; i++) {
                char *got = read_with("0", ck[i]);
                if (strcmp(got, ref) != 0) {
                    if (same) printf("# random text %d, chunk %s\n#  got %.300s\n#  ref %.300s\n", t, ck[i], got, ref);
                    same = 0;
                }
                free(got);
            }
            free(ref);
            texts++;
        }
        rr_tap_ok(same, "%d random texts: the fast path gives libcsv's rows and errors with every read size", texts);
    }

    /* a split read's checksum asked for at once, while the idle-priority
     * hasher is still on the file (8 MiB, 4 KiB reads): this thread hashes
     * the rest from the hasher's last chunk; and one dropped unread */
    {
        size_t sz = 8u << 20, w = 0;
        char *fb = malloc(sz + 64);
        w += (size_t)snprintf(fb, sz, "id,name,amount\n");
        for (int i = 0; w + 32 < sz; i++) w += (size_t)snprintf(fb + w, sz - w, "%d,name %d,%d\n", i, i, i % 97);
        write_file(fb, w);
        rr_sha256 v;
        unsigned char want[32], got[32];
        rr_sha256_init(&v);
        rr_sha256_update(&v, fb, w);
        rr_sha256_final(&v, want);
        free(fb);
        int same = 1, pending = 0;
        setenv("RR_CSV_CHUNK", "4096", 1);
        setenv("RR_CSV_SPLIT_MIN", "1", 1);
        for (int rep = 0; rep < 4; rep++) {
            dump d0 = {0};
            rr_csv_stats s2;
            rr_status rs = rr_csv_read_split(path, cols, 3, &dump_split, dump_row, &d0, &s2, &err);
            pending += s2.pending != NULL;
            if (rep == 3) { rr_csv_stats_release(&s2); free(d0.buf); break; }   /* dropped unread */
            const rr_csv_stats *one = &s2;
            if (rep == 1) rr_csv_stats_settle(&one, 1);
            same &= rs == RR_OK && rr_csv_stats_sha256(&s2, path, got, &err) == RR_OK && !memcmp(got, want, 32) &&
                    s2.bytes == (long long)w;
            rr_csv_stats_release(&s2);
            same &= !memcmp(s2.sha256, want, 32);
            free(d0.buf);
        }
        unsetenv("RR_CSV_CHUNK");
        unsetenv("RR_CSV_SPLIT_MIN");
        rr_tap_ok(same && pending == 4, "8 MiB split read, sum asked for at once (taken over from the hasher): "
                  "sha256 of the bytes, 3 times (%d pending)", pending);
    }

    /* a file that grows between its read and its checksum is an error naming
     * it (RR_CSV_HASH_HOLD=1: the hasher leaves the whole sum to the thread
     * that asks for it, after the file grew); and the same file unchanged
     * gets sha256 of its bytes from that thread */
    {
        char pb[300];
        snprintf(pb, sizeof pb, "%s.grows", path);
        FILE *f = fopen(pb, "wb");
        fputs("id,name,amount\n", f);
        for (int i = 0; i < 40; i++) fprintf(f, "%d,row %d,%d\n", i, i, i);   /* ~500 bytes: split */
        fclose(f);
        int ok = 1;
        for (int grow = 0; grow < 2; grow++) {
            setenv("RR_CSV_SPLIT_MIN", "1", 1);
            setenv("RR_CSV_CHUNK", "16", 1);   /* split only when read in several pieces */
            setenv("RR_CSV_HASH_HOLD", "1", 1);
            dump db = {0};
            rr_csv_stats sb, sq;
            rr_status rb = rr_csv_read_split(pb, cols, 3, &dump_split, dump_row, &db, &sb, &err);
            unsetenv("RR_CSV_HASH_HOLD");
            unsetenv("RR_CSV_CHUNK");
            unsetenv("RR_CSV_SPLIT_MIN");
            if (grow) {
                f = fopen(pb, "ab");
                fputs("40,d,4\n", f);
                fclose(f);
            }
            unsigned char dig[32], want[32];
            rr_error e2;
            memset(&e2, 0, sizeof e2);
            rr_status rs = rr_csv_stats_sha256(&sb, pb, dig, &e2);
            if (grow) {
                rr_tap_ok(rb == RR_OK && sb.pending && rs == RR_ERR_IO && strstr(e2.file, ".grows") &&
                          strstr(e2.msg, "changed while it was read"), "a file that grew after its read: %s: %s",
                          e2.file, e2.msg);
            } else {
                dump dq = {0};
                rr_csv_read(pb, cols, 3, dump_row, &dq, &sq, &err);   /* the sequential read's sum */
                free(dq.buf);
                memcpy(want, sq.sha256, 32);
                ok = rb == RR_OK && sb.pending && rs == RR_OK && !memcmp(dig, want, 32);
            }
            rr_csv_stats_release(&sb);
            free(db.buf);
        }
        rr_tap_ok(ok, "the whole sum computed by the thread that asked for it: sha256 of the file");
        remove(pb);
    }

    /* SHA-256: FIPS 180-2 vectors, hardware and portable compression */
    for (int soft = 0; soft < 2; soft++) {
        setenv("RR_SHA256_SOFT", soft ? "1" : "0", 1);
        rr_sha256 v;
        unsigned char dv[32];
        char hv[65];
        const char *m2 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        rr_sha256_init(&v);
        rr_sha256_update(&v, m2, strlen(m2));
        rr_sha256_final(&v, dv);
        rr_sha256_hex(dv, hv);
        rr_tap_str(hv, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                   soft ? "sha256 448-bit message (portable)" : "sha256 448-bit message (SHA-NI when present)");
        static char as[997];
        memset(as, 'a', sizeof as);
        rr_sha256_init(&v);
        size_t left = 1000000;
        while (left) { size_t q = left < sizeof as ? left : sizeof as; rr_sha256_update(&v, as, q); left -= q; }
        rr_sha256_final(&v, dv);
        rr_sha256_hex(dv, hv);
        rr_tap_str(hv, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
                   soft ? "sha256 of a million 'a' in 997-byte pieces (portable)" : "sha256 of a million 'a' (SHA-NI when present)");
        unsetenv("RR_SHA256_SOFT");
    }
    unlink(path);
    return rr_tap_done();
}
