/*
 * load.c - several threads creating and reading records at once (see load.h).
 */
#include "load.h"

#include "http_client.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each thread's pace: a pause after every answer, so that a 20 s load leaves a few thousand
 * records rather than tens of thousands for the suites that run after it. */
#define PACE_NS 25000000L /* 25 ms */

static double seconds_since(const struct timespec *since)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - since->tv_sec) + (double)(now.tv_nsec - since->tv_nsec) / 1e9;
}

double load_now(const load *l)
{
    return seconds_since(&l->began);
}

/* Appends one answer to the record (under the lock). */
static void record(load *l, const load_answer *answer)
{
    pthread_mutex_lock(&l->lock);
    if (l->count == l->capacity) {
        size_t capacity = l->capacity > 0 ? l->capacity * 2 : 1024;
        load_answer *grown = realloc(l->answers, capacity * sizeof *grown);

        ck_assert_msg(grown != NULL, "out of memory");
        l->answers = grown;
        l->capacity = capacity;
    }
    l->answers[l->count++] = *answer;
    pthread_mutex_unlock(&l->lock);
}

/* Sends one request on the thread's session and records its answer; returns it (owned). */
static load_answer send_one(load *l, http_session *session, const http_request *req, int write)
{
    load_answer answer;
    http_response res;
    const char *id;

    memset(&answer, 0, sizeof answer);
    answer.write = write;
    answer.sent = load_now(l);
    res = http_session_send(session, req, NULL);
    answer.answered = load_now(l);
    answer.status = res.status;
    answer.retry_after = http_header(&res, "Retry-After") != NULL;
    id = res.status == 201 ? json_string_value(json_object_get(res.json, "id")) : NULL;
    if (id != NULL)
        snprintf(answer.created, sizeof answer.created, "%s", id);
    http_response_free(&res);
    record(l, &answer);
    return answer;
}

/* One thread of the load: create, read back what was created, again, until told or timed out. */
static void *run(void *arg)
{
    load *l = arg;
    http_session *session = http_session_open();
    const struct timespec pace = {0, PACE_NS};
    char last[LOAD_ID_MAX] = "";
    char path[160];

    while (!atomic_load(&l->stopping) && load_now(l) < l->seconds) {
        http_request req = {0};
        int write = last[0] == '\0';
        load_answer answer;

        req.base = l->base;
        req.token = l->token;
        if (write) {
            req.method = "POST";
            req.path = l->collection;
            req.body = l->body;
        } else {
            snprintf(path, sizeof path, "%s/%s", l->collection, last);
            req.method = "GET";
            req.path = path;
        }
        answer = send_one(l, session, &req, write);
        if (answer.status == 0 && l->stop_when_unanswered)
            break;
        nanosleep(&pace, NULL);
        if (write)
            snprintf(last, sizeof last, "%s", answer.created);
        else if (answer.status != 503)
            last[0] = '\0';
    }
    http_session_close(session);
    return NULL;
}

void load_start(load *l, const char *base, const char *token, const char *collection,
                const char *body, int threads, double seconds)
{
    int i;

    ck_assert(threads > 0 && threads <= LOAD_MAX_THREADS);
    memset(l, 0, sizeof *l);
    snprintf(l->base, sizeof l->base, "%s", base);
    l->token = token;
    l->collection = collection;
    l->body = body;
    l->seconds = seconds;
    l->threads = threads;
    atomic_init(&l->stopping, 0);
    pthread_mutex_init(&l->lock, NULL);
    clock_gettime(CLOCK_MONOTONIC, &l->began);
    for (i = 0; i < threads; i++)
        ck_assert_int_eq(pthread_create(&l->thread[i], NULL, run, l), 0);
}

size_t load_count(load *l, size_t *created)
{
    size_t n;
    size_t i;

    pthread_mutex_lock(&l->lock);
    n = l->count;
    *created = 0;
    for (i = 0; i < n; i++)
        *created += l->answers[i].status == 201;
    pthread_mutex_unlock(&l->lock);
    return n;
}

void load_join(load *l)
{
    int i;

    for (i = 0; i < l->threads; i++)
        pthread_join(l->thread[i], NULL);
    l->threads = 0;
}

void load_stop(load *l)
{
    atomic_store(&l->stopping, 1);
    load_join(l);
}

void load_free(load *l)
{
    free(l->answers);
    l->answers = NULL;
    l->count = l->capacity = 0;
    pthread_mutex_destroy(&l->lock);
}
