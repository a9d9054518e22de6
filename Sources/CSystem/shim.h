#define _GNU_SOURCE
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

// Swift's Glibc module has no epoll_* and no accept4; accept4's sockaddr argument is a
// transparent union under _GNU_SOURCE, so it is wrapped here.
static inline int csystem_accept(int fd) {
    return accept4(fd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}
