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

/* A filter on a DBF/property field: FIELD equals one of VALUES (ASCII
 * case-insensitive, surrounding blanks ignored), or, for incidents, FIELD is
 * a number in [min, max] (has_min/has_max; values is then NULL). */
typedef struct im_where {
    const char *field;
    const char **values;
    int nvalues;
    int has_min, has_max;
    double min, max;
    im_loc loc;              /* the field's key in the map file */
} im_where;

typedef enum { IM_EXTENT_AUTO = 0, IM_EXTENT_BOX, IM_EXTENT_CIRCLE, IM_EXTENT_PROJECTED } im_extent_kind;

typedef struct im_extent {
    im_extent_kind kind;
    double lon0, lat0, lon1, lat1;   /* IM_EXTENT_BOX: south-west and north-east */
    im_lonlat center;                /* IM_EXTENT_CIRCLE */
    double radius_km;
    double margin;                   /* IM_EXTENT_AUTO: fraction added each side */
    double x0, y0, x1, y1;           /* IM_EXTENT_PROJECTED: the frame in projected units */
    im_loc loc;
} im_extent;

typedef enum {
    IM_CORNER_NONE = 0,
    IM_CORNER_TOP_LEFT,
    IM_CORNER_TOP_RIGHT,
    IM_CORNER_BOTTOM_LEFT,
    IM_CORNER_BOTTOM_RIGHT,
    IM_CORNER_OUTSIDE_RIGHT,  /* legend only: beside the frame */
    IM_CORNER_OUTSIDE_BOTTOM  /* legend only: below the frame */
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

/* The values an incident record is made of.  A source's columns (CSV),
 * properties (GeoJSON) or DBF fields are given these roles by their common
 * names (lat/latitude/y, ...) or by an explicit `columns:` mapping. */
typedef enum {
    IM_ROLE_LAT = 0,
    IM_ROLE_LON,
    IM_ROLE_DATE,
    IM_ROLE_TYPE,
    IM_ROLE_ACTOR,
    IM_ROLE_TITLE,
    IM_ROLE_NOTES,
    IM_ROLE_TARGET,
    IM_ROLE_FATALITIES,
    IM_ROLE_SOURCE,
    IM_ROLE_GEO_PRECISION,   /* ACLED geo_precision: 1 exact, 2 nearby/district, 3 region */
    IM_ROLE_TIME_PRECISION,  /* ACLED time_precision: 1 day, 2 week, 3 month */
    IM_ROLE_COUNT
} im_role;

/* A source of incident records (CSV, GeoJSON or point shapefile). */
typedef struct im_source {
    const char *path;        /* resolved */
    im_loc loc;
    /* `columns:` of the map file: the column playing each role (NULL: found
     * by its common names), and where the mapping was written */
    const char *columns[IM_ROLE_COUNT];
    im_loc column_loc[IM_ROLE_COUNT];
    /* Filled when the source is read: records seen, skipped as bad,
     * excluded by the time window or `where:`, and kept on the map. */
    int nrecords, nskipped, nfiltered, nkept;
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

/* A field of a record kept for `where:` and the `by:` symbology: its name
 * as written in the data, and its value as text ("" when empty). */
typedef struct im_attr {
    const char *name, *value;
} im_attr;

/* The small fields share 8 bytes: a million incidents are held at once. */
typedef struct im_incident {
    const char *date;        /* ISO YYYY-MM-DD, or NULL */
    const char *type_text;   /* as written in the data */
    const char *actor;       /* "" when unknown */
    const char *title;       /* short label; may be "" */
    const char *notes;
    const char *target;
    const char *source;      /* publication */
    double lon, lat;
    int fatalities;          /* -1: unknown */
    unsigned char type;      /* an im_incident_type */
    signed char geo_precision; /* 0 unknown or 1 exact; 2 near the place (drawn hollow); 3 a
                              * region (hollow, with an uncertainty ring) */
    signed char time_precision; /* 0 unknown or 1 the day; 2 the week; 3 the month */
    int symbol_class;        /* index into map->symbol_classes (= type until resolved) */
    int nattrs;
    const im_attr *attrs;    /* the fields the map uses (where:, by:), in the arena */
    im_loc loc;              /* data file and line (CSV) or feature index (GeoJSON) */
    /* Symbology resolved after loading (see im_map): */
    const char *color_key;   /* the value colour goes by (the actor by default) */
    const char *label;       /* label text; NULL: the date (by time precision) */
    double size;             /* symbol diameter, CSS px; 0: map->symbol_size */
} im_incident;

/* Radius of the ring drawn around incidents of geo_precision 3, km. */
#define IM_UNCERTAINTY_RING_KM 25.0

/* One class of incident symbols: what the legend says and the shape it gets
 * (an im_shape_kind of src/render), and how many kept incidents are in it. */
typedef struct im_symbol_class {
    const char *name;
    int shape;
    int count;
} im_symbol_class;

typedef struct im_base {
    const char *name;
    const char *op;          /* operator */
    im_lonlat at;
    int priority;            /* label priority: higher is placed first (default 0) */
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
    /* source: the lines of a GeoJSON file or line shapefile (loaded into
     * pts, one part per feature part; features are grouped by name) */
    const char *source;
    im_loc source_loc;
    im_where where;          /* only the features where this holds */
    const char *name_field;  /* property naming each feature (default: name) */
    const int *part_start;   /* first point of each part (NULL: one part) */
    int nparts;
    int priority;            /* label priority: higher is placed first (default 0) */
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
    /* source: the polygons (and points with a radius_km property, as
     * circles) of a GeoJSON file or shapefile, one zone per name */
    const char *source;
    im_loc source_loc;
    im_where where;
    const char *name_field;
    const int *part_start;   /* first point of each ring (NULL: one ring); even-odd fill */
    int nparts;
    int priority;            /* label priority: higher is placed first (default 0) */
    im_loc loc;
} im_zone;

/* ---- cartography: theme, graticule, inset, labels ---------------------- */

typedef enum { IM_THEME_LIGHT = 0, IM_THEME_DARK, IM_THEME_PRINT } im_theme_kind;

#define IM_THEME_PALETTE 8

/* The colour of every element of a map.  A named theme fills all of them;
 * the map file's `theme: {name: dark, land: "#333"}` overrides any one. */
typedef struct im_theme {
    im_theme_kind kind;
    im_rgba paper;           /* the page around the frame */
    im_rgba sea;             /* water (the map's background) */
    im_rgba land, coast;     /* land fill and its outline */
    im_rgba border;          /* international borders */
    im_rgba river, river_text;
    im_rgba place;           /* place dots */
    im_rgba text;            /* labels, legend, title */
    im_rgba muted;           /* subtitle, credit, country names */
    im_rgba halo;            /* behind label text */
    im_rgba frame;           /* frame line */
    im_rgba grid, grid_text; /* graticule lines and degree labels */
    im_rgba panel, panel_line; /* legend, scale bar and inset boxes */
    im_rgba base;            /* military base symbol */
    im_rgba symbol_line;     /* outline of incident symbols */
    im_rgba zone, line;      /* zones and lines without their own colour */
    im_rgba highlight;       /* the main map's extent in the inset */
    im_rgba palette[IM_THEME_PALETTE]; /* colours per actor, most frequent first */
    im_rgba other;           /* actors beyond the palette */
    /* `colors:` of the map file (or its style): fixed colours for values of
     * the field incidents are coloured by, so that an actor has the same
     * colour in every map of a report; other values take the palette. */
    const char *const *fixed_names;
    const im_rgba *fixed_colors;
    int nfixed;
} im_theme;

/* graticule: auto | none | DEGREES | {step: DEGREES, labels: BOOL} */
typedef struct im_graticule {
    int on;                  /* default 1 */
    double step;             /* degrees; 0 = chosen from the extent */
    int labels;              /* degree labels at the frame edges (default 1) */
} im_graticule;

/* inset: auto | none | {position: CORNER, extent: [lon0, lat0, lon1, lat1]} */
typedef struct im_inset {
    int corner;              /* an im_corner; IM_CORNER_NONE = no inset */
    int has_extent;          /* 0: around the main map, from its size */
    double lon0, lat0, lon1, lat1;
} im_inset;

/* labels: {language: en|ar|both, places: BOOL, incidents: date|title|both|none} */
typedef enum { IM_LANG_EN = 0, IM_LANG_AR, IM_LANG_BOTH } im_label_lang;
typedef enum {
    IM_INCLABEL_DATE = 0, IM_INCLABEL_TITLE, IM_INCLABEL_BOTH, IM_INCLABEL_NONE
} im_incident_label;

typedef struct im_label_opts {
    im_label_lang language;  /* place names: name, name_ar, or both (two lines) */
    int places;              /* label base-map places (default 1) */
    im_incident_label incidents;
    double font_scale;       /* every label font size times this (default 1) */
} im_label_opts;

typedef enum { IM_UNITS_KM = 0, IM_UNITS_MI, IM_UNITS_BOTH } im_units;

/* formats: [png, svg, pdf] -- what `incimap build` writes of a map (bits). */
#define IM_MAP_FORMAT_PNG 1
#define IM_MAP_FORMAT_SVG 2
#define IM_MAP_FORMAT_PDF 4

/* atlas: {per: incident | month | year | FIELD, radius_km: KM, margin: F,
 *         name: TEMPLATE, index: BOOL} -- one page per record or group. */
typedef enum {
    IM_ATLAS_NONE = 0, IM_ATLAS_INCIDENT, IM_ATLAS_MONTH, IM_ATLAS_YEAR, IM_ATLAS_FIELD
} im_atlas_per;

typedef struct im_atlas {
    im_atlas_per per;
    const char *field;        /* IM_ATLAS_FIELD: the field (or role) grouped by */
    double radius_km;         /* incident pages: shown around the incident */
    double margin;            /* group pages: fraction of the group's extent added each side */
    const char *name;         /* file name template: {date} {id} {group} {n} {title} */
    int index;                /* write index.csv and index.html beside the pages */
    im_loc loc;
} im_atlas;

typedef struct im_map {
    im_arena *arena;
    const char *path;         /* map file */
    const char *dir;          /* its directory, for relative paths */

    const char *title, *subtitle, *credit;
    im_loc title_loc;
    const char *keywords;     /* PDF document keywords ("a, b, c"), or NULL */
    const char *caption;      /* caption: file the plain-language summary goes to, or NULL */
    im_loc caption_loc;
    int png_palette;          /* png: {palette: true}: an 8-bit indexed PNG */
    int png_colors;           /* ... of at most this many colours (2..256, default 256) */

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
    const char *symbol_shape; /* symbol: {shape: NAME}: one shape for every incident
                               * (circle, triangle, square, diamond, star, cross), or NULL */
    const char *color_by;     /* field for colour (default "actor") */
    double symbol_size;       /* CSS px, default 14 */
    int label_incidents;      /* draw incident labels (dates/titles) */
    const char *size_by;      /* field for symbol size (area by value), or NULL */
    double size_max;          /* diameter of the largest value, CSS px (0: 3 x symbol_size) */
    const char *label_by;     /* field for label text, or NULL (the date) */
    im_loc symbol_by_loc, color_by_loc, size_by_loc, label_by_loc;
    /* Filters: records outside them are left off the map and the legend,
     * and counted in their source's nfiltered. */
    const char *when_from, *when_to; /* time window, ISO dates, inclusive; NULL: open */
    im_loc when_loc;
    im_where *where;          /* incidents.where: every condition must hold */
    int nwhere;
    int keep_all_fields;      /* keep every field in im_incident.attrs, not only those used */
    int lean;                 /* leave out the texts nothing draws (notes, target): set by
                               * render and check, so that memory is that of the map */
    int formats;              /* IM_MAP_FORMAT_* bits; 0: png */
    im_atlas atlas;           /* atlas.per == IM_ATLAS_NONE: one map, no atlas */

    im_base *bases;
    int nbases;
    im_line *lines;
    int nlines;
    im_zone *zones;
    int nzones;

    im_corner legend, scalebar, north_arrow;
    int layout_full;          /* layout: full: the frame is the whole image (no title
                               * block, credit line, frame line or margins) */

    /* Cartography (src/carto, src/api/overlay.c).  legend may also be
     * IM_CORNER_OUTSIDE_RIGHT or IM_CORNER_OUTSIDE_BOTTOM. */
    im_theme theme;
    im_graticule graticule;
    im_inset inset;
    im_label_opts labels;
    im_units scalebar_units;
    int legend_columns;       /* 0: as many as the frame's height needs */
    const char *as_of;        /* "as of" date (ISO) for the title block; NULL: none */

    /* Filled by im_map_load_data(). */
    im_incident *incidents;
    int nincidents;
    int incidents_cap;        /* allocated room (the array grows in place) */
    /* The symbol classes of the kept incidents (by symbol_by): the incident
     * types when by type, else the most frequent values of the field, the
     * rest sharing the last class "Other". */
    im_symbol_class symbol_classes[IM_ITYPE_COUNT];
    int nsymbol_classes;
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
