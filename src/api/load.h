/* Loading what a map file names, between reading the map file and drawing
 * the map, shared by `render` and `check`: the incident sources (bad rows
 * skipped or fatal, the time window and `where:` applied), lines and zones
 * read from files, lines that follow a layer, and the symbology each kept
 * incident gets (classes, colour keys, sizes, labels).  Internal to
 * src/api. */
#ifndef IM_API_LOAD_H
#define IM_API_LOAD_H

#include "incimap/error.h"
#include "incimap/map.h"

typedef struct im_load_opts {
    const char *geodata_dir;  /* the shipped geodata (for lines that follow its rivers) */
    int strict;               /* a bad row is an error, not a warning */
    const char *from, *to;    /* --from/--to: replace the map file's when: (NULL: keep it) */
    int no_notes;             /* no "N rows skipped" notes (check has its own summary) */
} im_load_opts;

/* Load everything M names.  With d->collect every file is read even after
 * an error.  Notes "N rows skipped in FILE (see above)" go to the warning
 * callback.  Returns 0 or -1. */
int im_map_load(im_map *m, const im_load_opts *o, im_diag *d);

/* Lines and zones with a source: read their files into points and parts,
 * a zone per name (shapes.c). */
int im_map_load_shapes(im_map *m, im_diag *d);

/* The symbology of the kept incidents (classify.c): symbol classes by
 * m->symbol_by, colour keys by m->color_by, sizes by m->size_by, labels by
 * m->label_by or by the date and its precision. */
int im_map_classify(im_map *m, im_diag *d);

#endif
