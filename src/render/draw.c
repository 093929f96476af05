/* Paths, rectangles and point symbols on a canvas. */
#include "render/canvas_priv.h"

#include <math.h>

static void im_apply_stroke(cairo_t *cr, const im_style *s)
{
    cairo_set_line_width(cr, s->width);
    if (s->ndash > 0)
        cairo_set_dash(cr, s->dash, s->ndash, 0);
    else
        cairo_set_dash(cr, NULL, 0, 0);
}

/* Fill and/or stroke the current path with S, honouring its opacity. */
static void im_paint_path(cairo_t *cr, const im_style *s)
{
    int group = s->opacity < 1.0 && s->has_fill && s->has_stroke;
    double alpha = s->opacity < 1.0 && !group ? s->opacity : 1.0;
    if (group)
        cairo_push_group(cr);
    if (s->has_fill) {
        im_rgba f = s->fill;
        f.a *= alpha;
        im_canvas_set_source(cr, f);
        if (s->has_stroke && s->width > 0)
            cairo_fill_preserve(cr);
        else
            cairo_fill(cr);
    }
    if (s->has_stroke && s->width > 0) {
        im_rgba k = s->stroke;
        k.a *= alpha;
        im_canvas_set_source(cr, k);
        im_apply_stroke(cr, s);
        cairo_stroke(cr);
    }
    cairo_new_path(cr);
    if (group) {
        cairo_pop_group_to_source(cr);
        cairo_paint_with_alpha(cr, s->opacity);
    }
}

void im_draw_rect(im_canvas *c, double x, double y, double w, double h, const im_style *s)
{
    cairo_rectangle(c->cr, x, y, w, h);
    im_paint_path(c->cr, s);
}

void im_draw_path(im_canvas *c, const double *x, const double *y, int npoints,
                  const int *part_start, int nparts, int closed, const im_style *s)
{
    cairo_t *cr = c->cr;
    int p, i;
    if (npoints <= 0)
        return;
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    for (p = 0; p < nparts; p++) {
        int start = part_start ? part_start[p] : 0;
        int end = part_start && p + 1 < nparts ? part_start[p + 1] : npoints;
        int moved = 0;
        for (i = start; i < end; i++) {
            if (x[i] == HUGE_VAL || y[i] == HUGE_VAL) {
                moved = 0; /* a point PROJ could not place breaks the line */
                continue;
            }
            if (!moved) {
                cairo_move_to(cr, x[i], y[i]);
                moved = 1;
            } else {
                cairo_line_to(cr, x[i], y[i]);
            }
        }
        if (closed && moved)
            cairo_close_path(cr);
    }
    if (!closed) {
        im_style open = *s;
        open.has_fill = 0;
        im_paint_path(cr, &open);
    } else {
        im_paint_path(cr, s);
    }
}

/* Add the outline of SHAPE of diameter SIZE at x, y to the current path. */
static void im_symbol_path(cairo_t *cr, im_shape_kind shape, double x, double y, double size)
{
    double r = size / 2;
    int i;
    switch (shape) {
    case IM_SHAPE_CIRCLE:
    case IM_SHAPE_DOT:
        cairo_new_sub_path(cr);
        cairo_arc(cr, x, y, r, 0, 2 * M_PI);
        break;
    case IM_SHAPE_TRIANGLE:
        /* equal area to the circle looks balanced: a slightly larger triangle */
        r *= 1.25;
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x + r * 0.866, y + r * 0.5);
        cairo_line_to(cr, x - r * 0.866, y + r * 0.5);
        cairo_close_path(cr);
        break;
    case IM_SHAPE_SQUARE:
        r *= 0.886;
        cairo_rectangle(cr, x - r, y - r, 2 * r, 2 * r);
        break;
    case IM_SHAPE_DIAMOND:
        r *= 1.2;
        cairo_move_to(cr, x, y - r);
        cairo_line_to(cr, x + r * 0.8, y);
        cairo_line_to(cr, x, y + r);
        cairo_line_to(cr, x - r * 0.8, y);
        cairo_close_path(cr);
        break;
    case IM_SHAPE_STAR:
        r *= 1.3;
        for (i = 0; i < 10; i++) {
            double a = -M_PI / 2 + i * M_PI / 5, rr = i % 2 ? r * 0.45 : r;
            if (i == 0)
                cairo_move_to(cr, x + rr * cos(a), y + rr * sin(a));
            else
                cairo_line_to(cr, x + rr * cos(a), y + rr * sin(a));
        }
        cairo_close_path(cr);
        break;
    case IM_SHAPE_CROSS: {
        double t = r * 0.36;
        r *= 1.1;
        cairo_move_to(cr, x - t, y - r);
        cairo_line_to(cr, x + t, y - r);
        cairo_line_to(cr, x + t, y - t);
        cairo_line_to(cr, x + r, y - t);
        cairo_line_to(cr, x + r, y + t);
        cairo_line_to(cr, x + t, y + t);
        cairo_line_to(cr, x + t, y + r);
        cairo_line_to(cr, x - t, y + r);
        cairo_line_to(cr, x - t, y + t);
        cairo_line_to(cr, x - r, y + t);
        cairo_line_to(cr, x - r, y - t);
        cairo_line_to(cr, x - t, y - t);
        cairo_close_path(cr);
        break;
    }
    case IM_SHAPE_BASE:
        r *= 0.9;
        cairo_rectangle(cr, x - r, y - r, 2 * r, 2 * r);
        break;
    }
}

void im_draw_symbol(im_canvas *c, im_shape_kind shape, double x, double y, double size,
                    im_rgba fill, im_rgba stroke, double stroke_width)
{
    cairo_t *cr = c->cr;
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    im_symbol_path(cr, shape, x, y, size);
    im_canvas_set_source(cr, fill);
    if (stroke_width > 0 && stroke.a > 0) {
        cairo_fill_preserve(cr);
        im_canvas_set_source(cr, stroke);
        cairo_set_line_width(cr, stroke_width);
        cairo_stroke(cr);
    } else {
        cairo_fill(cr);
    }
    if (shape == IM_SHAPE_BASE) {
        /* a small white flag inside the square marks a base */
        double r = size / 2 * 0.9;
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, size * 0.08);
        cairo_move_to(cr, x - r * 0.45, y + r * 0.6);
        cairo_line_to(cr, x - r * 0.45, y - r * 0.6);
        cairo_stroke(cr);
        cairo_move_to(cr, x - r * 0.45, y - r * 0.6);
        cairo_line_to(cr, x + r * 0.55, y - r * 0.3);
        cairo_line_to(cr, x - r * 0.45, y);
        cairo_close_path(cr);
        cairo_fill(cr);
    }
}

void im_draw_symbols(im_canvas *c, im_shape_kind shape, const double *x, const double *y,
                     size_t n, double size, im_rgba fill, im_rgba stroke, double stroke_width)
{
    cairo_t *cr = c->cr;
    size_t i;
    if (n == 0)
        return;
    if (c->opts.format == IM_FORMAT_PNG && n > 64) {
        /* Raster fast path: rasterise the symbol once at each of 4x4
         * sub-pixel phases and paint it as an image, instead of
         * tessellating an arc per point. */
        double dev = c->scale;
        int half = (int)ceil((size * 1.4 + stroke_width) * dev / 2) + 2, side = 2 * half;
        cairo_surface_t *sprites[16];
        int k;
        for (k = 0; k < 16; k++) {
            cairo_t *sc;
            sprites[k] = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, side, side);
            sc = cairo_create(sprites[k]);
            cairo_translate(sc, half + (k % 4) / 4.0, half + (k / 4) / 4.0);
            cairo_scale(sc, dev, dev);
            im_symbol_path(sc, shape, 0, 0, size);
            im_canvas_set_source(sc, fill);
            if (stroke_width > 0 && stroke.a > 0) {
                cairo_fill_preserve(sc);
                im_canvas_set_source(sc, stroke);
                cairo_set_line_width(sc, stroke_width);
                cairo_stroke(sc);
            } else {
                cairo_fill(sc);
            }
            cairo_destroy(sc);
        }
        cairo_save(cr);
        cairo_identity_matrix(cr);
        for (i = 0; i < n; i++) {
            double dx, dy, fx, fy;
            int ix, iy;
            if (x[i] == HUGE_VAL)
                continue;
            dx = x[i] * dev;
            dy = y[i] * dev;
            fx = floor(dx);
            fy = floor(dy);
            ix = (int)((dx - fx) * 4);
            iy = (int)((dy - fy) * 4);
            cairo_set_source_surface(cr, sprites[iy * 4 + ix], fx - half, fy - half);
            cairo_rectangle(cr, fx - half, fy - half, side, side);
            cairo_fill(cr);
        }
        cairo_restore(cr);
        for (k = 0; k < 16; k++)
            cairo_surface_destroy(sprites[k]);
        return;
    }
    for (i = 0; i < n; i++) {
        if (x[i] == HUGE_VAL)
            continue;
        im_draw_symbol(c, shape, x[i], y[i], size, fill, stroke, stroke_width);
    }
}

void im_draw_north_arrow(im_canvas *c, double x, double y, double size, double angle,
                         const im_text_style *ts)
{
    cairo_t *cr = c->cr;
    double h = size / 2, w = size * 0.22, tw, th;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, -angle);
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_line_width(cr, 1);
    /* left half dark, right half light: the classic two-tone arrow */
    cairo_move_to(cr, 0, -h);
    cairo_line_to(cr, -w, h * 0.55);
    cairo_line_to(cr, 0, h * 0.25);
    cairo_close_path(cr);
    im_canvas_set_source(cr, ts->color);
    cairo_fill_preserve(cr);
    cairo_stroke(cr);
    cairo_move_to(cr, 0, -h);
    cairo_line_to(cr, w, h * 0.55);
    cairo_line_to(cr, 0, h * 0.25);
    cairo_close_path(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_fill_preserve(cr);
    im_canvas_set_source(cr, ts->color);
    cairo_stroke(cr);
    cairo_restore(cr);
    /* the N stays upright, just beyond the tip */
    im_text_measure(c, "N", ts, &tw, &th);
    im_text_draw(c, "N", ts, x + sin(-angle) * (h + th * 0.6) - tw / 2,
                 y - cos(angle) * (h + th * 0.6) - th / 2, 0, 0);
}
