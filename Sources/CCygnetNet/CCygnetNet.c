#define _GNU_SOURCE
#include "CCygnetNet.h"

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <signal.h>
#include <stddef.h>
#include <spawn.h>
#include <netinet/in.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

int cyg_tun_open(const char *name, char *actual_name, int offload) {
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) return -errno;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    // IFF_NAPI: packets we write go through NAPI and GRO, which coalesces the segments
    // of a TCP flow before the stack sees them.
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_NAPI | (offload ? IFF_VNET_HDR : 0);
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    // With a virtio-net header on every packet, the kernel may hand us TCP segments of up
    // to 64 KiB (TSO) and packets whose checksum we finish; we segment them ourselves.
    if (offload && ioctl(fd, TUNSETOFFLOAD, (unsigned long)(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    memcpy(actual_name, ifr.ifr_name, IFNAMSIZ);
    actual_name[IFNAMSIZ - 1] = 0;
    return fd;
}

int cyg_recv_batch(int fd, cyg_datagram *slots, int count, int wait_forever) {
    if (count > CYG_MAX_BATCH) count = CYG_MAX_BATCH;
    struct mmsghdr headers[CYG_MAX_BATCH];
    struct iovec vectors[CYG_MAX_BATCH];
    memset(headers, 0, sizeof(struct mmsghdr) * (size_t)count);
    for (int i = 0; i < count; i++) {
        vectors[i].iov_base = slots[i].buffer;
        vectors[i].iov_len = slots[i].capacity;
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
        headers[i].msg_hdr.msg_name = &slots[i].address;
        headers[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_storage);
    }
    int received = recvmmsg(fd, headers, (unsigned)count, wait_forever ? MSG_WAITFORONE : MSG_DONTWAIT, NULL);
    if (received < 0) return -errno;
    for (int i = 0; i < received; i++) {
        slots[i].length = headers[i].msg_len;
        slots[i].address_length = headers[i].msg_hdr.msg_namelen;
        // A datagram larger than the slot is cut; report it as such so it is dropped.
        if (headers[i].msg_hdr.msg_flags & MSG_TRUNC) slots[i].length = slots[i].capacity + 1;
    }
    return received;
}

int cyg_send_batch(int fd, cyg_datagram *slots, int count) {
    if (count > CYG_MAX_BATCH) count = CYG_MAX_BATCH;
    struct mmsghdr headers[CYG_MAX_BATCH];
    struct iovec vectors[CYG_MAX_BATCH];
    memset(headers, 0, sizeof(struct mmsghdr) * (size_t)count);
    for (int i = 0; i < count; i++) {
        vectors[i].iov_base = slots[i].buffer;
        vectors[i].iov_len = slots[i].length;
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
        headers[i].msg_hdr.msg_name = &slots[i].address;
        headers[i].msg_hdr.msg_namelen = slots[i].address_length;
    }
    int sent = sendmmsg(fd, headers, (unsigned)count, 0);
    return sent < 0 ? -errno : sent;
}

int cyg_interface_up(const char *name, int mtu, int txqueuelen) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -errno;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    ifr.ifr_mtu = mtu;
    if (ioctl(fd, SIOCSIFMTU, &ifr) < 0) goto fail;
    // The TUN driver drops what its queue cannot hold (it does not stop the queue), and
    // TCP in the tunnel takes every drop for congestion: a deeper queue than the
    // default 500 rides out the bursts.
    ifr.ifr_qlen = txqueuelen;
    if (ioctl(fd, SIOCSIFTXQLEN, &ifr) < 0) goto fail;
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) goto fail;
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) goto fail;
    close(fd);
    return 0;
fail:;
    int error = errno;
    close(fd);
    return -error;
}

int cyg_file_identity(const char *path, uint64_t *device, uint64_t *inode, int *is_socket) {
    struct stat info;
    if (stat(path, &info) < 0) return -errno;
    *device = (uint64_t)info.st_dev;
    *inode = (uint64_t)info.st_ino;
    *is_socket = S_ISSOCK(info.st_mode) ? 1 : 0;
    return 0;
}

socklen_t cyg_sockaddr_make(struct sockaddr_storage *out, const uint8_t *address, int address_length, uint16_t port) {
    memset(out, 0, sizeof *out);
    if (address_length == 4) {
        struct sockaddr_in *v4 = (struct sockaddr_in *)out;
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        memcpy(&v4->sin_addr, address, 4);
        return sizeof *v4;
    }
    if (address_length == 16) {
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)out;
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        memcpy(&v6->sin6_addr, address, 16);
        return sizeof *v6;
    }
    return 0;
}

int cyg_sockaddr_parse(const struct sockaddr_storage *in, uint8_t *address, uint16_t *port) {
    if (in->ss_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)in;
        memcpy(address, &v4->sin_addr, 4);
        *port = ntohs(v4->sin_port);
        return 4;
    }
    if (in->ss_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)in;
        memcpy(address, &v6->sin6_addr, 16);
        *port = ntohs(v6->sin6_port);
        return 16;
    }
    return 0;
}

int cyg_local_port(int fd) {
    struct sockaddr_storage storage;
    socklen_t length = sizeof(storage);
    if (getsockname(fd, (struct sockaddr *)&storage, &length) < 0) return -errno;
    uint8_t address[16];
    uint16_t port = 0;
    return cyg_sockaddr_parse(&storage, address, &port) > 0 ? port : -EAFNOSUPPORT;
}

int cyg_interface_addresses(int address_length, const char *excluded, uint8_t *out, int capacity) {
    struct ifaddrs *list;
    if (getifaddrs(&list) < 0) return 0;
    int count = 0;
    for (struct ifaddrs *entry = list; entry && count < capacity; entry = entry->ifa_next) {
        if (!entry->ifa_addr || (excluded && strcmp(entry->ifa_name, excluded) == 0)) continue;
        if (address_length == 4 && entry->ifa_addr->sa_family == AF_INET) {
            memcpy(out + 16 * count++, &((struct sockaddr_in *)entry->ifa_addr)->sin_addr, 4);
        } else if (address_length == 16 && entry->ifa_addr->sa_family == AF_INET6) {
            memcpy(out + 16 * count++, &((struct sockaddr_in6 *)entry->ifa_addr)->sin6_addr, 16);
        }
    }
    freeifaddrs(list);
    return count;
}

static void cyg_fill_status(const struct stat *info, cyg_file_status *out) {
    out->device = (uint64_t)info->st_dev;
    out->inode = (uint64_t)info->st_ino;
    out->links = (uint64_t)info->st_nlink;
    out->mode = (uint32_t)info->st_mode;
    out->uid = (uint32_t)info->st_uid;
}

int cyg_path_status(const char *path, int follow, cyg_file_status *out) {
    struct stat info;
    if ((follow ? stat(path, &info) : lstat(path, &info)) < 0) return -errno;
    cyg_fill_status(&info, out);
    return 0;
}

int cyg_fd_status(int fd, cyg_file_status *out) {
    struct stat info;
    if (fstat(fd, &info) < 0) return -errno;
    cyg_fill_status(&info, out);
    return 0;
}

_Static_assert(sizeof(struct ucred) == sizeof(cyg_peer_credentials), "cyg_peer_credentials mirrors struct ucred");
_Static_assert(offsetof(struct ucred, uid) == offsetof(cyg_peer_credentials, uid), "cyg_peer_credentials mirrors struct ucred");

extern char **environ;

int cyg_spawn(const char *path, char *const argv[], char *const envp[], int stdout_fd, int stderr_fd) {
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_t actions;
    int error = posix_spawnattr_init(&attributes);
    if (error) return -error;
    error = posix_spawn_file_actions_init(&actions);
    if (error) {
        posix_spawnattr_destroy(&attributes);
        return -error;
    }
    // A blocked SIGALRM inherited from the caller's thread would keep `openssl speed
    // -seconds` running for ever; an ignored SIGTERM or SIGINT would survive the exec.
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    if (!error) error = posix_spawnattr_setflags(
        &attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    if (!error) error = posix_spawnattr_setsigmask(&attributes, &none);
    if (!error) error = posix_spawnattr_setsigdefault(&attributes, &all);
    // A group of its own, so that a timeout kills what it started too.
    if (!error) error = posix_spawnattr_setpgroup(&attributes, 0);
    if (!error) error = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (!error) error = posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
    if (!error) error = posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
    pid_t pid = 0;
    if (!error) error = posix_spawn(&pid, path, &actions, &attributes, argv, envp ? envp : environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return error ? -error : (int)pid;
}

int cyg_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC) < 0 ? -errno : 0; }

int cyg_wait(int pid, int *code) {
    int status = 0;
    while (waitpid((pid_t)pid, &status, 0) < 0) {
        if (errno != EINTR) return -errno;
    }
    if (WIFSIGNALED(status)) {
        *code = WTERMSIG(status);
        return 1;
    }
    *code = WEXITSTATUS(status);
    return 0;
}

int cyg_resolve(const char *name, uint8_t *out, int *lengths, int capacity) {
    struct addrinfo hints, *list;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    int error = getaddrinfo(name, NULL, &hints, &list);
    if (error) return error < 0 ? error : -error;
    int count = 0;
    for (struct addrinfo *entry = list; entry && count < capacity; entry = entry->ai_next) {
        uint8_t address[16];
        uint16_t port;
        int length = cyg_sockaddr_parse((const struct sockaddr_storage *)entry->ai_addr, address, &port);
        if (length == 0) continue;
        int seen = 0;
        for (int i = 0; i < count && !seen; i++) seen = lengths[i] == length && memcmp(out + 16 * i, address, (size_t)length) == 0;
        if (seen) continue;
        memcpy(out + 16 * count, address, (size_t)length);
        lengths[count++] = length;
    }
    freeaddrinfo(list);
    return count;
}

const char *cyg_resolve_error(int code) { return gai_strerror(code); }

_Static_assert(CYG_RTM_NEWADDR == RTM_NEWADDR && CYG_RTM_DELADDR == RTM_DELADDR && CYG_RTM_GETADDR == RTM_GETADDR, "RTM_*ADDR");
_Static_assert(CYG_RTM_NEWROUTE == RTM_NEWROUTE && CYG_RTM_DELROUTE == RTM_DELROUTE && CYG_RTM_GETROUTE == RTM_GETROUTE, "RTM_*ROUTE");
_Static_assert(CYG_NLMSG_ERROR == NLMSG_ERROR && CYG_NLMSG_DONE == NLMSG_DONE, "NLMSG_*");
_Static_assert(CYG_IFA_ADDRESS == IFA_ADDRESS && CYG_IFA_LOCAL == IFA_LOCAL && CYG_IFA_FLAGS == IFA_FLAGS, "IFA_*");
_Static_assert(CYG_IFA_F_SECONDARY == IFA_F_SECONDARY && CYG_IFA_F_DADFAILED == IFA_F_DADFAILED && CYG_IFA_F_TENTATIVE == IFA_F_TENTATIVE, "IFA_F_*");
_Static_assert(CYG_RTA_DST == RTA_DST && CYG_RTA_OIF == RTA_OIF && CYG_RTA_GATEWAY == RTA_GATEWAY && CYG_RTA_PRIORITY == RTA_PRIORITY, "RTA_*");
_Static_assert(CYG_RTA_PREFSRC == RTA_PREFSRC && CYG_RTA_TABLE == RTA_TABLE && CYG_RT_TABLE_MAIN == RT_TABLE_MAIN, "RTA_*");
_Static_assert(CYG_RTN_UNICAST == RTN_UNICAST, "RTN_UNICAST");
_Static_assert(sizeof(struct nlmsghdr) == 16 && sizeof(struct ifaddrmsg) == 8 && sizeof(struct rtmsg) == 12, "rtnetlink layouts");

uint32_t cyg_netlink_address_route_groups(void) {
    return RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE;
}

int cyg_netlink_open(uint32_t groups) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) return -errno;
    int size = 1 << 20;
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
    struct sockaddr_nl address;
    memset(&address, 0, sizeof address);
    address.nl_family = AF_NETLINK;
    address.nl_groups = groups;
    if (bind(fd, (struct sockaddr *)&address, sizeof address) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}

static int cyg_netlink_send(int fd, void *message, size_t length) {
    struct sockaddr_nl kernel;
    memset(&kernel, 0, sizeof kernel);
    kernel.nl_family = AF_NETLINK;
    ssize_t sent = sendto(fd, message, length, 0, (struct sockaddr *)&kernel, sizeof kernel);
    if (sent < 0) return -errno;
    return sent == (ssize_t)length ? 0 : -EMSGSIZE;
}

int cyg_netlink_dump(int fd, int type, uint32_t seq) {
    struct {
        struct nlmsghdr header;
        struct rtmsg body;
    } request;
    memset(&request, 0, sizeof request);
    size_t body = type == RTM_GETADDR ? sizeof(struct ifaddrmsg) : sizeof(struct rtmsg);
    request.header.nlmsg_len = (uint32_t)NLMSG_LENGTH(body);
    request.header.nlmsg_type = (uint16_t)type;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.header.nlmsg_seq = seq;
    request.body.rtm_family = AF_UNSPEC;
    return cyg_netlink_send(fd, &request, request.header.nlmsg_len);
}

int cyg_netlink_route_get(int fd, const uint8_t *address, int address_length, uint32_t seq) {
    if (address_length != 4 && address_length != 16) return -EAFNOSUPPORT;
    struct {
        struct nlmsghdr header;
        struct rtmsg body;
        struct rtattr attribute;
        uint8_t address[16];
    } request;
    memset(&request, 0, sizeof request);
    request.header.nlmsg_len = (uint32_t)(NLMSG_LENGTH(sizeof(struct rtmsg)) + RTA_LENGTH(address_length));
    request.header.nlmsg_type = RTM_GETROUTE;
    request.header.nlmsg_flags = NLM_F_REQUEST;
    request.header.nlmsg_seq = seq;
    request.body.rtm_family = address_length == 4 ? AF_INET : AF_INET6;
    request.body.rtm_dst_len = (unsigned char)(address_length * 8);
    request.attribute.rta_type = RTA_DST;
    request.attribute.rta_len = (unsigned short)RTA_LENGTH(address_length);
    memcpy(request.address, address, (size_t)address_length);
    return cyg_netlink_send(fd, &request, request.header.nlmsg_len);
}

int cyg_netlink_receive(int fd, uint8_t *buffer, int capacity, int timeout_ms) {
    struct pollfd poller = {.fd = fd, .events = POLLIN, .revents = 0};
    int ready = poll(&poller, 1, timeout_ms);
    if (ready < 0) return errno == EINTR ? 0 : -errno;
    if (ready == 0) return 0;
    ssize_t received = recv(fd, buffer, (size_t)capacity, MSG_DONTWAIT);
    if (received < 0) return (errno == EAGAIN || errno == EINTR) ? 0 : -errno;
    return (int)received;
}
