/* incimap: status codes and diagnostics.
 *
 * Every fallible library function returns 0 on success or -1 on failure and
 * records the reason in an im_diag.  The first error is kept: later failures
 * never overwrite the root cause.  Warnings (bad rows that were skipped, ...)
 * go to a callback the caller installs; the library itself never prints.
 * The status of the first error is also the CLI's exit code. */
#ifndef INCIMAP_ERROR_H
#define INCIMAP_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exit codes of the command-line tool; documented in README.md. */
typedef enum {
    IM_OK = 0,
    IM_ERR_USAGE = 2,    /* bad command line: unknown option, bad extension */
    IM_ERR_SPEC = 3,     /* the map file is invalid (syntax, unknown key, bad value) */
    IM_ERR_DATA = 4,     /* a data or base-map file is missing or invalid */
    IM_ERR_IO = 5,       /* the output could not be written */
    IM_ERR_INTERNAL = 70 /* a bug or an exhausted resource (out of memory) */
} im_status;

typedef void (*im_warn_fn)(void *user, const char *message);

/* Diagnostics sink.  Zero-initialise (or im_diag_init) before use. */
typedef struct im_diag {
    im_status status;     /* IM_OK until the first error */
    char message[1024];   /* "file:line:col: text" of the first error */
    im_warn_fn warn;      /* may be NULL: warnings are then only counted */
    void *warn_user;
    int nwarnings;
    int nerrors;          /* errors seen (only the first is kept) */
    /* Collecting every problem (incimap check): when error is set, each
     * error's "file:line:col: text" goes to it as it happens (the first one
     * is still kept in message and decides the status), and with collect
     * set the library goes on where it can: past a bad row even when
     * strict, to the next key of a bad map file, to the next file. */
    im_warn_fn error;
    void *error_user;
    int collect;
    /* When set, every file read is added to it (im_diag_dep), for
     * dependency files and incremental builds (incimap/build.h). */
    struct im_deps *deps;
    /* Progress for --verbose: what was read, counts, timings ("read
     * incidents.csv: 1204 records ... in 12 ms"), each as one line without
     * a location.  NULL (the default): nothing is measured or formatted. */
    im_warn_fn verbose;
    void *verbose_user;
} im_diag;

void im_diag_init(im_diag *d, im_warn_fn warn, void *user);

/* Record an error at file:line:col (line/col 0 = unknown, file NULL = none).
 * Keeps only the first one.  Always returns -1 so callers can
 * `return im_fail(...)`. */
int im_fail(im_diag *d, im_status status, const char *file, int line, int col,
            const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Report a warning "file:line:col: warning: text" through the callback. */
void im_warn(im_diag *d, const char *file, int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* A summary for the user that is no warning of its own ("3 rows skipped in
 * incidents.csv (see above)"): through the warning callback as it is,
 * without a location, and not counted in nwarnings. */
void im_note(im_diag *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Record PATH as a file this run read, when d->deps is set. */
void im_diag_dep(im_diag *d, const char *path);
/* A progress line for d->verbose (no-op when it is NULL). */
void im_verbose(im_diag *d, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Format "file:line:col: " into buf (parts that are unknown are left out). */
void im_format_where(char *buf, size_t size, const char *file, int line, int col);

#ifdef __cplusplus
}
#endif
#endif
