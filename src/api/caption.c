/* The map's caption: a plain-language summary of what it shows (extent,
 * time window, incidents by type and by actor, bases, zones, lines,
 * sources) for figure captions and screen readers.  Built from what was
 * drawn, so it matches the map; written by caption: or --caption, and used
 * as the SVG's <desc>. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/scene.h"
#include "core/util.h"

/* A growing text; on out of memory it stays NULL and later appends do
 * nothing. */
typedef struct im_text {
    char *s;
    size_t n, cap;
    int failed;
} im_text;

static void im_text_add(im_text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void im_text_add(im_text *t, const char *fmt, ...)
{
    va_list ap;
    int k;
    if (t->failed)
        return;
    for (;;) {
        size_t room = t->cap - t->n;
        va_start(ap, fmt);
        k = vsnprintf(t->s ? t->s + t->n : NULL, t->s ? room : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            t->failed = 1;
            return;
        }
        if (t->s && (size_t)k < room) {
            t->n += (size_t)k;
            return;
        }
        {
            size_t cap = (t->cap ? t->cap * 2 : 512) + (size_t)k;
            char *p = realloc(t->s, cap);
            if (!p) {
                free(t->s);
                t->s = NULL;
                t->failed = 1;
                return;
            }
            t->s = p;
            t->cap = cap;
        }
    }
}

/* "1 air strike" / "3 air strikes": NAME lower-cased after its first
 * word's capital, with a plural s when COUNT is not 1. */
static void im_text_count(im_text *t, int count, const char *name, int lower)
{
    char buf[160];
    size_t n;
    snprintf(buf, sizeof buf, "%s", name);
    if (lower && buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
        buf[0] = (char)(buf[0] - 'A' + 'a');
    n = strlen(buf);
    if (lower && count != 1 && n > 0 && n + 1 < sizeof buf && buf[n - 1] != 's') {
        buf[n] = 's';
        buf[n + 1] = '\0';
    }
    im_text_add(t, "%d %s", count, buf);
}

/* "a, b and c" separators for item I of N. */
static const char *im_sep(int i, int n)
{
    return i == 0 ? "" : i == n - 1 ? " and " : ", ";
}

static void im_caption_extent(im_scene *s, im_text *t)
{
    const double *b = s->ll_box;
    int i, n = 0, k = 0;
    im_text_add(t, "Area: %.2f°%c to %.2f°%c, %.2f°%c to %.2f°%c", b[0] < 0 ? -b[0] : b[0],
                b[0] < 0 ? 'W' : 'E', b[2] < 0 ? -b[2] : b[2], b[2] < 0 ? 'W' : 'E',
                b[1] < 0 ? -b[1] : b[1], b[1] < 0 ? 'S' : 'N', b[3] < 0 ? -b[3] : b[3],
                b[3] < 0 ? 'S' : 'N');
    /* the countries the base map names in the frame, first line of each
     * (the English name of a bilingual label) */
    for (i = 0; i < s->nlreq; i++)
        n += s->lreq[i].kind == IM_LK_COUNTRY;
    for (i = 0; i < s->nlreq; i++) {
        const char *text = s->lreq[i].text, *nl;
        if (s->lreq[i].kind != IM_LK_COUNTRY)
            continue;
        nl = strchr(text, '\n');
        im_text_add(t, "%s%.*s", k == 0 ? ", in " : im_sep(k, n), nl ? (int)(nl - text) : (int)strlen(text),
                    text);
        k++;
    }
    im_text_add(t, ".\n");
}

static void im_caption_incidents(im_scene *s, im_text *t)
{
    const im_map *m = s->map;
    int counts[IM_ITYPE_COUNT] = {0};
    const char *first = NULL, *last = NULL;
    char d0[32], d1[32];
    int i, nclass = 0, k, total = 0;
    for (i = 0; i < m->nincidents; i++) {
        const im_incident *inc = &m->incidents[i];
        if (!s->inc_visible || !s->inc_visible[i])
            continue;
        total++;
        if (inc->symbol_class >= 0 && inc->symbol_class < IM_ITYPE_COUNT)
            counts[inc->symbol_class]++;
        if (inc->date && (!first || strcmp(inc->date, first) < 0))
            first = inc->date;
        if (inc->date && (!last || strcmp(inc->date, last) > 0))
            last = inc->date;
    }
    if (first) {
        im_carto_format_date(first, 1, d0, sizeof d0);
        im_carto_format_date(last, 1, d1, sizeof d1);
        if (strcmp(first, last) == 0)
            im_text_add(t, "Time: %s", d0);
        else
            im_text_add(t, "Time: %s to %s", d0, d1);
        if (m->when_from || m->when_to) {
            char w0[32] = "", w1[32] = "";
            if (m->when_from)
                im_carto_format_date(m->when_from, 1, w0, sizeof w0);
            if (m->when_to)
                im_carto_format_date(m->when_to, 1, w1, sizeof w1);
            im_text_add(t, " (the map keeps %s%s%s%s%s)", *w0 ? "from " : "", w0, *w0 && *w1 ? " " : "",
                        *w1 ? "to " : "", w1);
        }
        im_text_add(t, ".\n");
    }
    if (total == 0) {
        im_text_add(t, "Incidents: none.\n");
        return;
    }
    for (i = 0; i < m->nsymbol_classes; i++)
        nclass += counts[i] > 0;
    im_text_add(t, "Incidents: %d, by type: ", total);
    for (i = 0, k = 0; i < m->nsymbol_classes; i++) {
        if (!counts[i])
            continue;
        im_text_add(t, "%s", im_sep(k++, nclass));
        im_text_count(t, counts[i], m->symbol_classes[i].name, 1);
    }
    im_text_add(t, "; by %s: ", !m->color_by || im_streq_ci(m->color_by, "actor") ? "actor" : m->color_by);
    {
        int na = s->actors.nactors + (s->actors.other_count > 0);
        for (i = 0; i < s->actors.nactors; i++) {
            im_text_add(t, "%s", im_sep(i, na));
            im_text_count(t, s->actors.counts[i], s->actors.names[i], 0);
        }
        if (s->actors.other_count > 0)
            im_text_add(t, "%s%d other or unknown", im_sep(i, na), s->actors.other_count);
    }
    im_text_add(t, ".\n");
}

static int im_in_frame(const im_scene *s, im_lonlat p)
{
    return p.lon >= s->ll_box[0] && p.lon <= s->ll_box[2] && p.lat >= s->ll_box[1] &&
           p.lat <= s->ll_box[3];
}

static void im_caption_features(im_scene *s, im_text *t)
{
    const im_map *m = s->map;
    int i, n = 0, k = 0;
    for (i = 0; i < m->nbases; i++)
        n += im_in_frame(s, m->bases[i].at);
    for (i = 0; i < m->nbases; i++) {
        const im_base *b = &m->bases[i];
        if (!im_in_frame(s, b->at))
            continue;
        im_text_add(t, "%s%s%s%s%s", k == 0 ? (n == 1 ? "Base: " : "Bases: ") : im_sep(k, n), b->name,
                    b->op ? " (" : "", b->op ? b->op : "", b->op ? ")" : "");
        k++;
    }
    if (n)
        im_text_add(t, ".\n");
    for (i = 0; i < m->nzones; i++) {
        const im_zone *z = &m->zones[i];
        im_text_add(t, "%s%s", i == 0 ? (m->nzones == 1 ? "Zone: " : "Zones: ") : im_sep(i, m->nzones),
                    z->name ? z->name : "unnamed");
        if (z->is_circle)
            im_text_add(t, " (%g km radius)", z->radius_km);
    }
    if (m->nzones)
        im_text_add(t, ".\n");
    for (i = 0; i < m->nlines; i++)
        im_text_add(t, "%s%s", i == 0 ? (m->nlines == 1 ? "Line: " : "Lines: ") : im_sep(i, m->nlines),
                    m->lines[i].name ? m->lines[i].name : "unnamed");
    if (m->nlines)
        im_text_add(t, ".\n");
}

static void im_caption_sources(im_scene *s, im_text *t)
{
    const im_map *m = s->map;
    int i;
    if (m->credit)
        im_text_add(t, "Credit: %s\n", m->credit);
    for (i = 0; i < m->nsources; i++) {
        const char *p = m->sources[i].path, *slash = strrchr(p, '/');
        im_text_add(t, "%s%s", i == 0 ? (m->nsources == 1 ? "Data file: " : "Data files: ") : ", ",
                    slash ? slash + 1 : p);
    }
    if (m->nsources)
        im_text_add(t, ".\n");
}

char *im_scene_caption(im_scene *s)
{
    const im_map *m = s->map;
    im_text t = {0};
    if (m->title)
        im_text_add(&t, "%s\n", m->title);
    if (m->subtitle)
        im_text_add(&t, "%s\n", m->subtitle);
    im_caption_extent(s, &t);
    im_caption_incidents(s, &t);
    im_caption_features(s, &t);
    im_caption_sources(s, &t);
    return t.s;
}
