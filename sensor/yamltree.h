/* yamltree.h: a YAML document as a small tree with file:line:column on every node, so that
 * configuration errors can name where they are. */
#ifndef KANSHI_SENSOR_YAMLTREE_H
#define KANSHI_SENSOR_YAMLTREE_H

#include <stddef.h>

typedef enum kn_ytype { KN_Y_SCALAR = 0, KN_Y_MAP, KN_Y_SEQ } kn_ytype_t;

typedef struct kn_ynode {
    kn_ytype_t type;
    char *key;   /* the key, for an entry of a map */
    char *value; /* scalar text */
    struct kn_ynode *child, *last, *next;
    const char *file; /* borrowed from the tree's file list */
    int line, col;
    int used; /* set when the configuration reader consumed it */
} kn_ynode_t;

typedef struct kn_ytree {
    kn_ynode_t *root; /* a map; empty for an empty document */
    char **files;     /* every file read, for node->file */
    size_t nfiles;
} kn_ytree_t;

/* Loads path (and the files its top-level `include` names) into t. Returns 0, or -1 with a
 * "file:line:col: problem" message in err. */
int kn_ytree_load(kn_ytree_t *t, const char *path, char *err, size_t errlen);

/* An empty tree (a root map with no entries). Returns 0 or -1 when memory runs out. */
int kn_ytree_init(kn_ytree_t *t);

void kn_ytree_free(kn_ytree_t *t);

/* Sets a dotted path ("flow.memcap", "outputs.0.eve-log.enabled") to a scalar, creating maps
 * as needed; a numeric part indexes a sequence. Returns 0, or -1 with a message in err. */
int kn_ytree_set(kn_ytree_t *t, const char *path, const char *value, char *err, size_t errlen);

/* The entry key in map, or NULL. Marks it used. */
kn_ynode_t *kn_ymap_get(kn_ynode_t *map, const char *key);

/* Walks a dotted path from node (numeric parts index sequences). Marks the nodes used. */
kn_ynode_t *kn_ynode_path(kn_ynode_t *node, const char *path);

#endif
