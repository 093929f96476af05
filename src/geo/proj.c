/* PROJ: the map CRS, transforms into it, and automatic projections. */
#include "geo/geo.h"
#include "core/threads.h"

#include <math.h>
#include <proj.h>
#include <pthread.h>
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
    PJ_CONTEXT *lite;    /* for the direct transforms: never opens the database */
    PJ *crs;         /* the map CRS */
    PJ *fwd;         /* WGS84 lon/lat -> map */
    char *esri_wkt;
    char *proj_string;
    char *def;       /* the definition as given */
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

/* The .prj text ESRI tools (and Natural Earth) write for WGS84 lon/lat:
 * the same transform as no .prj at all. */
static const char im_geo_esri_wgs84[] =
    "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],"
    "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

/* One "+key=value" of a PROJ string that im_geo_direct_tf may copy as is:
 * a projection's name, or a plain number of at most 15 significant digits
 * (what PROJ writes back unchanged) for a projection parameter. */
static int im_geo_plain_param(const char *tok, size_t len)
{
    static const char *const keys[] = {"lat_0", "lat_1", "lat_2", "lat_ts", "lon_0", "x_0", "y_0", "k", "k_0"};
    const char *eq = memchr(tok, '=', len), *v;
    size_t i, klen;
    int digits = 0;
    if (!eq)
        return 0;
    klen = (size_t)(eq - tok);
    if (klen == 4 && strncmp(tok, "proj", 4) == 0) {
        for (v = eq + 1; v < tok + len; v++)
            if (!((*v >= 'a' && *v <= 'z') || (*v >= '0' && *v <= '9') || *v == '_'))
                return 0;
        return 1;
    }
    for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strlen(keys[i]) == klen && strncmp(tok, keys[i], klen) == 0)
            break;
    if (i == sizeof keys / sizeof keys[0] || eq + 1 == tok + len)
        return 0;
    for (v = eq + 1; v < tok + len; v++) {
        if (*v >= '0' && *v <= '9')
            digits++;
        else if (!(*v == '.' || (*v == '-' && v == eq + 1)))
            return 0;
    }
    return digits > 0 && digits <= 15;
}

static void im_geo_quiet(void *user, int level, const char *message)
{
    (void)user;
    (void)level;
    (void)message;
}

/* PROJ 9.1 opens its database for the first object made in any context
 * (some 5 ms, most of a small map's set-up), even a pipeline that needs
 * nothing from it.  The direct transforms are made in a context of their
 * own whose search path holds no database nor proj.ini ("/dev/null" is no
 * directory), its complaints about the missing database dropped: the same
 * operation, bit for bit (tests/unit/test_geo_transforms.c compares it
 * with PROJ's own search), made in a fraction of a millisecond. */
static PJ_CONTEXT *im_geo_lite_context(void)
{
    static const char *const nowhere[] = {"/dev/null"};
    PJ_CONTEXT *ctx = proj_context_create();
    if (!ctx)
        return NULL;
    proj_context_set_search_paths(ctx, 1, nowhere);
    proj_log_level(ctx, PJ_LOG_NONE);
    proj_log_func(ctx, NULL, im_geo_quiet);
    return ctx;
}

/* WGS84 lon/lat into a projection on the WGS84 datum in metres, given as a
 * plain PROJ string (the automatic projections, the usual hand-written
 * ones), is the projection step alone: PROJ's search for the operation
 * finds exactly that pipeline (tests/unit/test_geo_transforms.c checks it
 * bit for bit), but it looks up EPSG:4326 and the candidate operations in
 * PROJ's database, which takes longer than the rest of a small map's set-up.
 * NULL for anything else (EPSG codes, WKT, other datums or units, axis
 * orders, shifts, grids, projections not checked). */
enum { IM_DIRECT_ARGS = 32 };

/* The arguments of the direct transform for DEF, cut up in BUF (a copy of
 * DEF): 1, or 0 when DEF is not such a definition. */
static int im_geo_direct_argv(char *buf, char *argv[IM_DIRECT_ARGS], int *argc_out)
{
    static const char *const head[] = {"proj=pipeline", "step", "proj=unitconvert", "xy_in=deg", "xy_out=rad",
                                       "step"};
    static const char *const projs[] = {"lcc", "tmerc", "merc", "aea", "laea", "eqc", "robin", "stere", "eqearth"};
    char *p = buf, *name = NULL;
    const char *lat1 = NULL, *lat2 = NULL;
    int argc = 0, datum = 0, nproj = 0, known = 0;
    size_t i;
    for (i = 0; i < sizeof head / sizeof head[0]; i++)
        argv[argc++] = (char *)head[i];
    for (;;) {
        char *tok;
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        tok = p;
        p += strcspn(p, " ");
        if (*p)
            *p++ = '\0';
        if (tok[0] != '+' || argc >= IM_DIRECT_ARGS - 1)
            return 0;
        tok++;
        if (strcmp(tok, "datum=WGS84") == 0)
            datum = 1;
        else if (strcmp(tok, "units=m") == 0 || strcmp(tok, "no_defs") == 0 || strcmp(tok, "type=crs") == 0)
            ;
        else if (im_geo_plain_param(tok, strlen(tok))) {
            if (strncmp(tok, "proj=", 5) == 0) {
                nproj++;
                name = tok + 5;
            }
            if (strncmp(tok, "lat_1=", 6) == 0)
                lat1 = tok + 6;
            if (strncmp(tok, "lat_2=", 6) == 0)
                lat2 = tok + 6;
            argv[argc++] = tok;
        } else
            return 0;
    }
    for (i = 0; name && i < sizeof projs / sizeof projs[0]; i++)
        known |= strcmp(name, projs[i]) == 0;
    if (!datum || nproj != 1 || !known)
        return 0;
    /* PROJ reads a secant cone with one standard parallel (or two the
     * same) as a tangent one with its origin there: its way, not ours */
    if ((strcmp(name, "lcc") == 0 || strcmp(name, "aea") == 0) &&
        (!lat1 || !lat2 || strtod(lat1, NULL) == strtod(lat2, NULL)))
        return 0;
    argv[argc++] = (char *)"ellps=WGS84";
    *argc_out = argc;
    return 1;
}

static PJ *im_geo_direct_tf(im_geo *g, const char *def)
{
    char *argv[IM_DIRECT_ARGS], *buf = strdup(def);
    int argc;
    PJ *pj = NULL;
    if (buf && im_geo_direct_argv(buf, argv, &argc)) {
        if (!g->lite)
            g->lite = im_geo_lite_context();
        pj = g->lite ? proj_create_argv(g->lite, argc, argv) : NULL;
    }
    free(buf);
    return pj;
}

int im_geo_needs_database(const char *def)
{
    char *argv[IM_DIRECT_ARGS], *buf = strdup(def);
    int argc, direct = buf && im_geo_direct_argv(buf, argv, &argc);
    free(buf);
    return !direct;
}

/* The map CRS, made on first use (it opens PROJ's database).  -1 with an
 * IM_ERR_SPEC error at LOC when DEF is not a usable CRS. */
static int im_geo_crs(im_geo *g, im_loc loc, im_diag *d)
{
    if (g->crs)
        return 0;
    g->crs = proj_create(g->ctx, g->def);
    if (g->crs && !proj_is_crs(g->crs)) {
        /* a bare "+proj=..." operation: ask for it as a CRS */
        char *withtype = malloc(strlen(g->def) + 16);
        proj_destroy(g->crs);
        g->crs = NULL;
        if (withtype) {
            strcpy(withtype, g->def);
            strcat(withtype, " +type=crs");
            g->crs = proj_create(g->ctx, withtype);
            free(withtype);
        }
    }
    if (!g->crs || !proj_is_crs(g->crs)) {
        proj_destroy(g->crs);
        g->crs = NULL;
        return im_fail(d, IM_ERR_SPEC, loc.file, loc.line, loc.col, "projection '%s' is not usable: %s", g->def,
                       proj_context_errno_string(g->ctx, proj_context_errno(g->ctx)));
    }
    return 0;
}

static PJ *im_geo_make_tf(im_geo *g, const char *src, im_diag *d, const char *file, im_loc loc)
{
    PJ *src_crs, *raw = NULL, *norm = NULL;
    if (strcmp(src, "EPSG:4326") == 0 && (norm = im_geo_direct_tf(g, g->def)) != NULL)
        return norm;
    if (im_geo_crs(g, loc, d) != 0)
        return NULL;
    src_crs = proj_create(g->ctx, src);
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

static void im_geo_context_done(PJ_CONTEXT *ctx);

/* The context im_geo_prefetch opens: the thread, and what it made. */
static pthread_t im_geo_pre_thread;
static atomic_int im_geo_pre_running;
static PJ_CONTEXT *im_geo_pre_ctx;

static void *im_geo_pre_run(void *arg)
{
    PJ_CONTEXT *ctx = proj_context_create();
    (void)arg;
    if (ctx) {
        /* PROJ opens its database for any first object of a context */
        proj_log_level(ctx, PJ_LOG_NONE);
        proj_destroy(proj_create(ctx, "+proj=noop"));
    }
    im_geo_pre_ctx = ctx;
    return NULL;
}

void im_geo_prefetch(void)
{
    if (atomic_load(&im_geo_pre_running) || !im_threads_ok())
        return;
    if (pthread_create(&im_geo_pre_thread, NULL, im_geo_pre_run, NULL) == 0)
        atomic_store(&im_geo_pre_running, 1);
}

void im_geo_prefetch_wait(void)
{
    if (!atomic_exchange(&im_geo_pre_running, 0))
        return;
    pthread_join(im_geo_pre_thread, NULL);
    if (im_geo_pre_ctx)
        im_geo_context_done(im_geo_pre_ctx); /* a spare, for im_geo_context */
    im_geo_pre_ctx = NULL;
}

static PJ_CONTEXT *im_geo_context(void)
{
    int i;
    im_geo_prefetch_wait();
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
    *out = NULL;
    if (!g)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    g->ctx = im_geo_context();
    if (!g->ctx) {
        free(g);
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "cannot create a PROJ context");
    }
    proj_log_level(g->ctx, PJ_LOG_NONE);
    g->def = strdup(def);
    if (!g->def) {
        im_geo_free(g);
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    }
    /* the CRS itself only when the transform needs it */
    g->fwd = im_geo_direct_tf(g, def);
    if (g->fwd) {
        *out = g;
        return 0;
    }
    if (im_geo_crs(g, loc, d) != 0) {
        im_geo_free(g);
        return -1;
    }
    g->fwd = im_geo_make_tf(g, "EPSG:4326", d, NULL, loc);
    if (!g->fwd) {
        im_geo_free(g);
        return -1;
    }
    /* the ESRI WKT and the normalised PROJ string are made when asked for:
     * each reads PROJ's database, which the map itself may not need */
    *out = g;
    return 0;
}

int im_geo_clone(const im_geo *g, im_geo **out)
{
    im_diag quiet;
    im_loc none = {NULL, 0, 0};
    memset(&quiet, 0, sizeof quiet);
    return im_geo_create(g->def, none, out, &quiet);
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
    free(g->def);
    if (g->ctx)
        im_geo_context_done(g->ctx);
    if (g->lite)
        proj_context_destroy(g->lite);
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

void im_geo_fwd_fn(void *g, double *x, double *y, size_t n)
{
    im_geo_fwd(g, x, y, n);
}

void im_geo_inv(im_geo *g, double *x, double *y, size_t n)
{
    im_geo_trans(g->fwd, PJ_INV, x, y, n);
}

int im_geo_tf_get(im_geo *g, const char *src_wkt, const char *file, im_geo_tf **out, im_diag *d)
{
    int i;
    im_loc none = {NULL, 0, 0};
    if (src_wkt && strcmp(src_wkt, im_geo_esri_wgs84) == 0)
        src_wkt = NULL;
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
        im_diag quiet;
        const char *s = NULL;
        im_loc none = {NULL, 0, 0};
        memset(&quiet, 0, sizeof quiet);
        if (im_geo_crs(g, none, &quiet) == 0) {
            s = proj_as_wkt(g->ctx, g->crs, PJ_WKT1_ESRI, NULL);
            if (!s)
                s = proj_as_wkt(g->ctx, g->crs, PJ_WKT2_2019, NULL);
        }
        g->esri_wkt = strdup(s ? s : "");
    }
    return g->esri_wkt;
}

const char *im_geo_proj_string(im_geo *g)
{
    if (!g->proj_string) {
        im_diag quiet;
        const char *s = NULL;
        im_loc none = {NULL, 0, 0};
        memset(&quiet, 0, sizeof quiet);
        if (im_geo_crs(g, none, &quiet) == 0)
            s = proj_as_proj_string(g->ctx, g->crs, PJ_PROJ_5, NULL);
        g->proj_string = strdup(s ? s : g->def);
    }
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
