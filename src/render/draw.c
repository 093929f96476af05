/* Paths, rectangles and point symbols on a canvas. */
#include "core/threads.h"
#include "render/canvas_priv.h"
#include "core/util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* Grow the canvas scratch buffers to N points. */
static int im_scratch(im_canvas *c, size_t n)
{
    return im_grow_xy(&c->sx, &c->sy, &c->scap, n);
}

/* Cohen-Sutherland region code of a point against rectangle R
 * (x0, y0, x1, y1). */
static int im_outcode(const double *r, double x, double y)
{
    return (x < r[0]) | (x > r[2]) << 1 | (y < r[1]) << 2 | (y > r[3]) << 3;
}

/* Clip one ring against one edge of R (Sutherland-Hodgman).  EDGE 0..3 =
 * left, right, top, bottom.  Reads in[0..n), writes out, returns count. */
static int im_clip_edge(const double *r, int edge, const double *ix, const double *iy, int n,
                        double *ox, double *oy)
{
    int i, k = 0;
    for (i = 0; i < n; i++) {
        double ax = ix[(i + n - 1) % n], ay = iy[(i + n - 1) % n], bx = ix[i], by = iy[i];
        double va, vb, lim;
        int ina, inb;
        switch (edge) {
        case 0: va = ax; vb = bx; lim = r[0]; ina = va >= lim; inb = vb >= lim; break;
        case 1: va = ax; vb = bx; lim = r[2]; ina = va <= lim; inb = vb <= lim; break;
        case 2: va = ay; vb = by; lim = r[1]; ina = va >= lim; inb = vb >= lim; break;
        default: va = ay; vb = by; lim = r[3]; ina = va <= lim; inb = vb <= lim; break;
        }
        if (ina != inb) {
            double t = (lim - va) / (vb - va);
            ox[k] = ax + t * (bx - ax);
            oy[k] = ay + t * (by - ay);
            k++;
        }
        if (inb) {
            ox[k] = bx;
            oy[k] = by;
            k++;
        }
    }
    return k;
}

/* Minimum distance, in CSS px, between consecutive vertices sent to
 * Cairo: closer ones are invisible at any output resolution we make. */
#define IM_DECIMATE 0.15

/* Add ring X/Y[start..end) to the path, clipped to R when given. */
static void im_add_ring(im_canvas *c, const double *r, const double *x, const double *y, int start,
                        int end)
{
    cairo_t *cr = c->cr;
    int n = 0, i, e;
    double *ax, *ay, *bx, *by, lx = HUGE_VAL, ly = HUGE_VAL;
    size_t need = (size_t)(end - start) * 2 + 16;
    if (im_scratch(c, need * 2) != 0)
        return;
    ax = c->sx;
    ay = c->sy;
    bx = c->sx + need;
    by = c->sy + need;
    for (i = start; i < end; i++) {
        if (x[i] == HUGE_VAL)
            continue;
        if (fabs(x[i] - lx) < IM_DECIMATE && fabs(y[i] - ly) < IM_DECIMATE)
            continue;
        ax[n] = lx = x[i];
        ay[n] = ly = y[i];
        n++;
    }
    if (r) {
        for (e = 0; e < 4 && n > 0; e++) {
            double *tx, *ty;
            n = im_clip_edge(r, e, ax, ay, n, bx, by);
            tx = ax; ty = ay;
            ax = bx; ay = by;
            bx = tx; by = ty;
        }
    }
    if (n < 3)
        return;
    cairo_move_to(cr, ax[0], ay[0]);
    for (i = 1; i < n; i++)
        cairo_line_to(cr, ax[i], ay[i]);
    cairo_close_path(cr);
}

/* Add a polyline to the path, leaving out segments wholly outside R and
 * vertices too close to draw. */
static void im_add_polyline(im_canvas *c, const double *r, const double *x, const double *y, int start,
                            int end)
{
    cairo_t *cr = c->cr;
    int i, pen = 0, prev = -1, prevcode = 0;
    double lx = HUGE_VAL, ly = HUGE_VAL;
    for (i = start; i < end; i++) {
        int code;
        if (x[i] == HUGE_VAL) {
            pen = 0; /* a point PROJ could not place breaks the line */
            prev = -1;
            continue;
        }
        code = r ? im_outcode(r, x[i], y[i]) : 0;
        if (prev < 0) {
            prev = i;
            prevcode = code;
            continue;
        }
        if (code & prevcode) {
            pen = 0; /* the segment lies wholly on one side outside */
        } else {
            if (!pen) {
                cairo_move_to(cr, x[prev], y[prev]);
                lx = x[prev];
                ly = y[prev];
                pen = 1;
            }
            if (fabs(x[i] - lx) >= IM_DECIMATE || fabs(y[i] - ly) >= IM_DECIMATE || i + 1 == end) {
                cairo_line_to(cr, x[i], y[i]);
                lx = x[i];
                ly = y[i];
            }
        }
        prev = i;
        prevcode = code;
    }
}

void im_draw_path(im_canvas *c, const double *x, const double *y, int npoints,
                  const int *part_start, int nparts, int closed, const im_style *s)
{
    double rect[4], *r = NULL;
    int p;
    if (npoints <= 0)
        return;
    if (c->has_clip) {
        /* cut a little outside the visible frame so strokes at the
         * edge still look continuous */
        double m = s->width + 4;
        rect[0] = c->clip[0] - m;
        rect[1] = c->clip[1] - m;
        rect[2] = c->clip[0] + c->clip[2] + m;
        rect[3] = c->clip[1] + c->clip[3] + m;
        r = rect;
    }
    cairo_set_fill_rule(c->cr, CAIRO_FILL_RULE_EVEN_ODD);
    for (p = 0; p < nparts; p++) {
        int start = part_start ? part_start[p] : 0;
        int end = part_start && p + 1 < nparts ? part_start[p + 1] : npoints;
        if (closed)
            im_add_ring(c, r, x, y, start, end);
        else
            im_add_polyline(c, r, x, y, start, end);
    }
    if (!closed) {
        im_style open = *s;
        open.has_fill = 0;
        im_paint_path(c->cr, &open);
    } else {
        im_paint_path(c->cr, s);
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

/* SHAPE at X, Y filled, then outlined when STROKE_WIDTH and STROKE say so:
 * a symbol as drawn on the canvas and into the sprites of a stamp. */
static void im_symbol_paint(cairo_t *cr, im_shape_kind shape, double x, double y, double size, im_rgba fill,
                            im_rgba stroke, double stroke_width)
{
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
}

void im_draw_symbol(im_canvas *c, im_shape_kind shape, double x, double y, double size,
                    im_rgba fill, im_rgba stroke, double stroke_width)
{
    cairo_t *cr = c->cr;
    cairo_set_dash(cr, NULL, 0, 0);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    im_symbol_paint(cr, shape, x, y, size, fill, stroke, stroke_width);
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

/* One symbol rasterised by Cairo at one sub-pixel phase, premultiplied
 * ARGB, with the span of each row that is not transparent. */
typedef struct im_sprite {
    uint32_t *px;
    int *from, *to;     /* per row: first and one past the last visible column */
} im_sprite;

/* Sprite row SRC OVER image row DST, N pixels: DST = SRC + DST * (255 -
 * alpha of SRC) / 255 per channel, rounded as pixman rounds.  Exact as
 * well for the opaque pixels (a copy) and the transparent ones (DST kept),
 * so a row takes one loop without branches that the compiler turns into
 * vector instructions. */
static inline void im_stamp_row(uint32_t *restrict dst, const uint32_t *restrict src, int n)
{
    int i;
    for (i = 0; i < n; i++) {
        uint32_t p = src[i], x = dst[i], a = 255 - (p >> 24);
        uint32_t rb = (x & 0xff00ffu) * a + 0x800080u;
        uint32_t ag = ((x >> 8) & 0xff00ffu) * a + 0x800080u;
        rb = ((rb + ((rb >> 8) & 0xff00ffu)) >> 8) & 0xff00ffu;
        ag = (ag + ((ag >> 8) & 0xff00ffu)) & 0xff00ff00u;
        dst[i] = p + (rb | ag);
    }
}

/* Composite sprite SP (SIDE x SIDE) OVER the image at X0, Y0, inside the
 * device-pixel box CX0..CX1 x CY0..CY1.  Made twice, for CPUs with AVX2
 * and for the others, and chosen once per stamp. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(INCIMAP_SANITIZE)
__attribute__((target_clones("avx2", "default")))
#endif
static void im_stamp(unsigned char *data, int stride, const im_sprite *sp, int side, int x0, int y0,
                     int cx0, int cy0, int cx1, int cy1)
{
    int r, lo = cx0 - x0, hi = cx1 - x0;
    for (r = 0; r < side; r++) {
        int y = y0 + r, from = sp->from[r] > lo ? sp->from[r] : lo, to = sp->to[r] < hi ? sp->to[r] : hi;
        if (y < cy0 || y >= cy1 || from >= to)
            continue;
        im_stamp_row((uint32_t *)(void *)(data + (size_t)y * (size_t)stride) + x0 + from,
                     sp->px + (size_t)r * (size_t)side + from, to - from);
    }
}

/* Where one stamp goes: its top-left pixel and sprite (sub-pixel phase). */
typedef struct im_stamp_at {
    int16_t x0, y0;
    uint8_t k;
} im_stamp_at;

/* Where stamp X, Y (CSS px times DEV) goes: AT.  0 when nothing of it can
 * show in the box CX0..CX1 x CY0..CY1. */
static int im_stamp_place(double x, double y, double dev, int half, int cx0, int cy0, int cx1, int cy1,
                          im_stamp_at *at)
{
    double dx, dy, fx, fy;
    if (x == HUGE_VAL)
        return 0;
    dx = x * dev;
    dy = y * dev;
    if (!(dx > cx0 - half && dx < cx1 + half && dy > cy0 - half && dy < cy1 + half) || fabs(dx) > 30000 ||
        fabs(dy) > 30000)
        return 0; /* nothing of it can show */
    fx = floor(dx);
    fy = floor(dy);
    at->x0 = (int16_t)((int)fx - half);
    at->y0 = (int16_t)((int)fy - half);
    at->k = (uint8_t)((int)((dy - fy) * 4) * 4 + (int)((dx - fx) * 4));
    return 1;
}

/* The first and last bands of BAND rows from CY0 (the box ending at CY1)
 * that the stamp AT (SIDE rows) touches. */
static void im_stamp_bands_of(const im_stamp_at *at, int side, int band, int cy0, int cy1, int *first, int *last)
{
    *first = ((at->y0 > cy0 ? at->y0 : cy0) - cy0) / band;
    *last = ((at->y0 + side - 1 < cy1 - 1 ? at->y0 + side - 1 : cy1 - 1) - cy0) / band;
}

/* What one thread of im_stamp_all does: count the stamps of points
 * I0..I1-1 per band into COUNT, or stamp bands FROM..TO-1 (COUNT then
 * holds the counts of every point). */
typedef struct im_stamp_job {
    unsigned char *data;
    const im_sprite *sprites;
    const double *x, *y;
    size_t i0, i1, *count;
    double dev;
    int stride, side, half, band, cx0, cy0, cx1, cy1, from, to, counting, failed;
} im_stamp_job;

static void im_stamp_count(im_stamp_job *j)
{
    im_stamp_at st;
    size_t i;
    int b, first, last;
    for (i = j->i0; i < j->i1; i++)
        if (im_stamp_place(j->x[i], j->y[i], j->dev, j->half, j->cx0, j->cy0, j->cx1, j->cy1, &st)) {
            im_stamp_bands_of(&st, j->side, j->band, j->cy0, j->cy1, &first, &last);
            for (b = first; b <= last; b++)
                j->count[b]++;
        }
}

/* Stamp bands FROM..TO-1 in slices of whole bands holding some
 * IM_STAMP_SLICE stamps: each slice's stamps listed band by band (the
 * points far from its rows skipped at a glance), then drawn band by band. */
#define IM_STAMP_SLICE (256 * 1024)
static void im_stamp_rows(im_stamp_job *j)
{
    const size_t *count = j->count;
    size_t most = 0, i, *start = malloc(((size_t)(j->to - j->from) + 1) * sizeof *start);
    im_stamp_at *at = NULL, st;
    int lo, hi, b, first, last;
    for (lo = j->from; lo < j->to; lo = hi) {
        size_t total = count[lo];
        for (hi = lo + 1; hi < j->to && total + count[hi] <= IM_STAMP_SLICE; hi++)
            total += count[hi];
        most = total > most ? total : most;
    }
    if (start)
        at = malloc((most > 0 ? most : 1) * sizeof *at);
    if (!at) {
        free(start);
        j->failed = 1;
        return;
    }
    for (lo = j->from; lo < j->to; lo = hi) {
        size_t total = count[lo];
        double slice_y0, slice_y1;
        for (hi = lo + 1; hi < j->to && total + count[hi] <= IM_STAMP_SLICE; hi++)
            total += count[hi];
        slice_y0 = (double)j->cy0 + (double)lo * j->band - j->side - 2;
        slice_y1 = (double)j->cy0 + (double)hi * j->band + j->side + 2;
        /* start[b - j->from]: where band b's list starts, then ends */
        total = 0;
        for (b = lo; b < hi; b++) {
            start[b - j->from] = total;
            total += count[b];
        }
        for (i = 0; i < j->i1 && total > 0; i++) {
            double dy = j->y[i] * j->dev;
            if (dy < slice_y0 || dy > slice_y1)
                continue; /* far from the slice's rows: not placed again */
            if (!im_stamp_place(j->x[i], j->y[i], j->dev, j->half, j->cx0, j->cy0, j->cx1, j->cy1, &st))
                continue;
            im_stamp_bands_of(&st, j->side, j->band, j->cy0, j->cy1, &first, &last);
            if (last < lo || first >= hi)
                continue;
            for (b = first > lo ? first : lo; b <= last && b < hi; b++)
                at[start[b - j->from]++] = st;
        }
        for (b = lo; b < hi; b++) {
            int b0 = j->cy0 + b * j->band, b1 = b0 + j->band < j->cy1 ? b0 + j->band : j->cy1;
            for (i = b > lo ? start[b - 1 - j->from] : 0; i < start[b - j->from]; i++)
                im_stamp(j->data, j->stride, &j->sprites[at[i].k], j->side, at[i].x0, at[i].y0, j->cx0, b0,
                         j->cx1, b1);
        }
    }
    free(start);
    free(at);
}

static void *im_stamp_work(void *arg)
{
    im_stamp_job *j = arg;
    if (j->counting)
        im_stamp_count(j);
    else
        im_stamp_rows(j);
    return NULL;
}

/* Stamp the symbols at X, Y (N points, CSS px times DEV) inside the box
 * CX0..CX1 x CY0..CY1, in their order.  They are first sorted (stably)
 * into bands of rows small enough to stay in the CPU's cache, then drawn
 * band by band: a million stamps at random places of an image much bigger
 * than the caches otherwise wait on memory for most of their pixels.  In
 * each band the stamps keep their order, so every pixel is composited as
 * in one pass over the image.  Two threads count the stamps per band (half
 * of the points each), then each draws the bands of half of the stamps
 * (rows apart, so every pixel is composited by one thread, in order). */
#define IM_STAMP_THREADED 20000 /* stamps worth a second thread */
static void im_stamp_all(unsigned char *data, int stride, const im_sprite *sprites, int side, int half,
                         double dev, const double *x, const double *y, size_t n, int cx0, int cy0, int cx1,
                         int cy1)
{
    int band = (int)fmax(2.0 * side, 262144.0 / stride), nb = (cy1 - cy0 + band - 1) / band, b, mid;
    size_t *count = calloc(2 * ((size_t)nb + 1), sizeof *count), total = 0, sum = 0, i;
    im_stamp_job job[2];
    memset(job, 0, sizeof job);
    job[0] = (im_stamp_job){data, sprites, x, y, 0, n, count, dev, stride, side, half, band,
                            cx0, cy0, cx1, cy1, 0, nb, 1, 0};
    if (!count) {
        /* no memory for the bands: one pass over the image */
        for (i = 0; i < n; i++) {
            im_stamp_at st;
            if (im_stamp_place(x[i], y[i], dev, half, cx0, cy0, cx1, cy1, &st))
                im_stamp(data, stride, &sprites[st.k], side, st.x0, st.y0, cx0, cy0, cx1, cy1);
        }
        return;
    }
    job[1] = job[0];
    if (n >= IM_STAMP_THREADED) {
        job[0].i1 = job[1].i0 = n / 2;
        job[1].count = count + nb + 1;
        im_run_pair(im_stamp_work, &job[0], &job[1]);
        for (b = 0; b < nb; b++)
            count[b] += count[nb + 1 + b];
    } else {
        im_stamp_count(&job[0]);
    }
    for (b = 0; b < nb; b++)
        total += count[b];
    /* the second thread's bands: those after half of the stamps */
    for (mid = 0; mid < nb && sum + count[mid] <= total / 2; mid++)
        sum += count[mid];
    for (b = 0; b < 2; b++) {
        job[b].i0 = 0;
        job[b].i1 = n;
        job[b].count = count;
        job[b].counting = 0;
    }
    job[0].to = job[1].from = total >= IM_STAMP_THREADED ? mid : nb;
    if (job[1].from < job[1].to)
        im_run_pair(im_stamp_work, &job[0], &job[1]);
    else
        im_stamp_rows(&job[0]);
    if (job[0].failed || job[1].failed) {
        /* no memory for a slice: those bands in one pass, in order */
        for (b = 0; b < 2; b++) {
            int r0 = cy0 + job[b].from * band, r1 = cy0 + job[b].to * band;
            if (!job[b].failed || job[b].from >= job[b].to)
                continue;
            for (i = 0; i < n; i++) {
                im_stamp_at st;
                if (im_stamp_place(x[i], y[i], dev, half, cx0, cy0, cx1, cy1, &st))
                    im_stamp(data, stride, &sprites[st.k], side, st.x0, st.y0, cx0, r0, cx1,
                             r1 < cy1 ? r1 : cy1);
            }
        }
    }
    free(count);
}

/* The 16 sprites of a symbol (SIDE x SIDE each, the symbol's centre HALF
 * from their corner, at sub-pixel phases of a quarter pixel), rasterised
 * by Cairo at the canvas's device scale DEV.  0, or -1 when out of memory
 * (what was made is freed by im_sprites_free). */
static int im_sprites_make(im_sprite sprites[16], double dev, im_shape_kind shape, double size, im_rgba fill,
                           im_rgba stroke, double stroke_width, int *half_out, int *side_out)
{
    int half = (int)ceil((size * 1.4 + stroke_width) * dev / 2) + 2, side = 2 * half, k, r, col;
    memset(sprites, 0, 16 * sizeof *sprites);
    *half_out = half;
    *side_out = side;
    for (k = 0; k < 16; k++) {
        cairo_surface_t *img;
        cairo_t *sc;
        im_sprite *sp = &sprites[k];
        sp->px = calloc((size_t)side * (size_t)side, sizeof *sp->px);
        sp->from = malloc((size_t)side * sizeof *sp->from);
        sp->to = malloc((size_t)side * sizeof *sp->to);
        if (!sp->px || !sp->from || !sp->to)
            return -1;
        img = cairo_image_surface_create_for_data((unsigned char *)sp->px, CAIRO_FORMAT_ARGB32, side, side,
                                                  side * 4);
        sc = cairo_create(img);
        cairo_translate(sc, half + (k % 4) / 4.0, half + (k / 4) / 4.0);
        cairo_scale(sc, dev, dev);
        im_symbol_paint(sc, shape, 0, 0, size, fill, stroke, stroke_width);
        cairo_destroy(sc);
        cairo_surface_flush(img);
        cairo_surface_destroy(img);
        for (r = 0; r < side; r++) {
            const uint32_t *row = sp->px + (size_t)r * (size_t)side;
            sp->from[r] = side;
            sp->to[r] = 0;
            for (col = 0; col < side; col++) {
                if (row[col]) {
                    if (sp->from[r] == side)
                        sp->from[r] = col;
                    sp->to[r] = col + 1;
                }
            }
        }
    }
    return 0;
}

static void im_sprites_free(im_sprite sprites[16])
{
    int k;
    for (k = 0; k < 16; k++) {
        free(sprites[k].px);
        free(sprites[k].from);
        free(sprites[k].to);
    }
}

/* The device pixels wholly inside the canvas's clip: CX0..CX1 x CY0..CY1. */
static void im_stamp_box(const im_canvas *c, int *cx0, int *cy0, int *cx1, int *cy1)
{
    double dev = c->scale;
    *cx0 = *cy0 = 0;
    *cx1 = cairo_image_surface_get_width(c->surface);
    *cy1 = cairo_image_surface_get_height(c->surface);
    if (c->has_clip) {
        *cx0 = (int)fmax(*cx0, ceil(c->clip[0] * dev));
        *cy0 = (int)fmax(*cy0, ceil(c->clip[1] * dev));
        *cx1 = (int)fmin(*cx1, floor((c->clip[0] + c->clip[2]) * dev));
        *cy1 = (int)fmin(*cy1, floor((c->clip[1] + c->clip[3]) * dev));
    }
}

void im_draw_symbols(im_canvas *c, im_shape_kind shape, const double *x, const double *y,
                     size_t n, double size, im_rgba fill, im_rgba stroke, double stroke_width)
{
    size_t i;
    if (n == 0)
        return;
    if (c->opts.format == IM_FORMAT_PNG && n > 64) {
        /* Raster fast path: rasterise the symbol once at each of 4x4
         * sub-pixel phases with Cairo, then stamp it into the image: a
         * few hundred operations a symbol, where a Cairo fill per symbol
         * (pattern, clip, span compositor) costs ten times that. */
        int half, side, cx0, cy0, cx1, cy1;
        unsigned char *data;
        im_sprite sprites[16];
        cairo_surface_flush(c->surface);
        data = cairo_image_surface_get_data(c->surface);
        im_stamp_box(c, &cx0, &cy0, &cx1, &cy1);
        if (im_sprites_make(sprites, c->scale, shape, size, fill, stroke, stroke_width, &half, &side) == 0 &&
            data && cx0 < cx1 && cy0 < cy1) {
            im_stamp_all(data, cairo_image_surface_get_stride(c->surface), sprites, side, half, c->scale, x, y, n,
                         cx0, cy0, cx1, cy1);
            cairo_surface_mark_dirty(c->surface);
        }
        im_sprites_free(sprites);
        return;
    }
    for (i = 0; i < n; i++) {
        if (x[i] == HUGE_VAL)
            continue;
        im_draw_symbol(c, shape, x[i], y[i], size, fill, stroke, stroke_width);
    }
}

/* Symbols drawn one at a time, in any order, from sprites made once per
 * style (see im_draw_symbols): the few thousand symbols that are merged,
 * spread and drawn each in date order take a stamp each instead of a
 * Cairo fill and stroke. */
#define IM_STAMPER_STYLES 16
#define IM_STAMPER_LARGEST 64.0 /* device px across, outline included */
typedef struct im_stamper_style {
    im_shape_kind shape;
    double size, width;
    im_rgba fill, stroke;
    int half, side;
    im_sprite sprites[16];
} im_stamper_style;

struct im_stamper {
    im_canvas *c;
    int cx0, cy0, cx1, cy1; /* the clip when it was made (see im_stamp_box) */
    int nstyles;
    im_stamper_style style[IM_STAMPER_STYLES];
};

im_stamper *im_stamper_new(im_canvas *c)
{
    im_stamper *s;
    if (c->opts.format != IM_FORMAT_PNG || !cairo_image_surface_get_data(c->surface))
        return NULL;
    s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->c = c;
    im_stamp_box(c, &s->cx0, &s->cy0, &s->cx1, &s->cy1);
    return s;
}

void im_stamper_free(im_stamper *s)
{
    int k;
    for (k = 0; s && k < s->nstyles; k++)
        im_sprites_free(s->style[k].sprites);
    free(s);
}

int im_stamper_draw(im_stamper *s, im_shape_kind shape, double x, double y, double size, im_rgba fill,
                    im_rgba stroke, double stroke_width)
{
    im_stamper_style *st = NULL;
    im_stamp_at at;
    double dev = s->c->scale;
    int k;
    if (shape == IM_SHAPE_BASE)
        return -1; /* its flag is drawn on top: Cairo's */
    if ((size * 1.4 + stroke_width) * dev > IM_STAMPER_LARGEST)
        return -1; /* a big symbol: 16 sprites of it would take megabytes */
    for (k = 0; k < s->nstyles && !st; k++) {
        im_stamper_style *t = &s->style[k];
        if (t->shape == shape && t->size == size && t->width == stroke_width &&
            memcmp(&t->fill, &fill, sizeof fill) == 0 && memcmp(&t->stroke, &stroke, sizeof stroke) == 0)
            st = t;
    }
    if (!st) {
        if (s->nstyles == IM_STAMPER_STYLES)
            return -1;
        st = &s->style[s->nstyles];
        st->shape = shape;
        st->size = size;
        st->width = stroke_width;
        st->fill = fill;
        st->stroke = stroke;
        if (im_sprites_make(st->sprites, dev, shape, size, fill, stroke, stroke_width, &st->half, &st->side) != 0) {
            im_sprites_free(st->sprites);
            return -1;
        }
        s->nstyles++;
    }
    if (s->cx0 >= s->cx1 || s->cy0 >= s->cy1 ||
        !im_stamp_place(x, y, dev, st->half, s->cx0, s->cy0, s->cx1, s->cy1, &at))
        return 0; /* nothing of it shows */
    cairo_surface_flush(s->c->surface);
    im_stamp(cairo_image_surface_get_data(s->c->surface), cairo_image_surface_get_stride(s->c->surface),
             &st->sprites[at.k], st->side, at.x0, at.y0, s->cx0, s->cy0, s->cx1, s->cy1);
    cairo_surface_mark_dirty_rectangle(s->c->surface, at.x0, at.y0, st->side, st->side);
    return 0;
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
    {
        im_rgba light = ts->halo;
        light.a = 1;
        im_canvas_set_source(cr, light);
    }
    cairo_fill_preserve(cr);
    im_canvas_set_source(cr, ts->color);
    cairo_stroke(cr);
    cairo_restore(cr);
    /* the N stays upright, just beyond the tip */
    im_text_measure(c, "N", ts, &tw, &th);
    im_text_draw(c, "N", ts, x + sin(-angle) * (h + th * 0.6) - tw / 2,
                 y - cos(angle) * (h + th * 0.6) - th / 2, 0, 0);
}
