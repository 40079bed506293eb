/* Records and map layouts of the files probe. Mirrored in C# by src/Probes/Files/FileRecords.cs (sizes and offsets
 * are checked against BTF by FilesAbiTests): change both together.
 * A file record is variable-length: the kernel sends the header and path_len bytes of path, nothing more. */
#ifndef INGRAIN_FILES_H
#define INGRAIN_FILES_H

#define FILES_PATH_MAX 4096     /* a path longer than this is cut at its start (FILE_F_TRUNCATED) */
#define FILES_NAME_MAX 256      /* a name (component) is at most 255 bytes */
#define FILES_WALK_MAX 1024     /* dentries visited at most (path components + mount crossings) */
#define FILES_SCAN_DEPTH 128    /* components a failed open's path may nest (the normalization stack) */
#define FILES_IO_MAX 65536      /* {process, file} sums per interval */
#define FILES_MONITOR_MAX 4096  /* monitored {dev, ino} (and path hashes) */
#define FILES_BLOOM_BITS 65536  /* the monitored set's prefilter: one bit per hash of {dev, ino} */

/* file_record.flags */
#define FILE_F_FAILED 1         /* the open failed: error is the errno, path is as written (made absolute) */
#define FILE_F_TRUNCATED 2      /* the path did not fit: its leading components are missing */
#define FILE_F_UNNORMALIZED 4   /* the path may hold ".", ".." and "//": user space normalizes it */

struct file_record {
	__u8 op;            /* INGRAIN_OP_FILE_OPEN or INGRAIN_OP_FILE_PATH */
	__u8 flags;         /* FILE_F_* */
	__u16 path_len;     /* bytes of path sent (no NUL) */
	__u32 error;        /* FILE_OPEN with FILE_F_FAILED: the errno (ENOENT = 2) */
	__u64 boot_ns;
	__u64 ino;          /* 0 for a failed open */
	__u32 dev;          /* the kernel's s_dev: (major << 20) | minor */
	__u32 open_flags;   /* FILE_OPEN: the flags the process passed (O_*) */
	__u32 tgid;
	__u32 pid;
	__u32 uid;
	__u32 syscall;      /* FILE_OPEN: the syscall number (open, openat, openat2, creat) */
	char comm[16];      /* the main thread's comm */
	char thread_comm[16];
	char path[FILES_PATH_MAX];
};

/* The monitored set: a file or directory by filesystem identity. */
struct monitor_key {
	__u64 ino;
	__u32 dev;          /* kernel encoding */
	__u32 reserved;
};

/* A bit set for each monitored {dev, ino} (files_bloom_index): an ancestor whose bit is clear is not monitored, so the
 * walk skips its hash lookup. Written by user space (src/Probes/Files/MonitorBloom.cs). */
struct monitor_bloom {
	__u64 words[FILES_BLOOM_BITS / 64];
};

/* Fibonacci hashing of {ino, dev} to a bit; mirrored by MonitorBloom.IndexOf. */
static __always_inline __u32 files_bloom_index(__u64 ino, __u32 dev)
{
	return (__u32)((ino * 0x9E3779B97F4A7C15ULL + (__u64)dev * 0xC2B2AE3D27D4EB4FULL) >> 48);
}

/* Bytes one process read from and wrote to one file during one epoch (interval). */
struct io_key {
	__u64 ino;
	__u32 dev;
	__u32 tgid;
	__u32 epoch;        /* files_config.epoch when the bytes were counted */
	__u32 reserved;
};

struct io_value {
	__u64 read_bytes;
	__u64 read_calls;
	__u64 write_bytes;
	__u64 write_calls;
	char comm[16];
};

/* Written by user space: the epoch read/write sums go to, and the generation of the monitored set (verdicts cached
 * under an older generation are stale). */
struct files_config {
	__u32 epoch;
	__u32 generation;
};

/* Indexes of the per-CPU files_errors array. */
#define FILES_ERR_IO_MAP_FULL 0     /* new {process, file} sums that found the io map full */
#define FILES_ERR_IO_BYTES_LOST 1   /* the bytes those calls moved */
#define FILES_ERR_WALK_TOO_DEEP 2   /* walks that ran out of steps before the root (verdict: not monitored) */
#define FILES_ERR_COUNT 3

_Static_assert(__builtin_offsetof(struct file_record, path) == 80, "update FileRecord in src/Probes/Files/FileRecords.cs");
_Static_assert(sizeof(struct io_key) == 24, "update IoKey in src/Probes/Files/FileRecords.cs");
_Static_assert(sizeof(struct io_value) == 48, "update IoValue in src/Probes/Files/FileRecords.cs");

#endif
