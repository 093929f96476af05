/* Unit tests of the map transforms im_geo builds without PROJ's database
 * (WGS84 lon/lat into a plain PROJ string on WGS84, and the ESRI .prj text
 * for WGS84): every coordinate, forward and back, must be bit for bit what
 * PROJ's own operation search (with the database) gives, so maps stay
 * byte-identical; definitions outside that case take PROJ's way. */
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "geo/geo.h"

#define NPTS 400

static const char esri_wgs84[] =
    "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],"
    "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

/* lon/lat points around lon0/lat0, some far off (to fail alike) */
static void points(double lon0, double lat0, double *x, double *y)
{
    int i;
    for (i = 0; i < NPTS; i++) {
        x[i] = lon0 + (i % 20 - 10) * 1.37 + i * 1e-7;
        y[i] = lat0 + (i / 20 - 10) * 0.91;
        if (y[i] > 90)
            y[i] = 90;
        if (y[i] < -90)
            y[i] = -90;
    }
}

/* PROJ's transform from EPSG:4326 to DEF, lon/lat order, as im_geo made
 * them before: the reference */
static PJ *reference(PJ_CONTEXT *ctx, const char *def)
{
    char crsdef[512];
    PJ *src = proj_create(ctx, "EPSG:4326"), *dst, *raw, *norm = NULL;
    snprintf(crsdef, sizeof crsdef, "%s%s", def, strstr(def, "+type=crs") ? "" : " +type=crs");
    dst = proj_create(ctx, strncmp(def, "+proj", 5) == 0 ? crsdef : def);
    raw = src && dst ? proj_create_crs_to_crs_from_pj(ctx, src, dst, NULL, NULL) : NULL;
    if (raw)
        norm = proj_normalize_for_visualization(ctx, raw);
    proj_destroy(raw);
    proj_destroy(src);
    proj_destroy(dst);
    return norm;
}

static int same(const double *a, const double *b)
{
    int i;
    for (i = 0; i < NPTS; i++) {
        /* failed points: HUGE_VAL from im_geo, inf or NaN from PROJ */
        if (!isfinite(a[i]) && !isfinite(b[i]))
            continue;
        if (memcmp(&a[i], &b[i], sizeof a[i]) != 0) {
            fprintf(stderr, "point %d: %.17g vs %.17g\n", i, a[i], b[i]);
            return 0;
        }
    }
    return 1;
}

static void check_def(PJ_CONTEXT *ctx, const char *def, double lon0, double lat0)
{
    static double x[NPTS], y[NPTS], rx[NPTS], ry[NPTS];
    im_geo *g = NULL;
    im_geo_tf *tf = NULL;
    im_diag d;
    im_loc loc = {"test", 1, 1};
    PJ *ref = reference(ctx, def);
    memset(&d, 0, sizeof d);
    CHECK(ref != NULL);
    CHECK(im_geo_create(def, loc, &g, &d) == 0);
    if (!ref || !g)
        goto done;
    points(lon0, lat0, x, y);
    points(lon0, lat0, rx, ry);
    im_geo_fwd(g, x, y, NPTS);
    proj_trans_generic(ref, PJ_FWD, rx, sizeof(double), NPTS, ry, sizeof(double), NPTS, NULL, 0, 0, NULL, 0, 0);
    if (!same(x, rx) || !same(y, ry)) {
        fprintf(stderr, "forward differs for %s\n", def);
        im_test_failures++;
    }
    /* back from the map coordinates PROJ gave */
    memcpy(x, rx, sizeof x);
    memcpy(y, ry, sizeof y);
    im_geo_inv(g, x, y, NPTS);
    proj_trans_generic(ref, PJ_INV, rx, sizeof(double), NPTS, ry, sizeof(double), NPTS, NULL, 0, 0, NULL, 0, 0);
    if (!same(x, rx) || !same(y, ry)) {
        fprintf(stderr, "inverse differs for %s\n", def);
        im_test_failures++;
    }
    /* a layer whose .prj is ESRI's WGS84 text */
    CHECK(im_geo_tf_get(g, esri_wgs84, "layer.prj", &tf, &d) == 0);
    if (tf) {
        points(lon0, lat0, x, y);
        points(lon0, lat0, rx, ry);
        im_geo_tf_fwd(tf, x, y, NPTS);
        proj_trans_generic(ref, PJ_FWD, rx, sizeof(double), NPTS, ry, sizeof(double), NPTS, NULL, 0, 0, NULL, 0,
                           0);
        if (!same(x, rx) || !same(y, ry)) {
            fprintf(stderr, "ESRI WGS84 layer differs for %s\n", def);
            im_test_failures++;
        }
    }
    /* the CRS itself, made on demand, is the one asked for */
    CHECK(strstr(im_geo_proj_string(g), "+proj=") != NULL);
    CHECK(im_geo_esri_wkt(g) && im_geo_esri_wkt(g)[0]);
done:
    im_geo_free(g);
    proj_destroy(ref);
}

int main(int argc, char **argv)
{
    PJ_CONTEXT *ctx = proj_context_create();
    im_arena *a = im_arena_create();
    (void)argc;
    (void)argv;
    proj_log_level(ctx, PJ_LOG_NONE);
    /* the automatic projections */
    check_def(ctx, im_geo_auto_projection(a, 35, 32, 42, 37), 39, 34.5);
    check_def(ctx, im_geo_auto_projection(a, 38, 20, 40, 35), 39, 27);
    check_def(ctx, im_geo_auto_projection(a, -30, 65, 40, 85), 5, 75);
    check_def(ctx, im_geo_auto_projection(a, -60, -70, 20, -62), -20, -66);
    check_def(ctx, im_geo_auto_projection(a, -170, -60, 170, 70), 0, 0);
    /* hand-written ones, in other orders and spellings */
    check_def(ctx, "+proj=lcc +lat_1=33 +lat_2=37 +lat_0=34.5 +lon_0=39 +datum=WGS84 +units=m +no_defs", 39, 34.5);
    check_def(ctx, "+proj=lcc +lat_1=33.123456789012 +lon_0=39.5 +datum=WGS84", 39, 34.5);
    check_def(ctx, "+proj=tmerc +lon_0=36 +k=0.9996 +x_0=500000 +y_0=-100 +datum=WGS84 +units=m", 36, 33);
    check_def(ctx, "+proj=merc +lat_ts=20 +lon_0=-3 +datum=WGS84 +type=crs", -3, 20);
    check_def(ctx, "+proj=aea +lat_1=29.5 +lat_2=45.5 +lat_0=23 +lon_0=-96 +datum=WGS84", -96, 38);
    check_def(ctx, "+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +datum=WGS84", 10, 52);
    check_def(ctx, "+proj=eqc +lat_ts=30 +datum=WGS84", 10, 20);
    check_def(ctx, "+proj=robin +lon_0=11 +datum=WGS84", 0, 0);
    check_def(ctx, "+proj=stere +lat_0=90 +lat_ts=70 +lon_0=-45 +datum=WGS84", -45, 80);
    /* outside the case: PROJ's way, same answers */
    check_def(ctx, "+proj=utm +zone=37 +datum=WGS84 +units=m +no_defs", 39, 34);
    check_def(ctx, "+proj=lcc +lat_1=33 +lat_2=37 +lon_0=39 +ellps=intl +units=km", 39, 34.5);
    check_def(ctx, "+proj=tmerc +lon_0=36 +k=1.000000000000001 +datum=WGS84", 36, 33);
    check_def(ctx, "EPSG:32637", 39, 34);
    check_def(ctx, "+proj=lcc +lat_1=33 +lat_2=33.0 +lat_0=30 +lon_0=39 +datum=WGS84", 39, 34.5);
    check_def(ctx, "+proj=aea +lat_1=30 +lon_0=0 +datum=WGS84", 0, 35);
    check_def(ctx, "+proj=stere +lat_0=45 +lon_0=10 +k=0.9999 +datum=WGS84", 10, 45);
    check_def(ctx, "+proj=longlat +datum=WGS84", 10, 45);
    im_arena_destroy(a);
    proj_context_destroy(ctx);
    CHECK_DONE();
}
