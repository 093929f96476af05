/* Minimal assertion helpers for the unit tests: each test program runs its
 * checks, prints one line per failure, and exits non-zero if any failed. */
#ifndef IM_TEST_CHECK_H
#define IM_TEST_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int im_test_failures;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            im_test_failures++;                                                  \
        }                                                                        \
    } while (0)

#define CHECK_STR(a, b)                                                          \
    do {                                                                         \
        const char *a_ = (a), *b_ = (b);                                         \
        if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                 \
            fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\"\n", __FILE__,     \
                    __LINE__, b_ ? b_ : "(null)", a_ ? a_ : "(null)");           \
            im_test_failures++;                                                  \
        }                                                                        \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                    \
    do {                                                                         \
        double a_ = (a), b_ = (b);                                               \
        if (!(fabs(a_ - b_) <= (tol))) {                                         \
            fprintf(stderr, "%s:%d: %s = %.9g, expected %.9g +- %g\n", __FILE__,  \
                    __LINE__, #a, a_, b_, (double)(tol));                        \
            im_test_failures++;                                                  \
        }                                                                        \
    } while (0)

#define CHECK_DONE()                                                             \
    do {                                                                         \
        if (im_test_failures)                                                    \
            fprintf(stderr, "%d check(s) failed\n", im_test_failures);           \
        return im_test_failures ? 1 : 0;                                         \
    } while (0)

/* Warnings collected from an im_diag callback, for checking messages. */
typedef struct {
    char msg[32][600];
    int n;
} warnings;

static inline void collect(void *user, const char *message)
{
    warnings *w = user;
    if (w->n < 32)
        snprintf(w->msg[w->n++], sizeof w->msg[0], "%s", message);
}

/* 1 if some warning contains A and (when given) B. */
static inline int has_warning(const warnings *w, const char *a, const char *b)
{
    int i;
    for (i = 0; i < w->n; i++) {
        if (strstr(w->msg[i], a) && (!b || strstr(w->msg[i], b)))
            return 1;
    }
    return 0;
}

#endif
