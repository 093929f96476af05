/* The legend: built from what the map draws (only the incident classes and
 * colours of incidents in the frame, the bases, lines and zones that show),
 * measured for the layout, split into columns when long, and drawn in the
 * box the layout planned for it. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/scene.h"
#include "data/data.h"

#define IM_LEG_SW 18.0  /* swatch width */
#define IM_LEG_GAP 6.0

static im_leg_item *im_leg_add(im_scene *s, im_leg_kind kind, const char *text)
{
    im_leg_item *it;
    if (s->nlegend >= IM_LEGEND_MAX)
        return NULL;
    it = &s->legend[s->nlegend++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    snprintf(it->text, sizeof it->text, "%s", text);
    return it;
}

/* "event_type" -> "Event type": a field name as a heading. */
static void im_heading(const char *field, const char *dflt, char *buf, size_t size)
{
    size_t i;
    if (!field || !*field) {
        snprintf(buf, size, "%s", dflt);
        return;
    }
    snprintf(buf, size, "%s", field);
    for (i = 0; buf[i]; i++)
        if (buf[i] == '_')
            buf[i] = ' ';
    buf[0] = (char)toupper((unsigned char)buf[0]);
}

static int im_zone_shows(im_scene *s, const im_zone *z)
{
    double x, y;
    int i;
    if (z->is_circle) {
        /* the circle's box overlaps the frame */
        double r = 0, lon, lat, px, py;
        x = z->center.lon;
        y = z->center.lat;
        im_scene_point_px(s, x, y, &x, &y);
        im_geod_direct(z->center.lon, z->center.lat, 0, z->radius_km * 1000, &lon, &lat);
        px = lon;
        py = lat;
        im_scene_point_px(s, px, py, &px, &py);
        if (x == HUGE_VAL || px == HUGE_VAL)
            return 0;
        r = hypot(px - x, py - y);
        return x + r > s->view.fx && x - r < s->view.fx + s->view.fw && y + r > s->view.fy &&
               y - r < s->view.fy + s->view.fh;
    }
    for (i = 0; i < z->nring; i++) {
        x = z->ring[i].lon;
        y = z->ring[i].lat;
        im_scene_point_px(s, x, y, &x, &y);
        if (im_scene_in_frame(s, x, y))
            return 1;
    }
    return 0;
}

static int im_line_shows(im_scene *s, const im_line *ln)
{
    int i;
    for (i = 0; i < ln->npts; i++) {
        double x = ln->pts[i].lon, y = ln->pts[i].lat;
        im_scene_point_px(s, x, y, &x, &y);
        if (im_scene_in_frame(s, x, y))
            return 1;
    }
    return 0;
}

static int im_base_shows(im_scene *s)
{
    int i;
    for (i = 0; i < s->map->nbases; i++) {
        double x = s->map->bases[i].at.lon, y = s->map->bases[i].at.lat;
        im_scene_point_px(s, x, y, &x, &y);
        if (im_scene_in_frame(s, x, y))
            return 1;
    }
    return 0;
}

/* A round number of fatalities between LO and HI for a size row. */
static double im_round_value(double v)
{
    double p;
    if (v <= 1)
        return 1;
    p = pow(10, floor(log10(v)));
    if (v >= 5 * p)
        return 5 * p;
    if (v >= 2 * p)
        return 2 * p;
    return p;
}

static void im_legend_rows(im_scene *s)
{
    im_map *m = s->map;
    const im_theme *th = &m->theme;
    im_leg_item *it;
    char head[96];
    int i, ncolors;
    im_rgba neutral = th->muted;
    s->nlegend = 0;
    if (s->ninc > 0) {
        /* one colour only: the shapes take it, and no colour rows */
        ncolors = s->actors.nactors + (s->actors.other_count > 0);
        if (ncolors == 1)
            neutral = s->actors.nactors ? s->actors.colors[0] : s->actors.other;
        im_heading(m->nsymbol_classes > 0 && m->symbol_by && strcmp(m->symbol_by, "type") != 0 ? m->symbol_by
                                                                                             : NULL,
                   "Incidents", head, sizeof head);
        im_leg_add(s, IM_LEG_HEAD, head);
        for (i = 0; i < IM_ITYPE_COUNT; i++) {
            const char *name;
            int shape;
            if (!s->classes_present[i])
                continue;
            if (m->nsymbol_classes > 0) {
                if (i >= m->nsymbol_classes)
                    continue;
                name = m->symbol_classes[i].name;
                shape = m->symbol_classes[i].shape;
            } else {
                name = im_incident_type_name((im_incident_type)i);
                shape = (int)im_carto_type_shape((im_incident_type)i);
            }
            if (!(it = im_leg_add(s, IM_LEG_SYMBOL, name)))
                return;
            it->shape = shape;
            it->color = neutral;
            it->size = 11;
        }
        if (s->any_badge) {
            /* right under the shapes: a symbol standing for several */
            if (!(it = im_leg_add(s, IM_LEG_BADGE, "Several incidents (count)")))
                return;
            it->shape = IM_SHAPE_CIRCLE;
            it->color = neutral;
            it->size = 11;
        }
        if (ncolors > 1 || (s->actors.nactors == 1 && s->actors.names[0][0])) {
            im_heading(m->color_by, "Actor", head, sizeof head);
            im_leg_add(s, IM_LEG_HEAD, head);
            for (i = 0; i < s->actors.nactors; i++) {
                if (!(it = im_leg_add(s, IM_LEG_SYMBOL, s->actors.names[i])))
                    return;
                it->shape = IM_SHAPE_CIRCLE;
                it->color = s->actors.colors[i];
                it->size = 11;
            }
            if (s->actors.other_count > 0) {
                if (!(it = im_leg_add(s, IM_LEG_SYMBOL, "Other or unknown")))
                    return;
                it->shape = IM_SHAPE_CIRCLE;
                it->color = s->actors.other;
                it->size = 11;
            }
        }
        if (s->size_max > 0 && s->size_max > s->size_min && s->size_k > 0) {
            double vals[3], dmin = 0.5 * m->symbol_size;
            int nv = 0, k;
            im_heading(m->size_by, "Size", head, sizeof head);
            im_leg_add(s, IM_LEG_HEAD, head);
            vals[nv++] = im_round_value(s->size_min);
            if (im_round_value(sqrt(s->size_min * s->size_max)) > vals[0])
                vals[nv++] = im_round_value(sqrt(s->size_min * s->size_max));
            if (im_round_value(s->size_max) > vals[nv - 1])
                vals[nv++] = im_round_value(s->size_max);
            for (k = 0; k < nv; k++) {
                char t[32];
                snprintf(t, sizeof t, "%g", vals[k]);
                if (!(it = im_leg_add(s, IM_LEG_SIZE, t)))
                    return;
                it->shape = IM_SHAPE_CIRCLE;
                it->color = neutral;
                it->size = fmax(dmin, s->size_k * sqrt(vals[k]));
            }
        }
        if (s->any_hollow || s->any_ring)
            im_leg_add(s, IM_LEG_HEAD, "Location");
        if (s->any_hollow) {
            if (!(it = im_leg_add(s, IM_LEG_HOLLOW, "Location approximate")))
                return;
            it->shape = IM_SHAPE_CIRCLE;
            it->color = neutral;
            it->size = 11;
        }
        if (s->any_ring) {
            char t[96];
            snprintf(t, sizeof t, "Known to within %g km", IM_UNCERTAINTY_RING_KM);
            if (!(it = im_leg_add(s, IM_LEG_RING, t)))
                return;
            it->color = neutral;
            it->size = 11;
        }
    }
    {
        int bases = im_base_shows(s), lines = 0, zones = 0;
        for (i = 0; i < m->nlines; i++)
            lines += im_line_shows(s, &m->lines[i]);
        for (i = 0; i < m->nzones; i++)
            zones += im_zone_shows(s, &m->zones[i]);
        if (bases || lines || zones)
            im_leg_add(s, IM_LEG_HEAD, "Positions");
        if (bases && (it = im_leg_add(s, IM_LEG_BASE, "Military base"))) {
            it->shape = IM_SHAPE_BASE;
            it->color = th->base;
            it->size = 13;
        }
        for (i = 0; i < m->nlines; i++) {
            if (!im_line_shows(s, &m->lines[i]))
                continue;
            if (!(it = im_leg_add(s, IM_LEG_LINE, m->lines[i].name)))
                return;
            it->style = &m->lines[i].style;
        }
        for (i = 0; i < m->nzones; i++) {
            char t[160];
            const im_zone *z = &m->zones[i];
            if (!im_zone_shows(s, z))
                continue;
            if (z->is_circle) {
                /* the radius on the first line: after a second line in
                 * Arabic, bidi would turn "(55 km)" into "(km 55)" */
                const char *nl = strchr(z->name, '\n');
                if (nl)
                    snprintf(t, sizeof t, "%.*s (%g km)%s", (int)(nl - z->name), z->name, z->radius_km, nl);
                else
                    snprintf(t, sizeof t, "%s (%g km)", z->name, z->radius_km);
            } else {
                snprintf(t, sizeof t, "%s", z->name);
            }
            if (!(it = im_leg_add(s, IM_LEG_ZONE, t)))
                return;
            it->style = &z->style;
        }
    }
}

static im_text_style im_leg_text(const im_scene *s, int head)
{
    im_text_style t = im_scene_text(s, head ? 9 : 8.5, head);
    t.halo.a = 0;
    t.wrap = s->legend_wrap;
    return t;
}

/* Each row's height (H) and width (TW, swatch included) at the current
 * wrap width. */
static void im_leg_measure(im_scene *s, double *hs, int *heads, double *tws)
{
    int i;
    for (i = 0; i < s->nlegend; i++) {
        im_leg_item *it = &s->legend[i];
        im_text_style ts = im_leg_text(s, it->kind == IM_LEG_HEAD);
        double tw, th, sw = IM_LEG_SW;
        im_text_measure(s->canvas, it->text, &ts, &tw, &th);
        it->h = fmax(th, it->kind == IM_LEG_SIZE ? it->size + 2 : 14) + 3;
        if (it->kind == IM_LEG_HEAD && i > 0)
            it->h += 3; /* a little air above each group */
        if (it->kind == IM_LEG_SIZE)
            sw = fmax(sw, it->size);
        if (it->kind != IM_LEG_HEAD)
            tw += sw + IM_LEG_GAP;
        hs[i] = it->h;
        heads[i] = it->kind == IM_LEG_HEAD;
        tws[i] = tw;
    }
}

/* Split the rows into columns (WANT of them, or as many as MAX_H asks
 * when WANT is 0); the legend's size in *W, *H. */
static void im_leg_split(im_scene *s, const double *hs, const int *heads, const double *tws, double max_h,
                         int want, double *w, double *h)
{
    double colh[8] = {0};
    int col_of[IM_LEGEND_MAX], i, c;
    memset(s->legend_colw, 0, sizeof s->legend_colw);
    s->legend_ncols = im_legend_columns(hs, heads, s->nlegend, max_h - 2 * IM_LEG_GAP, want, col_of);
    for (i = 0; i < s->nlegend; i++) {
        im_leg_item *it = &s->legend[i];
        it->col = col_of[i];
        s->legend_colw[it->col] = fmax(s->legend_colw[it->col], tws[i]);
        colh[it->col] += it->h;
    }
    *w = IM_LEG_GAP;
    *h = 0;
    for (c = 0; c < s->legend_ncols; c++) {
        *w += s->legend_colw[c] + 2 * IM_LEG_GAP;
        *h = fmax(*h, colh[c]);
    }
    *h += 2 * IM_LEG_GAP;
}

void im_scene_legend_build(im_scene *s, double max_h, double max_w, int by_width, double *w, double *h)
{
    double hs[IM_LEGEND_MAX], tws[IM_LEGEND_MAX];
    int heads[IM_LEGEND_MAX], want = s->map->legend_columns, k;
    *w = *h = 0;
    s->legend_ncols = 0;
    s->legend_wrap = 0;
    memset(s->legend_colw, 0, sizeof s->legend_colw);
    if (s->map->legend == IM_CORNER_NONE)
        return;
    im_legend_rows(s);
    if (s->nlegend == 0)
        return;
    im_leg_measure(s, hs, heads, tws);
    if (by_width && want <= 0) {
        /* below the frame: as many columns as the width takes, so the
         * legend is as short as it can be */
        for (k = 8; k >= 1; k--) {
            im_leg_split(s, hs, heads, tws, HUGE_VAL, k, w, h);
            if (*w <= max_w)
                return;
        }
    } else {
        im_leg_split(s, hs, heads, tws, max_h, want, w, h);
    }
    if (max_w > 0 && *w > max_w) {
        /* still too wide (long names, or the columns asked for): wrap the
         * text to share the width out among the columns */
        int n = s->legend_ncols;
        s->legend_wrap = fmax(40, (max_w - IM_LEG_GAP) / n - 2 * IM_LEG_GAP - IM_LEG_SW - IM_LEG_GAP);
        im_leg_measure(s, hs, heads, tws);
        im_leg_split(s, hs, heads, tws, by_width ? HUGE_VAL : max_h, n, w, h);
    }
}

void im_scene_legend_draw(im_scene *s)
{
    const im_furn *f = &s->furn[IM_FURN_LEGEND];
    const im_theme *th = &s->map->theme;
    im_style box;
    im_rgba line = th->symbol_line;
    double cx, y[8], tw, tht;
    int i, c, outside;
    if (f->corner == IM_CORNER_NONE || s->nlegend == 0 || f->w <= 0)
        return;
    outside = f->placed == IM_CORNER_OUTSIDE_RIGHT || f->placed == IM_CORNER_OUTSIDE_BOTTOM;
    if (outside)
        im_canvas_clip(s->canvas, NULL); /* beside the frame: no clip */
    memset(&box, 0, sizeof box);
    box.has_fill = 1;
    box.fill = th->panel;
    box.has_stroke = 1;
    box.stroke = th->panel_line;
    box.width = 0.8;
    box.opacity = 1;
    im_draw_rect(s->canvas, f->x, f->y, f->w, f->h, &box);
    for (c = 0; c < 8; c++)
        y[c] = f->y + IM_LEG_GAP;
    for (i = 0; i < s->nlegend; i++) {
        const im_leg_item *it = &s->legend[i];
        im_text_style ts = im_leg_text(s, it->kind == IM_LEG_HEAD);
        double mid, sw = IM_LEG_SW;
        cx = f->x + IM_LEG_GAP;
        for (c = 0; c < it->col; c++)
            cx += s->legend_colw[c] + 2 * IM_LEG_GAP;
        if (it->kind == IM_LEG_HEAD && i > 0 && y[it->col] == f->y + IM_LEG_GAP) {
            /* a group heading that opens a column needs no air above it:
             * level with the first column's */
            mid = y[it->col] + (it->h - 3) / 2;
            y[it->col] += it->h - 3;
        } else {
            mid = y[it->col] + it->h / 2 + (it->kind == IM_LEG_HEAD && i > 0 ? 1.5 : 0);
            y[it->col] += it->h;
        }
        im_text_measure(s->canvas, it->text, &ts, &tw, &tht);
        if (it->kind == IM_LEG_HEAD) {
            im_text_draw(s->canvas, it->text, &ts, cx, mid - tht / 2, 0, 0);
            continue;
        }
        if (it->kind == IM_LEG_SIZE)
            sw = fmax(sw, it->size);
        switch (it->kind) {
        case IM_LEG_SYMBOL:
        case IM_LEG_SIZE:
        case IM_LEG_BASE:
            im_draw_symbol(s->canvas, (im_shape_kind)it->shape, cx + sw / 2, mid, it->size, it->color,
                           it->kind == IM_LEG_BASE ? (im_rgba){1, 1, 1, 1} : line, 1);
            break;
        case IM_LEG_BADGE: {
            im_text_style bt = im_scene_text(s, 6.5, 1);
            double bw, bh;
            im_rgba ring = th->halo;
            ring.a = 1;
            im_draw_symbol(s->canvas, IM_SHAPE_CIRCLE, cx + sw / 2 - 2, mid + 1, it->size, it->color, line, 1);
            im_draw_symbol(s->canvas, IM_SHAPE_CIRCLE, cx + sw / 2 + 3.5, mid - 4, 10, th->text, ring, 1);
            bt.color = ring;
            bt.halo.a = 0;
            im_text_measure(s->canvas, "2", &bt, &bw, &bh);
            im_text_draw(s->canvas, "2", &bt, cx + sw / 2 + 3.5 - bw / 2, mid - 4 - bh / 2, 0, 0);
            break;
        }
        case IM_LEG_HOLLOW:
            im_draw_symbol(s->canvas, (im_shape_kind)it->shape, cx + sw / 2, mid, it->size * 0.92, th->paper,
                           it->color, 2);
            break;
        case IM_LEG_RING: {
            im_style ring;
            memset(&ring, 0, sizeof ring);
            ring.has_stroke = 1;
            ring.stroke = it->color;
            ring.width = 1;
            ring.dash[0] = 3;
            ring.dash[1] = 2;
            ring.ndash = 2;
            ring.opacity = 1;
            {
                double rx[25], ry[25];
                int k;
                for (k = 0; k < 24; k++) {
                    rx[k] = cx + sw / 2 + 7 * cos(k * M_PI / 12);
                    ry[k] = mid + 7 * sin(k * M_PI / 12);
                }
                im_draw_path(s->canvas, rx, ry, 24, NULL, 1, 1, &ring);
            }
            break;
        }
        case IM_LEG_LINE: {
            double lx[2] = {cx, cx + sw}, ly[2] = {mid, mid};
            im_draw_path(s->canvas, lx, ly, 2, NULL, 1, 0, it->style);
            break;
        }
        case IM_LEG_ZONE:
            im_draw_rect(s->canvas, cx + 1, mid - 6, sw - 2, 12, it->style);
            break;
        default:
            break;
        }
        im_text_draw(s->canvas, it->text, &ts, cx + sw + IM_LEG_GAP, mid - tht / 2, 0, 0);
    }
    if (outside) {
        double frame[4] = {s->view.fx, s->view.fy, s->view.fw, s->view.fh};
        im_canvas_clip(s->canvas, frame);
    }
}
