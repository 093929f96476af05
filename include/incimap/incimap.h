/* incimap: the library's entry points.
 *
 * A map file (YAML) is read into an im_map (include/incimap/map.h), its data
 * files are loaded, and the map is rendered to PNG, SVG or PDF.  The CLI in
 * src/cli is a thin shell over these calls. */
#ifndef INCIMAP_H
#define INCIMAP_H

#include "incimap/error.h"
#include "incimap/map.h"
#include "incimap/info.h"

#ifdef __cplusplus
extern "C" {
#endif

#define INCIMAP_VERSION "0.1.0"

typedef enum { IM_FORMAT_NONE = 0, IM_FORMAT_PNG, IM_FORMAT_SVG, IM_FORMAT_PDF } im_format;

/* Output format from a file name's extension (case-insensitive);
 * IM_FORMAT_NONE when it is none of .png, .svg, .pdf. */
im_format im_format_from_path(const char *path);

typedef struct im_render_opts {
    const char *geodata_dir;  /* shipped geodata (NULL = compiled-in default) */
    int world_file;           /* also write .pgw/.wld and .prj beside the output */
    const char **overrides;   /* "key=value" strings applied to the map file */
    int noverrides;
    int strict;               /* a bad data row is an error, not a skipped row */
    const char *from, *to;    /* time window (any date form; a month or year is its
                               * first or last day); replaces the map file's when: */
    const char *caption;      /* also write the map's plain-language summary here
                               * (replaces the map file's caption:), or NULL */
} im_render_opts;

/* Read, validate and render MAP_PATH into OUT_PATH.  The output is written
 * to a temporary file in the same directory and renamed into place only when
 * complete, so on failure an earlier OUT_PATH is left as it was. */
int im_render_file(const char *map_path, const char *out_path,
                   const im_render_opts *opts, im_diag *d);

/* The two halves of im_render_file, for callers that render one map
 * several times (atlas pages): read MAP_PATH and load every file it names
 * into a new map (*OUT, freed with im_map_free), then render a loaded map
 * into OUT_PATH.  A caller may change the loaded map's extent, titles and
 * incidents in between (atlas pages do, each on its own copy of the map in
 * a worker process).  With d->deps set, im_render_load adds the map file
 * and the data it read, im_render_map the base-map files and fonts. */
int im_render_load(const char *map_path, const im_render_opts *opts, im_map **out, im_diag *d);
int im_render_map(im_map *m, const char *out_path, const im_render_opts *opts, im_diag *d);

/* Directory of the shipped geodata compiled into the library. */
const char *im_default_geodata_dir(void);

/* incimap check: the same options as rendering, without an output. */
typedef im_render_opts im_check_opts;

/* What a check read, for its summary line. */
typedef struct im_check_result {
    int nfiles;               /* data and base-map files read */
    int nrecords;             /* incident records in them */
    int nkept, nskipped, nfiltered; /* ... on the map, bad, outside when:/where: */
    int nlines, nzones, nlayers;
} im_check_result;

/* Validate MAP_PATH and every file it names (incident sources, base-map
 * layers, lines and zones, the projection), reporting every problem, not
 * just the first: errors through d->error (set it), warnings through
 * d->warn, each as "file:line:col: message".  d->status is the first
 * error's status.  Returns 0 when there was no error. */
int im_check_file(const char *map_path, const im_check_opts *opts, im_check_result *out,
                  im_diag *d);

#ifdef __cplusplus
}
#endif
#endif
