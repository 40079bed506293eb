// SPDX-License-Identifier: GPL-2.0
/* Exec probe: one record per successful execve (sched_process_exec) and one per process exit
 * (sched_process_exit, thread-group leader only). Tracepoints only: no kprobes or fentry here. */
#include "ingrain.h"
#include "exec.h"

/* Set by user space before load: the agent's own process id, whose events are dropped (0: keep all). */
const volatile __u32 ignore_tgid = 0;

INGRAIN_RINGBUF(4 * 1024 * 1024);

static __always_inline __u32 parent_tgid(struct task_struct *task)
{
	return BPF_CORE_READ(task, real_parent, tgid);
}

SEC("tracepoint/sched/sched_process_exec")
int ingrain_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	if (ignore_tgid && tgid == ignore_tgid)
		return 0;

	struct exec_record *r = INGRAIN_RESERVE(struct exec_record);
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

	unsigned int loc = ctx->__data_loc_filename & 0xFFFF;
	long n = bpf_probe_read_kernel_str(r->filename, sizeof(r->filename), (void *)ctx + loc);
	if (n <= 0) {
		r->filename[0] = 0;
		n = 1;
	}
	r->filename_len = n - 1;
	if (n == sizeof(r->filename))
		r->flags |= EXEC_FLAG_FILENAME_TRUNCATED;

	/* The new image's argv is already in place: [arg_start, arg_end) of the new mm. */
	__u64 start = BPF_CORE_READ(task, mm, arg_start);
	__u64 end = BPF_CORE_READ(task, mm, arg_end);
	__u64 len = end > start ? end - start : 0;
	if (len > EXEC_ARGS_LEN) {
		len = EXEC_ARGS_LEN;
		r->flags |= EXEC_FLAG_ARGS_TRUNCATED;
	}
	if (len && bpf_probe_read_user(r->args, len, (void *)start) != 0)
		len = 0;
	r->args_len = len;

	INGRAIN_SUBMIT(r);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int ingrain_exit(struct trace_event_raw_sched_process_template *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	/* One record per process: only when its main thread exits. */
	if ((__u32)pid_tgid != tgid)
		return 0;
	if (ignore_tgid && tgid == ignore_tgid)
		return 0;

	struct exit_record *r = INGRAIN_RESERVE(struct exit_record);
	if (!r)
		return 0;

	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 uid_gid = bpf_get_current_uid_gid();
	int code = BPF_CORE_READ(task, exit_code);
	__u64 now = bpf_ktime_get_boot_ns();
	__u64 started = BPF_CORE_READ(task, start_boottime);

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
	bpf_get_current_comm(&r->comm, sizeof(r->comm));

	INGRAIN_SUBMIT(r);
	return 0;
}
