// SPDX-License-Identifier: GPL-2.0
/* Ring buffer benchmark: one small record per getppid() call of one process (the benchmark itself). */
#include "ingrain.h"

struct bench_record {
	__u8 op;        /* INGRAIN_OP_BENCH */
	__u8 reserved[3];
	__u32 cpu;
	__u64 seq;      /* per-CPU sequence number */
};

const volatile __u32 target_tgid = 0;

INGRAIN_RINGBUF(16 * 1024 * 1024);

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} seqs SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int ingrain_bench(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	__u32 k = 0;
	__u64 *seq = bpf_map_lookup_elem(&seqs, &k);
	if (!seq)
		return 0;
	struct bench_record *r = INGRAIN_RESERVE(struct bench_record);
	if (!r)
		return 0;
	r->op = INGRAIN_OP_BENCH;
	r->cpu = bpf_get_smp_processor_id();
	r->seq = (*seq)++;
	bpf_ringbuf_submit(r, 0);
	return 0;
}
