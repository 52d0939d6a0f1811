#define _GNU_SOURCE
#include "CCygnetNet.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

int cyg_tun_open(const char *name, char *actual_name) {
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) return -errno;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    // IFF_NAPI: packets we write go through NAPI and GRO, which coalesces the segments
    // of a TCP flow before the stack sees them.
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI | IFF_NAPI;
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
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
