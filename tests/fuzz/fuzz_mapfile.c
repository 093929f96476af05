/* Fuzz target: the map-file parser.  The input is written to a temporary
 * .yaml file and read with im_map_read, then freed with im_map_free. */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "incimap/error.h"
#include "incimap/map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[600];
    im_map *map = NULL;
    im_diag d;
    fz_temp_file(".yaml", data, size, path, sizeof path);
    im_diag_init(&d, NULL, NULL);
    if (im_map_read(path, NULL, 0, &map, &d) == 0 && !map)
        abort();
    im_map_free(map);
    unlink(path);
    return 0;
}
