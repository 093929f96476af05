/* Unit tests of the grid approximation of a transform (src/geo/approx.c):
 * over boxes in many projections and at many scales, every point comes
 * within the tolerance of PROJ's own value; points outside the grid, in
 * cells that bend too much and that PROJ cannot place come out exactly as
 * PROJ gives them; and the results do not depend on how the points are
 * grouped into calls (so two threads give the bytes one gives). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "geo/geo.h"

#define NPTS 20000

/* a fixed pseudo-random sequence in [0, 1) */
static double rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (double)(*s >> 8) / (double)(1u << 24);
}

typedef struct {
    const char *def;
    double box[4];   /* lon/lat */
    double tol;      /* map units */
} approx_case;

/* Counts PROJ calls and points, to see that the grid saves work. */
typedef struct {
    im_geo *g;
    long calls, points;
} counting;

static void counted(void *ctx, double *x, double *y, size_t n)
{
    counting *c = ctx;
    c->calls++;
    c->points += (long)n;
    im_geo_fwd(c->g, x, y, n);
}

static void one_case(const approx_case *t)
{
    static double lon[NPTS], lat[NPTS], ex[NPTS], ey[NPTS], ax[NPTS], ay[NPTS], bx[NPTS], by[NPTS];
    im_geo *g = NULL;
    im_diag d;
    im_loc none = {NULL, 0, 0};
    im_geo_approx *a, *b;
    counting cnt = {NULL, 0, 0};
    unsigned seed = 7;
    double w = t->box[2] - t->box[0], h = t->box[3] - t->box[1], worst = 0;
    int i, outside = 0, exact_outside = 1;
    memset(&d, 0, sizeof d);
    CHECK(im_geo_create(t->def, none, &g, &d) == 0);
    if (!g)
        return;
    cnt.g = g;
    for (i = 0; i < NPTS; i++) {
        /* over the grid and a little beyond (it reaches one box beyond
         * the box), some exactly on cell edges */
        lon[i] = t->box[0] - 1.1 * w + 3.2 * w * rnd(&seed);
        lat[i] = t->box[1] - 1.1 * h + 3.2 * h * rnd(&seed);
        if (i % 97 == 0)
            lon[i] = t->box[0] + w * (i % 64) / 64.0;
    }
    lon[5] = NAN;
    lat[6] = HUGE_VAL;
    memcpy(ex, lon, sizeof ex);
    memcpy(ey, lat, sizeof ey);
    im_geo_fwd(g, ex, ey, NPTS);
    memcpy(ax, lon, sizeof ax);
    memcpy(ay, lat, sizeof ay);
    a = im_geo_approx_new(counted, &cnt, t->box, 64, t->tol);
    CHECK(a != NULL);
    if (!a) {
        im_geo_free(g);
        return;
    }
    im_geo_approx_fwd(a, ax, ay, NPTS);
    for (i = 0; i < NPTS; i++) {
        int in = lon[i] >= t->box[0] - w && lon[i] < t->box[2] + w && lat[i] >= t->box[1] - h &&
                 lat[i] < t->box[3] + h;
        if (ex[i] == HUGE_VAL || ax[i] == HUGE_VAL) {
            CHECK(ex[i] == ax[i] && ey[i] == ay[i]);
            continue;
        }
        if (!in) {
            outside++;
            exact_outside &= ax[i] == ex[i] && ay[i] == ey[i];
        }
        worst = fmax(worst, hypot(ax[i] - ex[i], ay[i] - ey[i]));
    }
    /* the largest error of a quadratic patch is at the points checked:
     * a little room for the higher terms */
    if (!(worst <= 1.5 * t->tol))
        fprintf(stderr, "%s: worst error %g, tolerance %g\n", t->def, worst, t->tol);
    CHECK(worst <= 1.5 * t->tol);
    CHECK(outside > 0 && exact_outside);
    CHECK(ax[5] == HUGE_VAL && ay[6] == HUGE_VAL);

    /* the same points in other groupings through a new grid: the same bits */
    memcpy(bx, lon, sizeof bx);
    memcpy(by, lat, sizeof by);
    b = im_geo_approx_new(im_geo_fwd_fn, g, t->box, 64, t->tol);
    CHECK(b != NULL);
    if (b) {
        for (i = NPTS - 1; i >= 0; i -= 777) {
            int from = i >= 776 ? i - 776 : 0;
            im_geo_approx_fwd(b, bx + from, by + from, (size_t)(i - from + 1));
        }
        CHECK(memcmp(ax, bx, sizeof ax) == 0 && memcmp(ay, by, sizeof ay) == 0);
    }
    im_geo_approx_free(b);
    im_geo_approx_free(a);
    im_geo_free(g);
}

int main(void)
{
    /* tolerances of 0.01 px at the scale such a box fills 1600 px */
    static const approx_case cases[] = {
        {"+proj=lcc +lat_1=33 +lat_2=37 +lat_0=34.5 +lon_0=39 +datum=WGS84 +units=m +no_defs",
         {33.5, 30.9, 44.5, 38.0}, 570 * 0.01},
        {"+proj=lcc +lat_1=33 +lat_2=37 +lat_0=34.5 +lon_0=39 +datum=WGS84 +units=m +no_defs",
         {36.2, 33.4, 36.4, 33.6}, 14 * 0.01},
        {"EPSG:32637", {38.0, 33.0, 39.6, 34.0}, 100 * 0.01},
        {"EPSG:3857", {30, 25, 50, 40}, 1400 * 0.01},
        {"+proj=tmerc +lat_0=15 +lon_0=44 +k=1 +datum=WGS84 +units=m +no_defs", {40, 10, 48, 20}, 560 * 0.01},
        {"+proj=eqearth +lon_0=0 +datum=WGS84 +units=m +no_defs", {-180, -80, 180, 80}, 22000 * 0.01},
        {"+proj=stere +lat_0=90 +lon_0=0 +datum=WGS84 +units=m +no_defs", {-180, 60, 180, 90}, 4000 * 0.01},
        {"+proj=laea +lat_0=52 +lon_0=10 +datum=WGS84 +units=m +no_defs", {-10, 35, 30, 70}, 2500 * 0.01},
    };
    size_t k;
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++)
        one_case(&cases[k]);

    /* far fewer PROJ calls than points on a smooth map */
    {
        enum { MANY = 10 * NPTS };
        static double x[MANY], y[MANY];
        im_geo *g = NULL;
        im_diag d;
        im_loc none = {NULL, 0, 0};
        counting cnt = {NULL, 0, 0};
        im_geo_approx *a;
        unsigned seed = 3;
        int i;
        memset(&d, 0, sizeof d);
        CHECK(im_geo_create(cases[0].def, none, &g, &d) == 0);
        cnt.g = g;
        a = g ? im_geo_approx_new(counted, &cnt, cases[0].box, 64, cases[0].tol) : NULL;
        CHECK(a != NULL);
        for (i = 0; i < MANY; i++) {
            x[i] = 34 + 10 * rnd(&seed);
            y[i] = 31 + 6.9 * rnd(&seed);
        }
        if (a)
            im_geo_approx_fwd(a, x, y, MANY);
        CHECK(cnt.points < MANY / 5);
        im_geo_approx_free(a);
        im_geo_free(g);
    }
    /* an empty box makes no grid */
    {
        double box[4] = {1, 1, 1, 2};
        CHECK(im_geo_approx_new(im_geo_fwd_fn, NULL, box, 64, 1) == NULL);
    }
    CHECK_DONE();
}
