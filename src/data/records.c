/* Shared by the incident readers: recognised column names, and the builder
 * that checks one record (coordinates, date, numbers), applies the time
 * window and `where:`, keeps the fields the map uses, and appends the
 * incident to the map. */
#include "data/records.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "data/data.h"
#include "data/text.h"

typedef struct {
    const char *name;
    im_col role;
    int rank;
} im_col_alias;

static const im_col_alias im_col_aliases[] = {
    {"lat", IM_COL_LAT, 0},
    {"latitude", IM_COL_LAT, 1},
    {"y", IM_COL_LAT, 2},
    {"lon", IM_COL_LON, 0},
    {"lng", IM_COL_LON, 1},
    {"long", IM_COL_LON, 2},
    {"longitude", IM_COL_LON, 3},
    {"x", IM_COL_LON, 4},
    {"date", IM_COL_DATE, 0},
    {"event_date", IM_COL_DATE, 1},
    {"type", IM_COL_TYPE, 0},
    {"event_type", IM_COL_EVENT_TYPE, 0},
    {"sub_event_type", IM_COL_SUB_EVENT_TYPE, 0},
    {"actor", IM_COL_ACTOR, 0},
    {"actor1", IM_COL_ACTOR, 1},
    {"title", IM_COL_TITLE, 0},
    {"notes", IM_COL_NOTES, 0},
    {"description", IM_COL_NOTES, 1},
    {"target", IM_COL_TARGET, 0},
    {"fatalities", IM_COL_FATALITIES, 0},
    {"source", IM_COL_SOURCE, 0},
    {"geo_precision", IM_COL_GEO_PRECISION, 0},
    {"geo_precis", IM_COL_GEO_PRECISION, 1},    /* ACLED through a DBF: 10 characters */
    {"time_precision", IM_COL_TIME_PRECISION, 0},
    {"time_preci", IM_COL_TIME_PRECISION, 1},
};

static const char *const im_col_name_lists[IM_COL_COUNT] = {
    "lat, latitude, y",
    "lon, lng, long, longitude, x",
    "date, event_date",
    "type",
    "event_type",
    "sub_event_type",
    "actor, actor1",
    "title",
    "notes, description",
    "target",
    "fatalities",
    "source",
    "geo_precision",
    "time_precision",
};

static const im_col im_role_cols[IM_ROLE_COUNT] = {
    IM_COL_LAT,   IM_COL_LON,    IM_COL_DATE,       IM_COL_TYPE,
    IM_COL_ACTOR, IM_COL_TITLE,  IM_COL_NOTES,      IM_COL_TARGET,
    IM_COL_FATALITIES, IM_COL_SOURCE, IM_COL_GEO_PRECISION, IM_COL_TIME_PRECISION,
};

/* The role a column stands for (-1 for event_type and sub_event_type,
 * which only feed the type). */
static int im_role_of_col(int col)
{
    int r;
    for (r = 0; r < IM_ROLE_COUNT; r++) {
        if ((int)im_role_cols[r] == col)
            return r;
    }
    return -1;
}

im_col im_col_of_role(im_role role)
{
    return (int)role >= 0 && role < IM_ROLE_COUNT ? im_role_cols[role] : IM_COL_COUNT;
}

/* NAME without surrounding blanks into BUF; 0, or -1 if empty or too long. */
static int im_col_key(const char *name, char *buf, size_t size)
{
    const char *p = name;
    size_t n;
    while (*p == ' ' || *p == '\t')
        p++;
    n = strlen(p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' ||
                     p[n - 1] == '\n'))
        n--;
    if (n == 0 || n >= size)
        return -1;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return 0;
}

int im_col_lookup(const char *name, int *rank)
{
    char buf[64];
    size_t i;
    if (im_col_key(name, buf, sizeof buf) != 0)
        return -1;
    for (i = 0; i < sizeof im_col_aliases / sizeof im_col_aliases[0]; i++) {
        if (im_streq_ci(buf, im_col_aliases[i].name)) {
            if (rank)
                *rank = im_col_aliases[i].rank;
            return (int)im_col_aliases[i].role;
        }
    }
    return -1;
}

const char *im_col_names(im_col role)
{
    return role >= 0 && role < IM_COL_COUNT ? im_col_name_lists[role] : "";
}

/* NAME and KEY equal, ignoring ASCII case and blanks around NAME. */
static int im_name_is(const char *name, const char *key)
{
    char buf[256];
    if (im_col_key(name, buf, sizeof buf) != 0)
        return 0;
    return im_streq_ci(buf, key);
}

const char *im_record_excerpt(char *buf, size_t size, const char *s)
{
    const size_t limit = 60;
    size_t i = 0, o = 0;
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    if (size == 0)
        return buf;
    while (i < n && o + 4 < size) {
        size_t k = u[i] < 0x80 ? 1 : im_utf8_seq(u + i, n - i);
        if (k == 0)
            k = 1; /* stray byte: copied as is, one at a time */
        if (o >= limit || o + k + 4 >= size) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (k == 1 && u[i] < 0x20)
            buf[o] = ' ';
        else
            memcpy(buf + o, s + i, k);
        o += k;
        i += k;
    }
    buf[o] = '\0';
    return buf;
}

/* " (column 'lat')" for messages, or "" when the name is unknown. */
static void im_record_where(const im_record *r, im_col role, char *buf, size_t size)
{
    char ex[80];
    if (!r || !r->name[role]) {
        buf[0] = '\0';
        return;
    }
    snprintf(buf, size, " (%s '%s')", r->what ? r->what : "column",
             im_record_excerpt(ex, sizeof ex, r->name[role]));
}

static int im_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The span of S without surrounding blanks: its start, *N its length. */
static const char *im_span(const char *s, size_t *n)
{
    size_t k;
    if (!s) {
        *n = 0;
        return "";
    }
    while (im_is_blank(*s))
        s++;
    k = strlen(s);
    while (k > 0 && im_is_blank(s[k - 1]))
        k--;
    *n = k;
    return s;
}

static int im_is_empty(const char *s)
{
    size_t n;
    im_span(s, &n);
    return n == 0;
}

/* Trimmed copy of S into BUF (cut to size). */
static char *im_trimmed(char *buf, size_t size, const char *s)
{
    snprintf(buf, size, "%s", s);
    return im_trim(buf);
}

/* A whole number in [LO, HI] written in TEXT. */
static int im_parse_whole(const char *text, double lo, double hi, int *out)
{
    double v;
    char buf[64];
    if (im_parse_double(im_trimmed(buf, sizeof buf, text), &v) != 0)
        return -1;
    if (v < lo || v > hi || v != floor(v))
        return -1;
    *out = (int)v;
    return 0;
}

/* Plain decimals ("33.512345", "-0.5"): up to 15 significant digits
 * and 22 decimals make an integer and a power of ten that are both exact
 * doubles, and one IEEE division of those is correctly rounded, so this
 * gives strtod's value bit for bit at a tenth of its cost (strtod, which
 * the caller falls back on, goes through its multi-precision path for
 * every coordinate).  -1 for anything else (exponents, blanks, ...). */
static int im_parse_plain_decimal(const char *s, double *out)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    unsigned long long mant = 0;
    int neg = 0, any = 0, digits = 0, decimals = 0, point = 0;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            any = 1;
            if (mant == 0 && *s == '0') {
                /* leading zeros are not significant */
            } else if (++digits > 15) {
                return -1;
            }
            mant = mant * 10 + (unsigned long long)(*s - '0');
            decimals += point;
        } else if (*s == '.' && !point) {
            point = 1;
        } else {
            return -1;
        }
    }
    if (!any || decimals > 22)
        return -1;
    *out = (double)mant / pow10[decimals];
    if (neg)
        *out = -*out;
    return 0;
}

/* Parse a coordinate text; with DECIMAL_COMMA accept one ',' as the point. */
static int im_parse_coord(const char *text, int decimal_comma, double *out)
{
    char buf[64];
    char *comma;
    if (im_parse_plain_decimal(text, out) == 0)
        return 0;
    if (im_parse_double(text, out) == 0)
        return 0;
    if (!decimal_comma || strlen(text) >= sizeof buf)
        return -1;
    snprintf(buf, sizeof buf, "%s", text);
    comma = strchr(buf, ',');
    if (!comma || strchr(comma + 1, ',') || strchr(buf, '.'))
        return -1;
    *comma = '.';
    return im_parse_double(buf, out);
}

static int im_lonlat_range(double lon, double lat, const char *lon_text,
                           const char *lat_text, const im_record *r, char *why,
                           size_t whysize)
{
    char where[120], num[40];
    if (!(lat >= -90 && lat <= 90)) {
        int swapped = fabs(lat) <= 180 && fabs(lon) <= 90;
        if (!lat_text) {
            snprintf(num, sizeof num, "%.10g", lat);
            lat_text = num;
        }
        im_record_where(r, IM_COL_LAT, where, sizeof where);
        snprintf(why, whysize, "latitude %s is out of range [-90, 90]%s%s", lat_text,
                 where, swapped ? "; latitude and longitude look swapped" : "");
        return -1;
    }
    if (!(lon >= -180 && lon <= 180)) {
        if (!lon_text) {
            snprintf(num, sizeof num, "%.10g", lon);
            lon_text = num;
        }
        im_record_where(r, IM_COL_LON, where, sizeof where);
        snprintf(why, whysize, "longitude %s is out of range [-180, 180]%s", lon_text,
                 where);
        return -1;
    }
    return 0;
}

static int im_record_lonlat(const im_record *r, int decimal_comma, double *lon, double *lat,
                            char *why, size_t whysize)
{
    static const char *const label[2] = {"latitude", "longitude"};
    const im_col roles[2] = {IM_COL_LAT, IM_COL_LON};
    char texts[2][64], where[120], ex[80];
    double v[2];
    int k;
    for (k = 0; k < 2; k++) {
        const char *t = r->text[roles[k]];
        /* the usual row costs two parses; messages are made on failure */
        if (t && im_parse_coord(t, decimal_comma, &v[k]) == 0)
            continue;
        im_record_where(r, roles[k], where, sizeof where);
        if (im_is_empty(t)) {
            if (t)
                snprintf(why, whysize, "%s is empty%s", label[k], where);
            else
                snprintf(why, whysize, "no %s", label[k]);
            return -1;
        }
        snprintf(why, whysize, "%s '%s' is not a number%s", label[k],
                 im_record_excerpt(ex, sizeof ex, t), where);
        return -1;
    }
    if (!(v[0] >= -90 && v[0] <= 90 && v[1] >= -180 && v[1] <= 180)) {
        for (k = 0; k < 2; k++)
            im_trimmed(texts[k], sizeof texts[k], r->text[roles[k]]);
        if (im_lonlat_range(v[1], v[0], texts[1], texts[0], r, why, whysize) != 0)
            return -1;
    }
    *lat = v[0];
    *lon = v[1];
    return 0;
}

int im_lonlat_check(double lon, double lat, char *why, size_t whysize)
{
    return im_lonlat_range(lon, lat, NULL, NULL, NULL, why, whysize);
}

/* ---- filters ---------------------------------------------------------- */

int im_where_match(const im_where *w, const char *value)
{
    const char *v;
    size_t n;
    int i;
    v = im_span(value, &n);
    if (w->has_min || w->has_max) {
        char buf[64];
        double x;
        if (n == 0 || n >= sizeof buf)
            return 0;
        memcpy(buf, v, n);
        buf[n] = '\0';
        if (im_parse_double(buf, &x) != 0)
            return 0;
        return (!w->has_min || x >= w->min) && (!w->has_max || x <= w->max);
    }
    for (i = 0; i < w->nvalues; i++) {
        size_t m;
        const char *t = im_span(w->values[i], &m);
        size_t k;
        if (m != n)
            continue;
        for (k = 0; k < n; k++) {
            char a = v[k], b = t[k];
            if (a >= 'A' && a <= 'Z')
                a = (char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z')
                b = (char)(b - 'A' + 'a');
            if (a != b)
                break;
        }
        if (k == n)
            return 1;
    }
    return 0;
}

/* ---- the builder ------------------------------------------------------ */

/* Add NAME to the fields the map uses, unless it is there already. */
static int im_want_add(im_want *want, int *n, const char *name, const char *key, im_loc loc)
{
    int i;
    for (i = 0; i < *n; i++) {
        if (im_streq_ci(want[i].name, name))
            return i;
    }
    want[*n].name = name;
    want[*n].key = key;
    want[*n].loc = loc;
    want[*n].index = -1;
    {
        int col = im_col_lookup(name, NULL);
        want[*n].role = col >= 0 ? im_role_of_col(col) : -1;
    }
    return (*n)++;
}

int im_builder_init(im_builder *b, im_map *map, im_source *src, const char *what, int strict,
                    im_incident_fn visit, void *visit_user, im_diag *d)
{
    int i, cap = map->nwhere + 4;
    memset(b, 0, sizeof *b);
    b->visit = visit;
    b->visit_user = visit_user;
    b->map = map;
    b->src = src;
    b->file = src->path;
    b->what = what;
    b->strict = strict;
    b->d = d;
    b->nbefore = map->nincidents;
    src->nrecords = src->nskipped = src->nfiltered = src->nkept = 0;
    b->pool = im_pool_create(map->arena);
    b->want = calloc((size_t)cap, sizeof *b->want);
    b->where_want = calloc((size_t)(map->nwhere > 0 ? map->nwhere : 1), sizeof *b->where_want);
    if (!b->pool || !b->want || !b->where_want)
        goto oom;
    for (i = 0; i < map->nwhere; i++)
        b->where_want[i] = im_want_add(b->want, &b->nwant, map->where[i].field,
                                       "incidents.where", map->where[i].loc);
    if (map->symbol_by && !im_streq_ci(map->symbol_by, "type"))
        im_want_add(b->want, &b->nwant, map->symbol_by, "incidents.symbol", map->symbol_by_loc);
    if (map->color_by && !im_streq_ci(map->color_by, "actor"))
        im_want_add(b->want, &b->nwant, map->color_by, "incidents.color", map->color_by_loc);
    if (map->size_by)
        im_want_add(b->want, &b->nwant, map->size_by, "incidents.size", map->size_by_loc);
    if (map->label_by)
        im_want_add(b->want, &b->nwant, map->label_by, "incidents.label", map->label_by_loc);
    b->scratch = calloc((size_t)(b->nwant > 0 ? b->nwant : 1), sizeof *b->scratch);
    b->value = calloc((size_t)(b->nwant > 0 ? b->nwant : 1), sizeof *b->value);
    if (!b->scratch || !b->value)
        goto oom;
    return 0;
oom:
    b->failed = 1;
    return im_fail(d, IM_ERR_INTERNAL, src->path, 0, 0, "out of memory");
}

void im_builder_done(im_builder *b, int ok)
{
    if (b->map && !ok) {
        b->map->nincidents = b->nbefore; /* a file that fails adds nothing */
        if (b->src)
            b->src->nkept = 0;
    }
    im_pool_free(b->pool);
    free(b->want);
    free(b->where_want);
    free(b->scratch);
    free(b->value);
    free(b->vbuf);
    b->vbuf = NULL;
    b->pool = NULL;
    b->want = NULL;
    b->where_want = NULL;
    b->scratch = NULL;
    b->value = NULL;
}

int im_builder_role(const im_builder *b, const char *name, int *rank)
{
    int r, col;
    for (r = 0; r < IM_ROLE_COUNT; r++) {
        if (b->src->columns[r] && im_name_is(name, b->src->columns[r])) {
            if (rank)
                *rank = -1;
            return (int)im_role_cols[r];
        }
    }
    col = im_col_lookup(name, rank);
    if (col < 0)
        return -1;
    r = im_role_of_col(col);
    if (r >= 0 && b->src->columns[r])
        return -1; /* mapped to another column */
    if ((col == IM_COL_EVENT_TYPE || col == IM_COL_SUB_EVENT_TYPE) &&
        b->src->columns[IM_ROLE_TYPE])
        return -1;
    return col;
}

/* "a, b, c" of the header, cut to fit. */
static void im_name_list(char *buf, size_t size, const char *const *names, int n)
{
    size_t o = 0;
    int i;
    buf[0] = '\0';
    for (i = 0; i < n && o + 8 < size; i++) {
        int k = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", names[i]);
        if (k < 0 || (size_t)k >= size - o) {
            snprintf(buf + (o < size - 5 ? o : size - 5), 5, "...");
            return;
        }
        o += (size_t)k;
    }
}

int im_builder_header(im_builder *b, const char *const *names, int n, int line, int need_lonlat,
                      int col_of[IM_COL_COUNT])
{
    int rank[IM_COL_COUNT], i, r, rc = 0;
    char list[400];
    for (i = 0; i < IM_COL_COUNT; i++) {
        col_of[i] = -1;
        rank[i] = 1 << 30;
    }
    for (i = 0; i < n; i++) {
        int k = 0, role = im_builder_role(b, names[i], &k);
        if (role >= 0 && k < rank[role]) {
            rank[role] = k;
            col_of[role] = i;
        }
    }
    im_name_list(list, sizeof list, names, n);
    for (r = 0; r < IM_ROLE_COUNT; r++) {
        const char *want = b->src->columns[r];
        const im_loc *at = &b->src->column_loc[r];
        if (!want || col_of[im_role_cols[r]] >= 0)
            continue;
        if (at->file)
            im_fail(b->d, IM_ERR_DATA, at->file, at->line, at->col,
                    "no %s '%s' in '%s' (it has: %s)", b->what, want, b->file, list);
        else
            im_fail(b->d, IM_ERR_DATA, b->file, line, 0, "no %s '%s' (it has: %s)", b->what,
                    want, list);
        b->failed = 1;
        rc = -1;
        if (!b->d->collect)
            return -1;
    }
    for (i = 0; i < b->nwant; i++) {
        im_want *w = &b->want[i];
        int k;
        w->index = -1;
        for (k = 0; k < n; k++) {
            if (im_name_is(names[k], w->name)) {
                w->index = k;
                w->seen = 1;
                break;
            }
        }
        if (w->index < 0 && w->role < 0) {
            b->failed = 1;
            im_fail(b->d, IM_ERR_DATA, w->loc.file, w->loc.line, w->loc.col,
                    "%s: no %s '%s' in '%s' (it has: %s)", w->key, b->what, w->name, b->file,
                    list);
            rc = -1;
            if (!b->d->collect)
                return -1;
        }
    }
    b->cached_names = names;
    if (need_lonlat && (col_of[IM_COL_LAT] < 0 || col_of[IM_COL_LON] < 0)) {
        int lat = col_of[IM_COL_LAT] < 0;
        b->failed = 1;
        return im_fail(b->d, IM_ERR_DATA, b->file, line, 0,
                       "no %s %s (expected one of %s, or columns: {%s: NAME} in the map file)",
                       lat ? "latitude" : "longitude", b->what,
                       im_col_names(lat ? IM_COL_LAT : IM_COL_LON), lat ? "lat" : "lon");
    }
    return rc;
}

int im_builder_reject(im_builder *b, int line, const char *prefix, const char *why)
{
    b->src->nskipped++;
    if (b->strict) {
        im_fail(b->d, IM_ERR_DATA, b->file, line, 0, "%s%s", prefix ? prefix : "", why);
        if (b->d->collect)
            return 0;
        b->failed = 1;
        return -1;
    }
    im_warn(b->d, b->file, line, 0, "%sskipped: %s", prefix ? prefix : "", why);
    return 0;
}

static int im_builder_oom(im_builder *b, int line)
{
    b->failed = 1;
    b->oom = 1;
    return im_fail(b->d, IM_ERR_INTERNAL, b->file, line, 0, "out of memory");
}

/* The value of want K for this record: its field when the record has one,
 * else what its role gives. */
static const char *im_builder_value(im_builder *b, int k, const im_record *r,
                                    const im_incident *inc, const char *iso)
{
    im_want *w = &b->want[k];
    int i;
    if (r->header && r->field_name == b->cached_names) {
        if (w->index >= 0 && w->index < r->nfields)
            return r->field_value[w->index];
    } else {
        for (i = 0; i < r->nfields; i++) {
            if (im_name_is(r->field_name[i], w->name)) {
                w->seen = 1;
                return r->field_value[i];
            }
        }
    }
    switch (w->role) {
    case IM_ROLE_LAT:
    case IM_ROLE_LON:
        snprintf(b->scratch[k], sizeof b->scratch[k], "%.10g",
                 w->role == IM_ROLE_LAT ? inc->lat : inc->lon);
        return b->scratch[k];
    case IM_ROLE_DATE:
        return iso ? iso : "";
    case IM_ROLE_TYPE:
        return im_incident_type_name(inc->type);
    case -1:
        return "";
    default: {
        const char *t = r->text[im_role_cols[w->role]];
        return t ? t : "";
    }
    }
}

/* Arena copy of S without surrounding blanks ("" for NULL or empty);
 * pooled when POOLED.  NULL when out of memory. */
static const char *im_builder_copy(im_builder *b, const char *s, int pooled)
{
    size_t n;
    const char *p = im_span(s, &n);
    if (n == 0)
        return "";
    if (pooled)
        return im_pool_intern(b->pool, p, n);
    return im_arena_strndup(b->map->arena, p, n);
}

static int im_builder_append(im_builder *b, const im_incident *inc)
{
    im_map *m = b->map;
    if (b->keep) {
        int took = b->keep(b->keep_user, inc);
        if (took != 0)
            return took > 0 ? 0 : -1;
    }
    if (m->nincidents >= m->incidents_cap) {
        int ncap;
        im_incident *grown;
        if (m->incidents_cap > INT_MAX / 2 || m->nincidents > INT_MAX / 2)
            return -1;
        ncap = m->incidents_cap < 16 ? 32 : m->incidents_cap * 2;
        if (ncap <= m->nincidents)
            ncap = m->nincidents * 2; /* an array the map was given, not grown here */
        grown = im_arena_resize(m->arena, m->incidents,
                                (size_t)(m->incidents_cap > m->nincidents ? m->incidents_cap
                                                                          : m->nincidents) *
                                    sizeof *grown,
                                (size_t)ncap * sizeof *grown);
        if (!grown)
            return -1;
        m->incidents = grown;
        m->incidents_cap = ncap;
    }
    m->incidents[m->nincidents++] = *inc;
    return 0;
}

/* Parse a precision column (1, 2 or 3; empty: 0). */
static int im_builder_precision(const im_record *r, im_col col, int *out, char *why,
                                size_t whysize)
{
    char where[120], ex[80];
    *out = 0;
    if (im_is_empty(r->text[col]))
        return 0;
    if (im_parse_whole(r->text[col], 1, 3, out) == 0)
        return 0;
    im_record_where(r, col, where, sizeof where);
    snprintf(why, whysize, "%s '%s' is not 1, 2 or 3%s",
             col == IM_COL_GEO_PRECISION ? "geo_precision" : "time_precision",
             im_record_excerpt(ex, sizeof ex, r->text[col]), where);
    return -1;
}

/* Hand the record to the visitor: its texts trimmed into b->vbuf. */
static int im_builder_visit(im_builder *b, const im_record *r, im_incident *inc,
                            const char *type_text, const char *iso, int line)
{
    const char *texts[6];
    const char **slots[6];
    size_t need = 0, o = 0, n;
    int k;
    texts[0] = type_text;
    texts[1] = r->text[IM_COL_ACTOR];
    texts[2] = r->text[IM_COL_SOURCE];
    texts[3] = r->text[IM_COL_TITLE];
    texts[4] = r->text[IM_COL_NOTES];
    texts[5] = r->text[IM_COL_TARGET];
    slots[0] = &inc->type_text;
    slots[1] = &inc->actor;
    slots[2] = &inc->source;
    slots[3] = &inc->title;
    slots[4] = &inc->notes;
    slots[5] = &inc->target;
    for (k = 0; k < 6; k++) {
        im_span(texts[k], &n);
        need += n + 1;
    }
    if (need > b->vcap) {
        char *p = realloc(b->vbuf, need);
        if (!p)
            return im_builder_oom(b, line);
        b->vbuf = p;
        b->vcap = need;
    }
    for (k = 0; k < 6; k++) {
        const char *t = im_span(texts[k], &n);
        memcpy(b->vbuf + o, t, n);
        b->vbuf[o + n] = '\0';
        *slots[k] = b->vbuf + o;
        o += n + 1;
    }
    inc->date = iso;
    inc->color_key = inc->actor;
    inc->loc.file = b->file;
    inc->loc.line = line;
    b->src->nkept++;
    if (b->visit(b->visit_user, inc) != 0) {
        b->failed = 1;
        return -1;
    }
    return 0;
}

/* im_incident_type_parse of TEXT, remembered for the texts seen so far. */
static im_incident_type im_builder_type(im_builder *b, const char *text)
{
    im_incident_type t;
    size_t n;
    int i;
    for (i = 0; i < b->ntype_cache; i++)
        if (strcmp(b->type_cache[i].text, text) == 0)
            return b->type_cache[i].type;
    t = im_incident_type_parse(text);
    n = strlen(text);
    if (b->ntype_cache < (int)(sizeof b->type_cache / sizeof b->type_cache[0]) &&
        n < sizeof b->type_cache[0].text) {
        memcpy(b->type_cache[b->ntype_cache].text, text, n + 1);
        b->type_cache[b->ntype_cache++].type = t;
    }
    return t;
}

int im_builder_add(im_builder *b, const im_record *r, const double *lonlat, int decimal_comma,
                   int line, const char *prefix)
{
    static const im_col type_order[] = {IM_COL_SUB_EVENT_TYPE, IM_COL_TYPE, IM_COL_EVENT_TYPE};
    im_map *m = b->map;
    im_incident inc;
    char why[600], where[120], ex[80], iso[11];
    const char *type_text = NULL;
    int have_date = 0, i, k, keep_all = m->keep_all_fields, geo_precision, time_precision;
    size_t t;

    b->src->nrecords++;
    memset(&inc, 0, sizeof inc);
    if (lonlat) {
        if (im_lonlat_check(lonlat[0], lonlat[1], why, sizeof why) != 0)
            return im_builder_reject(b, line, prefix, why);
        inc.lon = lonlat[0];
        inc.lat = lonlat[1];
    } else if (im_record_lonlat(r, decimal_comma, &inc.lon, &inc.lat, why, sizeof why) != 0) {
        return im_builder_reject(b, line, prefix, why);
    }

    if (!im_is_empty(r->text[IM_COL_DATE])) {
        if (im_date_parse(r->text[IM_COL_DATE], iso) != 0) {
            im_record_where(r, IM_COL_DATE, where, sizeof where);
            snprintf(why, sizeof why, "date '%s' is not a valid date%s",
                     im_record_excerpt(ex, sizeof ex, r->text[IM_COL_DATE]), where);
            return im_builder_reject(b, line, prefix, why);
        }
        have_date = 1;
    }
    inc.fatalities = -1;
    if (!im_is_empty(r->text[IM_COL_FATALITIES]) &&
        im_parse_whole(r->text[IM_COL_FATALITIES], 0, INT_MAX, &inc.fatalities) != 0) {
        im_record_where(r, IM_COL_FATALITIES, where, sizeof where);
        snprintf(why, sizeof why, "fatalities '%s' is not a whole number%s",
                 im_record_excerpt(ex, sizeof ex, r->text[IM_COL_FATALITIES]), where);
        return im_builder_reject(b, line, prefix, why);
    }
    if (im_builder_precision(r, IM_COL_GEO_PRECISION, &geo_precision, why, sizeof why) ||
        im_builder_precision(r, IM_COL_TIME_PRECISION, &time_precision, why, sizeof why))
        return im_builder_reject(b, line, prefix, why);
    inc.geo_precision = (signed char)geo_precision; /* 0 to 3 */
    inc.time_precision = (signed char)time_precision;

    /* the type: ACLED's sub-event type (the finer one), else a "type"
     * column (or the one mapped to it), else ACLED's event type; the first
     * that is not empty */
    for (t = 0; t < sizeof type_order / sizeof type_order[0]; t++) {
        const char *s = r->text[type_order[t]];
        if (!im_is_empty(s)) {
            type_text = s;
            break;
        }
    }
    inc.type = type_text ? im_builder_type(b, type_text) : IM_ITYPE_OTHER;
    inc.symbol_class = (int)inc.type;

    /* the filters, before anything is copied */
    if (m->when_from || m->when_to) {
        if (!have_date || (m->when_from && strcmp(iso, m->when_from) < 0) ||
            (m->when_to && strcmp(iso, m->when_to) > 0)) {
            b->src->nfiltered++;
            return 0;
        }
    }
    for (k = 0; k < b->nwant; k++)
        b->value[k] = im_builder_value(b, k, r, &inc, have_date ? iso : NULL);
    for (i = 0; i < m->nwhere; i++) {
        if (!im_where_match(&m->where[i], b->value[b->where_want[i]])) {
            b->src->nfiltered++;
            return 0;
        }
    }

    if (b->visit)
        return im_builder_visit(b, r, &inc, type_text, have_date ? iso : NULL, line);

    inc.date = have_date ? im_pool_intern(b->pool, iso, 10) : NULL;
    inc.type_text = im_builder_copy(b, type_text, 1);
    inc.actor = im_builder_copy(b, r->text[IM_COL_ACTOR], 1);
    inc.source = im_builder_copy(b, r->text[IM_COL_SOURCE], 1);
    inc.title = im_builder_copy(b, r->text[IM_COL_TITLE], 0);
    inc.notes = m->lean ? "" : im_builder_copy(b, r->text[IM_COL_NOTES], 0);
    inc.target = m->lean ? "" : im_builder_copy(b, r->text[IM_COL_TARGET], 0);
    if ((have_date && !inc.date) || !inc.type_text || !inc.actor || !inc.source || !inc.title ||
        !inc.notes || !inc.target)
        return im_builder_oom(b, line);
    inc.color_key = inc.actor;

    /* the fields kept: those the map uses (a role standing in for a field
     * the record lacks), or every field and those */
    inc.nattrs = (keep_all ? r->nfields : 0) + b->nwant;
    if (inc.nattrs > 0) {
        im_attr *attrs = im_arena_alloc(m->arena, (size_t)inc.nattrs * sizeof *attrs);
        int n = 0;
        if (!attrs)
            return im_builder_oom(b, line);
        for (i = 0; keep_all && i < r->nfields; i++) {
            attrs[n].name = im_builder_copy(b, r->field_name[i], 1);
            attrs[n].value = im_builder_copy(b, r->field_value[i], 1);
            if (!attrs[n].name || !attrs[n].value)
                return im_builder_oom(b, line);
            n++;
        }
        for (k = 0; k < b->nwant; k++) {
            for (i = 0; keep_all && i < r->nfields; i++)
                if (im_name_is(r->field_name[i], b->want[k].name))
                    break;
            if (keep_all && i < r->nfields)
                continue; /* kept already under the data's own name */
            attrs[n].name = b->want[k].name;
            attrs[n].value = im_builder_copy(b, b->value[k], 1);
            if (!attrs[n].value)
                return im_builder_oom(b, line);
            n++;
        }
        inc.nattrs = n;
        inc.attrs = attrs;
    }
    inc.loc.file = b->file;
    inc.loc.line = line;
    if (im_builder_append(b, &inc) != 0)
        return im_builder_oom(b, line);
    b->src->nkept++;
    return 0;
}

int im_builder_finish(im_builder *b)
{
    int k, rc = 0;
    for (k = 0; k < b->nwant; k++) {
        const im_want *w = &b->want[k];
        if (w->seen || w->role >= 0)
            continue;
        b->failed = 1;
        im_fail(b->d, IM_ERR_DATA, w->loc.file, w->loc.line, w->loc.col,
                "%s: no %s '%s' in any record of '%s'", w->key, b->what, w->name, b->file);
        rc = -1;
        if (!b->d->collect)
            break;
    }
    return rc;
}
