/*
 * load.c - several threads creating and reading records at once (see load.h).
 */
#include "load.h"

#include "http_client.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    const load_plan *plan = &l->plan;
    http_session *session = http_session_open();
    const struct timespec pace = {plan->pace_ms / 1000, (plan->pace_ms % 1000) * 1000000L};
    char last[LOAD_ID_MAX] = "";
    char path[160];

    while (!atomic_load(&l->stopping) && load_now(l) < plan->seconds) {
        http_request req = {0};
        int write = plan->writes_only || last[0] == '\0';
        load_answer answer;

        req.base = plan->base;
        req.token = plan->token;
        if (write) {
            req.method = "POST";
            req.path = plan->collection;
            req.body = plan->body;
        } else {
            snprintf(path, sizeof path, "%s/%s", plan->collection, last);
            req.method = "GET";
            req.path = path;
        }
        answer = send_one(l, session, &req, write);
        if (answer.status == 0 && plan->stop_when_unanswered)
            break;
        if (plan->pace_ms > 0)
            nanosleep(&pace, NULL);
        if (write)
            snprintf(last, sizeof last, "%s", answer.created);
        else if (answer.status != 503)
            last[0] = '\0';
    }
    http_session_close(session);
    return NULL;
}

void load_start(load *l, const load_plan *plan)
{
    ck_assert(plan->threads > 0 && plan->threads <= LOAD_MAX_THREADS);
    memset(l, 0, sizeof *l);
    l->plan = *plan;
    atomic_init(&l->stopping, 0);
    pthread_mutex_init(&l->lock, NULL);
    clock_gettime(CLOCK_MONOTONIC, &l->began);
    for (l->running = 0; l->running < plan->threads; l->running++)
        ck_assert_int_eq(pthread_create(&l->thread[l->running], NULL, run, l), 0);
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

    for (i = 0; i < l->running; i++)
        pthread_join(l->thread[i], NULL);
    l->running = 0;
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
