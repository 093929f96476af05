/* Dependency files in Make's format ("out.png: a.yaml b.csv ..."), as
 * gcc -MD -MP writes them, for Makefiles and Ninja's depfile = ... */
#include "incimap/build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic.h"

/* PATH as Make reads it in a rule: blanks and '#' escaped with a
 * backslash, '$' doubled. */
static void im_make_escape(FILE *f, const char *path)
{
    const char *p;
    for (p = path; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '#')
            fputc('\\', f);
        if (*p == '$')
            fputc('$', f);
        fputc(*p, f);
    }
}

int im_depfile_write(const char *depfile, const char *target, const im_deps *deps, im_diag *d)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int i, rc;
    if (!f)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    im_make_escape(f, target);
    fputc(':', f);
    for (i = 0; i < im_deps_count(deps); i++) {
        fputs(" \\\n ", f);
        im_make_escape(f, im_deps_get(deps, i));
    }
    fputc('\n', f);
    /* an empty rule per input: make does not fail when one is deleted */
    for (i = 0; i < im_deps_count(deps); i++) {
        fputc('\n', f);
        im_make_escape(f, im_deps_get(deps, i));
        fputs(":\n", f);
    }
    if (fclose(f) != 0 || !text) {
        free(text);
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    }
    rc = im_write_file_atomic(depfile, text, len, d);
    free(text);
    return rc;
}
