/* The map frame and its scale. */
#include "carto/carto.h"

#include <math.h>

void im_view_fit(im_view *v, double fx, double fy, double fw, double fh, double xmin, double ymin,
                 double xmax, double ymax)
{
    double w = xmax - xmin, h = ymax - ymin, cx = (xmin + xmax) / 2, cy = (ymin + ymax) / 2;
    if (w <= 0)
        w = 1;
    if (h <= 0)
        h = 1;
    v->fx = fx;
    v->fy = fy;
    v->fw = fw;
    v->fh = fh;
    v->px_per_unit = fmin(fw / w, fh / h);
    w = fw / v->px_per_unit;
    h = fh / v->px_per_unit;
    v->xmin = cx - w / 2;
    v->xmax = cx + w / 2;
    v->ymin = cy - h / 2;
    v->ymax = cy + h / 2;
}

void im_view_to_px(const im_view *v, double *x, double *y, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (x[i] == HUGE_VAL || y[i] == HUGE_VAL) {
            x[i] = y[i] = HUGE_VAL;
            continue;
        }
        x[i] = v->fx + (x[i] - v->xmin) * v->px_per_unit;
        y[i] = v->fy + (v->ymax - y[i]) * v->px_per_unit;
    }
}

void im_view_from_px(const im_view *v, double *x, double *y, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        x[i] = v->xmin + (x[i] - v->fx) / v->px_per_unit;
        y[i] = v->ymax - (y[i] - v->fy) / v->px_per_unit;
    }
}

int im_rect_edge_points(double x0, double y0, double x1, double y1, int per_edge, double *x, double *y)
{
    int i, k = 0;
    for (i = 0; i < per_edge; i++) {
        double t = (double)i / per_edge;
        x[k] = x0 + t * (x1 - x0);
        y[k++] = y0;
        x[k] = x1;
        y[k++] = y0 + t * (y1 - y0);
        x[k] = x1 - t * (x1 - x0);
        y[k++] = y1;
        x[k] = x0;
        y[k++] = y1 - t * (y1 - y0);
    }
    return k;
}
