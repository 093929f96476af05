/* Atlas pages: one page per incident (a circle of radius_km around it,
 * every incident in it shown) or per group (month, year, or a field's
 * value: the group's incidents in their extent plus a margin), named from
 * a template, with an index (CSV and an HTML contact sheet).  A page's key
 * hashes what it shows: the records inside its extent and window, its
 * frame and titles, and the map-wide symbology, so an edited incident
 * changes only the keys of the pages it appears on. */
#include "build/build_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "core/arena.h"
#include "core/util.h"

static const char *im_attr_value(const im_incident *inc, const char *field)
{
    int i;
    for (i = 0; i < inc->nattrs; i++)
        if (im_streq_ci(inc->attrs[i].name, field))
            return inc->attrs[i].value;
    if (im_streq_ci(field, "actor"))
        return inc->actor;
    if (im_streq_ci(field, "type"))
        return inc->type_text;
    if (im_streq_ci(field, "date"))
        return inc->date;
    if (im_streq_ci(field, "title"))
        return inc->title;
    if (im_streq_ci(field, "source"))
        return inc->source;
    return NULL;
}

/* The group of INC, or NULL when it belongs to none (no date). */
static const char *im_group_of(const im_map *m, const im_incident *inc, char buf[16])
{
    const char *v;
    switch (m->atlas.per) {
    case IM_ATLAS_MONTH:
    case IM_ATLAS_YEAR:
        if (!inc->date)
            return NULL;
        snprintf(buf, 16, "%.*s", m->atlas.per == IM_ATLAS_MONTH ? 7 : 4, inc->date);
        return buf;
    case IM_ATLAS_FIELD:
        v = im_attr_value(inc, m->atlas.field);
        return v && *v ? v : "none";
    default:
        return NULL;
    }
}

/* A file-name-safe copy of TEXT appended to OUT. */
static void im_put_safe(FILE *out, const char *text)
{
    const unsigned char *p;
    int dash = 0;
    for (p = (const unsigned char *)(text ? text : ""); *p; p++) {
        int ok = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                 (*p >= 'A' && *p <= 'Z') || *p == '.' || *p == '_' || *p == '-' || *p >= 0x80;
        if (ok) {
            fputc(*p, out);
            dash = 0;
        } else if (!dash) {
            fputc('-', out);
            dash = 1;
        }
    }
}

static char *im_page_name(const im_map *m, const im_incident *inc, const char *group, int n,
                          int index)
{
    char *text = NULL;
    size_t len = 0;
    const char *t;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    for (t = m->atlas.name; *t; t++) {
        const char *close = *t == '{' ? strchr(t, '}') : NULL;
        size_t k = close ? (size_t)(close - t - 1) : 0;
        if (!close) {
            fputc(*t, f);
            continue;
        }
        if (k == 4 && strncmp(t + 1, "date", 4) == 0)
            im_put_safe(f, inc && inc->date ? inc->date : group ? group : "undated");
        else if (k == 2 && strncmp(t + 1, "id", 2) == 0) {
            const char *id = inc ? im_attr_value(inc, "id") : NULL;
            if (id && *id)
                im_put_safe(f, id);
            else
                fprintf(f, "%d", index + 1);
        } else if (k == 5 && strncmp(t + 1, "group", 5) == 0)
            im_put_safe(f, group ? group : inc && inc->date ? inc->date : "undated");
        else if (k == 1 && t[1] == 'n')
            fprintf(f, "%04d", n + 1);
        else if (k == 5 && strncmp(t + 1, "title", 5) == 0)
            im_put_safe(f, inc ? (inc->title && *inc->title ? inc->title : inc->type_text) : group);
        else {
            fwrite(t, 1, k + 2, f); /* not a placeholder: as written */
        }
        t = close;
    }
    fclose(f);
    return text;
}

static void im_hash_text(XXH3_state_t *st, const char *s)
{
    s = s ? s : "";
    XXH3_64bits_update(st, s, strlen(s) + 1);
}

static void im_hash_record(XXH3_state_t *st, const im_incident *inc)
{
    char num[128];
    snprintf(num, sizeof num, "%.9g %.9g %d %d %d %d %.9g", inc->lon, inc->lat, inc->type,
             inc->symbol_class, inc->fatalities, inc->geo_precision * 10 + inc->time_precision,
             inc->size);
    im_hash_text(st, num);
    im_hash_text(st, inc->date);
    im_hash_text(st, inc->type_text);
    im_hash_text(st, inc->actor);
    im_hash_text(st, inc->title);
    im_hash_text(st, inc->label);
    im_hash_text(st, inc->color_key);
}

static int im_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The symbology every page shares: symbol classes and the frequency of
 * each colour key (colours go to the most frequent first). */
static uint64_t im_symbology_digest(const im_map *m)
{
    XXH3_state_t *st = XXH3_createState();
    const char **keys = malloc((size_t)(m->nincidents + 1) * sizeof *keys);
    uint64_t h = 0;
    int i, run = 0;
    if (!st || !keys)
        goto done;
    XXH3_64bits_reset(st);
    for (i = 0; i < m->nsymbol_classes; i++) {
        char c[32];
        im_hash_text(st, m->symbol_classes[i].name);
        snprintf(c, sizeof c, "%d %d", m->symbol_classes[i].shape, m->symbol_classes[i].count);
        im_hash_text(st, c);
    }
    for (i = 0; i < m->nincidents; i++)
        keys[i] = m->incidents[i].color_key ? m->incidents[i].color_key : "";
    qsort(keys, (size_t)m->nincidents, sizeof *keys, im_cmp_str);
    for (i = 0; i < m->nincidents; i++) {
        run++;
        if (i + 1 == m->nincidents || strcmp(keys[i], keys[i + 1]) != 0) {
            char c[16];
            im_hash_text(st, keys[i]);
            snprintf(c, sizeof c, "%d", run);
            im_hash_text(st, c);
            run = 0;
        }
    }
    h = XXH3_64bits_digest(st);
done:
    XXH3_freeState(st);
    free(keys);
    return h;
}

static uint64_t im_page_key(const im_map *m, const im_page *pg, uint64_t digest)
{
    XXH3_state_t *st = XXH3_createState();
    char num[160];
    uint64_t h;
    int i;
    if (!st)
        return 0;
    XXH3_64bits_reset(st);
    XXH3_64bits_update(st, &digest, sizeof digest);
    im_hash_text(st, pg->name);
    im_hash_text(st, pg->subtitle);
    snprintf(num, sizeof num, "%d %.9g %.9g %.9g %.9g %.9g %.9g %.9g", pg->extent.kind,
             pg->extent.lon0, pg->extent.lat0, pg->extent.lon1, pg->extent.lat1,
             pg->extent.center.lon, pg->extent.center.lat, pg->extent.radius_km);
    im_hash_text(st, num);
    if (pg->records) {
        for (i = 0; i < pg->nrecords; i++)
            im_hash_record(st, &m->incidents[pg->records[i]]);
    } else {
        /* an incident page shows every incident in its frame, which fits
         * the circle: as wide as the page's aspect makes it, with room for
         * symbols that reach in from beyond the edge */
        double pw = m->width_px > 0 ? m->width_px : 4, ph = m->height_px > 0 ? m->height_px : 3;
        double k = 1.5 * (pw > ph ? pw / ph : ph / pw);
        double dlat = k * pg->extent.radius_km / 110.5;
        double c = cos(pg->extent.center.lat * M_PI / 180);
        double dlon = dlat / (c > 0.05 ? c : 0.05);
        for (i = 0; i < m->nincidents; i++) {
            const im_incident *inc = &m->incidents[i];
            if (fabs(inc->lat - pg->extent.center.lat) <= dlat &&
                fabs(inc->lon - pg->extent.center.lon) <= dlon)
                im_hash_record(st, inc);
        }
    }
    h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h;
}

typedef struct im_group {
    const char *value;
    int *records;
    int n, cap;
} im_group;

static int im_cmp_group(const void *a, const void *b)
{
    return strcmp(((const im_group *)a)->value, ((const im_group *)b)->value);
}

/* Group records by value, groups sorted by value, records in data order. */
static int im_group_records(const im_map *m, im_group **out, int *nout)
{
    im_group *g = NULL;
    int ng = 0, cap = 0, i, k;
    char buf[16];
    for (i = 0; i < m->nincidents; i++) {
        const char *v = im_group_of(m, &m->incidents[i], buf);
        if (!v)
            continue;
        for (k = ng - 1; k >= 0 && strcmp(g[k].value, v) != 0; k--)
            ;
        if (k < 0) {
            if (ng == cap) {
                im_group *gg = realloc(g, (size_t)(cap = cap ? cap * 2 : 16) * sizeof *gg);
                if (!gg)
                    goto oom;
                g = gg;
            }
            k = ng++;
            memset(&g[k], 0, sizeof g[k]);
            g[k].value = strdup(v);
            if (!g[k].value)
                goto oom;
        }
        if (g[k].n == g[k].cap) {
            int *r = realloc(g[k].records, (size_t)(g[k].cap = g[k].cap ? g[k].cap * 2 : 8) *
                                                 sizeof *r);
            if (!r)
                goto oom;
            g[k].records = r;
        }
        g[k].records[g[k].n++] = i;
    }
    if (ng > 1)
        qsort(g, (size_t)ng, sizeof *g, im_cmp_group);
    *out = g;
    *nout = ng;
    return 0;
oom:
    for (k = 0; k < ng; k++) {
        free((char *)g[k].value);
        free(g[k].records);
    }
    free(g);
    return -1;
}

static void im_group_extent(const im_map *m, const im_group *g, im_extent *e)
{
    double lon0 = 1e9, lat0 = 1e9, lon1 = -1e9, lat1 = -1e9, dlon, dlat, cl;
    int i;
    for (i = 0; i < g->n; i++) {
        const im_incident *inc = &m->incidents[g->records[i]];
        lon0 = fmin(lon0, inc->lon);
        lon1 = fmax(lon1, inc->lon);
        lat0 = fmin(lat0, inc->lat);
        lat1 = fmax(lat1, inc->lat);
    }
    cl = cos((lat0 + lat1) / 2 * M_PI / 180);
    /* at least some 50 km across, so a lone incident has context */
    if (lat1 - lat0 < 0.5) {
        double c = (lat0 + lat1) / 2;
        lat0 = c - 0.25;
        lat1 = c + 0.25;
    }
    if ((lon1 - lon0) * cl < 0.5) {
        double c = (lon0 + lon1) / 2, w = 0.25 / (cl > 0.1 ? cl : 0.1);
        lon0 = c - w;
        lon1 = c + w;
    }
    dlon = (lon1 - lon0) * m->atlas.margin;
    dlat = (lat1 - lat0) * m->atlas.margin;
    memset(e, 0, sizeof *e);
    e->kind = IM_EXTENT_BOX;
    e->lon0 = fmax(-180, lon0 - dlon);
    e->lon1 = fmin(180, lon1 + dlon);
    e->lat0 = fmax(-89, lat0 - dlat);
    e->lat1 = fmin(89, lat1 + dlat);
}

static char *im_strf(const char *fmt, const char *a, const char *b)
{
    size_t n = strlen(fmt) + strlen(a) + strlen(b) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, fmt, a, b);
    return s;
}

/* Two pages of one name: the later ones get -2, -3, ... before the
 * extension. */
static int im_unique_names(im_page *pages, int n)
{
    int i, k, dup;
    for (i = 1; i < n; i++) {
        for (dup = 1, k = 0; k < i; k++) {
            if (strcmp(pages[k].name, pages[i].name) == 0) {
                char *dot = strrchr(pages[i].name, '.'), *nn;
                size_t stem = dot ? (size_t)(dot - pages[i].name) : strlen(pages[i].name);
                size_t len = strlen(pages[i].name) + 16;
                nn = malloc(len);
                if (!nn)
                    return -1;
                snprintf(nn, len, "%.*s-%d%s", (int)stem, pages[i].name, ++dup,
                         dot ? dot : "");
                free(pages[i].name);
                pages[i].name = nn;
                k = -1; /* check the new name from the start */
            }
        }
    }
    return 0;
}

int im_atlas_pages(const im_map *m, im_page **out, int *nout, im_diag *d)
{
    im_page *pages = NULL;
    im_group *groups = NULL;
    int n = 0, ng = 0, i;
    uint64_t digest = im_symbology_digest(m);
    *out = NULL;
    *nout = 0;
    if (m->atlas.per == IM_ATLAS_INCIDENT) {
        pages = calloc((size_t)(m->nincidents + 1), sizeof *pages);
        if (!pages)
            goto oom;
        for (i = 0; i < m->nincidents; i++, n++) {
            const im_incident *inc = &m->incidents[i];
            im_page *pg = &pages[n];
            pg->subject = i;
            pg->extent.kind = IM_EXTENT_CIRCLE;
            pg->extent.center.lon = inc->lon;
            pg->extent.center.lat = inc->lat;
            pg->extent.radius_km = m->atlas.radius_km;
            pg->name = im_page_name(m, inc, NULL, n, i);
            pg->subtitle = im_strf("%s \xE2\x80\x94 %s", inc->date ? inc->date : "undated",
                                   inc->title && *inc->title ? inc->title : inc->type_text);
            if (!pg->name || !pg->subtitle)
                goto oom;
        }
    } else {
        if (im_group_records(m, &groups, &ng) != 0)
            goto oom;
        pages = calloc((size_t)(ng + 1), sizeof *pages);
        if (!pages)
            goto oom;
        for (i = 0; i < ng; i++, n++) {
            im_page *pg = &pages[n];
            char count[32];
            pg->subject = -1;
            pg->records = groups[i].records;
            pg->nrecords = groups[i].n;
            groups[i].records = NULL;
            pg->group = (char *)groups[i].value;
            groups[i].value = NULL;
            im_group_extent(m, &(im_group){pg->group, pg->records, pg->nrecords, 0},
                            &pg->extent);
            pg->name = im_page_name(m, NULL, pg->group, n, i);
            snprintf(count, sizeof count, "%d incident%s", pg->nrecords,
                     pg->nrecords == 1 ? "" : "s");
            pg->subtitle = im_strf("%s \xE2\x80\x94 %s", pg->group, count);
            if (!pg->name || !pg->subtitle)
                goto oom;
        }
        free(groups);
        groups = NULL;
    }
    if (im_unique_names(pages, n) != 0)
        goto oom;
    for (i = 0; i < n; i++)
        pages[i].key = im_page_key(m, &pages[i], digest);
    *out = pages;
    *nout = n;
    return 0;
oom:
    for (i = 0; i < ng; i++) {
        free((char *)groups[i].value);
        free(groups[i].records);
    }
    free(groups);
    im_atlas_pages_free(pages, n + 1);
    return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
}

void im_atlas_pages_free(im_page *pages, int npages)
{
    int i;
    if (!pages)
        return;
    for (i = 0; i < npages; i++) {
        free(pages[i].name);
        free(pages[i].subtitle);
        free(pages[i].records);
        free(pages[i].group);
    }
    free(pages);
}

void im_atlas_apply(im_map *m, const im_page *pg)
{
    m->extent = pg->extent;
    m->extent.loc = m->atlas.loc;
    m->subtitle = im_arena_strdup(m->arena, pg->subtitle);
    if (pg->records) {
        im_incident *sub = im_arena_alloc(m->arena, (size_t)(pg->nrecords + 1) * sizeof *sub);
        int i;
        if (!sub)
            return;
        for (i = 0; i < pg->nrecords; i++)
            sub[i] = m->incidents[pg->records[i]];
        m->incidents = sub;
        m->nincidents = pg->nrecords;
        m->incidents_cap = pg->nrecords + 1;
    }
}

static void im_csv_field(FILE *f, const char *s)
{
    s = s ? s : "";
    if (strpbrk(s, ",\"\n\r")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
}

static void im_html_text(FILE *f, const char *s)
{
    for (s = s ? s : ""; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else
            fputc(*s, f);
    }
}

char *im_atlas_index_text(const im_map *m, const im_page *pages, int npages, int csv)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int i;
    if (!f)
        return NULL;
    if (csv)
        fputs("file,subject,date,lon,lat,incidents\n", f);
    else {
        fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>", f);
        im_html_text(f, m->title ? m->title : "Atlas");
        fputs("</title>\n<style>body{font-family:sans-serif;margin:1em}"
              ".g{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;width:240px}"
              "img{width:240px;border:1px solid #ccc}figcaption{font-size:12px}</style>"
              "</head>\n<body><h1>", f);
        im_html_text(f, m->title ? m->title : "Atlas");
        fputs("</h1>\n<div class=\"g\">\n", f);
    }
    for (i = 0; i < npages; i++) {
        const im_page *pg = &pages[i];
        const im_incident *inc = pg->subject >= 0 ? &m->incidents[pg->subject] : NULL;
        if (csv) {
            char num[96];
            im_csv_field(f, pg->name);
            fputc(',', f);
            im_csv_field(f, inc ? (inc->title && *inc->title ? inc->title : inc->type_text)
                                : pg->group);
            fputc(',', f);
            im_csv_field(f, inc ? inc->date : pg->group);
            if (inc)
                snprintf(num, sizeof num, ",%.6f,%.6f,1\n", inc->lon, inc->lat);
            else
                snprintf(num, sizeof num, ",%.6f,%.6f,%d\n",
                         (pg->extent.lon0 + pg->extent.lon1) / 2,
                         (pg->extent.lat0 + pg->extent.lat1) / 2, pg->nrecords);
            fputs(num, f);
        } else {
            fputs("<figure><a href=\"", f);
            im_html_text(f, pg->name);
            fputs("\"><img loading=\"lazy\" src=\"", f);
            im_html_text(f, pg->name);
            fputs("\" alt=\"\"></a><figcaption>", f);
            im_html_text(f, pg->subtitle);
            fputs("</figcaption></figure>\n", f);
        }
    }
    if (!csv)
        fputs("</div>\n</body></html>\n", f);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
