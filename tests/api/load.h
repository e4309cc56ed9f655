/*
 * load.h - load from several threads at once on one instance, for the fault tests: each thread
 * creates records (POST to a collection) and, unless told to write only, reads back the one it
 * created last, over a connection of its own kept alive, at the pace it is given, until its time
 * is up or it is told to stop; every answer is recorded with the moments it was sent and
 * answered. No Check assertion runs on the load's threads (beyond running out of memory): the
 * test asserts on what was recorded.
 */
#ifndef API_TEST_LOAD_H
#define API_TEST_LOAD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#define LOAD_MAX_THREADS 8
#define LOAD_ID_MAX 64

/* What a load sends, where, and how hard. The strings must outlive the load. */
typedef struct load_plan {
    const char *base;         /* the instance */
    const char *token;        /* the bearer token of every request */
    const char *collection;   /* e.g. "/v1/children"; reads go to <collection>/<id> */
    const char *body;         /* the JSON text of every POST */
    int threads;              /* 1..LOAD_MAX_THREADS */
    double seconds;           /* each thread stops this long after the start */
    int pace_ms;              /* each thread's pause after every answer */
    int writes_only;          /* POST only, no reads */
    int stop_when_unanswered; /* a thread stops at its first request without an answer */
} load_plan;

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
    load_plan plan;
    struct timespec began;
    atomic_int stopping;
    pthread_mutex_t lock;
    load_answer *answers;     /* owned; `count` of them */
    size_t count;
    size_t capacity;
    int running;              /* threads started and not yet joined */
    pthread_t thread[LOAD_MAX_THREADS];
} load;

/* Starts the threads of `plan` (copied). Stop them with load_join or load_stop and free what
 * they recorded with load_free. */
void load_start(load *l, const load_plan *plan);

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
