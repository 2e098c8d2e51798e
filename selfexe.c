#include "selfexe.h"
#include "syscalls.h"

#include <elf.h>
#include <link.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/magic.h>

#include "fmt.h"
#include "fsutil.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U /* Linux 6.3: executable despite vm.memfd_noexec=1 */
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010 /* Linux 5.1: no write from now on, by any fd or map */
#endif
#ifndef SYS_execveat
#define SYS_execveat 322
#endif

/* With one of the two write seals: F_SEAL_FUTURE_WRITE where the kernel has it. */
#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW)

extern char **environ;

/* Already our sealed copy (after the re-exec, or a caller who ran rtexec from one)? */
static bool sealed_copy(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);

	return seals >= 0 && (seals & SEALS) == SEALS &&
	       (seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0;
}

/* Nobody can ever open it for writing: a file system the kernel never writes (squashfs,
 * EROFS, cramfs, ISO 9660; no remount makes one writable). A read-only mount or the
 * immutable flag is not enough: a process of the container that once caught the file
 * through /proc/PID/exe (a command resolving to /proc/self/exe runs rtexec inside, dumpable
 * for a moment) keeps that fd, and writes the file the first time the mount is made
 * writable again or the flag is lifted, as an update does (exe.sh). */
static bool never_writable(int fd)
{
	struct statfs sf;

	if (fstatfs(fd, &sf) < 0)
		return false;
	switch ((unsigned long)sf.f_type) {
	case SQUASHFS_MAGIC:
	case EROFS_SUPER_MAGIC_V1:
	case CRAMFS_MAGIC:
	case ISOFS_SUPER_MAGIC:
		debug("the rtexec binary is on a file system the kernel never writes: no copy "
		      "needed");
		return true;
	default: return false;
	}
}

/* The ELF header the linker puts at the start of the first segment (GNU ld, lld): its address
 * less that segment's p_vaddr is the load base. Only its address is used; the program headers
 * are the kernel's (AT_PHDR), not read past the end of this object (UBSan's object-size). */
extern const ElfW(Ehdr) __ehdr_start __attribute__((visibility("hidden")));

void selfexe_seal_relro(void)
{
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
	unsigned long n = ph ? getauxval(AT_PHNUM) : 0;
	uintptr_t base = 0, page = (uintptr_t)getauxval(AT_PAGESZ), start = 0, end = 0;

	if (page == 0)
		page = 4096;
	for (unsigned long i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
			base = (uintptr_t)&__ehdr_start - ph[i].p_vaddr;
	for (unsigned long i = 0; i < n; i++)
		if (ph[i].p_type == PT_GNU_RELRO) {
			start = (base + ph[i].p_vaddr) & ~(page - 1);
			end = (base + ph[i].p_vaddr + ph[i].p_memsz) & ~(page - 1);
		}
	/* Only whole pages: the part of the last one after the RELRO end is .data. */
	if (end > start && mprotect((void *)start, end - start, PROT_READ) < 0)
		debug("RELRO: mprotect: %s", rt_strerror(errno));
}

/* The write seal. F_SEAL_FUTURE_WRITE refuses every write from now on, by any fd or map:
 * all that is needed, nothing but rtexec holding the copy before it is sealed (no other fd,
 * no map). F_SEAL_WRITE also waits for every reference to the copy's pages to go, the
 * per-CPU LRU batches' among them: where rtexec moved to another CPU between the copy and
 * the seal (a migration), those are in the old CPU's batch, and the kernel drains the
 * batches of every CPU (lru_add_drain_all) and waits for each, an isolated CPU that a
 * real-time task monopolises too, whose drain never runs: rtexec hung there, unkillable,
 * holding the kernel's drain lock (test/vm/init "sealed"). F_SEAL_EXEC is not set either:
 * since Linux 6.3 it implies F_SEAL_WRITE (and, once the kernel's fix for that is in, its
 * wait); the mode bits it would freeze matter to nobody (the copy is executed once, now,
 * and set-id bits are ignored on the kernel's internal mount).
 * F_SEAL_WRITE before Linux 5.5: there F_SEAL_FUTURE_WRITE (5.1) also made the private
 * writable mappings of the file shared across fork (fixed in 5.5, 5.4.4 and 5.3.17), and
 * rtexec's own .data is one: its parent and child would share it. */
static int write_seal(void)
{
	struct utsname u;
	unsigned long long major = 0, minor = 0;
	const char *p;

	if (uname(&u) == 0 && str_u64(u.release, 10, &major, &p) == 0 && *p == '.')
		str_u64(p + 1, 10, &minor, &p);
	return major > 5 || (major == 5 && minor >= 5) ? F_SEAL_FUTURE_WRITE : F_SEAL_WRITE;
}

/* A memfd that may be executed: MFD_EXEC where the kernel knows it. */
static int exec_memfd(void)
{
	int fd = memfd_create("rtexec", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("rtexec", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	return fd;
}

/* How much of the binary execve reads: up to the end of the furthest part a program header
 * names (the ELF header and program headers are at its start, read in one pread). What
 * follows, the section headers and, unstripped, the symbols and debug sections, is left out
 * of the copy. The whole file when it is not the 64-bit ELF this build makes. */
static off_t exec_size(int fd, off_t file_size)
{
	union {
		Elf64_Ehdr eh;
		unsigned char bytes[1024];
	} head;
	ssize_t n = pread(fd, &head, sizeof(head), 0);
	const Elf64_Ehdr *eh = &head.eh;
	off_t end;

	if (n < (ssize_t)sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_phentsize != sizeof(Elf64_Phdr) ||
	    eh->e_phnum == 0 || eh->e_phoff > (Elf64_Off)n ||
	    eh->e_phnum > ((Elf64_Off)n - eh->e_phoff) / sizeof(Elf64_Phdr))
		return file_size;
	end = (off_t)(eh->e_phoff + eh->e_phnum * sizeof(Elf64_Phdr));
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, head.bytes + eh->e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_offset > (Elf64_Off)file_size || ph.p_filesz > (Elf64_Off)file_size)
			return file_size;
		if ((off_t)(ph.p_offset + ph.p_filesz) > end)
			end = (off_t)(ph.p_offset + ph.p_filesz);
	}
	return end <= file_size ? end : file_size;
}

static int copy_sealed(int from, struct rterr *e)
{
	struct stat st;
	off_t done = 0, size;
	int to = exec_memfd(), seal = write_seal();

	if (to < 0)
		return rterr_set(e, errno, "protect the rtexec binary: memfd_create");
	if (fstat(from, &st) < 0)
		goto fail;
	size = exec_size(from, st.st_size);
	while (done < size) {
		ssize_t n = sendfile(to, from, &done, (size_t)(size - done));
		if (n < 0 && errno != EINTR)
			goto fail;
		if (n == 0) {
			errno = EIO; /* the file shrank under us */
			goto fail;
		}
	}
	/* No write bit for anyone (a container's uid other than the host's root cannot even
	 * open it for writing), then the seals: no write, shared writable map or hole (the
	 * write seal), no truncation or growth, no seal removed. */
	if (fchmod(to, 0555) < 0)
		goto fail;
	for (int tries = 0; tries < 4; tries++) {
		if (fcntl(to, F_ADD_SEALS, SEALS | seal) == 0)
			return to;
		if (errno == EINVAL && seal == F_SEAL_FUTURE_WRITE)
			seal = F_SEAL_WRITE; /* a kernel that says 5.5 or later without it */
		else if (errno != EBUSY)     /* F_SEAL_WRITE: a page still referenced, waited for */
			break;
	}
fail:
	rterr_set(e, errno, "protect the rtexec binary: copy into a sealed memfd");
	close(to);
	return -1;
}

int selfexe_protect(char **argv, struct rterr *e)
{
	char path[32];
	int self, copy;

#ifdef RTEXEC_UNPROTECTED_TEST_BUILD
	/* Only build/rtexec-unprotected, the control of test/integration/exe.sh. */
	(void)argv, (void)e, (void)path, (void)self, (void)copy;
	return 0;
#endif
	self = sys_open("/proc/self/exe", O_RDONLY | O_CLOEXEC, 0);
	if (self < 0)
		return rterr_set(e, errno, "protect the rtexec binary: open /proc/self/exe");
	if (sealed_copy(self) || never_writable(self)) {
		close(self);
		return 0;
	}
	copy = copy_sealed(self, e);
	close(self);
	if (copy < 0)
		return -1;
	debug("re-executing from a sealed copy of the rtexec binary (CVE-2019-5736)");
	syscall(SYS_execveat, copy, "", argv, environ, AT_EMPTY_PATH);
	if (errno == ENOSYS) { /* before Linux 3.19 */
		fmt_snprintf(path, sizeof(path), "/proc/self/fd/%d", copy);
		execve(path, argv, environ);
	}
	rterr_set(e, errno, "protect the rtexec binary: execute its sealed copy");
	close(copy);
	return -1;
}
