/* Base-map layers: the shipped geodata or the map's shapefiles, read
 * through the shapefile reader, projected, and handed to the canvas.
 * Shapes outside the view are skipped by their stored bounds.  Labels of
 * places, rivers and countries are offered to the label placer
 * (labels.c), which places them after the map's own features. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/scene.h"
#include "core/util.h"
#include "data/shp.h"

/* The full-resolution Middle East set covers this lon/lat box. */
static const double im_me_box[4] = {25, 10, 65, 45};

char *im_scene_default_layer_path(im_scene *s, const char *set, const char *name)
{
    return im_arena_printf(s->map->arena, "%s/basemap/%s/%s.shp", s->geodata_dir, set, name);
}

static im_layer *im_add_layer(im_scene *s, const char *path, const char *name)
{
    im_map *m = s->map;
    im_layer *l;
    m->layers = im_arena_grow(m->arena, m->layers, (size_t)m->nlayers, (size_t)m->nlayers + 1,
                              sizeof *m->layers);
    if (!m->layers)
        return NULL;
    l = &m->layers[m->nlayers++];
    memset(l, 0, sizeof *l);
    l->path = path;
    l->name = name;
    l->style.opacity = 1;
    l->style.width = 1;
    l->point_size = 4;
    l->font_size = 8;
    return l;
}

int im_scene_default_layers(im_scene *s, im_diag *d)
{
    const double *b = s->ll_box;
    const im_theme *th = &s->map->theme;
    const char *set;
    im_layer *l;
    double span_km;
    int inside = b[0] >= im_me_box[0] && b[1] >= im_me_box[1] && b[2] <= im_me_box[2] &&
                 b[3] <= im_me_box[3];
    set = inside ? "me" : "world";
    s->basemap_set = set;
    if (!im_is_regular_file(im_scene_default_layer_path(s, set, "land")))
        return im_fail(d, IM_ERR_DATA, im_scene_default_layer_path(s, set, "land"), 0, 0,
                       "the shipped base map is missing (set INCIMAP_GEODATA to the geodata folder)");
    /* how wide the map is on the ground (a geodesic between the corners
     * would call a whole-world map 0 km wide) */
    span_km = (b[2] - b[0]) * 111.32 * fmax(0.2, cos((b[1] + b[3]) / 2 * M_PI / 180));

    if (!(l = im_add_layer(s, im_scene_default_layer_path(s, set, "land"), "land")))
        goto oom;
    l->style.has_fill = 1;
    l->style.fill = th->land;
    l->style.has_stroke = 1;
    l->style.stroke = th->coast;
    l->style.width = 0.7;

    if (!(l = im_add_layer(s, im_scene_default_layer_path(s, set, "lakes"), "lakes")))
        goto oom;
    l->style.has_fill = 1;
    l->style.fill = s->map->background;
    l->style.has_stroke = 1;
    l->style.stroke = th->coast;
    l->style.width = 0.5;

    if (!(l = im_add_layer(s, im_scene_default_layer_path(s, set, "rivers"), "rivers")))
        goto oom;
    l->style.has_stroke = 1;
    l->style.stroke = th->river;
    l->style.width = span_km > 3000 ? 0.6 : 1.0;
    l->label_field = span_km < 2500 ? "name" : NULL;
    l->font_size = 8;
    /* WDBII classes: 1 double-lined, 2 major, 3 additional major, ... */
    l->rank_field = "class";
    l->max_rank = span_km > 6000 ? 1 : span_km > 2500 ? 2 : span_km > 1200 ? 4 : 99;

    if (!(l = im_add_layer(s, im_scene_default_layer_path(s, set, "borders"), "borders")))
        goto oom;
    l->style.has_stroke = 1;
    l->style.stroke = th->border;
    l->style.width = 1.1;
    l->style.dash[0] = 5;
    l->style.dash[1] = 2.5;
    l->style.ndash = 2;

    /* country names, set in the open middle of each country */
    if (s->map->labels.places && span_km < 6000) {
        if (!(l = im_add_layer(s, im_scene_default_layer_path(s, set, "countries"), "countries")))
            goto oom;
        l->label_field = "name";
        l->font_size = span_km > 1500 ? 9.5 : 10.5;
    }

    if (!(l = im_add_layer(s, im_arena_printf(s->map->arena, "%s/basemap/places.shp", s->geodata_dir),
                           "places")))
        goto oom;
    l->style.has_fill = 1;
    l->style.fill = th->place;
    l->style.has_stroke = 1;
    l->style.stroke = th->halo;
    l->style.stroke.a = 1;
    l->style.width = 0.8;
    l->label_field = s->map->labels.places ? "name" : NULL;
    l->point_size = 4.5;
    l->font_size = 8.5;
    l->rank_field = "rank";
    l->max_rank = span_km > 2500 ? 1 : span_km > 1200 ? 2 : span_km > 500 ? 3 : 4;
    return 0;
oom:
    return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
}

int im_scene_reserve(im_scene *s, size_t n)
{
    return im_grow_xy(&s->bx, &s->by, &s->bcap, n);
}

typedef struct {
    im_scene *s;
    const im_layer *layer;
    im_shp *shp;
    im_geo_tf *tf;
    const im_view *view;
    int main;           /* the main map: obstacles and labels; else an inset */
    int where_field, label_field, rank_field;
    int ar_field, kind_field; /* shipped places: name_ar, kind */
    int is_places, is_countries;
    int labels_pass;
    int oom;
    double bounds[4];   /* the layer's own bounding box */
    const double *qbox; /* the frame in layer coordinates (NULL: all of it) */
    double *kx, *ky;    /* the parts of a shape that reach into the frame */
    int *kparts;
    size_t kcap, kpcap;
    im_diag *d;
} im_layer_ctx;

/* SH without the parts whose box lies outside c->qbox, into OUT (its
 * arrays in c's scratch): a country or ocean polygon of a regional layer
 * has most of its rings far from the frame, and those need no
 * projecting.  A ring wholly outside the frame changes no pixel inside
 * it, filled (even-odd) or stroked.  Returns SH itself when every part
 * stays, NULL when out of memory. */
static const im_shape *im_parts_in_frame(im_layer_ctx *c, const im_shape *sh, im_shape *out)
{
    const double *q = c->qbox;
    int p, nk = 0, np = 0;
    if (!q || sh->nparts < 2)
        return sh;
    for (p = 0; p < sh->nparts; p++) {
        int start = sh->part_start[p], end = p + 1 < sh->nparts ? sh->part_start[p + 1] : sh->npoints, i;
        double b[4] = {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
        for (i = start; i < end; i++) {
            b[0] = fmin(b[0], sh->x[i]);
            b[1] = fmin(b[1], sh->y[i]);
            b[2] = fmax(b[2], sh->x[i]);
            b[3] = fmax(b[3], sh->y[i]);
        }
        if (end <= start || b[2] < q[0] || b[0] > q[2] || b[3] < q[1] || b[1] > q[3])
            continue;
        if ((size_t)(nk + end - start) > c->kcap && im_grow_xy(&c->kx, &c->ky, &c->kcap, (size_t)(nk + end - start)) != 0)
            return NULL;
        if ((size_t)np + 1 > c->kpcap) {
            size_t cap = c->kpcap ? 2 * c->kpcap : 64;
            int *grown = realloc(c->kparts, cap * sizeof *grown);
            if (!grown)
                return NULL;
            c->kparts = grown;
            c->kpcap = cap;
        }
        memcpy(c->kx + nk, sh->x + start, (size_t)(end - start) * sizeof *c->kx);
        memcpy(c->ky + nk, sh->y + start, (size_t)(end - start) * sizeof *c->ky);
        c->kparts[np++] = nk;
        nk += end - start;
    }
    if (np == sh->nparts)
        return sh;
    *out = *sh;
    out->x = c->kx;
    out->y = c->ky;
    out->npoints = nk;
    out->part_start = c->kparts;
    out->nparts = np;
    return out;
}

/* 1 if the polygon edge A-B (layer coordinates) is where a polygon was
 * cut rather than a coastline or border: exactly along a meridian or a
 * parallel, and either on the layer's bounding box, on the antimeridian
 * or a pole, or longer than a degree (no surveyed outline runs that
 * straight).  Such edges are filled but never stroked. */
static int im_is_seam(const im_layer_ctx *c, double ax, double ay, double bx, double by)
{
    const double *b = c->bounds;
    if (ax == bx)
        return ax == b[0] || ax == b[2] || fabs(ax) == 180 || fabs(ay - by) >= 1;
    if (ay == by)
        return ay == b[1] || ay == b[3] || fabs(ay) == 90 || fabs(ax - bx) >= 1;
    return 0;
}

/* Stroke the outline of polygon SH (projected into s->bx/by) in runs
 * that leave out the seams. */
static void im_stroke_outline(im_layer_ctx *c, const im_shape *sh)
{
    im_scene *s = c->s;
    im_style line = c->layer->style;
    int p;
    line.has_fill = 0;
    for (p = 0; p < sh->nparts; p++) {
        int start = sh->part_start[p], end = p + 1 < sh->nparts ? sh->part_start[p + 1] : sh->npoints;
        int run = start, i;
        for (i = start; i + 1 < end; i++) {
            if (im_is_seam(c, sh->x[i], sh->y[i], sh->x[i + 1], sh->y[i + 1])) {
                if (i > run)
                    im_draw_path(s->canvas, s->bx + run, s->by + run, i - run + 1, NULL, 1, 0, &line);
                run = i + 1;
            }
        }
        if (end - 1 > run)
            im_draw_path(s->canvas, s->bx + run, s->by + run, end - run, NULL, 1, 0, &line);
    }
}

static int im_layer_match(im_layer_ctx *c, int rec)
{
    const im_layer *l = c->layer;
    int i;
    if (c->where_field >= 0) {
        const char *v = im_shp_attr(c->shp, rec, c->where_field);
        int ok = 0;
        for (i = 0; i < l->where.nvalues && !ok; i++)
            ok = im_streq_ci(v, l->where.values[i]);
        if (!ok)
            return 0;
    }
    if (c->rank_field >= 0) {
        double r;
        if (im_parse_double(im_shp_attr(c->shp, rec, c->rank_field), &r) != 0 || r > l->max_rank)
            return 0;
    }
    return 1;
}

static int im_in_view(const im_view *v, double x, double y)
{
    return x != HUGE_VAL && x >= v->fx && y >= v->fy && x <= v->fx + v->fw && y <= v->fy + v->fh;
}

/* 1 if (x, y) lies under a piece of furniture. */
static int im_under_furniture(const im_scene *s, double x, double y)
{
    int i;
    for (i = 0; i < IM_FURN_COUNT; i++) {
        const im_furn *f = &s->furn[i];
        if (f->corner != IM_CORNER_NONE && f->w > 0 && x >= f->x - 2 && x <= f->x + f->w + 2 &&
            y >= f->y - 2 && y <= f->y + f->h + 2)
            return 1;
    }
    return 0;
}

typedef struct {
    int i, j;
    double score;
} im_stretch;

static int im_stretch_cmp(const void *a, const void *b)
{
    const im_stretch *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->i - y->i;
}

void im_scene_offer_line_label(im_scene *s, im_label_kind kind, const char *text, const im_text_style *ts,
                               const double *x, const double *y, int n, double offset, double min_straight,
                               int priority)
{
    im_label_req *r;
    im_stretch *cand;
    int k, nc = 0, np = 0, owner_seq;
    double tw, th;
    if (!text || !*text || n < 2)
        return;
    r = im_scene_label_add(s, kind, text, ts);
    if (!r)
        return;
    r->priority = priority;
    tw = r->tw;
    th = r->th;
    owner_seq = r->seq;
    cand = malloc((size_t)n * sizeof *cand);
    if (!cand)
        return;
    for (k = 0; k + 1 < n; k++) {
        int j = k + 1;
        double len = 0, chord;
        if (!im_in_view(&s->view, x[k], y[k]))
            continue;
        while (j < n && x[j] != HUGE_VAL) {
            len += hypot(x[j] - x[j - 1], y[j] - y[j - 1]);
            if (hypot(x[j] - x[k], y[j] - y[k]) >= tw * 1.05)
                break;
            j++;
        }
        if (j >= n || x[j] == HUGE_VAL || !im_in_view(&s->view, x[j], y[j]) || len <= 0)
            continue;
        chord = hypot(x[j] - x[k], y[j] - y[k]);
        cand[nc].i = k;
        cand[nc].j = j;
        cand[nc].score = chord / len; /* 1 = straight */
        nc++;
    }
    qsort(cand, (size_t)nc, sizeof *cand, im_stretch_cmp);
    /* the request may have moved while measuring: look it up again */
    r = &s->lreq[s->nlreq - 1];
    if (r->seq != owner_seq) {
        free(cand);
        return;
    }
    r->poses = malloc((size_t)(nc > 0 ? 2 * nc : 1) * 9 * 3 * sizeof(double));
    if (!r->poses) {
        free(cand);
        return;
    }
    for (k = 0; k < nc && np < 400 && cand[k].score > min_straight; k++) {
        int i = cand[k].i, j = cand[k].j, side, q, nslide;
        double ang = atan2(-(y[j] - y[i]), x[j] - x[i]);
        double chord = hypot(x[j] - x[i], y[j] - y[i]), ux = (x[j] - x[i]) / chord, uy = (y[j] - y[i]) / chord;
        if (ang > M_PI / 2)
            ang -= M_PI;
        if (ang < -M_PI / 2)
            ang += M_PI;
        /* a long straight segment: the middle first, then slid along it */
        nslide = (int)fmin(9, floor((chord - tw) / (tw * 0.5)) + 1);
        if (nslide < 1)
            nslide = 1;
        for (q = 0; q < nslide; q++) {
            /* 0, +1, -1, +2, -2, ... steps from the middle */
            int step = (q + 1) / 2 * (q % 2 ? 1 : -1);
            double t = nslide > 1 ? step * (chord - tw) / (nslide - 1) : 0;
            double mx = (x[i] + x[j]) / 2 + ux * t, my = (y[i] + y[j]) / 2 + uy * t;
            if (fabs(t) > (chord - tw) / 2 + 1e-9)
                continue;
            for (side = 0; side < 2; side++) {
                /* above the line, or below it; the normal points up the text */
                double k2 = (offset + th / 2) * (side ? -1 : 1);
                r->poses[3 * np] = mx - k2 * sin(ang);
                r->poses[3 * np + 1] = my - k2 * cos(ang);
                r->poses[3 * np + 2] = ang;
                np++;
            }
        }
    }
    r->nposes = np;
    free(cand);
}

/* ---- area labels (countries) ------------------------------------------ */

/* Even-odd point in polygon over all rings of X/Y (canvas px). */
static int im_point_in_rings(const double *x, const double *y, const int *part_start, int nparts, int npoints,
                             double px, double py)
{
    int p, in = 0;
    for (p = 0; p < nparts; p++) {
        int start = part_start ? part_start[p] : 0;
        int end = part_start && p + 1 < nparts ? part_start[p + 1] : npoints;
        int i, j;
        for (i = start, j = end - 1; i < end; j = i++) {
            if (x[i] == HUGE_VAL || x[j] == HUGE_VAL)
                continue;
            if ((y[i] > py) != (y[j] > py) && px < (x[j] - x[i]) * (py - y[i]) / (y[j] - y[i]) + x[i])
                in = !in;
        }
    }
    return in;
}

typedef struct {
    double x, y, room;
} im_area_spot;

static int im_spot_cmp(const void *a, const void *b)
{
    const im_area_spot *x = a, *y = b;
    return x->room < y->room ? 1 : x->room > y->room ? -1 : 0;
}

/* Offer the name of polygon SH (projected in s->bx/by) at the spots of
 * the frame deepest inside it. */
static void im_offer_area_label(im_layer_ctx *c, const im_shape *sh, const char *text)
{
    im_scene *s = c->s;
    const im_view *v = &s->view;
    im_text_style ts = im_scene_text(s, c->layer->font_size, 0);
    im_label_req *r;
    double *dx = NULL, *dy = NULL, step = 28;
    int *dstart = NULL, nd = 0, p, nspots = 0, i, k, np = 0;
    im_area_spot *spots = NULL;
    ts.color = s->map->theme.muted;
    ts.spacing = 2.5;
    ts.upper = 1;
    ts.halo.a *= 0.8;
    /* a thinned copy of the rings: enough for distances at this scale */
    dx = malloc((size_t)sh->npoints * sizeof *dx);
    dy = malloc((size_t)sh->npoints * sizeof *dy);
    dstart = malloc((size_t)sh->nparts * sizeof *dstart);
    if (!dx || !dy || !dstart)
        goto done;
    for (p = 0; p < sh->nparts; p++) {
        int start = sh->part_start[p], end = p + 1 < sh->nparts ? sh->part_start[p + 1] : sh->npoints;
        double lx = HUGE_VAL, ly = HUGE_VAL;
        dstart[p] = nd;
        for (i = start; i < end; i++) {
            if (s->bx[i] == HUGE_VAL)
                continue;
            if (fabs(s->bx[i] - lx) + fabs(s->by[i] - ly) < 3 && i + 1 < end)
                continue;
            dx[nd] = lx = s->bx[i];
            dy[nd] = ly = s->by[i];
            nd++;
        }
    }
    {
        int nx = (int)(v->fw / step), ny = (int)(v->fh / step);
        spots = malloc((size_t)(nx + 1) * (size_t)(ny + 1) * sizeof *spots);
        if (!spots)
            goto done;
        for (k = 0; k <= ny; k++) {
            for (i = 0; i <= nx; i++) {
                double px = v->fx + step / 2 + i * step, py = v->fy + step / 2 + k * step, room = HUGE_VAL;
                int q;
                if (px > v->fx + v->fw - 10 || py > v->fy + v->fh - 10)
                    continue;
                if (!im_point_in_rings(dx, dy, dstart, sh->nparts, nd, px, py))
                    continue;
                for (p = 0; p < sh->nparts; p++) {
                    int start = dstart[p], end = p + 1 < sh->nparts ? dstart[p + 1] : nd;
                    for (q = start; q + 1 < end; q++) {
                        /* distance from the spot to segment q, q+1 */
                        double ex = dx[q + 1] - dx[q], ey = dy[q + 1] - dy[q], l2 = ex * ex + ey * ey, t;
                        t = l2 > 0 ? ((px - dx[q]) * ex + (py - dy[q]) * ey) / l2 : 0;
                        t = t < 0 ? 0 : t > 1 ? 1 : t;
                        room = fmin(room, hypot(px - dx[q] - t * ex, py - dy[q] - t * ey));
                    }
                }
                /* the frame's edge bounds the room too */
                room = fmin(room, fmin(fmin(px - v->fx, v->fx + v->fw - px), fmin(py - v->fy, v->fy + v->fh - py)));
                spots[nspots].x = px;
                spots[nspots].y = py;
                spots[nspots].room = room;
                nspots++;
            }
        }
    }
    if (nspots == 0)
        goto done;
    qsort(spots, (size_t)nspots, sizeof *spots, im_spot_cmp);
    r = im_scene_label_add(s, IM_LK_COUNTRY, text, &ts);
    if (!r)
        goto done;
    r->poses = malloc((size_t)(nspots < 40 ? nspots : 40) * 3 * sizeof(double));
    if (!r->poses)
        goto done;
    for (i = 0; i < nspots && np < 40; i++) {
        /* the whole label inside the country: its corners and sides */
        double hw = r->tw / 2 + 4, hh = r->th / 2 + 2;
        double cx = spots[i].x, cy = spots[i].y;
        static const double f[8][2] = {{-1, -1}, {1, -1}, {-1, 1}, {1, 1}, {0, -1}, {0, 1}, {-1, 0}, {1, 0}};
        int ok = 1, q;
        for (q = 0; q < 8 && ok; q++)
            ok = im_point_in_rings(dx, dy, dstart, sh->nparts, nd, cx + f[q][0] * hw, cy + f[q][1] * hh);
        if (!ok)
            continue;
        r->poses[3 * np] = cx;
        r->poses[3 * np + 1] = cy;
        r->poses[3 * np + 2] = 0;
        np++;
    }
    r->nposes = np;
    /* bigger countries first */
    r->order = -spots[0].room;
done:
    free(dx);
    free(dy);
    free(dstart);
    free(spots);
}

/* ---- places ------------------------------------------------------------- */

/* 1 if a place at (px, py) called NAME is one of the map's bases (the
 * shipped places include the well-known ones). */
static int im_place_is_base(im_scene *s, const char *name, double px, double py)
{
    int i;
    for (i = 0; i < s->map->nbases; i++) {
        const im_base *b = &s->map->bases[i];
        double x = b->at.lon, y = b->at.lat;
        if (b->name && im_streq_ci(b->name, name))
            return 1;
        im_scene_point_px(s, x, y, &x, &y);
        if (x != HUGE_VAL && hypot(x - px, y - py) < s->map->symbol_size)
            return 1;
    }
    return 0;
}

static void im_offer_place(im_layer_ctx *c, const im_shape *sh, double px, double py)
{
    im_scene *s = c->s;
    const im_layer *l = c->layer;
    const im_map *m = s->map;
    char text[512], en[256], kind[32];
    double rank = 4, size = l->point_size, font = l->font_size;
    int italic = 0, bold = 0;
    im_label_req *r;
    im_text_style ts;
    /* each attribute is copied at once: the reader reuses its buffer */
    snprintf(en, sizeof en, "%s", im_shp_attr(c->shp, sh->record, c->label_field));
    if (!en[0])
        return;
    snprintf(text, sizeof text, "%s", en);
    if (c->rank_field >= 0)
        im_parse_double(im_shp_attr(c->shp, sh->record, c->rank_field), &rank);
    if (c->is_places) {
        snprintf(kind, sizeof kind, "%s", c->kind_field >= 0 ? im_shp_attr(c->shp, sh->record, c->kind_field) : "");
        if (im_place_is_base(s, en, px, py))
            return;
        /* capitals and cities bigger; sites (bases, airfields, crossings) in italics */
        if (rank <= 1) {
            font = 10;
            size = 6;
            bold = 1;
        } else if (rank <= 2) {
            font = 9;
            size = 5;
        } else if (rank <= 3) {
            font = 8.5;
            size = 4.5;
        } else {
            font = 8;
            size = 4;
        }
        if (strcmp(kind, "town") != 0 && strcmp(kind, "city") != 0 && strcmp(kind, "capital") != 0)
            italic = 1;
        if (c->ar_field >= 0 && m->labels.language != IM_LANG_EN) {
            const char *ar = im_shp_attr(c->shp, sh->record, c->ar_field);
            if (ar[0] && m->labels.language == IM_LANG_AR)
                snprintf(text, sizeof text, "%s", ar);
            else if (ar[0] && strcmp(ar, en) != 0)
                snprintf(text, sizeof text, "%s\n%s", en, ar);
        }
    }
    ts = im_scene_text(s, font, bold);
    ts.italic = italic;
    r = im_scene_label_add(s, IM_LK_PLACE, text, &ts);
    if (!r)
        return;
    r->is_point = 1;
    r->x = px;
    r->y = py;
    r->r = size / 2;
    r->order = rank;
    r->align = strchr(text, '\n') ? 1 : 0;
    /* a city crowded out by incidents keeps its name on a leader */
    r->leader = c->is_places && rank <= 2;
    /* a name in Arabic script reads right to left: left of its dot first */
    if ((unsigned char)text[0] >= 0xd8 && (unsigned char)text[0] <= 0xdb)
        r->pref = M_PI;
    if (c->is_places) {
        int k;
        /* a place an incident marks (Shayrat airfield): that symbol is its
         * dot, and its name goes round the symbol */
        for (k = 0; k < s->ninc && s->ninc <= 5000; k++) {
            if (s->inc_count[k] && hypot(s->inc_x[k] - px, s->inc_y[k] - py) < s->inc_size[k] * 0.6) {
                r->r = s->inc_size[k] / 2 + 1;
                r->x = s->inc_x[k];
                r->y = s->inc_y[k];
                r->sym_owner = s->inc_owner0 + k;
                return;
            }
        }
        /* the dot is drawn only if its name finds room */
        r->has_dot = 1;
        r->dot_size = size;
        r->dot_fill = l->style.fill;
        r->dot_line = l->style.stroke;
        r->dot_owner = im_scene_owner(s);
        r->sym_owner = r->dot_owner;
        im_labeler_add(s->labels, IM_BOX_SYMBOL, r->dot_owner, px - size / 2 - 0.5, py - size / 2 - 0.5,
                       size + 1, size + 1);
    }
}

static int im_layer_visit(void *user, const im_shape *whole)
{
    im_layer_ctx *c = user;
    im_scene *s = c->s;
    const im_layer *l = c->layer;
    const im_view *v = c->view;
    const im_shape *sh = whole;
    im_shape part;
    int i;
    if (!im_layer_match(c, sh->record))
        return 0;
    if (!c->labels_pass && sh->kind != IM_GEOM_POINT) {
        sh = im_parts_in_frame(c, whole, &part);
        if (!sh) {
            c->oom = 1;
            return 1;
        }
        if (sh->npoints == 0)
            return 0;
    }
    /* the labels pass needs only named lines and areas: skip the rest
     * before projecting them a second time */
    if (c->labels_pass && sh->kind != IM_GEOM_POINT &&
        (c->label_field < 0 || !im_shp_attr(c->shp, sh->record, c->label_field)[0]))
        return 0;
    if (im_scene_reserve(s, (size_t)sh->npoints) != 0) {
        c->oom = 1;
        return 1;
    }
    memcpy(s->bx, sh->x, (size_t)sh->npoints * sizeof(double));
    memcpy(s->by, sh->y, (size_t)sh->npoints * sizeof(double));
    im_geo_tf_fwd(c->tf, s->bx, s->by, (size_t)sh->npoints);
    im_view_to_px(v, s->bx, s->by, (size_t)sh->npoints);
    if (sh->kind == IM_GEOM_POINT) {
        for (i = 0; i < sh->npoints; i++) {
            double px = s->bx[i], py = s->by[i], r = l->point_size / 2;
            if (!im_in_view(v, px, py) || (c->main && im_under_furniture(s, px, py)))
                continue;
            if (!c->labels_pass) {
                if (c->is_places)
                    continue; /* drawn with their labels */
                im_draw_symbol(s->canvas, IM_SHAPE_DOT, px, py, l->point_size, l->style.fill,
                               l->style.stroke, l->style.has_stroke ? l->style.width : 0);
                if (c->main)
                    im_labeler_add_obstacle(s->labels, px - r, py - r, 2 * r, 2 * r);
            } else if (c->label_field >= 0) {
                im_offer_place(c, sh, px, py);
            }
        }
        return 0;
    }
    if (!c->labels_pass) {
        if (!l->style.has_fill && !l->style.has_stroke)
            return 0;
        if (sh->kind == IM_GEOM_POLYGON && l->style.has_stroke && l->style.width > 0) {
            im_style fill = l->style;
            fill.has_stroke = 0;
            if (fill.has_fill)
                im_draw_path(s->canvas, s->bx, s->by, sh->npoints, sh->part_start, sh->nparts, 1, &fill);
            im_stroke_outline(c, sh);
        } else {
            im_draw_path(s->canvas, s->bx, s->by, sh->npoints, sh->part_start, sh->nparts,
                         sh->kind == IM_GEOM_POLYGON, &l->style);
        }
        return 0;
    }
    if (c->label_field < 0)
        return 0;
    {
        const char *text = im_shp_attr(c->shp, sh->record, c->label_field);
        char copy[256];
        if (!text[0])
            return 0;
        snprintf(copy, sizeof copy, "%s", text);
        if (sh->kind == IM_GEOM_POLYGON) {
            im_offer_area_label(c, sh, copy);
        } else if (sh->kind == IM_GEOM_LINE) {
            /* the longest part carries the label */
            int p, bp = 0, blen = 0;
            im_text_style ts = im_scene_text(s, l->font_size, 0);
            ts.italic = 1;
            ts.color = s->map->theme.river_text;
            for (p = 0; p < sh->nparts; p++) {
                int end = p + 1 < sh->nparts ? sh->part_start[p + 1] : sh->npoints;
                if (end - sh->part_start[p] > blen) {
                    blen = end - sh->part_start[p];
                    bp = p;
                }
            }
            im_scene_offer_line_label(s, IM_LK_RIVER, copy, &ts, s->bx + sh->part_start[bp],
                                      s->by + sh->part_start[bp], blen, 1, 0.9, 0);
        }
    }
    return 0;
}

/* The frame's bounds in the layer's CRS, or NULL (no box) when the frame
 * reaches beyond what the layer's CRS can express. */
static const double *im_layer_box(const im_view *v, im_geo_tf *tf, double box[4])
{
    enum { N = 16 };
    double x[4 * N], y[4 * N];
    int i, k;
    k = im_rect_edge_points(v->xmin, v->ymin, v->xmax, v->ymax, N, x, y);
    im_geo_tf_inv(tf, x, y, (size_t)k);
    box[0] = box[1] = HUGE_VAL;
    box[2] = box[3] = -HUGE_VAL;
    for (i = 0; i < k; i++) {
        if (x[i] == HUGE_VAL)
            return NULL;
        box[0] = fmin(box[0], x[i]);
        box[1] = fmin(box[1], y[i]);
        box[2] = fmax(box[2], x[i]);
        box[3] = fmax(box[3], y[i]);
    }
    /* a frame whose edge crosses the antimeridian or a pole wraps */
    if (box[2] - box[0] > 300)
        return NULL;
    {
        double px = (box[2] - box[0]) * 0.02, py = (box[3] - box[1]) * 0.02;
        box[0] -= px;
        box[1] -= py;
        box[2] += px;
        box[3] += py;
    }
    return box;
}

static int im_draw_layer_list(im_scene *s, const im_layer *layers, int n, im_geo *geo, const im_view *view,
                              int main, int labels_pass, im_diag *d)
{
    int i, rc = 0;
    for (i = 0; i < n && rc == 0; i++) {
        const im_layer *l = &layers[i];
        im_layer_ctx c;
        double box[4];
        const double *qbox;
        memset(&c, 0, sizeof c);
        c.s = s;
        c.layer = l;
        c.view = view;
        c.main = main;
        c.labels_pass = labels_pass;
        c.d = d;
        c.is_places = main && s->map->basemap_default && l->name && strcmp(l->name, "places") == 0;
        c.is_countries = main && s->map->basemap_default && l->name && strcmp(l->name, "countries") == 0;
        if (labels_pass && !l->label_field)
            continue;
        if (!labels_pass && !c.is_places && !l->style.has_fill && !l->style.has_stroke)
            continue; /* a layer only for its labels (country names) */
        if (im_shp_open_at(l->path, &l->loc, &c.shp, d) != 0)
            return -1;
        if (im_geo_tf_get(geo, im_shp_crs(c.shp), im_shp_path(c.shp), &c.tf, d) != 0) {
            im_shp_close(c.shp);
            return -1;
        }
        c.where_field = c.label_field = c.rank_field = c.ar_field = c.kind_field = -1;
        im_shp_bounds(c.shp, c.bounds);
        if (l->where.field && (c.where_field = im_shp_field_index(c.shp, l->where.field)) < 0)
            rc = im_fail(d, IM_ERR_SPEC, l->loc.file, l->loc.line, l->loc.col,
                         "layer '%s': %s has no field '%s'", l->name, im_shp_path(c.shp), l->where.field);
        if (rc == 0 && l->rank_field && (c.rank_field = im_shp_field_index(c.shp, l->rank_field)) < 0)
            rc = im_fail(d, IM_ERR_SPEC, l->loc.file, l->loc.line, l->loc.col,
                         "layer '%s': %s has no field '%s'", l->name, im_shp_path(c.shp), l->rank_field);
        if (rc == 0 && labels_pass && l->label_field &&
            (c.label_field = im_shp_field_index(c.shp, l->label_field)) < 0)
            rc = im_fail(d, IM_ERR_SPEC, l->loc.file, l->loc.line, l->loc.col,
                         "layer '%s': %s has no field '%s'", l->name, im_shp_path(c.shp), l->label_field);
        if (c.is_places) {
            c.ar_field = im_shp_field_index(c.shp, "name_ar");
            c.kind_field = im_shp_field_index(c.shp, "kind");
        }
        if (rc == 0) {
            double t0 = d->verbose ? im_clock_ms() : 0;
            qbox = im_layer_box(view, c.tf, box);
            c.qbox = qbox;
            if (im_shp_query(c.shp, qbox, im_layer_visit, &c, d) < 0)
                rc = -1;
            else if (c.oom)
                rc = im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
            else
                im_shp_warn_bad_text(c.shp, d);
            if (rc == 0 && main && !labels_pass)
                im_verbose(d, "drew layer %s: %d shapes in the file, in %.0f ms",
                           im_shp_path(c.shp), im_shp_count(c.shp), im_clock_ms() - t0);
        }
        im_shp_close(c.shp);
        free(c.kx);
        free(c.ky);
        free(c.kparts);
    }
    return rc;
}

int im_scene_draw_layers(im_scene *s, int labels_pass, im_diag *d)
{
    return im_draw_layer_list(s, s->map->layers, s->map->nlayers, s->geo, &s->view, 1, labels_pass, d);
}

int im_scene_draw_layers_into(im_scene *s, const im_layer *layers, int n, im_geo *geo, const im_view *view,
                              im_diag *d)
{
    return im_draw_layer_list(s, layers, n, geo, view, 0, 0, d);
}
