/* What goes on top of the base map: zones, lines, bases, incidents, their
 * labels, the legend, scale bar, north arrow and the title block. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/scene.h"
#include "data/data.h"

#define IM_PAD 12.0

static const im_rgba im_ink = {0.13, 0.13, 0.13, 1};
static const im_rgba im_halo = {1, 1, 1, 0.85};
static const im_rgba im_white = {1, 1, 1, 1};

static im_text_style im_ts(double size, int bold)
{
    im_text_style t = {size, bold, 0, {0.13, 0.13, 0.13, 1}, {1, 1, 1, 0.85}, 1.8};
    return t;
}

/* Project lon/lat points into the scratch buffers, as canvas px. */
static int im_project_px(im_scene *s, const im_lonlat *p, int n)
{
    int i;
    if (im_scene_reserve(s, (size_t)n) != 0)
        return -1;
    for (i = 0; i < n; i++) {
        s->bx[i] = p[i].lon;
        s->by[i] = p[i].lat;
    }
    im_geo_fwd(s->geo, s->bx, s->by, (size_t)n);
    im_view_to_px(&s->view, s->bx, s->by, (size_t)n);
    return 0;
}

static void im_point_px(im_scene *s, double lon, double lat, double *x, double *y)
{
    *x = lon;
    *y = lat;
    im_geo_fwd(s->geo, x, y, 1);
    im_view_to_px(&s->view, x, y, 1);
}

static int im_in_frame(const im_scene *s, double x, double y)
{
    return x != HUGE_VAL && x >= s->view.fx && y >= s->view.fy && x <= s->view.fx + s->view.fw &&
           y <= s->view.fy + s->view.fh;
}

static int im_draw_zones(im_scene *s)
{
    int z;
    for (z = 0; z < s->map->nzones; z++) {
        const im_zone *zn = &s->map->zones[z];
        if (zn->is_circle) {
            enum { N = 360 };
            im_lonlat ring[N];
            double lons[N], lats[N];
            int i;
            im_geod_circle(zn->center.lon, zn->center.lat, zn->radius_km * 1000, N, lons, lats);
            for (i = 0; i < N; i++) {
                ring[i].lon = lons[i];
                ring[i].lat = lats[i];
            }
            if (im_project_px(s, ring, N) != 0)
                return -1;
            im_draw_path(s->canvas, s->bx, s->by, N, NULL, 1, 1, &zn->style);
        } else {
            if (im_project_px(s, zn->ring, zn->nring) != 0)
                return -1;
            im_draw_path(s->canvas, s->bx, s->by, zn->nring, NULL, 1, 1, &zn->style);
        }
    }
    return 0;
}

static int im_draw_lines(im_scene *s)
{
    int i;
    for (i = 0; i < s->map->nlines; i++) {
        const im_line *ln = &s->map->lines[i];
        im_style halo = ln->style;
        if (ln->npts < 2 || im_project_px(s, ln->pts, ln->npts) != 0)
            continue;
        /* a pale casing keeps the line legible over rivers and borders */
        halo.stroke = im_white;
        halo.stroke.a = 0.7;
        halo.width = ln->style.width + 2.5;
        halo.ndash = 0;
        im_draw_path(s->canvas, s->bx, s->by, ln->npts, NULL, 1, 0, &halo);
        im_draw_path(s->canvas, s->bx, s->by, ln->npts, NULL, 1, 0, &ln->style);
    }
    return 0;
}

static void im_draw_bases(im_scene *s)
{
    int i;
    double size = s->map->symbol_size * 1.15;
    im_rgba navy = {0.10, 0.16, 0.30, 1};
    for (i = 0; i < s->map->nbases; i++) {
        double x, y;
        im_point_px(s, s->map->bases[i].at.lon, s->map->bases[i].at.lat, &x, &y);
        if (!im_in_frame(s, x, y))
            continue;
        im_draw_symbol(s->canvas, IM_SHAPE_BASE, x, y, size, navy, im_white, 1.5);
        im_labeler_add_obstacle(s->labels, x - size / 2 - 1, y - size / 2 - 1, size + 2, size + 2);
    }
}

static int im_cmp_inc_date(const void *a, const void *b, const im_incident *inc)
{
    const im_incident *x = &inc[*(const int *)a], *y = &inc[*(const int *)b];
    int c = strcmp(x->date ? x->date : "", y->date ? y->date : "");
    return c ? c : (*(const int *)a - *(const int *)b);
}

static const im_incident *im_sort_base;
static int im_cmp_inc(const void *a, const void *b)
{
    return im_cmp_inc_date(a, b, im_sort_base);
}

/* Incidents that would overlap (same site) are spread on a small ring
 * around their centre, with a thin leader to the true spot. */
static void im_displace(im_scene *s)
{
    double size = s->map->symbol_size;
    int n = s->ninc, i, j;
    int *group;
    if (n < 2 || n > 5000)
        return; /* big point sets are drawn as they are: density is the message */
    group = malloc((size_t)n * sizeof *group);
    if (!group)
        return;
    for (i = 0; i < n; i++)
        group[i] = -1;
    for (i = 0; i < n; i++) {
        int members[64], k = 0, m;
        double cx = 0, cy = 0, r;
        if (group[i] >= 0)
            continue;
        for (j = i; j < n && k < 64; j++) {
            if (group[j] >= 0)
                continue;
            if (hypot(s->inc_ox[j] - s->inc_ox[i], s->inc_oy[j] - s->inc_oy[i]) < size * 0.9) {
                group[j] = i;
                members[k++] = j;
            }
        }
        if (k < 2)
            continue;
        for (m = 0; m < k; m++) {
            cx += s->inc_ox[members[m]];
            cy += s->inc_oy[members[m]];
        }
        cx /= k;
        cy /= k;
        r = size * 0.62 / sin(M_PI / (k < 3 ? 3 : k));
        for (m = 0; m < k; m++) {
            double a = -M_PI / 2 + 2 * M_PI * m / k;
            s->inc_x[members[m]] = cx + r * cos(a);
            s->inc_y[members[m]] = cy + r * sin(a);
        }
    }
    free(group);
}

static int im_draw_incidents(im_scene *s)
{
    im_map *m = s->map;
    int i, n = 0;
    double size = m->symbol_size;
    s->inc_visible = calloc((size_t)(m->nincidents ? m->nincidents : 1), sizeof *s->inc_visible);
    s->inc_idx = malloc((size_t)(m->nincidents ? m->nincidents : 1) * sizeof *s->inc_idx);
    s->inc_x = malloc((size_t)(m->nincidents ? m->nincidents : 1) * sizeof(double));
    s->inc_y = malloc((size_t)(m->nincidents ? m->nincidents : 1) * sizeof(double));
    s->inc_ox = malloc((size_t)(m->nincidents ? m->nincidents : 1) * sizeof(double));
    s->inc_oy = malloc((size_t)(m->nincidents ? m->nincidents : 1) * sizeof(double));
    if (!s->inc_visible || !s->inc_idx || !s->inc_x || !s->inc_y || !s->inc_ox || !s->inc_oy)
        return -1;
    for (i = 0; i < m->nincidents; i++) {
        s->inc_ox[i] = m->incidents[i].lon;
        s->inc_oy[i] = m->incidents[i].lat;
    }
    im_geo_fwd(s->geo, s->inc_ox, s->inc_oy, (size_t)m->nincidents);
    im_view_to_px(&s->view, s->inc_ox, s->inc_oy, (size_t)m->nincidents);
    /* keep those in the frame, oldest first so the newest is drawn on top */
    for (i = 0; i < m->nincidents; i++)
        if (im_in_frame(s, s->inc_ox[i], s->inc_oy[i]))
            s->inc_idx[n++] = i;
    im_sort_base = m->incidents;
    qsort(s->inc_idx, (size_t)n, sizeof *s->inc_idx, im_cmp_inc);
    {
        /* compact positions into draw order */
        double *tx = malloc((size_t)(n ? n : 1) * sizeof *tx), *ty = malloc((size_t)(n ? n : 1) * sizeof *ty);
        if (!tx || !ty) {
            free(tx);
            free(ty);
            return -1;
        }
        for (i = 0; i < n; i++) {
            tx[i] = s->inc_ox[s->inc_idx[i]];
            ty[i] = s->inc_oy[s->inc_idx[i]];
        }
        memcpy(s->inc_ox, tx, (size_t)n * sizeof *tx);
        memcpy(s->inc_oy, ty, (size_t)n * sizeof *ty);
        memcpy(s->inc_x, tx, (size_t)n * sizeof *tx);
        memcpy(s->inc_y, ty, (size_t)n * sizeof *ty);
        free(tx);
        free(ty);
    }
    s->ninc = n;
    for (i = 0; i < n; i++) {
        s->inc_visible[s->inc_idx[i]] = 1;
        s->types_present[m->incidents[s->inc_idx[i]].type] = 1;
    }
    im_carto_actor_colors(m->incidents, s->inc_visible, m->nincidents, &s->actors);
    im_displace(s);

    if (n > 5000) {
        /* the fast path: one batch per (shape, colour) */
        int t, a;
        double *bx = malloc((size_t)n * sizeof *bx), *by = malloc((size_t)n * sizeof *by);
        if (!bx || !by) {
            free(bx);
            free(by);
            return -1;
        }
        for (t = 0; t < IM_ITYPE_COUNT; t++) {
            for (a = -1; a < s->actors.nactors; a++) {
                size_t k = 0;
                im_rgba col = a < 0 ? s->actors.other : s->actors.colors[a];
                for (i = 0; i < n; i++) {
                    const im_incident *inc = &m->incidents[s->inc_idx[i]];
                    int ai;
                    if ((int)inc->type != t)
                        continue;
                    for (ai = 0; ai < s->actors.nactors; ai++)
                        if (strcmp(s->actors.names[ai], inc->actor ? inc->actor : "") == 0)
                            break;
                    if ((ai == s->actors.nactors ? -1 : ai) != a)
                        continue;
                    bx[k] = s->inc_x[i];
                    by[k++] = s->inc_y[i];
                }
                im_draw_symbols(s->canvas, im_carto_type_shape((im_incident_type)t), bx, by, k, size, col,
                                im_white, 1);
            }
        }
        free(bx);
        free(by);
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (s->inc_x[i] != s->inc_ox[i] || s->inc_y[i] != s->inc_oy[i]) {
            im_style leader = {0};
            double lx[2] = {s->inc_ox[i], s->inc_x[i]}, ly[2] = {s->inc_oy[i], s->inc_y[i]};
            leader.has_stroke = 1;
            leader.stroke = im_ink;
            leader.width = 0.8;
            leader.opacity = 1;
            im_draw_path(s->canvas, lx, ly, 2, NULL, 1, 0, &leader);
            im_draw_symbol(s->canvas, IM_SHAPE_DOT, s->inc_ox[i], s->inc_oy[i], 3, im_ink, im_ink, 0);
        }
    }
    for (i = 0; i < n; i++) {
        const im_incident *inc = &m->incidents[s->inc_idx[i]];
        im_draw_symbol(s->canvas, im_carto_type_shape(inc->type), s->inc_x[i], s->inc_y[i], size,
                       im_carto_actor_color(&s->actors, inc->actor), im_white, 1.3);
        im_labeler_add_obstacle(s->labels, s->inc_x[i] - size * 0.65, s->inc_y[i] - size * 0.65, size * 1.3,
                                size * 1.3);
    }
    return 0;
}

int im_scene_draw_features(im_scene *s, im_diag *d)
{
    if (im_draw_zones(s) != 0 || im_draw_lines(s) != 0)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    im_draw_bases(s);
    if (im_draw_incidents(s) != 0)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    return 0;
}

/* Top-left corner of a W x H box in corner C of the frame. */
static void im_corner_xy(const im_scene *s, im_corner c, double w, double h, double *x, double *y)
{
    const im_view *v = &s->view;
    int right = c == IM_CORNER_TOP_RIGHT || c == IM_CORNER_BOTTOM_RIGHT;
    int bottom = c == IM_CORNER_BOTTOM_LEFT || c == IM_CORNER_BOTTOM_RIGHT;
    *x = right ? v->fx + v->fw - IM_PAD - w : v->fx + IM_PAD;
    *y = bottom ? v->fy + v->fh - IM_PAD - h : v->fy + IM_PAD;
}

/* ---- legend ---------------------------------------------------------- */

typedef enum { IM_LEG_HEAD, IM_LEG_SYMBOL, IM_LEG_LINE, IM_LEG_ZONE } im_leg_kind;

typedef struct {
    im_leg_kind kind;
    char text[160];
    im_shape_kind shape;
    im_rgba color;
    const im_style *style;
} im_leg_item;

static void im_draw_legend(im_scene *s)
{
    im_map *m = s->map;
    im_leg_item items[64];
    int n = 0, i, t, col, ncols, per_col, rows;
    im_text_style head = im_ts(9, 1), body = im_ts(8.5, 0);
    double sw = 18, gap = 6, rowh, colw[8] = {0}, w, h, x, y, tw, th, maxh;
    im_rgba grey = {0.35, 0.35, 0.35, 1};
    im_style box = {0};

    head.halo.a = body.halo.a = 0;
    if (m->legend == IM_CORNER_NONE)
        return;
    if (s->ninc > 0) {
        items[n].kind = IM_LEG_HEAD;
        snprintf(items[n++].text, sizeof items[0].text, "Incidents");
        for (t = 0; t < IM_ITYPE_COUNT; t++) {
            if (!s->types_present[t])
                continue;
            items[n].kind = IM_LEG_SYMBOL;
            items[n].shape = im_carto_type_shape((im_incident_type)t);
            items[n].color = grey;
            snprintf(items[n++].text, sizeof items[0].text, "%s", im_incident_type_name((im_incident_type)t));
        }
        if (s->actors.nactors > 1 || s->actors.other_count > 0 ||
            (s->actors.nactors == 1 && s->actors.names[0][0])) {
            items[n].kind = IM_LEG_HEAD;
            snprintf(items[n++].text, sizeof items[0].text, "Actor");
            for (i = 0; i < s->actors.nactors && n < 60; i++) {
                items[n].kind = IM_LEG_SYMBOL;
                items[n].shape = IM_SHAPE_CIRCLE;
                items[n].color = s->actors.colors[i];
                snprintf(items[n++].text, sizeof items[0].text, "%s", s->actors.names[i]);
            }
            if (s->actors.other_count > 0) {
                items[n].kind = IM_LEG_SYMBOL;
                items[n].shape = IM_SHAPE_CIRCLE;
                items[n].color = s->actors.other;
                snprintf(items[n++].text, sizeof items[0].text, "Other or unknown");
            }
        }
    }
    if (m->nbases > 0 || m->nlines > 0 || m->nzones > 0) {
        items[n].kind = IM_LEG_HEAD;
        snprintf(items[n++].text, sizeof items[0].text, "Positions");
    }
    if (m->nbases > 0 && n < 62) {
        items[n].kind = IM_LEG_SYMBOL;
        items[n].shape = IM_SHAPE_BASE;
        items[n].color = (im_rgba){0.10, 0.16, 0.30, 1};
        snprintf(items[n++].text, sizeof items[0].text, "Military base");
    }
    for (i = 0; i < m->nlines && n < 62; i++) {
        items[n].kind = IM_LEG_LINE;
        items[n].style = &m->lines[i].style;
        snprintf(items[n++].text, sizeof items[0].text, "%s", m->lines[i].name);
    }
    for (i = 0; i < m->nzones && n < 62; i++) {
        items[n].kind = IM_LEG_ZONE;
        items[n].style = &m->zones[i].style;
        if (m->zones[i].is_circle)
            snprintf(items[n++].text, sizeof items[0].text, "%s (%g km)", m->zones[i].name,
                     m->zones[i].radius_km);
        else
            snprintf(items[n++].text, sizeof items[0].text, "%s", m->zones[i].name);
    }
    if (n == 0)
        return;
    im_text_measure(s->canvas, "Ag", &body, &tw, &th);
    rowh = fmax(th, sw) + 3;
    maxh = s->view.fh * 0.55;
    per_col = (int)floor((maxh - 2 * gap) / rowh);
    if (per_col < 3)
        per_col = 3;
    ncols = (n + per_col - 1) / per_col;
    if (ncols > 8)
        ncols = 8;
    rows = (n + ncols - 1) / ncols;
    for (i = 0; i < n; i++) {
        im_text_measure(s->canvas, items[i].text, items[i].kind == IM_LEG_HEAD ? &head : &body, &tw, &th);
        tw += items[i].kind == IM_LEG_HEAD ? 0 : sw + gap;
        col = i / rows;
        if (col < 8 && tw > colw[col])
            colw[col] = tw;
    }
    w = gap;
    for (col = 0; col < ncols; col++)
        w += colw[col] + 2 * gap;
    h = rows * rowh + 2 * gap;
    im_corner_xy(s, m->legend, w, h, &x, &y);
    box.has_fill = 1;
    box.fill = (im_rgba){1, 1, 1, 0.88};
    box.has_stroke = 1;
    box.stroke = (im_rgba){0.6, 0.6, 0.6, 1};
    box.width = 0.8;
    box.opacity = 1;
    im_draw_rect(s->canvas, x, y, w, h, &box);
    im_labeler_add_obstacle(s->labels, x, y, w, h);
    {
        double cx = x + gap;
        for (col = 0; col < ncols; col++) {
            for (i = col * rows; i < (col + 1) * rows && i < n; i++) {
                double ry = y + gap + (i - col * rows) * rowh, mid = ry + rowh / 2;
                const im_leg_item *it = &items[i];
                if (it->kind == IM_LEG_HEAD) {
                    im_text_measure(s->canvas, it->text, &head, &tw, &th);
                    im_text_draw(s->canvas, it->text, &head, cx, mid - th / 2, 0, 0);
                    continue;
                }
                if (it->kind == IM_LEG_SYMBOL) {
                    im_draw_symbol(s->canvas, it->shape, cx + sw / 2, mid, it->shape == IM_SHAPE_BASE ? 13 : 11,
                                   it->color, im_white, 1);
                } else if (it->kind == IM_LEG_LINE) {
                    double lx[2] = {cx, cx + sw}, ly[2] = {mid, mid};
                    im_draw_path(s->canvas, lx, ly, 2, NULL, 1, 0, it->style);
                } else {
                    im_draw_rect(s->canvas, cx + 1, mid - 6, sw - 2, 12, it->style);
                }
                im_text_measure(s->canvas, it->text, &body, &tw, &th);
                im_text_draw(s->canvas, it->text, &body, cx + sw + gap, mid - th / 2, 0, 0);
            }
            cx += colw[col] + 2 * gap;
        }
    }
}

/* ---- scale bar and north arrow --------------------------------------- */

static void im_draw_scalebar(im_scene *s)
{
    im_view *v = &s->view;
    double cx = v->fx + v->fw / 2, cy = v->fy + v->fh / 2, probe = 100;
    double x[2] = {cx - probe / 2, cx + probe / 2}, y[2] = {cy, cy};
    double m_per_px, len_m, len_px, bx, by, w, h, tw, th, bar_h = 5;
    char label[64], half[64];
    im_text_style ts = im_ts(8, 0);
    im_style fill_dark = {0}, fill_light = {0}, box = {0};
    if (s->map->scalebar == IM_CORNER_NONE)
        return;
    /* ground distance of a short horizontal stretch through the centre */
    im_view_from_px(v, x, y, 2);
    im_geo_inv(s->geo, x, y, 2);
    if (x[0] == HUGE_VAL || x[1] == HUGE_VAL)
        return;
    m_per_px = im_geod_distance(x[0], y[0], x[1], y[1]) / probe;
    len_m = im_carto_scalebar_length(m_per_px, v->fw * 0.22, &len_px);
    if (len_m <= 0)
        return;
    im_carto_format_distance(len_m, label, sizeof label);
    im_carto_format_distance(len_m / 2, half, sizeof half);
    ts.halo.a = 0;
    im_text_measure(s->canvas, label, &ts, &tw, &th);
    w = len_px + tw + 16;
    h = bar_h + th + 14;
    im_corner_xy(s, s->map->scalebar, w, h, &bx, &by);
    box.has_fill = 1;
    box.fill = (im_rgba){1, 1, 1, 0.85};
    box.opacity = 1;
    im_draw_rect(s->canvas, bx, by, w, h, &box);
    im_labeler_add_obstacle(s->labels, bx, by, w, h);
    fill_dark.has_fill = 1;
    fill_dark.fill = im_ink;
    fill_dark.has_stroke = 1;
    fill_dark.stroke = im_ink;
    fill_dark.width = 0.8;
    fill_dark.opacity = 1;
    fill_light = fill_dark;
    fill_light.fill = im_white;
    {
        double x0 = bx + 6, y0 = by + 5 + th, q = len_px / 4;
        int k;
        for (k = 0; k < 4; k++)
            im_draw_rect(s->canvas, x0 + k * q, y0, q, bar_h, k % 2 ? &fill_light : &fill_dark);
        im_text_draw(s->canvas, "0", &ts, x0 - 3, by + 3, 0, 0);
        im_text_measure(s->canvas, half, &ts, &tw, &th);
        im_text_draw(s->canvas, half, &ts, x0 + len_px / 2 - tw / 2, by + 3, 0, 0);
        im_text_measure(s->canvas, label, &ts, &tw, &th);
        im_text_draw(s->canvas, label, &ts, x0 + len_px - tw / 2, by + 3, 0, 0);
    }
}

static void im_draw_north(im_scene *s)
{
    im_view *v = &s->view;
    double size = 34, bx, by, x = v->fx + v->fw / 2, y = v->fy + v->fh / 2, ang;
    im_text_style ts = im_ts(9, 1);
    if (s->map->north_arrow == IM_CORNER_NONE)
        return;
    im_view_from_px(v, &x, &y, 1);
    im_geo_inv(s->geo, &x, &y, 1);
    if (x == HUGE_VAL)
        return;
    ang = im_geo_north_angle(s->geo, x, y);
    im_corner_xy(s, s->map->north_arrow, size, size + 14, &bx, &by);
    im_labeler_add_obstacle(s->labels, bx - 4, by - 2, size + 8, size + 18);
    im_draw_north_arrow(s->canvas, bx + size / 2, by + 14 + size / 2, size * 0.9, ang, &ts);
}

int im_scene_draw_furniture(im_scene *s, im_diag *d)
{
    (void)d;
    im_draw_legend(s);
    im_draw_scalebar(s);
    im_draw_north(s);
    return 0;
}

/* ---- labels ----------------------------------------------------------- */

static void im_label_point(im_scene *s, const char *text, double x, double y, double r,
                           const im_text_style *ts)
{
    double tw, th, tx, ty;
    if (!text || !*text)
        return;
    im_text_measure(s->canvas, text, ts, &tw, &th);
    if (im_labeler_place_point(s->labels, x, y, r, tw, th, &tx, &ty) == 0)
        im_text_draw(s->canvas, text, ts, tx, ty, 0, 0);
}

/* Label a projected line (s->bx/by, N points) with TEXT set along it:
 * every stretch whose chord is as long as the text is a candidate, the
 * straightest first, on either side of the line. */
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

static void im_label_along(im_scene *s, int n, const char *text, const im_text_style *ts, double offset)
{
    double tw, th;
    im_stretch *cand;
    int k, nc = 0;
    im_text_measure(s->canvas, text, ts, &tw, &th);
    cand = malloc((size_t)(n > 0 ? n : 1) * sizeof *cand);
    if (!cand)
        return;
    for (k = 0; k + 1 < n; k++) {
        int j = k + 1;
        double len = 0, chord;
        if (!im_in_frame(s, s->bx[k], s->by[k]))
            continue;
        while (j < n && s->bx[j] != HUGE_VAL) {
            len += hypot(s->bx[j] - s->bx[j - 1], s->by[j] - s->by[j - 1]);
            if (hypot(s->bx[j] - s->bx[k], s->by[j] - s->by[k]) >= tw * 1.05)
                break;
            j++;
        }
        if (j >= n || s->bx[j] == HUGE_VAL || !im_in_frame(s, s->bx[j], s->by[j]))
            continue;
        chord = hypot(s->bx[j] - s->bx[k], s->by[j] - s->by[k]);
        cand[nc].i = k;
        cand[nc].j = j;
        cand[nc].score = chord / len; /* 1 = straight */
        nc++;
    }
    qsort(cand, (size_t)nc, sizeof *cand, im_stretch_cmp);
    for (k = 0; k < nc && cand[k].score > 0.75; k++) {
        int i = cand[k].i, j = cand[k].j, side;
        double ang = atan2(-(s->by[j] - s->by[i]), s->bx[j] - s->bx[i]);
        double mx = (s->bx[i] + s->bx[j]) / 2, my = (s->by[i] + s->by[j]) / 2;
        if (ang > M_PI / 2)
            ang -= M_PI;
        if (ang < -M_PI / 2)
            ang += M_PI;
        for (side = 0; side < 2; side++) {
            double ox, oy, box[4];
            /* above the line, or below it (offset past the text height) */
            im_carto_line_label(mx, my, ang, tw, th, side ? -(offset + th) : offset, &ox, &oy, box);
            if (im_labeler_free_at(s->labels, box[0], box[1], box[2], box[3])) {
                im_labeler_add_obstacle(s->labels, box[0], box[1], box[2], box[3]);
                im_text_draw(s->canvas, text, ts, ox, oy, ang, 0);
                free(cand);
                return;
            }
        }
    }
    free(cand);
}

void im_scene_draw_labels(im_scene *s)
{
    im_map *m = s->map;
    int i;
    /* by priority: bases, incidents (newest first), zones, lines */
    for (i = 0; i < m->nbases; i++) {
        im_text_style ts = im_ts(9, 1);
        double x, y;
        im_point_px(s, m->bases[i].at.lon, m->bases[i].at.lat, &x, &y);
        if (im_in_frame(s, x, y))
            im_label_point(s, m->bases[i].name, x, y, m->symbol_size * 0.65, &ts);
    }
    if (m->label_incidents && s->ninc <= 200) {
        im_text_style ts = im_ts(8.5, 0);
        for (i = s->ninc - 1; i >= 0; i--) {
            const im_incident *inc = &m->incidents[s->inc_idx[i]];
            char date[32];
            im_carto_format_date(inc->date, date, sizeof date);
            im_label_point(s, date, s->inc_x[i], s->inc_y[i], m->symbol_size * 0.6, &ts);
        }
    }
    for (i = 0; i < m->nzones; i++) {
        const im_zone *z = &m->zones[i];
        im_text_style ts = im_ts(9, 0);
        double x, y, tw, th, lon, lat;
        ts.italic = 1;
        ts.color = z->style.stroke;
        ts.color.r *= 0.7;
        ts.color.g *= 0.7;
        ts.color.b *= 0.7;
        if (!z->is_circle || !z->name)
            continue;
        /* just inside the top of the circle, else just outside it */
        im_geod_direct(z->center.lon, z->center.lat, 0, z->radius_km * 1000, &lon, &lat);
        im_point_px(s, lon, lat, &x, &y);
        im_text_measure(s->canvas, z->name, &ts, &tw, &th);
        if (im_in_frame(s, x, y) && im_labeler_free_at(s->labels, x - tw / 2, y + 3, tw, th)) {
            im_labeler_add_obstacle(s->labels, x - tw / 2, y + 3, tw, th);
            im_text_draw(s->canvas, z->name, &ts, x - tw / 2, y + 3, 0, 0);
        } else if (im_in_frame(s, x, y) && im_labeler_free_at(s->labels, x - tw / 2, y - 3 - th, tw, th)) {
            im_labeler_add_obstacle(s->labels, x - tw / 2, y - 3 - th, tw, th);
            im_text_draw(s->canvas, z->name, &ts, x - tw / 2, y - 3 - th, 0, 0);
        }
    }
    for (i = 0; i < m->nlines; i++) {
        const im_line *ln = &m->lines[i];
        im_text_style ts = im_ts(9, 1);
        ts.italic = 1;
        ts.color = ln->style.stroke;
        if (ln->npts < 2 || !ln->name || im_project_px(s, ln->pts, ln->npts) != 0)
            continue;
        im_label_along(s, ln->npts, ln->name, &ts, ln->style.width / 2 + 2);
    }
}

/* ---- title block ------------------------------------------------------ */

void im_scene_draw_titles(im_scene *s)
{
    im_map *m = s->map;
    im_text_style title = im_ts(17, 1), sub = im_ts(11, 0), credit = im_ts(7.5, 0);
    im_style frame = {0};
    double tw, th, y = IM_PAD;
    title.halo.a = sub.halo.a = credit.halo.a = 0;
    sub.color = (im_rgba){0.3, 0.3, 0.3, 1};
    credit.color = (im_rgba){0.35, 0.35, 0.35, 1};
    frame.has_stroke = 1;
    frame.stroke = (im_rgba){0.25, 0.25, 0.25, 1};
    frame.width = 1;
    frame.opacity = 1;
    im_draw_rect(s->canvas, s->view.fx, s->view.fy, s->view.fw, s->view.fh, &frame);
    if (m->title) {
        im_text_measure(s->canvas, m->title, &title, &tw, &th);
        im_text_draw(s->canvas, m->title, &title, s->view.fx, y, 0, 0);
        y += th;
    }
    if (m->subtitle) {
        im_text_measure(s->canvas, m->subtitle, &sub, &tw, &th);
        im_text_draw(s->canvas, m->subtitle, &sub, s->view.fx, y, 0, 0);
    }
    {
        const char *c = m->credit ? m->credit : "";
        double cy = s->view.fy + s->view.fh + 4;
        char right[256];
        if (*c)
            im_text_draw(s->canvas, c, &credit, s->view.fx, cy, 0, 0);
        snprintf(right, sizeof right, "Made with incimap \u00b7 base map: %s",
                 m->basemap_default ? "GSHHG, DCW (LGPL)" : "user layers");
        im_text_measure(s->canvas, right, &credit, &tw, &th);
        im_text_draw(s->canvas, right, &credit, s->view.fx + s->view.fw - tw, cy, 0, 0);
    }
    (void)im_halo;
}
