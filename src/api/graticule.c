/* The graticule: meridians and parallels every STEP degrees, drawn as the
 * projection bends them (densely sampled), and their degree labels just
 * outside the frame where each line meets it (meridians on the top and
 * bottom edges, parallels on the left and right). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/scene.h"

#define IM_GRID_SAMPLES 240

static double im_grid_step(const im_scene *s)
{
    const double *b = s->ll_box;
    double clat = (b[1] + b[3]) / 2, span;
    if (s->map->graticule.step > 0)
        return s->map->graticule.step;
    span = fmax((b[2] - b[0]) * cos(clat * M_PI / 180), b[3] - b[1]);
    return im_graticule_step(span, 3);
}

static void im_grid_add(im_scene *s, int edge, double ax, double ay, double value, int is_lat, double step)
{
    im_grid_label *g;
    if (s->ngrid == s->capgrid) {
        int cap = s->capgrid ? 2 * s->capgrid : 32;
        im_grid_label *n = realloc(s->grid, (size_t)cap * sizeof *n);
        if (!n)
            return;
        s->grid = n;
        s->capgrid = cap;
    }
    g = &s->grid[s->ngrid++];
    memset(g, 0, sizeof *g);
    g->edge = edge;
    g->ax = ax;
    g->ay = ay;
    im_graticule_format(value, is_lat, step, g->text, sizeof g->text);
}

/* Where the polyline X/Y crosses the frame's edges: meridians (IS_LAT 0)
 * are labelled on the bottom and top edges, parallels on the left and
 * right. */
static void im_grid_crossings(im_scene *s, const double *x, const double *y, int n, double value, int is_lat,
                              double step)
{
    const im_view *v = &s->view;
    double x0 = v->fx, x1 = v->fx + v->fw, y0 = v->fy, y1 = v->fy + v->fh;
    int i, e;
    for (i = 0; i + 1 < n; i++) {
        if (x[i] == HUGE_VAL || x[i + 1] == HUGE_VAL)
            continue;
        for (e = is_lat ? 2 : 0; e < (is_lat ? 4 : 2); e++) {
            double lim = e == 0 ? y1 : e == 1 ? y0 : e == 2 ? x0 : x1;
            double a = e < 2 ? y[i] : x[i], b = e < 2 ? y[i + 1] : x[i + 1], t, cx, cy;
            if ((a - lim) * (b - lim) > 0 || a == b)
                continue;
            /* count a vertex exactly on the edge once */
            if (b == lim && i + 2 < n)
                continue;
            t = (lim - a) / (b - a);
            cx = x[i] + t * (x[i + 1] - x[i]);
            cy = y[i] + t * (y[i + 1] - y[i]);
            if (e < 2 && (cx < x0 || cx > x1))
                continue;
            if (e >= 2 && (cy < y0 || cy > y1))
                continue;
            im_grid_add(s, e, cx, cy, value, is_lat, step);
        }
    }
}

void im_scene_draw_graticule(im_scene *s)
{
    const im_graticule *gr = &s->map->graticule;
    const double *b = s->ll_box;
    double step, v, lat0, lat1, lon0, lon1;
    im_style line;
    int i;
    s->ngrid = 0;
    if (!gr->on)
        return;
    step = im_grid_step(s);
    if (im_scene_reserve(s, IM_GRID_SAMPLES + 1) != 0)
        return;
    memset(&line, 0, sizeof line);
    line.has_stroke = 1;
    line.stroke = s->map->theme.grid;
    line.width = 0.6;
    line.opacity = 1;
    /* a little beyond the frame's box, so lines run out of the frame */
    lat0 = fmax(-89.999, b[1] - step);
    lat1 = fmin(89.999, b[3] + step);
    lon0 = b[0] - step;
    lon1 = b[2] + step;
    if (b[2] - b[0] >= 359) {
        lon0 = -180;
        lon1 = 180;
    }
    for (v = ceil(lon0 / step - 1e-9) * step; v <= lon1 + 1e-9; v += step) {
        double lon = fabs(v) < 1e-9 ? 0 : v;
        if (lon < -180 - 1e-9 || lon > 180 + 1e-9)
            continue;
        if (lon > 180 - 1e-9 && lon0 <= -180 + 1e-9)
            continue; /* -180 and 180 are one meridian */
        for (i = 0; i <= IM_GRID_SAMPLES; i++) {
            s->bx[i] = lon;
            s->by[i] = lat0 + (lat1 - lat0) * i / IM_GRID_SAMPLES;
        }
        im_geo_fwd(s->geo, s->bx, s->by, IM_GRID_SAMPLES + 1);
        im_view_to_px(&s->view, s->bx, s->by, IM_GRID_SAMPLES + 1);
        im_draw_path(s->canvas, s->bx, s->by, IM_GRID_SAMPLES + 1, NULL, 1, 0, &line);
        if (gr->labels)
            im_grid_crossings(s, s->bx, s->by, IM_GRID_SAMPLES + 1, lon, 0, step);
    }
    for (v = ceil(lat0 / step - 1e-9) * step; v <= lat1 + 1e-9; v += step) {
        double lat = fabs(v) < 1e-9 ? 0 : v;
        if (fabs(lat) >= 90 - 1e-9)
            continue;
        for (i = 0; i <= IM_GRID_SAMPLES; i++) {
            s->bx[i] = lon0 + (lon1 - lon0) * i / IM_GRID_SAMPLES;
            s->by[i] = lat;
        }
        im_geo_fwd(s->geo, s->bx, s->by, IM_GRID_SAMPLES + 1);
        im_view_to_px(&s->view, s->bx, s->by, IM_GRID_SAMPLES + 1);
        im_draw_path(s->canvas, s->bx, s->by, IM_GRID_SAMPLES + 1, NULL, 1, 0, &line);
        if (gr->labels)
            im_grid_crossings(s, s->bx, s->by, IM_GRID_SAMPLES + 1, lat, 1, step);
    }
}

static int im_grid_cmp(const void *a, const void *b)
{
    const im_grid_label *x = a, *y = b;
    double px = x->edge < 2 ? x->ax : x->ay, py = y->edge < 2 ? y->ax : y->ay;
    if (x->edge != y->edge)
        return x->edge - y->edge;
    return px < py ? -1 : px > py ? 1 : 0;
}

void im_scene_draw_grid_labels(im_scene *s)
{
    const im_view *v = &s->view;
    im_text_style ts = im_scene_text(s, 7.5, 0);
    double last_end = -HUGE_VAL;
    int i, last_edge = -1;
    ts.color = s->map->theme.grid_text;
    ts.halo.a = 0;
    if (s->ngrid > 1) /* s->grid is NULL when there is no graticule: qsort(NULL) is UB */
        qsort(s->grid, (size_t)s->ngrid, sizeof *s->grid, im_grid_cmp);
    for (i = 0; i < s->ngrid; i++) {
        im_grid_label *g = &s->grid[i];
        double tw, th, cx, cy, ang = 0, ox, oy, lo, hi;
        im_text_measure(s->canvas, g->text, &ts, &tw, &th);
        if (g->edge != last_edge) {
            last_edge = g->edge;
            last_end = -HUGE_VAL;
        }
        switch (g->edge) {
        case 0:
            cx = g->ax;
            cy = v->fy + v->fh + 2 + th / 2;
            break;
        case 1:
            cx = g->ax;
            cy = v->fy - 2 - th / 2;
            break;
        case 2:
            cx = v->fx - 2 - th / 2;
            cy = g->ay;
            ang = M_PI / 2;
            break;
        default:
            cx = v->fx + v->fw + 2 + th / 2;
            cy = g->ay;
            ang = M_PI / 2;
            break;
        }
        /* along the edge: room for it, clear of the previous one, and not
         * past the frame's corners */
        lo = (g->edge < 2 ? cx : cy) - tw / 2;
        hi = lo + tw;
        if (lo < last_end + 6)
            continue;
        if (g->edge < 2 && (lo < v->fx - s->grid_margin || hi > v->fx + v->fw + s->grid_margin))
            continue;
        if (g->edge >= 2 && (lo < v->fy - 2 || hi > v->fy + v->fh + 2))
            continue;
        last_end = hi;
        im_label_origin(cx, cy, ang, tw, th, &ox, &oy);
        im_text_draw(s->canvas, g->text, &ts, ox, oy, ang, 0);
        g->drawn = 1;
        if (g->edge < 2) {
            g->box[0] = cx - tw / 2;
            g->box[1] = cy - th / 2;
            g->box[2] = tw;
            g->box[3] = th;
        } else {
            g->box[0] = cx - th / 2;
            g->box[1] = cy - tw / 2;
            g->box[2] = th;
            g->box[3] = tw;
        }
    }
}
