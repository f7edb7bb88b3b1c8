/* replay.c: runs the rule parser's fuzz target (fuzz_rules.c) over saved inputs, without
 * libFuzzer, so that an ordinary build (and `make asan`) replays the corpus as a regression test.
 *
 *   fuzz_replay FILE|DIR...   every file given, and every regular file of every directory given
 *
 * Exits 0 when every input ran (a crash or a sanitizer report ends the process instead), 1 when
 * an input could not be read. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, n;

    if (!f) {
        fprintf(stderr, "fuzz_replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    do {
        if (len == cap) {
            uint8_t *nb;
            cap = cap ? cap * 2 : 65536;
            if (!(nb = realloc(buf, cap))) {
                fprintf(stderr, "fuzz_replay: %s: out of memory\n", path);
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    if (ferror(f)) {
        fprintf(stderr, "fuzz_replay: %s: read error\n", path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, len);
    free(buf);
    return 0;
}

static int not_hidden(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* Runs every regular file of dir, in name order; returns the count, or -1 on an error. */
static long run_dir(const char *dir)
{
    struct dirent **ents;
    long count = 0;
    int n, i;

    if ((n = scandir(dir, &ents, not_hidden, alphasort)) < 0) {
        fprintf(stderr, "fuzz_replay: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    for (i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
        if (count >= 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
            count = run_file(path) == 0 ? count + 1 : -1;
        free(ents[i]);
    }
    free(ents);
    return count;
}

int main(int argc, char **argv)
{
    long total = 0, n;
    int i;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "fuzz_replay: %s: %s\n", argv[i], strerror(errno));
            return 1;
        }
        n = S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i]) == 0 ? 1 : -1;
        if (n < 0)
            return 1;
        total += n;
    }
    printf("fuzz_replay: %ld inputs replayed, no crash\n", total);
    return 0;
}
