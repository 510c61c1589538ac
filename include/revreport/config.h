/* config.h: report settings as "key = value" pairs, from a file
 * (--config FILE) and from the command line (--set key=value, which wins).
 *
 *   rr_config *cfg = rr_config_new();
 *   rr_config_load(cfg, "revreport.conf", &err);
 *   rr_config_set(cfg, "attribution.half_life_days=14", &err);
 *   double h = rr_config_double(cfg, "attribution.half_life_days", 7.0);
 *   rr_config_free(cfg);
 *
 * Every key a module reads must be listed in the table of known keys in
 * config.c (with a one-line description shown by `revreport --list-settings`);
 * an unknown key is an error naming the file and line, so a typo never goes
 * unnoticed.  Values are validated by the getters' callers; a value that does
 * not parse as the type asked for is reported by rr_config_check(). */
#ifndef RR_CONFIG_H
#define RR_CONFIG_H
#include <stdio.h>
#include "revreport/status.h"

typedef struct rr_config rr_config;

rr_config *rr_config_new(void);
void rr_config_free(rr_config *c);                       /* accepts NULL */
/* Read a settings file ('#' comments, "key = value" lines). */
rr_status rr_config_load(rr_config *c, const char *path, rr_error *err);
/* One "key=value" (from --set). */
rr_status rr_config_set(rr_config *c, const char *kv, rr_error *err);
/* Getters: the value when set, else def.  Type errors are recorded and
 * returned by rr_config_check(). */
const char *rr_config_str(const rr_config *c, const char *key, const char *def);
double rr_config_double(const rr_config *c, const char *key, double def);
long rr_config_int(const rr_config *c, const char *key, long def);
int rr_config_bool(const rr_config *c, const char *key, int def);
/* Where key's value came from: "FILE:LINE" (--config) or "--set"; NULL when
 * the key is not set.  The string belongs to c. */
const char *rr_config_where(const rr_config *c, const char *key);
/* Record that key's value is not acceptable (printf-style message: what is
 * wrong and what is expected); like a getter's type error, the first one is
 * returned by rr_config_check() with the place and the key.  Nothing when the
 * key is not set. */
void rr_config_bad_value(const rr_config *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The name of names[0..n-1] closest to s (case-insensitive equality, else at
 * most 2 edits, fewer than a third of s), for "did you mean"; NULL if none. */
const char *rr_config_closest(const char *s, const char *const *names, size_t n);
/* First type error met by a getter, or RR_OK. */
rr_status rr_config_check(const rr_config *c, rr_error *err);
/* Print the known keys with their descriptions. */
void rr_config_list(FILE *out);

#endif
