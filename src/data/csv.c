/* CSV (libcsv): the scanner (RFC 4180 quoting, UTF-8 BOM, the delimiter
 * guessed from the header line) and the incident reader on top of it
 * (columns found by their common names or a `columns:` mapping).  The file
 * is fed to libcsv line by line out of 64 KB chunks so every record knows
 * the physical line it starts on, even after quoted newlines; memory stays
 * bounded by the longest record, not the file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "data/csv.h"
#include "data/data.h"
#include "data/records.h"
#include "data/text.h"

#define IM_CSV_CHUNK (64 * 1024)
#define IM_CSV_MAX_RECORD (16 * 1024 * 1024) /* bytes; beyond: an unclosed quote */

typedef struct im_csv {
    const char *file;
    im_diag *d;
    im_csv_row_fn fn;
    void *user;
    im_csv_format fmt;

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
    char **ptr;         /* the fields as pointers, for the callback */
    int nfields, fcap;
    int bad_utf8;       /* first field with invalid UTF-8, or -1 */
    int bad_nul;        /* first field with a NUL byte, or -1 */
    int too_many;
    int nrecords;

    int failed;         /* an error is in d, or the callback stopped: stop */
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
        char **ptr;
        if (!off) {
            im_csv_oom(c);
            return;
        }
        c->off = off;
        ptr = realloc(c->ptr, (size_t)ncap * sizeof *ptr);
        if (!ptr) {
            im_csv_oom(c);
            return;
        }
        c->ptr = ptr;
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
    if (c->bad_nul < 0 && n && memchr(s, '\0', n))
        c->bad_nul = c->nfields;
    c->off[c->nfields++] = c->len;
    c->len += n + 1;
}

static int im_csv_is_blank(const char *s)
{
    for (; *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 0;
    }
    return 1;
}

/* libcsv end-of-record callback: hand the record to the consumer. */
static void im_csv_record(int term, void *user)
{
    im_csv *c = user;
    (void)term;
    if (!c->failed) {
        im_csv_row row;
        int i;
        row.blank = 1;
        for (i = 0; i < c->nfields; i++) {
            c->ptr[i] = c->buf + c->off[i];
            if (row.blank && !im_csv_is_blank(c->ptr[i]))
                row.blank = 0;
        }
        row.field = c->ptr;
        row.nfields = c->nfields;
        row.line = c->rec_line;
        row.bad_utf8 = c->bad_utf8;
        row.bad_nul = c->bad_nul;
        row.too_many = c->too_many;
        c->nrecords++;
        if (c->fn(c->user, &row, &c->fmt) != 0)
            c->failed = 1;
    }
    c->in_record = 0;
    c->len = 0;
    c->nfields = 0;
    c->bad_utf8 = -1;
    c->bad_nul = -1;
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
    return !(ch == '\t' && c->fmt.delim != '\t');
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

int im_csv_scan(const char *path, const im_loc *named_at, im_csv_row_fn fn, void *user,
                im_diag *d)
{
    struct csv_parser parser;
    int parser_ok = 0, rc = -1, first = 1;
    size_t total = 0;
    char *chunk = NULL;
    FILE *f = NULL;
    im_csv c;

    memset(&c, 0, sizeof c);
    c.file = path;
    c.d = d;
    c.fn = fn;
    c.user = user;
    c.line = 1;
    c.rec_line = 1;
    c.bad_utf8 = -1;
    c.bad_nul = -1;
    c.fmt.delim = ',';

    f = fopen(path, "rb");
    if (f)
        im_diag_dep(d, path);
    if (!f) {
        if (named_at)
            im_fail(d, IM_ERR_DATA, named_at->file, named_at->line, named_at->col,
                    "cannot open '%s': %s", path, strerror(errno));
        else
            im_fail(d, IM_ERR_DATA, NULL, 0, 0, "cannot open '%s': %s", path, strerror(errno));
        goto done;
    }
    chunk = malloc(IM_CSV_CHUNK);
    if (!chunk || csv_init(&parser, 0) != 0) {
        im_fail(d, IM_ERR_INTERNAL, c.file, 0, 0, "out of memory");
        goto done;
    }
    parser_ok = 1;
    /* libcsv grows its field buffer by this much at a time (128 bytes by
     * default): a field of megabytes would be copied over and over */
    csv_set_blk_size(&parser, 256 * 1024);

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
            if (n >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0) {
                skip = 3;
                c.fmt.bom = 1;
            }
            c.fmt.delim = im_csv_guess_delim(chunk + skip, n - skip);
            csv_set_delim(&parser, c.fmt.delim);
            csv_set_space_func(&parser, c.fmt.delim == '\t' ? im_csv_space_tab_delim
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
    if (c.nrecords == 0) {
        im_fail(d, IM_ERR_DATA, c.file, 0, 0, "empty file");
        goto done;
    }
    rc = 0;

done:
    if (parser_ok)
        csv_free(&parser);
    if (f)
        fclose(f);
    free(chunk);
    free(c.buf);
    free(c.off);
    free(c.ptr);
    return rc;
}

/* ---- incidents -------------------------------------------------------- */

static int im_csvinc_header(im_csvinc *c, const im_csv_row *row)
{
    int i;
    c->ncols = row->nfields;
    c->cols = calloc((size_t)(c->ncols > 0 ? c->ncols : 1), sizeof *c->cols);
    if (!c->cols)
        return im_fail(c->b.d, IM_ERR_INTERNAL, c->b.file, row->line, 0, "out of memory");
    for (i = 0; i < c->ncols; i++) {
        c->cols[i] = strdup(im_trim(row->field[i]));
        if (!c->cols[i])
            return im_fail(c->b.d, IM_ERR_INTERNAL, c->b.file, row->line, 0, "out of memory");
    }
    c->have_header = 1;
    return im_builder_header(&c->b, (const char *const *)c->cols, c->ncols, row->line, 1,
                             c->col_of);
}

int im_csvinc_row(void *user, const im_csv_row *row, const im_csv_format *fmt)
{
    im_csvinc *c = user;
    im_record r;
    char why[600], ex[80];
    int i;

    if (!c->have_header)
        return im_csvinc_header(c, row);
    if (row->blank)
        return 0; /* ",,,,": what spreadsheets leave below the data */
    if (row->too_many || row->nfields != c->ncols) {
        c->b.src->nrecords++;
        if (row->too_many)
            snprintf(why, sizeof why, "more than %d fields, expected %d (as in the header)",
                     IM_CSV_MAX_FIELDS, c->ncols);
        else
            snprintf(why, sizeof why, "%d field%s, expected %d (as in the header)",
                     row->nfields, row->nfields == 1 ? "" : "s", c->ncols);
        return im_builder_reject(&c->b, row->line, "", why);
    }
    if (row->bad_nul >= 0) {
        /* the text would end at the NUL: never a value to read silently */
        c->b.src->nrecords++;
        snprintf(why, sizeof why, "a NUL byte in column '%s' (not a text file?)",
                 im_record_excerpt(ex, sizeof ex, c->cols[row->bad_nul]));
        return im_builder_reject(&c->b, row->line, "", why);
    }
    if (row->bad_utf8 >= 0) {
        c->b.src->nrecords++;
        snprintf(why, sizeof why, "invalid UTF-8 in column '%s' (save the file as UTF-8)",
                 im_record_excerpt(ex, sizeof ex, c->cols[row->bad_utf8]));
        return im_builder_reject(&c->b, row->line, "", why);
    }
    memset(&r, 0, sizeof r);
    r.what = "column";
    for (i = 0; i < IM_COL_COUNT; i++) {
        if (c->col_of[i] >= 0) {
            r.text[i] = row->field[c->col_of[i]];
            r.name[i] = c->cols[c->col_of[i]];
        }
    }
    r.field_name = (const char *const *)c->cols;
    r.field_value = (const char *const *)row->field;
    r.nfields = row->nfields;
    r.header = 1;
    return im_builder_add(&c->b, &r, NULL, fmt->delim != ',', row->line, "");
}

int im_csv_read(im_map *map, im_source *src, int strict, im_incident_fn visit,
                void *user, im_diag *d)
{
    im_csvinc c;
    int rc = -1;

    memset(&c, 0, sizeof c);
    if (im_builder_init(&c.b, map, src, "column", strict, visit, user, d) != 0)
        goto done;
    if (im_csv_scan(src->path, &src->loc, im_csvinc_row, &c, d) != 0)
        goto done;
    if (c.b.failed)
        goto done; /* errors collected in a header that let the scan go on */
    rc = 0;
done:
    im_builder_done(&c.b, rc == 0);
    im_csvinc_free(&c);
    return rc;
}

void im_csvinc_free(im_csvinc *c)
{
    int i;
    for (i = 0; c->cols && i < c->ncols; i++)
        free(c->cols[i]);
    free(c->cols);
    c->cols = NULL;
}

int im_csv_read_incidents(im_map *map, im_source *src, int strict, im_diag *d)
{
    return im_csv_read(map, src, strict, NULL, NULL, d);
}
