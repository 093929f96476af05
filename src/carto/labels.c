/* Label placement: greedy, by priority, against a set of occupied boxes.
 * Callers add labels in priority order; each takes the first free
 * candidate position.  A uniform grid keeps lookups cheap. */
#include "carto/carto.h"

#include <math.h>
#include <stdlib.h>

#define IM_GRID 32

typedef struct {
    double x0, y0, x1, y1;
} im_box;

typedef struct {
    int *ids;
    int n, cap;
} im_cell;

struct im_labeler {
    double bx, by, bw, bh;
    im_box *boxes;
    int nboxes, capboxes;
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
    free(l);
}

static void im_cell_range(const im_labeler *l, const im_box *b, int *c0, int *r0, int *c1, int *r1)
{
    *c0 = (int)floor((b->x0 - l->bx) / l->bw * IM_GRID);
    *c1 = (int)floor((b->x1 - l->bx) / l->bw * IM_GRID);
    *r0 = (int)floor((b->y0 - l->by) / l->bh * IM_GRID);
    *r1 = (int)floor((b->y1 - l->by) / l->bh * IM_GRID);
    *c0 = *c0 < 0 ? 0 : *c0 >= IM_GRID ? IM_GRID - 1 : *c0;
    *c1 = *c1 < 0 ? 0 : *c1 >= IM_GRID ? IM_GRID - 1 : *c1;
    *r0 = *r0 < 0 ? 0 : *r0 >= IM_GRID ? IM_GRID - 1 : *r0;
    *r1 = *r1 < 0 ? 0 : *r1 >= IM_GRID ? IM_GRID - 1 : *r1;
}

static void im_labeler_add(im_labeler *l, im_box b)
{
    int c0, r0, c1, r1, r, c;
    if (l->nboxes == l->capboxes) {
        int cap = l->capboxes ? l->capboxes * 2 : 64;
        im_box *nb = realloc(l->boxes, (size_t)cap * sizeof *nb);
        if (!nb)
            return;
        l->boxes = nb;
        l->capboxes = cap;
    }
    l->boxes[l->nboxes] = b;
    im_cell_range(l, &b, &c0, &r0, &c1, &r1);
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
    l->nboxes++;
}

void im_labeler_add_obstacle(im_labeler *l, double x, double y, double w, double h)
{
    im_box b = {x, y, x + w, y + h};
    im_labeler_add(l, b);
}

int im_labeler_free_at(const im_labeler *l, double x, double y, double w, double h)
{
    im_box b = {x, y, x + w, y + h};
    int c0, r0, c1, r1, r, c, i;
    if (b.x0 < l->bx || b.y0 < l->by || b.x1 > l->bx + l->bw || b.y1 > l->by + l->bh)
        return 0;
    im_cell_range(l, &b, &c0, &r0, &c1, &r1);
    for (r = r0; r <= r1; r++) {
        for (c = c0; c <= c1; c++) {
            const im_cell *cell = &l->cells[r * IM_GRID + c];
            for (i = 0; i < cell->n; i++) {
                const im_box *o = &l->boxes[cell->ids[i]];
                if (o->x0 < b.x1 && b.x0 < o->x1 && o->y0 < b.y1 && b.y0 < o->y1)
                    return 0;
            }
        }
    }
    return 1;
}

int im_labeler_place_point(im_labeler *l, double px, double py, double r, double w, double h,
                           double *x, double *y)
{
    double g = r + 2; /* gap between symbol edge and text */
    double cand[8][2] = {
        {px + g, py - h / 2},               /* right */
        {px + g * 0.7, py - g * 0.7 - h},   /* upper right */
        {px + g * 0.7, py + g * 0.7},       /* lower right */
        {px - g - w, py - h / 2},           /* left */
        {px - w / 2, py - g - h},           /* above */
        {px - w / 2, py + g},               /* below */
        {px - g * 0.7 - w, py - g * 0.7 - h}, /* upper left */
        {px - g * 0.7 - w, py + g * 0.7},   /* lower left */
    };
    int i;
    for (i = 0; i < 8; i++) {
        if (im_labeler_free_at(l, cand[i][0], cand[i][1], w, h)) {
            im_box b = {cand[i][0], cand[i][1], cand[i][0] + w, cand[i][1] + h};
            im_labeler_add(l, b);
            *x = cand[i][0];
            *y = cand[i][1];
            return 0;
        }
    }
    return -1;
}

void im_carto_line_label(double mx, double my, double angle, double tw, double th, double offset,
                         double *ox, double *oy, double box[4])
{
    double ca = cos(angle), sa = sin(angle);
    /* the label's centre sits OFFSET beyond half its height on the line's
     * upper side; (ox, oy) is the text origin that puts it there */
    double k = offset + th / 2;
    double cx = mx - k * sa, cy = my - k * ca;
    double bw = tw * fabs(ca) + th * fabs(sa), bh = tw * fabs(sa) + th * fabs(ca);
    *ox = cx - (tw / 2 * ca + th / 2 * sa);
    *oy = cy - (-tw / 2 * sa + th / 2 * ca);
    box[0] = cx - bw / 2;
    box[1] = cy - bh / 2;
    box[2] = bw;
    box[3] = bh;
}
