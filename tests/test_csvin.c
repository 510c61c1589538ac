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
    rr_tap_ok(RUN("\xff\xfei\0d\0") == RR_ERR_INPUT && strstr(err.msg, "UTF-16"), "UTF-16 named");
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
    unlink(path);
    return rr_tap_done();
}
