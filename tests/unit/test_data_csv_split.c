/* A big CSV file read into the map on two threads gives exactly what one
 * thread gives: the same incidents (every field, the line each starts on),
 * the same counts, the same warnings and errors in the same order, the
 * same status, with or without strict and collect, filters, a BOM, CRLF or
 * CR line ends, quoted commas and line breaks (one across the split), bad
 * rows in both parts, a second part that is all bad, an unclosed quote.
 * The files are generated; the split size is lowered so that files of a
 * few hundred kilobytes take the two-thread path, at many split points. */
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/arena.h"
#include "data/csv.h"
#include "data/data.h"
#include "incimap/error.h"
#include "incimap/map.h"

static char tmpdir[] = "/tmp/incimap-csvsplit-XXXXXX";
static char written[32][600]; /* removed at the end */
static int nwritten;

/* ---- every message, in order ------------------------------------------ */

typedef struct {
    char *buf; /* kind ('w'/'e') + message + NUL, one after the other */
    size_t len, cap;
    int n;
} msglog;

static void log_add(msglog *l, char kind, const char *msg)
{
    size_t n = strlen(msg) + 2;
    if (l->len + n > l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 4096;
        char *p;
        while (ncap < l->len + n)
            ncap *= 2;
        p = realloc(l->buf, ncap);
        if (!p)
            abort();
        l->buf = p;
        l->cap = ncap;
    }
    l->buf[l->len] = kind;
    memcpy(l->buf + l->len + 1, msg, n - 1);
    l->len += n;
    l->n++;
}

static void on_warn(void *user, const char *msg)
{
    log_add(user, 'w', msg);
}

static void on_error(void *user, const char *msg)
{
    log_add(user, 'e', msg);
}

/* ---- one read ---------------------------------------------------------- */

typedef struct {
    int strict, collect;
    const char *when_from, *when_to;
    int where;      /* type is clash or arrest */
    int keep_all;
    int lean;
} opts;

typedef struct {
    im_map m;
    im_source src;
    im_diag d;
    msglog log;
    int rc, outcome;
} result;

static const char *where_values[] = {"clash", "Arrest"};

static void read_once(result *r, const char *path, const opts *o, size_t min, size_t at)
{
    static im_where where;
    memset(r, 0, sizeof *r);
    r->m.arena = im_arena_create();
    r->m.when_from = o->when_from;
    r->m.when_to = o->when_to;
    r->m.keep_all_fields = o->keep_all;
    r->m.lean = o->lean;
    if (o->where) {
        memset(&where, 0, sizeof where);
        where.field = "type";
        where.values = where_values;
        where.nvalues = 2;
        r->m.where = &where;
        r->m.nwhere = 1;
    }
    im_diag_init(&r->d, on_warn, &r->log);
    if (o->collect) {
        r->d.collect = 1;
        r->d.error = on_error;
        r->d.error_user = &r->log;
    }
    r->src.path = path;
    r->src.loc.file = "map.yaml";
    r->src.loc.line = 3;
    im_csv_split_config(min, at);
    r->rc = im_csv_read_incidents(&r->m, &r->src, o->strict, &r->d);
    r->outcome = im_csv_split_outcome();
    im_csv_split_config(IM_CSV_SPLIT_MIN, 0);
}

static void result_free(result *r)
{
    im_arena_destroy(r->m.arena);
    free(r->log.buf);
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* 1 if A and B are the same for a user; else say where they differ. */
static int same_result(const result *a, const result *b, const char *what)
{
    int i, k;
#define DIFF(cond, ...)                                                            \
    do {                                                                           \
        if (cond) {                                                                \
            fprintf(stderr, "%s: ", what);                                         \
            fprintf(stderr, __VA_ARGS__);                                          \
            fprintf(stderr, "\n");                                                 \
            return 0;                                                              \
        }                                                                          \
    } while (0)
    DIFF(a->rc != b->rc, "rc %d vs %d", a->rc, b->rc);
    DIFF(a->d.status != b->d.status, "status %d vs %d", a->d.status, b->d.status);
    DIFF(strcmp(a->d.message, b->d.message) != 0, "message '%s' vs '%s'", a->d.message,
         b->d.message);
    DIFF(a->d.nwarnings != b->d.nwarnings, "nwarnings %d vs %d", a->d.nwarnings,
         b->d.nwarnings);
    DIFF(a->d.nerrors != b->d.nerrors, "nerrors %d vs %d", a->d.nerrors, b->d.nerrors);
    DIFF(a->log.n != b->log.n, "%d messages vs %d", a->log.n, b->log.n);
    if (a->log.len != b->log.len ||
        (a->log.len > 0 && memcmp(a->log.buf, b->log.buf, a->log.len) != 0)) {
        const char *p = a->log.buf, *q = b->log.buf;
        for (i = 0; i < a->log.n; i++, p += strlen(p) + 1, q += strlen(q) + 1)
            DIFF(strcmp(p, q) != 0, "message %d: '%s' vs '%s'", i, p, q);
    }
    DIFF(a->src.nrecords != b->src.nrecords, "nrecords %d vs %d", a->src.nrecords,
         b->src.nrecords);
    DIFF(a->src.nskipped != b->src.nskipped, "nskipped %d vs %d", a->src.nskipped,
         b->src.nskipped);
    DIFF(a->src.nfiltered != b->src.nfiltered, "nfiltered %d vs %d", a->src.nfiltered,
         b->src.nfiltered);
    DIFF(a->src.nkept != b->src.nkept, "nkept %d vs %d", a->src.nkept, b->src.nkept);
    DIFF(a->m.nincidents != b->m.nincidents, "nincidents %d vs %d", a->m.nincidents,
         b->m.nincidents);
    for (i = 0; i < a->m.nincidents; i++) {
        const im_incident *x = &a->m.incidents[i], *y = &b->m.incidents[i];
        DIFF(x->loc.line != y->loc.line, "incident %d: line %d vs %d", i, x->loc.line,
             y->loc.line);
        DIFF(!same_str(x->loc.file, y->loc.file), "incident %d: file", i);
        DIFF(memcmp(&x->lon, &y->lon, sizeof x->lon) != 0 ||
                 memcmp(&x->lat, &y->lat, sizeof x->lat) != 0,
             "incident %d (line %d): position", i, x->loc.line);
        DIFF(!same_str(x->date, y->date) || !same_str(x->type_text, y->type_text) ||
                 !same_str(x->actor, y->actor) || !same_str(x->title, y->title) ||
                 !same_str(x->notes, y->notes) || !same_str(x->target, y->target) ||
                 !same_str(x->source, y->source) || !same_str(x->color_key, y->color_key) ||
                 !same_str(x->label, y->label),
             "incident %d (line %d): texts", i, x->loc.line);
        DIFF(x->fatalities != y->fatalities || x->type != y->type ||
                 x->geo_precision != y->geo_precision ||
                 x->time_precision != y->time_precision || x->symbol_class != y->symbol_class ||
                 x->size != y->size,
             "incident %d (line %d): numbers", i, x->loc.line);
        DIFF(x->nattrs != y->nattrs, "incident %d: %d fields vs %d", i, x->nattrs, y->nattrs);
        for (k = 0; k < x->nattrs; k++)
            DIFF(!same_str(x->attrs[k].name, y->attrs[k].name) ||
                     !same_str(x->attrs[k].value, y->attrs[k].value),
                 "incident %d: field %d", i, k);
    }
#undef DIFF
    return 1;
}

/* Read PATH on one thread, then on two splitting at each of AT (0: the
 * default place), and compare.  Returns how many two-thread reads took
 * the second thread's part. */
static int compare_reads(const char *path, const opts *o, const size_t *at, int nat,
                         const char *what)
{
    result one, two;
    int i, merged = 0;
    char label[300];
    read_once(&one, path, o, SIZE_MAX, 0);
    CHECK(one.outcome == 0);
    for (i = 0; i < nat; i++) {
        read_once(&two, path, o, 0, at[i]);
        snprintf(label, sizeof label, "%s, split at %zu", what, at[i]);
        CHECK(same_result(&one, &two, label));
        merged += two.outcome == 1;
        result_free(&two);
    }
    result_free(&one);
    return merged;
}

/* ---- generated files --------------------------------------------------- */

typedef struct {
    const char *eol;        /* "\n", "\r\n" or "\r" */
    char delim;             /* ',' or ';' (with decimal commas) */
    int bom;
    int bad_first, bad_second; /* bad rows per thousand, before and after the middle */
    int quoted_nl;          /* quoted line breaks per thousand rows */
    int blank;              /* blank lines and empty rows per thousand */
    size_t size;            /* about this many bytes */
    int no_last_eol;        /* the last row has no line end */
    const char *tail;       /* appended as is at the end (an unclosed quote) */
} gen;

/* Defaults: commas, no bad rows, no quoted line breaks. */
static void gen_init(gen *g, const char *eol, size_t size)
{
    memset(g, 0, sizeof *g);
    g->eol = eol;
    g->delim = ',';
    g->size = size;
}

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rng_state >> 33) % n);
}

typedef struct {
    char *s;
    size_t len, cap;
} sbuf;

static void put(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void put(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 65536;
        while (ncap < b->len + (size_t)n + 1)
            ncap *= 2;
        b->s = realloc(b->s, ncap);
        if (!b->s)
            abort();
        b->cap = ncap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* A coordinate in [LO, LO + SPAN) with a decimal point or comma. */
static void put_coord(sbuf *b, const gen *g, int lo, int span)
{
    unsigned whole = rnd((unsigned)span), frac = rnd(1000000);
    put(b, "%d%c%06u", lo + (int)whole, g->delim == ';' ? ',' : '.', frac);
}

static void put_row(sbuf *b, const gen *g, int id, int bad)
{
    static const char *dates[] = {"2017-05-18", "18 May 2017", "2016-02-29", "", "05/06/2018"};
    static const char *types[] = {"clash", "arrest", "Air strike", "shelling", "Protest", ""};
    static const char *actors[] = {"Regime", "Coalition", "", "Rebels \"North\"", "SDF"};
    char d = g->delim;
    int kind = bad ? 1 + (int)rnd(5) : 0;
    put(b, "%d%c", id, d);
    put(b, "%s%c", kind == 4 ? "2017-02-30" : dates[rnd(5)], d);
    if (kind == 2)
        put(b, "95%c5", d == ';' ? ',' : '.');
    else
        put_coord(b, g, 30, 6);
    put(b, "%c", d);
    if (kind == 3)
        put(b, "abc");
    else
        put_coord(b, g, 35, 6);
    put(b, "%c%s", d, types[rnd(6)]);
    if (kind == 1) { /* a field short */
        put(b, "%s", g->eol);
        return;
    }
    {
        const char *a = actors[rnd(5)];
        if (strchr(a, '"'))
            put(b, "%c\"Rebels \"\"North\"\"\"", d);
        else
            put(b, "%c%s", d, a);
    }
    switch (rnd(6)) {
    case 0:
        put(b, "%c\"quoted%c with the delimiter\"", d, d);
        break;
    case 1:
        if (rnd(1000) < (unsigned)g->quoted_nl * 6) {
            put(b, "%c\"first line%ssecond line%s\"", d, g->eol, rnd(2) ? g->eol : "");
            break;
        }
        /* fall through */
    default:
        put(b, "%cnote %u", d, rnd(100000));
        break;
    }
    if (kind == 5)
        put(b, "%cmany%s", d, g->eol);
    else if (rnd(3) == 0)
        put(b, "%c%s", d, g->eol);
    else
        put(b, "%c%u%s", d, rnd(20), g->eol);
}

static void gen_text(sbuf *b, const gen *g, unsigned seed)
{
    int id = 1;
    rng_state = seed * 2654435761ull + 1;
    b->len = 0;
    if (g->bom)
        put(b, "\xEF\xBB\xBF");
    put(b, "id%cdate%clat%clon%ctype%cactor%cnotes%cfatalities%s", g->delim, g->delim, g->delim,
        g->delim, g->delim, g->delim, g->delim, g->eol);
    while (b->len < g->size) {
        int second = b->len > g->size / 2;
        if (g->blank && rnd(1000) < (unsigned)g->blank) {
            if (rnd(2))
                put(b, "%s", g->eol);
            else
                put(b, "%c%c%c%c%c%c%c%s", g->delim, g->delim, g->delim, g->delim, g->delim,
                    g->delim, g->delim, g->eol);
            continue;
        }
        put_row(b, g, id++, (int)rnd(1000) < (second ? g->bad_second : g->bad_first));
    }
    if (g->no_last_eol) {
        size_t n = strlen(g->eol);
        if (b->len >= n && memcmp(b->s + b->len - n, g->eol, n) == 0)
            b->len -= n;
    }
    if (g->tail)
        put(b, "%s", g->tail);
}

static void write_file(const char *path, const sbuf *b)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b->s, 1, b->len, f) != b->len) {
        perror(path);
        exit(2);
    }
    fclose(f);
    if (nwritten < 32)
        snprintf(written[nwritten++], sizeof written[0], "%s", path);
}

/* Split points across the file: the default, and N others from past the
 * first chunk to near the end. */
static int split_points(size_t *at, int n, size_t size)
{
    int i, k = 0;
    at[k++] = 0;
    for (i = 0; i < n; i++)
        at[k++] = 70000 + (size - 70500) * (size_t)i / (size_t)(n > 1 ? n - 1 : 1);
    return k;
}

/* ---- the cases --------------------------------------------------------- */

static void run_case(const char *name, const gen *g, const opts *o, unsigned seed, int npoints,
                     int want_merged)
{
    char path[600], what[400];
    size_t at[40];
    sbuf b = {NULL, 0, 0};
    int nat, merged;
    snprintf(path, sizeof path, "%s/%s.csv", tmpdir, name);
    gen_text(&b, g, seed);
    write_file(path, &b);
    nat = split_points(at, npoints, b.len);
    snprintf(what, sizeof what, "%s (strict %d, collect %d)", name, o->strict, o->collect);
    merged = compare_reads(path, o, at, nat, what);
    if (want_merged && merged == 0) {
        fprintf(stderr, "%s: no split was merged\n", what);
        CHECK(merged > 0);
    }
    free(b.s);
}

static void test_generated(void)
{
    static const opts plain = {0, 0, NULL, NULL, 0, 0, 0};
    static const opts strict = {1, 0, NULL, NULL, 0, 0, 0};
    static const opts strict_collect = {1, 1, NULL, NULL, 0, 0, 0};
    static const opts collect_only = {0, 1, NULL, NULL, 0, 0, 0};
    static const opts filtered = {0, 0, "2017-01-01", "2017-12-31", 1, 1, 0};
    static const opts lean = {0, 0, NULL, NULL, 0, 0, 1};
    gen g;

    gen_init(&g, "\n", 300000);
    run_case("plain", &g, &plain, 1, 12, 1);
    run_case("plain_lean", &g, &lean, 2, 4, 1);

    g.quoted_nl = 30;
    g.blank = 5;
    run_case("quoted", &g, &plain, 3, 16, 1);
    g.eol = "\r\n";
    run_case("crlf", &g, &plain, 4, 16, 1);
    g.bom = 1;
    run_case("bom_crlf", &g, &plain, 5, 8, 1);
    g.bom = 0;
    g.eol = "\r"; /* no line feed to split after: one thread */
    run_case("cr", &g, &plain, 6, 2, 0);

    g.eol = "\n";
    g.bad_first = g.bad_second = 20;
    run_case("bad", &g, &plain, 7, 12, 1);
    run_case("bad_strict", &g, &strict, 7, 6, 0);
    run_case("bad_strict_collect", &g, &strict_collect, 7, 12, 1);
    run_case("bad_collect", &g, &collect_only, 7, 6, 1);
    run_case("filtered", &g, &filtered, 8, 12, 1);

    /* bad rows only in the second part, strict: the first error is there */
    g.bad_first = 0;
    g.bad_second = 5;
    run_case("late_strict", &g, &strict, 9, 8, 0);
    run_case("late_strict_collect", &g, &strict_collect, 9, 8, 1);

    /* the second part all bad */
    g.bad_second = 1000;
    run_case("second_bad", &g, &plain, 10, 8, 1);
    run_case("second_bad_collect", &g, &strict_collect, 10, 8, 1);

    /* semicolons and decimal commas, no line end at the end */
    g.bad_first = g.bad_second = 10;
    g.delim = ';';
    g.no_last_eol = 1;
    run_case("semicolon", &g, &plain, 11, 8, 1);

    /* a quote never closed near the end: an error at the end of the file */
    g.delim = ',';
    g.no_last_eol = 0;
    g.tail = "99,2017-05-18,33.1,36.2,clash,x,\"never closed\n1,2,3\n";
    run_case("unclosed", &g, &plain, 12, 6, 0);
    run_case("unclosed_collect", &g, &strict_collect, 12, 6, 0);
}

/* A quoted line break right after the split point: the split lands inside
 * the field, the second thread's part is not taken, and the first reads on
 * (still the same result).  A quoted delimiter there: the split moves to
 * the end of the record and both parts are taken. */
static void test_split_in_quotes(void)
{
    static const opts plain = {0, 0, NULL, NULL, 0, 0, 0};
    char path[600];
    sbuf b = {NULL, 0, 0};
    result one, two;
    size_t at;
    gen g;
    const char *p;

    gen_init(&g, "\r\n", 200000);
    gen_text(&b, &g, 21);
    b.len = 150000; /* cut and go on with a marked row: the split goes there */
    while (b.s[b.len - 1] != '\n')
        b.len--;
    put(&b, "7,2017-05-18,33.5,36.5,clash,x,\"split\r\nhere\",3\r\n");
    put(&b, "8,2017-05-18,33.5,36.5,clash,x,\"split, here\",3\r\n");
    put(&b, "9,2017-05-18,33.5,36.5,clash,x,after,3\r\n");
    snprintf(path, sizeof path, "%s/in_quotes.csv", tmpdir);
    write_file(path, &b);

    read_once(&one, path, &plain, SIZE_MAX, 0);
    p = strstr(b.s + 140000, "\"split\r\nhere");
    CHECK(p != NULL);
    if (!p) {
        free(b.s);
        result_free(&one);
        return;
    }
    at = (size_t)(p - b.s) + 1;
    read_once(&two, path, &plain, 0, at);
    CHECK(two.outcome == 2);
    CHECK(same_result(&one, &two, "split inside a quoted line break"));
    result_free(&two);

    p = strstr(p, "\"split, here");
    at = (size_t)(p - b.s) + 3;
    read_once(&two, path, &plain, 0, at);
    CHECK(two.outcome == 1);
    CHECK(same_result(&one, &two, "split inside a quoted delimiter"));
    if (two.m.nincidents >= 2) {
        CHECK_STR(two.m.incidents[two.m.nincidents - 2].notes, "split, here");
        CHECK_STR(two.m.incidents[two.m.nincidents - 3].notes, "split\r\nhere");
    }
    result_free(&two);
    result_free(&one);
    free(b.s);
}

/* A CRLF whose CR ends one 64 KB read and whose LF starts the next, before
 * the split, in a file of LF line ends: counted once, as the reader counts
 * it. */
static void test_crlf_across_reads(void)
{
    static const opts plain = {0, 0, NULL, NULL, 0, 0, 0};
    char path[600];
    sbuf b = {NULL, 0, 0};
    size_t at[3] = {0, 100000, 150000};
    gen g;
    gen_init(&g, "\n", 60000);
    gen_text(&b, &g, 31);
    /* one row padded to end with its CR at byte 65535 */
    put(&b, "1,2017-05-18,33.5,36.5,clash,x,");
    while (b.len < 65533)
        put(&b, "p");
    put(&b, ",3\r\n");
    CHECK(b.s[65535] == '\r' && b.s[65536] == '\n');
    g.size = 250000;
    {
        sbuf rest = {NULL, 0, 0};
        gen_text(&rest, &g, 32);
        put(&b, "%s", strchr(rest.s, '\n') + 1); /* without its header */
        free(rest.s);
    }
    snprintf(path, sizeof path, "%s/crlf_reads.csv", tmpdir);
    write_file(path, &b);
    CHECK(compare_reads(path, &plain, at, 3, "CRLF across reads") == 3);
    free(b.s);
}

static int count_visit(void *user, const im_incident *inc)
{
    (void)inc;
    ++*(int *)user;
    return 0;
}

/* Files under the size stay on one thread, and so do a read through a
 * visitor (incimap info, atlas pages) and any with INCIMAP_THREADS=1,
 * whatever the size. */
static void test_when_single(void)
{
    static const opts plain = {0, 0, NULL, NULL, 0, 0, 0};
    char path[600];
    sbuf b = {NULL, 0, 0};
    result r;
    im_diag d;
    gen g;
    int n = 0;
    gen_init(&g, "\n", 300000);
    gen_text(&b, &g, 41);
    snprintf(path, sizeof path, "%s/small.csv", tmpdir);
    write_file(path, &b);
    read_once(&r, path, &plain, b.len + 1, 0);
    CHECK(r.outcome == 0);
    result_free(&r);
    read_once(&r, path, &plain, b.len, 0);
    CHECK(r.outcome == 1);
    result_free(&r);
    /* INCIMAP_THREADS=1: one thread */
    setenv("INCIMAP_THREADS", "1", 1);
    read_once(&r, path, &plain, 0, 0);
    CHECK(r.outcome == 0);
    unsetenv("INCIMAP_THREADS");
    im_diag_init(&d, NULL, NULL);
    im_csv_split_config(0, 0);
    CHECK(im_csv_read(&r.m, &r.src, 0, count_visit, &n, &d) == 0);
    CHECK(im_csv_split_outcome() == 0);
    im_csv_split_config(IM_CSV_SPLIT_MIN, 0);
    CHECK(n == r.src.nkept && n == r.m.nincidents);
    result_free(&r);
    free(b.s);
}

/* Two sources into one map, the second read on two threads: appended
 * after the first's incidents. */
static void test_after_another_source(void)
{
    static const opts plain = {0, 0, NULL, NULL, 0, 0, 0};
    char p1[600], p2[600];
    sbuf b = {NULL, 0, 0};
    result one, two;
    im_source s1;
    gen g;
    int n1;
    gen_init(&g, "\n", 20000);
    gen_text(&b, &g, 51);
    snprintf(p1, sizeof p1, "%s/first.csv", tmpdir);
    write_file(p1, &b);
    g.size = 300000;
    g.bad_first = g.bad_second = 10;
    gen_text(&b, &g, 52);
    snprintf(p2, sizeof p2, "%s/second.csv", tmpdir);
    write_file(p2, &b);

    read_once(&one, p2, &plain, SIZE_MAX, 0);
    memset(&two, 0, sizeof two);
    two.m.arena = im_arena_create();
    im_diag_init(&two.d, on_warn, &two.log);
    memset(&s1, 0, sizeof s1);
    s1.path = p1;
    CHECK(im_csv_read_incidents(&two.m, &s1, 0, &two.d) == 0);
    n1 = two.m.nincidents;
    CHECK(n1 > 100);
    two.src.path = p2;
    two.src.loc.file = "map.yaml";
    two.src.loc.line = 3;
    im_csv_split_config(0, 0);
    two.rc = im_csv_read_incidents(&two.m, &two.src, 0, &two.d);
    CHECK(im_csv_split_outcome() == 1);
    im_csv_split_config(IM_CSV_SPLIT_MIN, 0);
    CHECK(two.rc == 0);
    CHECK(two.m.nincidents == n1 + one.m.nincidents);
    if (two.m.nincidents == n1 + one.m.nincidents) {
        /* compare the second source's part: shift it to the front */
        im_incident *all = two.m.incidents;
        two.m.incidents = all + n1;
        two.m.nincidents -= n1;
        CHECK(same_result(&one, &two, "second source"));
        two.m.incidents = all;
    }
    result_free(&one);
    result_free(&two);
    free(b.s);
}

/* A file rewritten in place while it is read (an editor saving it, a
 * watch re-render): the lines the second thread counted may not be the
 * lines the first reads.  Whatever each read gets, it never writes where
 * it must not (the sanitizer build catches it) and it ends. */
typedef struct {
    const char *path;
    const sbuf *a, *b;
    atomic_int stop;
} rewriter;

static void *rewrite_loop(void *arg)
{
    rewriter *w = arg;
    int fd = open(w->path, O_WRONLY);
    while (fd >= 0 && !atomic_load(&w->stop)) {
        if (pwrite(fd, w->a->s, w->a->len, 0) < 0 || pwrite(fd, w->b->s, w->b->len, 0) < 0)
            break;
    }
    if (fd >= 0)
        close(fd);
    return NULL;
}

static void test_file_changing(void)
{
    static const opts plain = {0, 0, NULL, NULL, 0, 0, 0};
    char path[600];
    sbuf a = {NULL, 0, 0}, b = {NULL, 0, 0};
    rewriter w;
    pthread_t t;
    int i, ok = 1;
    char pad[501];
    /* the same size, long rows or short ones: far more records in one */
    memset(pad, 'x', 500);
    pad[500] = '\0';
    put(&a, "id,date,lat,lon,type,notes\n");
    put(&b, "id,date,lat,lon,type,notes\n");
    for (i = 1; a.len < 400000; i++)
        put(&a, "%d,2017-05-18,33.5,36.5,clash,%s\n", i, pad);
    for (i = 1; b.len < a.len - 100; i++)
        put(&b, "%d,2017-05-18,33.5,36.5,clash,s\n", i);
    while (b.len < a.len)
        put(&b, "\n");
    snprintf(path, sizeof path, "%s/changing.csv", tmpdir);
    write_file(path, &a);
    w.path = path;
    w.a = &a;
    w.b = &b;
    atomic_init(&w.stop, 0);
    if (pthread_create(&t, NULL, rewrite_loop, &w) != 0) {
        CHECK(0);
        return;
    }
    for (i = 0; i < 100; i++) {
        result r;
        read_once(&r, path, &plain, 0, 0);
        ok = ok && (r.rc == 0 || r.rc == -1) && r.m.nincidents <= r.src.nrecords;
        result_free(&r);
    }
    atomic_store(&w.stop, 1);
    pthread_join(t, NULL);
    CHECK(ok);
    free(a.s);
    free(b.s);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    test_generated();
    test_split_in_quotes();
    test_crlf_across_reads();
    test_when_single();
    test_after_another_source();
    test_file_changing();
    while (nwritten > 0)
        unlink(written[--nwritten]);
    rmdir(tmpdir);
    CHECK_DONE();
}
