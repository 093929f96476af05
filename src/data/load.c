/* Loading a map's incident sources: pick the reader by file extension and
 * report a missing file or an unknown format at the map-file line that
 * names the source. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/util.h"
#include "data/data.h"

typedef int (*im_reader_fn)(im_map *map, im_source *src, int strict, im_incident_fn visit,
                            void *user, im_diag *d);

static im_reader_fn im_reader_for(const char *path)
{
    static const struct {
        const char *ext;
        im_reader_fn read;
    } readers[] = {
        {".csv", im_csv_read},         {".tsv", im_csv_read},   {".txt", im_csv_read},
        {".geojson", im_geojson_read}, {".json", im_geojson_read}, {".shp", im_shp_read_points},
    };
    size_t i;
    for (i = 0; i < sizeof readers / sizeof readers[0]; i++) {
        if (im_has_suffix_ci(path, readers[i].ext))
            return readers[i].read;
    }
    return NULL;
}

/* ".xyz" of PATH's file name, or "" */
static const char *im_extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot : "";
}

/* 0 if SRC's file can be read by READ, else why not, at the map-file line. */
static int im_source_check(const im_source *src, im_reader_fn read, im_diag *d)
{
    struct stat st;
    if (!read) {
        const char *ext = im_extension(src->path);
        if (*ext)
            return im_fail(d, IM_ERR_DATA, src->loc.file, src->loc.line, src->loc.col,
                           "unknown data format '%s' (expected .csv, .geojson, .json "
                           "or .shp)", ext);
        return im_fail(d, IM_ERR_DATA, src->loc.file, src->loc.line, src->loc.col,
                       "cannot tell the format of '%s' without an extension "
                       "(expected .csv, .geojson, .json or .shp)", src->path);
    }
    if (stat(src->path, &st) != 0)
        return im_fail(d, IM_ERR_DATA, src->loc.file, src->loc.line, src->loc.col,
                       "cannot open '%s': %s", src->path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return im_fail(d, IM_ERR_DATA, src->loc.file, src->loc.line, src->loc.col,
                       "cannot open '%s': %s", src->path,
                       S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
    return 0;
}

int im_data_load_incidents(im_map *map, int strict, im_diag *d)
{
    int i, rc = 0;
    for (i = 0; i < map->nsources; i++) {
        im_source *src = &map->sources[i];
        im_reader_fn read = im_reader_for(src->path);
        double t0 = d->verbose ? im_clock_ms() : 0;
        if (im_source_check(src, read, d) != 0 || read(map, src, strict, NULL, NULL, d) != 0) {
            rc = -1;
            if (!d->collect)
                return -1;
            continue;
        }
        im_verbose(d, "read %s: %d records (%d kept, %d left out by when/where, %d skipped) "
                   "in %.0f ms", src->path, src->nrecords,
                   src->nkept, src->nfiltered, src->nskipped, im_clock_ms() - t0);
    }
    /* the array grew by doubling: give back what it will not use */
    if (map->incidents && map->incidents_cap > map->nincidents + 1024) {
        int n = map->nincidents > 0 ? map->nincidents : 1;
        im_incident *fit = im_arena_resize(map->arena, map->incidents,
                                           (size_t)map->incidents_cap * sizeof *fit,
                                           (size_t)n * sizeof *fit);
        if (fit) {
            map->incidents = fit;
            map->incidents_cap = n;
        }
    }
    return rc;
}

int im_data_scan_incidents(im_map *map, im_source *src, im_incident_fn fn, void *user,
                           im_diag *d)
{
    im_reader_fn read = im_reader_for(src->path);
    if (im_source_check(src, read, d) != 0)
        return -1;
    return read(map, src, 0, fn, user, d);
}
