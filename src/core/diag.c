/* Diagnostics: keeps the first error, forwards warnings to the caller. */
#include "incimap/error.h"

#include <stdio.h>
#include <string.h>

void im_diag_init(im_diag *d, im_warn_fn warn, void *user)
{
    memset(d, 0, sizeof *d);
    d->warn = warn;
    d->warn_user = user;
}

void im_format_where(char *buf, size_t size, const char *file, int line, int col)
{
    if (!file || !*file) {
        buf[0] = '\0';
        return;
    }
    if (line > 0 && col > 0)
        snprintf(buf, size, "%s:%d:%d: ", file, line, col);
    else if (line > 0)
        snprintf(buf, size, "%s:%d: ", file, line);
    else
        snprintf(buf, size, "%s: ", file);
}

int im_fail(im_diag *d, im_status status, const char *file, int line, int col,
            const char *fmt, ...)
{
    char where[600], msg[1400];
    va_list ap;
    size_t n;
    if (!d)
        return -1;
    d->nerrors++;
    if (d->status != IM_OK && !d->error)
        return -1; /* keep the root cause */
    im_format_where(where, sizeof where, file, line, col);
    snprintf(msg, sizeof msg, "%s", where);
    n = strlen(msg);
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - n, fmt, ap);
    va_end(ap);
    if (d->error)
        d->error(d->error_user, msg);
    if (d->status == IM_OK) {
        d->status = status;
        snprintf(d->message, sizeof d->message, "%s", msg);
    }
    return -1;
}

/* Format and hand a line without location to FN (NULL: nothing to do). */
static void im_diag_send(im_warn_fn fn, void *user, const char *fmt, va_list ap)
{
    char msg[1400];
    if (!fn)
        return;
    vsnprintf(msg, sizeof msg, fmt, ap);
    fn(user, msg);
}

void im_note(im_diag *d, const char *fmt, ...)
{
    va_list ap;
    if (!d)
        return;
    va_start(ap, fmt);
    im_diag_send(d->warn, d->warn_user, fmt, ap);
    va_end(ap);
}

void im_verbose(im_diag *d, const char *fmt, ...)
{
    va_list ap;
    if (!d)
        return;
    va_start(ap, fmt);
    im_diag_send(d->verbose, d->verbose_user, fmt, ap);
    va_end(ap);
}

void im_warn(im_diag *d, const char *file, int line, int col, const char *fmt, ...)
{
    char msg[1400], where[600];
    size_t n;
    va_list ap;
    if (!d)
        return;
    d->nwarnings++;
    if (!d->warn)
        return;
    im_format_where(where, sizeof where, file, line, col);
    snprintf(msg, sizeof msg, "%swarning: ", where);
    n = strlen(msg);
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - n, fmt, ap);
    va_end(ap);
    d->warn(d->warn_user, msg);
}
