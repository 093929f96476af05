/* The page layout: the title block above the frame, the credit line below
 * it, room around the frame for the graticule's degree labels, and a
 * legend beside or below the frame when asked (or when no corner of the
 * frame can take it without hiding an incident).  Then the view is fitted
 * into the frame, the incidents are projected into it, and the furniture
 * (inset, legend, scale bar, north arrow) is planned in the frame's
 * corners, clear of every incident and base, before anything is drawn: so
 * every label knows every obstacle. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/scene.h"

#define IM_PAD 12.0

static double im_text_h(im_scene *s, const char *text, double size, int bold, double wrap)
{
    im_text_style ts = im_scene_text(s, size, bold);
    double w, h;
    ts.wrap = wrap;
    im_text_measure(s->canvas, text, &ts, &w, &h);
    return h;
}

/* Above this many incidents their obstacles are the cells of a grid they
 * touch (IM_OBST_CELL px square): as many boxes as the map has cells at
 * most, not two per incident (a million took 30 MB and as many checks). */
#define IM_OBST_MANY 5000
#define IM_OBST_CELL 8.0

/* Cells of IM_OBST_CELL px the incidents' symbols touch, as boxes into O
 * (room for one per cell of the canvas); their count, or -1. */
static int im_obstacle_cells(const im_scene *s, double *o)
{
    int nx = (int)ceil(im_canvas_width(s->canvas) / IM_OBST_CELL) + 1,
        ny = (int)ceil(im_canvas_height(s->canvas) / IM_OBST_CELL) + 1, i, cx, cy, n = 0;
    unsigned char *cell = calloc((size_t)nx * (size_t)ny, 1);
    if (!cell)
        return -1;
    for (i = 0; i < s->ninc; i++) {
        double h = im_scene_inc_size(s, i) * 0.65 + 2, x = s->inc_x[i], y = s->inc_y[i];
        int x0, x1, y0, y1;
        if (x == HUGE_VAL)
            continue;
        x0 = (int)fmax(0, floor((x - h) / IM_OBST_CELL));
        x1 = (int)fmin(nx - 1, floor((x + h) / IM_OBST_CELL));
        y0 = (int)fmax(0, floor((y - h) / IM_OBST_CELL));
        y1 = (int)fmin(ny - 1, floor((y + h) / IM_OBST_CELL));
        for (cy = y0; cy <= y1; cy++)
            for (cx = x0; cx <= x1; cx++)
                cell[(size_t)cy * (size_t)nx + (size_t)cx] = 1;
    }
    for (cy = 0; cy < ny; cy++)
        for (cx = 0; cx < nx; cx++)
            if (cell[(size_t)cy * (size_t)nx + (size_t)cx]) {
                o[4 * n] = cx * IM_OBST_CELL;
                o[4 * n + 1] = cy * IM_OBST_CELL;
                o[4 * n + 2] = o[4 * n + 3] = IM_OBST_CELL;
                n++;
            }
    free(cell);
    return n;
}

/* Symbol boxes of the incidents (where drawn and where true) and bases. */
static int im_obstacles(im_scene *s, double **out)
{
    const im_map *m = s->map;
    size_t room = s->ninc > IM_OBST_MANY
                      ? ((size_t)ceil(im_canvas_width(s->canvas) / IM_OBST_CELL) + 1) *
                            ((size_t)ceil(im_canvas_height(s->canvas) / IM_OBST_CELL) + 1)
                      : 2 * (size_t)s->ninc;
    double *o = malloc((room + (size_t)m->nbases + 1) * 4 * sizeof *o), bs = m->symbol_size * 1.15;
    int i, n = 0;
    if (!o)
        return -1;
    if (s->ninc > IM_OBST_MANY && (n = im_obstacle_cells(s, o)) < 0) {
        free(o);
        return -1;
    }
    for (i = 0; i < s->ninc && s->ninc <= IM_OBST_MANY; i++) {
        double h = im_scene_inc_size(s, i) * 0.65 + 2;
        o[4 * n] = s->inc_x[i] - h;
        o[4 * n + 1] = s->inc_y[i] - h;
        o[4 * n + 2] = o[4 * n + 3] = 2 * h;
        n++;
        if (s->inc_x[i] != s->inc_ox[i] || s->inc_y[i] != s->inc_oy[i]) {
            o[4 * n] = s->inc_ox[i] - 3;
            o[4 * n + 1] = s->inc_oy[i] - 3;
            o[4 * n + 2] = o[4 * n + 3] = 6;
            n++;
        }
    }
    for (i = 0; i < m->nbases; i++) {
        double x = m->bases[i].at.lon, y = m->bases[i].at.lat;
        im_scene_point_px(s, x, y, &x, &y);
        if (x == HUGE_VAL)
            continue;
        o[4 * n] = x - bs / 2 - 2;
        o[4 * n + 1] = y - bs / 2 - 2;
        o[4 * n + 2] = o[4 * n + 3] = bs + 4;
        n++;
    }
    *out = o;
    return n;
}

/* Title sizes follow the page's physical width: a text-column figure
 * (160 mm) gets 13 and 9.5 pt, a page from 297 mm (A4 landscape) wide, or a
 * 1600 px screen map, the full 17 and 11 pt; in between in proportion. */
#define IM_NARROW_PX (160 / 25.4 * 96)
#define IM_WIDE_PX (297 / 25.4 * 96)

void im_scene_title_sizes(const im_scene *s, double *title_pt, double *sub_pt)
{
    double t = (im_canvas_width(s->canvas) - IM_NARROW_PX) / (IM_WIDE_PX - IM_NARROW_PX);
    t = fmin(1, fmax(0, t));
    *title_pt = 13 + 4 * t;
    *sub_pt = 9.5 + 1.5 * t;
}

double im_scene_title_wrap(im_scene *s, int beside_date)
{
    const im_map *m = s->map;
    double w = im_canvas_width(s->canvas) - 2 * IM_PAD, dw = 0, dh;
    char line[256];
    if (m->graticule.on && m->graticule.labels)
        w -= im_text_h(s, "33\u00b0N", 7.5, 0, 0) + 4;
    if (beside_date && im_scene_date_line(m, line, sizeof line)) {
        im_text_style ts = im_scene_text(s, 9.5, 0);
        im_text_measure(s->canvas, line, &ts, &dw, &dh);
        w -= dw + 12;
    }
    return w > 40 ? w : 40;
}

/* The legend's size beside (a column as tall as the frame, at most 40% of
 * the page wide) or below the frame (as wide as the frame's left edge FX
 * leaves, in as many columns as fit). */
static void im_legend_outside(im_scene *s, im_corner side, double fx, double fh, double *lw, double *lh)
{
    double W = im_canvas_width(s->canvas);
    if (side == IM_CORNER_OUTSIDE_RIGHT)
        im_scene_legend_build(s, fh, 0.4 * W, 0, lw, lh);
    else
        im_scene_legend_build(s, fh * 0.3, W - IM_PAD - fx, 1, lw, lh);
}

/* Beside or below a FW x FH frame: where the legend leaves the map (the
 * projected box PBOX) the larger scale; beside when equal. */
static im_corner im_legend_side(im_scene *s, const double pbox[4], double fx, double fw, double fh)
{
    double pw = pbox[2] - pbox[0], ph = pbox[3] - pbox[1], lw, lh, right, below;
    if (!(pw > 0 && ph > 0))
        return IM_CORNER_OUTSIDE_RIGHT;
    im_legend_outside(s, IM_CORNER_OUTSIDE_RIGHT, fx, fh, &lw, &lh);
    right = fmin((fw - lw - IM_PAD) / pw, fh / ph);
    im_legend_outside(s, IM_CORNER_OUTSIDE_BOTTOM, fx, fh, &lw, &lh);
    below = fmin(fw / pw, (fh - lh - IM_PAD) / ph);
    return below > right ? IM_CORNER_OUTSIDE_BOTTOM : IM_CORNER_OUTSIDE_RIGHT;
}

static int im_scene_layout_tries(im_scene *s, const double pbox[4], im_diag *d)
{
    im_map *m = s->map;
    double W = im_canvas_width(s->canvas), H = im_canvas_height(s->canvas);
    double top = IM_PAD, bottom, gm = 0, credit_w, right_w, rw, rh, title_pt, sub_pt;
    im_corner legend = m->legend;
    int attempt;
    char right[160];

    if (m->layout_full) {
        /* the map alone, edge to edge: no title block, credit or margins */
        s->grid_margin = s->credit_h = 0;
        top = 0;
        im_view_fit(&s->view, 0, 0, W, H, pbox[0], pbox[1], pbox[2], pbox[3]);
        if (im_scene_prepare_incidents(s) != 0)
            return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
        memset(s->furn, 0, sizeof s->furn);
        s->title_h = top;
        return 0;
    }
    /* title block */
    /* on a narrow page (a report's column) long titles wrap */
    im_scene_title_sizes(s, &title_pt, &sub_pt);
    if (m->title)
        top += im_text_h(s, m->title, title_pt, 1, im_scene_title_wrap(s, 1));
    if (m->subtitle)
        top += im_text_h(s, m->subtitle, sub_pt, 0, im_scene_title_wrap(s, !m->title));
    if (m->title || m->subtitle)
        top += 6;
    /* degree labels: a row of small text on every side */
    if (m->graticule.on && m->graticule.labels)
        gm = im_text_h(s, "33\u00b0N", 7.5, 0, 0) + 4;
    s->grid_margin = gm;
    /* the credit (wrapped beside the base map's credit) */
    snprintf(right, sizeof right, "Made with incimap \u00b7 base map: %s",
             m->basemap_default ? "GSHHG, DCW (LGPL)" : "user layers");
    {
        im_text_style ts = im_scene_text(s, 7.5, 0);
        double th;
        im_text_measure(s->canvas, right, &ts, &right_w, &th);
        credit_w = W - 2 * IM_PAD - right_w - 24;
        s->credit_h = th;
        if (m->credit && credit_w > 40)
            s->credit_h = fmax(th, im_text_h(s, m->credit, 7.5, 0, credit_w));
    }
    bottom = s->credit_h + 8 + IM_PAD / 2;

    for (attempt = 0; attempt < 2; attempt++) {
        double fx = IM_PAD + gm, fy = top + gm, fw, fh, lw = 0, lh = 0, *obst = NULL, frame[4];
        int nobst, i;
        fw = W - 2 * IM_PAD - 2 * gm;
        fh = H - fy - gm - bottom;
        if (legend == IM_CORNER_OUTSIDE_RIGHT || legend == IM_CORNER_OUTSIDE_BOTTOM) {
            /* a first fit tells what the legend holds, hence its size */
            im_view_fit(&s->view, fx, fy, fw, fh, pbox[0], pbox[1], pbox[2], pbox[3]);
            if (im_scene_prepare_incidents(s) != 0)
                return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
            im_legend_outside(s, legend, fx, fh, &lw, &lh);
            if (lw > 0 && legend == IM_CORNER_OUTSIDE_RIGHT)
                fw -= lw + IM_PAD;
            else if (lw > 0)
                fh -= lh + IM_PAD;
        }
        if (fw < 32 || fh < 32)
            return im_fail(d, IM_ERR_SPEC, m->path, 0, 0, "the map is too small to draw (%dx%d px)", m->width_px,
                           m->height_px);
        im_view_fit(&s->view, fx, fy, fw, fh, pbox[0], pbox[1], pbox[2], pbox[3]);
        if (im_scene_prepare_incidents(s) != 0)
            return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");

        memset(s->furn, 0, sizeof s->furn);
        if (im_scene_inset_size(s, &rw, &rh) == 0) {
            s->furn[IM_FURN_INSET].w = rw;
            s->furn[IM_FURN_INSET].h = rh;
            s->furn[IM_FURN_INSET].corner = (im_corner)m->inset.corner;
        }
        if (m->north_arrow != IM_CORNER_NONE) {
            s->furn[IM_FURN_NORTH].w = 34;
            s->furn[IM_FURN_NORTH].h = 50;
            s->furn[IM_FURN_NORTH].corner = m->north_arrow;
        }
        im_scene_north_angle(s);
        im_scene_scalebar_size(s, &rw, &rh);
        if (rw > 0) {
            s->furn[IM_FURN_SCALE].w = rw;
            s->furn[IM_FURN_SCALE].h = rh;
            s->furn[IM_FURN_SCALE].corner = m->scalebar;
        }
        if (legend == IM_CORNER_OUTSIDE_RIGHT || legend == IM_CORNER_OUTSIDE_BOTTOM) {
            im_legend_outside(s, legend, fx, fh, &lw, &lh);
            s->furn[IM_FURN_LEGEND].w = lw;
            s->furn[IM_FURN_LEGEND].h = lh;
        } else if (legend != IM_CORNER_NONE) {
            im_scene_legend_build(s, fh * 0.6, fw - 2 * IM_PAD, 0, &lw, &lh);
            if (lw > 0) {
                s->furn[IM_FURN_LEGEND].w = lw;
                s->furn[IM_FURN_LEGEND].h = lh;
                s->furn[IM_FURN_LEGEND].corner = legend;
            }
        }
        nobst = im_obstacles(s, &obst);
        if (nobst < 0)
            return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
        frame[0] = fx;
        frame[1] = fy;
        frame[2] = s->view.fw;
        frame[3] = s->view.fh;
        {
            /* the legend first (the hardest to move), then the inset, the
             * scale bar and the north arrow */
            static const int order[IM_FURN_COUNT] = {IM_FURN_LEGEND, IM_FURN_INSET, IM_FURN_SCALE,
                                                     IM_FURN_NORTH};
            im_furn items[IM_FURN_COUNT];
            for (i = 0; i < IM_FURN_COUNT; i++)
                items[i] = s->furn[order[i]];
            im_furniture_plan(frame, IM_PAD, items, IM_FURN_COUNT, obst, nobst);
            for (i = 0; i < IM_FURN_COUNT; i++)
                s->furn[order[i]] = items[i];
        }
        free(obst);
        if (legend == IM_CORNER_OUTSIDE_RIGHT && s->furn[IM_FURN_LEGEND].w > 0) {
            im_furn *f = &s->furn[IM_FURN_LEGEND];
            f->corner = f->placed = IM_CORNER_OUTSIDE_RIGHT;
            f->x = s->view.fx + s->view.fw + gm + IM_PAD;
            f->y = s->view.fy;
            f->covers = 0;
        } else if (legend == IM_CORNER_OUTSIDE_BOTTOM && s->furn[IM_FURN_LEGEND].w > 0) {
            im_furn *f = &s->furn[IM_FURN_LEGEND];
            f->corner = f->placed = IM_CORNER_OUTSIDE_BOTTOM;
            f->x = s->view.fx;
            f->y = s->view.fy + s->view.fh + gm + IM_PAD;
            f->covers = 0;
        }
        /* a legend that would hide an incident in every corner (or fits
         * in none) goes beside or below the frame instead, whichever
         * leaves the map larger */
        if (s->furn[IM_FURN_LEGEND].covers != 0 && legend != IM_CORNER_OUTSIDE_RIGHT &&
            legend != IM_CORNER_OUTSIDE_BOTTOM && attempt == 0) {
            legend = im_legend_side(s, pbox, fx, fw, fh);
            continue;
        }
        break;
    }
    s->title_h = top;
    return 0;
}

int im_scene_layout(im_scene *s, const double pbox[4], im_diag *d)
{
    int rc;
    /* a full-page map is laid out at once; the others may try a frame or
     * two before the legend and title settle, and keep the incidents
     * projected meanwhile */
    s->inc_keep_projected = !s->map->layout_full;
    rc = im_scene_layout_tries(s, pbox, d);
    s->inc_keep_projected = 0;
    im_scene_forget_projected(s);
    return rc;
}
