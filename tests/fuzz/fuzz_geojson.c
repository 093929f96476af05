/* Fuzz target: the GeoJSON readers.  The input is written to a temporary
 * .geojson file, named as the only incident source of a minimal map, and
 * loaded with im_data_load_incidents (which dispatches on the extension),
 * leniently and then strictly; then as the source of one line and one zone
 * (im_map_load_shapes: LineString, Polygon, points with radius_km). */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "api/load.h"
#include "core/arena.h"
#include "data/data.h"
#include "fuzz_common.h"
#include "fuzz_incidents.h"
#include "incimap/error.h"
#include "incimap/map.h"

static void load_shapes(const char *path)
{
    im_map m;
    im_diag d;
    memset(&m, 0, sizeof m);
    m.arena = im_arena_create();
    if (!m.arena)
        abort();
    m.lines = im_arena_alloc(m.arena, sizeof *m.lines);
    m.zones = im_arena_alloc(m.arena, sizeof *m.zones);
    if (!m.lines || !m.zones)
        abort();
    m.nlines = m.nzones = 1;
    m.lines[0].source = m.zones[0].source = path;
    m.lines[0].source_loc.file = m.zones[0].source_loc.file = "fuzz.yaml";
    m.lines[0].name_field = "name";
    m.zones[0].radius_km = 10;
    im_diag_init(&d, NULL, NULL);
    d.collect = 1; /* the zone too when the line fails */
    (void)im_map_load_shapes(&m, &d);
    im_arena_destroy(m.arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[600];
    fz_temp_file(".geojson", data, size, path, sizeof path);
    fz_load_incidents(path, 0);
    fz_load_incidents(path, 1);
    load_shapes(path);
    unlink(path);
    return 0;
}
