/* Scale bar length: a round ground distance that fits. */
#include "carto/carto.h"

#include <math.h>
#include <stdio.h>

double im_carto_scalebar_length(double units_per_px, double max_px, double *len_px)
{
    double max_u = units_per_px * max_px, p, best = 0;
    static const double steps[] = {5, 2, 1};
    int i;
    if (!(max_u > 0)) {
        *len_px = 0;
        return 0;
    }
    p = pow(10, floor(log10(max_u)));
    for (i = 0; i < 3 && best == 0; i++)
        if (steps[i] * p <= max_u * (1 + 1e-9))
            best = steps[i] * p;
    if (best == 0)
        best = p;
    *len_px = best / units_per_px;
    return best;
}

void im_carto_format_distance(double metres, char *buf, size_t size)
{
    if (metres >= 1000)
        snprintf(buf, size, "%g km", metres / 1000);
    else
        snprintf(buf, size, "%g m", metres);
}

void im_carto_format_miles(double miles, char *buf, size_t size)
{
    snprintf(buf, size, "%g mi", miles);
}
