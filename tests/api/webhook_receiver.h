/*
 * webhook_receiver.h - what the webhook tests need beside the service: a small HTTP receiver on
 * loopback (a plain socket server on a thread of its own) that records every request and answers
 * from a script, and a service instance of the test's own (the same binary the runner serves,
 * on the same database unless told another) that the test can kill and start again.
 */
#ifndef API_TEST_WEBHOOK_RECEIVER_H
#define API_TEST_WEBHOOK_RECEIVER_H

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>

#define RX_MAX_REQUESTS 64
#define RX_SCRIPT_MAX 16

/* One request that reached the receiver's path, as it came. */
typedef struct rx_request {
    char method[16];
    char delivery[96];     /* Permanence-Delivery */
    char timestamp[32];    /* Permanence-Timestamp */
    char signature[128];   /* Permanence-Signature */
    char content_type[96];
    char *body;            /* NUL-terminated */
    int answered;          /* the status answered; 0 when held, then dropped unanswered */
} rx_request;

typedef struct receiver {
    int fd;
    char base[64];         /* "http://127.0.0.1:<port>" */
    char path[160];        /* the one path it records; anything else is answered 410 */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int stop;
    int script[RX_SCRIPT_MAX]; /* the status of the n-th request; after it, default_status */
    int script_length;
    int default_status;
    int hang_at;           /* the 1-based request held without an answer until rx_release */
    int slow_at;           /* the 1-based request answered only after slow_ms */
    int slow_ms;
    int hanging;
    int released;
    int count;
    int others;            /* requests for any other path (a redirect followed, say) */
    rx_request requests[RX_MAX_REQUESTS];
} receiver;

/* Starts a receiver on `address` (e.g. "127.0.0.1") and a free port for `path`, answering 200
 * until told otherwise. Fails the test when it cannot listen. Stop it with rx_stop. */
void rx_start(receiver *rx, const char *address, const char *path);

/* The URL of the receiver's path, into out. */
void rx_url(const receiver *rx, char *out, size_t size);

/* Answers the first `n` requests with `statuses` (a 3xx carries a Location elsewhere on the
 * receiver), then `default_status`. */
void rx_script(receiver *rx, const int *statuses, int n, int default_status);

/* Answers the `n`-th request (1-based) only after `ms` milliseconds. */
void rx_slow_at(receiver *rx, int n, int ms);

/* Holds the `n`-th request (1-based) without an answer until rx_release, then drops it. */
void rx_hang_at(receiver *rx, int n);

/* Waits at most `seconds` until `n` requests arrived. Returns how many did. */
int rx_wait_count(receiver *rx, int n, int seconds);

/* Waits at most `seconds` until a request is held. Returns non-zero when one is. */
int rx_wait_hanging(receiver *rx, int seconds);

/* Lets a held request go (its connection closes without an answer). */
void rx_release(receiver *rx);

/* How many requests arrived so far. Entries below it are complete and never change. */
int rx_count(receiver *rx);

/* Stops the thread, closes the socket and frees the bodies. */
void rx_stop(receiver *rx);

/* A service instance started by the test (PERMANENCE_TEST_SERVER_BINARY on
 * PERMANENCE_TEST_APP_DB_URL, HS256 with the runner's secret). */
typedef struct own_server {
    pid_t pid;
    char base[64];
} own_server;

/* Starts an instance whose webhook allowlist is `allowlist` and waits (bounded) until it
 * answers /healthz. It gets SIGTERM if the test process dies first. Fails the test otherwise. */
void own_server_start(own_server *s, const char *allowlist);

/* As own_server_start, with more service settings: `settings` lists "NAME=value" strings and
 * ends with NULL. */
void own_server_start_with(own_server *s, const char *allowlist, const char *const *settings);

/* Forks an instance (as own_server_start_with) on the database at `database_url`, a libpq URL,
 * without waiting for it: several can start at the same moment. Fails the test when it cannot
 * fork. */
void own_server_spawn(own_server *s, const char *allowlist, const char *database_url,
                      const char *const *settings);

/* Waits at most 30 s until the spawned instance answers /healthz. Returns 0 when it never did
 * or exited first (then s->pid is 0). */
int own_server_wait_healthy(own_server *s);

/* Sends `sig` and waits (bounded; SIGKILL after 30 s) until the instance exited. Returns its
 * wait status. */
int own_server_stop(own_server *s, int sig);

#endif
