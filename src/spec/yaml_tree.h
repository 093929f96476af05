/* A small YAML document tree with source positions, built from libyaml's
 * event API.  This is the only place that includes yaml.h.
 *
 * Ownership: every node and string lives in the arena passed to the loader
 * and dies with it.  Aliases are resolved by sharing: an alias points at its
 * anchored node, so the tree is a DAG whose expanded size is bounded (see
 * IM_YAML_MAX_NODES).  YAML 1.1 merge keys (`<<: *base`) are applied. */
#ifndef IM_SPEC_YAML_TREE_H
#define IM_SPEC_YAML_TREE_H

#include <stddef.h>

#include "core/arena.h"
#include "incimap/error.h"

/* Total nodes a document may hold once aliases are expanded. */
#define IM_YAML_MAX_NODES 100000
/* Largest map file read. */
#define IM_YAML_MAX_FILE (16L * 1024 * 1024)

typedef enum { IM_YNODE_SCALAR = 0, IM_YNODE_SEQ, IM_YNODE_MAP } im_ynode_kind;

typedef struct im_ynode im_ynode;

typedef struct im_ypair {
    im_ynode *key;            /* always a scalar */
    im_ynode *value;
} im_ypair;

struct im_ynode {
    im_ynode_kind kind;
    int line, col;            /* 1-based position of the node's first character */
    int from_set;             /* came from a --set override, not the map file */
    const char *file;         /* an included file it came from (NULL: the map file) */
    /* IM_YNODE_SCALAR: NUL-terminated text; plain = written without quotes
     * or block indicators (only plain scalars can be null or booleans). */
    const char *str;
    size_t len;
    int plain;
    /* IM_YNODE_SEQ */
    im_ynode **items;
    int nitems;
    /* IM_YNODE_MAP, in document order, merge keys already applied */
    im_ypair *pairs;
    int npairs;
    size_t weight;            /* nodes in this subtree with aliases expanded */
};

/* How the loader reports errors: FILE is the name in messages, STATUS the
 * status of syntax errors; with no_position set, messages carry line 0
 * (used for --set values, whose positions mean nothing to the user);
 * from_set marks every node built.  PREFIX (may be NULL) starts each
 * message. */
typedef struct im_yaml_src {
    const char *file;
    im_status status;
    int no_position;
    int from_set;
    const char *prefix;
} im_yaml_src;

/* Read the YAML file PATH (a regular file of at most IM_YAML_MAX_FILE
 * bytes, one document whose root is a mapping) into *ROOT, allocated in A.
 * Errors are IM_ERR_SPEC at PATH:line:col. */
int im_yaml_load_file(im_arena *a, const char *path, im_ynode **root, im_diag *d);

/* Parse LEN bytes of TEXT as one YAML document of any kind into *ROOT.  An
 * empty document gives a null scalar. */
int im_yaml_load_string(im_arena *a, const char *text, size_t len, const im_yaml_src *src,
                        im_ynode **root, im_diag *d);

/* 1 if N is a plain null scalar: empty, "~", "null", "Null" or "NULL". */
int im_ynode_is_null(const im_ynode *n);

/* The value of KEY in mapping MAP, or NULL (also when MAP is no mapping). */
im_ynode *im_ymap_get(const im_ynode *map, const char *key);
/* The pair of KEY in MAP, or NULL. */
im_ypair *im_ymap_pair(const im_ynode *map, const char *key);

/* "a text", "a list", "a mapping" or "nothing": for "got ..." messages. */
const char *im_ynode_kind_name(const im_ynode *n);

/* A new node of KIND, zeroed, weight 1; NULL when out of memory. */
im_ynode *im_ynode_new(im_arena *a, im_ynode_kind kind);
/* A shallow copy of N with its own item/pair arrays, so that it can be
 * changed without touching other places an alias shares N from. */
im_ynode *im_ynode_clone(im_arena *a, const im_ynode *n);
/* Append KEY: VALUE to mapping MAP (no duplicate check). */
int im_ymap_append(im_arena *a, im_ynode *map, im_ynode *key, im_ynode *value);
/* Remove KEY from mapping MAP if present (MAP must own its pairs: a clone
 * or a node nothing else shares). */
void im_ymap_remove(im_ynode *map, const char *key);

#endif
