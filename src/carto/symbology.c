/* Incident symbology: shape per type, colour per actor (or the field the
 * map colours by) from the theme's palette, date labels. */
#include "carto/carto.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

im_shape_kind im_carto_type_shape(im_incident_type t)
{
    switch (t) {
    case IM_ITYPE_AIR:
        return IM_SHAPE_CIRCLE;
    case IM_ITYPE_MISSILE:
        return IM_SHAPE_TRIANGLE;
    case IM_ITYPE_ARTILLERY:
        return IM_SHAPE_SQUARE;
    case IM_ITYPE_GROUND:
        return IM_SHAPE_DIAMOND;
    case IM_ITYPE_EXPLOSIVE:
        return IM_SHAPE_STAR;
    default:
        return IM_SHAPE_CROSS;
    }
}

typedef struct {
    const char *name;
    int count;
} im_actor_count;

static int im_actor_cmp(const void *a, const void *b)
{
    const im_actor_count *x = a, *y = b;
    if (x->count != y->count)
        return y->count - x->count;
    return strcmp(x->name, y->name);
}

static int im_actor_name_cmp(const void *a, const void *b)
{
    const im_actor_count *x = a, *y = b;
    return strcmp(x->name, y->name);
}

const char *im_carto_color_key(const im_incident *inc)
{
    if (inc->color_key)
        return inc->color_key;
    return inc->actor ? inc->actor : "";
}

/* The colour the map's `colors:` gives NAME, or NULL. */
static const im_rgba *im_fixed_color(const im_theme *theme, const char *name)
{
    int i;
    for (i = 0; i < theme->nfixed; i++)
        if (strcmp(theme->fixed_names[i], name) == 0)
            return &theme->fixed_colors[i];
    return NULL;
}

/* The next palette colour from *NEXT on that no `colors:` entry uses, so
 * that an actor without a fixed colour never looks like one with it (all
 * taken: the palette in order again). */
static im_rgba im_free_palette_color(const im_theme *theme, int *next)
{
    while (*next < IM_THEME_PALETTE) {
        const im_rgba *c = &theme->palette[(*next)++];
        int i, taken = 0;
        for (i = 0; i < theme->nfixed && !taken; i++)
            taken = memcmp(c, &theme->fixed_colors[i], sizeof *c) == 0;
        if (!taken)
            return *c;
    }
    return theme->palette[(*next)++ % IM_THEME_PALETTE];
}

void im_carto_actor_colors(const im_incident *inc, const int *visible, int n, const im_theme *theme,
                           im_actor_colors *out)
{
    /* the keys are counted a slice at a time (equal names from several
     * slices are added up below), so a million incidents need no million
     * keys at once */
    enum { SLICE = 1 << 16 };
    im_actor_count *ac = NULL;
    const char **keys = NULL;
    size_t cap = 0;
    int nac = 0, i, j, next = 0, from;
    memset(out, 0, sizeof *out);
    out->other = theme->other;
    if (n > 0)
        keys = malloc((size_t)(n < SLICE ? n : SLICE) * sizeof *keys);
    if (!keys)
        return;
    for (from = 0; from < n; from += SLICE) {
        im_str_count *distinct;
        size_t nd, k;
        int nk = 0;
        for (i = from; i < n && i < from + SLICE; i++)
            if (!visible || visible[i])
                keys[nk++] = im_carto_color_key(&inc[i]);
        distinct = im_count_ptrs(keys, (size_t)nk, &nd);
        if (distinct && (size_t)nac + nd > cap) {
            size_t ncap = cap ? cap : 16;
            im_actor_count *grown;
            while (ncap < (size_t)nac + nd)
                ncap *= 2;
            grown = realloc(ac, ncap * sizeof *ac);
            if (!grown) {
                free(distinct);
                distinct = NULL;
            } else {
                ac = grown;
                cap = ncap;
            }
        }
        if (!distinct) {
            free(keys);
            free(ac);
            return;
        }
        for (k = 0; k < nd; k++) {
            ac[nac].name = distinct[k].str;
            ac[nac++].count = distinct[k].count;
        }
        free(distinct);
    }
    free(keys);
    if (!ac)
        return; /* none drawn */
    /* count by sorting names, then order by count */
    qsort(ac, (size_t)nac, sizeof *ac, im_actor_name_cmp);
    for (i = 0, j = 0; i < nac; i++) {
        if (j > 0 && strcmp(ac[j - 1].name, ac[i].name) == 0)
            ac[j - 1].count += ac[i].count;
        else
            ac[j++] = ac[i];
    }
    nac = j;
    qsort(ac, (size_t)nac, sizeof *ac, im_actor_cmp);
    for (i = 0; i < nac; i++) {
        /* values beyond the palette, and the unknown, share "other" */
        if (ac[i].name[0] && out->nactors < IM_CARTO_MAX_ACTORS) {
            const im_rgba *fixed = im_fixed_color(theme, ac[i].name);
            out->names[out->nactors] = ac[i].name;
            out->colors[out->nactors] = fixed ? *fixed : im_free_palette_color(theme, &next);
            out->counts[out->nactors] = ac[i].count;
            out->nactors++;
        } else {
            out->other_count += ac[i].count;
        }
    }
    free(ac);
}

int im_carto_actor_index(const im_actor_colors *ac, const char *key)
{
    int i;
    for (i = 0; i < ac->nactors; i++)
        if (key && strcmp(ac->names[i], key) == 0)
            return i;
    return -1;
}

im_rgba im_carto_actor_color(const im_actor_colors *ac, const char *key)
{
    int i = im_carto_actor_index(ac, key);
    return i < 0 ? ac->other : ac->colors[i];
}

void im_carto_format_date(const char *iso, int precision, char *buf, size_t size)
{
    static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y, m, d;
    if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12) {
        if (precision >= 3)
            snprintf(buf, size, "%s %d", months[m - 1], y);
        else if (precision == 2)
            snprintf(buf, size, "c. %d %s %d", d, months[m - 1], y);
        else
            snprintf(buf, size, "%d %s %d", d, months[m - 1], y);
    } else {
        snprintf(buf, size, "%s", iso ? iso : "");
    }
}
