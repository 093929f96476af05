/* What the CSV and GeoJSON targets share: load a file as the only incident
 * source of a minimal map, through im_data_load_incidents (which picks the
 * reader by the file's extension). */
#ifndef IM_FUZZ_INCIDENTS_H
#define IM_FUZZ_INCIDENTS_H

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "data/data.h"
#include "incimap/error.h"
#include "incimap/map.h"

/* Load PATH leniently (STRICT 0) or strictly; every outcome but a crash,
 * a leak or a sanitizer report is fine. */
static inline void fz_load_incidents(const char *path, int strict)
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

#endif
