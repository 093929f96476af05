/* Graticule decisions: a round step for the extent, and the degree labels
 * written at the frame's edges. */
#include "carto/carto.h"

#include <math.h>
#include <stdio.h>

double im_graticule_step(double span_deg, int target)
{
    static const double steps[] = {30, 15, 10, 5, 2, 1, 0.5, 0.25, 10.0 / 60, 5.0 / 60, 2.0 / 60, 1.0 / 60};
    size_t i;
    if (!(span_deg > 0) || target < 1)
        return 1;
    for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (span_deg / steps[i] >= target)
            return steps[i];
    return steps[sizeof steps / sizeof steps[0] - 1];
}

void im_graticule_format(double value, int is_lat, double step, char *buf, size_t size)
{
    double a = fabs(value);
    long minutes = lround(a * 60);
    long deg = minutes / 60, min = minutes % 60;
    const char *hemi;
    if (minutes == 0)
        hemi = "";
    else if (is_lat)
        hemi = value > 0 ? "N" : "S";
    else if (minutes == 180 * 60)
        hemi = "";
    else
        hemi = value > 0 ? "E" : "W";
    if (fabs(step * 60 - lround(step * 60)) < 1e-6 && lround(step * 60) % 60 != 0 && min != 0)
        snprintf(buf, size, "%ld\u00b0%02ld\u2032%s", deg, min, hemi);
    else
        snprintf(buf, size, "%ld\u00b0%s", deg, hemi);
}
