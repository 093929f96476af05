/* Loading a map's data after its map file: --from/--to, the incident
 * sources, lines and zones from files, lines that follow a layer, then
 * the symbology.  What the user should know of it (rows skipped, nothing
 * left after the filters) goes out as notes and warnings. */
#include "api/load.h"

#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "data/data.h"
#include "geo/follow.h"

/* --from/--to replace when: of the map file. */
static int im_load_window(im_map *m, const im_load_opts *o, im_diag *d)
{
    static const char *const names[2] = {"--from", "--to"};
    const char *given[2];
    char iso[11];
    int k;
    given[0] = o->from;
    given[1] = o->to;
    for (k = 0; k < 2; k++) {
        char *copy;
        if (!given[k])
            continue;
        if (im_date_parse_bound(given[k], k, iso) != 0)
            return im_fail(d, IM_ERR_USAGE, NULL, 0, 0,
                           "%s '%s' is not a date (2017-05-18, 18 May 2017, 18/05/2017, "
                           "2017-05 or 2017)", names[k], given[k]);
        copy = im_arena_strdup(m->arena, iso);
        if (!copy)
            return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
        if (k == 0)
            m->when_from = copy;
        else
            m->when_to = copy;
        m->when_loc.file = NULL;
    }
    if (m->when_from && m->when_to && strcmp(m->when_from, m->when_to) > 0)
        return im_fail(d, o->from || o->to ? IM_ERR_USAGE : IM_ERR_SPEC, m->when_loc.file,
                       m->when_loc.line, m->when_loc.col,
                       "the time window is empty: from %s is after to %s", m->when_from,
                       m->when_to);
    return 0;
}

/* Lines that follow a feature of a layer: the map's own layers by name, a
 * .shp path, or a layer of the shipped base map. */
static int im_load_follow(im_map *m, const char *geodata, im_diag *d)
{
    int i, j, rc = 0;
    for (i = 0; i < m->nlines; i++) {
        im_line *ln = &m->lines[i];
        const char *path = NULL;
        if (!ln->follow_layer)
            continue;
        for (j = 0; j < m->nlayers && !path; j++)
            if (m->layers[j].name && strcmp(m->layers[j].name, ln->follow_layer) == 0)
                path = m->layers[j].path;
        if (!path && im_has_suffix_ci(ln->follow_layer, ".shp"))
            path = ln->follow_layer; /* resolved by the map-file reader */
        if (!path) {
            /* a layer of the shipped base map: full resolution first */
            char *p = im_arena_printf(m->arena, "%s/basemap/me/%s.shp", geodata, ln->follow_layer);
            if (!im_is_regular_file(p))
                p = im_arena_printf(m->arena, "%s/basemap/world/%s.shp", geodata, ln->follow_layer);
            if (!im_is_regular_file(p)) {
                im_fail(d, IM_ERR_SPEC, ln->loc.file, ln->loc.line, ln->loc.col,
                        "line '%s': no layer named '%s' (name a layer of basemap:, a shipped "
                        "layer such as 'rivers', or a .shp file)",
                        ln->name, ln->follow_layer);
                rc = -1;
                if (!d->collect)
                    return -1;
                continue;
            }
            path = p;
        }
        if (im_follow_resolve(m->arena, ln, path, d) != 0) {
            rc = -1;
            if (!d->collect)
                return -1;
        }
    }
    return rc;
}

/* "3 rows skipped in FILE (see above)" per source, and a warning when the
 * filters leave nothing of incidents that were there. */
static void im_load_notes(im_map *m, int strict, im_diag *d)
{
    int i, kept = 0, filtered = 0;
    for (i = 0; i < m->nsources; i++) {
        const im_source *src = &m->sources[i];
        const char *unit = im_has_suffix_ci(src->path, ".shp")      ? "record"
                           : im_has_suffix_ci(src->path, ".geojson") ||
                                   im_has_suffix_ci(src->path, ".json")
                               ? "feature"
                               : "row";
        kept += src->nkept;
        filtered += src->nfiltered;
        if (src->nskipped > 0 && !strict)
            im_note(d, "%d %s%s skipped in %s (see above)", src->nskipped, unit,
                    src->nskipped == 1 ? "" : "s", src->path);
    }
    if (kept == 0 && filtered > 0) {
        const char *why = m->nwhere && (m->when_from || m->when_to) ? "the time window and where:"
                          : m->nwhere                              ? "where:"
                                                                   : "the time window";
        im_warn(d, NULL, 0, 0, "no incident is left on the map: %s excluded all %d", why,
                filtered);
    }
}

int im_map_load(im_map *m, const im_load_opts *o, im_diag *d)
{
    int rc = 0;
    if (im_load_window(m, o, d) != 0)
        return -1;
    m->lean = 1;
    if (im_data_load_incidents(m, o->strict, d) != 0) {
        rc = -1;
        if (!d->collect)
            return -1;
    }
    if (im_map_load_shapes(m, d) != 0) {
        rc = -1;
        if (!d->collect)
            return -1;
    }
    if (im_load_follow(m, o->geodata_dir, d) != 0) {
        rc = -1;
        if (!d->collect)
            return -1;
    }
    if (im_map_classify(m, d) != 0)
        return -1;
    if (rc == 0 && !o->no_notes)
        im_load_notes(m, o->strict, d);
    return rc;
}
