/* Base-map layers: the shipped geodata or the map's shapefiles, read
 * through the shapefile reader, projected, and handed to the canvas.
 * Shapes outside the view are skipped by their stored bounds. */
#include <math.h>
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

static im_rgba im_hex(unsigned v, double a)
{
    im_rgba c = {((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0, a};
    return c;
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
    l->style.fill = im_hex(0xf4f1ea, 1);
    l->style.has_stroke = 1;
    l->style.stroke = im_hex(0x7d9bb0, 1);
    l->style.width = 0.7;

    if (!(l = im_add_layer(s, im_scene_default_layer_path(s, set, "lakes"), "lakes")))
        goto oom;
    l->style.has_fill = 1;
    l->style.fill = s->map->background;
    l->style.has_stroke = 1;
    l->style.stroke = im_hex(0x7d9bb0, 1);
    l->style.width = 0.5;

    if (!(l = im_add_layer(s, im_scene_default_layer_path(s, set, "rivers"), "rivers")))
        goto oom;
    l->style.has_stroke = 1;
    l->style.stroke = im_hex(0x6f9fc8, 1);
    l->style.width = span_km > 3000 ? 0.6 : 1.0;
    l->label_field = span_km < 2500 ? "name" : NULL;
    l->font_size = 8;
    /* WDBII classes: 1 double-lined, 2 major, 3 additional major, ... */
    l->rank_field = "class";
    l->max_rank = span_km > 6000 ? 1 : span_km > 2500 ? 2 : span_km > 1200 ? 4 : 99;

    if (!(l = im_add_layer(s, im_scene_default_layer_path(s, set, "borders"), "borders")))
        goto oom;
    l->style.has_stroke = 1;
    l->style.stroke = im_hex(0x8a7f86, 1);
    l->style.width = 1.1;
    l->style.dash[0] = 5;
    l->style.dash[1] = 2.5;
    l->style.ndash = 2;

    if (!(l = im_add_layer(s, im_arena_printf(s->map->arena, "%s/basemap/places.shp", s->geodata_dir),
                           "places")))
        goto oom;
    l->style.has_fill = 1;
    l->style.fill = im_hex(0x333333, 1);
    l->style.has_stroke = 1;
    l->style.stroke = im_hex(0xffffff, 1);
    l->style.width = 0.8;
    l->label_field = "name";
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
    int where_field, label_field, rank_field;
    int labels_pass;
    int oom;
    double bounds[4];   /* the layer's own bounding box */
    im_diag *d;
} im_layer_ctx;

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

/* Label a line feature once, along its longest straight-ish stretch that
 * lies inside the frame. */
static void im_label_line(im_layer_ctx *c, const double *x, const double *y, int n, const char *text)
{
    im_scene *s = c->s;
    im_text_style ts = {c->layer->font_size, 0, 1, {0.16, 0.37, 0.62, 1}, {1, 1, 1, 0.8}, 1.5};
    double tw, th, best = 0;
    int i, bi = -1, bj = -1;
    im_text_measure(s->canvas, text, &ts, &tw, &th);
    /* find a window i..j whose chord is at least the text width and that
     * deviates little from straight */
    for (i = 0; i < n; i++) {
        int j;
        double len = 0;
        if (x[i] == HUGE_VAL)
            continue;
        for (j = i + 1; j < n && x[j] != HUGE_VAL; j++) {
            double chord;
            len += hypot(x[j] - x[j - 1], y[j] - y[j - 1]);
            chord = hypot(x[j] - x[i], y[j] - y[i]);
            if (chord >= tw * 1.1) {
                double straight = chord / len;
                if (straight > 0.9 && straight > best) {
                    best = straight;
                    bi = i;
                    bj = j;
                }
                break;
            }
        }
    }
    if (bi < 0)
        return;
    {
        double ang = atan2(-(y[bj] - y[bi]), x[bj] - x[bi]);
        double mx = (x[bi] + x[bj]) / 2, my = (y[bi] + y[bj]) / 2;
        double ox, oy, box[4];
        if (ang > M_PI / 2)
            ang -= M_PI;
        if (ang < -M_PI / 2)
            ang += M_PI;
        im_carto_line_label(mx, my, ang, tw, th, 1, &ox, &oy, box);
        if (!im_labeler_free_at(s->labels, box[0], box[1], box[2], box[3]))
            return;
        im_labeler_add_obstacle(s->labels, box[0], box[1], box[2], box[3]);
        im_text_draw(s->canvas, text, &ts, ox, oy, ang, 0);
    }
}

static int im_layer_visit(void *user, const im_shape *sh)
{
    im_layer_ctx *c = user;
    im_scene *s = c->s;
    const im_layer *l = c->layer;
    int i;
    if (!im_layer_match(c, sh->record))
        return 0;
    if (im_scene_reserve(s, (size_t)sh->npoints) != 0) {
        c->oom = 1;
        return 1;
    }
    memcpy(s->bx, sh->x, (size_t)sh->npoints * sizeof(double));
    memcpy(s->by, sh->y, (size_t)sh->npoints * sizeof(double));
    im_geo_tf_fwd(c->tf, s->bx, s->by, (size_t)sh->npoints);
    im_view_to_px(&s->view, s->bx, s->by, (size_t)sh->npoints);
    if (sh->kind == IM_GEOM_POINT) {
        for (i = 0; i < sh->npoints; i++) {
            double px = s->bx[i], py = s->by[i], r = l->point_size / 2;
            if (px == HUGE_VAL || px < s->view.fx || py < s->view.fy || px > s->view.fx + s->view.fw ||
                py > s->view.fy + s->view.fh)
                continue;
            if (!c->labels_pass) {
                im_draw_symbol(s->canvas, IM_SHAPE_DOT, px, py, l->point_size, l->style.fill,
                               l->style.stroke, l->style.has_stroke ? l->style.width : 0);
                im_labeler_add_obstacle(s->labels, px - r, py - r, 2 * r, 2 * r);
            } else if (c->label_field >= 0) {
                const char *text = im_shp_attr(c->shp, sh->record, c->label_field);
                im_text_style ts = {l->font_size, 0, 0, {0.1, 0.1, 0.1, 1}, {1, 1, 1, 0.85}, 1.6};
                double tw, th, tx, ty;
                if (!text[0])
                    continue;
                im_text_measure(s->canvas, text, &ts, &tw, &th);
                if (im_labeler_place_point(s->labels, px, py, r, tw, th, &tx, &ty) == 0)
                    im_text_draw(s->canvas, text, &ts, tx, ty, 0, 0);
            }
        }
        return 0;
    }
    if (!c->labels_pass && sh->kind == IM_GEOM_POLYGON && l->style.has_stroke && l->style.width > 0) {
        im_style fill = l->style;
        fill.has_stroke = 0;
        if (fill.has_fill)
            im_draw_path(s->canvas, s->bx, s->by, sh->npoints, sh->part_start, sh->nparts, 1, &fill);
        im_stroke_outline(c, sh);
    } else if (!c->labels_pass) {
        im_draw_path(s->canvas, s->bx, s->by, sh->npoints, sh->part_start, sh->nparts,
                     sh->kind == IM_GEOM_POLYGON, &l->style);
    } else if (c->label_field >= 0 && sh->kind == IM_GEOM_LINE) {
        const char *text = im_shp_attr(c->shp, sh->record, c->label_field);
        if (text[0]) {
            /* the longest part carries the label */
            int p, bp = 0, blen = 0;
            for (p = 0; p < sh->nparts; p++) {
                int end = p + 1 < sh->nparts ? sh->part_start[p + 1] : sh->npoints;
                if (end - sh->part_start[p] > blen) {
                    blen = end - sh->part_start[p];
                    bp = p;
                }
            }
            im_label_line(c, s->bx + sh->part_start[bp], s->by + sh->part_start[bp], blen, text);
        }
    }
    return 0;
}

/* The frame's bounds in the layer's CRS, or NULL (no box) when the frame
 * reaches beyond what the layer's CRS can express. */
static const double *im_layer_box(im_scene *s, im_geo_tf *tf, double box[4])
{
    enum { N = 16 };
    double x[4 * N], y[4 * N];
    int i, k;
    const im_view *v = &s->view;
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

int im_scene_draw_layers(im_scene *s, int labels_pass, im_diag *d)
{
    int i, rc = 0;
    for (i = 0; i < s->map->nlayers && rc == 0; i++) {
        const im_layer *l = &s->map->layers[i];
        im_layer_ctx c;
        double box[4];
        const double *qbox;
        memset(&c, 0, sizeof c);
        c.s = s;
        c.layer = l;
        c.labels_pass = labels_pass;
        c.d = d;
        if (labels_pass && !l->label_field)
            continue;
        if (im_shp_open(l->path, &c.shp, d) != 0)
            return -1;
        if (im_geo_tf_get(s->geo, im_shp_crs(c.shp), im_shp_path(c.shp), &c.tf, d) != 0) {
            im_shp_close(c.shp);
            return -1;
        }
        c.where_field = c.label_field = c.rank_field = -1;
        im_shp_bounds(c.shp, c.bounds);
        if (l->where.field && (c.where_field = im_shp_field_index(c.shp, l->where.field)) < 0)
            rc = im_fail(d, IM_ERR_SPEC, l->loc.file, l->loc.line, l->loc.col,
                         "layer '%s': %s has no field '%s'", l->name, im_shp_path(c.shp), l->where.field);
        if (rc == 0 && l->rank_field && (c.rank_field = im_shp_field_index(c.shp, l->rank_field)) < 0)
            rc = im_fail(d, IM_ERR_SPEC, l->loc.file, l->loc.line, l->loc.col,
                         "layer '%s': %s has no field '%s'", l->name, im_shp_path(c.shp), l->rank_field);
        if (rc == 0 && l->label_field &&
            (c.label_field = im_shp_field_index(c.shp, l->label_field)) < 0)
            rc = im_fail(d, IM_ERR_SPEC, l->loc.file, l->loc.line, l->loc.col,
                         "layer '%s': %s has no field '%s'", l->name, im_shp_path(c.shp), l->label_field);
        if (rc == 0) {
            qbox = im_layer_box(s, c.tf, box);
            if (im_shp_query(c.shp, qbox, im_layer_visit, &c, d) < 0)
                rc = -1;
            else if (c.oom)
                rc = im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
        }
        im_shp_close(c.shp);
    }
    return rc;
}
