/* What the three incident readers (CSV, GeoJSON, point shapefile) share:
 * the column names they recognise, turning one record's texts into an
 * im_incident, the wording of "skipped: ..." diagnostics, and appending
 * incidents to the map.  Internal to src/data.
 *
 * Ownership: an im_record only points at text its reader owns; everything
 * an im_incident points to is copied into the map's arena (or is a string
 * literal such as ""). */
#ifndef IM_DATA_RECORDS_H
#define IM_DATA_RECORDS_H

#include <stddef.h>

#include "core/arena.h"
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
    IM_COL_COUNT
} im_col;

/* Role of the column called NAME (case-insensitive, surrounding blanks
 * ignored), or -1 if it plays none.  *RANK (may be NULL) tells how strongly
 * the name claims the role: 0 is the preferred name ("lat" over "y"), so a
 * reader seeing both keeps the lower rank. */
int im_col_lookup(const char *name, int *rank);

/* "lat, latitude, y": the names recognised for ROLE, for messages. */
const char *im_col_names(im_col role);

/* The texts of one record by role.  text[role] is NULL when the source has
 * no such column, "" when the value is empty.  name[role] is the column's
 * name as written in the data; what is "column", "property" or "field". */
typedef struct im_record {
    const char *text[IM_COL_COUNT];
    const char *name[IM_COL_COUNT];
    const char *what;
} im_record;

/* Fill everything in OUT but lon, lat and loc from R, copying strings into
 * A.  The type is classified from sub_event_type, else type, else
 * event_type (the first that is not empty); type_text is the one used.
 * Returns 0; -1 with WHY set ("date '2017-02-30' is not a valid date
 * (column 'date')") when the record cannot be used; -2 when out of memory. */
int im_record_fill(im_arena *a, const im_record *r, im_incident *out, char *why,
                   size_t whysize);

/* Parse R's latitude and longitude texts and check their ranges.  With
 * DECIMAL_COMMA, "33,5" is read as 33.5 (for files whose delimiter is not a
 * comma).  Returns 0, or -1 with WHY ("latitude 95 is out of range
 * [-90, 90] (column 'lat')", "... latitude and longitude look swapped"). */
int im_record_lonlat(const im_record *r, int decimal_comma, double *lon, double *lat,
                     char *why, size_t whysize);

/* Range check for coordinates that came as numbers (GeoJSON, shapefile). */
int im_lonlat_check(double lon, double lat, char *why, size_t whysize);

/* A record that cannot be used.  Without STRICT: the warning
 * "PREFIXskipped: WHY" at FILE:LINE, and 0 so the reader goes on.  With
 * STRICT: the error "PREFIXWHY" (IM_ERR_DATA) and -1.  PREFIX may be ""
 * or e.g. "feature 3: ". */
int im_record_reject(im_diag *d, int strict, const char *file, int line,
                     const char *prefix, const char *why);

/* Appends incidents to map->incidents, growing it in the arena by doubling.
 * The capacity lives here rather than in the map, so each reader starts a
 * sink of its own; the first append copies whatever the map already holds. */
typedef struct im_incident_sink {
    im_map *map;
    int cap;
} im_incident_sink;

void im_incident_sink_init(im_incident_sink *s, im_map *map);
/* Copy *INC to the end of the map's incidents: 0, or -1 when out of memory. */
int im_incident_sink_add(im_incident_sink *s, const im_incident *inc);

/* Copy S into BUF for quoting in a message: at most about 60 characters (cut
 * at a UTF-8 boundary, "..." appended), control characters as spaces. */
const char *im_record_excerpt(char *buf, size_t size, const char *s);

#endif
