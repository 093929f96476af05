/* Shared by the incident readers: recognised column names, one record's
 * texts -> im_incident (dates, types, fatalities, coordinate ranges), the
 * wording of skip warnings, and the growing incident array. */
#include "data/records.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
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
};

int im_col_lookup(const char *name, int *rank)
{
    char buf[64];
    size_t n;
    const char *p = name;
    size_t i;
    while (*p == ' ' || *p == '\t')
        p++;
    n = strlen(p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' ||
                     p[n - 1] == '\n'))
        n--;
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, p, n);
    buf[n] = '\0';
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

/* Arena copy of S without surrounding blanks; "" for NULL or empty. */
static const char *im_record_copy(im_arena *a, const char *s, int *oom)
{
    char *p;
    if (!s || !*s)
        return "";
    p = im_arena_strdup(a, s);
    if (!p) {
        *oom = 1;
        return "";
    }
    return im_trim(p);
}

static int im_is_empty(const char *s)
{
    if (!s)
        return 1;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return *s == '\0';
}

/* Trimmed copy of S into BUF (cut to size). */
static char *im_trimmed(char *buf, size_t size, const char *s)
{
    snprintf(buf, size, "%s", s);
    return im_trim(buf);
}

static int im_parse_fatalities(const char *text, int *out)
{
    double v;
    if (im_parse_double(text, &v) != 0)
        return -1;
    if (v < 0 || v > INT_MAX || v != floor(v))
        return -1;
    *out = (int)v;
    return 0;
}

int im_record_fill(im_arena *a, const im_record *r, im_incident *out, char *why,
                   size_t whysize)
{
    static const im_col type_order[] = {IM_COL_SUB_EVENT_TYPE, IM_COL_TYPE,
                                        IM_COL_EVENT_TYPE};
    char where[120], ex[80];
    const char *type_text = NULL;
    int oom = 0;
    size_t i;

    out->date = NULL;
    if (!im_is_empty(r->text[IM_COL_DATE])) {
        char iso[11];
        if (im_date_parse(r->text[IM_COL_DATE], iso) != 0) {
            im_record_where(r, IM_COL_DATE, where, sizeof where);
            snprintf(why, whysize, "date '%s' is not a valid date%s",
                     im_record_excerpt(ex, sizeof ex, r->text[IM_COL_DATE]), where);
            return -1;
        }
        out->date = im_arena_strdup(a, iso);
        if (!out->date)
            return -2;
    }

    out->fatalities = -1;
    if (!im_is_empty(r->text[IM_COL_FATALITIES])) {
        if (im_parse_fatalities(r->text[IM_COL_FATALITIES], &out->fatalities) != 0) {
            im_record_where(r, IM_COL_FATALITIES, where, sizeof where);
            snprintf(why, whysize, "fatalities '%s' is not a whole number%s",
                     im_record_excerpt(ex, sizeof ex, r->text[IM_COL_FATALITIES]), where);
            return -1;
        }
    }

    for (i = 0; i < sizeof type_order / sizeof type_order[0]; i++) {
        const char *t = r->text[type_order[i]];
        if (!im_is_empty(t)) {
            type_text = t;
            break;
        }
    }
    out->type_text = im_record_copy(a, type_text, &oom);
    out->type = type_text ? im_incident_type_parse(out->type_text) : IM_ITYPE_OTHER;

    out->actor = im_record_copy(a, r->text[IM_COL_ACTOR], &oom);
    out->title = im_record_copy(a, r->text[IM_COL_TITLE], &oom);
    out->notes = im_record_copy(a, r->text[IM_COL_NOTES], &oom);
    out->target = im_record_copy(a, r->text[IM_COL_TARGET], &oom);
    out->source = im_record_copy(a, r->text[IM_COL_SOURCE], &oom);
    return oom ? -2 : 0;
}

/* Parse a coordinate text; with DECIMAL_COMMA accept one ',' as the point. */
static int im_parse_coord(const char *text, int decimal_comma, double *out)
{
    char buf[64];
    char *comma;
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

int im_record_lonlat(const im_record *r, int decimal_comma, double *lon, double *lat,
                     char *why, size_t whysize)
{
    static const char *const label[2] = {"latitude", "longitude"};
    const im_col roles[2] = {IM_COL_LAT, IM_COL_LON};
    char texts[2][64], where[120], ex[80];
    double v[2];
    int k;
    for (k = 0; k < 2; k++) {
        const char *t = r->text[roles[k]];
        im_record_where(r, roles[k], where, sizeof where);
        if (im_is_empty(t)) {
            if (t)
                snprintf(why, whysize, "%s is empty%s", label[k], where);
            else
                snprintf(why, whysize, "no %s", label[k]);
            return -1;
        }
        if (im_parse_coord(t, decimal_comma, &v[k]) != 0) {
            snprintf(why, whysize, "%s '%s' is not a number%s", label[k],
                     im_record_excerpt(ex, sizeof ex, t), where);
            return -1;
        }
        im_trimmed(texts[k], sizeof texts[k], t);
    }
    if (im_lonlat_range(v[1], v[0], texts[1], texts[0], r, why, whysize) != 0)
        return -1;
    *lat = v[0];
    *lon = v[1];
    return 0;
}

int im_lonlat_check(double lon, double lat, char *why, size_t whysize)
{
    return im_lonlat_range(lon, lat, NULL, NULL, NULL, why, whysize);
}

int im_record_reject(im_diag *d, int strict, const char *file, int line,
                     const char *prefix, const char *why)
{
    if (strict)
        return im_fail(d, IM_ERR_DATA, file, line, 0, "%s%s", prefix ? prefix : "", why);
    im_warn(d, file, line, 0, "%sskipped: %s", prefix ? prefix : "", why);
    return 0;
}

void im_incident_sink_init(im_incident_sink *s, im_map *map)
{
    s->map = map;
    s->cap = map->nincidents;
}

int im_incident_sink_add(im_incident_sink *s, const im_incident *inc)
{
    im_map *m = s->map;
    if (m->nincidents >= s->cap) {
        int ncap;
        im_incident *grown;
        if (s->cap > INT_MAX / 2)
            return -1;
        ncap = s->cap < 16 ? 32 : s->cap * 2;
        grown = im_arena_grow(m->arena, m->incidents, (size_t)m->nincidents,
                              (size_t)ncap, sizeof *grown);
        if (!grown)
            return -1;
        m->incidents = grown;
        s->cap = ncap;
    }
    m->incidents[m->nincidents++] = *inc;
    return 0;
}
