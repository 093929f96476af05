/* YAML text -> im_ynode tree, through libyaml's event API.
 *
 * Owns everything YAML-specific: reading the map file (size and file-type
 * checks), turning libyaml errors into file:line:col messages, anchors and
 * aliases (shared, with an expansion budget against "billion laughs"),
 * merge keys and duplicate-key detection. */
#include "spec/yaml_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

/* Maps with more keys than this are checked for duplicates with a hash set
 * when they end rather than by a linear scan as each key arrives. */
#define IM_YAML_LINEAR_KEYS 64
/* Deeper nesting than this is no map file; refuse it early. */
#define IM_YAML_MAX_DEPTH 200

/* ---- small string set (open addressing), for duplicate keys and merges */

typedef struct kset {
    const char **slot;
    size_t cap; /* power of two */
} kset;

static int kset_init(kset *s, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n + 1)
        cap *= 2;
    s->slot = calloc(cap, sizeof *s->slot);
    s->cap = cap;
    return s->slot ? 0 : -1;
}

static void kset_free(kset *s)
{
    free(s->slot);
    s->slot = NULL;
}

/* Adds KEY; returns 1 if it was already there, 0 if added. */
static int kset_add(kset *s, const char *key)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    const unsigned char *p;
    size_t i;
    for (p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    for (i = (size_t)h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (!s->slot[i]) {
            s->slot[i] = key;
            return 0;
        }
        if (strcmp(s->slot[i], key) == 0)
            return 1;
    }
}

/* ---- public node helpers */

int im_ynode_is_null(const im_ynode *n)
{
    if (!n || n->kind != IM_YNODE_SCALAR || !n->plain)
        return 0;
    return n->len == 0 || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
           strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0;
}

im_ypair *im_ymap_pair(const im_ynode *map, const char *key)
{
    int i;
    if (!map || map->kind != IM_YNODE_MAP)
        return NULL;
    for (i = 0; i < map->npairs; i++)
        if (strcmp(map->pairs[i].key->str, key) == 0)
            return &map->pairs[i];
    return NULL;
}

im_ynode *im_ymap_get(const im_ynode *map, const char *key)
{
    im_ypair *p = im_ymap_pair(map, key);
    return p ? p->value : NULL;
}

const char *im_ynode_kind_name(const im_ynode *n)
{
    if (!n || im_ynode_is_null(n))
        return "nothing";
    switch (n->kind) {
    case IM_YNODE_SEQ:
        return "a list";
    case IM_YNODE_MAP:
        return "a mapping";
    default:
        return "a text";
    }
}

im_ynode *im_ynode_new(im_arena *a, im_ynode_kind kind)
{
    im_ynode *n = im_arena_alloc(a, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->weight = 1;
    if (kind == IM_YNODE_SCALAR) {
        n->str = "";
        n->plain = 1;
    }
    return n;
}

im_ynode *im_ynode_clone(im_arena *a, const im_ynode *n)
{
    im_ynode *c = im_arena_alloc(a, sizeof *c);
    if (!c)
        return NULL;
    *c = *n;
    if (n->nitems) {
        c->items = im_arena_grow(a, n->items, (size_t)n->nitems, (size_t)n->nitems, sizeof *c->items);
        if (!c->items)
            return NULL;
    }
    if (n->npairs) {
        c->pairs = im_arena_grow(a, n->pairs, (size_t)n->npairs, (size_t)n->npairs, sizeof *c->pairs);
        if (!c->pairs)
            return NULL;
    }
    return c;
}

int im_ymap_append(im_arena *a, im_ynode *map, im_ynode *key, im_ynode *value)
{
    im_ypair *p = im_arena_grow(a, map->pairs, (size_t)map->npairs, (size_t)map->npairs + 1,
                                sizeof *p);
    if (!p)
        return -1;
    p[map->npairs].key = key;
    p[map->npairs].value = value;
    map->pairs = p;
    map->npairs++;
    return 0;
}

void im_ymap_remove(im_ynode *map, const char *key)
{
    im_ypair *p = im_ymap_pair(map, key);
    if (!p)
        return;
    memmove(p, p + 1, (size_t)(map->npairs - (p - map->pairs) - 1) * sizeof *p);
    map->npairs--;
}

/* ---- the builder */

typedef struct frame {
    im_ynode *node;      /* the open sequence or mapping */
    const char *anchor;  /* its anchor, registered when it ends */
    im_ynode *key;       /* mapping: key waiting for its value */
    int key_line, key_col;
    int cap;             /* room in node->items / node->pairs */
    int has_merge;       /* mapping has a "<<" key */
} frame;

typedef struct anchor {
    const char *name;
    im_ynode *node;
} anchor;

typedef struct builder {
    im_arena *a;
    const im_yaml_src *src;
    im_diag *d;
    const char *text;     /* the input, for error positions and hints */
    size_t len;
    frame *stack;         /* malloc'd */
    int depth, cap;
    anchor *anchors;      /* in the arena */
    int nanchors, anchors_cap;
    size_t total;         /* nodes so far, aliases expanded */
    int aliases;          /* aliases seen */
    int ndocs;
    im_ynode *root;
} builder;

static int bfail(builder *b, int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int bfail(builder *b, int line, int col, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (b->src->no_position)
        line = col = 0;
    return im_fail(b->d, b->src->status, b->src->file, line, col, "%s%s",
                   b->src->prefix ? b->src->prefix : "", msg);
}

static int boom(builder *b)
{
    return im_fail(b->d, IM_ERR_INTERNAL, b->src->file, 0, 0, "out of memory");
}

/* Count N more nodes against the budget. */
static int count(builder *b, size_t n, int line, int col)
{
    b->total += n;
    if (b->total <= IM_YAML_MAX_NODES)
        return 0;
    if (b->aliases)
        return bfail(b, line, col, "alias expansion too large (billion laughs?)");
    return bfail(b, line, col, "too many YAML nodes (more than %d)", IM_YAML_MAX_NODES);
}

static int add_anchor(builder *b, const char *name, im_ynode *n)
{
    if (!name)
        return 0;
    if (b->nanchors == b->anchors_cap) {
        int cap = b->anchors_cap ? 2 * b->anchors_cap : 16;
        anchor *p = im_arena_grow(b->a, b->anchors, (size_t)b->nanchors, (size_t)cap, sizeof *p);
        if (!p)
            return boom(b);
        b->anchors = p;
        b->anchors_cap = cap;
    }
    b->anchors[b->nanchors].name = name;
    b->anchors[b->nanchors].node = n;
    b->nanchors++;
    return 0;
}

static im_ynode *find_anchor(const builder *b, const char *name)
{
    int i;
    for (i = b->nanchors - 1; i >= 0; i--) /* a redefined anchor wins */
        if (strcmp(b->anchors[i].name, name) == 0)
            return b->anchors[i].node;
    return NULL;
}

static int dup_key_linear(builder *b, const frame *f, const im_ynode *key, int line, int col)
{
    int i;
    const im_ynode *m = f->node;
    for (i = 0; i < m->npairs; i++)
        if (strcmp(m->pairs[i].key->str, key->str) == 0)
            return bfail(b, line, col, "duplicate key '%s' (first given at line %d)", key->str,
                         m->pairs[i].key->line);
    return 0;
}

/* Hang node N (which starts at LINE:COL) into the open container, or make
 * it the document's root. */
static int attach(builder *b, im_ynode *n, int line, int col)
{
    frame *f;
    im_ynode *c;
    if (b->depth == 0) {
        b->root = n;
        return 0;
    }
    f = &b->stack[b->depth - 1];
    c = f->node;
    if (c->kind == IM_YNODE_SEQ) {
        if (c->nitems == f->cap) {
            int cap = f->cap ? 2 * f->cap : 8;
            im_ynode **p = im_arena_grow(b->a, c->items, (size_t)c->nitems, (size_t)cap, sizeof *p);
            if (!p)
                return boom(b);
            c->items = p;
            f->cap = cap;
        }
        c->items[c->nitems++] = n;
        return 0;
    }
    if (!f->key) {
        if (n->kind != IM_YNODE_SCALAR)
            return bfail(b, line, col, "a mapping key must be text, not %s", im_ynode_kind_name(n));
        if (c->npairs < IM_YAML_LINEAR_KEYS && dup_key_linear(b, f, n, line, col))
            return -1;
        if (n->plain && strcmp(n->str, "<<") == 0)
            f->has_merge = 1;
        f->key = n;
        f->key_line = line;
        f->key_col = col;
        return 0;
    }
    if (c->npairs == f->cap) {
        int cap = f->cap ? 2 * f->cap : 8;
        im_ypair *p = im_arena_grow(b->a, c->pairs, (size_t)c->npairs, (size_t)cap, sizeof *p);
        if (!p)
            return boom(b);
        c->pairs = p;
        f->cap = cap;
    }
    c->pairs[c->npairs].key = f->key;
    c->pairs[c->npairs].value = n;
    c->npairs++;
    f->key = NULL;
    return 0;
}

/* Big mappings: find the first duplicate key in document order. */
static int dup_key_hashed(builder *b, const im_ynode *m)
{
    kset s;
    int i, rc = 0;
    if (kset_init(&s, (size_t)m->npairs))
        return boom(b);
    for (i = 0; i < m->npairs && !rc; i++)
        if (kset_add(&s, m->pairs[i].key->str))
            rc = bfail(b, m->pairs[i].key->line, m->pairs[i].key->col, "duplicate key '%s'",
                       m->pairs[i].key->str);
    kset_free(&s);
    return rc;
}

static void merge_from(kset *seen, im_ypair *out, int *nout, const im_ynode *src)
{
    int i;
    for (i = 0; i < src->npairs; i++)
        if (!kset_add(seen, src->pairs[i].key->str))
            out[(*nout)++] = src->pairs[i];
}

/* YAML 1.1 merge keys: `<<: *base` or `<<: [*a, *b]` adds the keys of the
 * given mappings that the mapping does not set itself (earlier sources win). */
static int apply_merges(builder *b, im_ynode *m)
{
    kset seen;
    im_ypair *out;
    size_t room = (size_t)m->npairs;
    int i, j, nout = 0;
    for (i = 0; i < m->npairs; i++) {
        const im_ynode *v = m->pairs[i].value;
        if (!(m->pairs[i].key->plain && strcmp(m->pairs[i].key->str, "<<") == 0))
            continue;
        if (v->kind == IM_YNODE_MAP) {
            room += (size_t)v->npairs;
            continue;
        }
        if (v->kind != IM_YNODE_SEQ)
            return bfail(b, v->line, v->col,
                         "the merge key '<<' needs a mapping or a list of mappings, got %s",
                         im_ynode_kind_name(v));
        for (j = 0; j < v->nitems; j++) {
            if (v->items[j]->kind != IM_YNODE_MAP)
                return bfail(b, v->items[j]->line, v->items[j]->col,
                             "the merge key '<<' needs a mapping or a list of mappings, got %s",
                             im_ynode_kind_name(v->items[j]));
            room += (size_t)v->items[j]->npairs;
        }
    }
    out = im_arena_alloc(b->a, room * sizeof *out);
    if (!out || kset_init(&seen, room))
        return boom(b);
    for (i = 0; i < m->npairs; i++) {
        if (m->pairs[i].key->plain && strcmp(m->pairs[i].key->str, "<<") == 0)
            continue;
        kset_add(&seen, m->pairs[i].key->str);
        out[nout++] = m->pairs[i];
    }
    for (i = 0; i < m->npairs; i++) {
        const im_ynode *v = m->pairs[i].value;
        if (!(m->pairs[i].key->plain && strcmp(m->pairs[i].key->str, "<<") == 0))
            continue;
        if (v->kind == IM_YNODE_MAP)
            merge_from(&seen, out, &nout, v);
        else
            for (j = 0; j < v->nitems; j++)
                merge_from(&seen, out, &nout, v->items[j]);
    }
    kset_free(&seen);
    m->pairs = out;
    m->npairs = nout;
    return 0;
}

static int push(builder *b, im_ynode *n, const char *anchor_name, int line, int col)
{
    if (b->depth >= IM_YAML_MAX_DEPTH)
        return bfail(b, line, col, "nesting too deep (more than %d levels)", IM_YAML_MAX_DEPTH);
    if (b->depth == b->cap) {
        int cap = b->cap ? 2 * b->cap : 16;
        frame *p = realloc(b->stack, (size_t)cap * sizeof *p);
        if (!p)
            return boom(b);
        b->stack = p;
        b->cap = cap;
    }
    memset(&b->stack[b->depth], 0, sizeof b->stack[b->depth]);
    b->stack[b->depth].node = n;
    b->stack[b->depth].anchor = anchor_name;
    b->depth++;
    return 0;
}

static int pop(builder *b)
{
    frame f = b->stack[--b->depth];
    im_ynode *n = f.node;
    size_t w = 1;
    int i;
    if (n->kind == IM_YNODE_SEQ) {
        for (i = 0; i < n->nitems; i++)
            w += n->items[i]->weight;
    } else {
        for (i = 0; i < n->npairs; i++)
            w += n->pairs[i].key->weight + n->pairs[i].value->weight;
        if (n->npairs >= IM_YAML_LINEAR_KEYS && dup_key_hashed(b, n))
            return -1;
        if (f.has_merge && apply_merges(b, n))
            return -1;
    }
    n->weight = w;
    if (add_anchor(b, f.anchor, n))
        return -1;
    return attach(b, n, n->line, n->col);
}

static const char *copy_anchor(builder *b, const yaml_char_t *s)
{
    return s ? im_arena_strdup(b->a, (const char *)s) : NULL;
}

/* A mapping or sequence cannot be a key: we only take text keys. */
static int check_not_key(builder *b, const char *what, int line, int col)
{
    if (b->depth > 0 && b->stack[b->depth - 1].node->kind == IM_YNODE_MAP &&
        !b->stack[b->depth - 1].key)
        return bfail(b, line, col, "a mapping key must be text, not %s", what);
    return 0;
}

static int on_event(builder *b, const yaml_event_t *ev, int *done)
{
    int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
    im_ynode *n;
    const char *anc;
    switch (ev->type) {
    case YAML_STREAM_END_EVENT:
        *done = 1;
        return 0;
    case YAML_DOCUMENT_START_EVENT:
        if (b->ndocs++ > 0)
            return bfail(b, line, col, "only one YAML document is allowed (found a second '---')");
        return 0;
    case YAML_ALIAS_EVENT:
        n = find_anchor(b, (const char *)ev->data.alias.anchor);
        if (!n)
            return bfail(b, line, col, "unknown alias '*%s' (an anchor '&%s' must come before it)",
                         (const char *)ev->data.alias.anchor,
                         (const char *)ev->data.alias.anchor);
        b->aliases++;
        if (count(b, n->weight, line, col))
            return -1;
        return attach(b, n, line, col);
    case YAML_SCALAR_EVENT: {
        char *s;
        if (count(b, 1, line, col))
            return -1;
        n = im_ynode_new(b->a, IM_YNODE_SCALAR);
        s = n ? im_arena_strndup(b->a, (const char *)ev->data.scalar.value, ev->data.scalar.length)
              : NULL;
        if (!s)
            return boom(b);
        if (strlen(s) != ev->data.scalar.length)
            return bfail(b, line, col, "text contains a NUL character");
        n->str = s;
        n->len = ev->data.scalar.length;
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.tag;
        n->line = line;
        n->col = col;
        n->from_set = b->src->from_set;
        anc = copy_anchor(b, ev->data.scalar.anchor);
        if (ev->data.scalar.anchor && !anc)
            return boom(b);
        if (add_anchor(b, anc, n))
            return -1;
        return attach(b, n, line, col);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int is_map = ev->type == YAML_MAPPING_START_EVENT;
        const yaml_char_t *a = is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
        if (check_not_key(b, is_map ? "a mapping" : "a list", line, col) || count(b, 1, line, col))
            return -1;
        n = im_ynode_new(b->a, is_map ? IM_YNODE_MAP : IM_YNODE_SEQ);
        anc = copy_anchor(b, a);
        if (!n || (a && !anc))
            return boom(b);
        n->line = line;
        n->col = col;
        n->from_set = b->src->from_set;
        return push(b, n, anc, line, col);
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return pop(b);
    default: /* stream start, document end */
        return 0;
    }
}

/* Line and column (1-based) of byte OFFSET in the input. */
static void offset_pos(const builder *b, size_t offset, int *line, int *col)
{
    size_t i;
    *line = 1;
    *col = 1;
    for (i = 0; i < offset && i < b->len; i++) {
        if (b->text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static int parser_error(builder *b, const yaml_parser_t *p)
{
    int line = (int)p->problem_mark.line + 1, col = (int)p->problem_mark.column + 1;
    const char *problem = p->problem ? p->problem : "invalid YAML";
    char context[200] = "";
    const char *hint = "";
    switch (p->error) {
    case YAML_MEMORY_ERROR:
        return boom(b);
    case YAML_READER_ERROR:
        offset_pos(b, p->problem_offset, &line, &col);
        if (p->problem_value != -1)
            return bfail(b, line, col, "%s (byte 0x%02X); the map file must be UTF-8", problem,
                         (unsigned)p->problem_value & 0xFFu);
        return bfail(b, line, col, "%s", problem);
    default:
        break;
    }
    if (p->problem_mark.index < b->len && b->text[p->problem_mark.index] == '\t')
        hint = "; tabs cannot indent YAML, use spaces";
    if (p->context)
        snprintf(context, sizeof context, " (%s at line %d, column %d)", p->context,
                 (int)p->context_mark.line + 1, (int)p->context_mark.column + 1);
    return bfail(b, line, col, "%s%s%s", problem, context, hint);
}

/* Parse TEXT into b->root. */
static int build(builder *b, const char *text, size_t len)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    int done = 0, rc = 0;
    b->text = text;
    b->len = len;
    if (!yaml_parser_initialize(&parser))
        return boom(b);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    while (!done && rc == 0) {
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = parser_error(b, &parser);
            break;
        }
        rc = on_event(b, &ev, &done);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    free(b->stack);
    b->stack = NULL;
    return rc;
}

int im_yaml_load_string(im_arena *a, const char *text, size_t len, const im_yaml_src *src,
                        im_ynode **root, im_diag *d)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.src = src;
    b.d = d;
    *root = NULL;
    if (build(&b, text, len))
        return -1;
    if (!b.root) {
        b.root = im_ynode_new(a, IM_YNODE_SCALAR); /* empty document: null */
        if (!b.root)
            return boom(&b);
        b.root->line = b.root->col = 1;
        b.root->from_set = src->from_set;
    }
    *root = b.root;
    return 0;
}

/* Read all of FD (a regular file of SIZE bytes when stat'ed) into a
 * malloc'd NUL-terminated buffer, refusing more than IM_YAML_MAX_FILE. */
static int read_all(int fd, off_t size, char **out, size_t *outlen)
{
    size_t cap = (size_t)size + 1, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        return -1;
    for (;;) {
        ssize_t r;
        if (n == cap) {
            char *nb;
            if (n > (size_t)IM_YAML_MAX_FILE)
                break;
            nb = realloc(buf, 2 * cap + 1);
            if (!nb) {
                free(buf);
                return -1;
            }
            buf = nb;
            cap *= 2;
        }
        r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            errno = e;
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    *out = buf;
    *outlen = n;
    return 0;
}

int im_yaml_load_file(im_arena *a, const char *path, im_ynode **root, im_diag *d)
{
    im_yaml_src src;
    struct stat st;
    char *text = NULL;
    size_t len = 0;
    int fd = -1, rc = -1;
    *root = NULL;
    memset(&src, 0, sizeof src);
    src.file = path;
    src.status = IM_ERR_SPEC;

    /* O_NONBLOCK: opening a FIFO must not hang before fstat refuses it. */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        im_fail(d, IM_ERR_SPEC, path, 0, 0, "cannot open map file: %s", strerror(errno));
        goto done;
    }
    im_diag_dep(d, path); /* the map file, and each file it includes */
    if (fstat(fd, &st) != 0) {
        im_fail(d, IM_ERR_SPEC, path, 0, 0, "cannot read map file: %s", strerror(errno));
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        im_fail(d, IM_ERR_SPEC, path, 0, 0, "is a directory, not a map file");
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        im_fail(d, IM_ERR_SPEC, path, 0, 0, "not a regular file");
        goto done;
    }
    if (st.st_size > IM_YAML_MAX_FILE) {
        im_fail(d, IM_ERR_SPEC, path, 0, 0, "map file is too large (%lld bytes; the limit is 16 MB)",
                (long long)st.st_size);
        goto done;
    }
    if (read_all(fd, st.st_size, &text, &len) != 0) {
        if (errno == ENOMEM)
            im_fail(d, IM_ERR_INTERNAL, path, 0, 0, "out of memory");
        else
            im_fail(d, IM_ERR_SPEC, path, 0, 0, "cannot read map file: %s", strerror(errno));
        goto done;
    }
    if (len > (size_t)IM_YAML_MAX_FILE) {
        im_fail(d, IM_ERR_SPEC, path, 0, 0, "map file is too large (the limit is 16 MB)");
        goto done;
    }
    if (im_yaml_load_string(a, text, len, &src, root, d))
        goto done;
    if (im_ynode_is_null(*root)) {
        im_fail(d, IM_ERR_SPEC, path, 0, 0,
                "the map file is empty (expected a mapping of keys such as 'title: ...')");
        goto done;
    }
    if ((*root)->kind != IM_YNODE_MAP) {
        im_fail(d, IM_ERR_SPEC, path, (*root)->line, (*root)->col,
                "the map file must be a mapping of keys (title:, incidents:, ...), not %s",
                im_ynode_kind_name(*root));
        goto done;
    }
    rc = 0;
done:
    if (rc)
        *root = NULL;
    if (fd >= 0)
        close(fd);
    free(text);
    return rc;
}
