/* The inset locator map: a small overview of the region around the map
 * (the shipped world base map, in its own projection) with the main map's
 * extent outlined, so a reader sees where in the world the map is. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/scene.h"
#include "core/util.h"

/* What the inset shows: the map file's lon/lat box, or a square some
 * three times the main map's size (at least 1000 km each way from its
 * centre), in a Lambert azimuthal equal-area projection centred on it:
 * true to area and shape near the centre at any latitude, poles included.
 * Sets the projection (in the map's arena) and the projected box to show.
 * -1: no inset (a map of half the world needs none). */
static int im_inset_geo(im_scene *s, const char **def, im_geo **geo, double pbox[4], im_diag *d)
{
    const im_inset *in = &s->map->inset;
    im_loc none = {NULL, 0, 0};
    double mb[4], clon, clat, reach = 0;
    int i;
    *geo = NULL;
    if (in->corner == IM_CORNER_NONE)
        return -1;
    if (in->has_extent) {
        mb[0] = in->lon0;
        mb[1] = in->lat0;
        mb[2] = in->lon1;
        mb[3] = in->lat1;
    } else if (im_scene_view_llbox(s, 24, mb) != 0) {
        return -1;
    }
    clon = (mb[0] + mb[2]) / 2;
    clat = (mb[1] + mb[3]) / 2;
    if (!in->has_extent) {
        /* the main map's reach from its centre, on the ground */
        double corners[4][2] = {{mb[0], mb[1]}, {mb[2], mb[1]}, {mb[0], mb[3]}, {mb[2], mb[3]}};
        for (i = 0; i < 4; i++)
            reach = fmax(reach, im_geod_distance(clon, clat, corners[i][0], corners[i][1]));
        if (reach > 4000e3)
            return -1;
        reach = fmax(1000e3, 3 * reach);
    }
    *def = im_arena_printf(s->map->arena,
                           "+proj=laea +lat_0=%.6f +lon_0=%.6f +datum=WGS84 +units=m +no_defs", clat, clon);
    if (!*def || im_geo_create(*def, none, geo, d) != 0)
        return -1;
    if (!in->has_extent) {
        /* a little wider than tall, as a page corner is */
        pbox[0] = -1.3 * reach;
        pbox[2] = 1.3 * reach;
        pbox[1] = -reach;
        pbox[3] = reach;
        return 0;
    }
    {
        enum { N = 32 };
        double x[4 * N], y[4 * N];
        int k = im_rect_edge_points(mb[0], mb[1], mb[2], mb[3], N, x, y);
        im_geo_fwd(*geo, x, y, (size_t)k);
        pbox[0] = pbox[1] = HUGE_VAL;
        pbox[2] = pbox[3] = -HUGE_VAL;
        for (i = 0; i < k; i++) {
            if (x[i] == HUGE_VAL)
                continue;
            pbox[0] = fmin(pbox[0], x[i]);
            pbox[1] = fmin(pbox[1], y[i]);
            pbox[2] = fmax(pbox[2], x[i]);
            pbox[3] = fmax(pbox[3], y[i]);
        }
    }
    if (!(pbox[2] > pbox[0]) || !(pbox[3] > pbox[1])) {
        im_geo_free(*geo);
        *geo = NULL;
        return -1;
    }
    return 0;
}

int im_scene_inset_size(im_scene *s, double *w, double *h)
{
    double pbox[4], aspect;
    const char *def;
    im_geo *geo = NULL;
    im_diag quiet;
    memset(&quiet, 0, sizeof quiet);
    *w = *h = 0;
    if (im_inset_geo(s, &def, &geo, pbox, &quiet) != 0)
        return -1;
    im_geo_free(geo);
    aspect = (pbox[2] - pbox[0]) / (pbox[3] - pbox[1]);
    aspect = fmin(1.8, fmax(1.0, aspect));
    *w = fmin(280, fmax(120, s->view.fw * 0.19));
    *h = *w / aspect;
    if (*h > s->view.fh * 0.4) {
        *h = s->view.fh * 0.4;
        *w = *h * aspect;
    }
    return 0;
}

int im_scene_draw_inset(im_scene *s, im_diag *d)
{
    const im_furn *f = &s->furn[IM_FURN_INSET];
    const im_theme *th = &s->map->theme;
    im_map *m = s->map;
    double pbox[4], rect[4], frame[4];
    const char *def;
    im_geo *geo = NULL;
    im_layer layers[3];
    im_style st;
    int i, rc = 0;
    if (f->corner == IM_CORNER_NONE || f->w <= 0)
        return 0;
    im_diag quiet;
    memset(&quiet, 0, sizeof quiet);
    if (im_inset_geo(s, &def, &geo, pbox, &quiet) != 0)
        return 0; /* no inset rather than no map */
    im_view_fit(&s->inset_view, f->x, f->y, f->w, f->h, pbox[0], pbox[1], pbox[2], pbox[3]);
    snprintf(s->inset_proj, sizeof s->inset_proj, "%s", im_geo_proj_string(geo));
    rect[0] = f->x;
    rect[1] = f->y;
    rect[2] = f->w;
    rect[3] = f->h;
    im_canvas_clip(s->canvas, rect);
    memset(&st, 0, sizeof st);
    st.has_fill = 1;
    st.fill = m->background;
    st.fill.a = 1;
    st.opacity = 1;
    im_draw_rect(s->canvas, f->x, f->y, f->w, f->h, &st);

    /* the world base map: land, lakes, borders */
    memset(layers, 0, sizeof layers);
    for (i = 0; i < 3; i++)
        layers[i].style.opacity = 1;
    layers[0].path = im_scene_default_layer_path(s, "world", "land");
    layers[0].name = "land";
    layers[0].style.has_fill = 1;
    layers[0].style.fill = th->land;
    layers[1].path = im_scene_default_layer_path(s, "world", "lakes");
    layers[1].name = "lakes";
    layers[1].style.has_fill = 1;
    layers[1].style.fill = m->background;
    layers[1].style.fill.a = 1;
    layers[2].path = im_scene_default_layer_path(s, "world", "borders");
    layers[2].name = "borders";
    layers[2].style.has_stroke = 1;
    layers[2].style.stroke = th->border;
    layers[2].style.width = 0.5;
    if (im_is_regular_file(layers[0].path))
        rc = im_scene_draw_layers_into(s, layers, 3, geo, &s->inset_view, d);

    /* the main map's extent: its frame, through lon/lat into the inset */
    if (rc == 0) {
        enum { N = 48 };
        double x[4 * N], y[4 * N], x0 = HUGE_VAL, y0 = HUGE_VAL, x1 = -HUGE_VAL, y1 = -HUGE_VAL;
        int k = 0, e, j;
        /* the frame's outline as one ring, corner to corner */
        for (e = 0; e < 4; e++) {
            for (j = 0; j < N; j++) {
                double t = (double)j / N, fx = s->view.fx, fy = s->view.fy, fw = s->view.fw, fh = s->view.fh;
                x[k] = e == 0 ? fx + t * fw : e == 1 ? fx + fw : e == 2 ? fx + fw - t * fw : fx;
                y[k] = e == 0 ? fy : e == 1 ? fy + t * fh : e == 2 ? fy + fh : fy + fh - t * fh;
                k++;
            }
        }
        im_view_from_px(&s->view, x, y, (size_t)k);
        im_geo_inv(s->geo, x, y, (size_t)k);
        im_geo_fwd(geo, x, y, (size_t)k);
        im_view_to_px(&s->inset_view, x, y, (size_t)k);
        for (i = 0; i < k; i++) {
            if (x[i] == HUGE_VAL)
                continue;
            x0 = fmin(x0, x[i]);
            y0 = fmin(y0, y[i]);
            x1 = fmax(x1, x[i]);
            y1 = fmax(y1, y[i]);
        }
        memset(&st, 0, sizeof st);
        st.has_stroke = 1;
        st.stroke = th->highlight;
        st.width = 1.6;
        st.has_fill = 1;
        st.fill = th->highlight;
        st.fill.a = 0.18;
        st.opacity = 1;
        if (x0 != HUGE_VAL && (x1 - x0 < 6 || y1 - y0 < 6)) {
            /* too small to see as a box: a ring round it */
            st.has_fill = 0;
            im_draw_symbol(s->canvas, IM_SHAPE_CIRCLE, (x0 + x1) / 2, (y0 + y1) / 2, 12,
                           (im_rgba){0, 0, 0, 0}, th->highlight, 1.6);
        } else if (x0 != HUGE_VAL) {
            im_draw_path(s->canvas, x, y, k, NULL, 1, 1, &st);
        }
    }
    /* back to the main frame's clip, and a frame round the inset */
    frame[0] = s->view.fx;
    frame[1] = s->view.fy;
    frame[2] = s->view.fw;
    frame[3] = s->view.fh;
    im_canvas_clip(s->canvas, frame);
    memset(&st, 0, sizeof st);
    st.has_stroke = 1;
    st.stroke = th->frame;
    st.width = 1;
    st.opacity = 1;
    im_draw_rect(s->canvas, f->x, f->y, f->w, f->h, &st);
    s->inset_drawn = rc == 0;
    im_geo_free(geo);
    return rc;
}
