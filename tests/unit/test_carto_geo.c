/* Unit tests of the measurements the map furniture rests on: the north
 * arrow's angle (im_geo_north_angle) against PROJ's own meridian
 * convergence (proj_factors) in projections where north is not up, and the
 * scale bar's length against the geodesic distance it claims, at the
 * centre of maps in several projections. */
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <string.h>

#include "carto/carto.h"
#include "check.h"
#include "geo/geo.h"

#define DEG (M_PI / 180)

/* PROJ's meridian convergence of CRS at lon/lat, radians. */
static double proj_convergence(const char *crs, double lon, double lat)
{
    PJ_CONTEXT *ctx = proj_context_create();
    PJ *p = proj_create(ctx, crs);
    PJ_FACTORS f;
    double c = NAN;
    if (p) {
        f = proj_factors(p, proj_coord(lon * DEG, lat * DEG, 0, 0));
        if (!proj_errno(p))
            c = f.meridian_convergence;
        proj_destroy(p);
    }
    proj_context_destroy(ctx);
    return c;
}

static void check_north(const char *crs, double lon, double lat, double at_least_deg)
{
    im_geo *g = NULL;
    im_diag d;
    im_loc loc = {NULL, 0, 0};
    double ours, theirs;
    im_diag_init(&d, NULL, NULL);
    if (im_geo_create(crs, loc, &g, &d) != 0) {
        fprintf(stderr, "%s: %s\n", crs, d.message);
        im_test_failures++;
        return;
    }
    ours = im_geo_north_angle(g, lon, lat);
    theirs = proj_convergence(crs, lon, lat);
    /* the arrow must really turn here, and by PROJ's angle (+-0.5 deg;
     * in practice to a few thousandths) */
    CHECK(fabs(theirs) >= at_least_deg * DEG);
    CHECK_NEAR(ours / DEG, theirs / DEG, 0.5);
    CHECK_NEAR(ours / DEG, theirs / DEG, 0.01);
    im_geo_free(g);
}

static void test_north(void)
{
    /* UTM 37N (central meridian 39E) far east and west of it */
    check_north("EPSG:32637", 45, 60, 5);
    check_north("EPSG:32637", 33, 40, 3);
    check_north("EPSG:32637", 39, 30, 0); /* on the central meridian: 0 */
    /* a Lambert conic far from its central meridian, and a polar
     * stereographic map (north points to the pole) */
    check_north("+proj=lcc +lat_1=30 +lat_2=40 +lat_0=35 +lon_0=20 +datum=WGS84 +units=m +type=crs", 40, 38, 10);
    check_north("+proj=stere +lat_0=90 +lon_0=0 +datum=WGS84 +units=m +type=crs", 60, 75, 50);
}

/* The scale bar a map of VIEW through CRS would get: metres per px from a
 * 100 px geodesic across the frame's centre (as src/api/furniture.c does),
 * checked against PROJ's scale factor at the centre: the bar's length in
 * px, times the map units per px, divided by the point scale, is the
 * ground distance it claims (+-1%). */
static void check_scalebar(const char *crs, double lon, double lat, double m_per_px_wanted)
{
    im_geo *g = NULL;
    im_diag d;
    im_loc loc = {NULL, 0, 0};
    im_view v;
    double cx, cy, x[2], y[2], mpp, len, len_px, k;
    PJ_CONTEXT *ctx;
    PJ *p;
    PJ_FACTORS f;
    im_diag_init(&d, NULL, NULL);
    if (im_geo_create(crs, loc, &g, &d) != 0) {
        fprintf(stderr, "%s: %s\n", crs, d.message);
        im_test_failures++;
        return;
    }
    cx = lon;
    cy = lat;
    im_geo_fwd(g, &cx, &cy, 1);
    /* a 1000 x 800 px frame centred on lon/lat, m_per_px_wanted map units per px */
    im_view_fit(&v, 0, 0, 1000, 800, cx - 500 * m_per_px_wanted, cy - 400 * m_per_px_wanted,
                cx + 500 * m_per_px_wanted, cy + 400 * m_per_px_wanted);
    x[0] = 450;
    x[1] = 550;
    y[0] = y[1] = 400;
    im_view_from_px(&v, x, y, 2);
    im_geo_inv(g, x, y, 2);
    mpp = im_geod_distance(x[0], y[0], x[1], y[1]) / 100;
    len = im_carto_scalebar_length(mpp, 250, &len_px);
    CHECK(len > 0 && len_px <= 250 && len_px > 100);
    ctx = proj_context_create();
    p = proj_create(ctx, crs);
    f = proj_factors(p, proj_coord(lon * DEG, lat * DEG, 0, 0));
    k = f.parallel_scale; /* conformal: the same in every direction */
    proj_destroy(p);
    proj_context_destroy(ctx);
    /* map metres the bar spans, back to the ground */
    CHECK_NEAR(len_px / v.px_per_unit / k / len, 1, 0.01);
    CHECK_NEAR(len_px / v.px_per_unit / k / len, 1, 0.001);
    im_geo_free(g);
}

static void test_scalebar(void)
{
    check_scalebar("EPSG:32637", 45, 60, 300);      /* UTM, 6 deg off its meridian */
    check_scalebar("EPSG:3857", 38.6, 33.5, 400);   /* Web Mercator: scale 1.2 here */
    check_scalebar("+proj=lcc +lat_1=32.5 +lat_2=36.5 +lat_0=34.5 +lon_0=39 +datum=WGS84 +units=m +type=crs",
                   39, 34.5, 500);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    test_north();
    test_scalebar();
    CHECK_DONE();
}
