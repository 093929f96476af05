/* Incident symbology: shape per type, colour per actor, date labels. */
#include "carto/carto.h"

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

/* Okabe & Ito (2008), ordered for contrast on a light base map. */
static const im_rgba im_okabe_ito[IM_CARTO_MAX_ACTORS] = {
    {0.835, 0.369, 0.000, 1}, /* vermillion */
    {0.000, 0.447, 0.698, 1}, /* blue */
    {0.000, 0.620, 0.451, 1}, /* bluish green */
    {0.800, 0.475, 0.655, 1}, /* reddish purple */
    {0.902, 0.624, 0.000, 1}, /* orange */
    {0.337, 0.706, 0.914, 1}, /* sky blue */
    {0.941, 0.894, 0.259, 1}, /* yellow */
    {0.200, 0.200, 0.200, 1}, /* near black */
};

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

void im_carto_actor_colors(const im_incident *inc, const int *visible, int n, im_actor_colors *out)
{
    im_actor_count *ac = NULL;
    int nac = 0, i, j;
    memset(out, 0, sizeof *out);
    out->other = (im_rgba){0.55, 0.55, 0.55, 1};
    if (n > 0)
        ac = malloc((size_t)n * sizeof *ac);
    if (!ac)
        return;
    for (i = 0; i < n; i++) {
        if (visible && !visible[i])
            continue;
        ac[nac].name = inc[i].actor ? inc[i].actor : "";
        ac[nac].count = 1;
        nac++;
    }
    /* count by sorting names, then order by count */
    qsort(ac, (size_t)nac, sizeof *ac, im_actor_name_cmp);
    for (i = 0, j = 0; i < nac; i++) {
        if (j > 0 && strcmp(ac[j - 1].name, ac[i].name) == 0)
            ac[j - 1].count++;
        else
            ac[j++] = ac[i];
    }
    nac = j;
    qsort(ac, (size_t)nac, sizeof *ac, im_actor_cmp);
    for (i = 0; i < nac; i++) {
        /* with more actors than colours, the last colour goes to "Other" */
        int room = nac > IM_CARTO_MAX_ACTORS ? IM_CARTO_MAX_ACTORS - 1 : IM_CARTO_MAX_ACTORS;
        if (i < room && ac[i].name[0]) {
            out->names[out->nactors] = ac[i].name;
            out->colors[out->nactors] = im_okabe_ito[out->nactors];
            out->counts[out->nactors] = ac[i].count;
            out->nactors++;
        } else {
            out->other_count += ac[i].count;
        }
    }
    free(ac);
}

im_rgba im_carto_actor_color(const im_actor_colors *ac, const char *actor)
{
    int i;
    for (i = 0; i < ac->nactors; i++)
        if (actor && strcmp(ac->names[i], actor) == 0)
            return ac->colors[i];
    return ac->other;
}

void im_carto_format_date(const char *iso, char *buf, size_t size)
{
    static const char *months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y, m, d;
    if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12)
        snprintf(buf, size, "%d %s %d", d, months[m - 1], y);
    else
        snprintf(buf, size, "%s", iso ? iso : "");
}
