/* Canvas sizes of the map file: named paper sizes and physical sizes in
 * mm/cm/in/pt (page:), and pixel sizes "WxH" (size:). */
#include "spec/spec.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

typedef struct paper {
    const char *name;
    double w_mm, h_mm; /* portrait */
} paper;

static const paper papers[] = {
    {"a3", 297, 420},
    {"a4", 210, 297},
    {"a5", 148, 210},
    {"letter", 215.9, 279.4},
    {"legal", 215.9, 355.6},
};

static const char *skip_blanks(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* A positive finite number at *S (no sign, no exponent: "6.3", "160"). */
static int take_number(const char **s, double *out)
{
    const char *p = *s;
    char *end;
    double v;
    if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
        return -1;
    while (isdigit((unsigned char)*p) || *p == '.')
        p++;
    errno = 0;
    v = strtod(*s, &end);
    if (end != p || errno || !isfinite(v) || v <= 0)
        return -1;
    *s = p;
    *out = v;
    return 0;
}

/* An optional unit at *S: millimetres per unit, or 0 when there is none. */
static double take_unit(const char **s)
{
    const char *p = skip_blanks(*s);
    static const struct { const char *name; double mm; } units[] = {
        {"mm", 1.0}, {"cm", 10.0}, {"in", 25.4}, {"pt", 25.4 / 72}};
    size_t i;
    for (i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t n = strlen(units[i].name);
        if (strncmp(p, units[i].name, n) == 0 && !isalpha((unsigned char)p[n])) {
            *s = p + n;
            return units[i].mm;
        }
    }
    return 0;
}

static int parse_physical(const char *s, double *w_mm, double *h_mm)
{
    double w, h, uw, uh;
    s = skip_blanks(s);
    if (take_number(&s, &w))
        return -1;
    uw = take_unit(&s);
    s = skip_blanks(s);
    if (*s != 'x')
        return -1;
    s = skip_blanks(s + 1);
    if (take_number(&s, &h))
        return -1;
    uh = take_unit(&s);
    if (*skip_blanks(s) || uh == 0)
        return -1;
    *w_mm = w * (uw ? uw : uh);
    *h_mm = h * uh;
    return 0;
}

int im_spec_parse_page(const char *text, double *w_mm, double *h_mm)
{
    char s[64];
    size_t n, i;
    const char *orient;
    int landscape = 0;
    if (!text)
        return -1;
    n = strlen(text);
    if (n >= sizeof s)
        return -1;
    for (i = 0; i <= n; i++)
        s[i] = (char)tolower((unsigned char)text[i]);
    /* trim */
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    orient = skip_blanks(s);
    if (isdigit((unsigned char)*orient) || *orient == '.')
        return parse_physical(orient, w_mm, h_mm);

    {
        char *name = (char *)orient;
        char *dash = strchr(name, '-');
        if (dash) {
            *dash = '\0';
            if (strcmp(dash + 1, "landscape") == 0)
                landscape = 1;
            else if (strcmp(dash + 1, "portrait") != 0)
                return -1;
        }
        for (i = 0; i < sizeof papers / sizeof papers[0]; i++) {
            if (strcmp(name, papers[i].name) == 0) {
                *w_mm = landscape ? papers[i].h_mm : papers[i].w_mm;
                *h_mm = landscape ? papers[i].w_mm : papers[i].h_mm;
                return 0;
            }
        }
    }
    return -1;
}

int im_spec_parse_size(const char *text, long *w, long *h)
{
    const char *s = text;
    char *end;
    long a, b;
    if (!s)
        return -1;
    s = skip_blanks(s);
    if (!isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    a = strtol(s, &end, 10);
    if (errno)
        return -1;
    s = skip_blanks(end);
    if (*s != 'x' && *s != 'X')
        return -1;
    s = skip_blanks(s + 1);
    if (!isdigit((unsigned char)*s))
        return -1;
    b = strtol(s, &end, 10);
    if (errno)
        return -1;
    s = skip_blanks(end);
    if (strncmp(s, "px", 2) == 0)
        s = skip_blanks(s + 2);
    if (*s || a <= 0 || b <= 0)
        return -1;
    *w = a;
    *h = b;
    return 0;
}
