/*
 * kload - the tiny static helper of kobj's real-kernel oracle (runs as a tool in the guest's
 * initramfs; original kobj code, written from the man pages finit_module(2), delete_module(2)
 * and core(5)/elf(5)).
 *
 *   kload load FILE [PARAMS [SECONDS]]
 *                              finit_module(open(FILE), PARAMS, 0) once, in a child process;
 *                              exit status = errno (0 on success), or 254 when the load has not
 *                              returned after SECONDS (default 30: a hanging module init costs
 *                              that module, the child stays behind). Unlike busybox insmod it
 *                              never retries with init_module(2), so a failing init runs once.
 *   kload unload NAME          delete_module(NAME, O_NONBLOCK); exit status = errno.
 *   kload peek ADDR LEN        prints LEN bytes of kernel virtual memory at ADDR (hex) as
 *                              lowercase hex on one line, read from /proc/kcore: the PT_LOAD
 *                              program header covering ADDR gives the file offset.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int load(const char *file, const char *params)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (syscall(SYS_finit_module, fd, params, 0) != 0)
		return errno;
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

static int load_timed(const char *file, const char *params, unsigned seconds)
{
	pid_t child = fork();
	if (child < 0)
		return errno;
	if (child == 0)
		_exit(load(file, params));
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm; /* no SA_RESTART: waitpid returns EINTR */
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
	int status;
	if (waitpid(child, &status, 0) != child)
		return 254;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int unload(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK) != 0)
		return errno;
	return 0;
}

static int peek(unsigned long long addr, unsigned long long len)
{
	int fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;
	if (fd < 0)
		return errno;
	if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh)
		return EIO;
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof ph, eh.e_phoff + (unsigned long long)i * eh.e_phentsize) != (ssize_t)sizeof ph)
			return EIO;
		if (ph.p_type != PT_LOAD || addr < ph.p_vaddr || addr + len > ph.p_vaddr + ph.p_memsz)
			continue;
		unsigned char buf[4096];
		unsigned long long off = ph.p_offset + (addr - ph.p_vaddr);
		while (len > 0) {
			size_t n = len < sizeof buf ? len : sizeof buf;
			ssize_t got = pread(fd, buf, n, off);
			if (got <= 0)
				return got < 0 ? errno : EIO;
			for (ssize_t k = 0; k < got; k++)
				printf("%02x", buf[k]);
			off += got;
			len -= got;
		}
		printf("\n");
		return 0;
	}
	return EFAULT;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "load") == 0)
		return load_timed(argv[2], argc > 3 ? argv[3] : "", argc > 4 ? (unsigned)atoi(argv[4]) : 30);
	if (argc == 3 && strcmp(argv[1], "unload") == 0)
		return unload(argv[2]);
	if (argc == 4 && strcmp(argv[1], "peek") == 0)
		return peek(strtoull(argv[2], NULL, 16), strtoull(argv[3], NULL, 0));
	fprintf(stderr, "usage: kload load FILE [PARAMS [SECONDS]] | unload NAME | peek ADDR LEN\n");
	return 255;
}
