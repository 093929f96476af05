/* Naming coordinate systems for `incimap info`: PROJ reads a .prj's WKT
 * (ESRI or OGC) and says what it is, with its EPSG code when it has one
 * or PROJ can identify it. */
#include "geo/geo.h"

#include <proj.h>
#include <stdio.h>
#include <string.h>

int im_geo_crs_name(const char *def, char *buf, size_t size)
{
    PJ_CONTEXT *ctx = proj_context_create();
    PJ *crs = NULL;
    const char *name, *auth, *code;
    int rc = -1;
    if (!ctx) {
        snprintf(buf, size, "(no PROJ context)");
        return -1;
    }
    proj_log_level(ctx, PJ_LOG_NONE);
    crs = proj_create(ctx, def);
    if (!crs || !proj_is_crs(crs)) {
        snprintf(buf, size, "unreadable (%s)",
                 proj_context_errno_string(ctx, proj_context_errno(ctx)));
        goto done;
    }
    name = proj_get_name(crs);
    auth = proj_get_id_auth_name(crs, 0);
    code = proj_get_id_code(crs, 0);
    if (auth && code) {
        snprintf(buf, size, "%s (%s:%s)", name ? name : "unnamed", auth, code);
    } else {
        int *confidence = NULL;
        PJ_OBJ_LIST *found = proj_identify(ctx, crs, "EPSG", NULL, &confidence);
        PJ *best = found && proj_list_get_count(found) > 0 ? proj_list_get(ctx, found, 0) : NULL;
        if (best && confidence && confidence[0] >= 70)
            snprintf(buf, size, "%s (EPSG:%s)", name ? name : "unnamed",
                     proj_get_id_code(best, 0) ? proj_get_id_code(best, 0) : "?");
        else
            snprintf(buf, size, "%s", name ? name : "unnamed");
        proj_destroy(best);
        proj_int_list_destroy(confidence);
        proj_list_destroy(found);
    }
    rc = 0;
done:
    proj_destroy(crs);
    proj_context_destroy(ctx);
    return rc;
}
