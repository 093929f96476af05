/* Data readers: incident records from CSV, GeoJSON and point shapefiles
 * into the map model.  Rows in, incidents out; nothing here draws.
 *
 * A row that cannot be used (no coordinates, latitude 95, a date that is no
 * date) is reported as a warning naming file:line and the field, and
 * skipped; with STRICT it is an error instead.  Records are appended to
 * map->incidents, allocated in map->arena. */
#ifndef IM_DATA_H
#define IM_DATA_H

#include "incimap/error.h"
#include "incimap/map.h"

/* Load every source in map->sources, dispatching on the file extension
 * (.csv/.tsv/.txt, .geojson/.json, .shp). */
int im_data_load_incidents(im_map *map, int strict, im_diag *d);

int im_csv_read_incidents(im_map *map, const im_source *src, int strict, im_diag *d);
int im_geojson_read_incidents(im_map *map, const im_source *src, int strict, im_diag *d);
int im_shp_read_incidents(im_map *map, const im_source *src, int strict, im_diag *d);

/* Map free text ("Air strike", "Air/drone strike", "Shelling/artillery/missile
 * attack", "missile", "IED", "Battles", ...) to an incident type. */
im_incident_type im_incident_type_parse(const char *text);
/* Display name of a type ("Air strike", ...). */
const char *im_incident_type_name(im_incident_type t);

/* Parse a date written as 2017-05-18, 18 May 2017, 18-05-2017, 18/05/2017,
 * 2017/05/18 or May 18, 2017 into ISO "YYYY-MM-DD" (out has 11 bytes).
 * Returns 0, or -1 when it is not a real calendar date. */
int im_date_parse(const char *text, char out[11]);

#endif
