/*
 * LD_PRELOAD shim for Debian's linux.uml (User-mode Linux 6.1 and later) on hosts whose
 * XSAVE area is larger than UML's compile-time FPU buffer (AVX-512, PKU, AMX;
 * e.g. Intel Sapphire Rapids: 11008 bytes instead of UML's 832).
 *
 * The problem: UML saves and restores each guest thread's FPU state with
 * ptrace(PTRACE_GETREGSET / PTRACE_SETREGSET, pid, NT_X86_XSTATE, iov) and a
 * buffer of its own fixed size. The host kernel accepts a short GETREGSET but
 * rejects a short SETREGSET with EFAULT, so the first guest process dies:
 *     userspace - ptrace set fp regs failed, errno = 14
 *     Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b
 * Making the probe fail (so that UML falls back to PTRACE_[GS]ETFPREGS) boots,
 * but then only the legacy FXSAVE part survives UML's page-fault path (the
 * stub's SIGSEGV handler resets the host FPU state), and glibc's AVX2/EVEX
 * string functions in the guest return garbage (kmod, for one, breaks).
 *
 * The fix here: interpose ptrace(). For a short NT_X86_XSTATE GETREGSET, read
 * the full host-sized state into a shadow buffer keyed by UML's buffer address
 * (one per guest thread: it lives in the thread struct) and hand UML the
 * prefix it asked for. For a short SETREGSET, overlay UML's prefix (legacy
 * area, header, AVX upper halves) on that shadow and write the full state.
 * A buffer without shadow (a new thread or process) gets the prefix with the
 * extended components marked as in their init state.
 *
 * Everything else goes to glibc's ptrace unchanged. No locks, no malloc: UML
 * calls ptrace from one host thread; buffers come from mmap.
 *
 * Build: gcc -O2 -shared -fPIC -o xstate-shim.so xstate-shim.c -ldl
 * Use:   LD_PRELOAD=/path/xstate-shim.so linux.uml ...
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef NT_X86_XSTATE
#define NT_X86_XSTATE 0x202
#endif

#define XSTATE_MAX (64 * 1024)   /* probe buffer; far above any x86 XSAVE size */
#define HDR_OFF 512              /* struct xstate_header in the XSAVE layout */
#define HDR_LEN 64
#define AVX_END 832              /* legacy 512 + header 64 + YMM_Hi128 256 */
#define SLOTS 8192
#define PROBE 64

typedef long (*ptrace_fn)(enum __ptrace_request, ...);

static ptrace_fn real_ptrace;
static size_t host_size;         /* full XSAVE size the host wants; 0 = unknown */
static unsigned char *scratch;   /* XSTATE_MAX bytes */
static int debug;

struct slot {
	uintptr_t key;
	unsigned char *buf;
};
static struct slot slots[SLOTS];

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

__attribute__((constructor)) static void shim_init(void)
{
	real_ptrace = (ptrace_fn)dlsym(RTLD_NEXT, "ptrace");
	scratch = map(XSTATE_MAX);
	debug = getenv("LVS_UML_XSTATE_DEBUG") != NULL;
}

static long raw_ptrace(long req, long pid, void *addr, void *data)
{
	return syscall(SYS_ptrace, req, pid, addr, data);
}

static struct slot *find(uintptr_t key, int create)
{
	size_t home = (size_t)((key >> 4) * 2654435761u) % SLOTS;
	size_t i, free_i = SLOTS;

	for (i = 0; i < PROBE; i++) {
		size_t j = (home + i) % SLOTS;
		if (slots[j].key == key)
			return &slots[j];
		if (slots[j].key == 0 && free_i == SLOTS)
			free_i = j;
	}
	if (!create)
		return NULL;
	if (free_i == SLOTS)
		free_i = home; /* table crowded: evict; that thread loses AVX-512 upper state */
	slots[free_i].key = key;
	if (!slots[free_i].buf)
		slots[free_i].buf = map(host_size);
	return slots[free_i].buf ? &slots[free_i] : NULL;
}

static int learn_size(pid_t pid)
{
	struct iovec iov = { scratch, XSTATE_MAX };

	if (!scratch)
		return -1;
	if (raw_ptrace(PTRACE_GETREGSET, pid, (void *)NT_X86_XSTATE, &iov) < 0)
		return -1;
	host_size = iov.iov_len;
	if (debug)
		fprintf(stderr, "xstate-shim: host XSAVE size %zu\n", host_size);
	return 0;
}

static long get_xstate(pid_t pid, struct iovec *iov)
{
	size_t want = iov->iov_len;
	struct iovec full;
	struct slot *s;

	if (!host_size && learn_size(pid) < 0)
		return -1;
	if (want >= host_size)
		return raw_ptrace(PTRACE_GETREGSET, pid, (void *)NT_X86_XSTATE, iov);
	s = find((uintptr_t)iov->iov_base, 1);
	full.iov_base = s ? (void *)s->buf : (void *)scratch;
	full.iov_len = host_size;
	if (raw_ptrace(PTRACE_GETREGSET, pid, (void *)NT_X86_XSTATE, &full) < 0)
		return -1;
	memcpy(iov->iov_base, full.iov_base, want);
	iov->iov_len = want;
	return 0;
}

static long set_xstate(pid_t pid, struct iovec *iov)
{
	size_t have = iov->iov_len;
	struct iovec full;
	struct slot *s;

	if (!host_size && learn_size(pid) < 0)
		return -1;
	if (have >= host_size || !scratch)
		return raw_ptrace(PTRACE_SETREGSET, pid, (void *)NT_X86_XSTATE, iov);
	s = find((uintptr_t)iov->iov_base, 0);
	if (s)
		memcpy(scratch, s->buf, host_size);
	else
		memset(scratch, 0, host_size);
	memcpy(scratch, iov->iov_base, have);
	if (!s && have >= HDR_OFF + HDR_LEN) {
		uint64_t bv;
		uint64_t keep = have >= AVX_END ? 0x7 : 0x3; /* x87, SSE (, AVX) */
		memcpy(&bv, scratch + HDR_OFF, sizeof(bv));
		bv &= keep;
		memcpy(scratch + HDR_OFF, &bv, sizeof(bv));
		memset(scratch + HDR_OFF + 8, 0, HDR_LEN - 8); /* xcomp_bv, reserved */
	}
	full.iov_base = scratch;
	full.iov_len = host_size;
	return raw_ptrace(PTRACE_SETREGSET, pid, (void *)NT_X86_XSTATE, &full);
}

long ptrace(enum __ptrace_request request, ...)
{
	va_list ap;
	pid_t pid;
	void *addr, *data;

	va_start(ap, request);
	pid = va_arg(ap, pid_t);
	addr = va_arg(ap, void *);
	data = va_arg(ap, void *);
	va_end(ap);

	if ((request == PTRACE_GETREGSET || request == PTRACE_SETREGSET) &&
	    (uintptr_t)addr == NT_X86_XSTATE && data) {
		if (request == PTRACE_GETREGSET)
			return get_xstate(pid, (struct iovec *)data);
		return set_xstate(pid, (struct iovec *)data);
	}
	if (!real_ptrace) {
		errno = ENOSYS;
		return -1;
	}
	return real_ptrace(request, pid, addr, data);
}
