/* incimap info: what a data file holds.
 *
 * im_info_file() reads a shapefile, CSV or GeoJSON file once, streaming,
 * and describes it: format, geometry, feature count, fields and their
 * types, extent, coordinate system, encoding, and, when its records can be
 * incidents, their date range and counts by type and actor.  Everything
 * in an im_info lives in its arena and goes with im_info_free(). */
#ifndef INCIMAP_INFO_H
#define INCIMAP_INFO_H

#include "incimap/error.h"
#include "incimap/map.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct im_info_field {
    const char *name;
    const char *type;         /* "Integer", "Integer64", "Real", "String", "Date", "Boolean",
                               * "Object" (GeoJSON), "mixed" */
    int width, precision;     /* as the DBF declares them; 0 for CSV and GeoJSON */
    const char *role;         /* what incimap reads it as ("latitude", "date", ...), or NULL */
    long long nempty;         /* records where it is empty or missing (CSV, GeoJSON) */
} im_info_field;

typedef struct im_info_count {
    const char *name;
    long long count;
} im_info_count;

typedef struct im_info {
    const char *path;
    const char *format;       /* "ESRI Shapefile", "CSV", "GeoJSON" */
    const char *geometry;     /* "Point", "Line String", "Polygon", "3D Point", ..., or for
                               * GeoJSON the types found: "Point (12), LineString (1)" */
    long long count;          /* features, shapes or data rows */
    im_info_field *fields;
    int nfields;
    int has_extent;
    double extent[4];         /* xmin, ymin, xmax, ymax in the file's CRS */
    const char *crs;          /* "WGS 84 (EPSG:4326)" */
    const char *crs_source;   /* ".prj", "none: WGS 84 assumed", "RFC 7946", ... */
    const char *encoding;     /* "UTF-8 (.cpg)", "UTF-8 with BOM", ... */
    const char *delimiter;    /* CSV: "comma", "semicolon", "tab"; else NULL */
    long long nbad_utf8;      /* CSV rows with bytes that are not UTF-8 */

    /* Incident records (when the file has positions incimap can read):
     * usable ones, ones that would be skipped, the date range. */
    int incidents;
    long long nincidents, nskipped, nundated;
    const char *date_min, *date_max;
    im_info_count types[IM_ITYPE_COUNT];   /* by incident type, in type order */
    im_info_count *actors;    /* most frequent first */
    int nactors;
    long long geo_precision[4], time_precision[4]; /* [0]: not given; 1..3 */
    const char *note;         /* why the file is no incident source, or NULL */

    im_arena *arena;
} im_info;

/* Describe PATH (.shp, .csv/.tsv/.txt, .geojson/.json).  Problems with
 * single records are warnings through d; a file that cannot be read is an
 * error.  *OUT is NULL on failure. */
int im_info_file(const char *path, im_info **out, im_diag *d);
void im_info_free(im_info *info); /* NULL: no-op */

#ifdef __cplusplus
}
#endif
#endif
