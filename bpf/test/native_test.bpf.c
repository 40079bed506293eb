// SPDX-License-Identifier: GPL-2.0
/* Programs for the libbpf interop tests (tests/Ingrain.Native.Tests): one per attach kind, a hash map,
 * a read-only global and the common ring buffer. Not shipped in the agent. */
#include "ingrain.h"

const volatile __u32 target_tgid = 0;
const volatile __u64 magic = 0;

INGRAIN_RINGBUF(64 * 1024);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

static __always_inline void bump(__u32 key)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(&counts, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
}

/* Tracepoint: a record carrying the magic global per getppid() of the target process. */
SEC("tracepoint/syscalls/sys_enter_getppid")
int test_tp(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	__u64 *r = INGRAIN_RESERVE(__u64);
	if (!r)
		return 0;
	*r = magic;
	INGRAIN_SUBMIT(r);
	return 0;
}

/* Raw tracepoint: counts getppid() (syscall 110 on x86-64) of the target under key 1. */
SEC("raw_tracepoint/sys_enter")
int test_raw_tp(struct bpf_raw_tracepoint_args *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	if (ctx->args[1] == 110)
		bump(1);
	return 0;
}

/* Socket filter: counts packets under key 2, keeps none. */
SEC("socket")
int test_socket(struct __sk_buff *skb)
{
	bump(2);
	return 0;
}

/* Cgroup egress: counts packets under key 3, lets every packet through. */
SEC("cgroup_skb/egress")
int test_cgroup_egress(struct __sk_buff *skb)
{
	bump(3);
	return 1;
}

/* Rejected by the verifier (dereferences a map lookup without a NULL check). Not loaded unless a test turns
 * autoload on: the '?' prefix makes libbpf skip it by default. */
SEC("?tracepoint/syscalls/sys_enter_getppid")
int test_rejected(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&counts, &key);
	*v = 1;
	return 0;
}
