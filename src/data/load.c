/* Loading a map's incident sources: pick the reader by file extension and
 * report a missing file or an unknown format at the map-file line that
 * names the source. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "core/util.h"
#include "data/data.h"

typedef int (*im_reader_fn)(im_map *map, const im_source *src, int strict, im_diag *d);

static im_reader_fn im_reader_for(const char *path)
{
    static const struct {
        const char *ext;
        im_reader_fn read;
    } readers[] = {
        {".csv", im_csv_read_incidents},         {".tsv", im_csv_read_incidents},
        {".txt", im_csv_read_incidents},         {".geojson", im_geojson_read_incidents},
        {".json", im_geojson_read_incidents},    {".shp", im_shp_read_incidents},
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

int im_data_load_incidents(im_map *map, int strict, im_diag *d)
{
    int i;
    for (i = 0; i < map->nsources; i++) {
        const im_source *src = &map->sources[i];
        im_reader_fn read = im_reader_for(src->path);
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
        if (read(map, src, strict, d) != 0)
            return -1;
    }
    return 0;
}
