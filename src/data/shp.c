/* Shapefile reader over shapelib: the only file that includes shapefil.h.
 * Owns the .shp/.shx/.dbf handles, the .prj text, the attribute encoding
 * (.cpg, else the DBF language driver byte, else a guess) and the .qix
 * index.  Checks every record's offset and size against the real file size
 * at open, so a truncated file is an error and never a read past the end;
 * shapelib's own error messages are captured instead of printed. */
#include "data/shp.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <shapefil.h>

#include "core/util.h"
#include "data/text.h"

typedef enum {
    IM_ENC_GUESS = 0, /* valid UTF-8 kept, anything else read with the fallback */
    IM_ENC_UTF8,
    IM_ENC_LATIN1,
    IM_ENC_ICONV
} im_shp_encoding;

struct im_shp {
    SHPHandle shp;
    DBFHandle dbf;
    SHPTreeDiskHandle qix;     /* NULL without a .qix */
    char *path;                /* the .shp as found */
    char *crs;                 /* .prj contents, or NULL */
    int count;
    int shptype;               /* SHPT_* of the file */
    im_geom_kind kind;
    double bounds[4];
    unsigned long file_size;   /* of the .shp, as on disk */
    im_shp_encoding enc;
    char enc_name[96];         /* how text is decoded, for info */
    iconv_t cd;                /* (iconv_t)-1 when unused */
    char *attr;                /* last attribute, UTF-8 */
    size_t attr_cap;
    char **field_names;        /* UTF-8 */
    int nfields;
    SHPObject *cur;            /* the shape handed out last */
    int nbad_text;             /* attribute values with bytes invalid in enc */
    int nbad_coords;           /* shapes skipped for their coordinates */
    int nopen_rings;           /* polygons whose rings do not close (warned once) */
};

/* shapelib reports problems through SAHooks.Error without a context
 * pointer; keep the last message per thread so it can go into our error. */
static _Thread_local char im_shp_hook_msg[512];

static void im_shp_hook_error(const char *message)
{
    snprintf(im_shp_hook_msg, sizeof im_shp_hook_msg, "%s", message);
}

static void im_shp_hooks(SAHooks *h)
{
    SASetupDefaultHooks(h);
    h->Error = im_shp_hook_error;
}

/* ": <shapelib's message>" or "" */
static const char *im_shp_hook_detail(char *buf, size_t size)
{
    size_t n;
    if (!im_shp_hook_msg[0]) {
        buf[0] = '\0';
        return buf;
    }
    snprintf(buf, size, ": %s", im_shp_hook_msg);
    n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '.'))
        buf[--n] = '\0';
    return buf;
}

/* ---- opening ---- */

/* BASE.ext or BASE.EXT, whichever exists; NULL with errno set if neither. */
static char *im_shp_sidecar(const char *base, const char *ext)
{
    size_t n = strlen(base), k = strlen(ext), i;
    char *p = malloc(n + k + 2);
    struct stat st;
    if (!p)
        return NULL;
    memcpy(p, base, n);
    p[n] = '.';
    memcpy(p + n + 1, ext, k + 1);
    if (stat(p, &st) == 0)
        return p;
    for (i = 0; i < k; i++)
        p[n + 1 + i] = (char)(ext[i] >= 'a' && ext[i] <= 'z' ? ext[i] - 32 : ext[i]);
    if (stat(p, &st) == 0)
        return p;
    free(p);
    errno = ENOENT;
    return NULL;
}

/* Whole small text file (.prj, .cpg) with surrounding blanks trimmed; NULL
 * when absent or empty. */
static char *im_shp_slurp(const char *base, const char *ext, size_t max)
{
    char *path = im_shp_sidecar(base, ext), *buf = NULL, *t;
    FILE *f;
    size_t n;
    if (!path)
        return NULL;
    f = fopen(path, "rb");
    free(path);
    if (!f)
        return NULL;
    buf = malloc(max + 1);
    if (!buf) {
        fclose(f);
        return NULL;
    }
    n = fread(buf, 1, max, f);
    fclose(f);
    buf[n] = '\0';
    t = im_trim(buf);
    if (!*t) {
        free(buf);
        return NULL;
    }
    memmove(buf, t, strlen(t) + 1);
    return buf;
}

static int im_shp_kind_of(int shptype, im_geom_kind *kind)
{
    switch (shptype) {
    case SHPT_POINT:
    case SHPT_POINTZ:
    case SHPT_POINTM:
    case SHPT_MULTIPOINT:
    case SHPT_MULTIPOINTZ:
    case SHPT_MULTIPOINTM:
        *kind = IM_GEOM_POINT;
        return 0;
    case SHPT_ARC:
    case SHPT_ARCZ:
    case SHPT_ARCM:
        *kind = IM_GEOM_LINE;
        return 0;
    case SHPT_POLYGON:
    case SHPT_POLYGONZ:
    case SHPT_POLYGONM:
        *kind = IM_GEOM_POLYGON;
        return 0;
    case SHPT_NULL:
        *kind = IM_GEOM_NULL;
        return 0;
    default:
        return -1;
    }
}

/* Code page name as written in a .cpg -> what iconv calls it; sets *ENC to
 * UTF8/LATIN1 for the two we convert without iconv.  Returns NULL if the
 * name is empty. */
static const char *im_shp_codepage(const char *cpg, char *buf, size_t size,
                                   im_shp_encoding *enc)
{
    char norm[64];
    size_t n = 0, i;
    const char *p;
    /* upper-case, without blanks, dashes and underscores: "ISO-8859-1" and
     * "iso_8859_1" both become ISO88591 */
    for (i = 0; cpg[i] && n + 1 < sizeof norm; i++) {
        char ch = cpg[i];
        if (ch == ' ' || ch == '-' || ch == '_')
            continue;
        norm[n++] = (char)(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
    }
    norm[n] = '\0';
    if (n == 0)
        return NULL;
    *enc = IM_ENC_ICONV;
    if (strcmp(norm, "UTF8") == 0 || strcmp(norm, "65001") == 0) {
        *enc = IM_ENC_UTF8;
        return "UTF-8";
    }
    if (strcmp(norm, "ISO88591") == 0 || strcmp(norm, "88591") == 0 ||
        strcmp(norm, "LATIN1") == 0 || strcmp(norm, "28591") == 0) {
        *enc = IM_ENC_LATIN1;
        return "ISO-8859-1";
    }
    p = norm;
    if (strncmp(p, "ANSI", 4) == 0 && p[4])
        p += 4; /* "ANSI 1252" */
    if (strncmp(p, "WINDOWS", 7) == 0 && p[7])
        p += 7;
    if (strncmp(p, "CP", 2) == 0 && p[2])
        p += 2;
    if (strncmp(p, "ISO8859", 7) == 0 && p[7]) {
        snprintf(buf, size, "ISO-8859-%s", p + 7);
        return buf;
    }
    if (strncmp(p, "8859", 4) == 0 && p[4]) {
        snprintf(buf, size, "ISO-8859-%s", p + 4);
        return buf;
    }
    if (strspn(p, "0123456789") == strlen(p)) {
        snprintf(buf, size, "CP%s", p);
        return buf;
    }
    snprintf(buf, size, "%s", cpg); /* let iconv judge: KOI8-R, GBK, ... */
    return buf;
}

/* DBF language driver id (byte 29 of the header) -> iconv name. */
static const char *im_shp_ldid(int ldid)
{
    static const struct {
        int id;
        const char *name;
    } table[] = {
        {0x01, "CP437"},  {0x02, "CP850"},  {0x03, "CP1252"}, {0x08, "CP865"},
        {0x09, "CP437"},  {0x0A, "CP850"},  {0x0B, "CP437"},  {0x0D, "CP437"},
        {0x0E, "CP850"},  {0x0F, "CP437"},  {0x10, "CP850"},  {0x11, "CP437"},
        {0x12, "CP850"},  {0x13, "CP932"},  {0x14, "CP850"},  {0x15, "CP437"},
        {0x16, "CP850"},  {0x17, "CP865"},  {0x18, "CP437"},  {0x19, "CP437"},
        {0x1A, "CP850"},  {0x1B, "CP437"},  {0x1C, "CP863"},  {0x1D, "CP850"},
        {0x1F, "CP852"},  {0x22, "CP852"},  {0x23, "CP852"},  {0x24, "CP860"},
        {0x25, "CP850"},  {0x26, "CP866"},  {0x37, "CP850"},  {0x40, "CP852"},
        {0x4D, "CP936"},  {0x4E, "CP949"},  {0x4F, "CP950"},  {0x50, "CP874"},
        {0x57, "CP1252"}, {0x58, "CP1252"}, {0x59, "CP1252"}, {0x64, "CP852"},
        {0x65, "CP866"},  {0x66, "CP865"},  {0x67, "CP861"},  {0x6A, "CP737"},
        {0x6B, "CP857"},  {0x6C, "CP863"},  {0x78, "CP950"},  {0x79, "CP949"},
        {0x7A, "CP936"},  {0x7B, "CP932"},  {0x7C, "CP874"},  {0x7D, "CP1255"},
        {0x7E, "CP1256"}, {0x86, "CP737"},  {0x87, "CP852"},  {0x88, "CP857"},
        {0xC8, "CP1250"}, {0xC9, "CP1251"}, {0xCA, "CP1254"}, {0xCB, "CP1253"},
        {0xCC, "CP1257"},
    };
    size_t i;
    for (i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (table[i].id == ldid)
            return table[i].name;
    }
    return NULL;
}

static void im_shp_choose_encoding(im_shp *s, const char *base, im_diag *d)
{
    char *cpg = im_shp_slurp(base, "cpg", 255);
    char buf[80];
    im_shp_encoding enc = IM_ENC_GUESS;
    const char *name = cpg ? im_shp_codepage(cpg, buf, sizeof buf, &enc) : NULL;

    s->enc = IM_ENC_GUESS;
    snprintf(s->enc_name, sizeof s->enc_name, "UTF-8 where valid, else Latin-1 (no .cpg)");
    if (name && enc != IM_ENC_ICONV) {
        s->enc = enc;
        snprintf(s->enc_name, sizeof s->enc_name, "%s (.cpg)", name);
    } else if (name) {
        s->cd = iconv_open("UTF-8", name);
        if (s->cd != (iconv_t)-1) {
            s->enc = IM_ENC_ICONV;
            snprintf(s->enc_name, sizeof s->enc_name, "%.60s (.cpg)", name);
        } else {
            im_warn(d, s->path, 0, 0,
                    "unknown code page '%.60s' in the .cpg; reading attributes as "
                    "UTF-8 where valid, else Latin-1", cpg);
            snprintf(s->enc_name, sizeof s->enc_name,
                     "UTF-8 where valid, else Latin-1 (unknown .cpg '%.30s')", cpg);
        }
    } else if (!cpg) {
        int ldid = s->dbf->iLanguageDriver;
        const char *lname = im_shp_ldid(ldid);
        if (lname) {
            s->cd = iconv_open("UTF-8", lname);
            /* 0x57 says "ANSI": the writer's system code page, whatever that
             * was; text that is valid UTF-8 is more likely UTF-8 than not */
            if (s->cd != (iconv_t)-1) {
                s->enc = ldid == 0x57 ? IM_ENC_GUESS : IM_ENC_ICONV;
                snprintf(s->enc_name, sizeof s->enc_name, "%s%s (DBF language driver 0x%02X)",
                         ldid == 0x57 ? "UTF-8 where valid, else " : "", lname, ldid);
            }
        }
    }
    free(cpg);
}

/* ---- text conversion ---- */

static int im_shp_reserve(im_shp *s, size_t need)
{
    char *p;
    size_t cap = s->attr_cap ? s->attr_cap : 256;
    if (need <= s->attr_cap)
        return 0;
    while (cap < need)
        cap *= 2;
    p = realloc(s->attr, cap);
    if (!p)
        return -1;
    s->attr = p;
    s->attr_cap = cap;
    return 0;
}

static size_t im_shp_put_fffd(char *o)
{
    o[0] = (char)0xEF;
    o[1] = (char)0xBF;
    o[2] = (char)0xBD;
    return 3;
}

/* Convert N bytes at IN to UTF-8 in s->attr (NUL-terminated, trailing
 * blanks removed).  Invalid input never fails: it becomes U+FFFD. */
static const char *im_shp_to_utf8(im_shp *s, const char *in, size_t n)
{
    const unsigned char *u = (const unsigned char *)in;
    size_t o = 0, i = 0;
    im_shp_encoding enc = s->enc;
    int bad = 0;

    if (im_shp_reserve(s, 4 * n + 8) != 0)
        return "";
    if (enc == IM_ENC_GUESS)
        enc = im_utf8_valid(in, n) ? IM_ENC_UTF8
              : s->cd != (iconv_t)-1 ? IM_ENC_ICONV : IM_ENC_LATIN1;
    switch (enc) {
    case IM_ENC_UTF8:
        while (i < n) {
            size_t k = im_utf8_seq(u + i, n - i);
            if (k == 0) {
                o += im_shp_put_fffd(s->attr + o);
                i++;
                bad = 1;
            } else {
                memcpy(s->attr + o, in + i, k);
                o += k;
                i += k;
            }
        }
        break;
    case IM_ENC_LATIN1:
        for (; i < n; i++) {
            if (u[i] < 0x80) {
                s->attr[o++] = (char)u[i];
            } else {
                s->attr[o++] = (char)(0xC0 | (u[i] >> 6));
                s->attr[o++] = (char)(0x80 | (u[i] & 0x3F));
            }
        }
        break;
    default: {
        char *ip = (char *)(uintptr_t)in; /* iconv's prototype wants char ** */
        size_t ileft = n;
        iconv(s->cd, NULL, NULL, NULL, NULL);
        while (ileft > 0) {
            char *op = s->attr + o;
            size_t oleft = s->attr_cap - o - 4, r;
            r = iconv(s->cd, &ip, &ileft, &op, &oleft);
            o = (size_t)(op - s->attr);
            if (r != (size_t)-1)
                break;
            if (errno == E2BIG) {
                if (im_shp_reserve(s, s->attr_cap * 2) != 0)
                    return "";
            } else { /* EILSEQ or EINVAL: one bad byte */
                o += im_shp_put_fffd(s->attr + o);
                bad = 1;
                ip++;
                ileft--;
                if (im_shp_reserve(s, o + 4 * ileft + 8) != 0)
                    return "";
            }
        }
        break;
    }
    }
    while (o > 0 && (s->attr[o - 1] == ' ' || s->attr[o - 1] == '\0'))
        o--;
    s->attr[o] = '\0';
    s->nbad_text += bad;
    return s->attr;
}

/* ---- open / close ---- */

static int im_shp_check_records(im_shp *s, im_diag *d)
{
    int i;
    for (i = 0; i < s->count; i++) {
        unsigned long off = s->shp->panRecOffset[i];
        unsigned long size = s->shp->panRecSize[i];
        if (off < 100 || off > s->file_size || size + 8 > s->file_size - off)
            return im_fail(d, IM_ERR_DATA, s->path, 0, 0,
                           "truncated or corrupt: record %d (offset %lu, %lu bytes, as the "
                           ".shx says) lies beyond the end of the file (%lu bytes); the file "
                           "is cut short or its .shx belongs to another",
                           i, off, size + 8, s->file_size);
    }
    return 0;
}

/* Every file of the shapefile that went into reading it. */
static void im_shp_note_deps(const im_shp *s, const char *base, const char *shx,
                             const char *dbf, const char *qix, im_diag *d)
{
    static const char *const optional[] = {"prj", "cpg"};
    size_t i;
    im_diag_dep(d, s->path);
    im_diag_dep(d, shx);
    im_diag_dep(d, dbf);
    for (i = 0; i < sizeof optional / sizeof optional[0]; i++) {
        char *p = im_shp_sidecar(base, optional[i]);
        im_diag_dep(d, p);
        free(p);
    }
    im_diag_dep(d, qix);
}

int im_shp_open(const char *path, im_shp **out, im_diag *d)
{
    return im_shp_open_at(path, NULL, out, d);
}

int im_shp_open_at(const char *path, const im_loc *named_at, im_shp **out, im_diag *d)
{
    /* where a missing file is reported: the map file's line that names it */
    const char *at_file = named_at ? named_at->file : NULL;
    int at_line = named_at ? named_at->line : 0, at_col = named_at ? named_at->col : 0;
    im_shp *s = NULL;
    char *base = NULL, *shx = NULL, *dbf = NULL, *qix = NULL;
    char detail[560];
    size_t n = strlen(path);
    struct stat st;
    SAHooks hooks;
    double mn[4], mx[4];
    int i, rc = -1;

    *out = NULL;
    im_shp_hooks(&hooks);
    im_shp_hook_msg[0] = '\0';
    base = malloc(n + 1);
    s = calloc(1, sizeof *s);
    if (!base || !s) {
        im_fail(d, IM_ERR_INTERNAL, path, 0, 0, "out of memory");
        goto done;
    }
    s->cd = (iconv_t)-1;
    memcpy(base, path, n + 1);
    if (im_has_suffix_ci(base, ".shp"))
        base[n - 4] = '\0';

    s->path = im_shp_sidecar(base, "shp");
    if (!s->path) {
        if (strcmp(base, path) == 0 && stat(path, &st) == 0 && named_at)
            im_fail(d, IM_ERR_DATA, at_file, at_line, at_col,
                    "'%s' is not a shapefile (expected a .shp file)", path);
        else if (strcmp(base, path) == 0 && stat(path, &st) == 0)
            im_fail(d, IM_ERR_DATA, path, 0, 0, "not a shapefile (expected a .shp file)");
        else
            im_fail(d, IM_ERR_DATA, at_file, at_line, at_col, "cannot open '%s.shp': %s", base,
                    strerror(errno));
        goto done;
    }
    shx = im_shp_sidecar(base, "shx");
    if (!shx) {
        im_fail(d, IM_ERR_DATA, at_file, at_line, at_col, "cannot open '%s.shx': %s", base,
                strerror(errno));
        goto done;
    }
    dbf = im_shp_sidecar(base, "dbf");
    if (!dbf) {
        im_fail(d, IM_ERR_DATA, at_file, at_line, at_col, "cannot open '%s.dbf': %s", base,
                strerror(errno));
        goto done;
    }
    if (stat(s->path, &st) != 0) {
        im_fail(d, IM_ERR_DATA, at_file, at_line, at_col, "cannot open '%s': %s", s->path,
                strerror(errno));
        goto done;
    }
    s->file_size = (unsigned long)st.st_size;
    /* before shapelib, whose message would only say "unreadable" */
    if (s->file_size < 100) {
        im_fail(d, IM_ERR_DATA, s->path, 0, 0, "%s: %lu bytes, shorter than the 100-byte header",
                s->file_size ? "truncated" : "empty file", s->file_size);
        goto done;
    }

    s->shp = SHPOpenLL(s->path, "rb", &hooks);
    if (!s->shp) {
        im_fail(d, IM_ERR_DATA, s->path, 0, 0, "not a readable shapefile%s",
                im_shp_hook_detail(detail, sizeof detail));
        goto done;
    }
    SHPGetInfo(s->shp, &s->count, &s->shptype, mn, mx);
    s->bounds[0] = mn[0];
    s->bounds[1] = mn[1];
    s->bounds[2] = mx[0];
    s->bounds[3] = mx[1];
    if (im_shp_kind_of(s->shptype, &s->kind) != 0) {
        im_fail(d, IM_ERR_DATA, s->path, 0, 0, "unsupported shape type %s",
                SHPTypeName(s->shptype));
        goto done;
    }
    if (im_shp_check_records(s, d) != 0)
        goto done;

    s->dbf = DBFOpenLL(dbf, "rb", &hooks);
    if (!s->dbf) {
        im_fail(d, IM_ERR_DATA, dbf, 0, 0, "not a readable .dbf file%s",
                stat(dbf, &st) == 0 && st.st_size == 0
                    ? ": empty file"
                    : im_shp_hook_detail(detail, sizeof detail));
        goto done;
    }
    if (stat(dbf, &st) == 0 &&
        (unsigned long)st.st_size < (unsigned long)s->dbf->nHeaderLength +
                                        (unsigned long)s->dbf->nRecords *
                                            (unsigned long)s->dbf->nRecordLength) {
        im_fail(d, IM_ERR_DATA, dbf, 0, 0,
                "truncated: %lu bytes, the header promises %d records of %d bytes",
                (unsigned long)st.st_size, s->dbf->nRecords, s->dbf->nRecordLength);
        goto done;
    }
    if (DBFGetRecordCount(s->dbf) != s->count) {
        im_fail(d, IM_ERR_DATA, s->path, 0, 0,
                "%d shapes, but '%s' has %d records (the files do not belong together)",
                s->count, dbf, DBFGetRecordCount(s->dbf));
        goto done;
    }

    im_shp_choose_encoding(s, base, d);
    s->crs = im_shp_slurp(base, "prj", 64 * 1024);

    s->nfields = DBFGetFieldCount(s->dbf);
    s->field_names = calloc((size_t)(s->nfields > 0 ? s->nfields : 1), sizeof(char *));
    if (!s->field_names) {
        im_fail(d, IM_ERR_INTERNAL, s->path, 0, 0, "out of memory");
        goto done;
    }
    for (i = 0; i < s->nfields; i++) {
        char name[XBASE_FLDNAME_LEN_READ + 1] = "";
        DBFGetFieldInfo(s->dbf, i, name, NULL, NULL);
        s->field_names[i] = strdup(im_shp_to_utf8(s, name, strlen(name)));
        if (!s->field_names[i]) {
            im_fail(d, IM_ERR_INTERNAL, s->path, 0, 0, "out of memory");
            goto done;
        }
    }

    qix = im_shp_sidecar(base, "qix");
    if (qix)
        s->qix = SHPOpenDiskTree(qix, &hooks); /* unreadable: just not used */
    if (d->deps)
        im_shp_note_deps(s, base, shx, dbf, qix, d);

    rc = 0;
done:
    free(base);
    free(shx);
    free(dbf);
    free(qix);
    if (rc != 0) {
        im_shp_close(s);
        return -1;
    }
    *out = s;
    return 0;
}

void im_shp_close(im_shp *s)
{
    int i;
    if (!s)
        return;
    if (s->cur)
        SHPDestroyObject(s->cur);
    if (s->qix)
        SHPCloseDiskTree(s->qix);
    if (s->shp)
        SHPClose(s->shp);
    if (s->dbf)
        DBFClose(s->dbf);
    if (s->cd != (iconv_t)-1)
        iconv_close(s->cd);
    for (i = 0; s->field_names && i < s->nfields; i++)
        free(s->field_names[i]);
    free(s->field_names);
    free(s->attr);
    free(s->crs);
    free(s->path);
    free(s);
}

/* ---- accessors ---- */

im_geom_kind im_shp_kind(const im_shp *s)
{
    return s->kind;
}

int im_shp_count(const im_shp *s)
{
    return s->count;
}

void im_shp_bounds(const im_shp *s, double bbox[4])
{
    memcpy(bbox, s->bounds, sizeof s->bounds);
}

const char *im_shp_path(const im_shp *s)
{
    return s->path;
}

const char *im_shp_crs(const im_shp *s)
{
    return s->crs;
}

int im_shp_nfields(const im_shp *s)
{
    return s->nfields;
}

const char *im_shp_encoding_name(const im_shp *s)
{
    return s->enc_name;
}

const char *im_shp_type_name(const im_shp *s)
{
    switch (s->shptype) {
    case SHPT_POINT:
        return "Point";
    case SHPT_POINTZ:
        return "3D Point";
    case SHPT_POINTM:
        return "Measured Point";
    case SHPT_MULTIPOINT:
        return "Multi Point";
    case SHPT_MULTIPOINTZ:
        return "3D Multi Point";
    case SHPT_MULTIPOINTM:
        return "Measured Multi Point";
    case SHPT_ARC:
        return "Line String";
    case SHPT_ARCZ:
        return "3D Line String";
    case SHPT_ARCM:
        return "Measured Line String";
    case SHPT_POLYGON:
        return "Polygon";
    case SHPT_POLYGONZ:
        return "3D Polygon";
    case SHPT_POLYGONM:
        return "Measured Polygon";
    case SHPT_NULL:
        return "None";
    default:
        return "Unknown";
    }
}

char im_shp_field_type(const im_shp *s, int field, int *width, int *decimals)
{
    char name[XBASE_FLDNAME_LEN_READ + 1];
    int w = 0, dec = 0;
    if (field < 0 || field >= s->nfields) {
        *width = *decimals = 0;
        return '\0';
    }
    DBFGetFieldInfo(s->dbf, field, name, &w, &dec);
    *width = w;
    *decimals = dec;
    return DBFGetNativeFieldType(s->dbf, field);
}

const char *im_shp_field_name(const im_shp *s, int field)
{
    return field >= 0 && field < s->nfields ? s->field_names[field] : "";
}

int im_shp_field_index(const im_shp *s, const char *name)
{
    int i;
    for (i = 0; i < s->nfields; i++) {
        if (im_streq_ci(s->field_names[i], name))
            return i;
    }
    return -1;
}

const char *im_shp_attr(im_shp *s, int rec, int field)
{
    const char *v;
    if (rec < 0 || rec >= s->count || field < 0 || field >= s->nfields)
        return "";
    if (DBFIsAttributeNULL(s->dbf, rec, field))
        return "";
    v = DBFReadStringAttribute(s->dbf, rec, field);
    if (!v)
        return "";
    return im_shp_to_utf8(s, v, strlen(v));
}

/* ---- shapes ---- */

static const int im_shp_part0 = 0;

/* 10 million km: beyond every coordinate system of the Earth, in any unit */
#define IM_SHP_MAX_COORD 1e10

int im_shp_bad_text(const im_shp *s)
{
    return s->nbad_text;
}

void im_shp_warn_bad_text(const im_shp *s, im_diag *d)
{
    if (s->nbad_text > 0)
        im_warn(d, s->path, 0, 0,
                "%d attribute value%s not valid %s; shown with U+FFFD (fix the .cpg or "
                "the data)", s->nbad_text, s->nbad_text == 1 ? " is" : "s are", s->enc_name);
}

int im_shp_read(im_shp *s, int rec, im_shape *out, im_diag *d)
{
    SHPObject *o;
    char detail[560];
    int i, nparts;

    memset(out, 0, sizeof *out);
    out->record = rec;
    if (rec < 0 || rec >= s->count)
        return im_fail(d, IM_ERR_INTERNAL, s->path, 0, 0,
                       "record %d does not exist (%d records)", rec, s->count);
    if (s->cur) {
        SHPDestroyObject(s->cur);
        s->cur = NULL;
    }
    im_shp_hook_msg[0] = '\0';
    o = SHPReadObject(s->shp, rec);
    if (!o)
        return im_fail(d, IM_ERR_DATA, s->path, 0, 0, "record %d: corrupt shape%s", rec,
                       im_shp_hook_detail(detail, sizeof detail));
    s->cur = o;
    if (o->nSHPType == SHPT_NULL || o->nVertices <= 0) {
        out->kind = IM_GEOM_NULL;
        return 0;
    }
    if (im_shp_kind_of(o->nSHPType, &out->kind) != 0 || !o->padfX || !o->padfY)
        return im_fail(d, IM_ERR_DATA, s->path, 0, 0,
                       "record %d: corrupt shape (type %d)", rec, o->nSHPType);
    nparts = out->kind == IM_GEOM_POINT || o->nParts <= 0 ? 1 : o->nParts;
    out->part_start = nparts == 1 && (out->kind == IM_GEOM_POINT || o->nParts <= 0)
                          ? &im_shp_part0
                          : o->panPartStart;
    for (i = 0; i < nparts; i++) {
        int p = out->part_start[i];
        if (p < 0 || p >= o->nVertices || (i > 0 && p < out->part_start[i - 1]) ||
            (i == 0 && p != 0))
            return im_fail(d, IM_ERR_DATA, s->path, 0, 0,
                           "record %d: corrupt shape (part %d starts at vertex %d of %d)",
                           rec, i, p, o->nVertices);
    }
    for (i = 0; i < o->nVertices; i++) {
        /* NaN, infinities and values no coordinate system reaches (1e300)
         * would poison bounds and projections: the shape is skipped */
        if (!(fabs(o->padfX[i]) <= IM_SHP_MAX_COORD && fabs(o->padfY[i]) <= IM_SHP_MAX_COORD)) {
            if (s->nbad_coords++ == 0)
                im_warn(d, s->path, 0, 0,
                        "record %d: vertex %d has coordinates (%g, %g) that are no position; "
                        "shapes with such coordinates are skipped", rec, i, o->padfX[i],
                        o->padfY[i]);
            out->kind = IM_GEOM_NULL;
            return 0;
        }
    }
    if (out->kind == IM_GEOM_POLYGON && s->nopen_rings == 0) {
        for (i = 0; i < nparts; i++) {
            int first = out->part_start[i];
            int last = (i + 1 < nparts ? out->part_start[i + 1] : o->nVertices) - 1;
            if (o->padfX[first] != o->padfX[last] || o->padfY[first] != o->padfY[last]) {
                /* drawn closed all the same, as every GIS does */
                s->nopen_rings++;
                im_warn(d, s->path, 0, 0,
                        "record %d: ring %d does not close (its last vertex is not its first); "
                        "rings are drawn closed", rec, i);
                break;
            }
        }
    }
    out->nparts = nparts;
    out->npoints = o->nVertices;
    out->x = o->padfX;
    out->y = o->padfY;
    out->bbox[0] = o->dfXMin;
    out->bbox[1] = o->dfYMin;
    out->bbox[2] = o->dfXMax;
    out->bbox[3] = o->dfYMax;
    return 0;
}

static int im_shp_overlaps(const double a[4], const double *box)
{
    /* written so that NaN bounds count as overlapping: read, then judged */
    return !(a[2] < box[0] || a[0] > box[2] || a[3] < box[1] || a[1] > box[3]);
}

static double im_shp_le_double(const unsigned char *p)
{
    uint64_t u = 0;
    double v;
    int i;
    for (i = 7; i >= 0; i--)
        u = (u << 8) | p[i];
    memcpy(&v, &u, sizeof v);
    return v;
}

/* Read the shape type and stored bounds of record REC without its
 * vertices.  Returns 1 if it may overlap BOX, 0 if it cannot (null shape
 * or disjoint bounds), -1 on a read error. */
static int im_shp_record_may_overlap(im_shp *s, int rec, const double *box, im_diag *d)
{
    unsigned char h[36];
    SHPHandle sh = s->shp;
    size_t want = sh->panRecSize[rec] < sizeof h ? sh->panRecSize[rec] : sizeof h;
    double b[4];
    int type;
    /* offset and size were checked against the file size at open */
    if (want < 4)
        return 1; /* too short to say: the full read will complain */
    if (sh->sHooks.FSeek(sh->fpSHP, (SAOffset)sh->panRecOffset[rec] + 8, SEEK_SET) != 0 ||
        sh->sHooks.FRead(h, 1, want, sh->fpSHP) != want)
        return im_fail(d, IM_ERR_DATA, s->path, 0, 0, "record %d: cannot read", rec);
    type = (int)((uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 |
                 (uint32_t)h[3] << 24);
    if (type == SHPT_NULL)
        return 0;
    if (want < sizeof h)
        return 1;
    b[0] = im_shp_le_double(h + 4);
    b[1] = im_shp_le_double(h + 12);
    b[2] = im_shp_le_double(h + 20);
    b[3] = im_shp_le_double(h + 28);
    return im_shp_overlaps(b, box);
}

static int im_shp_cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int im_shp_query(im_shp *s, const double *box, im_shp_visit_fn visit, void *user,
                 im_diag *d)
{
    int *ids = NULL, nids = 0, use_ids = 0, k, n, prev = -1, rc = 0;
    int has_bounds = !(s->shptype == SHPT_POINT || s->shptype == SHPT_POINTZ ||
                       s->shptype == SHPT_POINTM);

    if (box && s->qix) {
        double mn[4] = {box[0], box[1], -1e300, -1e300};
        double mx[4] = {box[2], box[3], 1e300, 1e300};
        ids = SHPSearchDiskTreeEx(s->qix, mn, mx, &nids);
        if (ids || nids == 0) {
            use_ids = 1;
            if (nids > 1)
                qsort(ids, (size_t)nids, sizeof *ids, im_shp_cmp_int);
        }
    }
    n = use_ids ? nids : s->count;
    for (k = 0; k < n; k++) {
        im_shape shape;
        int rec = use_ids ? ids[k] : k;
        if (rec < 0 || rec >= s->count || rec == prev)
            continue; /* an index that disagrees with the file, or a repeat */
        prev = rec;
        if (box && has_bounds) {
            int may = im_shp_record_may_overlap(s, rec, box, d);
            if (may < 0) {
                rc = -1;
                break;
            }
            if (!may)
                continue;
        }
        if (im_shp_read(s, rec, &shape, d) != 0) {
            rc = -1;
            break;
        }
        if (shape.kind == IM_GEOM_NULL)
            continue;
        if (box && !im_shp_overlaps(shape.bbox, box))
            continue;
        rc = visit(user, &shape);
        if (rc != 0)
            break;
    }
    free(ids);
    return rc;
}
