#ifndef CCYGNETNET_H
#define CCYGNETNET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/// One datagram slot for batched receive and send: a buffer, the bytes used, and the
/// peer's address.
typedef struct cyg_datagram {
    void *buffer;
    size_t capacity;
    size_t length;
    struct sockaddr_storage address;
    socklen_t address_length;
} cyg_datagram;

/// The most slots one batched call takes.
#define CYG_MAX_BATCH 64

/// Opens /dev/net/tun and attaches a TUN interface (IFF_TUN | IFF_NO_PI | IFF_NAPI) named
/// `name` (empty: the kernel picks one); the name given is written to `actual_name` (16
/// bytes). With `offload`, every packet read or written starts with a 10-byte
/// virtio_net_hdr and the kernel may pass TCP segmentation and checksums to us
/// (IFF_VNET_HDR, TUNSETOFFLOAD with TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6).
/// Returns the file descriptor, or -errno.
int cyg_tun_open(const char *name, char *actual_name, int offload);

/// recvmmsg(2) into up to `count` slots; returns the number of datagrams, or -errno.
/// With `wait_forever` = 0 it does not block (MSG_DONTWAIT).
int cyg_recv_batch(int fd, cyg_datagram *slots, int count, int wait_forever);

/// sendmmsg(2) of `count` slots; returns how many were sent, or -errno.
int cyg_send_batch(int fd, cyg_datagram *slots, int count);

/// Sets the interface's MTU and transmit queue length and brings it up (SIOCSIFMTU,
/// SIOCSIFTXQLEN, SIOCSIFFLAGS); 0 or -errno.
int cyg_interface_up(const char *name, int mtu, int txqueuelen);

/// Fills `out` with the sockaddr_in (4-byte `address`) or sockaddr_in6 (16 bytes) of
/// `address` and `port`; returns its length, or 0 for another address length.
socklen_t cyg_sockaddr_make(struct sockaddr_storage *out, const uint8_t *address, int address_length, uint16_t port);

/// Reads an AF_INET or AF_INET6 address: its bytes into `address` (16 bytes of room)
/// and its port; returns the address length (4 or 16), or 0 for another family.
int cyg_sockaddr_parse(const struct sockaddr_storage *in, uint8_t *address, uint16_t *port);

/// The local port a socket is bound to (getsockname), or -errno.
int cyg_local_port(int fd);

/// The addresses of one family (4 or 16 bytes each) of every interface but `excluded`,
/// written into `out` (16 bytes per address) up to `capacity`; returns how many.
int cyg_interface_addresses(int address_length, const char *excluded, uint8_t *out, int capacity);

/// lstat(2) of `path`: its device, inode and whether it is a socket; 0 or -errno.
/// (Here because `struct stat` resolves to different Swift modules in debug and release
/// builds under MemberImportVisibility.)
int cyg_file_identity(const char *path, uint64_t *device, uint64_t *inode, int *is_socket);

/// What stat(2) says of a file: the fields Cygnet checks before it trusts a path.
typedef struct cyg_file_status {
    uint64_t device;
    uint64_t inode;
    uint64_t links;
    /// st_mode: the type (S_IFMT bits) and the permission bits.
    uint32_t mode;
    uint32_t uid;
} cyg_file_status;

/// stat(2) of `path`, or lstat(2) (a symlink itself) when `follow` is 0; 0 or -errno.
int cyg_path_status(const char *path, int follow, cyg_file_status *out);

/// fstat(2) of an open file; 0 or -errno.
int cyg_fd_status(int fd, cyg_file_status *out);

/// Resolves the host name `name` (getaddrinfo(3), IPv4 and IPv6) into up to `capacity`
/// addresses, 16 bytes of room each in `out`, their lengths (4 or 16) in `lengths`, in the
/// resolver's order without repeats; returns how many, or a negative EAI_* code.
int cyg_resolve(const char *name, uint8_t *out, int *lengths, int capacity);

/// gai_strerror(3) of a code cyg_resolve returned.
const char *cyg_resolve_error(int code);

/// The credentials of a Unix socket's peer as SO_PEERCRED reads them (Linux's `struct
/// ucred`, which this mirrors field for field).
typedef struct cyg_peer_credentials {
    int32_t pid;
    uint32_t uid;
    uint32_t gid;
} cyg_peer_credentials;

/// The option name of SO_PEERCRED (at level SOL_SOCKET).
enum { CYG_SO_PEERCRED = SO_PEERCRED };

/// Starts the program `path` with `argv` (NULL-terminated) and `envp` (NULL-terminated;
/// NULL: this process's environment) through posix_spawn(2): in a process group of its
/// own, with no signal blocked and every signal at its default action whatever this
/// thread blocks or this process ignores, standard input from /dev/null and standard
/// output and error on `stdout_fd` and `stderr_fd`. Returns the process ID, or -errno.
int cyg_spawn(const char *path, char *const argv[], char *const envp[], int stdout_fd, int stderr_fd);

/// pipe2(2) with O_CLOEXEC; 0 or -errno.
int cyg_pipe(int fds[2]);

/// waitpid(2) for `pid` (retrying on EINTR): 0 when it exited (its status in `code`), 1
/// when a signal ended it (the signal in `code`), or -errno.
int cyg_wait(int pid, int *code);

/// rtnetlink (NETLINK_ROUTE, rtnetlink(7)): the message types, flags and attribute
/// types Cygnet reads, as Linux's headers define them.
enum {
    CYG_NLMSG_ERROR = 2,
    CYG_NLMSG_DONE = 3,
    CYG_RTM_NEWADDR = 20,
    CYG_RTM_DELADDR = 21,
    CYG_RTM_GETADDR = 22,
    CYG_RTM_NEWROUTE = 24,
    CYG_RTM_DELROUTE = 25,
    CYG_RTM_GETROUTE = 26,
    CYG_IFA_ADDRESS = 1,
    CYG_IFA_LOCAL = 2,
    CYG_IFA_FLAGS = 8,
    CYG_IFA_F_SECONDARY = 0x01,
    CYG_IFA_F_DADFAILED = 0x08,
    CYG_IFA_F_TENTATIVE = 0x40,
    CYG_RTA_DST = 1,
    CYG_RTA_OIF = 4,
    CYG_RTA_GATEWAY = 5,
    CYG_RTA_PRIORITY = 6,
    CYG_RTA_PREFSRC = 7,
    CYG_RTA_TABLE = 15,
    CYG_RT_TABLE_MAIN = 254,
    CYG_RTN_UNICAST = 1,
};

/// Opens a NETLINK_ROUTE socket, bound to the multicast `groups` (RTMGRP_* bits; 0 for
/// none), with a receive buffer of 1 MiB. Returns the file descriptor, or -errno.
int cyg_netlink_open(uint32_t groups);

/// The RTMGRP_* bits of IPv4 and IPv6 address and route changes.
uint32_t cyg_netlink_address_route_groups(void);

/// Asks for a dump (NLM_F_REQUEST | NLM_F_DUMP) of `type` (CYG_RTM_GETADDR or
/// CYG_RTM_GETROUTE) of every family, with sequence number `seq`; 0 or -errno.
int cyg_netlink_dump(int fd, int type, uint32_t seq);

/// Asks the kernel which route it takes to `address` (4 or 16 bytes; RTM_GETROUTE with
/// RTA_DST), with sequence number `seq`; 0 or -errno.
int cyg_netlink_route_get(int fd, const uint8_t *address, int address_length, uint32_t seq);

/// recv(2) of one netlink datagram into `buffer`, waiting up to `timeout_ms` (-1: for
/// ever); returns its length, 0 on timeout, or -errno (-ENOBUFS: notifications were lost).
int cyg_netlink_receive(int fd, uint8_t *buffer, int capacity, int timeout_ms);

#endif
