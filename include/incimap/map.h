/* incimap: the map model.
 *
 * An im_map is what a map file says, with defaults filled in and paths
 * resolved, plus the records its data files hold once loaded.  Everything in
 * it (strings, arrays) lives in the map's arena and is released at once by
 * im_map_free(); no pointer inside a map is ever freed on its own.
 *
 * Lengths (stroke widths, symbol sizes, dashes, offsets) are in CSS pixels:
 * 1/96 inch.  Font sizes are in points (1/72 inch).  Colours are straight
 * (non-premultiplied) RGBA in 0..1. */
#ifndef INCIMAP_MAP_H
#define INCIMAP_MAP_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct im_arena im_arena;
struct im_diag;

/* Where a value came from, for diagnostics.  file may be NULL. */
typedef struct { const char *file; int line, col; } im_loc;

typedef struct { double lon, lat; } im_lonlat;

typedef struct { double r, g, b, a; } im_rgba;

#define IM_MAX_DASH 8

typedef struct im_style {
    int has_fill;
    im_rgba fill;
    int has_stroke;
    im_rgba stroke;
    double width;               /* stroke width, CSS px */
    double dash[IM_MAX_DASH];   /* on/off lengths, CSS px */
    int ndash;                  /* 0 = solid */
    double opacity;             /* whole-element opacity, 0..1 */
} im_style;

/* A filter on a DBF/property field: FIELD equals one of VALUES. */
typedef struct im_where {
    const char *field;
    const char **values;
    int nvalues;
} im_where;

typedef enum { IM_EXTENT_AUTO = 0, IM_EXTENT_BOX, IM_EXTENT_CIRCLE } im_extent_kind;

typedef struct im_extent {
    im_extent_kind kind;
    double lon0, lat0, lon1, lat1;   /* IM_EXTENT_BOX: south-west and north-east */
    im_lonlat center;                /* IM_EXTENT_CIRCLE */
    double radius_km;
    double margin;                   /* IM_EXTENT_AUTO: fraction added each side */
    im_loc loc;
} im_extent;

typedef enum {
    IM_CORNER_NONE = 0,
    IM_CORNER_TOP_LEFT,
    IM_CORNER_TOP_RIGHT,
    IM_CORNER_BOTTOM_LEFT,
    IM_CORNER_BOTTOM_RIGHT
} im_corner;

/* One base-map layer: a shapefile drawn with a style. */
typedef struct im_layer {
    const char *name;        /* how lines refer to it (default: file's basename) */
    const char *path;        /* shapefile path, resolved against the map file's dir */
    im_style style;
    im_where where;          /* where.field == NULL: no filter */
    const char *label_field; /* label points/lines with this field (NULL: none) */
    double point_size;       /* point layers: dot diameter, CSS px */
    double font_size;        /* labels, pt */
    const char *rank_field;  /* points: keep features with rank <= max_rank */
    double max_rank;
    im_loc loc;
} im_layer;

/* A source of incident records (CSV, GeoJSON or point shapefile). */
typedef struct im_source {
    const char *path;        /* resolved */
    im_loc loc;
} im_source;

typedef enum {
    IM_ITYPE_AIR = 0,        /* air strike */
    IM_ITYPE_MISSILE,        /* missile strike */
    IM_ITYPE_ARTILLERY,      /* artillery, shelling */
    IM_ITYPE_GROUND,         /* ground attack, armed clash */
    IM_ITYPE_EXPLOSIVE,      /* IED, explosion, remote violence */
    IM_ITYPE_OTHER,
    IM_ITYPE_COUNT
} im_incident_type;

typedef struct im_incident {
    const char *date;        /* ISO YYYY-MM-DD, or NULL */
    const char *type_text;   /* as written in the data */
    im_incident_type type;
    const char *actor;       /* "" when unknown */
    const char *title;       /* short label; may be "" */
    const char *notes;
    const char *target;
    const char *source;      /* publication */
    double lon, lat;
    int fatalities;          /* -1: unknown */
    im_loc loc;              /* data file and line (CSV) or feature index (GeoJSON) */
} im_incident;

typedef struct im_base {
    const char *name;
    const char *op;          /* operator */
    im_lonlat at;
    im_loc loc;
} im_base;

typedef struct im_line {
    const char *name;
    im_style style;
    im_lonlat *pts;          /* given, or filled in from `follow` when loaded */
    int npts;
    /* follow: a feature of a shapefile layer between two points */
    const char *follow_layer; /* layer name ("rivers" of the default base map) or .shp path */
    im_where follow_where;
    int has_from, has_to;
    im_lonlat from, to;
    im_loc loc;
} im_line;

typedef struct im_zone {
    const char *name;
    im_style style;
    int is_circle;
    im_lonlat center;        /* circle */
    double radius_km;
    im_lonlat *ring;         /* polygon (closed or not) */
    int nring;
    im_loc loc;
} im_zone;

typedef struct im_map {
    im_arena *arena;
    const char *path;         /* map file */
    const char *dir;          /* its directory, for relative paths */

    const char *title, *subtitle, *credit;
    im_loc title_loc;

    /* Canvas.  width_px/height_px are device pixels of the PNG; the physical
     * size is width_px/dpi inches.  page_mm_w/h > 0 when given as a page. */
    int width_px, height_px;
    double dpi;
    double page_mm_w, page_mm_h;

    const char *projection;   /* "auto", "EPSG:nnnn" or a PROJ string */
    im_loc projection_loc;
    im_extent extent;

    const char *font;         /* font family, default "Noto Sans" */
    im_rgba background;       /* ocean / paper */

    int basemap_default;      /* basemap: default */
    im_layer *layers;         /* explicit layers (basemap: [...]) */
    int nlayers;

    im_source *sources;       /* incidents.source(s) */
    int nsources;
    const char *symbol_by;    /* field for symbol shape (default "type") */
    const char *color_by;     /* field for colour (default "actor") */
    double symbol_size;       /* CSS px, default 14 */
    int label_incidents;      /* draw incident labels (dates/titles) */

    im_base *bases;
    int nbases;
    im_line *lines;
    int nlines;
    im_zone *zones;
    int nzones;

    im_corner legend, scalebar, north_arrow;

    /* Filled by im_map_load_data(). */
    im_incident *incidents;
    int nincidents;
} im_map;

/* Parse MAP_PATH into a new map (defaults applied, paths resolved).  On
 * failure *out is NULL and d holds "file:line:col: reason".  OVERRIDES are
 * "key=value" strings (YAML values) applied on top of the file. */
int im_map_read(const char *map_path, const char **overrides, int noverrides,
                im_map **out, struct im_diag *d);

/* Free a map and everything in it.  im_map_free(NULL) does nothing. */
void im_map_free(im_map *map);

#ifdef __cplusplus
}
#endif
#endif
