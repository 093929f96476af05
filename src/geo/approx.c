/* Transforming many points through a grid of exactly transformed ones, as
 * GDAL's approximate transformer does for warping: PROJ gives the corners
 * of each cell; inside a cell a point is interpolated bilinearly when the
 * cell passes a check (PROJ at its centre and edge midpoints agrees with
 * the interpolation within the tolerance), else it goes to PROJ itself.
 * A million incidents take a few thousand PROJ calls instead of a million. */
#include "geo/geo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { IM_CELL_UNCHECKED = 0, IM_CELL_LINEAR, IM_CELL_EXACT };

struct im_geo_approx {
    im_geo_fn fn;
    void *ctx;
    double x0, y0, dx, dy;  /* cell (i, j) is x0 + i*dx .. x0 + (i+1)*dx, and so for y */
    int nx, ny;
    double tol;             /* largest error a bilinear cell may have, target units */
    double *cx, *cy;        /* transformed corners, (nx + 1) * (ny + 1); NAN: not yet */
    unsigned char *state;   /* per cell */
};

im_geo_approx *im_geo_approx_new(im_geo_fn fn, void *ctx, const double box[4], int cells, double tol)
{
    im_geo_approx *a;
    double w = box[2] - box[0], h = box[3] - box[1];
    size_t nc, i;
    if (!(w > 0 && h > 0 && tol > 0) || !isfinite(w) || !isfinite(h) || cells < 1)
        return NULL;
    a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->fn = fn;
    a->ctx = ctx;
    a->tol = tol;
    /* cells about square, CELLS along the box's longer side; the grid
     * reaches one box beyond it on every side, for the vertices of the
     * shapes that cross it (made only where points fall) */
    a->nx = 3 * (w >= h ? cells : (int)fmax(1, ceil(cells * w / h)));
    a->ny = 3 * (h > w ? cells : (int)fmax(1, ceil(cells * h / w)));
    a->x0 = box[0] - w;
    a->y0 = box[1] - h;
    a->dx = 3 * w / a->nx;
    a->dy = 3 * h / a->ny;
    nc = (size_t)(a->nx + 1) * (size_t)(a->ny + 1);
    a->cx = malloc(nc * sizeof *a->cx);
    a->cy = malloc(nc * sizeof *a->cy);
    a->state = calloc((size_t)a->nx * (size_t)a->ny, 1);
    if (!a->cx || !a->cy || !a->state) {
        im_geo_approx_free(a);
        return NULL;
    }
    for (i = 0; i < nc; i++)
        a->cx[i] = a->cy[i] = NAN;
    return a;
}

void im_geo_approx_free(im_geo_approx *a)
{
    if (!a)
        return;
    free(a->cx);
    free(a->cy);
    free(a->state);
    free(a);
}

/* Bilinear value at U, V (0..1) in the cell whose corners are C[0..3]:
 * (0,0), (1,0), (0,1), (1,1). */
static double im_bilinear(const double c[4], double u, double v)
{
    return (1 - v) * ((1 - u) * c[0] + u * c[1]) + v * ((1 - u) * c[2] + u * c[3]);
}

/* Check cell (I, J): its corners (made now if not yet) and five points
 * inside, transformed exactly and compared with the interpolation. */
static int im_approx_check(im_geo_approx *a, int i, int j)
{
    static const double su[5] = {0.5, 0, 0.5, 1, 0.5}, sv[5] = {0, 0.5, 0.5, 0.5, 1};
    size_t k[4], row = (size_t)a->nx + 1;
    double px[9], py[9], cx[4], cy[4];
    int n = 0, q, need[4];
    k[0] = (size_t)j * row + (size_t)i;
    k[1] = k[0] + 1;
    k[2] = k[0] + row;
    k[3] = k[2] + 1;
    for (q = 0; q < 4; q++) {
        need[q] = isnan(a->cx[k[q]]);
        if (need[q]) {
            px[n] = a->x0 + (i + (q & 1)) * a->dx;
            py[n] = a->y0 + (j + (q >> 1)) * a->dy;
            n++;
        }
    }
    for (q = 0; q < 5; q++) {
        px[n + q] = a->x0 + (i + su[q]) * a->dx;
        py[n + q] = a->y0 + (j + sv[q]) * a->dy;
    }
    a->fn(a->ctx, px, py, (size_t)n + 5);
    for (q = 0, n = 0; q < 4; q++) {
        if (need[q]) {
            a->cx[k[q]] = px[n];
            a->cy[k[q]] = py[n];
            n++;
        }
        cx[q] = a->cx[k[q]];
        cy[q] = a->cy[k[q]];
        if (cx[q] == HUGE_VAL || cy[q] == HUGE_VAL)
            return IM_CELL_EXACT;
    }
    for (q = 0; q < 5; q++) {
        if (px[n + q] == HUGE_VAL ||
            hypot(im_bilinear(cx, su[q], sv[q]) - px[n + q], im_bilinear(cy, su[q], sv[q]) - py[n + q]) >
                a->tol)
            return IM_CELL_EXACT;
    }
    return IM_CELL_LINEAR;
}

void im_geo_approx_fwd(im_geo_approx *a, double *x, double *y, size_t n)
{
    /* the points that go to PROJ itself (outside the grid, in a cell that
     * bends too much, or not a number) go in place, each run of them in
     * one call: PROJ's cost per call is that of a point or two */
    size_t i, run = 0, row = (size_t)a->nx + 1;
    for (i = 0; i < n; i++) {
        double u = (x[i] - a->x0) / a->dx, v = (y[i] - a->y0) / a->dy, c[4];
        size_t k;
        int ci, cj;
        unsigned char *st;
        if (!(u >= 0 && u < a->nx && v >= 0 && v < a->ny))
            continue;
        ci = (int)u;
        cj = (int)v;
        st = &a->state[(size_t)cj * (size_t)a->nx + (size_t)ci];
        if (*st == IM_CELL_UNCHECKED)
            *st = (unsigned char)im_approx_check(a, ci, cj);
        if (*st != IM_CELL_LINEAR)
            continue;
        if (run < i)
            a->fn(a->ctx, x + run, y + run, i - run);
        run = i + 1;
        u -= ci;
        v -= cj;
        k = (size_t)cj * row + (size_t)ci;
        c[0] = a->cx[k];
        c[1] = a->cx[k + 1];
        c[2] = a->cx[k + row];
        c[3] = a->cx[k + row + 1];
        x[i] = im_bilinear(c, u, v);
        c[0] = a->cy[k];
        c[1] = a->cy[k + 1];
        c[2] = a->cy[k + row];
        c[3] = a->cy[k + row + 1];
        y[i] = im_bilinear(c, u, v);
    }
    if (run < n)
        a->fn(a->ctx, x + run, y + run, n - run);
}
