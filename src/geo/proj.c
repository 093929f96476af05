/* PROJ: the map CRS, transforms into it, and automatic projections. */
#include "geo/geo.h"

#include <math.h>
#include <proj.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define IM_GEO_MAX_TF 32
#define IM_GEO_SPARE 4

struct im_geo_tf {
    char *wkt;       /* NULL for WGS84 */
    PJ *pj;
};

struct im_geo {
    PJ_CONTEXT *ctx;
    PJ *crs;         /* the map CRS */
    PJ *fwd;         /* WGS84 lon/lat -> map */
    char *esri_wkt;
    char *proj_string;
    im_geo_tf tfs[IM_GEO_MAX_TF];
    int ntfs;
};

char *im_geo_auto_projection(im_arena *a, double lon0, double lat0, double lon1, double lat1)
{
    double clon = (lon0 + lon1) / 2, clat = (lat0 + lat1) / 2;
    double dlon = lon1 - lon0, dlat = lat1 - lat0;
    if (dlon > 120 || dlat > 90)
        return im_arena_printf(a, "+proj=eqearth +lon_0=%.6g +datum=WGS84 +units=m +no_defs", clon);
    if (lat0 > 60 || lat1 < -60)
        return im_arena_printf(a, "+proj=stere +lat_0=%d +lon_0=%.6g +datum=WGS84 +units=m +no_defs",
                               clat > 0 ? 90 : -90, clon);
    if (fabs(clat) < 8 || dlat > dlon * 1.3 || lat0 * lat1 < 0)
        return im_arena_printf(a, "+proj=tmerc +lat_0=%.6g +lon_0=%.6g +k=1 +datum=WGS84 +units=m +no_defs",
                               clat, clon);
    return im_arena_printf(a,
                           "+proj=lcc +lat_1=%.6g +lat_2=%.6g +lat_0=%.6g +lon_0=%.6g +datum=WGS84 +units=m +no_defs",
                           lat0 + dlat / 6, lat1 - dlat / 6, clat, clon);
}

static PJ *im_geo_make_tf(im_geo *g, const char *src, im_diag *d, const char *file, im_loc loc)
{
    PJ *src_crs = proj_create(g->ctx, src);
    PJ *raw = NULL, *norm = NULL;
    if (!src_crs) {
        im_fail(d, IM_ERR_DATA, file ? file : loc.file, file ? 0 : loc.line, file ? 0 : loc.col,
                "unusable coordinate system: %s",
                proj_context_errno_string(g->ctx, proj_context_errno(g->ctx)));
        return NULL;
    }
    raw = proj_create_crs_to_crs_from_pj(g->ctx, src_crs, g->crs, NULL, NULL);
    proj_destroy(src_crs);
    if (raw)
        norm = proj_normalize_for_visualization(g->ctx, raw);
    proj_destroy(raw);
    if (!norm)
        im_fail(d, IM_ERR_DATA, file ? file : loc.file, file ? 0 : loc.line, file ? 0 : loc.col,
                "no transformation to the map projection: %s",
                proj_context_errno_string(g->ctx, proj_context_errno(g->ctx)));
    return norm;
}

/* PROJ contexts of freed im_geos, kept for the next: a new context opens
 * proj.db again and starts with empty caches, which costs more than a
 * small map's whole render.  Each slot is taken and given back with an
 * atomic exchange, so threads never share a context.  A context is never
 * used by another process than the one that made it (its database handle
 * must not cross a fork): after a fork the spares are left alone. */
static _Atomic(PJ_CONTEXT *) im_geo_spare[IM_GEO_SPARE];
static _Atomic(pid_t) im_geo_spare_pid;

static PJ_CONTEXT *im_geo_context(void)
{
    int i;
    if (atomic_load(&im_geo_spare_pid) == getpid())
        for (i = 0; i < IM_GEO_SPARE; i++) {
            PJ_CONTEXT *ctx = atomic_exchange(&im_geo_spare[i], NULL);
            if (ctx)
                return ctx;
        }
    return proj_context_create();
}

static void im_geo_context_done(PJ_CONTEXT *ctx)
{
    pid_t me = getpid();
    int i;
    if (atomic_exchange(&im_geo_spare_pid, me) != me)
        for (i = 0; i < IM_GEO_SPARE; i++)
            atomic_store(&im_geo_spare[i], NULL); /* a parent's: not ours to close */
    for (i = 0; i < IM_GEO_SPARE; i++) {
        PJ_CONTEXT *none = NULL;
        if (atomic_compare_exchange_strong(&im_geo_spare[i], &none, ctx))
            return;
    }
    proj_context_destroy(ctx);
}

int im_geo_create(const char *def, im_loc loc, im_geo **out, im_diag *d)
{
    im_geo *g = calloc(1, sizeof *g);
    const char *s;
    *out = NULL;
    if (!g)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    g->ctx = im_geo_context();
    if (!g->ctx) {
        free(g);
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "cannot create a PROJ context");
    }
    proj_log_level(g->ctx, PJ_LOG_NONE);
    g->crs = proj_create(g->ctx, def);
    if (g->crs && !proj_is_crs(g->crs)) {
        /* a bare "+proj=..." operation: ask for it as a CRS */
        char *withtype = malloc(strlen(def) + 16);
        proj_destroy(g->crs);
        g->crs = NULL;
        if (withtype) {
            strcpy(withtype, def);
            strcat(withtype, " +type=crs");
            g->crs = proj_create(g->ctx, withtype);
            free(withtype);
        }
    }
    if (!g->crs || !proj_is_crs(g->crs)) {
        im_fail(d, IM_ERR_SPEC, loc.file, loc.line, loc.col, "projection '%s' is not usable: %s", def,
                proj_context_errno_string(g->ctx, proj_context_errno(g->ctx)));
        im_geo_free(g);
        return -1;
    }
    if (proj_get_type(g->crs) == PJ_TYPE_GEOGRAPHIC_2D_CRS || proj_get_type(g->crs) == PJ_TYPE_GEOGRAPHIC_3D_CRS) {
        /* plate carree in degrees: fine, lon/lat order is normalised below */
    }
    g->fwd = im_geo_make_tf(g, "EPSG:4326", d, NULL, loc);
    if (!g->fwd) {
        im_geo_free(g);
        return -1;
    }
    /* the ESRI WKT is made when a world file asks for it: it costs as
     * much as the rest of this function */
    s = proj_as_proj_string(g->ctx, g->crs, PJ_PROJ_5, NULL);
    g->proj_string = strdup(s ? s : def);
    if (!g->proj_string) {
        im_geo_free(g);
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    }
    *out = g;
    return 0;
}

void im_geo_free(im_geo *g)
{
    int i;
    if (!g)
        return;
    for (i = 0; i < g->ntfs; i++) {
        proj_destroy(g->tfs[i].pj);
        free(g->tfs[i].wkt);
    }
    proj_destroy(g->fwd);
    proj_destroy(g->crs);
    free(g->esri_wkt);
    free(g->proj_string);
    if (g->ctx)
        im_geo_context_done(g->ctx);
    free(g);
}

/* proj_trans_generic with HUGE_VAL for points that fail. */
static void im_geo_trans(PJ *pj, PJ_DIRECTION dir, double *x, double *y, size_t n)
{
    size_t i;
    if (n == 0)
        return;
    proj_trans_generic(pj, dir, x, sizeof(double), n, y, sizeof(double), n, NULL, 0, 0, NULL, 0, 0);
    for (i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) {
            x[i] = HUGE_VAL;
            y[i] = HUGE_VAL;
        }
    }
}

void im_geo_fwd(im_geo *g, double *x, double *y, size_t n)
{
    im_geo_trans(g->fwd, PJ_FWD, x, y, n);
}

void im_geo_inv(im_geo *g, double *x, double *y, size_t n)
{
    im_geo_trans(g->fwd, PJ_INV, x, y, n);
}

int im_geo_tf_get(im_geo *g, const char *src_wkt, const char *file, im_geo_tf **out, im_diag *d)
{
    int i;
    im_loc none = {NULL, 0, 0};
    for (i = 0; i < g->ntfs; i++) {
        if ((!src_wkt && !g->tfs[i].wkt) || (src_wkt && g->tfs[i].wkt && strcmp(src_wkt, g->tfs[i].wkt) == 0)) {
            *out = &g->tfs[i];
            return 0;
        }
    }
    if (g->ntfs == IM_GEO_MAX_TF)
        return im_fail(d, IM_ERR_DATA, file, 0, 0, "too many different coordinate systems (at most %d)",
                       IM_GEO_MAX_TF);
    g->tfs[g->ntfs].pj = im_geo_make_tf(g, src_wkt ? src_wkt : "EPSG:4326", d, file, none);
    if (!g->tfs[g->ntfs].pj)
        return -1;
    g->tfs[g->ntfs].wkt = src_wkt ? strdup(src_wkt) : NULL;
    *out = &g->tfs[g->ntfs++];
    return 0;
}

void im_geo_tf_fwd(im_geo_tf *t, double *x, double *y, size_t n)
{
    im_geo_trans(t->pj, PJ_FWD, x, y, n);
}

void im_geo_tf_inv(im_geo_tf *t, double *x, double *y, size_t n)
{
    im_geo_trans(t->pj, PJ_INV, x, y, n);
}

const char *im_geo_esri_wkt(im_geo *g)
{
    if (!g->esri_wkt) {
        const char *s = proj_as_wkt(g->ctx, g->crs, PJ_WKT1_ESRI, NULL);
        if (!s)
            s = proj_as_wkt(g->ctx, g->crs, PJ_WKT2_2019, NULL);
        g->esri_wkt = strdup(s ? s : "");
    }
    return g->esri_wkt;
}

const char *im_geo_proj_string(im_geo *g)
{
    return g->proj_string;
}

double im_geo_north_angle(im_geo *g, double lon, double lat)
{
    /* a short step north along the meridian, in map coordinates */
    double step = lat > 89.9 ? -1e-3 : 1e-3;
    double x[2] = {lon, lon}, y[2] = {lat, lat + step};
    double dx, dy;
    im_geo_fwd(g, x, y, 2);
    if (x[0] == HUGE_VAL || x[1] == HUGE_VAL)
        return 0;
    dx = x[1] - x[0];
    dy = y[1] - y[0];
    if (step < 0) {
        dx = -dx;
        dy = -dy;
    }
    return atan2(-dx, dy);
}
