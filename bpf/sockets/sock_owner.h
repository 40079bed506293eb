/* The socket owner map, shared by every probe that attributes traffic to processes (network, DNS, TLS):
 * socket cookie -> the process that created, connected, bound or accepted the socket. One map in the kernel:
 * bpf/sockets/sockets.bpf.c fills it from the cgroup sock hooks, and every other object declares the same map
 * here and is handed its fd before load (src/Probes/Sockets/SocketOwners.cs). Mirrored in C# by
 * src/Probes/Sockets/SocketOwnerRecord.cs (checked against BTF by SocketsAbiTests): change both together. */
#ifndef INGRAIN_SOCK_OWNER_H
#define INGRAIN_SOCK_OWNER_H

#include "ingrain.h"

#define SOCK_OWNERS_MAX 65536

#ifndef AF_INET
#define AF_INET 2
#endif
#ifndef AF_INET6
#define AF_INET6 10
#endif

/* sock_owner.hook: which hook saw the owner. */
enum sock_owner_hook {
	SOCK_OWNER_CREATE = 1,  /* cgroup/sock_create: socket() */
	SOCK_OWNER_CONNECT = 2, /* cgroup/connect4/6 */
	SOCK_OWNER_BIND = 3,    /* cgroup/post_bind4/6 */
	SOCK_OWNER_MSG = 4,     /* cgroup/sendmsg*, recvmsg* (UDP with an address) */
	SOCK_OWNER_ACCEPT = 5,  /* exit of accept/accept4 */
	SOCK_OWNER_IO = 6,      /* a send or receive (sock_send_length/sock_recv_length) */
	SOCK_OWNER_SEED = 7,    /* iter/task_file at start: the socket existed before the agent */
	SOCK_OWNER_CLOSE = 8,   /* the task that closed it (a connection the probe first saw at its close) */
};

struct sock_owner {
	__u64 boot_ns;          /* when the owner was recorded (CLOCK_BOOTTIME) */
	__u32 tgid;             /* process id */
	__u32 pid;              /* thread id */
	__u32 uid;
	__u8 hook;              /* enum sock_owner_hook */
	__u8 reserved[3];
	char comm[16];          /* the process's name: its main thread's comm, as ps shows it */
	char thread_comm[16];   /* the calling thread's comm (dig's isc-net-0000) */
};

_Static_assert(sizeof(struct sock_owner) == 56, "update SocketOwnerRecord in src/Probes/Sockets/SocketOwnerRecord.cs");

/* Declared identically in every object; user space makes them one map (bpf_map__reuse_fd) before load. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, SOCK_OWNERS_MAX);
	__type(key, __u64);                /* socket cookie */
	__type(value, struct sock_owner);
} sock_owners SEC(".maps");

/* Inserts that failed because the owner map was full (per CPU, key 0), read by user space as a loss. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} sock_owner_full SEC(".maps");

/* The current task as owner. Only from process context (a syscall): never from softirq, where current is whoever
 * the kernel happened to interrupt. */
static __always_inline void sock_owner_current(struct sock_owner *o, __u8 hook)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	o->boot_ns = bpf_ktime_get_boot_ns();
	o->tgid = id >> 32;
	o->pid = (__u32)id;
	o->uid = (__u32)bpf_get_current_uid_gid();
	o->hook = hook;
	o->reserved[0] = o->reserved[1] = o->reserved[2] = 0;
	BPF_CORE_READ_STR_INTO(&o->comm, task, group_leader, comm);
	bpf_get_current_comm(&o->thread_comm, sizeof(o->thread_comm));
}

/* Records the current task as the owner of a socket. BPF_ANY for the hooks that make a task the owner (socket,
 * connect, bind, accept); BPF_NOEXIST for the ones that only fill a gap (I/O, datagram addresses, the start seed). */
static __always_inline void sock_owner_record(__u64 cookie, __u8 hook, __u64 flags)
{
	if (!cookie)
		return;
	struct sock_owner o;
	sock_owner_current(&o, hook);
	long err = bpf_map_update_elem(&sock_owners, &cookie, &o, flags);
	if (err && err != -17 /* EEXIST: the owner is already known */) {
		__u32 k = 0;
		__u64 *c = bpf_map_lookup_elem(&sock_owner_full, &k);
		if (c)
			(*c)++;
	}
}

#endif
