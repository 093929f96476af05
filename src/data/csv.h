/* The CSV scanner under the incident reader and `incimap info`: RFC 4180
 * through libcsv, UTF-8 with or without BOM, the delimiter (comma,
 * semicolon or tab) guessed from the header line, and the physical line
 * each record starts on.  Internal to src/data. */
#ifndef IM_DATA_CSV_H
#define IM_DATA_CSV_H

#include "data/records.h"
#include "incimap/error.h"
#include "incimap/map.h"

#define IM_CSV_MAX_FIELDS 4096

/* One record.  The texts are the scanner's and valid during the callback
 * only (the callback may change them, e.g. trim them in place). */
typedef struct im_csv_row {
    char **field;       /* NUL-terminated texts, quotes removed */
    int nfields;
    int line;           /* physical line the record starts on */
    int bad_utf8;       /* first field with invalid UTF-8, or -1 */
    int bad_nul;        /* first field with a NUL byte, or -1 */
    int too_many;       /* more than IM_CSV_MAX_FIELDS fields (the rest are dropped) */
    int blank;          /* every field is empty or blank (",,,,") */
} im_csv_row;

typedef struct im_csv_format {
    unsigned char delim;
    int bom;            /* the file starts with a UTF-8 byte order mark */
} im_csv_format;

/* Called for every record, the header first.  Returns 0 to go on; anything
 * else stops the scan, which then returns -1 (the callback has put the
 * reason in d). */
typedef int (*im_csv_row_fn)(void *user, const im_csv_row *row, const im_csv_format *fmt);

/* Scan PATH.  File-level errors go to D and give -1: it cannot be opened
 * (at NAMED_AT, the map-file line naming it, when given), it is UTF-16, a
 * record never ends (an unclosed quote), it is empty. */
int im_csv_scan(const char *path, const im_loc *named_at, im_csv_row_fn fn, void *user,
                im_diag *d);

/* The incident reader on top of the scanner, for a scan that looks at the
 * rows itself too (`incimap info`): start a builder in B, pass every row
 * to im_csvinc_row, and im_csvinc_free the column names at the end. */
typedef struct im_csvinc {
    im_builder b;
    int have_header;
    int ncols;
    char **cols;        /* column names, trimmed */
    int col_of[IM_COL_COUNT];
} im_csvinc;

int im_csvinc_row(void *user, const im_csv_row *row, const im_csv_format *fmt);
void im_csvinc_free(im_csvinc *c);

/* im_csv_read into the map reads a regular file of at least
 * IM_CSV_SPLIT_MIN bytes on two threads, the second from the line after
 * byte AT (0: a little past the middle of what follows the header).  Two
 * threads read 2 MB in about half the time of one (a 1 MB file gains a
 * little, half a megabyte nothing).  For tests, which compare both ways on
 * small files: set the size (SIZE_MAX: never) and AT.  Not thread-safe. */
#define IM_CSV_SPLIT_MIN (2 * 1024 * 1024)
void im_csv_split_config(size_t min_bytes, size_t at);
/* How the last im_csv_read on this thread went: 0 on one thread, 1 on
 * two, 2 on two but the second's part was not taken (the first read it
 * itself, or failed before it). */
int im_csv_split_outcome(void);

#endif
