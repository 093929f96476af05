/* Fuzz target: the CSV incident reader.  The input is written to a
 * temporary .csv file, named as the only incident source of a minimal
 * map, and loaded with im_data_load_incidents (which dispatches on the
 * extension), leniently and then strictly. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "fuzz_incidents.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[600];
    fz_temp_file(".csv", data, size, path, sizeof path);
    fz_load_incidents(path, 0);
    fz_load_incidents(path, 1);
    unlink(path);
    return 0;
}
