/* Cold start, timed from the outside: exec the server, then connect and send one request in a
 * tight loop until it is answered 200; print the microseconds from just before fork() to the
 * end of the 200's status line, one line per run. Then SIGTERM and wait, and start again.
 *
 *   coldstart RUNS PORT PATH TOKEN BINARY [ARGS...]
 *
 * The server's stdout and stderr go to /dev/null. PATH is the request target (`/api/v2/connections/ID` or `/healthz`), TOKEN the bearer token
 * (empty for none). Only 127.0.0.1. A run without a 200 within 10 s (COLDSTART_TIMEOUT seconds
 * when set, for a server under valgrind) fails the program.
 * Built by bench/cold-start.sh with `cc -O2`.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* 1: answered 200; 0: refused, closed or another status (try again). */
static int ask(int port, const char *request, size_t length) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct timeval timeout = {.tv_sec = 60};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    int ok = 0;
    if (connect(fd, (struct sockaddr *)&address, sizeof address) == 0 && write(fd, request, length) == (ssize_t)length) {
        char status[16];
        size_t got = 0;
        while (got < 12) {
            ssize_t n = read(fd, status + got, 12 - got);
            if (n <= 0) break;
            got += (size_t)n;
        }
        ok = got == 12 && memcmp(status, "HTTP/1.1 200", 12) == 0;
    }
    close(fd);
    return ok;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: coldstart RUNS PORT PATH TOKEN BINARY [ARGS...]\n");
        return 2;
    }
    int runs = atoi(argv[1]);
    int port = atoi(argv[2]);
    double timeout_us = (getenv("COLDSTART_TIMEOUT") ? atof(getenv("COLDSTART_TIMEOUT")) : 10) * 1e6;
    char request[1024];
    int length;
    if (argv[4][0])
        length = snprintf(request, sizeof request,
                          "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\nConnection: close\r\n\r\n", argv[3],
                          argv[4]);
    else
        length = snprintf(request, sizeof request, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", argv[3]);
    if (length <= 0 || length >= (int)sizeof request) return 2;
    for (int run = 0; run < runs; run++) {
        double started = now_us();
        pid_t child = fork();
        if (child < 0) return 1;
        if (child == 0) {
            int null = open("/dev/null", O_WRONLY);
            if (null >= 0) {
                dup2(null, 1);
                dup2(null, 2);
            }
            execv(argv[5], argv + 5);
            _exit(127);
        }
        int answered = 0;
        double elapsed = 0;
        while (now_us() - started < timeout_us) {
            if (ask(port, request, (size_t)length)) {
                elapsed = now_us() - started;
                answered = 1;
                break;
            }
            if (waitpid(child, NULL, WNOHANG) == child) {
                child = 0;
                break;
            }
            /* 0.1 ms between tries: fine enough for milliseconds, and leaves both cores to the server. */
            usleep(100);
        }
        if (child > 0) {
            kill(child, SIGTERM);
            waitpid(child, NULL, 0);
        }
        if (!answered) {
            fprintf(stderr, "coldstart: no 200 on %s in time (run %d)\n", argv[3], run);
            return 1;
        }
        printf("%.0f\n", elapsed);
        fflush(stdout);
    }
    return 0;
}
