/* Label placement: greedy, by priority, against a set of occupied boxes
 * (symbols, furniture, labels already placed).  Callers offer labels in
 * priority order; each takes the first free candidate position, as
 * MapServer's label cache and QGIS's PAL do in their simplest mode.  A
 * uniform grid over the frame keeps lookups cheap. */
#include "carto/carto.h"

#include <math.h>
#include <stdlib.h>

#define IM_GRID 32

typedef struct {
    double x0, y0, x1, y1;
    int kind;   /* im_box_kind, or -1 once removed */
    int owner;
} im_box;

typedef struct {
    int *ids;
    int n, cap;
} im_cell;

typedef struct {
    double x0, y0, x1, y1;
    int owner;
} im_seg;

struct im_labeler {
    double bx, by, bw, bh;
    im_box *boxes;
    int nboxes, capboxes;
    im_seg *segs;            /* leader lines: no label or leader crosses them */
    int nsegs, capsegs;
    int honour_reserved;     /* IM_BOX_RESERVED boxes count as taken */
    im_cell cells[IM_GRID * IM_GRID];
};

im_labeler *im_labeler_create(double bx, double by, double bw, double bh)
{
    im_labeler *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->bx = bx;
    l->by = by;
    l->bw = bw > 0 ? bw : 1;
    l->bh = bh > 0 ? bh : 1;
    return l;
}

void im_labeler_free(im_labeler *l)
{
    int i;
    if (!l)
        return;
    for (i = 0; i < IM_GRID * IM_GRID; i++)
        free(l->cells[i].ids);
    free(l->boxes);
    free(l->segs);
    free(l);
}

int im_box_overlap(const double a[4], const double b[4])
{
    return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
}

static void im_cell_range(const im_labeler *l, double x0, double y0, double x1, double y1, int *c0,
                          int *r0, int *c1, int *r1)
{
    double fc0 = floor((x0 - l->bx) / l->bw * IM_GRID), fc1 = floor((x1 - l->bx) / l->bw * IM_GRID);
    double fr0 = floor((y0 - l->by) / l->bh * IM_GRID), fr1 = floor((y1 - l->by) / l->bh * IM_GRID);
    /* clamp in double first: a box far outside must not overflow int */
    *c0 = (int)fmax(0, fmin(IM_GRID - 1, fc0));
    *c1 = (int)fmax(0, fmin(IM_GRID - 1, fc1));
    *r0 = (int)fmax(0, fmin(IM_GRID - 1, fr0));
    *r1 = (int)fmax(0, fmin(IM_GRID - 1, fr1));
}

int im_labeler_add(im_labeler *l, im_box_kind kind, int owner, double x, double y, double w, double h)
{
    int c0, r0, c1, r1, r, c;
    im_box *b;
    if (!(w > 0) || !(h > 0) || !isfinite(x) || !isfinite(y))
        return -1;
    if (l->nboxes == l->capboxes) {
        int cap = l->capboxes ? l->capboxes * 2 : 64;
        im_box *nb = realloc(l->boxes, (size_t)cap * sizeof *nb);
        if (!nb)
            return -1;
        l->boxes = nb;
        l->capboxes = cap;
    }
    b = &l->boxes[l->nboxes];
    b->x0 = x;
    b->y0 = y;
    b->x1 = x + w;
    b->y1 = y + h;
    b->kind = (int)kind;
    b->owner = owner;
    im_cell_range(l, b->x0, b->y0, b->x1, b->y1, &c0, &r0, &c1, &r1);
    for (r = r0; r <= r1; r++) {
        for (c = c0; c <= c1; c++) {
            im_cell *cell = &l->cells[r * IM_GRID + c];
            if (cell->n == cell->cap) {
                int cap = cell->cap ? cell->cap * 2 : 8;
                int *ni = realloc(cell->ids, (size_t)cap * sizeof *ni);
                if (!ni)
                    continue;
                cell->ids = ni;
                cell->cap = cap;
            }
            cell->ids[cell->n++] = l->nboxes;
        }
    }
    return l->nboxes++;
}

void im_labeler_add_obstacle(im_labeler *l, double x, double y, double w, double h)
{
    im_labeler_add(l, IM_BOX_SYMBOL, -1, x, y, w, h);
}

void im_labeler_remove_owner(im_labeler *l, int owner)
{
    int i;
    for (i = 0; i < l->nboxes; i++)
        if (l->boxes[i].owner == owner)
            l->boxes[i].kind = -1;
}

static int im_segment_hits(const im_box *b, double x0, double y0, double x1, double y1);

void im_labeler_add_segment(im_labeler *l, int owner, double x0, double y0, double x1, double y1)
{
    if (l->nsegs == l->capsegs) {
        int cap = l->capsegs ? 2 * l->capsegs : 16;
        im_seg *n = realloc(l->segs, (size_t)cap * sizeof *n);
        if (!n)
            return;
        l->segs = n;
        l->capsegs = cap;
    }
    l->segs[l->nsegs].x0 = x0;
    l->segs[l->nsegs].y0 = y0;
    l->segs[l->nsegs].x1 = x1;
    l->segs[l->nsegs].y1 = y1;
    l->segs[l->nsegs].owner = owner;
    l->nsegs++;
}

static int im_inside(const im_labeler *l, double x0, double y0, double x1, double y1)
{
    return x0 >= l->bx && y0 >= l->by && x1 <= l->bx + l->bw && y1 <= l->by + l->bh;
}

int im_labeler_free_at(const im_labeler *l, double x, double y, double w, double h)
{
    double x1 = x + w, y1 = y + h;
    int c0, r0, c1, r1, r, c, i;
    if (!isfinite(x) || !isfinite(y) || !im_inside(l, x, y, x1, y1))
        return 0;
    im_cell_range(l, x, y, x1, y1, &c0, &r0, &c1, &r1);
    for (r = r0; r <= r1; r++) {
        for (c = c0; c <= c1; c++) {
            const im_cell *cell = &l->cells[r * IM_GRID + c];
            for (i = 0; i < cell->n; i++) {
                const im_box *o = &l->boxes[cell->ids[i]];
                if (o->kind < 0 || (o->kind == IM_BOX_RESERVED && !l->honour_reserved))
                    continue;
                if (o->x0 < x1 && x < o->x1 && o->y0 < y1 && y < o->y1)
                    return 0;
            }
        }
    }
    {
        im_box b = {x, y, x1, y1, 0, -1};
        for (i = 0; i < l->nsegs; i++)
            if (im_segment_hits(&b, l->segs[i].x0, l->segs[i].y0, l->segs[i].x1, l->segs[i].y1))
                return 0;
    }
    return 1;
}

/* Orientation of C against A-B: >0 left, <0 right, 0 on the line. */
static double im_orient(double ax, double ay, double bx, double by, double cx, double cy)
{
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/* 1 if segments P and Q cross (touching ends do not count). */
static int im_segments_cross(double p0x, double p0y, double p1x, double p1y, double q0x, double q0y, double q1x,
                             double q1y)
{
    double d1 = im_orient(q0x, q0y, q1x, q1y, p0x, p0y), d2 = im_orient(q0x, q0y, q1x, q1y, p1x, p1y);
    double d3 = im_orient(p0x, p0y, p1x, p1y, q0x, q0y), d4 = im_orient(p0x, p0y, p1x, p1y, q1x, q1y);
    return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/* 1 if the segment P0-P1 meets the box (Liang-Barsky). */
static int im_segment_hits(const im_box *b, double x0, double y0, double x1, double y1)
{
    double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
    double p[4] = {-dx, dx, -dy, dy}, q[4] = {x0 - b->x0, b->x1 - x0, y0 - b->y0, b->y1 - y0};
    int i;
    for (i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return 0;
            continue;
        }
        {
            double t = q[i] / p[i];
            if (p[i] < 0) {
                if (t > t1)
                    return 0;
                if (t > t0)
                    t0 = t;
            } else {
                if (t < t0)
                    return 0;
                if (t < t1)
                    t1 = t;
            }
        }
    }
    return t0 < t1;
}

int im_labeler_segment_free(const im_labeler *l, double x0, double y0, double x1, double y1, int owner_a,
                            int owner_b)
{
    int c0, r0, c1, r1, r, c, i;
    im_cell_range(l, fmin(x0, x1), fmin(y0, y1), fmax(x0, x1), fmax(y0, y1), &c0, &r0, &c1, &r1);
    for (r = r0; r <= r1; r++) {
        for (c = c0; c <= c1; c++) {
            const im_cell *cell = &l->cells[r * IM_GRID + c];
            for (i = 0; i < cell->n; i++) {
                const im_box *o = &l->boxes[cell->ids[i]];
                if (o->kind < 0 || o->kind == IM_BOX_RESERVED ||
                    (o->owner >= 0 && (o->owner == owner_a || o->owner == owner_b)))
                    continue;
                if (im_segment_hits(o, x0, y0, x1, y1))
                    return 0;
            }
        }
    }
    for (i = 0; i < l->nsegs; i++) {
        const im_seg *g = &l->segs[i];
        if (g->owner >= 0 && (g->owner == owner_a || g->owner == owner_b))
            continue;
        if (im_segments_cross(x0, y0, x1, y1, g->x0, g->y0, g->x1, g->y1))
            return 0;
    }
    return 1;
}

/* Difference of two directions, 0..pi. */
static double im_angle_diff(double a, double b)
{
    double d = fmod(fabs(a - b), 2 * M_PI);
    return d > M_PI ? 2 * M_PI - d : d;
}

typedef struct {
    double dx, dy;   /* unit direction from the point */
    double rank;     /* lower is tried first */
} im_dir;

static int im_dir_cmp(const void *a, const void *b)
{
    const im_dir *x = a, *y = b;
    return x->rank < y->rank ? -1 : x->rank > y->rank ? 1 : 0;
}

/* The label box W x H whose side nearest the point lies D beyond it in
 * direction (dx, dy): diagonal directions put a corner there, the others
 * centre the box on the direction. */
static void im_box_at(double px, double py, double dx, double dy, double d, double w, double h,
                      double *x, double *y)
{
    double ax = px + dx * d, ay = py + dy * d;
    if (dx > 0.38)
        *x = ax;
    else if (dx < -0.38)
        *x = ax - w;
    else
        *x = ax - w / 2;
    if (dy > 0.38)
        *y = ay;
    else if (dy < -0.38)
        *y = ay - h;
    else
        *y = ay - h / 2;
}

/* Point on the box nearest to (px, py). */
static void im_nearest_on_box(double x, double y, double w, double h, double px, double py, double *nx,
                              double *ny)
{
    *nx = fmax(x, fmin(px, x + w));
    *ny = fmax(y, fmin(py, y + h));
}

int im_labeler_place_point(im_labeler *l, int owner, int sym_owner, double px, double py, double r,
                           double w, double h, double pref, int leader, im_point_place *out)
{
    /* the cartographic order of Imhof / Yoeli: right, upper right, lower
     * right, left, above, below, upper left, lower left */
    static const double base[8][2] = {{1, 0},         {0.7071, -0.7071}, {0.7071, 0.7071},
                                      {-1, 0},        {0, -1},           {0, 1},
                                      {-0.7071, -0.7071}, {-0.7071, 0.7071}};
    im_dir dirs[16];
    double g = r + 2;
    int i, k, ring;
    for (i = 0; i < 8; i++) {
        dirs[i].dx = base[i][0];
        dirs[i].dy = base[i][1];
        dirs[i].rank = isnan(pref) ? i : im_angle_diff(atan2(dirs[i].dy, dirs[i].dx), pref) + i * 1e-3;
    }
    qsort(dirs, 8, sizeof *dirs, im_dir_cmp);
    for (i = 0; i < 8; i++) {
        double x, y;
        /* side positions sit closer than diagonal ones, whose corner is
         * already clear of a round symbol at 0.7 of the gap */
        double d = fabs(dirs[i].dx) > 0.38 && fabs(dirs[i].dy) > 0.38 ? g * 0.75 : g;
        im_box_at(px, py, dirs[i].dx, dirs[i].dy, d, w, h, &x, &y);
        if (im_labeler_free_at(l, x, y, w, h)) {
            im_labeler_add(l, IM_BOX_LABEL, owner, x, y, w, h);
            out->x = x;
            out->y = y;
            out->leader = 0;
            return 0;
        }
    }
    /* the side positions slid along the symbol: still next to it */
    for (i = 0; i < 8; i++) {
        static const double slide[8] = {-0.15, 0.15, -0.3, 0.3, -0.5, 0.5, -0.7, 0.7};
        int side = fabs(dirs[i].dx) > 0.9, vert = fabs(dirs[i].dy) > 0.9;
        double x, y;
        if (!side && !vert)
            continue;
        for (k = 0; k < 8; k++) {
            im_box_at(px, py, dirs[i].dx, dirs[i].dy, g, w, h, &x, &y);
            if (side)
                y += slide[k] * h;
            else
                x += slide[k] * w;
            if (im_labeler_free_at(l, x, y, w, h)) {
                im_labeler_add(l, IM_BOX_LABEL, owner, x, y, w, h);
                out->x = x;
                out->y = y;
                out->leader = 0;
                return 0;
            }
        }
    }
    if (!leader)
        return -1;
    /* further out, joined to the point by a short leader */
    for (i = 0; i < 16; i++) {
        double a = i * M_PI / 8;
        dirs[i].dx = cos(a);
        dirs[i].dy = sin(a);
        /* without a preference: right and left first, then up, then down */
        dirs[i].rank = isnan(pref) ? im_angle_diff(a, 0) * 0.6 + (dirs[i].dy > 0.1 ? 0.5 : 0)
                                   : im_angle_diff(a, pref);
        if (isnan(pref) && fabs(dirs[i].dx) > 0.9)
            dirs[i].rank = 0;
    }
    qsort(dirs, 16, sizeof *dirs, im_dir_cmp);
    for (ring = 0; ring < 5; ring++) {
        double d = g + 10 + ring * 12;
        for (k = 0; k < 16; k++) {
            double x, y, nx, ny, sx = px + dirs[k].dx * (r + 1), sy = py + dirs[k].dy * (r + 1);
            im_box_at(px, py, dirs[k].dx, dirs[k].dy, d, w, h, &x, &y);
            if (!im_labeler_free_at(l, x, y, w, h))
                continue;
            im_nearest_on_box(x, y, w, h, px, py, &nx, &ny);
            {
                /* the leader starts at the symbol's edge, aimed at the box */
                double len = hypot(nx - px, ny - py);
                if (len < r + 3)
                    continue;
                sx = px + (nx - px) / len * (r + 1);
                sy = py + (ny - py) / len * (r + 1);
            }
            /* stop a hair short of the box so it does not count as a hit */
            {
                double ex = nx - (nx - sx) * 0.02, ey = ny - (ny - sy) * 0.02;
                if (!im_labeler_segment_free(l, sx, sy, ex, ey, owner, sym_owner))
                    continue;
            }
            im_labeler_add(l, IM_BOX_LABEL, owner, x, y, w, h);
            im_labeler_add_segment(l, owner, sx, sy, nx, ny);
            out->x = x;
            out->y = y;
            out->leader = 1;
            out->lx0 = sx;
            out->ly0 = sy;
            out->lx1 = nx;
            out->ly1 = ny;
            return 0;
        }
    }
    return -1;
}

int im_label_boxes(double cx, double cy, double angle, double tw, double th, double pad,
                   double (*boxes)[4], int max)
{
    /* text axis u and its downward normal n, in canvas coordinates */
    double ux = cos(angle), uy = -sin(angle), nx = sin(angle), ny = cos(angle);
    int k, i;
    if (max < 1)
        return 0;
    k = fabs(uy) < 1e-9 ? 1 : (int)ceil(tw / (th > 1 ? th : 1));
    if (k < 1)
        k = 1;
    if (k > max)
        k = max;
    for (i = 0; i < k; i++) {
        double L = tw / k, t = -tw / 2 + L * (i + 0.5);
        double mx = cx + ux * t, my = cy + uy * t;
        double hx = fabs(ux) * L / 2 + fabs(nx) * th / 2 + pad;
        double hy = fabs(uy) * L / 2 + fabs(ny) * th / 2 + pad;
        boxes[i][0] = mx - hx;
        boxes[i][1] = my - hy;
        boxes[i][2] = 2 * hx;
        boxes[i][3] = 2 * hy;
    }
    return k;
}

void im_label_origin(double cx, double cy, double angle, double tw, double th, double *ox, double *oy)
{
    double ux = cos(angle), uy = -sin(angle), nx = sin(angle), ny = cos(angle);
    *ox = cx - ux * tw / 2 - nx * th / 2;
    *oy = cy - uy * tw / 2 - ny * th / 2;
}

int im_labeler_place_boxes(im_labeler *l, int owner, const double (*boxes)[4], int n)
{
    int i;
    for (i = 0; i < n; i++)
        if (!im_labeler_free_at(l, boxes[i][0], boxes[i][1], boxes[i][2], boxes[i][3]))
            return -1;
    for (i = 0; i < n; i++)
        im_labeler_add(l, IM_BOX_LABEL, owner, boxes[i][0], boxes[i][1], boxes[i][2], boxes[i][3]);
    return 0;
}

int im_labeler_reserve_point(im_labeler *l, int owner, double px, double py, double r, double w, double h)
{
    im_point_place pp;
    if (im_labeler_place_point(l, owner, -1, px, py, r, w, h, NAN, 0, &pp) != 0)
        return -1;
    l->boxes[l->nboxes - 1].kind = IM_BOX_RESERVED;
    return 0;
}

void im_labeler_honour_reserved(im_labeler *l, int on)
{
    l->honour_reserved = on;
}

int im_labeler_count(const im_labeler *l)
{
    return l->nboxes;
}

int im_labeler_get(const im_labeler *l, int i, im_box_kind *kind, int *owner, double box[4])
{
    const im_box *b;
    if (i < 0 || i >= l->nboxes || l->boxes[i].kind < 0 || l->boxes[i].kind == IM_BOX_RESERVED)
        return -1;
    b = &l->boxes[i];
    *kind = (im_box_kind)b->kind;
    *owner = b->owner;
    box[0] = b->x0;
    box[1] = b->y0;
    box[2] = b->x1 - b->x0;
    box[3] = b->y1 - b->y0;
    return 0;
}
