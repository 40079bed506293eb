// SPDX-License-Identifier: GPL-2.0
/* The shared socket owner hooks: keep sock_owners (sock_owner.h) true for every IPv4/IPv6 socket of every process,
 * so that probes seeing packets or softirq work can name the process by the socket's cookie. Loaded once however
 * many probes use it (src/Probes/Sockets/SocketOwners.cs). The cgroup programs are attached to the cgroup v2 root,
 * where they see every process, and always return 1: they observe, never deny. */
#include "ingrain.h"
#include "sock_owner.h"
#include "sock_tuple.h"

static __always_inline bool is_inet(__u32 family)
{
	return family == AF_INET || family == AF_INET6;
}

SEC("cgroup/sock_create")
int ingrain_sk_create(struct bpf_sock *ctx)
{
	if (is_inet(ctx->family))
		sock_owner_record(bpf_get_socket_cookie(ctx), SOCK_OWNER_CREATE, BPF_ANY);
	return 1;
}

/* The socket is closed (its last file reference): no process owns it any more. */
SEC("cgroup/sock_release")
int ingrain_sk_release(struct bpf_sock *ctx)
{
	if (is_inet(ctx->family)) {
		__u64 cookie = bpf_get_socket_cookie(ctx);
		bpf_map_delete_elem(&sock_owners, &cookie);
	}
	return 1;
}

SEC("cgroup/connect4")
int ingrain_sk_connect4(struct bpf_sock_addr *ctx)
{
	sock_owner_record(bpf_get_socket_cookie(ctx), SOCK_OWNER_CONNECT, BPF_ANY);
	return 1;
}

SEC("cgroup/connect6")
int ingrain_sk_connect6(struct bpf_sock_addr *ctx)
{
	sock_owner_record(bpf_get_socket_cookie(ctx), SOCK_OWNER_CONNECT, BPF_ANY);
	return 1;
}

SEC("cgroup/post_bind4")
int ingrain_sk_bind4(struct bpf_sock *ctx)
{
	sock_owner_record(bpf_get_socket_cookie(ctx), SOCK_OWNER_BIND, BPF_ANY);
	return 1;
}

SEC("cgroup/post_bind6")
int ingrain_sk_bind6(struct bpf_sock *ctx)
{
	sock_owner_record(bpf_get_socket_cookie(ctx), SOCK_OWNER_BIND, BPF_ANY);
	return 1;
}

/* UDP sends and receives with an address: fill the gap for sockets that predate the agent. */
SEC("cgroup/sendmsg4")
int ingrain_sk_sendmsg4(struct bpf_sock_addr *ctx)
{
	sock_owner_record(bpf_get_socket_cookie(ctx), SOCK_OWNER_MSG, BPF_NOEXIST);
	return 1;
}

SEC("cgroup/sendmsg6")
int ingrain_sk_sendmsg6(struct bpf_sock_addr *ctx)
{
	sock_owner_record(bpf_get_socket_cookie(ctx), SOCK_OWNER_MSG, BPF_NOEXIST);
	return 1;
}

SEC("cgroup/recvmsg4")
int ingrain_sk_recvmsg4(struct bpf_sock_addr *ctx)
{
	sock_owner_record(bpf_get_socket_cookie(ctx), SOCK_OWNER_MSG, BPF_NOEXIST);
	return 1;
}

SEC("cgroup/recvmsg6")
int ingrain_sk_recvmsg6(struct bpf_sock_addr *ctx)
{
	sock_owner_record(bpf_get_socket_cookie(ctx), SOCK_OWNER_MSG, BPF_NOEXIST);
	return 1;
}

/* sock_create is not called for accepted sockets: the owner is the task whose accept returned the fd. The cookie
 * exists by then (ingrain_sk_state generated it when the connection was born); a classic tracepoint cannot make one. */
static __always_inline int on_accept(long fd)
{
	if (fd < 0)
		return 0;
	struct sock *sk = sock_from_fd(fd);
	if (sk)
		sock_owner_record(sock_cookie_if_set(sk), SOCK_OWNER_ACCEPT, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int ingrain_sk_accept4(struct trace_event_raw_sys_exit *ctx)
{
	return on_accept(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int ingrain_sk_accept(struct trace_event_raw_sys_exit *ctx)
{
	return on_accept(ctx->ret);
}

/* A passive TCP connection is born in softirq (SYN_RECV): generate its cookie there, so accept's exit can read it. */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(ingrain_sk_state, const struct sock *sk, const int oldstate, const int newstate)
{
	if (newstate == TCP_SYN_RECV)
		bpf_get_socket_cookie((void *)sk);
	return 0;
}

/* Run at start: every socket already open in any process. The hooks above know better for sockets they see, so
 * this only fills gaps (BPF_NOEXIST). A socket shared by several processes (fork) goes to the first one seen.
 * The iterator's sk is untrusted, so it cannot generate a cookie: a socket that has none yet is written to the
 * iterator's output as {tgid, fd}; user space makes the kernel generate it (SO_COOKIE on a pidfd_getfd copy) and
 * runs the iterator again. */
struct seed_missing {
	__u32 tgid;
	__u32 fd;
};

SEC("iter/task_file")
int ingrain_sk_seed(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	if (!task || !file)
		return 0;
	struct socket *sock = bpf_sock_from_file(file);
	if (!sock)
		return 0;
	struct sock *sk = sock->sk;
	if (!sk || !is_inet(sk->__sk_common.skc_family))
		return 0;
	__u64 cookie = sk->__sk_common.skc_cookie.counter;
	if (!cookie) {
		struct seed_missing m = { .tgid = task->tgid, .fd = ctx->fd };
		bpf_seq_write(ctx->meta->seq, &m, sizeof(m));
		return 0;
	}
	struct sock_owner o = {
		.boot_ns = bpf_ktime_get_boot_ns(),
		.tgid = task->tgid,
		.pid = task->pid,
		.uid = BPF_CORE_READ(task, real_cred, uid.val),
		.hook = SOCK_OWNER_SEED,
	};
	BPF_CORE_READ_STR_INTO(&o.comm, task, group_leader, comm);
	BPF_CORE_READ_STR_INTO(&o.thread_comm, task, comm);
	long err = bpf_map_update_elem(&sock_owners, &cookie, &o, BPF_NOEXIST);
	if (err && err != -17) {
		__u32 k = 0;
		__u64 *c = bpf_map_lookup_elem(&sock_owner_full, &k);
		if (c)
			(*c)++;
	}
	return 0;
}
