/* im_carto_probe: measurements for the cartography end-to-end tests,
 * independent of the library under test (PROJ, libpng and zlib only).
 * Image coordinates are continuous, as in im_probe: the top-left corner of
 * the image is (0,0), the centre of pixel (i,j) is (i+0.5, j+0.5). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <geodesic.h>
#include <math.h>
#include <png.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const char *const usage =
    "usage: im_carto_probe COMMAND ...\n"
    "  px2geo CRS FILE.pgw PX PY       -> LON LAT of image point PX,PY\n"
    "  geodinv LON1 LAT1 LON2 LAT2     -> metres between two points (WGS84 geodesic)\n"
    "  convergence CRS LON LAT         -> PROJ's meridian convergence there, degrees\n"
    "  nongrey FILE.png TOL            -> pixels whose channels differ by more than TOL\n"
    "  bbox FILE.png R G B TOL X0 Y0 X1 Y1\n"
    "                                  -> MINX MINY MAXX MAXY COUNT of matching pixels in the\n"
    "                                     window (pixel edges; nan nan nan nan 0 when none)\n"
    "  farthest FILE.png R G B TOL CX CY RMAX\n"
    "                                  -> X Y DIST: the matching pixel farthest from CX,CY\n"
    "                                     within RMAX (the tip of a north arrow)\n"
    "  tounicode FILE.pdf              -> one line per ToUnicode mapping: CMAP# GLYPH UNICODE\n"
    "                                     (hex), from every FlateDecode CMap stream\n";

static int die(const char *msg, const char *arg)
{
    fprintf(stderr, "im_carto_probe: %s%s\n", msg, arg ? arg : "");
    return 1;
}

static int num(const char *s, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    if (end == s || *end || errno)
        return die("not a number: ", s);
    return 0;
}

/* ---- coordinates ------------------------------------------------------ */

static int world_file(const char *path, double v[6])
{
    FILE *f = fopen(path, "r");
    int k;
    if (!f)
        return die("cannot open ", path);
    for (k = 0; k < 6; k++) {
        if (fscanf(f, "%lf", &v[k]) != 1) {
            fclose(f);
            return die("not a world file: ", path);
        }
    }
    fclose(f);
    return 0;
}

static int cmd_px2geo(int argc, char **argv)
{
    double v[6], px, py, x, y;
    PJ_CONTEXT *ctx;
    PJ *p, *n;
    PJ_COORD c;
    if (argc != 4)
        return die("px2geo CRS FILE.pgw PX PY", NULL);
    if (world_file(argv[1], v) || num(argv[2], &px) || num(argv[3], &py))
        return 1;
    /* the world file names the centre of the top-left pixel */
    x = v[0] * (px - 0.5) + v[2] * (py - 0.5) + v[4];
    y = v[1] * (px - 0.5) + v[3] * (py - 0.5) + v[5];
    ctx = proj_context_create();
    p = proj_create_crs_to_crs(ctx, "EPSG:4326", argv[0], NULL);
    n = p ? proj_normalize_for_visualization(ctx, p) : NULL;
    if (!n) {
        proj_destroy(p);
        proj_context_destroy(ctx);
        return die("cannot use CRS ", argv[0]);
    }
    c = proj_trans(n, PJ_INV, proj_coord(x, y, 0, 0));
    printf("%.9f %.9f\n", c.lp.lam, c.lp.phi);
    proj_destroy(n);
    proj_destroy(p);
    proj_context_destroy(ctx);
    return 0;
}

static int cmd_geodinv(int argc, char **argv)
{
    struct geod_geodesic g;
    double a[4], s12 = 0;
    int k;
    if (argc != 4)
        return die("geodinv LON1 LAT1 LON2 LAT2", NULL);
    for (k = 0; k < 4; k++)
        if (num(argv[k], &a[k]))
            return 1;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
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
        return die("convergence CRS LON LAT", NULL);
    if (num(argv[1], &lon) || num(argv[2], &lat))
        return 1;
    ctx = proj_context_create();
    p = proj_create(ctx, argv[0]);
    if (!p) {
        proj_context_destroy(ctx);
        return die("cannot use CRS ", argv[0]);
    }
    f = proj_factors(p, proj_coord(lon * M_PI / 180, lat * M_PI / 180, 0, 0));
    if (proj_errno(p))
        rc = die("no factors for ", argv[0]);
    else
        printf("%.6f\n", f.meridian_convergence * 180 / M_PI);
    proj_destroy(p);
    proj_context_destroy(ctx);
    return rc;
}

/* ---- images ----------------------------------------------------------- */

static unsigned char *load_rgb(const char *path, unsigned *w, unsigned *h)
{
    png_image pi;
    unsigned char *buf;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&pi, path)) {
        die("cannot read ", path);
        return NULL;
    }
    pi.format = PNG_FORMAT_RGB;
    buf = malloc(PNG_IMAGE_SIZE(pi));
    if (!buf || !png_image_finish_read(&pi, NULL, buf, 0, NULL)) {
        free(buf);
        png_image_free(&pi);
        die("cannot decode ", path);
        return NULL;
    }
    *w = pi.width;
    *h = pi.height;
    return buf;
}

static int cmd_nongrey(int argc, char **argv)
{
    unsigned w, h, i;
    double tol;
    long n = 0;
    unsigned char *p;
    if (argc != 2 || num(argv[1], &tol))
        return die("nongrey FILE.png TOL", NULL);
    p = load_rgb(argv[0], &w, &h);
    if (!p)
        return 1;
    for (i = 0; i < w * h; i++) {
        int r = p[3 * i], g = p[3 * i + 1], b = p[3 * i + 2];
        int mx = r > g ? (r > b ? r : b) : (g > b ? g : b), mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
        n += mx - mn > tol;
    }
    printf("%ld\n", n);
    free(p);
    return 0;
}

static int cmd_bbox(int argc, char **argv)
{
    double a[8];
    unsigned w, h, x, y;
    long n = 0;
    double x0 = HUGE_VAL, y0 = HUGE_VAL, x1 = -HUGE_VAL, y1 = -HUGE_VAL;
    unsigned char *p;
    int k;
    if (argc != 9)
        return die("bbox FILE.png R G B TOL X0 Y0 X1 Y1", NULL);
    for (k = 0; k < 8; k++)
        if (num(argv[k + 1], &a[k]))
            return 1;
    p = load_rgb(argv[0], &w, &h);
    if (!p)
        return 1;
    for (y = 0; y < h; y++) {
        for (x = 0; x < w; x++) {
            const unsigned char *q = p + 3 * ((size_t)y * w + x);
            if (x + 0.5 < a[4] || x + 0.5 > a[6] || y + 0.5 < a[5] || y + 0.5 > a[7])
                continue;
            if (fabs(q[0] - a[0]) > a[3] || fabs(q[1] - a[1]) > a[3] || fabs(q[2] - a[2]) > a[3])
                continue;
            x0 = fmin(x0, x);
            y0 = fmin(y0, y);
            x1 = fmax(x1, x + 1.0);
            y1 = fmax(y1, y + 1.0);
            n++;
        }
    }
    if (n)
        printf("%.1f %.1f %.1f %.1f %ld\n", x0, y0, x1, y1, n);
    else
        printf("nan nan nan nan 0\n");
    free(p);
    return 0;
}

static int cmd_farthest(int argc, char **argv)
{
    double a[7], best = -1, bx = NAN, by = NAN;
    unsigned w, h, x, y;
    unsigned char *p;
    int k;
    if (argc != 8)
        return die("farthest FILE.png R G B TOL CX CY RMAX", NULL);
    for (k = 0; k < 7; k++)
        if (num(argv[k + 1], &a[k]))
            return 1;
    p = load_rgb(argv[0], &w, &h);
    if (!p)
        return 1;
    for (y = 0; y < h; y++) {
        for (x = 0; x < w; x++) {
            const unsigned char *q = p + 3 * ((size_t)y * w + x);
            double d = hypot(x + 0.5 - a[4], y + 0.5 - a[5]);
            if (d > a[6] || d <= best)
                continue;
            if (fabs(q[0] - a[0]) > a[3] || fabs(q[1] - a[1]) > a[3] || fabs(q[2] - a[2]) > a[3])
                continue;
            best = d;
            bx = x + 0.5;
            by = y + 0.5;
        }
    }
    printf("%.2f %.2f %.3f\n", bx, by, best);
    free(p);
    return 0;
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
        return die("tounicode FILE.pdf", NULL);
    pdf = read_all(argv[0], &n);
    if (!pdf)
        return die("cannot read ", argv[0]);
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
    } cmds[] = {{"px2geo", cmd_px2geo},   {"geodinv", cmd_geodinv}, {"convergence", cmd_convergence},
                {"nongrey", cmd_nongrey}, {"bbox", cmd_bbox},       {"tounicode", cmd_tounicode},
                {"farthest", cmd_farthest}};
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
