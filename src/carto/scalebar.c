/* Scale bar length: a round ground distance that fits. */
#include "carto/carto.h"

#include <math.h>
#include <stdio.h>

double im_carto_scalebar_length(double m_per_px, double max_px, double *len_px)
{
    double max_m = m_per_px * max_px, p, best = 0;
    static const double steps[] = {5, 2, 1};
    int i;
    if (!(max_m > 0)) {
        *len_px = 0;
        return 0;
    }
    p = pow(10, floor(log10(max_m)));
    for (i = 0; i < 3 && best == 0; i++)
        if (steps[i] * p <= max_m)
            best = steps[i] * p;
    if (best == 0)
        best = p;
    *len_px = best / m_per_px;
    return best;
}

void im_carto_format_distance(double metres, char *buf, size_t size)
{
    if (metres >= 1000)
        snprintf(buf, size, "%g km", metres / 1000);
    else
        snprintf(buf, size, "%g m", metres);
}
