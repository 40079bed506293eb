// SPDX-License-Identifier: GPL-2.0
/* Files probe: which process opened, read and wrote which file under the monitored directories.
 * Syscall exit tracepoints only (no kprobes, no fentry, no bpf_d_path here): at exit the syscall's arguments are still
 * in the task's saved user registers, so no enter hooks or enter->exit maps are needed.
 * - opens (open, openat, openat2, creat): fd -> file -> dentry, walked up to the process's root, crossing mounts; every
 *   ancestor's {dev, ino} is tested in the monitored set's prefilter (and, on a hit, looked up in it); only for a
 *   monitored file do the names make the absolute path. A failed open has no file: its path as written (made
 *   absolute against the cwd or dirfd) is normalized component by component and each prefix's hash looked up in the
 *   monitored path set.
 * - reads and writes: bytes the syscall returned, summed per {process, file} and epoch in the io map, read by user
 *   space every interval. An open file's verdict (monitored or not) is cached, so reading an unmonitored file costs a
 *   lookup, not a walk. Regular files only. */
#include "ingrain.h"
#include "files.h"

/* Set by user space before load. */
const volatile __u32 ignore_tgid = 0;  /* the agent itself (0: keep all) */
const volatile bool count_read = true;
const volatile bool count_write = true;

#define AT_FDCWD -100
#define S_IFMT 00170000
#define S_IFREG 0100000
#define O_WRONLY 01
#define O_CREAT 0100
#define O_TRUNC 01000

/* x86_64 syscall numbers (the object is built for x86_64 only). */
#define NR_open 2
#define NR_sendfile64 40
#define NR_creat 85
#define NR_openat 257
#define NR_splice 275
#define NR_copy_file_range 326
#define NR_openat2 437

#define FNV_BASIS 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

/* 16 MiB: ~140,000 open records of a typical path, so a burst of opens outruns a busy reader for longer. */
INGRAIN_RINGBUF(16 * 1024 * 1024);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FILES_MONITOR_MAX);
	__type(key, struct monitor_key);
	__type(value, __u8);
} monitored SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct monitor_bloom);
} monitored_bloom SEC(".maps");

/* FNV-1a (64-bit) of each monitored path, normalized and absolute ("/etc/ssh"; "/" is the empty string's hash). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FILES_MONITOR_MAX);
	__type(key, __u64);
	__type(value, __u8);
} monitored_paths SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct files_config);
} files_config SEC(".maps");

/* Open file (struct file *) -> whether its path lies under a monitored path, validated by its dentry and {ino, dev}
 * (the struct may have been freed and reused) and by the monitored set's generation. Keyed by the open file, not the
 * inode: a hard link or a bind mount reaches one inode by paths with different verdicts; fds duplicated by dup2 or
 * fork share the file. */
struct verdict {
	__u64 dentry;
	__u64 ino;
	__u32 dev;
	__u32 generation;
	__u32 monitored;
	__u32 reserved;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct verdict);
} verdicts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, FILES_IO_MAX);
	__type(key, struct io_key);
	__type(value, struct io_value);
} io SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FILES_ERR_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} files_errors SEC(".maps");

struct files_scratch {
	struct file_record rec;
	char overflow[FILES_PATH_MAX];               /* headroom: variable offsets into rec.path stay inside the value */
	char walk[FILES_PATH_MAX + FILES_NAME_MAX];  /* names written backwards, the path ends at walk[FILES_PATH_MAX] */
	__u64 hashes[FILES_SCAN_DEPTH];              /* a failed open's prefix hashes by depth */
};

INGRAIN_SCRATCH(scratch, struct files_scratch);

static __always_inline void count_error(__u32 index, __u64 n)
{
	__u64 *c = bpf_map_lookup_elem(&files_errors, &index);
	if (c)
		*c += n;
}

static __always_inline bool ignored(__u32 tgid)
{
	return ignore_tgid && tgid == ignore_tgid;
}

static __always_inline struct files_scratch *get_scratch(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&scratch, &zero);
}

extern void *bpf_rdonly_cast(const void *obj__ign, __u32 btf_id__k) __ksym;

/* A kernel pointer held as a number, typed again for the verifier: its fields are then direct (fault-safe) loads,
 * ~2.5x cheaper than BPF_CORE_READ's probe reads on the read/write hot path. */
#define KPTR(type, p) ((type *)bpf_rdonly_cast((void *)(p), bpf_core_type_id_kernel(type)))

/* The struct file behind fd in the current task (direct loads), or NULL. */
static __always_inline struct file *fd_file_fast(long fd)
{
	if (fd < 0)
		return NULL;
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	if ((unsigned long)fd >= fdt->max_fds)
		return NULL;
	/* fdt->fd[fd] as a direct load: the slot is a pointer, read through a kernel type whose first member is one
	 * (callback_head.next), because the verifier types no pointer-to-pointer array. */
	struct callback_head *slot = KPTR(struct callback_head, (__u64)fdt->fd + (__u64)fd * sizeof(void *));
	__u64 f = (__u64)slot->next;
	return f ? KPTR(struct file, f) : NULL;
}

/* ---- The walk: dentry -> root, crossing mounts (d_path's loop), names prepended, ancestors checked. ---- */

/* The prefilter: false means {ino, dev} is certainly not monitored (an array lookup and a load, not a hash lookup). */
static __always_inline bool may_be_monitored(__u64 ino, __u32 dev)
{
	__u32 zero = 0;
	struct monitor_bloom *b = bpf_map_lookup_elem(&monitored_bloom, &zero);
	if (!b)
		return true;
	__u32 bit = files_bloom_index(ino, dev);
	return b->words[(bit / 64) & (FILES_BLOOM_BITS / 64 - 1)] & (1ULL << (bit % 64));
}

struct walk_ctx {
	__u64 dentry;         /* struct dentry *, a scalar to the verifier (typed again with KPTR for direct loads) */
	__u64 vfsmnt;         /* struct vfsmount * */
	__u64 root_dentry;    /* the process's root (chroot or mount namespace) */
	__u64 root_mnt;
	__u64 resume_dentry;  /* where the path goes on after climbing a bind mount's filesystem ancestors */
	__u64 resume_mnt;
	__u32 pos;            /* the path is walk[pos, FILES_PATH_MAX) */
	__u8 monitored;
	__u8 names;           /* still prepending names (below the process's root) */
	__u8 climbing;        /* checking the ancestors, inside its filesystem, of a bind-mounted directory */
	__u8 truncated;
	__u8 done;            /* reached the root within FILES_WALK_MAX steps */
};

static long walk_step(__u32 i, struct walk_ctx *c)
{
	/* Direct loads through bpf_rdonly_cast, not BPF_CORE_READ chains: this runs for every ancestor of every open. */
	struct dentry *d = KPTR(struct dentry, c->dentry);
	if (!c->monitored) {
		struct monitor_key k = {
			.ino = d->d_inode->i_ino,
			.dev = d->d_sb->s_dev,
		};
		if (may_be_monitored(k.ino, k.dev) && bpf_map_lookup_elem(&monitored, &k))
			c->monitored = 1;
	}
	if (c->monitored && !c->names) {
		c->done = 1;
		return 1;
	}
	__u64 parent = (__u64)d->d_parent;
	if (c->climbing) {
		/* No names here: the path the process sees goes on at the mount point. */
		if (parent == c->dentry || c->monitored) {
			c->climbing = 0;
			c->dentry = c->resume_dentry;
			c->vfsmnt = c->resume_mnt;
		} else {
			c->dentry = parent;
		}
		return 0;
	}
	if (c->names && c->dentry == c->root_dentry && c->vfsmnt == c->root_mnt) {
		/* The path is complete; above a chroot the ancestors still decide the verdict. */
		c->names = 0;
		if (c->monitored) {
			c->done = 1;
			return 1;
		}
	}
	struct vfsmount *vm = KPTR(struct vfsmount, c->vfsmnt);
	if (c->dentry == (__u64)vm->mnt_root || parent == c->dentry) {
		__u64 m_addr = c->vfsmnt - bpf_core_field_offset(struct mount, mnt);
		struct mount *m = KPTR(struct mount, m_addr);
		__u64 pm = (__u64)m->mnt_parent;
		if (!pm || pm == m_addr) {
			c->done = 1;  /* the namespace's root */
			return 1;
		}
		__u64 mountpoint = (__u64)m->mnt_mountpoint;
		__u64 parent_mnt = pm + bpf_core_field_offset(struct mount, mnt);
		if (!c->monitored && parent != c->dentry) {
			/* A bind mount of a directory: its ancestors in its own filesystem count too ("monitor /etc" sees
			 * /etc/ssh bind-mounted elsewhere). */
			c->climbing = 1;
			c->resume_dentry = mountpoint;
			c->resume_mnt = parent_mnt;
			c->dentry = parent;
			return 0;
		}
		c->dentry = mountpoint;
		c->vfsmnt = parent_mnt;
		return 0;
	}
	if (c->names) {
		__u32 len = d->d_name.len;
		if (len >= FILES_NAME_MAX)
			len = FILES_NAME_MAX - 1;
		if (c->pos < len + 1) {
			c->truncated = 1;
			c->names = 0;
		} else {
			struct files_scratch *s = get_scratch();
			if (!s)
				return 1;
			c->pos -= len + 1;
			__u32 at = c->pos & (FILES_PATH_MAX - 1);
			barrier_var(len);
			len &= FILES_NAME_MAX - 1;
			s->walk[at] = '/';
			bpf_probe_read_kernel(s->walk + at + 1, len, d->d_name.name);
		}
	}
	c->dentry = parent;
	return 0;
}

/* names: build the path (up to the process's root) as well as the verdict. Without names the walk only decides the
 * verdict and stops at the first monitored ancestor: an unmonitored open pays for lookups, not for copying names. */
static __always_inline void walk(struct walk_ctx *c, __u64 dentry, __u64 vfsmnt, bool names)
{
	__builtin_memset(c, 0, sizeof(*c));
	c->dentry = dentry;
	c->vfsmnt = vfsmnt;
	if (names) {
		struct fs_struct *fs = bpf_get_current_task_btf()->fs;
		c->root_dentry = (__u64)fs->root.dentry;
		c->root_mnt = (__u64)fs->root.mnt;
	}
	c->pos = FILES_PATH_MAX;
	c->names = names;
	bpf_loop(FILES_WALK_MAX, walk_step, c, 0);
	if (!c->done)
		count_error(FILES_ERR_WALK_TOO_DEEP, 1);
}

#define FILES_FAST_STEPS 32

/* The verdict alone, by a plain bounded loop over the ancestors (values in registers, no callback, one prefilter
 * lookup): the common case of a path of at most FILES_FAST_STEPS dentries whose mounts are whole filesystems. 1:
 * monitored, 0: not, -1: undecided (a bind mount of a directory, whose ancestors in its own filesystem count, or a
 * deeper path): the full walk decides then. */
static __always_inline int verdict_fast(__u64 dentry, __u64 vfsmnt)
{
	__u32 zero = 0;
	struct monitor_bloom *b = bpf_map_lookup_elem(&monitored_bloom, &zero);
	if (!b)
		return -1;
	for (int i = 0; i < FILES_FAST_STEPS; i++) {
		struct dentry *d = KPTR(struct dentry, dentry);
		struct monitor_key k = {
			.ino = d->d_inode->i_ino,
			.dev = d->d_sb->s_dev,
		};
		__u32 bit = files_bloom_index(k.ino, k.dev);
		if ((b->words[(bit / 64) & (FILES_BLOOM_BITS / 64 - 1)] & (1ULL << (bit % 64)))
		    && bpf_map_lookup_elem(&monitored, &k))
			return 1;
		__u64 parent = (__u64)d->d_parent;
		struct vfsmount *vm = KPTR(struct vfsmount, vfsmnt);
		if (dentry != (__u64)vm->mnt_root && parent != dentry) {
			dentry = parent;
			continue;
		}
		if (parent != dentry)
			return -1;
		__u64 m_addr = vfsmnt - bpf_core_field_offset(struct mount, mnt);
		struct mount *m = KPTR(struct mount, m_addr);
		__u64 pm = (__u64)m->mnt_parent;
		if (!pm || pm == m_addr)
			return 0;  /* the namespace's root */
		dentry = (__u64)m->mnt_mountpoint;
		vfsmnt = pm + bpf_core_field_offset(struct mount, mnt);
	}
	return -1;
}

static __always_inline bool verdict(struct walk_ctx *c, __u64 dentry, __u64 vfsmnt)
{
	int fast = verdict_fast(dentry, vfsmnt);
	if (fast >= 0)
		return fast;
	walk(c, dentry, vfsmnt, false);
	return c->monitored;
}

/* The verdict first, the path only for a monitored file. */
static __always_inline void walk_verdict_then_path(struct walk_ctx *c, __u64 dentry, __u64 vfsmnt)
{
	c->monitored = verdict(c, dentry, vfsmnt);
	if (c->monitored)
		walk(c, dentry, vfsmnt, true);
}

/* Copies the walked path to the start of rec.path; returns its length (0 for "/"). */
static __always_inline __u32 copy_walked_path(struct files_scratch *s, struct walk_ctx *c)
{
	__u32 len = FILES_PATH_MAX - c->pos;
	if (len > FILES_PATH_MAX)
		len = 0;
	barrier_var(len);
	if (len > FILES_PATH_MAX)
		return 0;
	bpf_probe_read_kernel(s->rec.path, len, s->walk + (c->pos & (FILES_PATH_MAX - 1)));
	return len;
}

/* ---- A failed open: the path as written, normalized; each prefix's hash looked up in monitored_paths. ---- */

struct scan_ctx {
	__u64 h;
	__u32 len;
	__u32 depth;
	__u32 comp_len;
	__u8 c0, c1;
	__u8 matched;
	__u8 overflow;
};

static __always_inline __u64 fnv(__u64 h, __u8 c)
{
	return (h ^ c) * FNV_PRIME;
}

static long scan_step(__u32 i, struct scan_ctx *c)
{
	struct files_scratch *s = get_scratch();
	if (!s)
		return 1;
	char ch = i < c->len ? s->rec.path[i & (FILES_PATH_MAX - 1)] : '/';
	if (ch != '/') {
		if (c->comp_len == 0) {
			c->h = fnv(s->hashes[c->depth & (FILES_SCAN_DEPTH - 1)], '/');
			c->c0 = ch;
		} else if (c->comp_len == 1) {
			c->c1 = ch;
		}
		c->h = fnv(c->h, ch);
		c->comp_len++;
		return 0;
	}
	/* A component ended: "" and "." stay, ".." goes up, a name goes down (and may be monitored). */
	if (c->comp_len == 2 && c->c0 == '.' && c->c1 == '.') {
		if (c->depth)
			c->depth--;
	} else if (c->comp_len > 0 && !(c->comp_len == 1 && c->c0 == '.')) {
		if (c->depth + 1 >= FILES_SCAN_DEPTH) {
			c->overflow = 1;
			return 1;
		}
		c->depth++;
		s->hashes[c->depth & (FILES_SCAN_DEPTH - 1)] = c->h;
		if (bpf_map_lookup_elem(&monitored_paths, &c->h)) {
			c->matched = 1;
			return 1;
		}
	}
	c->comp_len = 0;
	return i >= c->len;
}

/* ---- Records ---- */

static __always_inline void fill_header(struct files_scratch *s, struct task_struct *task, __u8 op)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct file_record *r = &s->rec;
	r->op = op;
	r->flags = 0;
	r->error = 0;
	r->boot_ns = bpf_ktime_get_boot_ns();
	r->tgid = pid_tgid >> 32;
	r->pid = (__u32)pid_tgid;
	r->uid = (__u32)bpf_get_current_uid_gid();
	r->open_flags = 0;
	r->syscall = 0;
	BPF_CORE_READ_STR_INTO(&r->comm, task, group_leader, comm);
	bpf_get_current_comm(&r->thread_comm, sizeof(r->thread_comm));
}

static __always_inline void send(struct files_scratch *s, __u32 path_len)
{
	s->rec.path_len = path_len;
	__u64 size = __builtin_offsetof(struct file_record, path) + path_len;
	barrier_var(size);
	if (size > sizeof(s->rec))
		return;
	INGRAIN_OUTPUT(&s->rec, size);
}

static __always_inline void remember_verdict(__u64 file, __u64 dentry, __u64 ino, __u32 dev, bool monitored, __u32 generation)
{
	struct verdict v = { .dentry = dentry, .ino = ino, .dev = dev, .generation = generation, .monitored = monitored };
	bpf_map_update_elem(&verdicts, &file, &v, BPF_ANY);
}

static __always_inline struct files_config *current_config(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&files_config, &zero);
}

/* The open's dirfd, name and flags: still in the task's saved user registers at the syscall's exit. */
struct open_args {
	long dfd;
	const char *name;
	__u32 flags;
};

static __always_inline bool read_open_args(long nr, struct open_args *a)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	__u64 a0 = regs->di, a1 = regs->si, a2 = regs->dx;
	a->dfd = AT_FDCWD;
	switch (nr) {
	case NR_open:
		a->name = (const char *)a0;
		a->flags = a1;
		return true;
	case NR_creat:
		a->name = (const char *)a0;
		a->flags = O_CREAT | O_WRONLY | O_TRUNC;
		return true;
	case NR_openat:
		a->dfd = (int)a0;
		a->name = (const char *)a1;
		a->flags = a2;
		return true;
	case NR_openat2: {
		__u64 how_flags = 0;
		bpf_probe_read_user(&how_flags, sizeof(how_flags), (void *)a2);  /* struct open_how starts with flags */
		a->dfd = (int)a0;
		a->name = (const char *)a1;
		a->flags = how_flags;
		return true;
	}
	default:
		return false;
	}
}

/* A successful open: the verdict from the file's ancestors first; only a monitored file pays for its arguments, its
 * path and a record. */
static __always_inline void opened(long fd, long nr)
{
	struct file *f = fd_file_fast(fd);
	if (!f)
		return;
	struct walk_ctx c;
	__u64 dentry = (__u64)f->f_path.dentry;
	/* Only a monitored file's verdict is cached here: an unmonitored file's is cached by its first read or write
	 * (account), so an open that is never read or written (stat-like opens, open+close) costs no map update. */
	if (!verdict(&c, dentry, (__u64)f->f_path.mnt))
		return;
	struct open_args args;
	struct files_scratch *s = get_scratch();
	if (!s || !read_open_args(nr, &args))
		return;
	walk(&c, dentry, (__u64)f->f_path.mnt, true);
	struct inode *inode = f->f_inode;
	__u64 ino = inode->i_ino;
	__u32 dev = inode->i_sb->s_dev;
	struct files_config *cfg = current_config();
	if (cfg && (count_read || count_write) && (inode->i_mode & S_IFMT) == S_IFREG)
		remember_verdict((__u64)f, dentry, ino, dev, true, cfg->generation);
	fill_header(s, (struct task_struct *)bpf_get_current_task(), INGRAIN_OP_FILE_OPEN);
	s->rec.ino = ino;
	s->rec.dev = dev;
	s->rec.open_flags = args.flags;
	s->rec.syscall = nr;
	if (c.truncated)
		s->rec.flags |= FILE_F_TRUNCATED;
	send(s, copy_walked_path(s, &c));
}

static __always_inline void open_failed(struct task_struct *task, struct files_scratch *s, long dfd, const char *name,
					long err, __u32 flags, __u32 nr)
{
	char first = 0;
	if (bpf_probe_read_user(&first, 1, name))
		return;
	__u32 base = 0;
	__u8 rflags = FILE_F_FAILED | FILE_F_UNNORMALIZED;
	if (first != '/') {
		/* Relative: the cwd's or the dirfd's path first. */
		__u64 dentry, mnt;
		if (dfd == AT_FDCWD) {
			struct fs_struct *fs = bpf_get_current_task_btf()->fs;
			dentry = (__u64)fs->pwd.dentry;
			mnt = (__u64)fs->pwd.mnt;
		} else {
			struct file *df = fd_file_fast(dfd);
			if (!df)
				return;
			dentry = (__u64)df->f_path.dentry;
			mnt = (__u64)df->f_path.mnt;
		}
		struct walk_ctx c;
		walk(&c, dentry, mnt, true);
		if (c.truncated)
			rflags |= FILE_F_TRUNCATED;
		base = copy_walked_path(s, &c);
		if (base > FILES_PATH_MAX - 2)
			base = FILES_PATH_MAX - 2;
		s->rec.path[base & (FILES_PATH_MAX - 1)] = '/';
		base++;
	}
	barrier_var(base);
	base &= FILES_PATH_MAX - 1;
	__u32 room = FILES_PATH_MAX - base;
	if (room > FILES_PATH_MAX)
		room = FILES_PATH_MAX;
	barrier_var(room);
	long n = bpf_probe_read_user_str(s->rec.path + base, room, name);
	if (n <= 0)
		return;
	if (n == room)
		rflags |= FILE_F_TRUNCATED;
	__u32 len = base + n - 1;

	struct scan_ctx sc = { .len = len };
	__u64 root = FNV_BASIS;
	s->hashes[0] = FNV_BASIS;
	if (bpf_map_lookup_elem(&monitored_paths, &root))
		sc.matched = 1;
	else
		bpf_loop(len + 1, scan_step, &sc, 0);
	if (!sc.matched)
		return;
	fill_header(s, task, INGRAIN_OP_FILE_OPEN);
	s->rec.flags = rflags;
	s->rec.error = (__u32)-err;
	s->rec.ino = 0;
	s->rec.dev = 0;
	s->rec.open_flags = flags;
	s->rec.syscall = nr;
	send(s, len);
}

SEC("tracepoint/syscalls/sys_exit_openat")
int ingrain_files_open(struct trace_event_raw_sys_exit *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (ignored(tgid))
		return 0;
	long nr = ctx->id, ret = ctx->ret;
	if (ret >= 0) {
		opened(ret, nr);
		return 0;
	}
	struct open_args args;
	struct files_scratch *s = get_scratch();
	if (s && read_open_args(nr, &args))
		open_failed((struct task_struct *)bpf_get_current_task(), s, args.dfd, args.name, ret, args.flags, nr);
	return 0;
}

/* ---- Reads and writes ---- */

/* A monitored file seen first by a read or write in this epoch: its path goes to user space, so the sums can name it
 * even when it was opened before the probe started. */
static __always_inline bool announce(struct task_struct *task, struct file *f, __u64 ino, __u32 dev)
{
	struct files_scratch *s = get_scratch();
	if (!s)
		return false;
	struct walk_ctx c;
	walk_verdict_then_path(&c, (__u64)f->f_path.dentry, (__u64)f->f_path.mnt);
	if (!c.monitored)
		return false;
	fill_header(s, task, INGRAIN_OP_FILE_PATH);
	s->rec.ino = ino;
	s->rec.dev = dev;
	if (c.truncated)
		s->rec.flags |= FILE_F_TRUNCATED;
	send(s, copy_walked_path(s, &c));
	return true;
}

static __always_inline void account(long fd, long bytes, bool write)
{
	/* The task's untyped pointer only where a record or comm needs it: most calls stop at the verdict. */
	if (bytes <= 0)
		return;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (ignored(tgid))
		return;
	struct file *f = fd_file_fast(fd);
	if (!f)
		return;
	struct inode *inode = f->f_inode;
	if ((inode->i_mode & S_IFMT) != S_IFREG)
		return;
	struct files_config *cfg = current_config();
	if (!cfg)
		return;
	struct io_key key = {
		.ino = inode->i_ino,
		.dev = inode->i_sb->s_dev,
		.tgid = tgid,
		.epoch = cfg->epoch,
	};
	/* The open file's verdict first: an unmonitored file costs this lookup and nothing more. The sums are per inode,
	 * but only calls through a monitored path add to them (a hard link elsewhere does not). */
	__u64 fp = (__u64)f;
	__u64 dentry = (__u64)f->f_path.dentry;
	__u32 generation = cfg->generation;
	struct verdict *known = bpf_map_lookup_elem(&verdicts, &fp);
	bool valid = known && known->dentry == dentry && known->ino == key.ino && known->dev == key.dev
		     && known->generation == generation;
	if (valid && !known->monitored)
		return;
	bool announced = false;
	if (!valid) {
		bool monitored = announce((struct task_struct *)bpf_get_current_task(), f, key.ino, key.dev);
		remember_verdict(fp, dentry, key.ino, key.dev, monitored, generation);
		if (!monitored)
			return;
		announced = true;
	}
	struct io_value *v = bpf_map_lookup_elem(&io, &key);
	if (!v) {
		/* The first call of this process on this file in the epoch: the path goes to user space with it. */
		if (!announced && !announce((struct task_struct *)bpf_get_current_task(), f, key.ino, key.dev)) {
			remember_verdict(fp, dentry, key.ino, key.dev, false, generation);
			return;
		}
		struct io_value fresh = {};
		BPF_CORE_READ_STR_INTO(&fresh.comm, (struct task_struct *)bpf_get_current_task(), group_leader, comm);
		long err = bpf_map_update_elem(&io, &key, &fresh, BPF_NOEXIST);
		if (err && err != -17 /* EEXIST: another CPU made it */) {
			count_error(FILES_ERR_IO_MAP_FULL, 1);
			count_error(FILES_ERR_IO_BYTES_LOST, bytes);
			return;
		}
		v = bpf_map_lookup_elem(&io, &key);
		if (!v)
			return;
	}
	if (write) {
		__sync_fetch_and_add(&v->write_bytes, bytes);
		__sync_fetch_and_add(&v->write_calls, 1);
	} else {
		__sync_fetch_and_add(&v->read_bytes, bytes);
		__sync_fetch_and_add(&v->read_calls, 1);
	}
}

static __always_inline __u64 arg(int index)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	switch (index) {
	case 0:
		return regs->di;
	case 1:
		return regs->si;
	default:
		return regs->dx;
	}
}

/* read, pread64, readv, preadv, preadv2: the fd is the first argument. */
SEC("tracepoint/syscalls/sys_exit_read")
int ingrain_files_read(struct trace_event_raw_sys_exit *ctx)
{
	if (ctx->ret <= 0)
		return 0;
	account((int)arg(0), ctx->ret, false);
	return 0;
}

/* write, pwrite64, writev, pwritev, pwritev2. */
SEC("tracepoint/syscalls/sys_exit_write")
int ingrain_files_write(struct trace_event_raw_sys_exit *ctx)
{
	if (ctx->ret <= 0)
		return 0;
	account((int)arg(0), ctx->ret, true);
	return 0;
}

/* sendfile64(out, in), splice(in, off, out), copy_file_range(in, off, out): bytes read from one fd and written to the
 * other; a pipe or socket side is not a regular file and is skipped. */
SEC("tracepoint/syscalls/sys_exit_sendfile64")
int ingrain_files_transfer(struct trace_event_raw_sys_exit *ctx)
{
	long ret = ctx->ret, nr = ctx->id;
	if (ret <= 0)
		return 0;
	long in, out;
	if (nr == NR_sendfile64) {
		out = (int)arg(0);
		in = (int)arg(1);
	} else if (nr == NR_splice || nr == NR_copy_file_range) {
		in = (int)arg(0);
		out = (int)arg(2);
	} else {
		return 0;
	}
	if (count_read)
		account(in, ret, false);
	if (count_write)
		account(out, ret, true);
	return 0;
}
