/* Shapefile reader: the only place that includes shapefil.h.
 *
 * Opens a .shp/.shx/.dbf triple (and .prj, .cpg, .qix when present) and
 * hands out shapes as read-only views that stay valid until the next read
 * on the same handle.  Attribute strings are returned in UTF-8: the .cpg
 * (or the DBF's language driver byte) names the encoding; without either,
 * bytes that are valid UTF-8 are kept and others are read as Latin-1.
 * Query by bounding box skips records by their stored bounds without
 * reading their vertices, and uses the .qix spatial index when present. */
#ifndef IM_DATA_SHP_H
#define IM_DATA_SHP_H

#include "incimap/error.h"
#include "incimap/map.h"

typedef struct im_shp im_shp;

typedef enum {
    IM_GEOM_NULL = 0,
    IM_GEOM_POINT,    /* point and multipoint (Z/M dropped) */
    IM_GEOM_LINE,     /* arc / polyline */
    IM_GEOM_POLYGON   /* rings: outer and holes, any order, as stored */
} im_geom_kind;

/* A shape as read.  x/y hold npoints coordinates in the layer's CRS;
 * part_start[i] is the first point of part i (nparts >= 1 unless null). */
typedef struct im_shape {
    im_geom_kind kind;
    int record;
    int nparts;
    const int *part_start;
    int npoints;
    const double *x, *y;
    double bbox[4];   /* xmin, ymin, xmax, ymax */
} im_shape;

/* Open PATH (with or without the .shp extension).  Errors name the file
 * and what is wrong (missing .dbf, .shx disagreeing with .shp, ...). */
int im_shp_open(const char *path, im_shp **out, im_diag *d);

/* The same for a file the map file names at NAMED_AT (may be NULL): a
 * file that is missing or no shapefile at all is reported at that line of
 * the map file, as a missing CSV or GeoJSON source is. */
int im_shp_open_at(const char *path, const im_loc *named_at, im_shp **out, im_diag *d);
void im_shp_close(im_shp *s);                   /* NULL: no-op */

im_geom_kind im_shp_kind(const im_shp *s);
int im_shp_count(const im_shp *s);
void im_shp_bounds(const im_shp *s, double bbox[4]);
const char *im_shp_path(const im_shp *s);       /* the .shp path */
/* Contents of the .prj (WKT), or NULL when there is none (= WGS84). */
const char *im_shp_crs(const im_shp *s);

/* How attribute text is decoded, for `incimap info`: "UTF-8 (.cpg)",
 * "CP1252 (DBF language driver 0x57)", "UTF-8 where valid, else Latin-1
 * (no .cpg)". */
const char *im_shp_encoding_name(const im_shp *s);
/* The shape type as ogrinfo names it: "Point", "Line String", "Polygon",
 * "Multi Point", with "3D " (Z) or "Measured " (M) before it. */
const char *im_shp_type_name(const im_shp *s);

int im_shp_nfields(const im_shp *s);
/* FIELD's DBF type ('C' text, 'N' number, 'F' float, 'D' date, 'L'
 * logical, ...) with its declared width and decimals. */
char im_shp_field_type(const im_shp *s, int field, int *width, int *decimals);
const char *im_shp_field_name(const im_shp *s, int field);
int im_shp_field_index(const im_shp *s, const char *name); /* case-insensitive; -1 */
/* Attribute of record REC as UTF-8 text ("" for NULL values); valid until
 * the next im_shp_attr call on this handle. */
const char *im_shp_attr(im_shp *s, int rec, int field);

/* How many attribute values read so far held bytes that are invalid in the
 * layer's encoding (each shown with U+FFFD), for a warning by the caller. */
int im_shp_bad_text(const im_shp *s);
/* Warn through D when attribute values read so far had such bytes. */
void im_shp_warn_bad_text(const im_shp *s, im_diag *d);

typedef int (*im_shp_visit_fn)(void *user, const im_shape *shape);

/* Call VISIT for each non-null shape whose bounds intersect BOX (xmin, ymin,
 * xmax, ymax in the layer's CRS; NULL = all), in record order.  A visitor
 * returning non-zero stops the walk and that value is returned.  Returns
 * -1 with d set on a read error (a corrupt record names the record). */
int im_shp_query(im_shp *s, const double *box, im_shp_visit_fn visit, void *user,
                 im_diag *d);

/* Read one record (NULL-shape records give kind IM_GEOM_NULL, npoints 0;
 * so do shapes with a coordinate that is NaN, infinite or beyond 1e10,
 * with a warning for the first of them). */
int im_shp_read(im_shp *s, int rec, im_shape *out, im_diag *d);

#endif
