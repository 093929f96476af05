/* Fuzz target: the GEOJSON incident reader.  The input is written to a
 * temporary .geojson file, named as the only incident source of a minimal
 * map, and loaded with im_data_load_incidents (which dispatches on the
 * extension), leniently and then strictly. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "data/data.h"
#include "fuzz_common.h"
#include "incimap/error.h"
#include "incimap/map.h"

static void load(const char *path, int strict)
{
    im_map m;
    im_source src;
    im_diag d;
    memset(&m, 0, sizeof m);
    memset(&src, 0, sizeof src);
    m.arena = im_arena_create();
    if (!m.arena)
        abort();
    src.path = path;
    src.loc.file = "fuzz.yaml";
    src.loc.line = 1;
    src.loc.col = 1;
    m.sources = &src;
    m.nsources = 1;
    im_diag_init(&d, NULL, NULL);
    (void)im_data_load_incidents(&m, strict, &d);
    im_arena_destroy(m.arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[600];
    fz_temp_file(".geojson", data, size, path, sizeof path);
    load(path, 0);
    load(path, 1);
    unlink(path);
    return 0;
}
