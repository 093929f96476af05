/* Legend layout: rows into columns.  The rows themselves (what is on the
 * map) are gathered by src/api/legend.c. */
#include "carto/carto.h"

#include <math.h>

#define IM_LEGEND_MAX_COLS 8

/* Fill columns greedily up to MAX_H, never leaving a heading alone at the
 * bottom of a column.  Returns the column count. */
static int im_split(const double *h, const int *is_head, int n, double max_h, int *col_of)
{
    int i, col = 0;
    double used = 0;
    for (i = 0; i < n; i++) {
        double need = h[i];
        /* a heading takes its first row with it */
        if (is_head[i] && i + 1 < n)
            need += h[i + 1];
        if (used > 0 && used + need > max_h && col + 1 < IM_LEGEND_MAX_COLS) {
            col++;
            used = 0;
        }
        col_of[i] = col;
        used += h[i];
    }
    return n > 0 ? col + 1 : 0;
}

int im_legend_columns(const double *h, const int *is_head, int n, double max_h, int want, int *col_of)
{
    double total = 0, lo, hi;
    int i, cols, iter;
    if (n <= 0)
        return 0;
    for (i = 0; i < n; i++)
        total += h[i];
    if (want <= 0)
        return im_split(h, is_head, n, max_h, col_of);
    if (want > IM_LEGEND_MAX_COLS)
        want = IM_LEGEND_MAX_COLS;
    /* the smallest column height that gives at most WANT columns */
    lo = 0;
    hi = total;
    for (iter = 0; iter < 40; iter++) {
        double mid = (lo + hi) / 2;
        if (im_split(h, is_head, n, mid, col_of) > want)
            lo = mid;
        else
            hi = mid;
    }
    cols = im_split(h, is_head, n, hi, col_of);
    return cols;
}
