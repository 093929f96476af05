/* CSV (libcsv): the scanner (RFC 4180 quoting, UTF-8 BOM, the delimiter
 * guessed from the header line) and the incident reader on top of it
 * (columns found by their common names or a `columns:` mapping).  The file
 * is fed to libcsv line by line out of 64 KB chunks so every record knows
 * the physical line it starts on, even after quoted newlines; memory stays
 * bounded by the longest record, not the file.  A big file read into the
 * map is read on two threads, the second half merged after the first with
 * the very result one thread gives. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "core/threads.h"
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
    int oom;            /* ... and it is that memory ran out */
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
    c->oom = 1;
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
        c->oom = 1; /* not strict while parsing: only memory can fail */
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

static void im_csv_begin(im_csv *c, const char *path, im_csv_row_fn fn, void *user, im_diag *d,
                         int line)
{
    memset(c, 0, sizeof *c);
    c->file = path;
    c->d = d;
    c->fn = fn;
    c->user = user;
    c->line = line;
    c->rec_line = line;
    c->bad_utf8 = -1;
    c->bad_nul = -1;
    c->fmt.delim = ',';
}

static void im_csv_release(im_csv *c)
{
    free(c->buf);
    free(c->off);
    free(c->ptr);
    c->buf = NULL;
    c->off = NULL;
    c->ptr = NULL;
}

static int im_csv_parser_init(struct csv_parser *p)
{
    if (csv_init(p, 0) != 0)
        return -1;
    /* libcsv grows its field buffer by this much at a time (128 bytes by
     * default): a field of megabytes would be copied over and over */
    csv_set_blk_size(p, 256 * 1024);
    return 0;
}

static void im_csv_parser_format(struct csv_parser *p, const im_csv_format *fmt)
{
    csv_set_delim(p, fmt->delim);
    csv_set_space_func(p, fmt->delim == '\t' ? im_csv_space_tab_delim : im_csv_space);
}

/* After the last byte: the last record (if no line break ends it), and a
 * quoted field still open is an error.  0 or -1. */
static int im_csv_end(im_csv *c, struct csv_parser *p)
{
    /* tolerant while parsing (a stray quote inside a field is kept), but a
     * quoted field still open at the end of the file is an error */
    csv_set_opts(p, CSV_STRICT | CSV_STRICT_FINI);
    if (csv_fini(p, im_csv_field, im_csv_record, c) != 0) {
        if (!c->failed)
            im_fail(c->d, IM_ERR_DATA, c->file, c->rec_line, 0,
                    "a quoted field starting on this record is never closed");
        c->failed = 1;
        return -1;
    }
    return c->failed ? -1 : 0;
}

/* The line breaks in the N bytes at S as im_csv_feed counts them (CRLF, CR
 * and LF one each); *PREV_CR carries a CR that ended the bytes before. */
static long im_csv_count_breaks(const char *s, size_t n, int *prev_cr)
{
    long k = 0;
    size_t i;
    if (n == 0)
        return 0;
    if (!memchr(s, '\r', n)) {
        const char *p = s, *end = s + n;
        if (*prev_cr && s[0] == '\n')
            k--; /* the LF of a CRLF split between two reads */
        while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
            k++;
            p++;
        }
        *prev_cr = 0;
        return k;
    }
    for (i = 0; i < n; i++) {
        if (s[i] == '\n') {
            if (!*prev_cr)
                k++;
            *prev_cr = 0;
        } else if (s[i] == '\r') {
            k++;
            *prev_cr = 1;
        } else {
            *prev_cr = 0;
        }
    }
    return k;
}

/* ---- two threads ------------------------------------------------------ */

/* A big file read into the map is cut at a line break S a little past the
 * middle of what follows the header.  A second thread counts the file's
 * lines, which bound how many incidents each part can keep: the first
 * thread makes the map's array that big once (pages are only touched when
 * written), and the second reads [S, end) with a parser, a builder and a
 * map of its own (the map's settings, its own arena), writing its
 * incidents straight into the array after the room the first part can
 * need, and logging its messages.  The first reads [0, S) as ever.  At S
 * it waits for the second and, if S turned out to be between two records
 * (not inside a quoted field) and the second went to the end, replays its
 * messages, adds its counts and closes the gap between the two parts'
 * incidents (none when every line before S was a kept record): as if it
 * had read the whole file itself.  Else it reads on from S itself.  The
 * result is the one-thread result whatever the threads' timing; the guess
 * of S only decides how much is gained. */

#define IM_CSV_ROW_NOT_BEGUN 0            /* libcsv's parser state between records */
#define IM_CSV_MAX_LOG (16 * 1024 * 1024) /* bytes of logged messages; beyond: read again */

static size_t im_csv_split_min = IM_CSV_SPLIT_MIN;
static size_t im_csv_split_at;
static _Thread_local int im_csv_split_last;

typedef struct im_csv_half {
    /* set before the thread starts */
    int fd;
    off_t start;            /* S: just after a line feed */
    im_csv_format fmt;
    im_map map;             /* the map's settings; its own arena, no incidents */
    im_source src;          /* its counts */
    im_csvinc inc;          /* shares the first half's column names */
    im_diag d;              /* logs what it reports, for the merge */
    pthread_t thread;
    /* the handshake, under mu: the second counts, the first grants room */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int counted;            /* lines_before and lines_after are known */
    int granted;            /* out is set (NULL: no room, give up) */
    int stop;               /* the first half failed: this part is not needed */
    long lines_before;      /* line breaks before S */
    long lines_after;       /* lines from S on (a last one without a break too) */
    im_incident *out;       /* where its incidents go: the map's array at base */
    int base;
    size_t out_cap, nout;
    /* the thread's */
    im_csv c;
    char *log;              /* kind ('w' or 'e') + message + NUL, one after the other */
    size_t log_len, log_cap;
    int log_full;
    int rc;                 /* the scan of [S, end): 0 or -1 */
    int resource;           /* it stopped for want of memory or a read: its part is read again */
} im_csv_half;

typedef struct im_csv_split {
    im_csvinc *inc;         /* the first half's reader */
    im_map *map;
    im_source *src;
    int strict;
    int tried;
    off_t at;               /* S, while a second thread reads from it */
    im_csv_half *half;
} im_csv_split;

void im_csv_split_config(size_t min_bytes, size_t at)
{
    im_csv_split_min = min_bytes;
    im_csv_split_at = at;
}

int im_csv_split_outcome(void)
{
    return im_csv_split_last;
}

static void im_csv_half_log(im_csv_half *h, char kind, const char *msg)
{
    size_t n = strlen(msg) + 2;
    if (h->log_full)
        return;
    if (h->log_len + n > h->log_cap) {
        size_t ncap = h->log_cap ? h->log_cap : 4096;
        char *p;
        while (ncap < h->log_len + n)
            ncap *= 2;
        p = ncap <= IM_CSV_MAX_LOG ? realloc(h->log, ncap) : NULL;
        if (!p) {
            h->log_full = 1;
            return;
        }
        h->log = p;
        h->log_cap = ncap;
    }
    h->log[h->log_len] = kind;
    memcpy(h->log + h->log_len + 1, msg, n - 1);
    h->log_len += n;
}

static void im_csv_half_warn(void *user, const char *msg)
{
    im_csv_half_log(user, 'w', msg);
}

static void im_csv_half_error(void *user, const char *msg)
{
    im_csv_half_log(user, 'e', msg);
}

/* The second thread's keep hook: into the room granted in the map's array. */
static int im_csv_half_keep(void *user, const im_incident *inc)
{
    im_csv_half *h = user;
    if (h->nout >= h->out_cap)
        return -1; /* more records than lines (the file changed): never past the room */
    h->out[h->nout++] = *inc;
    return 1;
}

static void im_csv_half_free(im_csv_half *h)
{
    if (!h)
        return;
    pthread_cond_destroy(&h->cv);
    pthread_mutex_destroy(&h->mu);
    im_builder_done(&h->inc.b, 1); /* its map is this one: nothing to drop */
    im_arena_destroy(h->map.arena);
    im_csv_release(&h->c);
    free(h->log);
    free(h);
}

/* Add the line breaks of [FROM, TO) to *LINES.  0, or -1 when a read
 * fails. */
static int im_csv_half_count(im_csv_half *h, char *chunk, off_t from, off_t to, long *lines)
{
    int prev_cr = 0;
    while (from < to) {
        size_t want = to - from < IM_CSV_CHUNK ? (size_t)(to - from) : IM_CSV_CHUNK;
        ssize_t n = pread(h->fd, chunk, want, from);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        *lines += im_csv_count_breaks(chunk, (size_t)n, &prev_cr);
        from += n;
    }
    return 0;
}

/* The second thread: count the lines, wait for room, scan [S, end). */
static void *im_csv_half_run(void *arg)
{
    im_csv_half *h = arg;
    struct csv_parser parser;
    struct stat st;
    int parser_ok = 0, ok;
    long before = 0, after = 0;
    off_t pos = h->start;
    char *chunk = malloc(IM_CSV_CHUNK);

    h->rc = -1;
    ok = parser_ok = chunk && im_csv_parser_init(&parser) == 0;
    ok = ok && fstat(h->fd, &st) == 0 &&
         im_csv_half_count(h, chunk, 0, h->start, &before) == 0 &&
         im_csv_half_count(h, chunk, h->start, st.st_size, &after) == 0 && before < INT_MAX / 2 &&
         after < INT_MAX / 2;
    pthread_mutex_lock(&h->mu);
    h->lines_before = before;
    h->lines_after = after + 1;
    h->counted = 1;
    pthread_cond_broadcast(&h->cv);
    while (ok && !h->granted && !h->stop)
        pthread_cond_wait(&h->cv, &h->mu);
    ok = ok && !h->stop && h->out;
    pthread_mutex_unlock(&h->mu);
    if (!ok) {
        h->resource = 1;
        goto done;
    }

    im_csv_begin(&h->c, h->src.path, im_csvinc_row, &h->inc, &h->d, 1 + (int)before);
    h->c.fmt = h->fmt;
    im_csv_parser_format(&parser, &h->fmt);
    for (;;) {
        ssize_t n;
        int stop;
        pthread_mutex_lock(&h->mu);
        stop = h->stop;
        pthread_mutex_unlock(&h->mu);
        if (stop || h->log_full) {
            h->resource = 1;
            goto done;
        }
        n = pread(h->fd, chunk, IM_CSV_CHUNK, pos);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            h->resource = 1; /* the first thread reads it again and says so */
            goto done;
        }
        if (n == 0)
            break;
        pos += n;
        if (im_csv_feed_chunk(&h->c, &parser, chunk, (size_t)n) != 0)
            goto done;
    }
    h->rc = im_csv_end(&h->c, &parser);
done:
    if (h->c.oom || h->inc.b.oom || h->log_full)
        h->resource = 1;
    if (parser_ok)
        csv_free(&parser);
    free(chunk);
    return NULL;
}

/* Stop and wait for a second thread whose part is not wanted. */
static void im_csv_split_cancel(im_csv_split *sp)
{
    if (!sp || !sp->half)
        return;
    pthread_mutex_lock(&sp->half->mu);
    sp->half->stop = 1;
    pthread_cond_broadcast(&sp->half->cv);
    pthread_mutex_unlock(&sp->half->mu);
    pthread_join(sp->half->thread, NULL);
    im_csv_half_free(sp->half);
    sp->half = NULL;
    sp->inc->b.keep = NULL;
    im_csv_split_last = 2;
}

/* The first thread's keep hook while the second runs: it appends to the
 * map's array as usual, but never into the second's room, which only a
 * file changed since the lines were counted can make it reach: the second
 * is stopped first (and the first reads on from S). */
static int im_csv_first_keep(void *user, const im_incident *inc)
{
    im_csv_split *sp = user;
    (void)inc;
    if (sp->half && sp->half->out && sp->map->nincidents >= sp->half->base)
        im_csv_split_cancel(sp);
    return 0;
}

/* The first line feed at or after byte FROM of FD, or -1 (none in the
 * next megabyte: no split). */
static off_t im_csv_next_lf(int fd, off_t from)
{
    char buf[4096];
    off_t pos = from;
    while (pos - from < 1024 * 1024) {
        ssize_t n = pread(fd, buf, sizeof buf, pos), i;
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        for (i = 0; i < n; i++) {
            if (buf[i] == '\n')
                return pos + i;
        }
        pos += n;
    }
    return -1;
}

/* After each chunk until the header is read: start the second thread when
 * the file is worth it.  C is the first half's scanner, POS the bytes read. */
static void im_csv_split_try(im_csv_split *sp, const im_csv *c, FILE *f, off_t pos, im_diag *d)
{
    im_csv_half *h;
    struct stat st;
    off_t mid, lf;
    int fd = fileno(f);

    if (!sp->inc->have_header)
        return;
    sp->tried = 1;
    if (!im_threads_ok())
        return;
    if (c->failed || sp->inc->b.failed || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (unsigned long long)st.st_size < (unsigned long long)im_csv_split_min)
        return;
    /* past the middle by what counting the lines costs the second thread */
    mid = im_csv_split_at ? (off_t)im_csv_split_at
                          : pos + (st.st_size - pos) / 2 + st.st_size / 64;
    if (mid < pos || (lf = im_csv_next_lf(fd, mid)) < 0 || lf + 1 >= st.st_size)
        return;

    h = calloc(1, sizeof *h);
    if (!h)
        return;
    if (pthread_mutex_init(&h->mu, NULL) != 0) {
        free(h);
        return;
    }
    if (pthread_cond_init(&h->cv, NULL) != 0) {
        pthread_mutex_destroy(&h->mu);
        free(h);
        return;
    }
    h->fd = fd;
    h->start = lf + 1;
    h->fmt = c->fmt;
    h->map = *sp->map;
    h->map.arena = im_arena_create();
    h->map.incidents = NULL;
    h->map.nincidents = h->map.incidents_cap = 0;
    h->src = *sp->src;
    im_diag_init(&h->d, im_csv_half_warn, h);
    h->d.error = im_csv_half_error;
    h->d.error_user = h;
    h->d.collect = d->collect;
    h->inc.have_header = 1;
    h->inc.ncols = sp->inc->ncols;
    h->inc.cols = sp->inc->cols; /* read by both threads, freed by the first */
    if (!h->map.arena ||
        im_builder_init(&h->inc.b, &h->map, &h->src, "column", sp->strict, NULL, NULL, &h->d) !=
            0 ||
        im_builder_header(&h->inc.b, (const char *const *)h->inc.cols, h->inc.ncols, 0, 1,
                          h->inc.col_of) != 0 ||
        h->log_len > 0) {
        im_csv_half_free(h);
        return;
    }
    h->inc.b.keep = im_csv_half_keep;
    h->inc.b.keep_user = h;
    if (pthread_create(&h->thread, NULL, im_csv_half_run, h) != 0) {
        im_csv_half_free(h);
        return;
    }
    sp->half = h;
    sp->at = h->start;
    sp->inc->b.keep = im_csv_first_keep;
    sp->inc->b.keep_user = sp;
}

/* Once the second thread has counted the lines (waiting for it with
 * WAIT): make the map's array big enough for every record both parts can
 * keep, and give the second its room after the first's.  Growing it once
 * now is what lets the second write into it while the first appends. */
static void im_csv_split_grant(im_csv_split *sp, int wait)
{
    im_csv_half *h = sp->half;
    im_map *m = sp->map;
    long base, cap;
    pthread_mutex_lock(&h->mu);
    if (h->granted || (!h->counted && !wait)) {
        pthread_mutex_unlock(&h->mu);
        return;
    }
    while (!h->counted)
        pthread_cond_wait(&h->cv, &h->mu);
    pthread_mutex_unlock(&h->mu);

    /* the header takes a line before S, every other record starts on a
     * line of its own */
    base = (long)sp->inc->b.nbefore + h->lines_before - 1;
    cap = base + h->lines_after;
    if (h->lines_before >= 1 && base >= m->nincidents && cap < INT_MAX) {
        im_incident *grown = m->incidents;
        if (cap > m->incidents_cap) {
            size_t have = (size_t)(m->incidents_cap > m->nincidents ? m->incidents_cap
                                                                     : m->nincidents);
            grown = im_arena_resize(m->arena, m->incidents, have * sizeof *grown,
                                    (size_t)cap * sizeof *grown);
            if (grown) {
                m->incidents = grown;
                m->incidents_cap = (int)cap;
            }
        }
        if (grown) {
            h->out = grown + base;
            h->base = (int)base;
            h->out_cap = (size_t)(cap - base);
        }
    }
    pthread_mutex_lock(&h->mu);
    h->granted = 1;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
}

/* Take the second thread's part as if the first had read it: its
 * messages in order through D, its counts, its incidents and their
 * strings.  Returns the scan's result for the whole file. */
static int im_csv_split_merge(im_csv_split *sp, im_csv_half *h, im_csv *c, im_diag *d)
{
    im_builder *b = &sp->inc->b;
    im_map *m = sp->map;
    const char *p;
    int k;
    for (p = h->log; p && p < h->log + h->log_len; p += strlen(p + 1) + 2) {
        if (*p == 'e') {
            /* the first error it logged has the status it gave the
             * thread's diag; a later one only counts when D has none */
            im_fail(d, h->d.status, NULL, 0, 0, "%s", p + 1);
        } else {
            d->nwarnings++;
            if (d->warn)
                d->warn(d->warn_user, p + 1);
        }
    }
    sp->src->nrecords += h->src.nrecords;
    sp->src->nskipped += h->src.nskipped;
    sp->src->nfiltered += h->src.nfiltered;
    sp->src->nkept += h->src.nkept;
    for (k = 0; k < b->nwant && k < h->inc.b.nwant; k++)
        b->want[k].seen |= h->inc.b.want[k].seen;
    c->nrecords += h->c.nrecords;
    if (h->inc.b.failed)
        b->failed = 1;
    if (h->rc != 0)
        return -1; /* the file fails: what it kept is dropped anyway */
    /* the first part kept fewer than the lines before S allow: close up */
    if (h->nout > 0 && m->nincidents != h->base)
        memmove(m->incidents + m->nincidents, m->incidents + h->base,
                h->nout * sizeof *m->incidents);
    m->nincidents += (int)h->nout;
    im_arena_adopt(m->arena, h->map.arena);
    return 0;
}

/* The first thread is at S: wait for the second.  1 when its part is
 * taken (*RC the scan's result, the file is done), 0 when the first reads
 * on from S itself. */
static int im_csv_split_join(im_csv_split *sp, im_csv *c, const struct csv_parser *p, im_diag *d,
                             int *rc)
{
    im_csv_half *h = sp->half;
    int between;
    im_csv_split_grant(sp, 1);
    pthread_join(h->thread, NULL);
    sp->half = NULL;
    sp->inc->b.keep = NULL;
    between = !c->in_record && !c->prev_cr && p->pstate == IM_CSV_ROW_NOT_BEGUN &&
              p->entry_pos == 0 && !p->quoted;
    if (!between || h->resource || c->line != 1 + h->lines_before ||
        sp->map->nincidents > h->base) {
        im_csv_half_free(h);
        im_csv_split_last = 2;
        return 0;
    }
    *rc = im_csv_split_merge(sp, h, c, d);
    im_csv_half_free(h);
    im_csv_split_last = 1;
    return 1;
}

/* ---- the scan --------------------------------------------------------- */

/* im_csv_scan; with SP (the incident reader into the map), on two threads
 * when the file is big. */
static int im_csv_scan_file(const char *path, const im_loc *named_at, im_csv_row_fn fn,
                            void *user, im_diag *d, im_csv_split *sp)
{
    struct csv_parser parser;
    int parser_ok = 0, rc = -1, first = 1;
    size_t total = 0;
    off_t pos = 0;
    char *chunk = NULL;
    FILE *f = NULL;
    im_csv c;

    im_csv_begin(&c, path, fn, user, d, 1);
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
    if (!chunk || im_csv_parser_init(&parser) != 0) {
        im_fail(d, IM_ERR_INTERNAL, c.file, 0, 0, "out of memory");
        goto done;
    }
    parser_ok = 1;

    for (;;) {
        size_t want = IM_CSV_CHUNK, n, skip = 0;
        if (sp && sp->half) {
            if (pos == sp->at) {
                if (im_csv_split_join(sp, &c, &parser, d, &rc))
                    goto done;
                continue;
            }
            if ((off_t)want > sp->at - pos)
                want = (size_t)(sp->at - pos);
        }
        n = fread(chunk, 1, want, f);
        if (n == 0) {
            if (ferror(f)) {
                im_fail(d, IM_ERR_DATA, c.file, c.line, 0, "read error: %s",
                        strerror(errno));
                goto done;
            }
            break;
        }
        pos += (off_t)n;
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
            im_csv_parser_format(&parser, &c.fmt);
        }
        total += n - skip;
        if (im_csv_feed_chunk(&c, &parser, chunk + skip, n - skip) != 0)
            goto done;
        if (sp && !sp->tried)
            im_csv_split_try(sp, &c, f, pos, d);
        else if (sp && sp->half)
            im_csv_split_grant(sp, 0);
    }
    im_csv_split_cancel(sp); /* the file ended before S (it shrank): read on */
    if (total == 0) {
        im_fail(d, IM_ERR_DATA, c.file, 0, 0, "empty file");
        goto done;
    }
    if (im_csv_end(&c, &parser) != 0)
        goto done;
    if (c.nrecords == 0) {
        im_fail(d, IM_ERR_DATA, c.file, 0, 0, "empty file");
        goto done;
    }
    rc = 0;

done:
    im_csv_split_cancel(sp); /* joined on every way out */
    if (parser_ok)
        csv_free(&parser);
    if (f)
        fclose(f);
    free(chunk);
    im_csv_release(&c);
    return rc;
}

int im_csv_scan(const char *path, const im_loc *named_at, im_csv_row_fn fn, void *user,
                im_diag *d)
{
    return im_csv_scan_file(path, named_at, fn, user, d, NULL);
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
    im_csv_split sp;
    int rc = -1;

    memset(&c, 0, sizeof c);
    memset(&sp, 0, sizeof sp);
    sp.inc = &c;
    sp.map = map;
    sp.src = src;
    sp.strict = strict;
    im_csv_split_last = 0;
    if (im_builder_init(&c.b, map, src, "column", strict, visit, user, d) != 0)
        goto done;
    /* into the map: on two threads when the file is big */
    if (im_csv_scan_file(src->path, &src->loc, im_csvinc_row, &c, d, visit ? NULL : &sp) != 0)
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
