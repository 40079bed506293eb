// SPDX-License-Identifier: GPL-2.0
/* Syscalls probe: counts calls per (process, syscall) in the kernel, from raw_tracepoint/sys_enter; nothing crosses
 * a ring buffer. Two generations of maps: the programs count into the one `generation` names, user space flips it
 * every interval, waits until no program can still be counting into the old one (an update of drain_barrier returns
 * only after an RCU grace period, and every program runs inside one), then reads and empties the old generation
 * alone. No call is lost between read and delete, and none is counted twice. */
#include "ingrain.h"
#include "syscalls.h"

/* Set by user space before load. */
const volatile __u32 ignore_tgid = 0;     /* the agent itself (0: keep all) */
const volatile bool monitor_all = true;   /* false: only the syscalls whose bit is set in `monitored` */
const volatile __u64 monitored[SYSCALLS_BITMAP_WORDS] = {};

#define COUNT_MAP(name)                                     \
	struct {                                                \
		__uint(type, BPF_MAP_TYPE_PERCPU_HASH);             \
		__uint(max_entries, SYSCALLS_MAX_PAIRS);            \
		__type(key, struct syscall_key);                    \
		__type(value, __u64);                               \
	} name SEC(".maps")

#define COMM_MAP(name)                                      \
	struct {                                                \
		__uint(type, BPF_MAP_TYPE_HASH);                    \
		__uint(max_entries, SYSCALLS_MAX_PAIRS);            \
		__type(key, __u32);                                 \
		__type(value, struct syscall_comm);                 \
	} name SEC(".maps")

/* Preallocated (the default): no allocation on the syscall path, and a full map fails the insert, never the call. */
COUNT_MAP(counts_0);
COUNT_MAP(counts_1);
/* A process's name beside its counts, so a process that exited during the interval still has one. A process has at
 * least one pair, so these never fill before the count maps do. */
COMM_MAP(comms_0);
COMM_MAP(comms_1);

/* Which generation the programs count into (0 or 1); written by user space only. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} generation SEC(".maps");

/* Never read by a program: user space updates it after flipping `generation`, and the kernel returns from an update
 * of a map-in-map only once every running program has finished (maybe_wait_bpf_programs: synchronize_rcu). */
struct barrier_inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} barrier_inner SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct barrier_inner);
} drain_barrier SEC(".maps") = {
	.values = { [0] = &barrier_inner },
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SYSCALL_ERR_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} syscall_errors SEC(".maps");

static __always_inline bool is_monitored(__u64 nr)
{
	if (monitor_all)
		return true;
	if (nr >= SYSCALLS_MAX_NR)
		return false;
	return (monitored[nr / 64] >> (nr % 64)) & 1;
}

static __always_inline void count_lost(void)
{
	__u32 index = SYSCALL_ERR_CALLS_LOST;
	__u64 *c = bpf_map_lookup_elem(&syscall_errors, &index);
	if (c)
		*c += 1;
}

/* Written at each new pair, not only the process's first: after an exec (whose first calls are all new pairs) the
 * process is reported under its new program's name. */
static __always_inline void record_comm(void *comms, __u32 tgid)
{
	struct syscall_comm c;
	struct task_struct *task = bpf_get_current_task_btf();
	BPF_CORE_READ_STR_INTO(&c.comm, task, group_leader, comm);
	bpf_map_update_elem(comms, &tgid, &c, BPF_ANY);
}

/* One call into one generation's maps. A program runs with preemption off and never nests on its CPU, so the plain
 * increment of this CPU's slot is exact. */
static __always_inline void count(void *counts, void *comms, struct syscall_key *key)
{
	static const __u64 one = 1;
	__u64 *c = bpf_map_lookup_elem(counts, key);
	if (c) {
		*c += 1;
		return;
	}
	long err = bpf_map_update_elem(counts, key, &one, BPF_NOEXIST);
	if (!err) {
		record_comm(comms, key->tgid);
		return;
	}
	/* Another CPU inserted the pair meanwhile: count into it. Anything else (E2BIG: the map is full) is a loss. */
	c = err == -17 /* EEXIST */ ? bpf_map_lookup_elem(counts, key) : 0;
	if (c)
		*c += 1;
	else
		count_lost();
}

SEC("raw_tracepoint/sys_enter")
int ingrain_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 nr = ctx->args[1];
	/* -1: no syscall (a tracer or seccomp skipped it) */
	if ((long)nr < 0 || !is_monitored(nr))
		return 0;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (ignore_tgid && tgid == ignore_tgid)
		return 0;
	__u32 zero = 0;
	__u32 *gen = bpf_map_lookup_elem(&generation, &zero);
	if (!gen)
		return 0;
	struct syscall_key key = { .tgid = tgid, .nr = (__u32)nr };
	if (*gen & 1)
		count(&counts_1, &comms_1, &key);
	else
		count(&counts_0, &comms_0, &key);
	return 0;
}
