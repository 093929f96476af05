/* Small helpers every drawing stage of the pipeline shares: where a
 * lon/lat lands on the canvas and whether that is inside the frame. */
#include <math.h>

#include "api/scene.h"

void im_scene_point_px(im_scene *s, double lon, double lat, double *x, double *y)
{
    *x = lon;
    *y = lat;
    im_geo_fwd(s->geo, x, y, 1);
    im_view_to_px(&s->view, x, y, 1);
}

int im_scene_in_frame(const im_scene *s, double x, double y)
{
    return x != HUGE_VAL && x >= s->view.fx && y >= s->view.fy && x <= s->view.fx + s->view.fw &&
           y <= s->view.fy + s->view.fh;
}
