// SPDX-License-Identifier: GPL-2.0
/* Exec probe: one record per successful execve (sched_process_exec) and one per process exit
 * (sched_process_exit of the last thread of the group). Tracepoints only: no kprobes or fentry here. */
#include "ingrain.h"
#include "exec.h"

/* Set by user space before load: the agent's own process id, whose events are dropped (0: keep all). */
const volatile __u32 ignore_tgid = 0;

INGRAIN_RINGBUF(4 * 1024 * 1024);

static __always_inline __u32 parent_tgid(struct task_struct *task)
{
	return BPF_CORE_READ(task, real_parent, tgid);
}

/* The exec record is filled here, then only its used bytes go to the ring. */
INGRAIN_SCRATCH(exec_scratch, struct exec_record);

SEC("tracepoint/sched/sched_process_exec")
int ingrain_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	if (ignore_tgid && tgid == ignore_tgid)
		return 0;

	__u32 zero = 0;
	struct exec_record *r = bpf_map_lookup_elem(&exec_scratch, &zero);
	if (!r)
		return 0;

	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 uid_gid = bpf_get_current_uid_gid();
	r->op = INGRAIN_OP_EXEC;
	r->flags = 0;
	r->boot_ns = bpf_ktime_get_boot_ns();
	r->cgroup_id = bpf_get_current_cgroup_id();
	r->pid = (__u32)pid_tgid;
	r->tgid = tgid;
	r->ppid = parent_tgid(task);
	r->uid = (__u32)uid_gid;
	r->gid = uid_gid >> 32;
	r->reserved = 0;
	bpf_get_current_comm(&r->comm, sizeof(r->comm));

	/* The filename first, at the start of data (the helper's NUL is overwritten by the args). */
	unsigned int loc = ctx->__data_loc_filename & 0xFFFF;
	long n = bpf_probe_read_kernel_str(r->data, EXEC_FILENAME_LEN, (void *)ctx + loc);
	if (n <= 0)
		n = 1;
	__u32 filename_len = n - 1;
	if (n == EXEC_FILENAME_LEN)
		r->flags |= EXEC_FLAG_FILENAME_TRUNCATED;
	/* Bounded for the verifier: filename_len <= 255, so data + filename_len + EXEC_ARGS_LEN stays inside data. */
	filename_len &= EXEC_FILENAME_LEN - 1;
	r->filename_len = filename_len;

	/* The new image's argv is already in place: [arg_start, arg_end) of the new mm. */
	__u64 start = BPF_CORE_READ(task, mm, arg_start);
	__u64 end = BPF_CORE_READ(task, mm, arg_end);
	__u64 len = end > start ? end - start : 0;
	if (len > EXEC_ARGS_LEN) {
		len = EXEC_ARGS_LEN;
		r->flags |= EXEC_FLAG_ARGS_TRUNCATED;
	}
	barrier_var(len);
	if (len && bpf_probe_read_user(r->data + filename_len, len, (void *)start) != 0)
		len = 0;
	r->args_len = len;

	/* Header + filename + args: what was filled, nothing more. */
	__u64 size = __builtin_offsetof(struct exec_record, data) + filename_len + len;
	barrier_var(size);
	if (size > sizeof(*r))
		return 0;
	INGRAIN_OUTPUT(r, size);
	return 0;
}

/* include/linux/sched/signal.h: the whole group is exiting (exit_group, or a fatal signal). Not in vmlinux.h. */
#define SIGNAL_GROUP_EXIT 0x00000004

/* Whether the exiting thread is the last of its process. Linux >= 6.16 says so in the tracepoint (group_dead); before,
 * signal->live is the count of live threads, already decremented for this one. The fallback can see 0 in two threads
 * exiting at the same instant (a duplicate record, never a missed one). */
static __always_inline bool group_dead(void *ctx, struct task_struct *task)
{
	struct trace_event_raw_sched_process_exit *tp = ctx;
	if (bpf_core_field_exists(tp->group_dead))
		return BPF_CORE_READ(tp, group_dead);
	return BPF_CORE_READ(task, signal, live.counter) == 0;
}

SEC("tracepoint/sched/sched_process_exit")
int ingrain_exit(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	if (ignore_tgid && tgid == ignore_tgid)
		return 0;
	/* One record per process, when its last thread exits: the main thread may leave first (pthread_exit). */
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	if (!group_dead(ctx, task))
		return 0;

	struct exit_record *r = INGRAIN_RESERVE(struct exit_record);
	if (!r)
		return 0;

	__u64 uid_gid = bpf_get_current_uid_gid();
	/* exit_group() and fatal signals set the process's status for every thread; else this thread's own exit(). */
	int code = (BPF_CORE_READ(task, signal, flags) & SIGNAL_GROUP_EXIT)
		? BPF_CORE_READ(task, signal, group_exit_code)
		: BPF_CORE_READ(task, exit_code);
	__u64 now = bpf_ktime_get_boot_ns();
	/* The process is the group leader (a zombie by now if it left first): its start time and its name. */
	struct task_struct *leader = BPF_CORE_READ(task, group_leader);
	__u64 started = BPF_CORE_READ(leader, start_boottime);

	r->op = INGRAIN_OP_EXIT;
	r->exit_code = (code >> 8) & 0xff;
	r->signal = code & 0x7f;
	r->core_dumped = (code & 0x80) ? 1 : 0;
	r->pid = (__u32)pid_tgid;
	r->boot_ns = now;
	r->cgroup_id = bpf_get_current_cgroup_id();
	r->duration_ns = now > started ? now - started : 0;
	r->tgid = tgid;
	r->ppid = parent_tgid(task);
	r->uid = (__u32)uid_gid;
	r->gid = uid_gid >> 32;
	BPF_CORE_READ_STR_INTO(&r->comm, leader, comm);

	INGRAIN_SUBMIT(r);
	return 0;
}
