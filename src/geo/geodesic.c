/* Geodesics on the WGS84 ellipsoid with PROJ's geodesic.h (Karney). */
#include "geo/geo.h"

#include <geodesic.h>

static struct geod_geodesic im_wgs84;
static int im_wgs84_ready;

static const struct geod_geodesic *im_geod(void)
{
    if (!im_wgs84_ready) {
        geod_init(&im_wgs84, 6378137.0, 1 / 298.257223563);
        im_wgs84_ready = 1;
    }
    return &im_wgs84;
}

double im_geod_distance(double lon1, double lat1, double lon2, double lat2)
{
    double s12 = 0;
    geod_inverse(im_geod(), lat1, lon1, lat2, lon2, &s12, NULL, NULL);
    return s12;
}

void im_geod_direct(double lon, double lat, double azimuth_deg, double dist_m, double *lon2,
                    double *lat2)
{
    geod_direct(im_geod(), lat, lon, azimuth_deg, dist_m, lat2, lon2, NULL);
}

void im_geod_circle(double lon, double lat, double radius_m, int n, double *lons, double *lats)
{
    int i;
    for (i = 0; i < n; i++)
        im_geod_direct(lon, lat, 360.0 * i / n, radius_m, &lons[i], &lats[i]);
}
