/* Reading a socket's addresses and finding the socket behind a file descriptor: shared by the probes that report
 * connections (network, DNS, TLS). Works on BTF pointers (tp_btf) and on plain kernel pointers alike. */
#ifndef INGRAIN_SOCK_TUPLE_H
#define INGRAIN_SOCK_TUPLE_H

#include "ingrain.h"
#include <bpf/bpf_endian.h>
#include "sock_owner.h"

/* Addresses as the socket holds them: IPv4 in the first 4 bytes (family AF_INET), IPv6 in all 16 (AF_INET6; a
 * dual-stack socket's IPv4 peer is IPv4-mapped, ::ffff:a.b.c.d, and user space reports it as IPv4). Ports in host
 * byte order. Local = s, remote = d. */
struct sock_tuple {
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 sport;
	__u16 dport;
	__u16 family;
	__u16 protocol;         /* IPPROTO_TCP, IPPROTO_UDP */
};

/* Fills *t from sk; false when sk is not an IPv4/IPv6 socket. */
static __always_inline bool sock_read_tuple(const struct sock *sk, struct sock_tuple *t)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return false;
	t->family = family;
	t->protocol = BPF_CORE_READ(sk, sk_protocol);
	/* inet_sport, not skc_num: at TCP_CLOSE the port is already released and skc_num reads 0. */
	t->sport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	t->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == AF_INET) {
		__builtin_memset(t->saddr, 0, sizeof(t->saddr));
		__builtin_memset(t->daddr, 0, sizeof(t->daddr));
		__u32 s = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 d = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__builtin_memcpy(t->saddr, &s, 4);
		__builtin_memcpy(t->daddr, &d, 4);
	} else {
		BPF_CORE_READ_INTO(&t->saddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(&t->daddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	}
	return true;
}

/* The socket behind the current task's file descriptor fd (which the caller knows is a socket, e.g. accept's
 * result), or NULL. */
static __always_inline struct sock *sock_from_fd(long fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	if (!fdt || fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *file = NULL;
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
		return NULL;
	struct socket *sock = BPF_CORE_READ(file, private_data);
	return sock ? BPF_CORE_READ(sock, sk) : NULL;
}

/* The socket's cookie when something already generated it (a cgroup hook or tp_btf program calling
 * bpf_get_socket_cookie), else 0: classic tracepoints cannot generate one. */
static __always_inline __u64 sock_cookie_if_set(const struct sock *sk)
{
	return BPF_CORE_READ(sk, __sk_common.skc_cookie.counter);
}

#endif
