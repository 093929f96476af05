/* Where the map furniture goes: legend, scale bar, north arrow and inset
 * each want a corner of the frame; when theirs is taken, or they would
 * hide an incident or a base there, they move to another corner, stacked
 * after what already sits in it. */
#include "carto/carto.h"

#include <math.h>

static int im_is_right(im_corner c)
{
    return c == IM_CORNER_TOP_RIGHT || c == IM_CORNER_BOTTOM_RIGHT;
}

static int im_is_bottom(im_corner c)
{
    return c == IM_CORNER_BOTTOM_LEFT || c == IM_CORNER_BOTTOM_RIGHT;
}

/* Top-left of item IT in corner C, below (or above, at the bottom) the
 * items 0..upto-1 already placed in that corner. */
static void im_corner_pos(const double f[4], double pad, const im_furn *items, int upto, const im_furn *it,
                          im_corner c, double *x, double *y)
{
    int i;
    double off = 0;
    for (i = 0; i < upto; i++)
        if (items[i].corner != IM_CORNER_NONE && items[i].placed == c)
            off += items[i].h + pad * 0.75;
    *x = im_is_right(c) ? f[0] + f[2] - pad - it->w : f[0] + pad;
    *y = im_is_bottom(c) ? f[1] + f[3] - pad - it->h - off : f[1] + pad + off;
}

static int im_covered(const double box[4], const double *obst, int nobst)
{
    int i, n = 0;
    for (i = 0; i < nobst; i++)
        n += im_box_overlap(box, obst + 4 * i);
    return n;
}

void im_furniture_plan(const double frame[4], double pad, im_furn *items, int n, const double *obst,
                       int nobst)
{
    static const im_corner order[4] = {IM_CORNER_TOP_LEFT, IM_CORNER_TOP_RIGHT, IM_CORNER_BOTTOM_LEFT,
                                       IM_CORNER_BOTTOM_RIGHT};
    int i, j, k;
    for (i = 0; i < n; i++)
        items[i].placed = IM_CORNER_NONE;
    for (i = 0; i < n; i++) {
        im_furn *it = &items[i];
        im_corner cand[4];
        int nc = 0, best = -1, best_cover = 0;
        double bx = 0, by = 0;
        if (it->corner == IM_CORNER_NONE)
            continue;
        /* its own corner, then the other corner on the same side (top or
         * bottom), then the rest */
        cand[nc++] = it->corner;
        for (k = 0; k < 4; k++)
            if (order[k] != it->corner && im_is_bottom(order[k]) == im_is_bottom(it->corner))
                cand[nc++] = order[k];
        for (k = 0; k < 4; k++)
            if (im_is_bottom(order[k]) != im_is_bottom(it->corner))
                cand[nc++] = order[k];
        for (k = 0; k < nc; k++) {
            double box[4];
            int clash = 0, cover;
            im_corner_pos(frame, pad, items, i, it, cand[k], &box[0], &box[1]);
            box[2] = it->w;
            box[3] = it->h;
            if (box[1] < frame[1] || box[1] + box[3] > frame[1] + frame[3] || box[0] < frame[0] ||
                box[0] + box[2] > frame[0] + frame[2])
                clash = 1;
            for (j = 0; j < i && !clash; j++) {
                double other[4];
                if (items[j].corner == IM_CORNER_NONE)
                    continue;
                other[0] = items[j].x - pad / 2;
                other[1] = items[j].y - pad / 2;
                other[2] = items[j].w + pad;
                other[3] = items[j].h + pad;
                clash = im_box_overlap(box, other);
            }
            if (clash)
                continue;
            cover = im_covered(box, obst, nobst);
            if (best < 0 || cover < best_cover) {
                best = k;
                best_cover = cover;
                bx = box[0];
                by = box[1];
            }
            if (cover == 0)
                break;
        }
        if (best < 0) {
            /* nowhere without overlapping other furniture: its own corner */
            im_corner_pos(frame, pad, items, 0, it, it->corner, &bx, &by);
            it->placed = it->corner;
            best_cover = -1;
        } else {
            it->placed = cand[best];
        }
        it->x = bx;
        it->y = by;
        it->covers = best_cover;
    }
}
