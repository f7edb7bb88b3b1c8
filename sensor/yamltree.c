/* yamltree.c: loads YAML with libyaml's document API into kn_ynode trees.
 *
 * libyaml resolves anchors and aliases and reports syntax errors with their position; this file
 * only copies the document into nodes that remember file:line:column and whether the reader
 * used them. Suricata's top-level `include` (a file name or a list of them, relative to the
 * including file) is merged into the root map, later keys replacing earlier ones. */
#include "yamltree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_INCLUDE_DEPTH 8
#define MAX_NEST 64

static kn_ynode_t *ynode_new(kn_ytype_t type, const char *file, int line, int col)
{
    kn_ynode_t *n = calloc(1, sizeof(*n));

    if (!n)
        return NULL;
    n->type = type;
    n->file = file;
    n->line = line;
    n->col = col;
    return n;
}

static void ynode_free(kn_ynode_t *n)
{
    while (n) {
        kn_ynode_t *next = n->next;
        ynode_free(n->child);
        free(n->key);
        free(n->value);
        free(n);
        n = next;
    }
}

static void ynode_append(kn_ynode_t *parent, kn_ynode_t *c)
{
    if (parent->last)
        parent->last->next = c;
    else
        parent->child = c;
    parent->last = c;
}

static kn_ynode_t *convert(yaml_document_t *doc, yaml_node_t *yn, const char *file, int depth)
{
    kn_ynode_t *n;

    if (!yn || depth > MAX_NEST)
        return NULL;
    n = ynode_new(yn->type == YAML_MAPPING_NODE    ? KN_Y_MAP
                  : yn->type == YAML_SEQUENCE_NODE ? KN_Y_SEQ
                                                   : KN_Y_SCALAR,
                  file, (int)yn->start_mark.line + 1, (int)yn->start_mark.column + 1);
    if (!n)
        return NULL;
    if (yn->type == YAML_SCALAR_NODE) {
        n->value = strndup((const char *)yn->data.scalar.value, yn->data.scalar.length);
        if (!n->value)
            goto err;
    } else if (yn->type == YAML_SEQUENCE_NODE) {
        yaml_node_item_t *it;
        for (it = yn->data.sequence.items.start; it < yn->data.sequence.items.top; it++) {
            kn_ynode_t *c = convert(doc, yaml_document_get_node(doc, *it), file, depth + 1);
            if (!c)
                goto err;
            ynode_append(n, c);
        }
    } else if (yn->type == YAML_MAPPING_NODE) {
        yaml_node_pair_t *pr;
        for (pr = yn->data.mapping.pairs.start; pr < yn->data.mapping.pairs.top; pr++) {
            yaml_node_t *k = yaml_document_get_node(doc, pr->key);
            kn_ynode_t *c = convert(doc, yaml_document_get_node(doc, pr->value), file, depth + 1);
            if (!c)
                goto err;
            c->key = k && k->type == YAML_SCALAR_NODE
                         ? strndup((const char *)k->data.scalar.value, k->data.scalar.length)
                         : strdup("?");
            ynode_append(n, c);
            if (!c->key)
                goto err;
        }
    }
    return n;
err:
    ynode_free(n);
    return NULL;
}

static const char *keep_name(kn_ytree_t *t, const char *path)
{
    char **nf = realloc(t->files, (t->nfiles + 1) * sizeof(*nf));

    if (!nf)
        return NULL;
    t->files = nf;
    if (!(nf[t->nfiles] = strdup(path)))
        return NULL;
    return nf[t->nfiles++];
}

/* Parses one file into a map node (an empty document gives an empty map). */
static kn_ynode_t *load_file(kn_ytree_t *t, const char *path, char *err, size_t errlen)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    kn_ynode_t *n = NULL;
    const char *name;
    FILE *fp;

    if (!(name = keep_name(t, path))) {
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    if (!(fp = fopen(path, "r"))) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, fp);
    if (!yaml_parser_load(&parser, &doc)) {
        snprintf(err, errlen, "%s:%zu:%zu: YAML syntax error: %s%s%s", path,
                 parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                 parser.problem ? parser.problem : "unknown problem",
                 parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        fclose(fp);
        return NULL;
    }
    if (!yaml_document_get_root_node(&doc)) {
        n = ynode_new(KN_Y_MAP, name, 1, 1);
    } else {
        n = convert(&doc, yaml_document_get_root_node(&doc), name, 0);
        if (n && n->type != KN_Y_MAP) {
            snprintf(err, errlen, "%s:%d:%d: the document must be a mapping of settings", path,
                     n->line, n->col);
            ynode_free(n);
            n = NULL;
        } else if (!n) {
            snprintf(err, errlen, "%s: out of memory or nesting deeper than %d", path, MAX_NEST);
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    fclose(fp);
    return n;
}

/* Moves every entry of src into dst, replacing entries with the same key. */
static void merge_map(kn_ynode_t *dst, kn_ynode_t *src)
{
    kn_ynode_t *c = src->child;

    src->child = src->last = NULL;
    while (c) {
        kn_ynode_t *next = c->next, **pp;
        c->next = NULL;
        for (pp = &dst->child; *pp; pp = &(*pp)->next) {
            if ((*pp)->key && strcmp((*pp)->key, c->key) == 0) {
                kn_ynode_t *old = *pp;
                c->next = old->next;
                *pp = c;
                old->next = NULL;
                if (dst->last == old)
                    dst->last = c;
                ynode_free(old);
                break;
            }
        }
        if (!*pp)
            ynode_append(dst, c);
        c = next;
    }
}

static void include_path(char *out, size_t outlen, const char *from, const char *name)
{
    const char *slash = strrchr(from, '/');

    if (name[0] == '/' || !slash)
        snprintf(out, outlen, "%s", name);
    else
        snprintf(out, outlen, "%.*s/%s", (int)(slash - from), from, name);
}

static int load_with_includes(kn_ytree_t *t, kn_ynode_t *into, const char *path, int depth,
                              char *err, size_t errlen);

static int load_includes(kn_ytree_t *t, kn_ynode_t *into, kn_ynode_t *inc, const char *from,
                         int depth, char *err, size_t errlen)
{
    kn_ynode_t *one = inc->type == KN_Y_SCALAR ? inc : inc->child;
    char path[4096];

    inc->used = 1;
    for (; one; one = inc->type == KN_Y_SCALAR ? NULL : one->next) {
        if (one->type != KN_Y_SCALAR) {
            snprintf(err, errlen, "%s:%d: include: expected a file name", one->file, one->line);
            return -1;
        }
        one->used = 1;
        include_path(path, sizeof(path), from, one->value);
        if (load_with_includes(t, into, path, depth + 1, err, errlen) != 0)
            return -1;
    }
    return 0;
}

/* Unlinks and returns the map's `include` entry, so it is not merged as a setting. */
static kn_ynode_t *take_include(kn_ynode_t *m)
{
    kn_ynode_t **pp, *prev = NULL;

    for (pp = &m->child; *pp; prev = *pp, pp = &(*pp)->next) {
        kn_ynode_t *inc = *pp;
        if (strcmp(inc->key, "include") != 0)
            continue;
        *pp = inc->next;
        if (m->last == inc)
            m->last = prev;
        inc->next = NULL;
        return inc;
    }
    return NULL;
}

static int load_with_includes(kn_ytree_t *t, kn_ynode_t *into, const char *path, int depth,
                              char *err, size_t errlen)
{
    kn_ynode_t *m, *inc;
    int rc = 0;

    if (depth > MAX_INCLUDE_DEPTH) {
        snprintf(err, errlen, "%s: includes nested deeper than %d", path, MAX_INCLUDE_DEPTH);
        return -1;
    }
    if (!(m = load_file(t, path, err, errlen)))
        return -1;
    inc = take_include(m);
    merge_map(into, m);
    if (inc)
        rc = load_includes(t, into, inc, path, depth, err, errlen);
    ynode_free(inc);
    ynode_free(m);
    return rc;
}

int kn_ytree_init(kn_ytree_t *t)
{
    memset(t, 0, sizeof(*t));
    t->root = ynode_new(KN_Y_MAP, "(defaults)", 0, 0);
    return t->root ? 0 : -1;
}

int kn_ytree_load(kn_ytree_t *t, const char *path, char *err, size_t errlen)
{
    return load_with_includes(t, t->root, path, 0, err, errlen);
}

void kn_ytree_free(kn_ytree_t *t)
{
    size_t i;

    ynode_free(t->root);
    for (i = 0; i < t->nfiles; i++)
        free(t->files[i]);
    free(t->files);
    memset(t, 0, sizeof(*t));
}

static kn_ynode_t *map_find(kn_ynode_t *map, const char *key)
{
    kn_ynode_t *c, *found = NULL;

    if (!map || map->type != KN_Y_MAP)
        return NULL;
    for (c = map->child; c; c = c->next)
        if (strcmp(c->key, key) == 0)
            found = c; /* the last one wins, as in Suricata */
    return found;
}

kn_ynode_t *kn_ymap_get(kn_ynode_t *map, const char *key)
{
    kn_ynode_t *found = map_find(map, key);

    if (found)
        found->used = 1;
    return found;
}

static kn_ynode_t *seq_find(kn_ynode_t *seq, long idx)
{
    kn_ynode_t *c;

    for (c = seq->child; c && idx > 0; c = c->next)
        idx--;
    return c;
}

static kn_ynode_t *seq_at(kn_ynode_t *seq, long idx)
{
    kn_ynode_t *c = seq_find(seq, idx);

    if (c)
        c->used = 1;
    return c;
}

static int is_index(const char *s, long *out)
{
    char *end;

    if (!*s || *s < '0' || *s > '9')
        return 0;
    *out = strtol(s, &end, 10);
    return *end == '\0';
}

kn_ynode_t *kn_ynode_path(kn_ynode_t *node, const char *path)
{
    char buf[512], *part, *save = NULL;
    long idx;

    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
        return NULL;
    for (part = strtok_r(buf, ".", &save); part && node; part = strtok_r(NULL, ".", &save)) {
        if (node->type == KN_Y_SEQ && is_index(part, &idx))
            node = seq_at(node, idx);
        else
            node = kn_ymap_get(node, part);
    }
    return node;
}

static kn_ynode_t *set_child(kn_ynode_t *node, const char *part, int last, char *err,
                             size_t errlen)
{
    kn_ynode_t *c;
    long idx;

    if (node->type == KN_Y_SEQ) {
        if (!is_index(part, &idx) || !(c = seq_find(node, idx))) {
            snprintf(err, errlen, "'%s' is not an index of the list", part);
            return NULL;
        }
        return c;
    }
    if (node->type != KN_Y_MAP) {
        snprintf(err, errlen, "'%s' is below a plain value", part);
        return NULL;
    }
    if ((c = map_find(node, part)))
        return c;
    if (!(c = ynode_new(last ? KN_Y_SCALAR : KN_Y_MAP, "--set", 0, 0)) ||
        !(c->key = strdup(part))) {
        free(c);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ynode_append(node, c);
    return c;
}

int kn_ytree_set(kn_ytree_t *t, const char *path, const char *value, char *err, size_t errlen)
{
    char buf[512], *part, *next, *save = NULL;
    kn_ynode_t *node = t->root;
    char why[256];

    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf) || !*path) {
        snprintf(err, errlen, "--set %s: bad key", path);
        return -1;
    }
    part = strtok_r(buf, ".", &save);
    while (part) {
        next = strtok_r(NULL, ".", &save);
        if (!(node = set_child(node, part, next == NULL, why, sizeof(why)))) {
            snprintf(err, errlen, "--set %s=%s: %s", path, value, why);
            return -1;
        }
        part = next;
    }
    if (node->type != KN_Y_SCALAR) { /* a value replaces a whole section */
        ynode_free(node->child);
        node->child = node->last = NULL;
        node->type = KN_Y_SCALAR;
    }
    free(node->value);
    node->value = strdup(value);
    node->file = "--set";
    node->line = 0;
    return node->value ? 0 : -1;
}
