/* Data readers: incident records from CSV, GeoJSON and point shapefiles
 * into the map model.  Rows in, incidents out; nothing here draws.
 *
 * A row that cannot be used (no coordinates, latitude 95, a date that is no
 * date) is reported as a warning naming file:line and the field, and
 * skipped and counted; with STRICT it is an error instead (with
 * d->collect, one error per row and reading goes on).  Records outside the
 * map's time window or `where:` are counted and not kept.  Kept records
 * are appended to map->incidents, allocated in map->arena, with the fields
 * the map uses (im_incident.attrs); memory is that of what is kept, not of
 * the file. */
#ifndef IM_DATA_H
#define IM_DATA_H

#include "incimap/error.h"
#include "incimap/map.h"

/* Load every source in map->sources, dispatching on the file extension
 * (.csv/.tsv/.txt, .geojson/.json, .shp).  With d->collect, a source that
 * fails does not stop the others. */
int im_data_load_incidents(im_map *map, int strict, im_diag *d);

/* Read one source: its incidents are appended to map->incidents and its
 * counts (records, skipped, filtered, kept) set in SRC. */
int im_csv_read_incidents(im_map *map, im_source *src, int strict, im_diag *d);
int im_geojson_read_incidents(im_map *map, im_source *src, int strict, im_diag *d);
int im_shp_read_incidents(im_map *map, im_source *src, int strict, im_diag *d);

/* A record as a reader hands it to a visitor: the strings are valid during
 * the call only.  Return 0 to go on, -1 to stop (with d set). */
typedef int (*im_incident_fn)(void *user, const im_incident *inc);

/* Read SRC as im_data_load_incidents would (bad records reported as
 * warnings and counted in SRC, the map's filters applied), but hand every
 * record to FN instead of keeping it: memory stays that of one record. */
int im_data_scan_incidents(im_map *map, im_source *src, im_incident_fn fn, void *user,
                           im_diag *d);

/* The readers under both (VISIT NULL: into the map). */
int im_csv_read(im_map *map, im_source *src, int strict, im_incident_fn visit,
                void *user, im_diag *d);
int im_geojson_read(im_map *map, im_source *src, int strict, im_incident_fn visit,
                    void *user, im_diag *d);
int im_shp_read_points(im_map *map, im_source *src, int strict, im_incident_fn visit,
                       void *user, im_diag *d);

/* 1 if VALUE passes the condition W (see im_where in map.h). */
int im_where_match(const im_where *w, const char *value);

/* Map free text ("Air strike", "Air/drone strike", "Shelling/artillery/missile
 * attack", "missile", "IED", "Battles", ...) to an incident type. */
im_incident_type im_incident_type_parse(const char *text);
/* Display name of a type ("Air strike", ...). */
const char *im_incident_type_name(im_incident_type t);

/* Parse a date written as 2017-05-18, 18 May 2017, 18-05-2017, 18/05/2017,
 * 2017/05/18 or May 18, 2017 into ISO "YYYY-MM-DD" (out has 11 bytes).
 * Returns 0, or -1 when it is not a real calendar date. */
int im_date_parse(const char *text, char out[11]);

/* A date as the bound of a time window: any form im_date_parse takes, or
 * a month ("2017-05", "May 2017") or a year ("2017"), which stand for their
 * first day, or with END their last.  Returns 0, or -1. */
int im_date_parse_bound(const char *text, int end, char out[11]);

#endif
