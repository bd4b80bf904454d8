/*
 * <sys/kpi_socket.h> for kext code (libkctl-kpi): kernel sockets are NOT simulated. The
 * declarations are Apple's, so that a kext which also opens sockets from the kernel
 * compiles; loading it is refused with a sentence naming the call and its family
 * ("uses sock_socket: kernel sockets (sock_*) are not simulated"). None of these
 * functions exists in libkctl-kpi.
 */
#ifndef KCTL_KPI_SYS_KPI_SOCKET_H
#define KCTL_KPI_SYS_KPI_SOCKET_H

#include <sys/_kpi_cdefs.h>
#include <sys/kernel_types.h>
#include <sys/socket.h>

struct timeval;
struct sockaddr;
struct msghdr;

__BEGIN_DECLS

typedef void (*sock_upcall)(socket_t so, void *cookie, int waitf);

errno_t sock_accept(socket_t so, struct sockaddr *from, int fromlen, int flags,
		    sock_upcall callback, void *cookie, socket_t *new_so);
errno_t sock_bind(socket_t so, const struct sockaddr *to);
errno_t sock_connect(socket_t so, const struct sockaddr *to, int flags);
errno_t sock_getpeername(socket_t so, struct sockaddr *peername, int peernamelen);
errno_t sock_getsockname(socket_t so, struct sockaddr *sockname, int socknamelen);
errno_t sock_getsockopt(socket_t so, int level, int optname, void *optval, int *optlen);
errno_t sock_ioctl(socket_t so, unsigned long request, void *argp);
errno_t sock_setsockopt(socket_t so, int level, int optname, const void *optval, int optlen);
errno_t sock_listen(socket_t so, int backlog);
errno_t sock_receive(socket_t so, struct msghdr *msg, int flags, size_t *recvdlen);
errno_t sock_receivembuf(socket_t so, struct msghdr *msg, mbuf_t *data, int flags,
			 size_t *recvlen);
errno_t sock_send(socket_t so, const struct msghdr *msg, int flags, size_t *sentlen);
errno_t sock_sendmbuf(socket_t so, const struct msghdr *msg, mbuf_t data, int flags,
		      size_t *sentlen);
errno_t sock_shutdown(socket_t so, int how);
errno_t sock_socket(int domain, int type, int protocol, sock_upcall callback, void *cookie,
		    socket_t *new_so);
void sock_close(socket_t so);
void sock_retain(socket_t so);
void sock_release(socket_t so);
errno_t sock_setpriv(socket_t so, int on);
int sock_isconnected(socket_t so);
int sock_isnonblocking(socket_t so);
errno_t sock_gettype(socket_t so, int *domain, int *type, int *protocol);

__END_DECLS

#endif
