/* Scale bar: a round ground distance that fits, its numbers, and how it
 * is divided so that no two of its numbers run together. */
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

double im_carto_round_up(double len)
{
    double p, m;
    if (!(len > 0))
        return 1;
    p = pow(10, floor(log10(len) + 1e-9));
    m = len / p;
    if (m < 1.5)
        return 2 * p;
    if (m < 3.5)
        return 5 * p;
    return 10 * p;
}

void im_carto_scalebar_number(double metres, int miles, char *num, size_t nsize, char *unit, size_t usize,
                              double *div)
{
    *div = miles ? 1 : metres >= 1000 ? 1000 : 1;
    snprintf(num, nsize, "%g", metres / *div);
    snprintf(unit, usize, "%s", miles ? "mi" : *div > 1 ? "km" : "m");
}

/* Below this a segment is too short to tell from its neighbours. */
#define IM_SB_MIN_SEG 8.0

int im_carto_scalebar_ticks(double len_px, double w0, double wend, double whalf, double gap,
                            im_scalebar_ticks *t)
{
    t->nseg = len_px / 4 >= IM_SB_MIN_SEG ? 4 : len_px / 2 >= IM_SB_MIN_SEG ? 2 : 1;
    t->zero = len_px - wend / 2 >= w0 / 2 + gap;
    /* the half mark's number stands free of both ends */
    t->half = t->zero && t->nseg >= 2 && len_px / 2 - whalf / 2 >= w0 / 2 + gap &&
              len_px / 2 + whalf / 2 + gap <= len_px - wend / 2;
    return t->zero ? 0 : -1;
}
