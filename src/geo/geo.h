/* Projection and geodesy: the only module that includes proj.h/geodesic.h.
 *
 * An im_geo owns a PROJ context and the map's target CRS.  It transforms
 * lon/lat (WGS84) to map coordinates and back, and hands out transforms
 * from other CRSs (a layer's .prj) to the map CRS, cached by their WKT.
 * Coordinates that cannot be transformed come back as HUGE_VAL. */
#ifndef IM_GEO_H
#define IM_GEO_H

#include <stddef.h>

#include "core/arena.h"
#include "incimap/error.h"
#include "incimap/map.h"

typedef struct im_geo im_geo;
typedef struct im_geo_tf im_geo_tf; /* owned by its im_geo */

/* A transform of N points in place (HUGE_VAL for those it cannot). */
typedef void (*im_geo_fn)(void *ctx, double *x, double *y, size_t n);

/* Many points through a grid (approx.c): FN's exact values at the corners
 * of cells, CELLS across BOX (x0, y0, x1, y1 in FN's input units; fewer
 * along its shorter side), the grid reaching one BOX beyond it on every
 * side; bilinear inside a cell that stays within TOL (FN's output units)
 * of FN at its centre and edge midpoints; FN itself for the points of
 * other cells and outside the grid.  The results
 * depend only on the grid and the points, never on the order or grouping
 * of the calls.  NULL when BOX is empty or out of memory. */
typedef struct im_geo_approx im_geo_approx;
im_geo_approx *im_geo_approx_new(im_geo_fn fn, void *ctx, const double box[4], int cells, double tol);
void im_geo_approx_fwd(im_geo_approx *a, double *x, double *y, size_t n);
void im_geo_approx_free(im_geo_approx *a); /* NULL: no-op */

/* A PROJ string for a conformal projection that suits the lon/lat box:
 * Lambert conformal conic with standard parallels at 1/6 and 5/6 of the
 * box for mid-latitude boxes wider than tall, transverse Mercator for tall
 * or equatorial boxes, polar stereographic near the poles, and Equal Earth
 * for boxes too big for either. */
char *im_geo_auto_projection(im_arena *a, double lon0, double lat0, double lon1, double lat1);

/* Create the map CRS from DEF (EPSG:nnnn, a PROJ string, WKT).  A bad
 * definition is an IM_ERR_SPEC error at LOC with PROJ's reason. */
int im_geo_create(const char *def, im_loc loc, im_geo **out, im_diag *d);
void im_geo_free(im_geo *g); /* NULL: no-op */
/* Start opening PROJ's database on a second thread (for a one-off render:
 * the map file and its data are read meanwhile); the next im_geo_create
 * waits for it and takes that context.  im_geo_prefetch_wait joins the
 * thread (when no im_geo was made).  Neither may be called while another
 * thread calls them. */
void im_geo_prefetch(void);
/* 1 when the map CRS DEF needs PROJ's database (an EPSG code, WKT, another
 * datum...); 0 for a plain PROJ string on WGS84, made without it. */
int im_geo_needs_database(const char *def);
void im_geo_prefetch_wait(void);
/* A second im_geo for the same map CRS, with a PROJ context of its own, for
 * another thread (PROJ objects may not be shared between threads); each
 * point projects bit for bit as with G.  -1 when it cannot be made. */
int im_geo_clone(const im_geo *g, im_geo **out);

/* lon/lat -> map coordinates (metres usually), in place. */
void im_geo_fwd(im_geo *g, double *x, double *y, size_t n);
/* The same as an im_geo_fn, with G as its context. */
void im_geo_fwd_fn(void *g, double *x, double *y, size_t n);
/* map coordinates -> lon/lat, in place. */
void im_geo_inv(im_geo *g, double *x, double *y, size_t n);

/* Transform from SRC_WKT (a .prj's text; NULL = WGS84 lon/lat) to the map
 * CRS.  FILE names the .prj for errors.  The result belongs to G. */
int im_geo_tf_get(im_geo *g, const char *src_wkt, const char *file, im_geo_tf **out,
                  im_diag *d);
void im_geo_tf_fwd(im_geo_tf *t, double *x, double *y, size_t n);
void im_geo_tf_inv(im_geo_tf *t, double *x, double *y, size_t n);

/* The map CRS as ESRI WKT (for a world file's .prj), owned by G; made on
 * the first call.  NULL when out of memory. */
const char *im_geo_esri_wkt(im_geo *g);
/* The map CRS as a PROJ string, owned by G (for messages). */
const char *im_geo_proj_string(im_geo *g);

/* Angle of true north at lon/lat in map coordinates, radians,
 * counter-clockwise from the map's +y axis (0 = straight up). */
double im_geo_north_angle(im_geo *g, double lon, double lat);

/* WGS84 ellipsoid geodesics (Karney's algorithms in PROJ). */
double im_geod_distance(double lon1, double lat1, double lon2, double lat2); /* metres */
void im_geod_direct(double lon, double lat, double azimuth_deg, double dist_m,
                    double *lon2, double *lat2);
/* N points of the geodesic circle of RADIUS_M around lon/lat (not closed). */
void im_geod_circle(double lon, double lat, double radius_m, int n, double *lons, double *lats);

/* Name the coordinate system DEF (a .prj's WKT, EPSG:n, a PROJ string) as
 * PROJ understands it, "WGS 84 (EPSG:4326)", into BUF (crs.c).  Returns
 * 0, or -1 with BUF saying why not. */
int im_geo_crs_name(const char *def, char *buf, size_t size);

#endif
