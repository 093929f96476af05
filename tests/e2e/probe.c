/* im_probe: measurements for the end-to-end tests, independent of the
 * library under test.  Reads PNGs with libpng, projects with PROJ, solves
 * geodesics with PROJ's geodesic.h and inverts world files; prints results
 * on stdout so shell scripts can compare them.
 *
 * Image coordinates are continuous: the top-left corner of the image is
 * (0,0) and the centre of pixel (i,j) (column i, row j) is (i+0.5, j+0.5). */
#include <errno.h>
#include <geodesic.h>
#include <math.h>
#include <png.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const usage =
    "usage: im_probe COMMAND ...\n"
    "  pixel FILE.png X Y                  -> R G B of pixel column X, row Y (integers),\n"
    "                                         composited on white\n"
    "  centroid FILE.png R G B TOL [X0 Y0 X1 Y1]\n"
    "                                      -> CX CY COUNT: centroid of the pixels whose\n"
    "                                         channels are all within TOL of R G B (and\n"
    "                                         whose centres lie in the window); nan nan 0\n"
    "                                         when none\n"
    "  ray FILE.png R G B TOL X Y DX DY    -> X Y LEN: walk from (X,Y) in steps of\n"
    "                                         (DX,DY) px; centre of the first run of\n"
    "                                         matching pixels and its length in steps;\n"
    "                                         nan nan 0 when none before the edge\n"
    "  png-info FILE.png                   -> W H DPI (DPI from pHYs, rounded; 0 if none)\n"
    "  project CRS LON LAT                 -> X Y in CRS (from EPSG:4326, lon/lat order)\n"
    "  geod LON LAT AZIMUTH_DEG DIST_M     -> LON2 LAT2 (WGS84 geodesic)\n"
    "  world2px FILE.pgw X Y               -> PX PY: continuous image coordinates of the\n"
    "                                         map point X,Y\n";

static int die(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "im_probe: ");
    fprintf(stderr, fmt, a ? a : "", b ? b : "");
    fputc('\n', stderr);
    return 1;
}

static int num(const char *s, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    if (end == s || *end || errno) {
        die("not a number: '%s'%s", s, NULL);
        return -1;
    }
    return 0;
}

/* ---- images ---------------------------------------------------------- */

typedef struct {
    png_uint_32 w, h;
    unsigned char *rgb; /* w*h*3, composited on white */
    double dpi;
} image;

static int image_load(const char *path, image *im)
{
    png_image pi;
    unsigned char *rgba;
    size_t i, n;
    memset(im, 0, sizeof *im);
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&pi, path))
        return die("%s: %s", path, pi.message);
    pi.format = PNG_FORMAT_RGBA;
    rgba = malloc(PNG_IMAGE_SIZE(pi));
    if (!rgba) {
        png_image_free(&pi);
        return die("out of memory%s%s", NULL, NULL);
    }
    if (!png_image_finish_read(&pi, NULL, rgba, 0, NULL)) {
        free(rgba);
        return die("%s: %s", path, pi.message);
    }
    im->w = pi.width;
    im->h = pi.height;
    n = (size_t)im->w * im->h;
    im->rgb = malloc(n * 3 + 1);
    if (!im->rgb) {
        free(rgba);
        return die("out of memory%s%s", NULL, NULL);
    }
    for (i = 0; i < n; i++) {
        unsigned a = rgba[4 * i + 3];
        int c;
        for (c = 0; c < 3; c++)
            im->rgb[3 * i + c] = (unsigned char)((rgba[4 * i + c] * a + 255 * (255 - a) + 127) / 255);
    }
    free(rgba);
    return 0;
}

static int png_dpi(const char *path, png_uint_32 *w, png_uint_32 *h, double *dpi)
{
    FILE *f = fopen(path, "rb");
    png_structp p = NULL;
    png_infop info = NULL;
    png_uint_32 rx = 0, ry = 0;
    int unit = 0;
    if (!f)
        return die("%s: %s", path, strerror(errno));
    p = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (p)
        info = png_create_info_struct(p);
    if (!p || !info) {
        png_destroy_read_struct(&p, &info, NULL);
        fclose(f);
        return die("out of memory%s%s", NULL, NULL);
    }
    if (setjmp(png_jmpbuf(p))) {
        png_destroy_read_struct(&p, &info, NULL);
        fclose(f);
        return die("%s: not a readable PNG%s", path, NULL);
    }
    png_init_io(p, f);
    png_read_info(p, info);
    *w = png_get_image_width(p, info);
    *h = png_get_image_height(p, info);
    *dpi = 0;
    if (png_get_pHYs(p, info, &rx, &ry, &unit) && unit == PNG_RESOLUTION_METER)
        *dpi = rx * 0.0254;
    png_destroy_read_struct(&p, &info, NULL);
    fclose(f);
    return 0;
}

static int matches(const image *im, long i, long j, const int rgb[3], int tol)
{
    const unsigned char *px = im->rgb + 3 * ((size_t)j * im->w + (size_t)i);
    int c;
    for (c = 0; c < 3; c++)
        if (abs((int)px[c] - rgb[c]) > tol)
            return 0;
    return 1;
}

static int parse_color(char **argv, int rgb[3], int *tol)
{
    double v;
    int c;
    for (c = 0; c < 4; c++) {
        if (num(argv[c], &v) != 0)
            return -1;
        if (c < 3)
            rgb[c] = (int)v;
        else
            *tol = (int)v;
    }
    return 0;
}

static int cmd_pixel(int argc, char **argv)
{
    image im;
    double x, y;
    long i, j;
    const unsigned char *px;
    if (argc != 3)
        return die("pixel FILE.png X Y%s%s", NULL, NULL);
    if (num(argv[1], &x) || num(argv[2], &y) || image_load(argv[0], &im))
        return 1;
    i = (long)floor(x);
    j = (long)floor(y);
    if (i < 0 || j < 0 || i >= (long)im.w || j >= (long)im.h) {
        free(im.rgb);
        return die("pixel %s,%s is outside the image", argv[1], argv[2]);
    }
    px = im.rgb + 3 * ((size_t)j * im.w + (size_t)i);
    printf("%d %d %d\n", px[0], px[1], px[2]);
    free(im.rgb);
    return 0;
}

static int cmd_centroid(int argc, char **argv)
{
    image im;
    int rgb[3], tol;
    double win[4], sx = 0, sy = 0;
    long i, j, n = 0, i0, i1, j0, j1;
    if (argc != 5 && argc != 9)
        return die("centroid FILE.png R G B TOL [X0 Y0 X1 Y1]%s%s", NULL, NULL);
    if (parse_color(argv + 1, rgb, &tol))
        return 1;
    if (argc == 9) {
        int k;
        for (k = 0; k < 4; k++)
            if (num(argv[5 + k], &win[k]))
                return 1;
    }
    if (image_load(argv[0], &im))
        return 1;
    if (argc != 9) {
        win[0] = win[1] = 0;
        win[2] = im.w;
        win[3] = im.h;
    }
    /* pixels whose centre (i+0.5, j+0.5) lies inside the window */
    i0 = (long)fmax(0, ceil(fmin(win[0], win[2]) - 0.5));
    i1 = (long)fmin((double)im.w - 1, floor(fmax(win[0], win[2]) - 0.5));
    j0 = (long)fmax(0, ceil(fmin(win[1], win[3]) - 0.5));
    j1 = (long)fmin((double)im.h - 1, floor(fmax(win[1], win[3]) - 0.5));
    for (j = j0; j <= j1; j++)
        for (i = i0; i <= i1; i++)
            if (matches(&im, i, j, rgb, tol)) {
                sx += i + 0.5;
                sy += j + 0.5;
                n++;
            }
    if (n)
        printf("%.3f %.3f %ld\n", sx / n, sy / n, n);
    else
        printf("nan nan 0\n");
    free(im.rgb);
    return 0;
}

static int cmd_ray(int argc, char **argv)
{
    image im;
    int rgb[3], tol;
    double x, y, dx, dy, sx = 0, sy = 0;
    long n = 0, step;
    if (argc != 9)
        return die("ray FILE.png R G B TOL X Y DX DY%s%s", NULL, NULL);
    if (parse_color(argv + 1, rgb, &tol) || num(argv[5], &x) || num(argv[6], &y) || num(argv[7], &dx) ||
        num(argv[8], &dy))
        return 1;
    if (dx == 0 && dy == 0)
        return die("ray: the step is zero%s%s", NULL, NULL);
    if (image_load(argv[0], &im))
        return 1;
    for (step = 0;; step++) {
        double px = x + step * dx, py = y + step * dy;
        long i = (long)floor(px), j = (long)floor(py);
        if (i < 0 || j < 0 || i >= (long)im.w || j >= (long)im.h)
            break;
        if (matches(&im, i, j, rgb, tol)) {
            sx += px;
            sy += py;
            n++;
        } else if (n) {
            break;
        }
    }
    if (n)
        printf("%.3f %.3f %ld\n", sx / n, sy / n, n);
    else
        printf("nan nan 0\n");
    free(im.rgb);
    return 0;
}

static int cmd_png_info(int argc, char **argv)
{
    png_uint_32 w, h;
    double dpi;
    if (argc != 1)
        return die("png-info FILE.png%s%s", NULL, NULL);
    if (png_dpi(argv[0], &w, &h, &dpi))
        return 1;
    printf("%lu %lu %ld\n", (unsigned long)w, (unsigned long)h, lround(dpi));
    return 0;
}

/* ---- coordinates ------------------------------------------------------ */

static int cmd_project(int argc, char **argv)
{
    PJ_CONTEXT *ctx;
    PJ *p, *norm;
    PJ_COORD c;
    double lon, lat;
    int rc = 1;
    if (argc != 3)
        return die("project CRS LON LAT%s%s", NULL, NULL);
    if (num(argv[1], &lon) || num(argv[2], &lat))
        return 1;
    ctx = proj_context_create();
    p = proj_create_crs_to_crs(ctx, "EPSG:4326", argv[0], NULL);
    if (!p) {
        proj_context_destroy(ctx);
        return die("cannot make a transformation to '%s'%s", argv[0], NULL);
    }
    norm = proj_normalize_for_visualization(ctx, p);
    proj_destroy(p);
    if (!norm) {
        proj_context_destroy(ctx);
        return die("cannot normalise the transformation to '%s'%s", argv[0], NULL);
    }
    c = proj_coord(lon, lat, 0, 0);
    c = proj_trans(norm, PJ_FWD, c);
    if (c.xy.x == HUGE_VAL || !isfinite(c.xy.x) || !isfinite(c.xy.y)) {
        die("%s %s cannot be projected", argv[1], argv[2]);
    } else {
        printf("%.6f %.6f\n", c.xy.x, c.xy.y);
        rc = 0;
    }
    proj_destroy(norm);
    proj_context_destroy(ctx);
    return rc;
}

static int cmd_geod(int argc, char **argv)
{
    struct geod_geodesic g;
    double lon, lat, az, dist, lon2, lat2, azi2;
    if (argc != 4)
        return die("geod LON LAT AZIMUTH_DEG DIST_M%s%s", NULL, NULL);
    if (num(argv[0], &lon) || num(argv[1], &lat) || num(argv[2], &az) || num(argv[3], &dist))
        return 1;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    geod_direct(&g, lat, lon, az, dist, &lat2, &lon2, &azi2);
    printf("%.9f %.9f\n", lon2, lat2);
    return 0;
}

static int cmd_world2px(int argc, char **argv)
{
    FILE *f;
    double v[6], x, y, det, u, w;
    int k;
    if (argc != 3)
        return die("world2px FILE.pgw X Y%s%s", NULL, NULL);
    if (num(argv[1], &x) || num(argv[2], &y))
        return 1;
    f = fopen(argv[0], "r");
    if (!f)
        return die("%s: %s", argv[0], strerror(errno));
    for (k = 0; k < 6; k++)
        if (fscanf(f, "%lf", &v[k]) != 1) {
            fclose(f);
            return die("%s: not a world file (six numbers)%s", argv[0], NULL);
        }
    fclose(f);
    /* X = A*i + B*j + C, Y = D*i + E*j + F, where (i, j) are pixel indices
     * and (C, F) the centre of the top-left pixel.  Lines: A D B E C F. */
    {
        double A = v[0], D = v[1], B = v[2], E = v[3], C = v[4], F = v[5];
        det = A * E - B * D;
        if (det == 0)
            return die("%s: the world file is singular%s", argv[0], NULL);
        u = (E * (x - C) - B * (y - F)) / det;
        w = (A * (y - F) - D * (x - C)) / det;
    }
    printf("%.4f %.4f\n", u + 0.5, w + 0.5);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"pixel", cmd_pixel},       {"centroid", cmd_centroid}, {"ray", cmd_ray},
                {"png-info", cmd_png_info}, {"project", cmd_project},   {"geod", cmd_geod},
                {"world2px", cmd_world2px}};
    size_t k;
    if (argc < 2) {
        fputs(usage, stderr);
        return 1;
    }
    for (k = 0; k < sizeof cmds / sizeof cmds[0]; k++)
        if (strcmp(argv[1], cmds[k].name) == 0)
            return cmds[k].fn(argc - 2, argv + 2) ? 1 : 0;
    fputs(usage, stderr);
    return 1;
}
