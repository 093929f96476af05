/* Lines that follow a shapefile feature between two points (the
 * Euphrates deconfliction line follows the river): the matching parts are
 * chained end to end, and the stretch between the vertices nearest to the
 * two points is cut out. */
#include "geo/follow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "data/shp.h"

typedef struct {
    double *x, *y;
    int n, cap;
    int used;
} im_chain;

typedef struct {
    im_shp *shp;
    int field;
    const im_where *where;
    im_geo_tf *tf;
    im_chain *chains;
    int nchains, cap;
    int failed;
} im_follow_ctx;

static int im_chain_push(im_chain *c, double x, double y)
{
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 64;
        double *nx = realloc(c->x, (size_t)cap * sizeof *nx), *ny;
        if (!nx)
            return -1;
        c->x = nx;
        ny = realloc(c->y, (size_t)cap * sizeof *ny);
        if (!ny)
            return -1;
        c->y = ny;
        c->cap = cap;
    }
    c->x[c->n] = x;
    c->y[c->n] = y;
    c->n++;
    return 0;
}

static int im_where_match(im_shp *shp, int rec, int field, const im_where *w)
{
    const char *v;
    int i;
    if (field < 0)
        return 1;
    v = im_shp_attr(shp, rec, field);
    for (i = 0; i < w->nvalues; i++)
        if (im_streq_ci(v, w->values[i]))
            return 1;
    return 0;
}

static int im_follow_visit(void *user, const im_shape *s)
{
    im_follow_ctx *f = user;
    int p, i;
    if (s->kind != IM_GEOM_LINE && s->kind != IM_GEOM_POLYGON)
        return 0;
    if (!im_where_match(f->shp, s->record, f->field, f->where))
        return 0;
    for (p = 0; p < s->nparts; p++) {
        int start = s->part_start[p], end = p + 1 < s->nparts ? s->part_start[p + 1] : s->npoints;
        im_chain c = {0};
        for (i = start; i < end; i++) {
            double x = s->x[i], y = s->y[i];
            im_geo_tf_fwd(f->tf, &x, &y, 1);
            if (x != HUGE_VAL && im_chain_push(&c, x, y) != 0)
                f->failed = 1;
        }
        if (c.n < 2) {
            free(c.x);
            free(c.y);
            continue;
        }
        if (f->nchains == f->cap) {
            int cap = f->cap ? f->cap * 2 : 32;
            im_chain *nc = realloc(f->chains, (size_t)cap * sizeof *nc);
            if (!nc) {
                free(c.x);
                free(c.y);
                f->failed = 1;
                return 1;
            }
            f->chains = nc;
            f->cap = cap;
        }
        f->chains[f->nchains++] = c;
    }
    return 0;
}

/* Distance in km-ish units on a local equirectangular approximation. */
static double im_deg_dist(double lon1, double lat1, double lon2, double lat2)
{
    double k = cos((lat1 + lat2) / 2 * M_PI / 180);
    double dx = (lon1 - lon2) * k, dy = lat1 - lat2;
    return sqrt(dx * dx + dy * dy) * 111.32;
}

static void im_chain_reverse(im_chain *c)
{
    int i, j;
    for (i = 0, j = c->n - 1; i < j; i++, j--) {
        double t = c->x[i];
        c->x[i] = c->x[j];
        c->x[j] = t;
        t = c->y[i];
        c->y[i] = c->y[j];
        c->y[j] = t;
    }
}

/* Append B to A (B's first point equal to A's last is dropped). */
static int im_chain_append(im_chain *a, const im_chain *b, int skip_first)
{
    int i;
    for (i = skip_first ? 1 : 0; i < b->n; i++)
        if (im_chain_push(a, b->x[i], b->y[i]) != 0)
            return -1;
    return 0;
}

/* Join chains whose ends meet (within TOL km) until none do. */
static int im_chains_join(im_follow_ctx *f, double tol)
{
    int joined = 1, i, j;
    while (joined) {
        joined = 0;
        for (i = 0; i < f->nchains; i++) {
            im_chain *a = &f->chains[i];
            if (a->used)
                continue;
            for (j = 0; j < f->nchains; j++) {
                im_chain *b = &f->chains[j];
                double d_ab, d_aB, d_Ab, d_AB;
                if (j == i || b->used)
                    continue;
                d_ab = im_deg_dist(a->x[a->n - 1], a->y[a->n - 1], b->x[0], b->y[0]);
                d_aB = im_deg_dist(a->x[a->n - 1], a->y[a->n - 1], b->x[b->n - 1], b->y[b->n - 1]);
                d_Ab = im_deg_dist(a->x[0], a->y[0], b->x[0], b->y[0]);
                d_AB = im_deg_dist(a->x[0], a->y[0], b->x[b->n - 1], b->y[b->n - 1]);
                if (d_ab > tol && d_aB > tol && d_Ab > tol && d_AB > tol)
                    continue;
                if (d_ab <= tol) {
                    /* a -> b */
                } else if (d_aB <= tol) {
                    im_chain_reverse(b);
                } else if (d_Ab <= tol) {
                    im_chain_reverse(a);
                } else {
                    im_chain_reverse(a);
                    im_chain_reverse(b);
                }
                if (im_chain_append(a, b, 1) != 0)
                    return -1;
                b->used = 1;
                joined = 1;
            }
        }
    }
    return 0;
}

static int im_nearest(const im_chain *c, im_lonlat p, double *dist)
{
    int i, best = 0;
    double bd = HUGE_VAL;
    for (i = 0; i < c->n; i++) {
        double dd = im_deg_dist(c->x[i], c->y[i], p.lon, p.lat);
        if (dd < bd) {
            bd = dd;
            best = i;
        }
    }
    *dist = bd;
    return best;
}

int im_follow_resolve(im_arena *a, im_line *line, const char *shp_path, im_diag *d)
{
    im_follow_ctx f = {0};
    im_geo *ll = NULL;
    im_loc loc = line->loc;
    int rc = -1, i, best = -1, i0 = 0, i1 = 0;
    double best_score = HUGE_VAL, df = 0, dt = 0;

    memset(&f, 0, sizeof f);
    f.where = &line->follow_where;
    if (im_shp_open(shp_path, &f.shp, d) != 0)
        goto done;
    f.field = -1;
    if (line->follow_where.field) {
        f.field = im_shp_field_index(f.shp, line->follow_where.field);
        if (f.field < 0) {
            im_fail(d, IM_ERR_SPEC, loc.file, loc.line, loc.col, "line '%s': %s has no field '%s'",
                    line->name, shp_path, line->follow_where.field);
            goto done;
        }
    }
    /* a lon/lat "map" turns the layer's CRS into plain lon/lat */
    if (im_geo_create("EPSG:4326", loc, &ll, d) != 0)
        goto done;
    if (im_geo_tf_get(ll, im_shp_crs(f.shp), shp_path, &f.tf, d) != 0)
        goto done;
    if (im_shp_query(f.shp, NULL, im_follow_visit, &f, d) < 0)
        goto done;
    if (f.failed) {
        im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
        goto done;
    }
    if (f.nchains == 0) {
        im_fail(d, IM_ERR_SPEC, loc.file, loc.line, loc.col,
                "line '%s': no line feature of %s matches %s = '%s'", line->name, shp_path,
                line->follow_where.field ? line->follow_where.field : "(any)",
                line->follow_where.nvalues ? line->follow_where.values[0] : "");
        goto done;
    }
    if (im_chains_join(&f, 0.5) != 0) {
        im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (i = 0; i < f.nchains; i++) {
        const im_chain *c = &f.chains[i];
        double score;
        if (c->used)
            continue;
        if (line->has_from || line->has_to) {
            double a1 = 0, a2 = 0;
            if (line->has_from)
                im_nearest(c, line->from, &a1);
            if (line->has_to)
                im_nearest(c, line->to, &a2);
            score = fmax(a1, a2);
        } else {
            score = -c->n; /* the longest chain */
        }
        if (score < best_score) {
            best_score = score;
            best = i;
        }
    }
    {
        const im_chain *c = &f.chains[best];
        i0 = line->has_from ? im_nearest(c, line->from, &df) : 0;
        i1 = line->has_to ? im_nearest(c, line->to, &dt) : c->n - 1;
        if (df > 25)
            im_warn(d, loc.file, loc.line, loc.col,
                    "line '%s': 'from' is %.0f km from the nearest matching feature", line->name, df);
        if (dt > 25)
            im_warn(d, loc.file, loc.line, loc.col,
                    "line '%s': 'to' is %.0f km from the nearest matching feature", line->name, dt);
        if (i0 == i1) {
            im_fail(d, IM_ERR_SPEC, loc.file, loc.line, loc.col,
                    "line '%s': 'from' and 'to' meet the feature at the same point", line->name);
            goto done;
        }
        {
            int n = abs(i1 - i0) + 1, k, step = i1 > i0 ? 1 : -1;
            line->pts = im_arena_alloc(a, (size_t)n * sizeof *line->pts);
            if (!line->pts) {
                im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
                goto done;
            }
            for (k = 0; k < n; k++) {
                line->pts[k].lon = c->x[i0 + k * step];
                line->pts[k].lat = c->y[i0 + k * step];
            }
            line->npts = n;
        }
    }
    rc = 0;
done:
    for (i = 0; i < f.nchains; i++) {
        free(f.chains[i].x);
        free(f.chains[i].y);
    }
    free(f.chains);
    im_geo_free(ll);
    im_shp_close(f.shp);
    return rc;
}
