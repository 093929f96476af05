/* CSV incident reader (libcsv): RFC 4180 quoting, UTF-8 BOM, the delimiter
 * guessed from the header line, columns found by their common names.
 * The file is fed to libcsv line by line out of 64 KB chunks so every record
 * knows the physical line it starts on, even after quoted newlines; memory
 * stays bounded by the longest record, not the file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "data/data.h"
#include "data/records.h"
#include "data/text.h"

#define IM_CSV_CHUNK (64 * 1024)
#define IM_CSV_MAX_RECORD (16 * 1024 * 1024) /* bytes; beyond: an unclosed quote */
#define IM_CSV_MAX_FIELDS 4096

typedef struct im_csv {
    im_map *map;
    const char *file;
    int strict;
    im_diag *d;
    unsigned char delim;

    /* position of the next byte fed */
    int line;
    int prev_cr;
    /* the record being read */
    int in_record;
    int rec_line;
    size_t rec_bytes;
    char *buf;          /* field texts, each NUL-terminated */
    size_t len, cap;
    size_t *off;        /* start of each field in buf */
    int nfields, fcap;
    int bad_utf8;       /* first field with invalid UTF-8, or -1 */
    int too_many;

    /* the header */
    int have_header;
    int ncols;
    int header_line;
    char **cols;        /* column names, trimmed */
    int col_of[IM_COL_COUNT];

    im_incident_sink sink;
    int failed;         /* an error is in d: stop */
} im_csv;

static int im_csv_space_tab_delim(unsigned char c)
{
    return c == ' ';
}

static int im_csv_space(unsigned char c)
{
    return c == ' ' || c == '\t';
}

static int im_csv_oom(im_csv *c)
{
    c->failed = 1;
    return im_fail(c->d, IM_ERR_INTERNAL, c->file, c->rec_line, 0, "out of memory");
}

/* libcsv field callback: append the field to the current record. */
static void im_csv_field(void *s, size_t n, void *user)
{
    im_csv *c = user;
    if (c->failed)
        return;
    if (c->nfields >= IM_CSV_MAX_FIELDS) {
        c->too_many = 1;
        return;
    }
    if (c->nfields == c->fcap) {
        int ncap = c->fcap ? c->fcap * 2 : 64;
        size_t *off = realloc(c->off, (size_t)ncap * sizeof *off);
        if (!off) {
            im_csv_oom(c);
            return;
        }
        c->off = off;
        c->fcap = ncap;
    }
    if (c->len + n + 1 > c->cap) {
        size_t ncap = c->cap ? c->cap : 1024;
        char *buf;
        while (ncap < c->len + n + 1)
            ncap *= 2;
        buf = realloc(c->buf, ncap);
        if (!buf) {
            im_csv_oom(c);
            return;
        }
        c->buf = buf;
        c->cap = ncap;
    }
    if (n)
        memcpy(c->buf + c->len, s, n);
    c->buf[c->len + n] = '\0';
    if (c->bad_utf8 < 0 && !im_utf8_valid(c->buf + c->len, n))
        c->bad_utf8 = c->nfields;
    c->off[c->nfields++] = c->len;
    c->len += n + 1;
}

static char *im_csv_text(im_csv *c, int i)
{
    return c->buf + c->off[i];
}

static int im_csv_header(im_csv *c)
{
    int i, rank[IM_COL_COUNT];
    c->header_line = c->rec_line;
    c->ncols = c->nfields;
    c->cols = calloc((size_t)c->ncols, sizeof *c->cols);
    if (!c->cols)
        return im_csv_oom(c);
    for (i = 0; i < IM_COL_COUNT; i++) {
        c->col_of[i] = -1;
        rank[i] = 1 << 30;
    }
    for (i = 0; i < c->ncols; i++) {
        int r = 0, role;
        c->cols[i] = strdup(im_trim(im_csv_text(c, i)));
        if (!c->cols[i])
            return im_csv_oom(c);
        role = im_col_lookup(c->cols[i], &r);
        if (role >= 0 && r < rank[role]) {
            rank[role] = r;
            c->col_of[role] = i;
        }
    }
    if (c->col_of[IM_COL_LAT] < 0 || c->col_of[IM_COL_LON] < 0) {
        int lat = c->col_of[IM_COL_LAT] < 0;
        c->failed = 1;
        return im_fail(c->d, IM_ERR_DATA, c->file, c->header_line, 0,
                       "no %s column (expected one of %s)", lat ? "latitude" : "longitude",
                       im_col_names(lat ? IM_COL_LAT : IM_COL_LON));
    }
    c->have_header = 1;
    return 0;
}

static int im_csv_reject(im_csv *c, const char *why)
{
    if (im_record_reject(c->d, c->strict, c->file, c->rec_line, "", why) != 0) {
        c->failed = 1;
        return -1;
    }
    return 0;
}

static int im_csv_row(im_csv *c)
{
    im_record r;
    im_incident inc;
    char why[600], ex[80];
    int i, all_empty = 1, rc;

    for (i = 0; i < c->nfields && all_empty; i++) {
        if (*im_trim(im_csv_text(c, i)))
            all_empty = 0;
    }
    if (all_empty)
        return 0; /* ",,,,": what spreadsheets leave below the data */
    if (c->too_many || c->nfields != c->ncols) {
        if (c->too_many)
            snprintf(why, sizeof why, "more than %d fields, expected %d (as in the header)",
                     IM_CSV_MAX_FIELDS, c->ncols);
        else
            snprintf(why, sizeof why, "%d field%s, expected %d (as in the header)",
                     c->nfields, c->nfields == 1 ? "" : "s", c->ncols);
        return im_csv_reject(c, why);
    }
    if (c->bad_utf8 >= 0) {
        snprintf(why, sizeof why, "invalid UTF-8 in column '%s' (save the file as UTF-8)",
                 im_record_excerpt(ex, sizeof ex, c->cols[c->bad_utf8]));
        return im_csv_reject(c, why);
    }

    memset(&r, 0, sizeof r);
    r.what = "column";
    for (i = 0; i < IM_COL_COUNT; i++) {
        if (c->col_of[i] >= 0) {
            r.text[i] = im_csv_text(c, c->col_of[i]);
            r.name[i] = c->cols[c->col_of[i]];
        }
    }
    memset(&inc, 0, sizeof inc);
    if (im_record_lonlat(&r, c->delim != ',', &inc.lon, &inc.lat, why, sizeof why) != 0)
        return im_csv_reject(c, why);
    rc = im_record_fill(c->map->arena, &r, &inc, why, sizeof why);
    if (rc == -2)
        return im_csv_oom(c);
    if (rc != 0)
        return im_csv_reject(c, why);
    inc.loc.file = c->file;
    inc.loc.line = c->rec_line;
    inc.loc.col = 0;
    if (im_incident_sink_add(&c->sink, &inc) != 0)
        return im_csv_oom(c);
    return 0;
}

/* libcsv end-of-record callback. */
static void im_csv_record(int term, void *user)
{
    im_csv *c = user;
    (void)term;
    if (!c->failed) {
        if (!c->have_header)
            im_csv_header(c);
        else
            im_csv_row(c);
    }
    c->in_record = 0;
    c->len = 0;
    c->nfields = 0;
    c->bad_utf8 = -1;
    c->too_many = 0;
}

/* The delimiter: whichever of , ; TAB occurs most often outside quotes in
 * the header line (the first line of DATA); comma on a tie or none. */
static unsigned char im_csv_guess_delim(const char *data, size_t n)
{
    static const unsigned char cand[3] = {',', ';', '\t'};
    size_t count[3] = {0, 0, 0}, i;
    int quoted = 0, k, best = 0;
    for (i = 0; i < n; i++) {
        char ch = data[i];
        if (ch == '"')
            quoted = !quoted;
        else if (!quoted && (ch == '\n' || ch == '\r'))
            break;
        else if (!quoted) {
            for (k = 0; k < 3; k++) {
                if ((unsigned char)ch == cand[k])
                    count[k]++;
            }
        }
    }
    for (k = 1; k < 3; k++) {
        if (count[k] > count[best])
            best = k;
    }
    return cand[best];
}

/* Could this byte begin a record?  libcsv skips blanks and line ends
 * before a record, so a line holding only those starts none. */
static int im_csv_starts_record(const im_csv *c, unsigned char ch)
{
    if (ch == '\r' || ch == '\n' || ch == ' ')
        return 0;
    return !(ch == '\t' && c->delim != '\t');
}

/* Feed one piece of a line (ending at a line break or at the chunk's end)
 * to libcsv, tracking where records start and counting lines. */
static int im_csv_feed(im_csv *c, struct csv_parser *p, const char *s, size_t n)
{
    size_t i;
    if (!c->in_record) {
        for (i = 0; i < n; i++) {
            if (im_csv_starts_record(c, (unsigned char)s[i])) {
                c->in_record = 1;
                c->rec_line = c->line;
                c->rec_bytes = 0;
                break;
            }
        }
    }
    if (c->in_record) {
        c->rec_bytes += n;
        if (c->rec_bytes > IM_CSV_MAX_RECORD) {
            c->failed = 1;
            return im_fail(c->d, IM_ERR_DATA, c->file, c->rec_line, 0,
                           "record is longer than %d MB (a quote that is never closed?)",
                           IM_CSV_MAX_RECORD / (1024 * 1024));
        }
    }
    if (csv_parse(p, s, n, im_csv_field, im_csv_record, c) != n && !c->failed) {
        c->failed = 1;
        return im_fail(c->d, IM_ERR_INTERNAL, c->file, c->line, 0, "CSV parser: %s",
                       csv_strerror(csv_error(p)));
    }
    if (c->failed)
        return -1;
    /* count the line break that ends this piece, if any: CRLF, CR or LF */
    if (n > 0) {
        char last = s[n - 1];
        if (last == '\n') {
            if (!(c->prev_cr && n == 1))
                c->line++;
            c->prev_cr = 0;
        } else if (last == '\r') {
            c->line++;
            c->prev_cr = 1;
        } else {
            c->prev_cr = 0;
        }
    }
    return 0;
}

static int im_csv_feed_chunk(im_csv *c, struct csv_parser *p, const char *s, size_t n)
{
    size_t start = 0, i;
    for (i = 0; i < n; i++) {
        if (s[i] == '\n' || s[i] == '\r') {
            if (im_csv_feed(c, p, s + start, i + 1 - start) != 0)
                return -1;
            start = i + 1;
        }
    }
    if (start < n)
        return im_csv_feed(c, p, s + start, n - start);
    return 0;
}

int im_csv_read_incidents(im_map *map, const im_source *src, int strict, im_diag *d)
{
    struct csv_parser parser;
    int parser_ok = 0, rc = -1, first = 1, nbefore = map->nincidents;
    size_t total = 0;
    char *chunk = NULL;
    FILE *f = NULL;
    im_csv c;
    int i;

    memset(&c, 0, sizeof c);
    c.map = map;
    c.file = src->path;
    c.strict = strict;
    c.d = d;
    c.line = 1;
    c.rec_line = 1;
    c.bad_utf8 = -1;
    im_incident_sink_init(&c.sink, map);

    f = fopen(src->path, "rb");
    if (!f) {
        im_fail(d, IM_ERR_DATA, src->loc.file, src->loc.line, src->loc.col,
                "cannot open '%s': %s", src->path, strerror(errno));
        goto done;
    }
    chunk = malloc(IM_CSV_CHUNK);
    if (!chunk || csv_init(&parser, 0) != 0) {
        im_fail(d, IM_ERR_INTERNAL, c.file, 0, 0, "out of memory");
        goto done;
    }
    parser_ok = 1;

    for (;;) {
        size_t n = fread(chunk, 1, IM_CSV_CHUNK, f), skip = 0;
        if (n == 0) {
            if (ferror(f)) {
                im_fail(d, IM_ERR_DATA, c.file, c.line, 0, "read error: %s",
                        strerror(errno));
                goto done;
            }
            break;
        }
        if (first) {
            first = 0;
            if (n >= 2 && ((unsigned char)chunk[0] == 0xFF || (unsigned char)chunk[0] == 0xFE) &&
                (unsigned char)chunk[1] == ((unsigned char)chunk[0] ^ 0x01)) {
                im_fail(d, IM_ERR_DATA, c.file, 1, 0,
                        "the file is UTF-16; save it as UTF-8 (CSV UTF-8 in Excel)");
                goto done;
            }
            if (n >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0)
                skip = 3;
            c.delim = im_csv_guess_delim(chunk + skip, n - skip);
            csv_set_delim(&parser, c.delim);
            csv_set_space_func(&parser, c.delim == '\t' ? im_csv_space_tab_delim
                                                         : im_csv_space);
        }
        total += n - skip;
        if (im_csv_feed_chunk(&c, &parser, chunk + skip, n - skip) != 0)
            goto done;
    }
    if (total == 0) {
        im_fail(d, IM_ERR_DATA, c.file, 0, 0, "empty file");
        goto done;
    }
    /* tolerant while parsing (a stray quote inside a field is kept), but a
     * quoted field still open at the end of the file is an error */
    csv_set_opts(&parser, CSV_STRICT | CSV_STRICT_FINI);
    if (csv_fini(&parser, im_csv_field, im_csv_record, &c) != 0) {
        if (!c.failed)
            im_fail(d, IM_ERR_DATA, c.file, c.rec_line, 0,
                    "a quoted field starting on this record is never closed");
        goto done;
    }
    if (c.failed)
        goto done;
    if (!c.have_header) {
        im_fail(d, IM_ERR_DATA, c.file, 0, 0, "empty file");
        goto done;
    }
    rc = 0;

done:
    if (rc != 0)
        map->nincidents = nbefore; /* a file that fails adds nothing */
    if (parser_ok)
        csv_free(&parser);
    if (f)
        fclose(f);
    free(chunk);
    free(c.buf);
    free(c.off);
    for (i = 0; c.cols && i < c.ncols; i++)
        free(c.cols[i]);
    free(c.cols);
    return rc;
}
