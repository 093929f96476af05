/* Temporary files tracked for removal from a signal handler: a tracked
 * file is removed by im_remove_temp_files, an untracked one is not, slots
 * are reused, and a path too long to track is refused (handle 0). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/tempfile.h"
#include "incimap/cleanup.h"

static void touch(const char *path)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
}

static int exists(const char *path)
{
    return access(path, F_OK) == 0;
}

int main(void)
{
    char dir[] = "/tmp/incimap-tempfile-XXXXXX", a[64], b[64], *huge;
    int ha, hb, i;
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(a, sizeof a, "%s/.map.png.aaaaaa", dir);
    snprintf(b, sizeof b, "%s/.map.png.bbbbbb", dir);
    touch(a);
    touch(b);
    ha = im_tempfile_track(a);
    hb = im_tempfile_track(b);
    CHECK(ha > 0 && hb > 0 && ha != hb);
    im_tempfile_untrack(hb); /* b was renamed into place by its owner */
    im_remove_temp_files();
    CHECK(!exists(a));
    CHECK(exists(b));
    im_tempfile_untrack(ha);
    im_tempfile_untrack(0); /* no-op */

    /* slots are given back: many more renders than slots, one at a time */
    for (i = 0; i < 1000; i++) {
        int h = im_tempfile_track(a);
        CHECK(h > 0);
        im_tempfile_untrack(h);
    }
    touch(a);
    im_remove_temp_files(); /* nothing is tracked now */
    CHECK(exists(a));

    huge = malloc(8192);
    if (huge) {
        memset(huge, 'x', 8191);
        huge[8191] = '\0';
        CHECK(im_tempfile_track(huge) == 0);
        free(huge);
    }
    unlink(a);
    unlink(b);
    rmdir(dir);
    CHECK_DONE();
}
