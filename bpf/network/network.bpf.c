// SPDX-License-Identifier: GPL-2.0
/* Network probe: TCP connections (connection.out/in/close) from sock/inet_sock_set_state and the exit of accept,
 * and TCP/UDP bytes per socket, process and peer (volume.out/in) from sock/sock_send_length and sock_recv_length,
 * summed in the kernel. No kprobes, no fentry. Softirq never names a process: a connection's owner is taken in
 * process context (connect, accept) and kept with the connection; what is missing comes from sock_owners. */
#include "ingrain.h"
#include "network.h"

/* Set by user space before load. */
const volatile __u32 ignore_tgid = 0;   /* the agent itself (0: keep all) */
const volatile bool emit_out = true;
const volatile bool emit_in = true;
const volatile bool emit_close = true;
const volatile bool track_volume = true;

#define ECONNABORTED 103
#define MSG_PEEK 2

INGRAIN_RINGBUF(1024 * 1024);

/* Connections, from birth to TCP_CLOSE. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, NET_CONNS_MAX);
	__type(key, __u64);
	__type(value, struct conn_state);
} conns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, NET_VOLUMES_MAX);
	__type(key, struct volume_key);
	__type(value, struct volume_value);
} volumes SEC(".maps");

/* Thread (pid_tgid) -> the UDP peer its send or receive in progress names. LRU: a send that fails after the hook
 * leaves its entry behind. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct udp_peer);
} udp_peers SEC(".maps");

/* Cookies of closed sockets: user space reports their volume entries a last time, then deletes them (no process
 * can add to them any more). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, NET_VOLUMES_MAX);
	__type(key, __u64);
	__type(value, __u8);
} released SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NET_ERR_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} net_errors SEC(".maps");

static __always_inline void count_error(__u32 index, __u64 n)
{
	__u64 *c = bpf_map_lookup_elem(&net_errors, &index);
	if (c)
		*c += n;
}

static __always_inline bool is_inet(__u16 family)
{
	return family == AF_INET || family == AF_INET6;
}

static __always_inline bool ignored(__u32 tgid)
{
	return ignore_tgid && tgid == ignore_tgid;
}

static __always_inline void emit_conn(__u8 kind, __u8 flags, __u32 error, __u64 cookie, const struct sock *sk,
				      const struct sock_owner *owner, __u64 duration, __u64 tx, __u64 rx)
{
	struct connection_record *r = INGRAIN_RESERVE(struct connection_record);
	if (!r)
		return;
	if (!sock_read_tuple(sk, &r->tuple)) {
		bpf_ringbuf_discard(r, 0);
		return;
	}
	r->op = INGRAIN_OP_CONNECTION;
	r->kind = kind;
	r->flags = flags;
	r->reserved = 0;
	r->error = error;
	r->boot_ns = bpf_ktime_get_boot_ns();
	r->cookie = cookie;
	r->duration_ns = duration;
	r->tx_bytes = tx;
	r->rx_bytes = rx;
	if (owner) {
		__builtin_memcpy(&r->owner, owner, sizeof(r->owner));
	} else {
		__builtin_memset(&r->owner, 0, sizeof(r->owner));
		r->flags |= CONN_F_NO_OWNER;
	}
	INGRAIN_SUBMIT(r);
}

static __always_inline void track(__u64 cookie, struct conn_state *st)
{
	if (bpf_map_update_elem(&conns, &cookie, st, BPF_ANY))
		count_error(NET_ERR_CONN_MAP_FULL, 1);
}

/* Payload bytes, not sequence space: bytes_sent counts retransmits (bytes_retrans), bytes_received counts the
 * FIN, which also sets SOCK_DONE (tcp_fin); bytes_acked would count SYN and FIN. */
static __always_inline void tcp_bytes(const struct sock *sk, __u64 *tx, __u64 *rx)
{
	struct tcp_sock *tp = (struct tcp_sock *)sk;
	__u64 sent = BPF_CORE_READ(tp, bytes_sent), retrans = BPF_CORE_READ(tp, bytes_retrans);
	__u64 received = BPF_CORE_READ(tp, bytes_received);
	__u64 fin = (BPF_CORE_READ(sk, __sk_common.skc_flags) >> bpf_core_enum_value(enum sock_flags, SOCK_DONE)) & 1;
	*tx = sent > retrans ? sent - retrans : 0;
	*rx = received > fin ? received - fin : 0;
}

static __always_inline void on_close(const struct sock *sk, __u64 cookie, int oldstate, __u64 now)
{
	__u64 tx, rx;
	struct conn_state *st = bpf_map_lookup_elem(&conns, &cookie);
	if (st) {
		if (emit_close && (st->flags & CONN_S_ESTABLISHED) && !(st->flags & CONN_S_IGNORED)) {
			const struct sock_owner *owner = (st->flags & CONN_S_OWNED) ? &st->owner
											: bpf_map_lookup_elem(&sock_owners, &cookie);
			if (!owner || !ignored(owner->tgid)) {
				tcp_bytes(sk, &tx, &rx);
				__u8 flags = (st->flags & CONN_S_PARTIAL) ? CONN_F_PARTIAL : 0;
				emit_conn(CONN_CLOSE, flags, 0, cookie, sk, owner,
					  (st->flags & CONN_S_PARTIAL) ? 0 : now - st->birth_ns, tx, rx);
			}
		}
		bpf_map_delete_elem(&conns, &cookie);
		return;
	}
	/* Not tracked: established before the probe was attached (a listener or a half-open one is no connection). */
	if (!emit_close || oldstate == TCP_LISTEN || oldstate == TCP_SYN_RECV || oldstate == TCP_SYN_SENT
	    || oldstate == TCP_CLOSE)
		return;
	const struct sock_owner *owner = bpf_map_lookup_elem(&sock_owners, &cookie);
	if (owner && ignored(owner->tgid))
		return;
	tcp_bytes(sk, &tx, &rx);
	emit_conn(CONN_CLOSE, CONN_F_PARTIAL, 0, cookie, sk, owner, 0, tx, rx);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(ingrain_net_state, const struct sock *sk, const int oldstate, const int newstate)
{
	if (sk->sk_protocol != IPPROTO_TCP || !is_inet(sk->__sk_common.skc_family))
		return 0;
	__u64 cookie = bpf_get_socket_cookie((void *)sk);
	__u64 now = bpf_ktime_get_boot_ns();

	if (newstate == TCP_SYN_SENT) {
		/* connect(): the only transition that runs in the owner's own context. */
		struct conn_state st = { .birth_ns = now, .flags = CONN_S_ACTIVE | CONN_S_OWNED };
		sock_owner_current(&st.owner, SOCK_OWNER_CONNECT);
		if (ignored(st.owner.tgid))
			st.flags |= CONN_S_IGNORED;
		track(cookie, &st);
		return 0;
	}
	if (newstate == TCP_SYN_RECV) {
		/* A passive child, in softirq: its owner is whoever accepts it (ingrain_net_accept*). */
		struct conn_state st = { .birth_ns = now, .flags = CONN_S_PASSIVE };
		track(cookie, &st);
		return 0;
	}
	if (oldstate == TCP_SYN_SENT) {
		struct conn_state *st = bpf_map_lookup_elem(&conns, &cookie);
		if (!st)
			return 0;
		bool report = emit_out && !(st->flags & CONN_S_IGNORED);
		if (newstate == TCP_ESTABLISHED) {
			st->flags |= CONN_S_ESTABLISHED;
			if (report)
				emit_conn(CONN_OUT, 0, 0, cookie, sk, &st->owner, 0, 0, 0);
		} else if (newstate == TCP_CLOSE) {
			/* The handshake failed: sk_err is set before tcp_done (refused, timed out, unreachable); 0 means
			 * the process closed the socket before the handshake completed. */
			__u32 err = BPF_CORE_READ(sk, sk_err);
			if (report)
				emit_conn(CONN_OUT, 0, err ? err : ECONNABORTED, cookie, sk, &st->owner, 0, 0, 0);
			bpf_map_delete_elem(&conns, &cookie);
		}
		return 0;
	}
	if (newstate == TCP_ESTABLISHED) {
		struct conn_state *st = bpf_map_lookup_elem(&conns, &cookie);
		if (st)
			st->flags |= CONN_S_ESTABLISHED;
		return 0;
	}
	if (newstate == TCP_CLOSE)
		on_close(sk, cookie, oldstate, now);
	return 0;
}

/* accept()/accept4() returned fd: the current task owns that connection. */
static __always_inline int on_accept(long fd)
{
	if (fd < 0)
		return 0;
	struct sock *sk = sock_from_fd(fd);
	if (!sk || BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	struct sock_owner owner;
	sock_owner_current(&owner, SOCK_OWNER_ACCEPT);
	bool skip = ignored(owner.tgid);
	__u64 cookie = sock_cookie_if_set(sk);
	__u8 flags = 0;
	struct conn_state *st = cookie ? bpf_map_lookup_elem(&conns, &cookie) : NULL;
	if (st) {
		__builtin_memcpy(&st->owner, &owner, sizeof(owner));
		st->flags |= CONN_S_OWNED | (skip ? CONN_S_IGNORED : 0);
	} else {
		/* Born before the probe was attached (or already closed, then its close was reported without owner
		 * and user space joins the two by cookie). */
		flags = CONN_F_PARTIAL;
		if (cookie && BPF_CORE_READ(sk, __sk_common.skc_state) != TCP_CLOSE) {
			struct conn_state fresh = {
				.birth_ns = bpf_ktime_get_boot_ns(),
				.flags = CONN_S_PASSIVE | CONN_S_ESTABLISHED | CONN_S_OWNED | CONN_S_PARTIAL
					 | (skip ? CONN_S_IGNORED : 0),
			};
			__builtin_memcpy(&fresh.owner, &owner, sizeof(owner));
			track(cookie, &fresh);
		}
	}
	if (emit_in && !skip)
		emit_conn(CONN_IN, flags, 0, cookie, sk, &owner, 0, 0, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int ingrain_net_accept4(struct trace_event_raw_sys_exit *ctx)
{
	return on_accept(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int ingrain_net_accept(struct trace_event_raw_sys_exit *ctx)
{
	return on_accept(ctx->ret);
}

/* Volume: called in the sending or receiving task's own context, for every socket send and receive path. */
static __always_inline void count_volume(struct sock *sk, int len, bool tx)
{
	if (len <= 0)
		return;
	__u16 protocol = sk->sk_protocol;
	__u16 family = sk->__sk_common.skc_family;
	if ((protocol != IPPROTO_TCP && protocol != IPPROTO_UDP) || !is_inet(family))
		return;
	__u64 id = bpf_get_current_pid_tgid();
	if (ignored(id >> 32))
		return;
	__u64 cookie = bpf_get_socket_cookie(sk);

	struct volume_key key;
	__builtin_memset(&key, 0, sizeof(key));
	key.cookie = cookie;
	key.tgid = id >> 32;
	struct udp_peer *peer = protocol == IPPROTO_UDP ? bpf_map_lookup_elem(&udp_peers, &id) : NULL;
	if (peer && peer->cookie == cookie) {
		/* An unconnected UDP socket: the datagram's own peer, from the cgroup sendmsg/recvmsg hook. */
		key.family = peer->family;
		key.dport = peer->port;
		__builtin_memcpy(key.daddr, peer->addr, sizeof(key.daddr));
		bpf_map_delete_elem(&udp_peers, &id);
	} else {
		key.family = family;
		key.dport = bpf_ntohs(sk->__sk_common.skc_dport);
		if (family == AF_INET)
			__builtin_memcpy(key.daddr, &sk->__sk_common.skc_daddr, 4);
		else
			__builtin_memcpy(key.daddr, sk->__sk_common.skc_v6_daddr.in6_u.u6_addr8, 16);
	}

	struct volume_value *v = bpf_map_lookup_elem(&volumes, &key);
	if (!v) {
		struct volume_value fresh = {
			.protocol = protocol,
			.sock_family = family,
			.uid = (__u32)bpf_get_current_uid_gid(),
		};
		struct sock_tuple t;
		if (sock_read_tuple(sk, &t)) {
			fresh.sport = t.sport;
			__builtin_memcpy(fresh.saddr, t.saddr, sizeof(fresh.saddr));
		}
		struct task_struct *task = (struct task_struct *)bpf_get_current_task();
		BPF_CORE_READ_STR_INTO(&fresh.comm, task, group_leader, comm);
		long err = bpf_map_update_elem(&volumes, &key, &fresh, BPF_NOEXIST);
		if (err && err != -17) {
			count_error(NET_ERR_VOLUME_MAP_FULL, 1);
			count_error(NET_ERR_VOLUME_BYTES_LOST, len);
			return;
		}
		/* A socket the owner hooks missed (it predates them, or came over a unix socket). */
		sock_owner_record(cookie, SOCK_OWNER_IO, BPF_NOEXIST);
		v = bpf_map_lookup_elem(&volumes, &key);
		if (!v)
			return;
	}
	if (tx) {
		__sync_fetch_and_add(&v->tx_bytes, len);
		__sync_fetch_and_add(&v->tx_calls, 1);
	} else {
		__sync_fetch_and_add(&v->rx_bytes, len);
		__sync_fetch_and_add(&v->rx_calls, 1);
	}
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(ingrain_net_send, struct sock *sk, int ret, int flags)
{
	count_volume(sk, ret, true);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(ingrain_net_recv, struct sock *sk, int ret, int flags)
{
	if (!(flags & MSG_PEEK))
		count_volume(sk, ret, false);
	return 0;
}

/* The cgroup hooks below run in the caller's syscall just before the send or receive they describe; they only
 * remember the peer and always return 1 (never deny). */
static __always_inline int remember_peer(struct bpf_sock_addr *ctx, bool v6)
{
	if (ctx->protocol != IPPROTO_UDP)
		return 1;
	struct udp_peer p = {
		.cookie = bpf_get_socket_cookie(ctx),
		.port = bpf_ntohs((__u16)ctx->user_port),
		.family = v6 ? AF_INET6 : AF_INET,
	};
	__u32 a[4] = {};
	if (v6) {
		a[0] = ctx->user_ip6[0];
		a[1] = ctx->user_ip6[1];
		a[2] = ctx->user_ip6[2];
		a[3] = ctx->user_ip6[3];
	} else {
		a[0] = ctx->user_ip4;
	}
	__builtin_memcpy(p.addr, a, sizeof(p.addr));
	__u64 id = bpf_get_current_pid_tgid();
	bpf_map_update_elem(&udp_peers, &id, &p, BPF_ANY);
	return 1;
}

SEC("cgroup/sendmsg4")
int ingrain_net_sendmsg4(struct bpf_sock_addr *ctx)
{
	return remember_peer(ctx, false);
}

SEC("cgroup/sendmsg6")
int ingrain_net_sendmsg6(struct bpf_sock_addr *ctx)
{
	return remember_peer(ctx, true);
}

SEC("cgroup/recvmsg4")
int ingrain_net_recvmsg4(struct bpf_sock_addr *ctx)
{
	return remember_peer(ctx, false);
}

SEC("cgroup/recvmsg6")
int ingrain_net_recvmsg6(struct bpf_sock_addr *ctx)
{
	return remember_peer(ctx, true);
}

/* The socket is closed: its volume entries are final (user space reports and deletes them). A TCP connection the
 * probe never saw born (older than the probe) is tracked from here, owned by the closing task: the release hook of
 * bpf/sockets drops the socket's owner now, and the connection's TCP_CLOSE comes later, in softirq. */
SEC("cgroup/sock_release")
int ingrain_net_release(struct bpf_sock *ctx)
{
	if (!is_inet(ctx->family) || (ctx->protocol != IPPROTO_TCP && ctx->protocol != IPPROTO_UDP))
		return 1;
	__u64 cookie = bpf_get_socket_cookie(ctx);
	if (track_volume) {
		__u8 one = 1;
		bpf_map_update_elem(&released, &cookie, &one, BPF_ANY);
	}
	if (emit_close && ctx->protocol == IPPROTO_TCP && ctx->state != TCP_CLOSE && ctx->state != TCP_LISTEN
	    && ctx->state != TCP_SYN_SENT && ctx->state != TCP_SYN_RECV && !bpf_map_lookup_elem(&conns, &cookie)) {
		struct conn_state st = {
			.flags = CONN_S_ESTABLISHED | CONN_S_OWNED | CONN_S_PARTIAL,
		};
		sock_owner_current(&st.owner, SOCK_OWNER_CLOSE);
		if (ignored(st.owner.tgid))
			st.flags |= CONN_S_IGNORED;
		bpf_map_update_elem(&conns, &cookie, &st, BPF_NOEXIST);
	}
	return 1;
}
