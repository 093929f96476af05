/* im_probe: measurements for the end-to-end tests, independent of the
 * library under test.  Reads PNGs with libpng, projects with PROJ, solves
 * geodesics with PROJ's geodesic.h, inverts world files and decodes a PDF's
 * ToUnicode CMaps with zlib; prints results on stdout so shell scripts can
 * compare them.
 *
 * Image coordinates are continuous: the top-left corner of the image is
 * (0,0) and the centre of pixel (i,j) (column i, row j) is (i+0.5, j+0.5). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <geodesic.h>
#include <math.h>
#include <png.h>
#include <proj.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const char *const usage =
    "usage: im_probe COMMAND ...\n"
    "images (pixels composited on white; R G B TOL: channels within TOL of R G B):\n"
    "  pixel FILE.png X Y                  -> R G B of pixel column X, row Y (integers)\n"
    "  centroid FILE.png R G B TOL [X0 Y0 X1 Y1]\n"
    "                                      -> CX CY COUNT: centroid of the matching pixels\n"
    "                                         (whose centres lie in the window); nan nan 0\n"
    "                                         when none\n"
    "  ray FILE.png R G B TOL X Y DX DY    -> X Y LEN: walk from (X,Y) in steps of\n"
    "                                         (DX,DY) px; centre of the first run of\n"
    "                                         matching pixels and its length in steps;\n"
    "                                         nan nan 0 when none before the edge\n"
    "  bbox FILE.png R G B TOL X0 Y0 X1 Y1 -> MINX MINY MAXX MAXY COUNT of matching pixels\n"
    "                                         in the window (pixel edges; nan nan nan nan 0\n"
    "                                         when none)\n"
    "  farthest FILE.png R G B TOL CX CY RMAX\n"
    "                                      -> X Y DIST: the matching pixel farthest from\n"
    "                                         CX,CY within RMAX (the tip of a north arrow)\n"
    "  nongrey FILE.png TOL                -> pixels whose channels differ by more than TOL\n"
    "  png-info FILE.png                   -> W H DPI (DPI from pHYs, rounded; 0 if none)\n"
    "  png-kind FILE.png                   -> COLOUR_TYPE PALETTE_SIZE SRGB: rgb, rgba, palette,\n"
    "                                         gray or gray-alpha; PLTE entries (0: none); 1 if\n"
    "                                         tagged sRGB\n"
    "  diff A.png B.png TOL                -> FRACTION MEAN: share of pixels where some channel\n"
    "                                         differs by more than TOL, mean channel difference\n"
    "                                         (the images must be the same size)\n"
    "coordinates:\n"
    "  project CRS LON LAT                 -> X Y in CRS (from EPSG:4326, lon/lat order)\n"
    "  geod LON LAT AZIMUTH_DEG DIST_M     -> LON2 LAT2 (WGS84 geodesic)\n"
    "  geodinv LON1 LAT1 LON2 LAT2         -> metres between two points (WGS84 geodesic)\n"
    "  convergence CRS LON LAT             -> PROJ's meridian convergence there, degrees\n"
    "  world2px FILE.pgw X Y               -> PX PY: continuous image coordinates of the\n"
    "                                         map point X,Y\n"
    "  px2geo CRS FILE.pgw PX PY           -> LON LAT of image point PX,PY\n"
    "PDF:\n"
    "  tounicode FILE.pdf                  -> one line per ToUnicode mapping: CMAP# GLYPH\n"
    "                                         UNICODE (hex), from every FlateDecode CMap\n"
    "                                         stream\n";

#if defined(__GNUC__)
static int die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#endif

/* Print "im_probe: MESSAGE" on stderr; returns 1 for "return die(...)". */
static int die(const char *fmt, ...)
{
    va_list ap;
    fputs("im_probe: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

static int num(const char *s, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    if (end == s || *end || errno)
        return die("not a number: '%s'", s);
    return 0;
}

/* ---- images ---------------------------------------------------------- */

typedef struct {
    png_uint_32 w, h;
    unsigned char *rgb; /* w*h*3, composited on white */
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
        return die("out of memory");
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
        return die("out of memory");
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

/* Size and resolution from the PNG header (the simplified API has no pHYs). */
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
        return die("out of memory");
    }
    if (setjmp(png_jmpbuf(p))) {
        png_destroy_read_struct(&p, &info, NULL);
        fclose(f);
        return die("%s: not a readable PNG", path);
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

/* Parse N numbers from argv into out. */
static int nums(char **argv, int n, double *out)
{
    int k;
    for (k = 0; k < n; k++)
        if (num(argv[k], &out[k]))
            return 1;
    return 0;
}

/* argv = FILE.png R G B TOL and NREST more numbers: parse the colour and its
 * tolerance (integers) and the numbers into rest, then load the image. */
static int colour_query(char **argv, int nrest, double *rest, image *im, int rgb[3], int *tol)
{
    double v[4];
    int c;
    if (nums(argv + 1, 4, v) || nums(argv + 5, nrest, rest))
        return 1;
    for (c = 0; c < 3; c++)
        rgb[c] = (int)v[c];
    *tol = (int)v[3];
    return image_load(argv[0], im);
}

static int cmd_pixel(int argc, char **argv)
{
    image im;
    double x, y;
    long i, j;
    const unsigned char *px;
    if (argc != 3)
        return die("pixel FILE.png X Y");
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
        return die("centroid FILE.png R G B TOL [X0 Y0 X1 Y1]");
    if (colour_query(argv, argc - 5, win, &im, rgb, &tol))
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
    double a[4], sx = 0, sy = 0; /* X Y DX DY */
    long n = 0, step;
    if (argc != 9)
        return die("ray FILE.png R G B TOL X Y DX DY");
    if (colour_query(argv, 4, a, &im, rgb, &tol))
        return 1;
    if (a[2] == 0 && a[3] == 0) {
        free(im.rgb);
        return die("ray: the step is zero");
    }
    for (step = 0;; step++) {
        double px = a[0] + step * a[2], py = a[1] + step * a[3];
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

static int cmd_bbox(int argc, char **argv)
{
    image im;
    int rgb[3], tol;
    double win[4], x0 = HUGE_VAL, y0 = HUGE_VAL, x1 = -HUGE_VAL, y1 = -HUGE_VAL;
    long i, j, n = 0;
    if (argc != 9)
        return die("bbox FILE.png R G B TOL X0 Y0 X1 Y1");
    if (colour_query(argv, 4, win, &im, rgb, &tol))
        return 1;
    for (j = 0; j < (long)im.h; j++)
        for (i = 0; i < (long)im.w; i++) {
            if (i + 0.5 < win[0] || i + 0.5 > win[2] || j + 0.5 < win[1] || j + 0.5 > win[3] ||
                !matches(&im, i, j, rgb, tol))
                continue;
            x0 = fmin(x0, i);
            y0 = fmin(y0, j);
            x1 = fmax(x1, i + 1.0);
            y1 = fmax(y1, j + 1.0);
            n++;
        }
    if (n)
        printf("%.1f %.1f %.1f %.1f %ld\n", x0, y0, x1, y1, n);
    else
        printf("nan nan nan nan 0\n");
    free(im.rgb);
    return 0;
}

static int cmd_farthest(int argc, char **argv)
{
    image im;
    int rgb[3], tol;
    double a[3], best = -1, bx = NAN, by = NAN; /* CX CY RMAX */
    long i, j;
    if (argc != 8)
        return die("farthest FILE.png R G B TOL CX CY RMAX");
    if (colour_query(argv, 3, a, &im, rgb, &tol))
        return 1;
    for (j = 0; j < (long)im.h; j++)
        for (i = 0; i < (long)im.w; i++) {
            double d = hypot(i + 0.5 - a[0], j + 0.5 - a[1]);
            if (d > a[2] || d <= best || !matches(&im, i, j, rgb, tol))
                continue;
            best = d;
            bx = i + 0.5;
            by = j + 0.5;
        }
    printf("%.2f %.2f %.3f\n", bx, by, best);
    free(im.rgb);
    return 0;
}

static int cmd_nongrey(int argc, char **argv)
{
    image im;
    double tol;
    size_t i, n;
    long count = 0;
    if (argc != 2)
        return die("nongrey FILE.png TOL");
    if (num(argv[1], &tol) || image_load(argv[0], &im))
        return 1;
    n = (size_t)im.w * im.h;
    for (i = 0; i < n; i++) {
        const unsigned char *q = im.rgb + 3 * i;
        int r = q[0], g = q[1], b = q[2];
        int mx = r > g ? (r > b ? r : b) : (g > b ? g : b), mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
        count += mx - mn > tol;
    }
    printf("%ld\n", count);
    free(im.rgb);
    return 0;
}

static int cmd_png_info(int argc, char **argv)
{
    png_uint_32 w, h;
    double dpi;
    if (argc != 1)
        return die("png-info FILE.png");
    if (png_dpi(argv[0], &w, &h, &dpi))
        return 1;
    printf("%lu %lu %ld\n", (unsigned long)w, (unsigned long)h, lround(dpi));
    return 0;
}

static int cmd_png_kind(int argc, char **argv)
{
    FILE *f;
    png_structp p = NULL;
    png_infop info = NULL;
    png_colorp plte = NULL;
    int nplte = 0, intent = 0, type;
    const char *name;
    if (argc != 1)
        return die("png-kind FILE.png");
    f = fopen(argv[0], "rb");
    if (!f)
        return die("%s: %s", argv[0], strerror(errno));
    p = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    if (p)
        info = png_create_info_struct(p);
    if (!p || !info || setjmp(png_jmpbuf(p))) {
        png_destroy_read_struct(&p, &info, NULL);
        fclose(f);
        return die("%s: not a readable PNG", argv[0]);
    }
    png_init_io(p, f);
    png_read_info(p, info);
    type = png_get_color_type(p, info);
    name = type == PNG_COLOR_TYPE_RGB         ? "rgb"
           : type == PNG_COLOR_TYPE_RGB_ALPHA ? "rgba"
           : type == PNG_COLOR_TYPE_PALETTE   ? "palette"
           : type == PNG_COLOR_TYPE_GRAY      ? "gray"
                                              : "gray-alpha";
    if (!png_get_PLTE(p, info, &plte, &nplte))
        nplte = 0;
    printf("%s %d %d\n", name, nplte, png_get_sRGB(p, info, &intent) ? 1 : 0);
    png_destroy_read_struct(&p, &info, NULL);
    fclose(f);
    return 0;
}

static int cmd_diff(int argc, char **argv)
{
    image a, b;
    double tol, sum = 0;
    size_t i, n, over = 0;
    if (argc != 3)
        return die("diff A.png B.png TOL");
    if (num(argv[2], &tol) || image_load(argv[0], &a))
        return 1;
    if (image_load(argv[1], &b)) {
        free(a.rgb);
        return 1;
    }
    if (a.w != b.w || a.h != b.h) {
        free(a.rgb);
        free(b.rgb);
        return die("%s is %lux%lu, %s is %lux%lu", argv[0], (unsigned long)a.w, (unsigned long)a.h,
                   argv[1], (unsigned long)b.w, (unsigned long)b.h);
    }
    n = (size_t)a.w * a.h;
    for (i = 0; i < n; i++) {
        int c, big = 0;
        for (c = 0; c < 3; c++) {
            int dv = abs(a.rgb[3 * i + c] - b.rgb[3 * i + c]);
            sum += dv;
            big |= dv > tol;
        }
        over += (size_t)big;
    }
    printf("%.6f %.4f\n", n ? (double)over / (double)n : 0.0, n ? sum / (3.0 * (double)n) : 0.0);
    free(a.rgb);
    free(b.rgb);
    return 0;
}

/* ---- coordinates ------------------------------------------------------ */

/* The six numbers of a world file, in file order A D B E C F: X = A*i + B*j
 * + C, Y = D*i + E*j + F, where (i, j) are pixel indices and (C, F) the
 * centre of the top-left pixel. */
static int world_file(const char *path, double v[6])
{
    FILE *f = fopen(path, "r");
    int k;
    if (!f)
        return die("%s: %s", path, strerror(errno));
    for (k = 0; k < 6; k++)
        if (fscanf(f, "%lf", &v[k]) != 1) {
            fclose(f);
            return die("%s: not a world file (six numbers)", path);
        }
    fclose(f);
    return 0;
}

/* EPSG:4326 (lon/lat order) to CRS, or NULL after a message. */
static PJ *lonlat_to(PJ_CONTEXT *ctx, const char *crs)
{
    PJ *p = proj_create_crs_to_crs(ctx, "EPSG:4326", crs, NULL);
    PJ *norm = p ? proj_normalize_for_visualization(ctx, p) : NULL;
    proj_destroy(p);
    if (!norm)
        die("cannot make a transformation to '%s'", crs);
    return norm;
}

static void wgs84(struct geod_geodesic *g)
{
    geod_init(g, 6378137.0, 1 / 298.257223563);
}

static int cmd_project(int argc, char **argv)
{
    PJ_CONTEXT *ctx;
    PJ *p;
    PJ_COORD c;
    double lon, lat;
    int rc = 1;
    if (argc != 3)
        return die("project CRS LON LAT");
    if (num(argv[1], &lon) || num(argv[2], &lat))
        return 1;
    ctx = proj_context_create();
    p = lonlat_to(ctx, argv[0]);
    if (p) {
        c = proj_trans(p, PJ_FWD, proj_coord(lon, lat, 0, 0));
        if (c.xy.x == HUGE_VAL || !isfinite(c.xy.x) || !isfinite(c.xy.y)) {
            die("%s %s cannot be projected", argv[1], argv[2]);
        } else {
            printf("%.6f %.6f\n", c.xy.x, c.xy.y);
            rc = 0;
        }
        proj_destroy(p);
    }
    proj_context_destroy(ctx);
    return rc;
}

static int cmd_px2geo(int argc, char **argv)
{
    PJ_CONTEXT *ctx;
    PJ *p;
    PJ_COORD c;
    double v[6], px, py, x, y;
    if (argc != 4)
        return die("px2geo CRS FILE.pgw PX PY");
    if (world_file(argv[1], v) || num(argv[2], &px) || num(argv[3], &py))
        return 1;
    x = v[0] * (px - 0.5) + v[2] * (py - 0.5) + v[4];
    y = v[1] * (px - 0.5) + v[3] * (py - 0.5) + v[5];
    ctx = proj_context_create();
    p = lonlat_to(ctx, argv[0]);
    if (!p) {
        proj_context_destroy(ctx);
        return 1;
    }
    c = proj_trans(p, PJ_INV, proj_coord(x, y, 0, 0));
    printf("%.9f %.9f\n", c.lp.lam, c.lp.phi);
    proj_destroy(p);
    proj_context_destroy(ctx);
    return 0;
}

static int cmd_world2px(int argc, char **argv)
{
    double v[6], x, y, det;
    if (argc != 3)
        return die("world2px FILE.pgw X Y");
    if (num(argv[1], &x) || num(argv[2], &y) || world_file(argv[0], v))
        return 1;
    {
        double A = v[0], D = v[1], B = v[2], E = v[3], C = v[4], F = v[5];
        det = A * E - B * D;
        if (det == 0)
            return die("%s: the world file is singular", argv[0]);
        printf("%.4f %.4f\n", (E * (x - C) - B * (y - F)) / det + 0.5, (A * (y - F) - D * (x - C)) / det + 0.5);
    }
    return 0;
}

static int cmd_geod(int argc, char **argv)
{
    struct geod_geodesic g;
    double a[4], lon2, lat2, azi2; /* LON LAT AZIMUTH DIST */
    if (argc != 4)
        return die("geod LON LAT AZIMUTH_DEG DIST_M");
    if (nums(argv, 4, a))
        return 1;
    wgs84(&g);
    geod_direct(&g, a[1], a[0], a[2], a[3], &lat2, &lon2, &azi2);
    printf("%.9f %.9f\n", lon2, lat2);
    return 0;
}

static int cmd_geodinv(int argc, char **argv)
{
    struct geod_geodesic g;
    double a[4], s12 = 0; /* LON1 LAT1 LON2 LAT2 */
    if (argc != 4)
        return die("geodinv LON1 LAT1 LON2 LAT2");
    if (nums(argv, 4, a))
        return 1;
    wgs84(&g);
    geod_inverse(&g, a[1], a[0], a[3], a[2], &s12, NULL, NULL);
    printf("%.6f\n", s12);
    return 0;
}

static int cmd_convergence(int argc, char **argv)
{
    PJ_CONTEXT *ctx;
    PJ *p;
    PJ_FACTORS f;
    double lon, lat;
    int rc = 0;
    if (argc != 3)
        return die("convergence CRS LON LAT");
    if (num(argv[1], &lon) || num(argv[2], &lat))
        return 1;
    ctx = proj_context_create();
    p = proj_create(ctx, argv[0]);
    if (!p) {
        proj_context_destroy(ctx);
        return die("cannot use CRS '%s'", argv[0]);
    }
    f = proj_factors(p, proj_coord(lon * M_PI / 180, lat * M_PI / 180, 0, 0));
    if (proj_errno(p))
        rc = die("no factors for '%s'", argv[0]);
    else
        printf("%.6f\n", f.meridian_convergence * 180 / M_PI);
    proj_destroy(p);
    proj_context_destroy(ctx);
    return rc;
}

/* ---- PDF ToUnicode maps --------------------------------------------- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, r;
    if (!f)
        return NULL;
    do {
        if (n + 65536 > cap) {
            char *nb = realloc(buf, cap = 2 * cap + 65536);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
    } while (r > 0);
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

static const char *find(const char *hay, size_t n, const char *needle, const char *from)
{
    size_t k = strlen(needle);
    for (; from + k <= hay + n; from++)
        if (memcmp(from, needle, k) == 0)
            return from;
    return NULL;
}

/* Print the bfchar/bfrange entries of one CMap. */
static void print_cmap(int id, const char *t)
{
    const char *p = t;
    while ((p = strstr(p, "beginbf")) != NULL) {
        int range = strncmp(p, "beginbfrange", 12) == 0;
        const char *end = strstr(p, range ? "endbfrange" : "endbfchar");
        p = strchr(p, '\n');
        while (p && end && p < end) {
            unsigned a, b, u;
            char uni[64];
            if (range && sscanf(p, " <%x> <%x> <%63[0-9A-Fa-f]>", &a, &b, uni) == 3) {
                unsigned g;
                u = (unsigned)strtoul(uni, NULL, 16);
                for (g = a; g <= b; g++)
                    printf("%d %04x %04x\n", id, g, u + (g - a));
            } else if (!range && sscanf(p, " <%x> <%63[0-9A-Fa-f]>", &a, uni) == 2) {
                printf("%d %04x %s\n", id, a, uni);
            }
            p = strchr(p + 1, '\n');
        }
        if (!end)
            break;
        p = end;
    }
}

static int cmd_tounicode(int argc, char **argv)
{
    size_t n;
    char *pdf;
    const char *p;
    int id = 0;
    if (argc != 1)
        return die("tounicode FILE.pdf");
    pdf = read_all(argv[0], &n);
    if (!pdf)
        return die("%s: cannot read", argv[0]);
    for (p = pdf; (p = find(pdf, n, "stream", p)) != NULL; p += 6) {
        const char *start = p + 6, *end;
        unsigned char *out;
        uLongf outlen = 1 << 22;
        if (p > pdf && p[-1] == 'd') /* "endstream" */
            continue;
        if (*start == '\r')
            start++;
        if (*start == '\n')
            start++;
        end = find(pdf, n, "endstream", start);
        if (!end)
            break;
        out = malloc(outlen + 1);
        if (out && uncompress(out, &outlen, (const unsigned char *)start, (uLong)(end - start)) == Z_OK) {
            out[outlen] = 0;
            if (strstr((char *)out, "begincmap"))
                print_cmap(id++, (char *)out);
        }
        free(out);
        p = end;
    }
    free(pdf);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"pixel", cmd_pixel},
                {"centroid", cmd_centroid},
                {"ray", cmd_ray},
                {"bbox", cmd_bbox},
                {"farthest", cmd_farthest},
                {"nongrey", cmd_nongrey},
                {"png-info", cmd_png_info},
                {"png-kind", cmd_png_kind},
                {"diff", cmd_diff},
                {"project", cmd_project},
                {"geod", cmd_geod},
                {"geodinv", cmd_geodinv},
                {"convergence", cmd_convergence},
                {"world2px", cmd_world2px},
                {"px2geo", cmd_px2geo},
                {"tounicode", cmd_tounicode}};
    size_t k;
    if (argc >= 2)
        for (k = 0; k < sizeof cmds / sizeof cmds[0]; k++)
            if (strcmp(argv[1], cmds[k].name) == 0)
                return cmds[k].fn(argc - 2, argv + 2) ? 1 : 0;
    fputs(usage, stderr);
    return 1;
}
