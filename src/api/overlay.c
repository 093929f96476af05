/* What goes on top of the base map: zones, lines, bases and incidents
 * (coincident ones counted in one symbol or spread on a ring around their
 * site with leaders), the labels they offer, and the title block. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/scene.h"
#include "core/threads.h"
#include "core/util.h"
#include "data/data.h"

#define IM_PAD 12.0

/* Project lon/lat points into the scratch buffers, as canvas px. */
static int im_project_px(im_scene *s, const im_lonlat *p, int n)
{
    int i;
    if (im_scene_reserve(s, (size_t)(n > 0 ? n : 1)) != 0)
        return -1;
    for (i = 0; i < n; i++) {
        s->bx[i] = p[i].lon;
        s->by[i] = p[i].lat;
    }
    im_geo_fwd(s->geo, s->bx, s->by, (size_t)n);
    im_view_to_px(&s->view, s->bx, s->by, (size_t)n);
    return 0;
}

static double im_base_size(const im_scene *s)
{
    return s->map->symbol_size * 1.15;
}

static im_rgba im_mix(im_rgba a, im_rgba b, double t)
{
    im_rgba c;
    c.r = a.r + (b.r - a.r) * t;
    c.g = a.g + (b.g - a.g) * t;
    c.b = a.b + (b.b - a.b) * t;
    c.a = 1;
    return c;
}

/* ---- zones and lines -------------------------------------------------- */

/* Project zone Z's outline into s->bx/by; returns its point count. */
static int im_zone_px(im_scene *s, const im_zone *z)
{
    if (z->is_circle) {
        enum { N = 360 };
        double lons[N], lats[N];
        int i;
        im_geod_circle(z->center.lon, z->center.lat, z->radius_km * 1000, N, lons, lats);
        if (im_scene_reserve(s, N) != 0)
            return -1;
        for (i = 0; i < N; i++) {
            s->bx[i] = lons[i];
            s->by[i] = lats[i];
        }
        im_geo_fwd(s->geo, s->bx, s->by, N);
        im_view_to_px(&s->view, s->bx, s->by, N);
        return N;
    }
    if (im_project_px(s, z->ring, z->nring) != 0)
        return -1;
    return z->nring;
}

int im_scene_zone_outline(im_scene *s, int z, double **x, double **y)
{
    int n = im_zone_px(s, &s->map->zones[z]);
    if (n <= 0)
        return n;
    *x = malloc((size_t)n * sizeof **x);
    *y = malloc((size_t)n * sizeof **y);
    if (!*x || !*y) {
        free(*x);
        free(*y);
        return -1;
    }
    memcpy(*x, s->bx, (size_t)n * sizeof **x);
    memcpy(*y, s->by, (size_t)n * sizeof **y);
    return n;
}

static int im_draw_zones(im_scene *s)
{
    int z;
    for (z = 0; z < s->map->nzones; z++) {
        const im_zone *zn = &s->map->zones[z];
        int n = im_zone_px(s, zn);
        if (n < 0)
            return -1;
        if (zn->is_circle || !zn->part_start)
            im_draw_path(s->canvas, s->bx, s->by, n, NULL, 1, 1, &zn->style);
        else
            im_draw_path(s->canvas, s->bx, s->by, n, zn->part_start, zn->nparts, 1, &zn->style);
    }
    return 0;
}

static int im_draw_lines(im_scene *s)
{
    int i;
    for (i = 0; i < s->map->nlines; i++) {
        const im_line *ln = &s->map->lines[i];
        im_style halo = ln->style;
        const int *parts = ln->part_start;
        int nparts = parts ? ln->nparts : 1;
        if (ln->npts < 2 || im_project_px(s, ln->pts, ln->npts) != 0)
            continue;
        /* a pale casing keeps the line legible over rivers and borders */
        halo.stroke = s->map->theme.halo;
        halo.stroke.a = 0.7;
        halo.width = ln->style.width + 2.5;
        halo.ndash = 0;
        im_draw_path(s->canvas, s->bx, s->by, ln->npts, parts, nparts, 0, &halo);
        im_draw_path(s->canvas, s->bx, s->by, ln->npts, parts, nparts, 0, &ln->style);
    }
    return 0;
}

static void im_draw_bases(im_scene *s)
{
    int i;
    double size = im_base_size(s);
    im_rgba line = s->map->theme.halo;
    line.a = 1;
    s->base_owner0 = s->next_owner + 1;
    s->next_owner += s->map->nbases;
    for (i = 0; i < s->map->nbases; i++) {
        double x, y;
        im_scene_point_px(s, s->map->bases[i].at.lon, s->map->bases[i].at.lat, &x, &y);
        if (!im_scene_in_frame(s, x, y))
            continue;
        im_draw_symbol(s->canvas, IM_SHAPE_BASE, x, y, size, s->map->theme.base, line, 1.5);
        im_labeler_add(s->labels, IM_BOX_SYMBOL, s->base_owner0 + i, x - size / 2 - 1, y - size / 2 - 1,
                       size + 2, size + 2);
    }
}

/* ---- incidents --------------------------------------------------------- */

static im_shape_kind im_inc_shape(const im_map *m, const im_incident *inc)
{
    if (m->nsymbol_classes > 0 && inc->symbol_class >= 0 && inc->symbol_class < m->nsymbol_classes)
        return (im_shape_kind)m->symbol_classes[inc->symbol_class].shape;
    return im_carto_type_shape(inc->type);
}

/* The legend class of an incident: its symbol class, or its type. */
static int im_inc_class(const im_map *m, const im_incident *inc)
{
    if (m->nsymbol_classes > 0 && inc->symbol_class >= 0 && inc->symbol_class < m->nsymbol_classes)
        return inc->symbol_class;
    return (int)inc->type;
}

double im_scene_size_value(const im_map *m, const im_incident *inc)
{
    int i;
    double v;
    if (!m->size_by)
        return -1;
    for (i = 0; i < inc->nattrs; i++)
        if (im_streq_ci(inc->attrs[i].name, m->size_by))
            return im_parse_double(inc->attrs[i].value, &v) == 0 ? v : -1;
    return -1;
}

static const im_incident *im_sort_base;
static const int *im_sort_idx;

/* qsort order of positions into im_sort_idx: by date, ties in index order */
static int im_cmp_pos(const void *a, const void *b)
{
    int i = *(const int *)a, j = *(const int *)b;
    const im_incident *x = &im_sort_base[im_sort_idx[i]], *y = &im_sort_base[im_sort_idx[j]];
    int c = strcmp(x->date ? x->date : "", y->date ? y->date : "");
    return c ? c : (i > j) - (i < j);
}

/* A number that orders ISO dates (YYYY-MM-DD) as strcmp does; 0 for
 * none (which sorts first, as "" does); -1 if DATE is not of that form. */
static long im_date_key(const char *date)
{
    int i;
    if (!date || !*date)
        return 0;
    for (i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? date[i] != '-' : (date[i] < '0' || date[i] > '9'))
            return -1;
    if (date[10])
        return -1;
#define IM_D(k) (date[k] - '0')
    return ((IM_D(0) * 1000L + IM_D(1) * 100 + IM_D(2) * 10 + IM_D(3)) * 16 + IM_D(5) * 10 + IM_D(6)) * 32 +
           IM_D(8) * 10 + IM_D(9) + 1;
#undef IM_D
}

/* One part [lo, hi) of the map's incidents as one thread works on it:
 * each projected to canvas px, and those in the frame kept from LO on,
 * in memory order (position, index and date key), with what the legend
 * needs to know of them. */
typedef struct im_inc_part {
    im_scene *s;
    im_geo *geo;               /* this thread's: PROJ objects are not shared */
    int32_t *key;              /* im_date_key per kept incident */
    int lo, hi, n;             /* n kept, at lo .. lo + n - 1 */
    long klo, khi;             /* range of the keys; khi < klo: none yet */
    int keyed;                 /* every date is ISO (no key is -1) */
    int projected;             /* s->inc_mx/my hold them projected already */
    const double *grid;        /* the lon/lat box projected through a grid, or NULL (im_geo_approx) */
    double grid_tol;           /* the grid's tolerance, map units */
    int types[IM_ITYPE_COUNT], classes[IM_ITYPE_COUNT];
    int hollow, ring, failed;
    double size_min, size_max, size_k;
} im_inc_part;

/* Incidents projected at a time: their coordinates stay in the cache
 * between projecting and keeping. */
#define IM_INC_CHUNK 4096
/* From this many incidents, those near the frame are projected through a
 * grid of IM_INC_GRID cells across, within IM_INC_GRID_TOL CSS px of PROJ
 * (a fortieth of a device pixel at 200 dpi): a million take some twenty
 * thousand PROJ calls instead of a million.  Fewer are projected each by
 * PROJ. */
#define IM_INC_APPROX 20000
#define IM_INC_GRID 64
#define IM_INC_GRID_TOL 0.01

/* The frame's lon/lat bounds, 5 % wider (its edges sampled): 0, or -1
 * when part of the frame is off the globe. */
static int im_inc_grid_box(im_scene *s, double box[4])
{
    double w, h;
    if (im_scene_view_llbox(s, 16, box) != 0)
        return -1;
    w = box[2] - box[0];
    h = box[3] - box[1];
    box[0] -= w * 0.05;
    box[1] -= h * 0.05;
    box[2] += w * 0.05;
    box[3] += h * 0.05;
    return 0;
}

static void im_inc_part_run(im_inc_part *p)
{
    im_scene *s = p->s;
    const im_map *m = s->map;
    double *x = s->inc_x, *y = s->inc_y;
    int c0, c1, i;
    im_geo_approx *approx =
        p->grid && !p->projected ? im_geo_approx_new(im_geo_fwd_fn, p->geo, p->grid, IM_INC_GRID, p->grid_tol) : NULL;
    for (c0 = p->lo; c0 < p->hi; c0 = c1) {
        c1 = p->hi - c0 > IM_INC_CHUNK ? c0 + IM_INC_CHUNK : p->hi;
        if (p->projected) {
            memcpy(x + c0, s->inc_mx + c0, (size_t)(c1 - c0) * sizeof *x);
            memcpy(y + c0, s->inc_my + c0, (size_t)(c1 - c0) * sizeof *y);
        } else {
            for (i = c0; i < c1; i++) {
                x[i] = m->incidents[i].lon;
                y[i] = m->incidents[i].lat;
            }
            if (approx)
                im_geo_approx_fwd(approx, x + c0, y + c0, (size_t)(c1 - c0));
            else
                im_geo_fwd(p->geo, x + c0, y + c0, (size_t)(c1 - c0));
            if (s->inc_mx) {
                memcpy(s->inc_mx + c0, x + c0, (size_t)(c1 - c0) * sizeof *x);
                memcpy(s->inc_my + c0, y + c0, (size_t)(c1 - c0) * sizeof *y);
            }
        }
        im_view_to_px(&s->view, x + c0, y + c0, (size_t)(c1 - c0));
        for (i = c0; i < c1; i++) {
            const im_incident *inc = &m->incidents[i];
            int cls, k;
            long key;
            if (!im_scene_in_frame(s, x[i], y[i]))
                continue;
            /* kept in place: k <= i */
            k = p->lo + p->n++;
            x[k] = x[i];
            y[k] = y[i];
            s->inc_idx[k] = i;
            s->inc_visible[i] = 1;
            key = im_date_key(inc->date);
            p->key[k] = (int32_t)key;
            if (key < 0)
                p->keyed = 0;
            if (p->khi < p->klo)
                p->klo = p->khi = key;
            p->klo = key < p->klo ? key : p->klo;
            p->khi = key > p->khi ? key : p->khi;
            cls = im_inc_class(m, inc);
            p->types[inc->type] = 1;
            if (cls >= 0 && cls < IM_ITYPE_COUNT)
                p->classes[cls] = 1;
            p->hollow |= inc->geo_precision >= 2;
            p->ring |= inc->geo_precision >= 3;
            if (m->size_by && inc->size > 0) {
                double v = im_scene_size_value(m, inc);
                if (v > 0) {
                    p->size_min = p->size_min < 0 ? v : fmin(p->size_min, v);
                    p->size_max = fmax(p->size_max, v);
                    /* area by value: diameter = k * sqrt(value) */
                    p->size_k = fmax(p->size_k, inc->size / sqrt(v));
                }
            }
        }
    }
    im_geo_approx_free(approx);
}

/* A part with its own im_geo (none yet: made, used and freed here, on
 * the second thread) or the scene's. */
static void *im_inc_part_work(void *arg)
{
    im_inc_part *p = arg;
    im_geo *own = NULL;
    if (!p->geo && !p->projected && im_geo_clone(p->s->geo, &own) != 0) {
        p->failed = 1;
        return NULL;
    }
    if (own)
        p->geo = own;
    im_inc_part_run(p);
    if (own) {
        im_geo_free(own);
        p->geo = NULL;
    }
    return NULL;
}

/* Incidents from which a second thread takes half of them: below, the
 * second PROJ context it needs costs more than it saves. */
#define IM_INC_THREADED 100000

/* Project the map's incidents and keep those in the frame (see
 * im_inc_part), in two halves on two threads for large sets; the kept
 * ones end up in memory order at 0 .. n - 1 and their date keys in KEY.
 * PROJECTED: s->inc_mx/my hold them projected already.  Returns the first
 * part with the other's findings merged in. */
static im_inc_part im_inc_gather(im_scene *s, int32_t *key, int projected)
{
    int n = s->map->nincidents, k;
    im_inc_part part[2];
    double grid[4];
    int gridded = !projected && n >= IM_INC_APPROX && s->view.px_per_unit > 0 && im_inc_grid_box(s, grid) == 0;
    for (k = 0; k < 2; k++) {
        memset(&part[k], 0, sizeof part[k]);
        part[k].s = s;
        part[k].geo = s->geo;
        part[k].key = key;
        part[k].keyed = 1;
        part[k].projected = projected;
        part[k].grid = gridded ? grid : NULL;
        part[k].grid_tol = IM_INC_GRID_TOL / s->view.px_per_unit;
        part[k].klo = 0;
        part[k].khi = -1;
        part[k].size_min = part[k].size_max = -1;
    }
    part[0].hi = n;
    if (n >= IM_INC_THREADED && im_threads_ok()) {
        part[0].hi = part[1].lo = n / 2;
        part[1].hi = n;
        part[1].geo = NULL; /* its own, made on its thread */
        im_run_pair(im_inc_part_work, &part[0], &part[1]);
        if (part[1].failed) {
            /* no second PROJ context: this thread does that half too */
            part[1].geo = s->geo;
            part[1].n = 0;
            im_inc_part_run(&part[1]);
        }
    } else {
        im_inc_part_run(&part[0]);
    }
    if (part[1].n > 0) {
        /* the second half's kept ones follow the first's */
        int to = part[0].n, from = part[1].lo;
        memmove(s->inc_x + to, s->inc_x + from, (size_t)part[1].n * sizeof *s->inc_x);
        memmove(s->inc_y + to, s->inc_y + from, (size_t)part[1].n * sizeof *s->inc_y);
        memmove(s->inc_idx + to, s->inc_idx + from, (size_t)part[1].n * sizeof *s->inc_idx);
        memmove(key + to, key + from, (size_t)part[1].n * sizeof *key);
        if (part[0].khi < part[0].klo) {
            part[0].klo = part[1].klo;
            part[0].khi = part[1].khi;
        } else if (part[1].khi >= part[1].klo) {
            part[0].klo = part[1].klo < part[0].klo ? part[1].klo : part[0].klo;
            part[0].khi = part[1].khi > part[0].khi ? part[1].khi : part[0].khi;
        }
        part[0].keyed &= part[1].keyed;
        for (k = 0; k < IM_ITYPE_COUNT; k++) {
            part[0].types[k] |= part[1].types[k];
            part[0].classes[k] |= part[1].classes[k];
        }
        part[0].hollow |= part[1].hollow;
        part[0].ring |= part[1].ring;
        if (part[1].size_min >= 0)
            part[0].size_min = part[0].size_min < 0 ? part[1].size_min : fmin(part[0].size_min, part[1].size_min);
        part[0].size_max = fmax(part[0].size_max, part[1].size_max);
        part[0].size_k = fmax(part[0].size_k, part[1].size_k);
    }
    part[0].n += part[1].n;
    return part[0];
}

/* The drawing order of the N incidents IDX (ascending) names: oldest
 * first, ties in index order.  Returns P, the position in IDX of the i-th
 * to draw (malloc'd), or NULL when out of memory.  ISO dates spanning
 * fewer than 2^16 keys (KEY, from KLO to KHI; some 170 years) take one
 * stable counting pass, other dates a qsort. */
static int *im_sort_by_date(const im_incident *inc, const int *idx, const int32_t *key, int n, int keyed,
                            long klo, long khi)
{
    enum { NB = 1 << 16 };
    size_t *count = NULL, sum = 0, c;
    int *p = malloc((size_t)(n > 0 ? n : 1) * sizeof *p), i;
    if (!p)
        return NULL;
    if (keyed && khi - klo < NB)
        count = calloc(NB, sizeof *count);
    if (!count) {
        for (i = 0; i < n; i++)
            p[i] = i;
        im_sort_base = inc;
        im_sort_idx = idx;
        qsort(p, (size_t)n, sizeof *p, im_cmp_pos);
        return p;
    }
    for (i = 0; i < n; i++)
        count[key[i] - klo]++;
    for (i = 0; i < NB; i++) {
        c = count[i];
        count[i] = sum;
        sum += c;
    }
    for (i = 0; i < n; i++)
        p[count[key[i] - klo]++] = i;
    free(count);
    return p;
}

/* T[i] = FROM[P[i]] for i in LO..HI-1, elements of SIZE (4 or 8) bytes. */
typedef struct im_gather_job {
    char *t;
    const char *from;
    const int *p;
    int lo, hi;
    size_t size;
} im_gather_job;

static void *im_gather_work(void *arg)
{
    const im_gather_job *j = arg;
    int i;
    /* a constant size each, for the compiler to copy with one move */
    if (j->size == 8)
        for (i = j->lo; i < j->hi; i++)
            memcpy(j->t + (size_t)i * 8, j->from + (size_t)j->p[i] * 8, 8);
    else
        for (i = j->lo; i < j->hi; i++)
            memcpy(j->t + (size_t)i * 4, j->from + (size_t)j->p[i] * 4, 4);
    return NULL;
}

/* *X = the N elements (*X)[P[i]] of SIZE (4 or 8) bytes, into a new array
 * (reads at random places that do not wait on each other, unlike following
 * the permutation's cycles in place); a large one in two halves on two
 * threads, which wait on memory at once.  -1 when out of memory. */
static int im_gather(void **x, const int *p, int n, size_t size)
{
    im_gather_job half[2];
    char *t = malloc((size_t)(n > 0 ? n : 1) * size);
    if (!t)
        return -1;
    half[0] = (im_gather_job){t, *x, p, 0, n, size};
    half[1] = half[0];
    if (n >= IM_INC_THREADED) {
        half[0].hi = half[1].lo = n / 2;
        im_run_pair(im_gather_work, &half[0], &half[1]);
    } else {
        im_gather_work(&half[0]);
    }
    free(*x);
    *x = t;
    return 0;
}

static void im_free_incidents(im_scene *s)
{
    if (s->inc_ox != s->inc_x)
        free(s->inc_ox);
    if (s->inc_oy != s->inc_y)
        free(s->inc_oy);
    free(s->inc_idx);
    free(s->inc_x);
    free(s->inc_y);
    free(s->inc_visible);
    free(s->inc_size);
    free(s->inc_count);
    free(s->inc_pref);
    s->inc_idx = NULL;
    s->inc_x = s->inc_y = s->inc_ox = s->inc_oy = s->inc_size = s->inc_pref = NULL;
    s->inc_visible = s->inc_count = NULL;
    s->ninc = 0;
}

/* The drawn incidents (a few thousand at most) bucketed in square cells of
 * SIDE px, each cell's in ascending order, for the searches of neighbours
 * of merging and spreading: without it those compare every pair, and five
 * thousand incidents took half a second. */
typedef struct im_near_grid {
    double x0, y0, side;
    int nx, ny;
    int *start;   /* cell c holds items[start[c] .. start[c + 1]) */
    int *items;
} im_near_grid;

static void im_near_grid_free(im_near_grid *g)
{
    free(g->start);
    free(g->items);
}

static int im_near_cell(const im_near_grid *g, double v, double v0, int nmax)
{
    double c = floor((v - v0) / g->side);
    return c < 0 ? 0 : c >= nmax ? nmax - 1 : (int)c;
}

/* 0, or -1 when out of memory. */
static int im_near_grid_make(im_near_grid *g, const double *x, const double *y, int n, double side)
{
    double x1 = -HUGE_VAL, y1 = -HUGE_VAL;
    int i, c;
    memset(g, 0, sizeof *g);
    g->x0 = g->y0 = HUGE_VAL;
    for (i = 0; i < n; i++) {
        g->x0 = fmin(g->x0, x[i]);
        g->y0 = fmin(g->y0, y[i]);
        x1 = fmax(x1, x[i]);
        y1 = fmax(y1, y[i]);
    }
    g->side = side > 1 ? side : 1;
    /* at most some 65,000 cells */
    while ((x1 - g->x0) / g->side * ((y1 - g->y0) / g->side) > 65536)
        g->side *= 2;
    g->nx = n > 0 ? (int)((x1 - g->x0) / g->side) + 1 : 1;
    g->ny = n > 0 ? (int)((y1 - g->y0) / g->side) + 1 : 1;
    g->start = calloc((size_t)g->nx * (size_t)g->ny + 1, sizeof *g->start);
    g->items = malloc((size_t)(n > 0 ? n : 1) * sizeof *g->items);
    if (!g->start || !g->items) {
        im_near_grid_free(g);
        return -1;
    }
    for (i = 0; i < n; i++)
        g->start[im_near_cell(g, y[i], g->y0, g->ny) * g->nx + im_near_cell(g, x[i], g->x0, g->nx) + 1]++;
    for (c = 0; c < g->nx * g->ny; c++)
        g->start[c + 1] += g->start[c];
    for (i = 0; i < n; i++) {
        c = im_near_cell(g, y[i], g->y0, g->ny) * g->nx + im_near_cell(g, x[i], g->x0, g->nx);
        g->items[g->start[c]++] = i;
    }
    /* start[c] is now the end of cell c: back to its start */
    for (c = g->nx * g->ny; c > 0; c--)
        g->start[c] = g->start[c - 1];
    g->start[0] = 0;
    return 0;
}

/* The items within R of X, Y (and a few more: whole cells) into OUT,
 * ascending; their count. */
static int im_near(const im_near_grid *g, double x, double y, double r, int *out)
{
    int cx0 = im_near_cell(g, x - r, g->x0, g->nx), cx1 = im_near_cell(g, x + r, g->x0, g->nx);
    int cy0 = im_near_cell(g, y - r, g->y0, g->ny), cy1 = im_near_cell(g, y + r, g->y0, g->ny);
    int cx, cy, k, n = 0;
    for (cy = cy0; cy <= cy1; cy++)
        for (cx = cx0; cx <= cx1; cx++)
            for (k = g->start[cy * g->nx + cx]; k < g->start[cy * g->nx + cx + 1]; k++)
                out[n++] = g->items[k];
    /* a few cells of a few items each: insertion sort */
    for (k = 1; k < n; k++) {
        int v = out[k], j = k;
        while (j > 0 && out[j - 1] > v) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = v;
    }
    return n;
}

/* Symbols that look the same (class, colour, date) at the same spot are
 * one symbol with a count. */
static void im_merge_identical(im_scene *s, const im_near_grid *g, int *near)
{
    const im_map *m = s->map;
    int i, q, n = s->ninc;
    for (i = 0; i < n; i++) {
        const im_incident *a = &m->incidents[s->inc_idx[i]];
        int nn;
        if (!s->inc_count[i])
            continue;
        nn = im_near(g, s->inc_ox[i], s->inc_oy[i], 0.5, near);
        for (q = 0; q < nn; q++) {
            int j = near[q];
            const im_incident *b = &m->incidents[s->inc_idx[j]];
            if (j <= i || !s->inc_count[j] || hypot(s->inc_ox[j] - s->inc_ox[i], s->inc_oy[j] - s->inc_oy[i]) > 0.5)
                continue;
            if (im_inc_class(m, a) != im_inc_class(m, b) || s->inc_size[i] != s->inc_size[j] ||
                a->geo_precision != b->geo_precision ||
                strcmp(a->date ? a->date : "", b->date ? b->date : "") != 0 ||
                im_carto_actor_index(&s->actors, im_carto_color_key(a)) !=
                    im_carto_actor_index(&s->actors, im_carto_color_key(b)))
                continue;
            s->inc_count[i] += s->inc_count[j];
            s->inc_count[j] = 0;
        }
    }
}

/* Symbols that would overlap (same site, different incidents) are spread
 * on a ring around the site, clear of a base symbol standing there, with
 * thin leaders back to the true spot. */
static void im_displace(im_scene *s, const im_near_grid *grid, int *near, double reach)
{
    const im_map *m = s->map;
    double bsize = im_base_size(s);
    int n = s->ninc, i, j;
    int *group, *members;
    double *bx = NULL, *by = NULL;
    if (n < 1 || n > 5000)
        return; /* big point sets are drawn as they are: density is the message */
    group = malloc((size_t)n * sizeof *group);
    members = malloc((size_t)n * sizeof *members);
    if (m->nbases > 0) {
        bx = malloc((size_t)m->nbases * sizeof *bx);
        by = malloc((size_t)m->nbases * sizeof *by);
    }
    if (!group || !members || (m->nbases > 0 && (!bx || !by)))
        goto done;
    for (i = 0; i < m->nbases; i++)
        im_scene_point_px(s, m->bases[i].at.lon, m->bases[i].at.lat, &bx[i], &by[i]);
    for (i = 0; i < n; i++)
        group[i] = -1;
    for (i = 0; i < n; i++) {
        int k = 0, q, base_here = 0, nn;
        double cx = 0, cy = 0, r = 0, smax = 0, start;
        if (group[i] >= 0 || !s->inc_count[i])
            continue;
        /* those near it, in order (REACH: 0.9 times the largest size) */
        nn = im_near(grid, s->inc_ox[i], s->inc_oy[i], reach, near);
        for (q = 0; q < nn; q++) {
            j = near[q];
            if (j < i || group[j] >= 0 || !s->inc_count[j])
                continue;
            if (hypot(s->inc_ox[j] - s->inc_ox[i], s->inc_oy[j] - s->inc_oy[i]) <
                0.9 * fmax(s->inc_size[i], s->inc_size[j])) {
                group[j] = i;
                members[k++] = j;
            }
        }
        for (q = 0; q < k; q++) {
            cx += s->inc_ox[members[q]];
            cy += s->inc_oy[members[q]];
            smax = fmax(smax, s->inc_size[members[q]]);
        }
        cx /= k;
        cy /= k;
        for (q = 0; q < m->nbases; q++)
            if (bx[q] != HUGE_VAL && hypot(bx[q] - cx, by[q] - cy) < (bsize + smax) / 2 * 0.9)
                base_here = 1;
        if (k < 2 && !base_here)
            continue;
        if (k >= 2) {
            r = smax * 0.62 / sin(M_PI / (k < 3 ? 3 : k));
            /* neighbours on the ring must not touch */
            r = fmax(r, (smax + 3) / (2 * sin(M_PI / k)));
        }
        if (base_here)
            r = fmax(r, bsize / 2 + smax / 2 + 6);
        start = base_here ? -M_PI / 4 : -M_PI / 2;
        for (q = 0; q < k; q++) {
            double a = start + 2 * M_PI * q / k;
            s->inc_x[members[q]] = cx + r * cos(a);
            s->inc_y[members[q]] = cy + r * sin(a);
            s->inc_pref[members[q]] = a;
        }
    }
done:
    free(group);
    free(members);
    free(bx);
    free(by);
}

void im_scene_forget_projected(im_scene *s)
{
    free(s->inc_mx);
    free(s->inc_my);
    s->inc_mx = s->inc_my = NULL;
}

int im_scene_prepare_incidents(im_scene *s)
{
    im_map *m = s->map;
    size_t cap = (size_t)(m->nincidents > 0 ? m->nincidents : 1);
    int i, n = 0;
    im_free_incidents(s);
    s->inc_visible = calloc(cap, sizeof *s->inc_visible);
    s->inc_idx = malloc(cap * sizeof *s->inc_idx);
    s->inc_x = malloc(cap * sizeof(double));
    s->inc_y = malloc(cap * sizeof(double));
    if (!s->inc_visible || !s->inc_idx || !s->inc_x || !s->inc_y)
        return -1;
    memset(s->types_present, 0, sizeof s->types_present);
    memset(s->classes_present, 0, sizeof s->classes_present);
    s->any_badge = 0;
    {
        int32_t *key = malloc(cap * sizeof *key);
        im_inc_part all;
        int projected = s->inc_mx != NULL;
        if (s->inc_keep_projected && !s->inc_mx && m->nincidents > 0 && m->nincidents < IM_INC_APPROX) {
            /* the first of several tries: keep the projected positions,
             * which PROJ gives one by one (from IM_INC_APPROX on the grid
             * projects them again faster than memory would hold them) */
            s->inc_mx = malloc(cap * sizeof *s->inc_mx);
            s->inc_my = malloc(cap * sizeof *s->inc_my);
            if (!s->inc_mx || !s->inc_my)
                im_scene_forget_projected(s);
        }
        int *p;
        if (!key)
            return -1;
        all = im_inc_gather(s, key, projected);
        n = all.n;
        memcpy(s->types_present, all.types, sizeof s->types_present);
        memcpy(s->classes_present, all.classes, sizeof s->classes_present);
        s->any_hollow = all.hollow;
        s->any_ring = all.ring;
        s->size_min = all.size_min;
        s->size_max = all.size_max;
        s->size_k = all.size_k;
        /* oldest first so the newest is drawn on top */
        p = im_sort_by_date(m->incidents, s->inc_idx, key, n, all.keyed, all.klo, all.khi);
        free(key);
        if (p && (im_gather((void **)&s->inc_x, p, n, sizeof *s->inc_x) != 0 ||
                  im_gather((void **)&s->inc_y, p, n, sizeof *s->inc_y) != 0 ||
                  im_gather((void **)&s->inc_idx, p, n, sizeof *s->inc_idx) != 0)) {
            free(p);
            return -1;
        }
        if (!p)
            return -1;
        free(p);
    }
    {
        /* more than 5000 symbols are never merged nor moved (see below), and
         * without size_by all have the map's size: then no arrays of their
         * own, only the accessors of scene.h */
        size_t nb = (size_t)(n > 0 ? n : 1);
        int few = n <= 5000;
        s->inc_ox = few ? malloc(nb * sizeof(double)) : s->inc_x;
        s->inc_oy = few ? malloc(nb * sizeof(double)) : s->inc_y;
        s->inc_size = few || m->size_by ? malloc(nb * sizeof(double)) : NULL;
        s->inc_count = few ? malloc(nb * sizeof(int)) : NULL;
        s->inc_pref = few ? malloc(nb * sizeof(double)) : NULL;
        if (!s->inc_ox || !s->inc_oy || (few && (!s->inc_size || !s->inc_count || !s->inc_pref)) ||
            (m->size_by && !s->inc_size))
            return -1;
        for (i = 0; i < n; i++) {
            int k = s->inc_idx[i];
            /* only a size by field gives incidents sizes of their own */
            if (s->inc_size)
                s->inc_size[i] = m->size_by && m->incidents[k].size > 0 ? m->incidents[k].size : m->symbol_size;
            if (!few)
                continue;
            s->inc_ox[i] = s->inc_x[i];
            s->inc_oy[i] = s->inc_y[i];
            s->inc_count[i] = 1;
            s->inc_pref[i] = NAN;
        }
    }
    s->ninc = n;
    im_carto_actor_colors(m->incidents, s->inc_visible, m->nincidents, &m->theme, &s->actors);
    if (n <= 5000 && n > 0) {
        im_near_grid grid;
        int *near = malloc((size_t)n * sizeof *near);
        double reach = 0;
        for (i = 0; i < n; i++)
            reach = fmax(reach, 0.9 * s->inc_size[i]);
        if (!near || im_near_grid_make(&grid, s->inc_ox, s->inc_oy, n, reach) != 0) {
            free(near);
            return -1;
        }
        im_merge_identical(s, &grid, near);
        im_displace(s, &grid, near, reach);
        im_near_grid_free(&grid);
        free(near);
    }
    for (i = 0; i < n && s->inc_count; i++)
        s->any_badge |= s->inc_count[i] > 1;
    s->inc_owner0 = s->next_owner + 1;
    s->next_owner += n;
    return 0;
}

/* The count badge of a symbol standing for several incidents: a small
 * disc at its upper right.  Returns its box in BOX. */
static void im_badge_box(double x, double y, double size, double box[4])
{
    double d = 11;
    box[0] = x + size * 0.32 - 1;
    box[1] = y - size * 0.32 - d + 1;
    box[2] = d;
    box[3] = d;
}

static void im_draw_badge(im_scene *s, double x, double y, double size, int count)
{
    double b[4], tw, th;
    char num[16];
    im_text_style ts = im_scene_text(s, 6.5, 1);
    im_rgba disc = s->map->theme.text, ring = s->map->theme.halo;
    ring.a = 1;
    im_badge_box(x, y, size, b);
    im_draw_symbol(s->canvas, IM_SHAPE_CIRCLE, b[0] + b[2] / 2, b[1] + b[3] / 2, b[2], disc, ring, 1);
    snprintf(num, sizeof num, "%d", count);
    ts.color = ring;
    ts.halo.a = 0;
    im_text_measure(s->canvas, num, &ts, &tw, &th);
    im_text_draw(s->canvas, num, &ts, b[0] + b[2] / 2 - tw / 2, b[1] + b[3] / 2 - th / 2, 0, 0);
}

/* Rings of incidents known only to a region, leaders of displaced
 * symbols: under the bases and symbols. */
static void im_draw_incident_marks(im_scene *s)
{
    im_map *m = s->map;
    int i;
    for (i = 0; i < s->ninc && s->ninc <= 5000; i++) {
        const im_incident *inc = &m->incidents[s->inc_idx[i]];
        if (!s->inc_count[i])
            continue;
        if (inc->geo_precision >= 3) {
            enum { N = 120 };
            double lons[N], lats[N];
            int k;
            im_style ring;
            memset(&ring, 0, sizeof ring);
            ring.has_stroke = 1;
            ring.stroke = im_carto_actor_color(&s->actors, im_carto_color_key(inc));
            ring.stroke.a = 0.8;
            ring.width = 1;
            ring.dash[0] = 3;
            ring.dash[1] = 2;
            ring.ndash = 2;
            ring.opacity = 1;
            im_geod_circle(inc->lon, inc->lat, IM_UNCERTAINTY_RING_KM * 1000, N, lons, lats);
            if (im_scene_reserve(s, N) == 0) {
                for (k = 0; k < N; k++) {
                    s->bx[k] = lons[k];
                    s->by[k] = lats[k];
                }
                im_geo_fwd(s->geo, s->bx, s->by, N);
                im_view_to_px(&s->view, s->bx, s->by, N);
                im_draw_path(s->canvas, s->bx, s->by, N, NULL, 1, 1, &ring);
            }
        }
        if (s->inc_x[i] != s->inc_ox[i] || s->inc_y[i] != s->inc_oy[i]) {
            im_style leader;
            double lx[2] = {s->inc_ox[i], s->inc_x[i]}, ly[2] = {s->inc_oy[i], s->inc_y[i]};
            memset(&leader, 0, sizeof leader);
            leader.has_stroke = 1;
            leader.stroke = m->theme.text;
            leader.width = 0.9;
            leader.opacity = 1;
            im_draw_path(s->canvas, lx, ly, 2, NULL, 1, 0, &leader);
            im_draw_symbol(s->canvas, IM_SHAPE_DOT, s->inc_ox[i], s->inc_oy[i], 3.5, m->theme.text,
                           m->theme.text, 0);
            im_labeler_add_segment(s->labels, s->inc_owner0 + i, lx[0], ly[0], lx[1], ly[1]);
        }
    }
}

/* inc_visible back to 1 for the drawn incidents */
static void im_restore_visible(im_scene *s)
{
    int i;
    for (i = 0; i < s->ninc; i++)
        s->inc_visible[s->inc_idx[i]] = 1;
}

/* The drawing groups (class and colour) of map incidents LO..HI-1, as
 * im_draw_incidents works them out on one thread: each visible one's group
 * plus one into inc_visible, counted in COUNT[group + 1]; the shape of
 * each class met, and the last group met. */
typedef struct im_group_part {
    im_scene *s;
    int lo, hi, last;
    int *count;
    im_shape_kind shapes[IM_ITYPE_COUNT];
    int shape_set[IM_ITYPE_COUNT];
} im_group_part;

static void *im_group_work(void *arg)
{
    im_group_part *p = arg;
    im_scene *s = p->s;
    const im_map *m = s->map;
    int i, na = s->actors.nactors + 1;
    for (i = p->lo; i < p->hi; i++) {
        const im_incident *inc = &m->incidents[i];
        int c, g;
        if (!s->inc_visible[i])
            continue;
        c = im_inc_class(m, inc);
        c = c < 0 || c >= IM_ITYPE_COUNT ? IM_ITYPE_OTHER : c;
        p->shapes[c] = im_inc_shape(m, inc);
        p->shape_set[c] = 1;
        g = c * na + im_carto_actor_index(&s->actors, im_carto_color_key(inc)) + 1;
        s->inc_visible[i] = g + 1;
        p->count[g + 1]++;
        p->last = g;
    }
    return NULL;
}

static int im_draw_incidents(im_scene *s)
{
    im_map *m = s->map;
    int i, n = s->ninc;
    im_rgba line = m->theme.symbol_line;
    im_stamper *stamper;
    if (n > 5000) {
        /* the fast path: one batch per (class, colour).  Each incident's
         * group is worked out once and the positions are bucketed by a
         * counting sort, so the cost is linear in the incidents. */
        int na = s->actors.nactors + 1, ng = IM_ITYPE_COUNT * na, g, q;
        int *group = NULL, *start = calloc(2 * ((size_t)ng + 1), sizeof *start), g0 = -1;
        double *bx = NULL, *by = NULL;
        im_shape_kind shapes[IM_ITYPE_COUNT];
        im_group_part part[2];
        if (!start)
            return -1;
        /* each incident's group in memory order, held (plus one, so still
         * true) in inc_visible until drawn, and counted: half of the map's
         * incidents each on two threads */
        for (q = 0; q < 2; q++) {
            memset(&part[q], 0, sizeof part[q]);
            part[q].s = s;
            part[q].lo = q == 0 ? 0 : m->nincidents / 2;
            part[q].hi = q == 0 ? m->nincidents / 2 : m->nincidents;
            part[q].count = start + (size_t)q * ((size_t)ng + 1);
            part[q].last = -1;
        }
        if (m->nincidents >= IM_INC_THREADED)
            im_run_pair(im_group_work, &part[0], &part[1]);
        else {
            part[0].hi = m->nincidents;
            part[1].lo = part[1].hi;
            im_group_work(&part[0]);
        }
        for (g = 0; g < IM_ITYPE_COUNT; g++)
            shapes[g] = part[0].shape_set[g] ? part[0].shapes[g] : part[1].shape_set[g] ? part[1].shapes[g]
                                                                                         : IM_SHAPE_CIRCLE;
        g0 = part[1].last >= 0 ? part[1].last : part[0].last;
        for (g = 0; g < ng; g++)
            start[g + 1] += start[ng + 1 + g + 1] + start[g];
        if (start[g0 + 1] - start[g0] == n) {
            /* one group: drawn straight from the scene's arrays */
            start[g0] = n;
            for (g = g0 + 1; g < ng; g++)
                start[g] = n;
        } else {
            /* in drawing order */
            group = malloc((size_t)n * sizeof *group);
            bx = malloc((size_t)n * sizeof *bx);
            by = malloc((size_t)n * sizeof *by);
            if (!group || !bx || !by) {
                im_restore_visible(s);
                free(group);
                free(start);
                free(bx);
                free(by);
                return -1;
            }
            for (i = 0; i < n; i++)
                group[i] = s->inc_visible[s->inc_idx[i]] - 1;
            for (i = 0; i < n; i++) {
                int k = start[group[i]]++;
                bx[k] = s->inc_x[i];
                by[k] = s->inc_y[i];
            }
        }
        im_restore_visible(s);
        /* start[g] is now the end of group g; draw in group order */
        for (g = 0; g < ng; g++) {
            int from = g ? start[g - 1] : 0, a = g % na - 1;
            im_rgba col = a < 0 ? s->actors.other : s->actors.colors[a];
            im_draw_symbols(s->canvas, shapes[g / na], (bx ? bx : s->inc_x) + from, (by ? by : s->inc_y) + from,
                            (size_t)(start[g] - from),
                            m->symbol_size, col, line, 1);
        }
        free(group);
        free(start);
        free(bx);
        free(by);
        /* labels keep off the symbols here too, up to a size where the
         * symbols cover the map anyway */
        for (i = 0; i < n && n <= 50000; i++) {
            double h = m->symbol_size * 0.65;
            im_labeler_add(s->labels, IM_BOX_SYMBOL, s->inc_owner0 + i, s->inc_x[i] - h, s->inc_y[i] - h, 2 * h,
                           2 * h);
        }
        if (n > 50000) {
            /* nothing after this needs so many positions (their labels and
             * the places they mark are for a few hundred): their memory
             * goes before the labels and the encoding take theirs */
            free(s->inc_x);
            free(s->inc_y);
            s->inc_x = s->inc_y = s->inc_ox = s->inc_oy = NULL;
        }
        return 0;
    }
    /* more than a handful (as im_draw_symbols draws them): each a stamp of
     * its style's sprite, in date order */
    stamper = n > 64 ? im_stamper_new(s->canvas) : NULL;
    for (i = 0; i < n; i++) {
        const im_incident *inc = &m->incidents[s->inc_idx[i]];
        double size = s->inc_size[i], h = size * 0.65;
        im_rgba col = im_carto_actor_color(&s->actors, im_carto_color_key(inc));
        im_shape_kind shape = im_inc_shape(m, inc);
        if (!s->inc_count[i])
            continue;
        if (inc->geo_precision >= 2) {
            /* hollow: the place is approximate */
            if (!stamper || im_stamper_draw(stamper, shape, s->inc_x[i], s->inc_y[i], size * 0.92, m->theme.paper,
                                            col, 2.4) != 0)
                im_draw_symbol(s->canvas, shape, s->inc_x[i], s->inc_y[i], size * 0.92, m->theme.paper, col, 2.4);
        } else if (!stamper || im_stamper_draw(stamper, shape, s->inc_x[i], s->inc_y[i], size, col, line, 1.3) != 0) {
            im_draw_symbol(s->canvas, shape, s->inc_x[i], s->inc_y[i], size, col, line, 1.3);
        }
        im_labeler_add(s->labels, IM_BOX_SYMBOL, s->inc_owner0 + i, s->inc_x[i] - h, s->inc_y[i] - h, 2 * h,
                       2 * h);
        if (s->inc_count[i] > 1) {
            double b[4];
            im_draw_badge(s, s->inc_x[i], s->inc_y[i], size, s->inc_count[i]);
            im_badge_box(s->inc_x[i], s->inc_y[i], size, b);
            im_labeler_add(s->labels, IM_BOX_SYMBOL, s->inc_owner0 + i, b[0], b[1], b[2], b[3]);
        }
    }
    im_stamper_free(stamper);
    return 0;
}

int im_scene_draw_features(im_scene *s, im_diag *d)
{
    if (im_draw_zones(s) != 0 || im_draw_lines(s) != 0)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    im_draw_incident_marks(s);
    im_draw_bases(s);
    if (im_draw_incidents(s) != 0)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    return 0;
}

/* ---- labels of the map's own features ------------------------------------ */

static void im_offer_incident_labels(im_scene *s)
{
    im_map *m = s->map;
    int i;
    if (!m->label_incidents || m->labels.incidents == IM_INCLABEL_NONE || s->ninc > 300)
        return;
    for (i = s->ninc - 1; i >= 0; i--) {
        const im_incident *inc = &m->incidents[s->inc_idx[i]];
        im_text_style ts = im_scene_text(s, 8.5, 0);
        char date[48], text[400];
        im_label_req *r;
        if (!s->inc_count[i])
            continue;
        im_carto_format_date(inc->date, inc->time_precision, date, sizeof date);
        if (inc->label && inc->label[0])
            snprintf(text, sizeof text, "%s", inc->label);
        else if (m->labels.incidents == IM_INCLABEL_TITLE && inc->title && inc->title[0])
            snprintf(text, sizeof text, "%s", inc->title);
        else if (m->labels.incidents == IM_INCLABEL_BOTH && inc->title && inc->title[0])
            snprintf(text, sizeof text, "%s\n%s", date, inc->title);
        else
            snprintf(text, sizeof text, "%s", date);
        r = im_scene_label_add(s, IM_LK_INCIDENT, text, &ts);
        if (!r)
            return;
        r->is_point = 1;
        r->x = s->inc_x[i];
        r->y = s->inc_y[i];
        r->r = s->inc_size[i] * 0.6;
        r->pref = s->inc_pref[i];
        r->leader = 1;
        r->sym_owner = s->inc_owner0 + i;
        r->order = s->ninc - i; /* newest first */
    }
}

static void im_offer_base_labels(im_scene *s)
{
    im_map *m = s->map;
    int i;
    for (i = 0; i < m->nbases; i++) {
        im_text_style ts = im_scene_text(s, 9, 1);
        im_label_req *r;
        double x, y;
        im_scene_point_px(s, m->bases[i].at.lon, m->bases[i].at.lat, &x, &y);
        if (!im_scene_in_frame(s, x, y))
            continue;
        r = im_scene_label_add(s, IM_LK_BASE, m->bases[i].name, &ts);
        if (!r)
            return;
        r->is_point = 1;
        r->x = x;
        r->y = y;
        r->r = im_base_size(s) / 2;
        r->leader = 1;
        r->sym_owner = s->base_owner0 + i;
        r->priority = m->bases[i].priority;
        r->order = i;
        r->align = strchr(m->bases[i].name, '\n') ? 1 : 0;
        /* a base ringed by its incidents: its name goes up and left, where
         * the ring leaves room */
        {
            int k;
            for (k = 0; k < s->ninc; k++)
                if (!isnan(im_scene_inc_pref(s, k)) && hypot(s->inc_ox[k] - x, s->inc_oy[k] - y) < 3)
                    r->pref = -3 * M_PI / 4;
        }
    }
}

static void im_offer_zone_labels(im_scene *s)
{
    im_map *m = s->map;
    int i;
    for (i = 0; i < m->nzones; i++) {
        const im_zone *z = &m->zones[i];
        im_text_style ts = im_scene_text(s, 9, 0);
        im_label_req *r;
        int np = 0;
        if (!z->name)
            continue;
        ts.italic = 1;
        ts.color = im_mix(z->style.has_stroke ? z->style.stroke : z->style.fill, m->theme.text, 0.35);
        r = im_scene_label_add(s, IM_LK_ZONE, z->name, &ts);
        if (!r)
            return;
        r->priority = z->priority;
        r->order = i;
        r->align = strchr(z->name, '\n') ? 1 : 0;
        if (z->is_circle) {
            /* just inside the rim at the top, else outside it, then round
             * the circle */
            static const double az[] = {0, 20, -20, 40, -40, 180, 160, 200, 90, 270, 60, 300, 120, 240};
            double cx, cy;
            int k;
            r->poses = malloc(2 * sizeof az / sizeof az[0] * 3 * sizeof(double));
            if (!r->poses)
                return;
            im_scene_point_px(s, z->center.lon, z->center.lat, &cx, &cy);
            for (k = 0; k < (int)(sizeof az / sizeof az[0]); k++) {
                double lon, lat, x, y, dx, dy, len, side;
                im_geod_direct(z->center.lon, z->center.lat, az[k], z->radius_km * 1000, &lon, &lat);
                im_scene_point_px(s, lon, lat, &x, &y);
                if (x == HUGE_VAL || cx == HUGE_VAL)
                    continue;
                dx = cx - x;
                dy = cy - y;
                len = hypot(dx, dy);
                if (len < 1)
                    continue;
                dx /= len;
                dy /= len;
                for (side = 1; side >= -1; side -= 2) {
                    /* the box's near side just clear of the rim */
                    double off = 4 + fabs(dx) * r->tw / 2 + fabs(dy) * r->th / 2;
                    r->poses[3 * np] = x + side * dx * off;
                    r->poses[3 * np + 1] = y + side * dy * off;
                    r->poses[3 * np + 2] = 0;
                    np++;
                }
            }
        } else if (z->nring > 0) {
            double sx = 0, sy = 0;
            int k, nin = 0;
            if (im_project_px(s, z->ring, z->nring) != 0)
                return;
            for (k = 0; k < z->nring; k++) {
                if (!im_scene_in_frame(s, s->bx[k], s->by[k]))
                    continue;
                sx += s->bx[k];
                sy += s->by[k];
                nin++;
            }
            if (nin == 0)
                continue;
            r->poses = malloc(3 * sizeof(double));
            if (!r->poses)
                return;
            r->poses[0] = sx / nin;
            r->poses[1] = sy / nin;
            r->poses[2] = 0;
            np = 1;
        }
        r->nposes = np;
    }
}

static void im_offer_line_labels(im_scene *s)
{
    im_map *m = s->map;
    int i;
    for (i = 0; i < m->nlines; i++) {
        const im_line *ln = &m->lines[i];
        im_text_style ts = im_scene_text(s, 9, 1);
        int p, nparts = ln->part_start ? ln->nparts : 1, bp = 0, blen = 0;
        ts.italic = 1;
        ts.color = ln->style.stroke;
        ts.color.a = 1;
        if (ln->npts < 2 || !ln->name || im_project_px(s, ln->pts, ln->npts) != 0)
            continue;
        /* the longest part carries the name */
        for (p = 0; p < nparts; p++) {
            int start = ln->part_start ? ln->part_start[p] : 0;
            int end = ln->part_start && p + 1 < nparts ? ln->part_start[p + 1] : ln->npts;
            if (end - start > blen) {
                blen = end - start;
                bp = start;
            }
        }
        im_scene_offer_line_label(s, IM_LK_LINE, ln->name, &ts, s->bx + bp, s->by + bp, blen,
                                  ln->style.width / 2 + 2, 0.75, ln->priority);
        if (s->nlreq > 0 && s->lreq[s->nlreq - 1].kind == IM_LK_LINE)
            s->lreq[s->nlreq - 1].order = i;
    }
}

void im_scene_draw_labels(im_scene *s)
{
    im_offer_base_labels(s);
    im_offer_incident_labels(s);
    im_offer_zone_labels(s);
    im_offer_line_labels(s);
    im_scene_labels_run(s);
}

/* ---- the title block ----------------------------------------------------- */

int im_scene_date_line(const im_map *m, char *buf, size_t size)
{
    char a[48], b[48];
    if (m->as_of) {
        im_carto_format_date(m->as_of, 1, a, sizeof a);
        snprintf(buf, size, "As of %s", a);
    } else if (m->when_from && m->when_to) {
        im_carto_format_date(m->when_from, 1, a, sizeof a);
        im_carto_format_date(m->when_to, 1, b, sizeof b);
        snprintf(buf, size, "Incidents %s \u2013 %s", a, b);
    } else if (m->when_to) {
        im_carto_format_date(m->when_to, 1, a, sizeof a);
        snprintf(buf, size, "As of %s", a);
    } else if (m->when_from) {
        im_carto_format_date(m->when_from, 1, a, sizeof a);
        snprintf(buf, size, "Incidents since %s", a);
    } else {
        return 0;
    }
    return 1;
}

void im_scene_draw_titles(im_scene *s)
{
    im_map *m = s->map;
    const im_theme *th = &m->theme;
    im_text_style title, sub, credit = im_scene_text(s, 7.5, 0), asof = im_scene_text(s, 9.5, 0);
    im_style frame;
    double tw, th_, y = IM_PAD, right_w, title_pt, sub_pt;
    char right[256];
    if (m->layout_full) {
        im_scene_dump(s);
        return;
    }
    im_scene_title_sizes(s, &title_pt, &sub_pt);
    title = im_scene_text(s, title_pt, 1);
    sub = im_scene_text(s, sub_pt, 0);
    title.halo.a = sub.halo.a = credit.halo.a = asof.halo.a = 0;
    title.wrap = im_scene_title_wrap(s, 1);
    sub.wrap = im_scene_title_wrap(s, !m->title);
    sub.color = th->muted;
    credit.color = th->muted;
    asof.color = th->muted;
    memset(&frame, 0, sizeof frame);
    frame.has_stroke = 1;
    frame.stroke = th->frame;
    frame.width = 1;
    frame.opacity = 1;
    im_draw_rect(s->canvas, s->view.fx, s->view.fy, s->view.fw, s->view.fh, &frame);
    if (m->title) {
        im_text_measure(s->canvas, m->title, &title, &tw, &th_);
        im_text_draw(s->canvas, m->title, &title, s->view.fx, y, 0, 0);
        y += th_;
    }
    if (m->subtitle) {
        im_text_measure(s->canvas, m->subtitle, &sub, &tw, &th_);
        im_text_draw(s->canvas, m->subtitle, &sub, s->view.fx, y, 0, 0);
    }
    if (im_scene_date_line(m, right, sizeof right)) {
        const char *line = right;
        im_text_measure(s->canvas, line, &asof, &tw, &th_);
        im_text_draw(s->canvas, line, &asof, im_canvas_width(s->canvas) - IM_PAD - tw, IM_PAD + 4, 0, 0);
    }
    snprintf(right, sizeof right, "Made with incimap \u00b7 base map: %s",
             m->basemap_default ? "GSHHG, DCW (LGPL)" : "user layers");
    im_text_measure(s->canvas, right, &credit, &right_w, &th_);
    {
        const im_furn *lf = &s->furn[IM_FURN_LEGEND];
        double cy = s->view.fy + s->view.fh + s->grid_margin + 4;
        if (lf->placed == IM_CORNER_OUTSIDE_BOTTOM && lf->w > 0)
            cy = lf->y + lf->h + 4;
        /* the page's width, as the layout measured it */
        double x0 = IM_PAD, x1 = im_canvas_width(s->canvas) - IM_PAD;
        if (m->credit) {
            credit.wrap = x1 - x0 - right_w - 24;
            im_text_draw(s->canvas, m->credit, &credit, x0, cy, 0, 0);
            credit.wrap = 0;
        }
        im_text_draw(s->canvas, right, &credit, x1 - right_w, cy, 0, 0);
    }
    im_scene_draw_grid_labels(s);
    im_scene_dump(s);
}

void im_scene_free_carto(im_scene *s)
{
    im_free_incidents(s);
    im_scene_forget_projected(s);
    free(s->grid);
    s->grid = NULL;
    s->ngrid = s->capgrid = 0;
    im_scene_labels_free(s);
}
