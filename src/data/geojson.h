/* The streaming GeoJSON scanner under the incident reader, the lines and
 * zones read from files, and `incimap info`: yajl is fed 64 KB at a time
 * and every feature is handed over as soon as its closing brace is read,
 * so memory holds one feature, never the file.  Accepts a
 * FeatureCollection, a single Feature or a bare geometry, members in any
 * order.  Internal to src/data. */
#ifndef IM_DATA_GEOJSON_H
#define IM_DATA_GEOJSON_H

#include "incimap/error.h"
#include "incimap/map.h"

typedef enum {
    IM_GJ_NONE = 0,          /* no geometry, or null */
    IM_GJ_POINT,
    IM_GJ_MULTIPOINT,
    IM_GJ_LINESTRING,
    IM_GJ_MULTILINESTRING,
    IM_GJ_POLYGON,
    IM_GJ_MULTIPOLYGON,
    IM_GJ_COLLECTION,        /* GeometryCollection: its members are not read */
    IM_GJ_UNKNOWN            /* a "type" that is no geometry type */
} im_gj_geom;

/* One feature, valid during the callback only.  Positions are lon, lat
 * pairs (a third number is dropped); a part is one innermost list of
 * positions (a line, a ring) and a polygon a list of parts. */
typedef struct im_gj_feature {
    int index;               /* 0-based, as .features[i]; 0 for a lone Feature or geometry */
    int line;                /* line of its '{' */
    long long offset;        /* byte offset of its '{' */
    im_gj_geom geom;
    const char *type;        /* the geometry's "type" as written ("" if none) */
    int geometry_null;       /* "geometry": null */
    const char *bad;         /* why the coordinates do not fit the type, or NULL */
    const double *xy;
    int npos;
    const int *part_start;   /* first position of each part */
    int nparts;
    const int *poly_start;   /* first part of each polygon */
    int npolys;
    const char *const *prop_name;
    const char *const *prop_value; /* a string's text, a number as written,
                                    * true/false; "" for null, objects, arrays */
    const char *prop_kind;   /* per property: 's', 'n', 'b', '0' (null), 'o' (object/array) */
    int nprops;
    const char *bad_utf8;    /* the first property whose text is not UTF-8, or NULL */
} im_gj_feature;

/* Called for every feature in order.  Returns 0 to go on; anything else
 * stops the scan, which then returns -1 (the callback has set d). */
typedef int (*im_gj_feature_fn)(void *user, const im_gj_feature *f);

/* Scan PATH.  File-level errors go to D and give -1: it cannot be opened
 * (at NAMED_AT when given), invalid JSON (at its line), not GeoJSON, empty. */
int im_geojson_scan(const char *path, const im_loc *named_at, im_gj_feature_fn fn, void *user,
                    im_diag *d);

/* The incidents of a Point or MultiPoint feature F into builder B (an
 * im_builder of records.h; void here to keep this header small).  0, or
 * -1 to stop. */
int im_gj_feature_incidents(void *b, const im_gj_feature *f);

/* "feature 3 (byte 1234): " for messages. */
void im_gj_prefix(const im_gj_feature *f, char *buf, size_t size);

#endif
