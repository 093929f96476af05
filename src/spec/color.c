/* Colour values of the map file: hex, rgb()/rgba(), CSS basic names, none.
 * Output is straight (non-premultiplied) RGBA in 0..1. */
#include "spec/spec.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

typedef struct named_color {
    const char *name;
    unsigned rgb; /* 0xRRGGBB */
} named_color;

/* CSS values of the names we accept. */
static const named_color named_colors[] = {
    {"black", 0x000000},     {"white", 0xffffff},    {"red", 0xff0000},
    {"green", 0x008000},     {"blue", 0x0000ff},     {"yellow", 0xffff00},
    {"orange", 0xffa500},    {"purple", 0x800080},   {"gray", 0x808080},
    {"grey", 0x808080},      {"navy", 0x000080},     {"maroon", 0x800000},
    {"olive", 0x808000},     {"teal", 0x008080},     {"silver", 0xc0c0c0},
    {"brown", 0xa52a2a},     {"pink", 0xffc0cb},     {"darkred", 0x8b0000},
    {"darkblue", 0x00008b},  {"darkgreen", 0x006400}, {"steelblue", 0x4682b4},
    {"crimson", 0xdc143c},   {"gold", 0xffd700},
};

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int parse_hex(const char *s, size_t n, im_rgba *out)
{
    int v[8] = {0};
    size_t i;
    if (n != 3 && n != 4 && n != 6 && n != 8)
        return -1;
    for (i = 0; i < n; i++) {
        v[i] = hexval((unsigned char)s[i]);
        if (v[i] < 0)
            return -1;
    }
    if (n <= 4) { /* #rgb(a): each digit doubled */
        out->r = v[0] * 17 / 255.0;
        out->g = v[1] * 17 / 255.0;
        out->b = v[2] * 17 / 255.0;
        out->a = n == 4 ? v[3] * 17 / 255.0 : 1.0;
    } else {
        out->r = (v[0] * 16 + v[1]) / 255.0;
        out->g = (v[2] * 16 + v[3]) / 255.0;
        out->b = (v[4] * 16 + v[5]) / 255.0;
        out->a = n == 8 ? (v[6] * 16 + v[7]) / 255.0 : 1.0;
    }
    return 0;
}

/* One component of rgb()/rgba(): a number up to SCALE, or a percentage. */
static int parse_component(const char *s, size_t n, double scale, double *out)
{
    char buf[64];
    double v;
    int pct = 0;
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n && s[n - 1] == '%') {
        pct = 1;
        n--;
    }
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (im_parse_double(buf, &v))
        return -1;
    if (pct)
        v = v / 100.0 * scale;
    if (v < 0 || v > scale)
        return -1;
    *out = v / scale;
    return 0;
}

/* "rgb(" or "rgba(" already seen; ARGS runs to the closing parenthesis. */
static int parse_func(const char *args, size_t n, int ncomp, im_rgba *out)
{
    double c[4];
    int k = 0;
    size_t start = 0, i;
    for (i = 0; i <= n; i++) {
        if (i < n && args[i] != ',')
            continue;
        if (k == ncomp)
            return -1;
        if (parse_component(args + start, i - start, k == 3 ? 1.0 : 255.0, &c[k]))
            return -1;
        k++;
        start = i + 1;
    }
    if (k != ncomp)
        return -1;
    out->r = c[0];
    out->g = c[1];
    out->b = c[2];
    out->a = ncomp == 4 ? c[3] : 1.0;
    return 0;
}

int im_spec_parse_color(const char *text, im_rgba *out, int *is_none)
{
    char s[128]; /* TEXT trimmed and lower-cased */
    size_t n, i;
    im_rgba c = {0, 0, 0, 0};
    if (!text)
        return -1;
    while (isspace((unsigned char)*text))
        text++;
    n = strlen(text);
    while (n && isspace((unsigned char)text[n - 1]))
        n--;
    if (n == 0 || n >= sizeof s)
        return -1;
    for (i = 0; i < n; i++)
        s[i] = (char)tolower((unsigned char)text[i]);
    s[n] = '\0';

    if (strcmp(s, "none") == 0 || strcmp(s, "transparent") == 0) {
        *out = c;
        *is_none = 1;
        return 0;
    }
    for (i = 0; i < sizeof named_colors / sizeof named_colors[0]; i++) {
        if (strcmp(s, named_colors[i].name) == 0) {
            unsigned v = named_colors[i].rgb;
            c.r = ((v >> 16) & 0xffu) / 255.0;
            c.g = ((v >> 8) & 0xffu) / 255.0;
            c.b = (v & 0xffu) / 255.0;
            c.a = 1.0;
            *out = c;
            *is_none = 0;
            return 0;
        }
    }
    if (s[0] == '#') {
        if (parse_hex(s + 1, n - 1, &c))
            return -1;
    } else if (n > 5 && strncmp(s, "rgba(", 5) == 0 && s[n - 1] == ')') {
        if (parse_func(s + 5, n - 6, 4, &c))
            return -1;
    } else if (n > 4 && strncmp(s, "rgb(", 4) == 0 && s[n - 1] == ')') {
        if (parse_func(s + 4, n - 5, 3, &c))
            return -1;
    } else {
        return -1;
    }
    *out = c;
    *is_none = 0;
    return 0;
}
