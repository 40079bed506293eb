// SPDX-License-Identifier: GPL-2.0
/* Ring buffer benchmark: one small record per getppid() call of one process (the benchmark itself).
 * Records carry a sequence number so the reader can check that none went missing between kernel and user. */
#include "ingrain.h"

struct bench_record {
	__u8 op;        /* INGRAIN_OP_BENCH */
	__u8 reserved[7];
	__u64 seq;      /* 0, 1, 2, ... in reservation order (counts reservations that succeeded) */
};

const volatile __u32 target_tgid = 0;

__u64 next_seq = 0;

INGRAIN_RINGBUF(16 * 1024 * 1024);

SEC("tracepoint/syscalls/sys_enter_getppid")
int ingrain_bench(void *ctx)
{
	if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
		return 0;
	struct bench_record *r = INGRAIN_RESERVE(struct bench_record);
	if (!r)
		return 0;
	r->op = INGRAIN_OP_BENCH;
	r->seq = __sync_fetch_and_add(&next_seq, 1);
	INGRAIN_SUBMIT(r);
	return 0;
}
