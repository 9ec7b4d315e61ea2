/*
 * bench/c_calls.c: calls through the C ABI against a running authy-sandbox, for bench/run.sh.
 * Every call is authy_client_app_details() (GET /protected/json/app/details, the endpoint `wrk`
 * and authy-python are measured on), checked and released.
 *
 * Usage:
 *   c_calls seq       BASE_URL API_KEY CA_FILE|- SECONDS   calls/s over SECONDS (after a warm-up)
 *   c_calls rss       BASE_URL API_KEY CA_FILE|- N         VmRSS after 1,000 calls and after N more
 *   c_calls callgrind BASE_URL API_KEY CA_FILE|- N         N calls inside bench_loop_c, the only
 *                                                          function callgrind counts
 *                                                          (--toggle-collect=bench_loop_c)
 *   c_calls threads   BASE_URL API_KEY CA_FILE|- THREADS SECONDS shared|own
 *       THREADS pthreads calling for SECONDS, all started on a barrier (after a 0.3 s warm-up
 *       of the same set-up), through one client they share or one client each; prints
 *       "calls seconds calls_per_second all_calls" (all threads together; all_calls counts the
 *       warm-up too, for per-call figures of the whole process such as strace's)
 *   c_calls threads-ab BASE_URL API_KEY CA_FILE|- THREADS SECONDS SLICES
 *       both set-ups in one process, interleaved: after a 0.3 s warm-up of each, SLICES
 *       slices of SECONDS / SLICES per set-up in the order shared, own, own, shared, shared,
 *       own... (so that a change of load on the machine falls on both alike); prints
 *       "shared_calls_per_second own_calls_per_second"
 *   c_calls threads-callgrind BASE_URL API_KEY CA_FILE|- THREADS N shared|own
 *       the same set-up, each thread making one call and then N calls inside bench_loop_c
 *   c_calls mem       BASE_URL API_KEY CA_FILE|- N own|shared
 *       own: N clients, each after one call (one pooled connection each); shared: one client
 *       (max idle connections per host >= N) and N threads that each make one call at the same
 *       time (bench/run.sh makes the sandbox delay these answers, so that the calls overlap and
 *       the pool ends up holding N connections). Prints "rss_before_kib rss_after_kib
 *       sockets_before sockets_after seconds" (sockets: open socket descriptors of this
 *       process; seconds: how long the N calls took)
 *
 * A shared client is built with max idle connections per host = max(32, THREADS or N), so that
 * every thread's connection goes back to the pool. Before "mem" measures anything, a throw-away
 * client makes one call (process-wide lazy initialisation is not counted); the threads of
 * "mem shared" are started, have each used malloc once (their glibc arena exists) and made
 * 256 KiB of their stack resident before the first reading.
 *
 * CA_FILE is the PEM the sandbox wrote with --tls-self-signed --ca-out (for an https:// URL),
 * "-" for none. Output: one line of numbers on stdout (see each mode); errors on stderr, exit 1.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "authy.h"

static void fail(const char *what, authy_result r, authy_error *err) {
    fprintf(stderr, "c_calls: %s: %s (%u): %s\n", what, authy_result_str(r), (unsigned)r,
            err ? authy_error_message(err) : "");
    authy_error_free(err);
    exit(1);
}

static void die(const char *what) {
    fprintf(stderr, "c_calls: %s\n", what);
    exit(1);
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf != NULL && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len <= 1) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(f);
    if (buf == NULL) {
        die("out of memory");
    }
    buf[len] = '\0';
    return buf;
}

/* A client for the sandbox; max_idle > 0 sets the idle connections kept per host. */
static const authy_client *build(const char *url, const char *key, const char *ca_file,
                                 long max_idle) {
    authy_error *err = NULL;
    authy_client_builder *builder = NULL;
    authy_result r = authy_client_builder_new(key, &builder, &err);
    if (r != AUTHY_RESULT_OK) {
        fail("builder", r, err);
    }
    r = authy_client_builder_set_base_url(builder, url, &err);
    if (r != AUTHY_RESULT_OK) {
        fail("base url", r, err);
    }
    if (strcmp(ca_file, "-") != 0) {
        char *pem = read_file(ca_file);
        r = authy_client_builder_set_root_ca_pem(builder, pem, &err);
        free(pem);
        if (r != AUTHY_RESULT_OK) {
            fail("root CA", r, err);
        }
    }
    if (max_idle > 0) {
        r = authy_client_builder_set_max_idle_connections_per_host(builder, (uint32_t)max_idle,
                                                                   &err);
        if (r != AUTHY_RESULT_OK) {
            fail("max idle connections", r, err);
        }
    }
    const authy_client *client = NULL;
    r = authy_client_builder_build(builder, &client, &err);
    authy_client_builder_free(builder);
    if (r != AUTHY_RESULT_OK) {
        fail("build", r, err);
    }
    return client;
}

/* One app_details call; the answer is checked and released. */
static void one_call(const authy_client *client) {
    authy_response *resp = NULL;
    authy_error *err = NULL;
    authy_result r = authy_client_app_details(client, NULL, &resp, &err);
    if (r != AUTHY_RESULT_OK) {
        fail("app_details", r, err);
    }
    if (!authy_response_ok(resp)) {
        fprintf(stderr, "c_calls: unexpected answer %u\n", (unsigned)authy_response_status(resp));
        exit(1);
    }
    authy_response_free(resp);
}

/* The measured loop of the callgrind modes (the only code callgrind counts). */
__attribute__((noinline)) static void bench_loop_c(const authy_client *client, long n) {
    for (long i = 0; i < n; i++) {
        one_call(client);
    }
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* VmRSS of this process in KiB. */
static long rss_kib(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f != NULL && fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kib = strtol(line + 6, NULL, 10);
            break;
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return kib;
}

/* Open socket descriptors of this process (/proc/self/fd links to "socket:[inode]"). */
static long open_sockets(void) {
    DIR *d = opendir("/proc/self/fd");
    if (d == NULL) {
        return -1;
    }
    long n = 0;
    struct dirent *e;
    char path[300], target[64];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
        ssize_t len = readlink(path, target, sizeof target - 1);
        if (len > 0) {
            target[len] = '\0';
            n += strncmp(target, "socket:", 7) == 0;
        }
    }
    closedir(d);
    return n;
}

static long positive(const char *arg, const char *what) {
    long v = strtol(arg, NULL, 10);
    if (v <= 0) {
        fprintf(stderr, "c_calls: %s must be a positive number, not %s\n", what, arg);
        exit(2);
    }
    return v;
}

/* ---- threads ---------------------------------------------------------------------------- */

enum job { TIMED, COUNTED, ONE_CALL };

struct worker {
    pthread_t thread;
    const authy_client *client;
    enum job job;
    double seconds; /* TIMED */
    long n;         /* COUNTED */
    long calls;     /* TIMED: calls made */
    pthread_barrier_t *barrier;
};

static void barrier_wait(pthread_barrier_t *b) {
    int r = pthread_barrier_wait(b);
    if (r != 0 && r != PTHREAD_BARRIER_SERIAL_THREAD) {
        die("pthread_barrier_wait failed");
    }
}

/* Makes the first 256 KiB of this thread's stack resident, so that what a call touches of it
 * is not counted as the connection's memory. */
__attribute__((noinline)) static void touch_stack(void) {
    volatile char area[256 * 1024];
    for (size_t i = 0; i < sizeof area; i += 4096) {
        area[i] = 1;
    }
}

static void *work(void *arg) {
    struct worker *w = arg;
    switch (w->job) {
    case TIMED: {
        barrier_wait(w->barrier);
        long calls = 0;
        double end = now() + w->seconds;
        do {
            one_call(w->client);
            calls++;
        } while (now() < end);
        w->calls = calls;
        break;
    }
    case COUNTED:
        one_call(w->client);
        barrier_wait(w->barrier);
        bench_loop_c(w->client, w->n);
        break;
    case ONE_CALL:
        /* Phases (bench "mem shared"): malloc once (this thread's arena exists), stack made
         * resident | the main thread reads RSS | one call | the main thread reads RSS again |
         * exit. */
        free(malloc(64));
        touch_stack();
        barrier_wait(w->barrier);
        barrier_wait(w->barrier);
        one_call(w->client);
        barrier_wait(w->barrier);
        barrier_wait(w->barrier);
        break;
    }
    return NULL;
}

static struct worker *start_workers(const authy_client **clients, long threads, enum job job,
                                    double seconds, long n, pthread_barrier_t *barrier) {
    struct worker *ws = calloc((size_t)threads, sizeof *ws);
    if (ws == NULL) {
        die("out of memory");
    }
    for (long t = 0; t < threads; t++) {
        ws[t] = (struct worker){.client = clients[t], .job = job, .seconds = seconds, .n = n,
                                .barrier = barrier};
        if (pthread_create(&ws[t].thread, NULL, work, &ws[t]) != 0) {
            die("pthread_create failed");
        }
    }
    return ws;
}

static long join_workers(struct worker *ws, long threads) {
    long calls = 0;
    for (long t = 0; t < threads; t++) {
        if (pthread_join(ws[t].thread, NULL) != 0) {
            die("pthread_join failed");
        }
        calls += ws[t].calls;
    }
    free(ws);
    return calls;
}

/* All threads call until `seconds` after the barrier; total calls and elapsed seconds. */
static void timed_run(const authy_client **clients, long threads, double seconds, long *calls,
                      double *elapsed) {
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, (unsigned)threads + 1);
    struct worker *ws = start_workers(clients, threads, TIMED, seconds, 0, &barrier);
    barrier_wait(&barrier);
    double start = now();
    *calls = join_workers(ws, threads);
    *elapsed = now() - start;
    pthread_barrier_destroy(&barrier);
}

/* THREADS clients: the same shared one, or one each. */
static const authy_client **thread_clients(char **argv, long threads, const char *setup) {
    const authy_client **clients = calloc((size_t)threads, sizeof *clients);
    if (clients == NULL) {
        die("out of memory");
    }
    if (strcmp(setup, "shared") == 0) {
        const authy_client *shared = build(argv[2], argv[3], argv[4], threads > 32 ? threads : 32);
        for (long t = 0; t < threads; t++) {
            clients[t] = shared;
        }
    } else if (strcmp(setup, "own") == 0) {
        for (long t = 0; t < threads; t++) {
            clients[t] = build(argv[2], argv[3], argv[4], 0);
        }
    } else {
        fprintf(stderr, "c_calls: shared or own, not %s\n", setup);
        exit(2);
    }
    return clients;
}

static void free_clients(const authy_client **clients, long threads, const char *setup) {
    long distinct = strcmp(setup, "shared") == 0 ? 1 : threads;
    for (long t = 0; t < distinct; t++) {
        authy_client_free(clients[t]);
    }
    free(clients);
}

/* ---- memory ----------------------------------------------------------------------------- */

static void mem(char **argv, long n, const char *setup) {
    /* Process-wide lazy initialisation (TLS provider, resolver...) is not counted. */
    const authy_client *warm = build(argv[2], argv[3], argv[4], 0);
    one_call(warm);
    authy_client_free(warm);

    long rss0, rss1, sock0, sock1;
    double t0, t1;
    if (strcmp(setup, "own") == 0) {
        const authy_client **clients = calloc((size_t)n, sizeof *clients);
        if (clients == NULL) {
            die("out of memory");
        }
        rss0 = rss_kib();
        sock0 = open_sockets();
        t0 = now();
        for (long i = 0; i < n; i++) {
            clients[i] = build(argv[2], argv[3], argv[4], 0);
            one_call(clients[i]);
        }
        t1 = now();
        rss1 = rss_kib();
        sock1 = open_sockets();
        free_clients(clients, n, "own");
    } else if (strcmp(setup, "shared") == 0) {
        const authy_client *client = build(argv[2], argv[3], argv[4], n > 32 ? n : 32);
        const authy_client **clients = calloc((size_t)n, sizeof *clients);
        if (clients == NULL) {
            die("out of memory");
        }
        for (long i = 0; i < n; i++) {
            clients[i] = client;
        }
        pthread_barrier_t barrier;
        pthread_barrier_init(&barrier, NULL, (unsigned)n + 1);
        struct worker *ws = start_workers(clients, n, ONE_CALL, 0, 0, &barrier);
        barrier_wait(&barrier); /* every thread started and has used malloc */
        rss0 = rss_kib();
        sock0 = open_sockets();
        t0 = now();
        barrier_wait(&barrier); /* go */
        barrier_wait(&barrier); /* every call answered */
        t1 = now();
        rss1 = rss_kib();
        sock1 = open_sockets();
        barrier_wait(&barrier);
        join_workers(ws, n);
        pthread_barrier_destroy(&barrier);
        free_clients(clients, n, "shared");
    } else {
        fprintf(stderr, "c_calls: own or shared, not %s\n", setup);
        exit(2);
    }
    printf("%ld %ld %ld %ld %.3f\n", rss0, rss1, sock0, sock1, t1 - t0);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    int threaded = strcmp(mode, "threads") == 0 || strcmp(mode, "threads-callgrind") == 0 ||
                   strcmp(mode, "threads-ab") == 0;
    if (!((argc == 6 && !threaded && strcmp(mode, "mem") != 0) ||
          (argc == 7 && strcmp(mode, "mem") == 0) || (argc == 8 && threaded))) {
        fprintf(stderr,
                "usage: %s seq|rss|callgrind BASE_URL API_KEY CA_FILE|- SECONDS|N\n"
                "       %s threads|threads-callgrind BASE_URL API_KEY CA_FILE|- THREADS "
                "SECONDS|N shared|own\n"
                "       %s threads-ab BASE_URL API_KEY CA_FILE|- THREADS SECONDS SLICES\n"
                "       %s mem BASE_URL API_KEY CA_FILE|- N own|shared\n",
                argv[0], argv[0], argv[0], argv[0]);
        return 2;
    }

    if (strcmp(mode, "threads") == 0) {
        long threads = positive(argv[5], "THREADS");
        double seconds = strtod(argv[6], NULL);
        const authy_client **clients = thread_clients(argv, threads, argv[7]);
        long warm, calls;
        double elapsed;
        /* Warm-up: opens the connections (and TLS sessions) of this set-up. */
        timed_run(clients, threads, 0.3, &warm, &elapsed);
        timed_run(clients, threads, seconds, &calls, &elapsed);
        printf("%ld %.6f %.1f %ld\n", calls, elapsed, (double)calls / elapsed, warm + calls);
        free_clients(clients, threads, argv[7]);
        return 0;
    }
    if (strcmp(mode, "threads-ab") == 0) {
        long threads = positive(argv[5], "THREADS"), slices = positive(argv[7], "SLICES");
        double slice = strtod(argv[6], NULL) / (double)slices;
        const authy_client **sets[2] = {thread_clients(argv, threads, "shared"),
                                        thread_clients(argv, threads, "own")};
        long calls[2] = {0, 0}, n;
        double elapsed[2] = {0, 0}, e;
        for (int s = 0; s < 2; s++) {
            timed_run(sets[s], threads, 0.3, &n, &e);
        }
        for (long i = 0; i < 2 * slices; i++) {
            /* 0 1 1 0 0 1 1 0 ...: shared = 0, own = 1 */
            int s = (int)(((i + 1) / 2) % 2);
            timed_run(sets[s], threads, slice, &n, &e);
            calls[s] += n;
            elapsed[s] += e;
        }
        printf("%.1f %.1f\n", (double)calls[0] / elapsed[0], (double)calls[1] / elapsed[1]);
        free_clients(sets[0], threads, "shared");
        free_clients(sets[1], threads, "own");
        return 0;
    }
    if (strcmp(mode, "threads-callgrind") == 0) {
        long threads = positive(argv[5], "THREADS"), n = positive(argv[6], "N");
        const authy_client **clients = thread_clients(argv, threads, argv[7]);
        pthread_barrier_t barrier;
        pthread_barrier_init(&barrier, NULL, (unsigned)threads);
        join_workers(start_workers(clients, threads, COUNTED, 0, n, &barrier), threads);
        pthread_barrier_destroy(&barrier);
        printf("%ld\n", threads * n);
        free_clients(clients, threads, argv[7]);
        return 0;
    }
    if (strcmp(mode, "mem") == 0) {
        mem(argv, positive(argv[5], "N"), argv[6]);
        return 0;
    }

    const authy_client *client = build(argv[2], argv[3], argv[4], 0);
    if (strcmp(mode, "seq") == 0) {
        /* Prints: calls seconds calls_per_second */
        double seconds = strtod(argv[5], NULL);
        double warm_until = now() + 0.3;
        while (now() < warm_until) {
            one_call(client);
        }
        long calls = 0;
        double start = now(), end = start + seconds, t;
        do {
            one_call(client);
            calls++;
        } while ((t = now()) < end);
        printf("%ld %.6f %.1f\n", calls, t - start, (double)calls / (t - start));
    } else if (strcmp(mode, "rss") == 0) {
        /* Prints: rss_kib_after_warmup rss_kib_after_half rss_kib_after_n */
        long n = strtol(argv[5], NULL, 10);
        for (int i = 0; i < 1000; i++) {
            one_call(client);
        }
        long r0 = rss_kib();
        for (long i = 0; i < n / 2; i++) {
            one_call(client);
        }
        long r1 = rss_kib();
        for (long i = n / 2; i < n; i++) {
            one_call(client);
        }
        printf("%ld %ld %ld\n", r0, r1, rss_kib());
    } else if (strcmp(mode, "callgrind") == 0) {
        /* One call first, so that the measured loop starts with a pooled connection. */
        long n = strtol(argv[5], NULL, 10);
        one_call(client);
        bench_loop_c(client, n);
        printf("%ld\n", n);
    } else {
        fprintf(stderr, "c_calls: unknown mode %s\n", mode);
        return 2;
    }
    authy_client_free(client);
    return 0;
}
