/*
 * test_limits.c - the limits of OWASP API4 on an instance of the test's own (webhook_receiver.h)
 * configured for each test: a subject over its rate gets 429 with Retry-After while others are
 * served (and the refusal is audited, R1); a client trickling its request (slow loris) is cut
 * off at the receive deadline without holding up anyone else; 1 000 idle connections do not
 * stop a new request being answered (1 100, in fact); and SIGTERM lets a request under way finish, refuses new
 * connections and ends the process with status 0 within 10 s.
 */
#include "db.h"
#include "env.h"
#include "expect.h"
#include "fixtures.h"
#include "http_client.h"
#include "suites.h"
#include "tokens.h"
#include "webhook_receiver.h"

#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* 1 000 and then some: past descriptor 1023, beyond which select() cannot watch a socket */
#define IDLE_CONNECTIONS 1100
#define POLL_PAUSE_NS 50000000L /* 50 ms between two looks at a condition */

/* Seconds on a clock that never goes back. */
static double now_seconds(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void pause_briefly(void)
{
    const struct timespec pause = {0, POLL_PAUSE_NS};

    nanosleep(&pause, NULL);
}

/* A connected TCP socket to the instance, or -1 with errno set. */
static int connect_to(const own_server *s)
{
    struct sockaddr_in address;
    unsigned port = 0;
    int fd;

    ck_assert(sscanf(s->base, "http://127.0.0.1:%u", &port) == 1);
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((unsigned short)port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_msg(fd >= 0, "socket: %s", strerror(errno));
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        int saved = errno;

        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* A token of `sub` with the admin role (the caller frees it). */
static char *admin_token(const char *sub)
{
    token_spec spec = token_spec_for(sub, "admin");

    return token_mint(&spec);
}

/* GET `path` on the instance with `token` (NULL: none). */
static http_response get_from(const own_server *s, const char *token, const char *path)
{
    http_request req = {0};

    req.method = "GET";
    req.base = s->base;
    req.path = path;
    req.token = token;
    return http_send(&req);
}

/* Stops the instance with SIGTERM and fails the test unless it exited with status 0. */
static void stop_cleanly(own_server *s)
{
    int wstatus = own_server_stop(s, SIGTERM);

    ck_assert_msg(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0,
                  "the instance did not exit cleanly (wait status %d)", wstatus);
}

START_TEST(test_api4_subject_over_its_rate_gets_429_while_others_are_served)
{
    static const char *const settings[] = {"PERMANENCE_RATE_LIMIT_PER_MINUTE=1",
                                           "PERMANENCE_RATE_LIMIT_BURST=3", NULL};
    char sub_a[FX_ID_MAX];
    char sub_b[FX_ID_MAX];
    char *token_a;
    char *token_b;
    own_server server;
    http_response res;
    const char *retry_after;
    long seconds;
    long audited = 0;
    int i;
    int address_limited = 0;
    double until;

    fx_unique(sub_a, sizeof sub_a, "limits-a");
    fx_unique(sub_b, sizeof sub_b, "limits-b");
    token_a = admin_token(sub_a);
    token_b = admin_token(sub_b);
    own_server_start_with(&server, "http://127.0.0.1:", settings);

    for (i = 0; i < 3; i++) {
        res = get_from(&server, token_a, "/v1/people?limit=1");
        EXPECT_STATUS(res, 200);
        http_response_free(&res);
    }
    res = get_from(&server, token_a, "/v1/people?limit=1");
    expect_problem(&res, 429, "too-many-requests");
    retry_after = http_header(&res, "Retry-After");
    ck_assert_msg(retry_after != NULL, "429 without Retry-After");
    seconds = strtol(retry_after, NULL, 10);
    /* one request a minute: the next one is a minute away at the most */
    ck_assert_msg(seconds >= 1 && seconds <= 60, "Retry-After: %s", retry_after);
    http_response_free(&res);

    res = get_from(&server, token_b, "/v1/people?limit=1");
    EXPECT_STATUS(res, 200);
    http_response_free(&res);

    /* requests without a token are charged to the client's address (the start polled once) */
    for (i = 0; i < 4 && !address_limited; i++) {
        res = get_from(&server, NULL, "/healthz");
        ck_assert_msg(res.status == 200 || res.status == 429, "/healthz answered %ld",
                      res.status);
        if (res.status == 429) {
            expect_problem(&res, 429, "too-many-requests");
            ck_assert_msg(http_header(&res, "Retry-After") != NULL, "429 without Retry-After");
            address_limited = 1;
        }
        http_response_free(&res);
    }
    ck_assert_msg(address_limited, "4 requests without a token, burst 3: none refused");
    res = get_from(&server, token_b, "/v1/people?limit=1");
    EXPECT_STATUS(res, 200);
    http_response_free(&res);

    /* R1: the refusal is in the audit trail (written by the batch writer shortly) */
    until = now_seconds() + 20.0;
    while (audited == 0 && now_seconds() < until) {
        audited = db_long("select count(*) from audit_log where sub = $1 and status = 429 and "
                          "route = '/v1/people' and method = 'GET'", 1, sub_a);
        if (audited == 0)
            pause_briefly();
    }
    ck_assert_int_eq(audited, 1);
    ck_assert_int_eq(db_long("select count(*) from audit_log where sub = $1 and status = 429",
                             1, sub_b), 0);

    stop_cleanly(&server);
    free(token_a);
    free(token_b);
}
END_TEST

START_TEST(test_api4_slow_loris_is_cut_off_at_the_receive_deadline)
{
    static const char *const settings[] = {"PERMANENCE_RECEIVE_TIMEOUT_SECONDS=2",
                                           "PERMANENCE_IDLE_TIMEOUT_SECONDS=60", NULL};
    static const char opening[] = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trickle: ";
    char sub[FX_ID_MAX];
    char *token;
    own_server server;
    double started;
    double elapsed;
    int closed = 0;
    int others_served = 0;
    size_t sent;
    int fd;

    fx_unique(sub, sizeof sub, "limits-loris");
    token = admin_token(sub);
    own_server_start_with(&server, "http://127.0.0.1:", settings);
    fd = connect_to(&server);
    ck_assert_msg(fd >= 0, "connect: %s", strerror(errno));
    started = now_seconds();
    /* a byte every 200 ms, well inside the 60 s of silence allowed, never ending the headers */
    for (sent = 0; !closed && now_seconds() - started < 20.0; sent++) {
        char byte = sent < sizeof opening - 1 ? opening[sent] : 'a';
        struct pollfd watch = {fd, POLLIN, 0};

        if (send(fd, &byte, 1, MSG_NOSIGNAL) != 1) {
            closed = 1;
            break;
        }
        if (poll(&watch, 1, 200) > 0) {
            char buf[512];

            closed = recv(fd, buf, sizeof buf, 0) <= 0;
        }
        if (sent == 3) {
            /* meanwhile, another client is served at once */
            double asked = now_seconds();
            http_response res = get_from(&server, token, "/v1/people?limit=1");

            EXPECT_STATUS(res, 200);
            ck_assert_msg(now_seconds() - asked < 5.0, "another request waited %.1f s",
                          now_seconds() - asked);
            http_response_free(&res);
            others_served = 1;
        }
    }
    elapsed = now_seconds() - started;
    close(fd);
    ck_assert_msg(closed, "the trickling connection was still open after %.1f s", elapsed);
    ck_assert_msg(others_served, "the connection closed before another request was tried");
    ck_assert_msg(elapsed >= 1.5 && elapsed < 8.0,
                  "closed after %.1f s, not at the 2 s receive deadline", elapsed);

    stop_cleanly(&server);
    free(token);
}
END_TEST

/* How many descriptors process `pid` has open. */
static int open_descriptors(pid_t pid)
{
    char path[64];
    DIR *dir;
    struct dirent *entry;
    int count = 0;

    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    dir = opendir(path);
    ck_assert_msg(dir != NULL, "cannot read %s", path);
    while ((entry = readdir(dir)) != NULL)
        count += entry->d_name[0] != '.';
    closedir(dir);
    return count;
}

START_TEST(test_api4_over_a_thousand_idle_connections_do_not_stop_a_new_request)
{
    char sub[FX_ID_MAX];
    char *token;
    own_server server;
    struct rlimit files;
    int fds[IDLE_CONNECTIONS];
    int i;
    double until;
    double asked;
    http_response res;

    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &files), 0);
    if (files.rlim_cur < 2 * IDLE_CONNECTIONS && files.rlim_cur < files.rlim_max) {
        files.rlim_cur = files.rlim_max < 4 * IDLE_CONNECTIONS ? files.rlim_max
                                                               : 4 * IDLE_CONNECTIONS;
        ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &files), 0);
    }
    ck_assert_msg(files.rlim_cur >= IDLE_CONNECTIONS + 100,
                  "the open files limit (%lu) is too low for this test",
                  (unsigned long)files.rlim_cur);
    fx_unique(sub, sizeof sub, "limits-idle");
    token = admin_token(sub);
    own_server_start(&server, "http://127.0.0.1:"); /* inherits the raised limit */

    for (i = 0; i < IDLE_CONNECTIONS; i++) {
        fds[i] = connect_to(&server);
        ck_assert_msg(fds[i] >= 0, "connection %d: %s", i, strerror(errno));
    }
    /* the server took them all (each holds a descriptor there), and they sit idle */
    until = now_seconds() + 30.0;
    while (open_descriptors(server.pid) < IDLE_CONNECTIONS && now_seconds() < until)
        pause_briefly();
    ck_assert_int_ge(open_descriptors(server.pid), IDLE_CONNECTIONS);

    asked = now_seconds();
    res = get_from(&server, token, "/v1/people?limit=1");
    EXPECT_STATUS(res, 200);
    ck_assert_msg(now_seconds() - asked < 5.0, "the new request waited %.1f s",
                  now_seconds() - asked);
    http_response_free(&res);

    for (i = 0; i < IDLE_CONNECTIONS; i++)
        close(fds[i]);
    stop_cleanly(&server);
    free(token);
}
END_TEST

/* A request sent on a thread of its own: no Check assertion runs there. */
typedef struct slow_request {
    const own_server *server;
    const char *token;
    http_response res;
} slow_request;

static void *send_slow_request(void *arg)
{
    slow_request *slow = arg;

    slow->res = get_from(slow->server, slow->token, "/v1/people?limit=1");
    return NULL;
}

START_TEST(test_sigterm_finishes_requests_under_way_refuses_new_ones_and_exits)
{
    /* the request waits on a lock the test holds: no statement timeout may end it first */
    static const char *const settings[] = {"PERMANENCE_DB_STATEMENT_TIMEOUT_MS=60000", NULL};
    char sub[FX_ID_MAX];
    char *token;
    own_server server;
    PGconn *locker;
    pthread_t thread;
    slow_request slow;
    double until;
    double signalled;
    int waiting = 0;
    int refused = 0;
    int exited = 0;
    int wstatus = 0;
    pid_t pid;

    fx_unique(sub, sizeof sub, "limits-stop");
    token = admin_token(sub);
    own_server_start_with(&server, "http://127.0.0.1:", settings);
    pid = server.pid;
    locker = db_connect();
    db_must(locker, "BEGIN");
    db_must(locker, "LOCK TABLE people IN ACCESS EXCLUSIVE MODE");

    memset(&slow, 0, sizeof slow);
    slow.server = &server;
    slow.token = token;
    ck_assert_int_eq(pthread_create(&thread, NULL, send_slow_request, &slow), 0);
    /* under way: the list's statement waits for the lock */
    until = now_seconds() + 20.0;
    while (!waiting && now_seconds() < until) {
        waiting = db_long("select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                          "and query like '%person_json(p) AS item%'", 0) > 0;
        if (!waiting)
            pause_briefly();
    }
    ck_assert_msg(waiting, "the request never reached the database");

    signalled = now_seconds();
    ck_assert_int_eq(kill(pid, SIGTERM), 0);
    /* new connections are refused once the signal is taken */
    until = signalled + 5.0;
    while (!refused && now_seconds() < until) {
        int fd = connect_to(&server);

        if (fd >= 0) {
            close(fd);
            pause_briefly();
        } else {
            ck_assert_msg(errno == ECONNREFUSED, "connect: %s", strerror(errno));
            refused = 1;
        }
    }
    ck_assert_msg(refused, "new connections were still taken 5 s after SIGTERM");

    db_must(locker, "COMMIT");
    PQfinish(locker);
    pthread_join(thread, NULL);
    EXPECT_STATUS(slow.res, 200);
    ck_assert_msg(json_is_array(json_object_get(slow.res.json, "items")), "no items: %s",
                  slow.res.body);
    http_response_free(&slow.res);

    while (!exited && now_seconds() < signalled + 10.0) {
        exited = waitpid(pid, &wstatus, WNOHANG) == pid;
        if (!exited)
            pause_briefly();
    }
    ck_assert_msg(exited, "the process was still running 10 s after SIGTERM");
    server.pid = 0;
    ck_assert_msg(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0,
                  "the process ended with wait status %d", wstatus);
    free(token);
}
END_TEST

Suite *limits_suite(void)
{
    Suite *s = suite_create("limits");
    TCase *tc = tcase_create("limits");

    tcase_set_timeout(tc, 120.0);
    tcase_add_test(tc, test_api4_subject_over_its_rate_gets_429_while_others_are_served);
    tcase_add_test(tc, test_api4_slow_loris_is_cut_off_at_the_receive_deadline);
    tcase_add_test(tc, test_api4_over_a_thousand_idle_connections_do_not_stop_a_new_request);
    tcase_add_test(tc, test_sigterm_finishes_requests_under_way_refuses_new_ones_and_exits);
    suite_add_tcase(s, tc);
    return s;
}
