/*
 * load.h - load from several threads at once on one instance, for the fault tests: each thread
 * creates records (POST to a collection) and reads back the one it created last, over a
 * connection of its own kept alive, pausing 25 ms after each answer, until its time is up or it
 * is told to stop; every answer is
 * recorded with the moments it was sent and answered. No Check assertion runs on the load's
 * threads (beyond running out of memory): the test asserts on what was recorded.
 */
#ifndef API_TEST_LOAD_H
#define API_TEST_LOAD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#define LOAD_MAX_THREADS 8
#define LOAD_ID_MAX 64

/* One request of the load and what came back. */
typedef struct load_answer {
    double sent;              /* seconds since the load began (CLOCK_MONOTONIC) */
    double answered;
    long status;              /* 0: no answer (refused, reset, timed out) */
    int write;                /* the POST (1) or the read of what it created (0) */
    int retry_after;          /* the answer carried Retry-After */
    char created[LOAD_ID_MAX]; /* the "id" a 201 answered, else "" */
} load_answer;

typedef struct load {
    char base[64];            /* the instance */
    const char *token;        /* the bearer token of every request */
    const char *collection;   /* e.g. "/v1/children"; reads go to <collection>/<id> */
    const char *body;         /* the JSON text of every POST */
    double seconds;           /* each thread stops this long after the start */
    int stop_when_unanswered; /* a thread stops at its first request without an answer */
    int threads;
    struct timespec began;
    atomic_int stopping;
    pthread_mutex_t lock;
    load_answer *answers;     /* owned; `count` of them */
    size_t count;
    size_t capacity;
    pthread_t thread[LOAD_MAX_THREADS];
} load;

/*
 * Starts `threads` (at most LOAD_MAX_THREADS) threads on `base` as `token`, each creating with
 * `body` (JSON text) in `collection` and reading back what it created, for `seconds` at most.
 * The strings must outlive the load. Stop it with load_join and free it with load_free.
 */
void load_start(load *l, const char *base, const char *token, const char *collection,
                const char *body, int threads, double seconds);

/* Seconds since the load began, on the clock of its answers. */
double load_now(const load *l);

/* How many answers are recorded so far, and how many of them are 201s. */
size_t load_count(load *l, size_t *created);

/* Tells the threads to stop after their request in flight, and waits for them. */
void load_stop(load *l);

/* Waits until every thread has finished by itself (its time is up, or it was unanswered). */
void load_join(load *l);

/* Frees what the load recorded. */
void load_free(load *l);

#endif
