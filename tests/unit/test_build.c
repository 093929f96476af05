/* Unit tests of the build machinery: the dependency list, Make-format
 * dependency files, and the manifest (round trip of awkward paths; a file
 * touched without change is the same, one with other bytes changed). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build/build_priv.h"
#include "check.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = calloc(1, 1 << 16);
    if (f && buf)
        (void)!fread(buf, 1, (1 << 16) - 1, f);
    if (f)
        fclose(f);
    return buf;
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_deps(void)
{
    im_deps *d = im_deps_new();
    CHECK(im_deps_add(d, "a.csv") == 0);
    CHECK(im_deps_add(d, "b.shp") == 0);
    CHECK(im_deps_add(d, "a.csv") == 0);
    CHECK(im_deps_add(NULL, "x") == 0);
    CHECK(im_deps_count(d) == 2);
    CHECK_STR(im_deps_get(d, 0), "a.csv");
    CHECK_STR(im_deps_get(d, 1), "b.shp");
    CHECK(im_deps_get(d, 2) == NULL);
    im_deps_free(d);
    im_deps_free(NULL);
}

static void test_depfile(const char *dir)
{
    char path[512];
    im_deps *deps = im_deps_new();
    im_diag d;
    char *text;
    im_diag_init(&d, NULL, NULL);
    im_deps_add(deps, "my maps/a b.yaml");
    im_deps_add(deps, "cost$#.csv");
    snprintf(path, sizeof path, "%s/out.d", dir);
    CHECK(im_depfile_write(path, "out dir/x.png", deps, &d) == 0);
    text = slurp(path);
    CHECK_STR(text, "out\\ dir/x.png: \\\n my\\ maps/a\\ b.yaml \\\n cost$$\\#.csv\n"
                    "\nmy\\ maps/a\\ b.yaml:\n\ncost$$\\#.csv:\n");
    free(text);
    im_deps_free(deps);
}

static void test_manifest(const char *dir)
{
    char mpath[512], f1[512], odd[512];
    im_manifest mf, back;
    im_bmap *bm;
    im_diag d;
    int i1, i2;
    im_diag_init(&d, NULL, NULL);
    snprintf(mpath, sizeof mpath, "%s/.incimap-build", dir);
    snprintf(f1, sizeof f1, "%s/data.csv", dir);
    snprintf(odd, sizeof odd, "%s/odd name\\with\nnewline.csv", dir);
    put(f1, "id,lat,lon\n1,33.5,38.6\n");
    put(odd, "x");

    memset(&mf, 0, sizeof mf);
    mf.version = strdup("9.9");
    mf.options = 0x1234;
    i1 = im_manifest_dep(&mf, f1);
    i2 = im_manifest_dep(&mf, odd);
    CHECK(i1 == 0 && i2 == 1);
    CHECK(im_manifest_dep(&mf, f1) == 0);
    CHECK(im_manifest_dep(&mf, "/no map reads this.csv") == 2); /* not saved */
    CHECK(im_manifest_refresh(&mf, i1) == 0);
    CHECK(im_manifest_refresh(&mf, i2) == 0);
    bm = im_manifest_map(&mf, "/maps/a map.yaml");
    bm->deps = calloc(2, sizeof *bm->deps);
    bm->is_data = calloc(2, 1);
    bm->deps[0] = i1;
    bm->deps[1] = i2;
    bm->is_data[0] = 1;
    bm->ndeps = 2;
    bm->outs = calloc(1, sizeof *bm->outs);
    bm->outs[0].name = strdup("atlas/page one.png");
    bm->outs[0].key = 0xfeedULL;
    bm->nouts = 1;
    CHECK(im_manifest_save(&mf, mpath, &d) == 0);

    CHECK(im_manifest_load(&back, mpath, &d) == 0);
    CHECK_STR(back.version, "9.9");
    CHECK(back.options == 0x1234);
    CHECK(back.ndeps == 2 && back.nmaps == 1);
    if (back.ndeps == 2 && back.nmaps == 1) {
        CHECK_STR(back.deps[1].path, odd);
        CHECK(back.deps[0].hash == mf.deps[0].hash && back.deps[0].known);
        CHECK_STR(back.maps[0].path, "/maps/a map.yaml");
        CHECK(back.maps[0].ndeps == 2 && back.maps[0].is_data[0] == 1 &&
              back.maps[0].is_data[1] == 0 && back.maps[0].deps[1] == 1);
        CHECK(back.maps[0].nouts == 1 && back.maps[0].outs[0].key == 0xfeedULL);
        CHECK_STR(back.maps[0].outs[0].name, "atlas/page one.png");

        /* the same bytes with a new time: the same file */
        {
            struct timespec ts[2] = {{0, UTIME_NOW}, {12345, 0}};
            utimensat(AT_FDCWD, f1, ts, 0);
        }
        CHECK(im_manifest_check(&back, 0) == IM_DEP_SAME);
        CHECK(im_manifest_check(&back, 1) == IM_DEP_SAME);
        im_manifest_clear(&back);
        CHECK(im_manifest_load(&back, mpath, &d) == 0);
        put(f1, "id,lat,lon\n1,33.5,38.7\n"); /* same size, other bytes */
        CHECK(im_manifest_check(&back, 0) == IM_DEP_CHANGED);
        unlink(odd);
        CHECK(im_manifest_check(&back, 1) == IM_DEP_MISSING);
    }
    im_manifest_clear(&back);
    im_manifest_clear(&mf);

    /* a damaged manifest is no manifest: everything is rebuilt */
    put(mpath, "incimap-build 1\ndep x\n");
    CHECK(im_manifest_load(&back, mpath, &d) == 0);
    CHECK(back.ndeps == 0 && back.nmaps == 0);
    im_manifest_clear(&back);
    put(mpath, "something else\n");
    CHECK(im_manifest_load(&back, mpath, &d) == 0);
    CHECK(back.ndeps == 0 && back.nmaps == 0);
    im_manifest_clear(&back);
    unlink(mpath);
    unlink(f1);
}

int main(int argc, char **argv)
{
    char dir[] = "/tmp/incimap-build-XXXXXX";
    char path[600];
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir))
        return 1;
    test_deps();
    test_depfile(dir);
    test_manifest(dir);
    snprintf(path, sizeof path, "%s/out.d", dir);
    unlink(path);
    rmdir(dir);
    CHECK_DONE();
}
