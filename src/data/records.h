/* What the three incident readers (CSV, GeoJSON, point shapefile) share:
 * the column names they recognise, and the builder that turns one record's
 * texts into an im_incident: checks (coordinates, dates, numbers), the
 * wording of "skipped: ..." diagnostics, the time window and `where:`
 * filters, the fields kept for the symbology, and appending to the map.
 * Internal to src/data.
 *
 * Ownership: an im_record only points at text its reader owns; everything
 * an im_incident points to is copied into the map's arena (strings that
 * repeat are pooled) or is a string literal such as "". */
#ifndef IM_DATA_RECORDS_H
#define IM_DATA_RECORDS_H

#include <stddef.h>

#include "core/arena.h"
#include "data/data.h"
#include "data/pool.h"
#include "incimap/error.h"
#include "incimap/map.h"

/* Roles a column (CSV), property (GeoJSON) or field (DBF) can play. */
typedef enum {
    IM_COL_LAT = 0,         /* lat, latitude, y */
    IM_COL_LON,             /* lon, lng, long, longitude, x */
    IM_COL_DATE,            /* date, event_date */
    IM_COL_TYPE,            /* type */
    IM_COL_EVENT_TYPE,      /* event_type (ACLED) */
    IM_COL_SUB_EVENT_TYPE,  /* sub_event_type (ACLED) */
    IM_COL_ACTOR,           /* actor, actor1 */
    IM_COL_TITLE,           /* title */
    IM_COL_NOTES,           /* notes, description */
    IM_COL_TARGET,          /* target */
    IM_COL_FATALITIES,      /* fatalities */
    IM_COL_SOURCE,          /* source */
    IM_COL_GEO_PRECISION,   /* geo_precision (ACLED) */
    IM_COL_TIME_PRECISION,  /* time_precision (ACLED) */
    IM_COL_COUNT
} im_col;

/* Role of the column called NAME (case-insensitive, surrounding blanks
 * ignored), or -1 if it plays none.  *RANK (may be NULL) tells how strongly
 * the name claims the role: 0 is the preferred name ("lat" over "y"), so a
 * reader seeing both keeps the lower rank. */
int im_col_lookup(const char *name, int *rank);

/* "lat, latitude, y": the names recognised for ROLE, for messages. */
const char *im_col_names(im_col role);

/* The im_col of a role of the map model. */
im_col im_col_of_role(im_role role);

/* One record as its reader sees it.  text[col] is NULL when the source has
 * no such column, "" when the value is empty; name[col] is the column's
 * name as written in the data; what is "column", "property" or "field".
 * field_name/field_value are every field of the record (for `where:` and
 * the `by:` symbology); with header set they are the same names for every
 * record of the source (a CSV header, DBF fields), which lets the builder
 * look them up once. */
typedef struct im_record {
    const char *text[IM_COL_COUNT];
    const char *name[IM_COL_COUNT];
    const char *what;
    const char *const *field_name;
    const char *const *field_value;
    int nfields;
    int header;
} im_record;

/* A field the map uses (a `where:` condition, a `by:`), resolved for the
 * source being read. */
typedef struct im_want {
    const char *name;
    const char *key;     /* "incidents.where", "incidents.symbol", ... for messages */
    im_loc loc;
    int role;            /* the im_role it stands for when no field has its name, or -1 */
    int seen;            /* some record had a field of that name */
    int index;           /* in the cached header, or -1 */
} im_want;

/* Reads one source into the map.  Counts go to src->nrecords, nskipped,
 * nfiltered and nkept. */
typedef struct im_builder {
    im_map *map;
    im_source *src;
    const char *file;
    const char *what;    /* "column", "property", "field" */
    int strict;
    im_diag *d;
    im_pool *pool;
    int nbefore;         /* map->nincidents before this source */
    im_want *want;
    int nwant;
    int *where_want;     /* map->where[i] -> want index */
    const char *const *cached_names; /* the header the indices were found in */
    char (*scratch)[64]; /* per want: a formatted virtual value */
    const char **value;  /* per want: this record's value */
    im_incident_fn visit;  /* when set, records go to it instead of the map */
    void *visit_user;
    /* when set, each kept incident is offered to it first: it returns 1
     * when it took it, 0 to have it appended to the map's array as usual,
     * -1 when out of memory.  The CSV reader's two threads use it. */
    int (*keep)(void *user, const im_incident *inc);
    void *keep_user;
    char *vbuf;          /* visit: trimmed copies of the record's texts */
    size_t vcap;
    int failed;          /* a fatal error is in d */
    int oom;             /* ... and it is that memory ran out */
    /* the incident types of the type texts seen last: a source has a
     * handful, and matching the type keywords is the dearest check */
    struct {
        char text[48];
        im_incident_type type;
    } type_cache[16];
    int ntype_cache;
} im_builder;

/* Start reading SRC into MAP (or, with VISIT, through VISIT).  Returns 0,
 * or -1 when out of memory. */
int im_builder_init(im_builder *b, im_map *map, im_source *src, const char *what, int strict,
                    im_incident_fn visit, void *visit_user, im_diag *d);
/* Finish: with OK 0 (the source failed) the incidents it added are
 * dropped; frees what the builder holds.  Safe on a zeroed builder. */
void im_builder_done(im_builder *b, int ok);

/* Role of the field NAME in this source: a `columns:` mapping first
 * (rank -1), then the common names (a role that is mapped explicitly is
 * not claimed by a common name, and a mapped type takes event_type and
 * sub_event_type's place).  -1 when it plays none. */
int im_builder_role(const im_builder *b, const char *name, int *rank);

/* Give the columns of a header (N NAMES, the header's LINE or 0) their
 * roles in COL_OF (-1: no column).  Errors (IM_ERR_DATA): a mapped column
 * that is not there (at the map-file line of the mapping), a field the map
 * uses that is neither a column nor a role name, and, with NEED_LONLAT, no
 * latitude or longitude column. */
int im_builder_header(im_builder *b, const char *const *names, int n, int line, int need_lonlat,
                      int col_of[IM_COL_COUNT]);

/* Check, filter and keep one record.  LONLAT is the position when it came
 * as numbers (GeoJSON, shapefile), else NULL and it is parsed from R's
 * lat/lon texts (with DECIMAL_COMMA, "33,5" is 33.5).  LINE and PREFIX
 * ("feature 3 (byte 120): ") place messages.  A bad record is skipped with
 * a warning (an error when strict).  Returns 0 to go on, -1 to stop (the
 * error is in d). */
int im_builder_add(im_builder *b, const im_record *r, const double *lonlat, int decimal_comma,
                   int line, const char *prefix);

/* Report a record that cannot be used (see im_builder_add): 0 to go on,
 * -1 to stop. */
int im_builder_reject(im_builder *b, int line, const char *prefix, const char *why);

/* After the last record of a source without a header (GeoJSON): a field
 * the map uses that no record had is an error.  0 or -1. */
int im_builder_finish(im_builder *b);

/* Range check for coordinates that came as numbers (GeoJSON, shapefile):
 * 0, or -1 with WHY. */
int im_lonlat_check(double lon, double lat, char *why, size_t whysize);

/* Copy S into BUF for quoting in a message: at most about 60 characters (cut
 * at a UTF-8 boundary, "..." appended), control characters as spaces. */
const char *im_record_excerpt(char *buf, size_t size, const char *s);

#endif
