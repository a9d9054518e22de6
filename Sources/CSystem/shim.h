#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/random.h>
#include <stdint.h>

// Swift's Glibc module has no epoll_* and no accept4. accept4 is declared only under
// _GNU_SOURCE, and defining that here would give this module a different `fd_set` from
// every other module built on glibc's headers (Dispatch, CCrypto): a build error. So it is
// declared here with its plain signature and wrapped.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);

static inline int csystem_accept(int fd) {
    return accept4(fd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

// epoll_event is packed on x86_64; building it in C keeps Swift away from the layout.
static inline int csystem_epoll_add(int epfd, int fd, uint32_t events, uint64_t data) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = data;
    return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event);
}

static inline int csystem_epoll_del(int epfd, int fd) {
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, 0);
}

static inline int csystem_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

static inline uint32_t csystem_event_flags(const struct epoll_event *events, int index) {
    return events[index].events;
}

static inline uint64_t csystem_event_data(const struct epoll_event *events, int index) {
    return events[index].data.u64;
}

static inline int csystem_eventfd(void) {
    return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}

static inline int csystem_tcp_socket(int family) {
    return socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

static const uint32_t csystem_EPOLLIN = EPOLLIN;
static const uint32_t csystem_EPOLLOUT = EPOLLOUT;
static const uint32_t csystem_EPOLLERR = EPOLLERR;
static const uint32_t csystem_EPOLLHUP = EPOLLHUP;
static const uint32_t csystem_EPOLLRDHUP = EPOLLRDHUP;
static const uint32_t csystem_EPOLLET = EPOLLET;

// mallopt(3) is in <malloc.h>, which Swift's Glibc module leaves out. Fixed thresholds also
// stop glibc adjusting them on its own.
#include <malloc.h>

static inline void csystem_set_heap_thresholds(int trim_threshold, int mmap_threshold) {
    mallopt(M_TRIM_THRESHOLD, trim_threshold);
    mallopt(M_MMAP_THRESHOLD, mmap_threshold);
}

// Per-loop metrics: each slot has one writer (its event loop) and is read by a scrape on
// another thread. Relaxed atomic loads and stores are plain moves on x86-64 and arm64 (no
// lock prefix, no fence), and keep the cross-thread reads defined behaviour.
static inline uint64_t csystem_load_relaxed(const uint64_t *slot) {
    return __atomic_load_n(slot, __ATOMIC_RELAXED);
}

static inline void csystem_store_relaxed(uint64_t *slot, uint64_t value) {
    __atomic_store_n(slot, value, __ATOMIC_RELAXED);
}
