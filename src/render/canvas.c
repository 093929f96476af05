/* Output surfaces (PNG, SVG, PDF) and their atomic writing: a temporary
 * file beside the destination, fsync, then rename. */
#include "render/canvas_priv.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/tempfile.h"

static cairo_status_t im_canvas_put(im_canvas *c, const unsigned char *data, size_t len)
{
    if (len && fwrite(data, 1, len, c->fp) != len) {
        c->stream_error = errno ? errno : EIO;
        return CAIRO_STATUS_WRITE_ERROR;
    }
    return CAIRO_STATUS_SUCCESS;
}

/* Cairo's output, passed straight on.  An SVG's accessible title and
 * description go in as it streams by: right after the end of the root
 * "<svg ...>" tag, found by a small state machine (attribute values in
 * Cairo's tag hold no '>'), so the document is never held in memory. */
static cairo_status_t im_canvas_write(void *closure, const unsigned char *data, unsigned int len)
{
    im_canvas *c = closure;
    static const char open_tag[] = "<svg";
    size_t i;
    if (!c->svg_head || c->svg_state == 5)
        return im_canvas_put(c, data, len);
    for (i = 0; i < len; i++) {
        if (c->svg_state < 4) {
            c->svg_state = data[i] == (unsigned char)open_tag[c->svg_state] ? c->svg_state + 1
                           : data[i] == '<'                                 ? 1
                                                                            : 0;
        } else if (data[i] == '>') {
            cairo_status_t st = im_canvas_put(c, data, i + 1);
            if (st == CAIRO_STATUS_SUCCESS)
                st = im_canvas_put(c, (const unsigned char *)c->svg_head, strlen(c->svg_head));
            c->svg_state = 5;
            return st == CAIRO_STATUS_SUCCESS ? im_canvas_put(c, data + i + 1, len - i - 1) : st;
        }
    }
    return im_canvas_put(c, data, len);
}

/* TEXT with XML's special characters escaped, appended to BUF at *N. */
static void im_xml_append(char *buf, size_t *n, const char *text)
{
    for (; *text; text++) {
        const char *e = *text == '<' ? "&lt;" : *text == '>' ? "&gt;" : *text == '&' ? "&amp;" : NULL;
        if (e) {
            memcpy(buf + *n, e, strlen(e));
            *n += strlen(e);
        } else {
            buf[(*n)++] = *text;
        }
    }
}

int im_canvas_set_svg_text(im_canvas *c, const char *title, const char *desc)
{
    size_t n = 0, cap;
    if (c->opts.format != IM_FORMAT_SVG || (!title && !desc))
        return 0;
    cap = 64 + 5 * ((title ? strlen(title) : 0) + (desc ? strlen(desc) : 0));
    free(c->svg_head);
    c->svg_head = malloc(cap);
    if (!c->svg_head)
        return -1;
    if (title) {
        memcpy(c->svg_head + n, "\n<title>", 8);
        n += 8;
        im_xml_append(c->svg_head, &n, title);
        memcpy(c->svg_head + n, "</title>", 8);
        n += 8;
    }
    if (desc) {
        memcpy(c->svg_head + n, "\n<desc>", 7);
        n += 7;
        im_xml_append(c->svg_head, &n, desc);
        memcpy(c->svg_head + n, "</desc>", 7);
        n += 7;
    }
    c->svg_head[n] = '\0';
    return 0;
}

void im_canvas_set_source(cairo_t *cr, im_rgba c)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

static int im_canvas_open_temp(im_canvas *c, const char *out_path, im_diag *d)
{
    const char *slash = strrchr(out_path, '/');
    size_t dirlen = slash ? (size_t)(slash - out_path) + 1 : 0;
    const char *base = slash ? slash + 1 : out_path;
    int fd;
    c->tmp_path = malloc(strlen(out_path) + 16);
    c->out_path = strdup(out_path);
    if (!c->tmp_path || !c->out_path)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    memcpy(c->tmp_path, out_path, dirlen);
    sprintf(c->tmp_path + dirlen, ".%s.XXXXXX", base);
    fd = im_tempfile_create(c->tmp_path, &c->tmp_handle);
    if (fd < 0) {
        int e = errno;
        free(c->tmp_path);
        c->tmp_path = NULL;
        return im_fail(d, IM_ERR_IO, out_path, 0, 0, "cannot write: %s", strerror(e));
    }
    /* mkstemp makes 0600 files; give the map the usual permissions */
    {
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    c->fp = fdopen(fd, "wb");
    if (!c->fp) {
        close(fd);
        return im_fail(d, IM_ERR_IO, out_path, 0, 0, "cannot write: %s", strerror(errno));
    }
    return 0;
}

/* The font map of the last canvas freed, kept for the next one: a new
 * map matches and loads every font again through fontconfig, a large
 * part of a small map's render.  Its settings are all on the Pango
 * context, made per canvas, so text is laid out as with a new map.  Taken
 * and given back with an atomic exchange (threads never share it), and
 * never used by a process other than the one that made it. */
static _Atomic(PangoFontMap *) im_spare_fontmap;
static _Atomic(pid_t) im_spare_fontmap_pid;

static PangoFontMap *im_canvas_fontmap(void)
{
    PangoFontMap *fm = NULL;
    if (atomic_load(&im_spare_fontmap_pid) == getpid())
        fm = atomic_exchange(&im_spare_fontmap, NULL);
    return fm ? fm : pango_cairo_font_map_new();
}

static void im_canvas_fontmap_done(PangoFontMap *fm)
{
    pid_t me = getpid();
    if (atomic_exchange(&im_spare_fontmap_pid, me) != me)
        atomic_store(&im_spare_fontmap, NULL); /* a parent's: not ours to free */
    fm = atomic_exchange(&im_spare_fontmap, fm);
    if (fm)
        g_object_unref(fm);
}

int im_canvas_create(const char *out_path, const im_canvas_opts *o, im_canvas **out, im_diag *d)
{
    im_canvas *c = calloc(1, sizeof *c);
    cairo_font_options_t *fo;
    *out = NULL;
    if (!c)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    c->opts = *o;
    if (im_canvas_open_temp(c, out_path, d) != 0) {
        im_canvas_free(c);
        return -1;
    }
    c->width = o->width_px * 96.0 / o->dpi;
    c->height = o->height_px * 96.0 / o->dpi;
    if (o->format != IM_FORMAT_PNG && o->page_w_pt > 0 && o->page_h_pt > 0) {
        /* a page in mm or inches is exactly that size in SVG and PDF */
        c->width = o->page_w_pt / 0.75;
        c->height = o->page_h_pt / 0.75;
    }
    switch (o->format) {
    case IM_FORMAT_PNG:
        c->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, o->width_px, o->height_px);
        c->scale = o->dpi / 96.0;
        break;
    case IM_FORMAT_SVG:
        c->surface = cairo_svg_surface_create_for_stream(im_canvas_write, c, c->width * 0.75,
                                                         c->height * 0.75);
        if (cairo_surface_status(c->surface) == CAIRO_STATUS_SUCCESS) {
            cairo_svg_surface_restrict_to_version(c->surface, CAIRO_SVG_VERSION_1_1);
            cairo_svg_surface_set_document_unit(c->surface, CAIRO_SVG_UNIT_PT);
        }
        c->scale = 0.75;
        break;
    case IM_FORMAT_PDF:
        c->surface = cairo_pdf_surface_create_for_stream(im_canvas_write, c, c->width * 0.75,
                                                         c->height * 0.75);
        if (cairo_surface_status(c->surface) == CAIRO_STATUS_SUCCESS) {
            /* a fixed date keeps reruns byte-identical */
            cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                           "2000-01-01T00:00:00Z");
            cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_CREATOR,
                                           "incimap " INCIMAP_VERSION);
            if (o->title)
                cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_TITLE, o->title);
            if (o->subject)
                cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_SUBJECT, o->subject);
            if (o->author)
                cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_AUTHOR, o->author);
            if (o->keywords)
                cairo_pdf_surface_set_metadata(c->surface, CAIRO_PDF_METADATA_KEYWORDS, o->keywords);
            /* PDF 1.5, the newest that pdfTeX includes without a warning */
            cairo_pdf_surface_restrict_to_version(c->surface, CAIRO_PDF_VERSION_1_5);
        }
        c->scale = 0.75;
        break;
    default:
        im_canvas_free(c);
        return im_fail(d, IM_ERR_USAGE, out_path, 0, 0, "unknown output format");
    }
    if (cairo_surface_status(c->surface) != CAIRO_STATUS_SUCCESS) {
        im_fail(d, IM_ERR_IO, out_path, 0, 0, "cannot create the %dx%d surface: %s", o->width_px,
                o->height_px, cairo_status_to_string(cairo_surface_status(c->surface)));
        im_canvas_free(c);
        return -1;
    }
    c->cr = cairo_create(c->surface);
    cairo_scale(c->cr, c->scale, c->scale);
    cairo_set_line_join(c->cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(c->cr, CAIRO_LINE_CAP_ROUND);

    /* Our own font map, unhinted metrics: text is laid out the same in
     * every format, and the layout does not depend on a shared cache. */
    c->fontmap = im_canvas_fontmap();
    c->pango = pango_font_map_create_context(c->fontmap);
    pango_cairo_context_set_resolution(c->pango, 96.0);
    /* exact glyph positions: rounding each advance to a whole CSS px
     * drifts small text apart, and PDF text extraction then sees gaps
     * inside words (worst in joined Arabic script) */
    pango_context_set_round_glyph_positions(c->pango, FALSE);
    fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(c->pango, fo);
    cairo_font_options_destroy(fo);
    *out = c;
    return 0;
}

double im_canvas_width(const im_canvas *c)
{
    return c->width;
}

double im_canvas_height(const im_canvas *c)
{
    return c->height;
}

const char *im_canvas_path(const im_canvas *c)
{
    return c->out_path;
}

double im_canvas_device_scale(const im_canvas *c)
{
    return c->scale;
}

int im_canvas_finish(im_canvas *c, im_diag *d)
{
    cairo_status_t st;
    cairo_surface_flush(c->surface);
    if (c->opts.format == IM_FORMAT_PNG && c->opts.palette_colors > 0) {
        if (im_png_write_palette(c->surface, c->opts.dpi, c->opts.palette_colors, c->fp,
                                 c->out_path, d) != 0)
            return -1;
    } else if (c->opts.format == IM_FORMAT_PNG) {
        if (im_png_write(c->surface, c->opts.dpi, c->fp, c->out_path, d) != 0)
            return -1;
    } else {
        cairo_surface_finish(c->surface);
    }
    st = cairo_surface_status(c->surface);
    if (st != CAIRO_STATUS_SUCCESS || c->stream_error)
        return im_fail(d, IM_ERR_IO, c->out_path, 0, 0, "cannot write: %s",
                       c->stream_error ? strerror(c->stream_error) : cairo_status_to_string(st));
    if (fflush(c->fp) != 0 || fsync(fileno(c->fp)) != 0)
        return im_fail(d, IM_ERR_IO, c->out_path, 0, 0, "cannot write: %s", strerror(errno));
    if (fclose(c->fp) != 0) {
        c->fp = NULL;
        return im_fail(d, IM_ERR_IO, c->out_path, 0, 0, "cannot write: %s", strerror(errno));
    }
    c->fp = NULL;
    return 0;
}

int im_canvas_publish(im_canvas *c, im_diag *d)
{
    if (rename(c->tmp_path, c->out_path) != 0)
        return im_fail(d, IM_ERR_IO, c->out_path, 0, 0, "cannot rename the finished map into place: %s",
                       strerror(errno));
    c->committed = 1;
    im_tempfile_untrack(c->tmp_handle);
    c->tmp_handle = 0;
    return 0;
}

int im_canvas_commit(im_canvas *c, im_diag *d)
{
    return im_canvas_finish(c, d) != 0 ? -1 : im_canvas_publish(c, d);
}

void im_canvas_free(im_canvas *c)
{
    if (!c)
        return;
    if (c->fonts)
        g_ptr_array_free(c->fonts, TRUE);
    if (c->pango)
        g_object_unref(c->pango);
    if (c->fontmap)
        im_canvas_fontmap_done(c->fontmap);
    if (c->cr)
        cairo_destroy(c->cr);
    if (c->surface) {
        /* finishing an unfinished vector surface writes to fp, which is
         * about to be removed anyway */
        cairo_surface_finish(c->surface);
        cairo_surface_destroy(c->surface);
    }
    if (c->fp)
        fclose(c->fp);
    if (c->tmp_path && !c->committed)
        unlink(c->tmp_path);
    im_tempfile_untrack(c->tmp_handle);
    free(c->tmp_path);
    free(c->out_path);
    free(c->svg_head);
    free(c->sx);
    free(c->sy);
    free(c);
}

void im_canvas_clip(im_canvas *c, const double *rect4)
{
    cairo_reset_clip(c->cr);
    c->has_clip = rect4 != NULL;
    if (rect4) {
        memcpy(c->clip, rect4, sizeof c->clip);
        cairo_rectangle(c->cr, rect4[0], rect4[1], rect4[2], rect4[3]);
        cairo_clip(c->cr);
    }
}
