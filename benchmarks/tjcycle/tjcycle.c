/*
 * tjcycle: libjpeg-turbo's own decode rate on a set of tiles, the anchor for Tilescope's decoder.
 *
 * Reads every JPEG file named on the command line into memory, decodes each once (untimed: page
 * faults of the output buffer, the library's tables), then for SECONDS calls tjDecompressHeader3 +
 * tjDecompress2 (TJPF_BGRX) on file i, i+1, ... round-robin into one reused output buffer, and
 * prints the decodes per second. A different tile every call, as a viewer decodes them.
 *
 *   gcc -O2 -o tjcycle tjcycle.c -lturbojpeg
 *   tjcycle [-s SECONDS] [-f FLAGS] FILE...
 *
 * -s  seconds to decode for (default 3)
 * -f  TurboJPEG flags for tjDecompress2 (default 0; Tilescope uses 40960 =
 *     TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS)
 *
 * Output, one line: "tjcycle: FILES files, DECODES decodes in SECS s, RATE tiles/s, CPURATE tiles/cpu-s".
 * The second rate divides by the process's CPU time instead of the wall time: on a shared machine,
 * where other processes take the CPU now and then, it is the steadier measure of the work per tile.
 * Exit status 1 with a message naming the file on any unreadable or undecodable input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <turbojpeg.h>

struct tile {
    const char *path;
    unsigned char *bytes;
    unsigned long size;
};

static double clock_seconds(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now_seconds(void) {
    return clock_seconds(CLOCK_MONOTONIC);
}

static int read_file(const char *path, struct tile *t) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "tjcycle: %s: %s\n", path, strerror(errno));
        return -1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    if (n <= 0) {
        fprintf(stderr, "tjcycle: %s: empty file\n", path);
        fclose(f);
        return -1;
    }
    t->path = path;
    t->size = (unsigned long) n;
    t->bytes = malloc((size_t) n);
    if (!t->bytes || fread(t->bytes, 1, (size_t) n, f) != (size_t) n) {
        fprintf(stderr, "tjcycle: %s: read failed\n", path);
        fclose(f);
        return -1;
    }
    fclose(f);
    return 0;
}

/* Header + full decode of one tile into out (grown as needed); 0 on success. */
static int decode(tjhandle h, const struct tile *t, unsigned char **out, size_t *out_size, int flags) {
    int w, ht, subsamp, colorspace;
    if (tjDecompressHeader3(h, t->bytes, t->size, &w, &ht, &subsamp, &colorspace) != 0) {
        fprintf(stderr, "tjcycle: %s: %s\n", t->path, tjGetErrorStr2(h));
        return -1;
    }
    size_t need = (size_t) w * ht * 4;
    if (need > *out_size) {
        free(*out);
        *out = malloc(need);
        *out_size = *out ? need : 0;
        if (!*out) {
            fprintf(stderr, "tjcycle: %s: out of memory for %dx%d\n", t->path, w, ht);
            return -1;
        }
    }
    if (tjDecompress2(h, t->bytes, t->size, *out, w, w * 4, ht, TJPF_BGRX, flags) != 0) {
        fprintf(stderr, "tjcycle: %s: %s\n", t->path, tjGetErrorStr2(h));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    double seconds = 3;
    int flags = 0;
    int first = 1;
    while (first + 1 < argc && argv[first][0] == '-') {
        if (strcmp(argv[first], "-s") == 0) {
            seconds = atof(argv[first + 1]);
        } else if (strcmp(argv[first], "-f") == 0) {
            flags = atoi(argv[first + 1]);
        } else {
            break;
        }
        first += 2;
    }
    int n = argc - first;
    if (n < 1 || !(seconds > 0)) {
        fprintf(stderr, "usage: tjcycle [-s SECONDS] [-f FLAGS] FILE...\n");
        return 2;
    }
    struct tile *tiles = calloc((size_t) n, sizeof *tiles);
    for (int i = 0; i < n; i++) {
        if (read_file(argv[first + i], &tiles[i]) != 0) {
            return 1;
        }
    }
    tjhandle h = tjInitDecompress();
    if (!h) {
        fprintf(stderr, "tjcycle: tjInitDecompress: %s\n", tjGetErrorStr2(NULL));
        return 1;
    }
    unsigned char *out = NULL;
    size_t out_size = 0;
    for (int i = 0; i < n; i++) {
        if (decode(h, &tiles[i], &out, &out_size, flags) != 0) {
            return 1;
        }
    }
    long decodes = 0;
    int i = 0;
    double cpu_start = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
    double start = now_seconds();
    double end = start + seconds;
    double t;
    do {
        if (decode(h, &tiles[i], &out, &out_size, flags) != 0) {
            return 1;
        }
        decodes++;
        i = i + 1 == n ? 0 : i + 1;
        t = now_seconds();
    } while (t < end);
    double elapsed = t - start;
    double cpu = clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
    printf("tjcycle: %d files, %ld decodes in %.3f s, %.1f tiles/s, %.1f tiles/cpu-s\n", n, decodes, elapsed,
           decodes / elapsed, decodes / cpu);
    tjDestroy(h);
    free(out);
    for (int k = 0; k < n; k++) {
        free(tiles[k].bytes);
    }
    free(tiles);
    return 0;
}
