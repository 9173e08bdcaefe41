/*
 * kobj test "kernel": a small static program that runs a module image that
 * kobj linked against this program's own symbol table.
 *
 * The kernel API it offers is every function named kapi_<name>: kobj reads
 * this executable's .symtab and binds a module's undefined symbol <name> to
 * kapi_<name> (the prefix keeps them apart from libc's own memcpy, strlen...,
 * which are IFUNCs in a static glibc on some architectures).
 *
 * Usage: kobj-host IMAGE INIT [RESULT [CALLS [EXIT]]]
 *   IMAGE  the image kobj wrote (format below)
 *   INIT   address of the module's init function (hex, 0x...), called first
 *   RESULT, CALLS  addresses of int (*)(void) functions called after init
 *   EXIT   address of the module's exit function, called last
 *
 * Image format (little-endian; written by the kobj tests):
 *   char magic[8] = "KOBJIMG1"; u32 count; u32 zero;
 *   count times: u64 address; u64 size; u32 prot (PROT_READ 1 | PROT_WRITE 2 |
 *                PROT_EXEC 4); u32 zero; then size bytes.
 * Each region is mapped at its address with MAP_FIXED_NOREPLACE (address and
 * size page-aligned), filled, then given its permissions with mprotect.
 *
 * Output, one line per event, is what the tests compare:
 *   map 0x40000000 0x1000 r-x
 *   printk: <the formatted message, as printk would print it>
 *   report <what>=<value>
 *   kmalloc <size> 0x<flags> -> ok
 *   kfree ok
 *   init returned <n>
 *   result returned <n>
 *   calls returned <n>
 *   exit done
 *   allocations outstanding <n>
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>

static long outstanding;

int kapi_printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	fputs("printk: ", stdout);
	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

/* vprintk and vsnprintf (kobj-emu's va_list handlers): the C library's, same ABI */
int kapi_vprintk(const char *fmt, va_list ap)
{
	fputs("printk: ", stdout);
	return vprintf(fmt, ap);
}

int kapi_vsnprintf(char *buf, unsigned long size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

void *kapi_kmalloc(unsigned long size, unsigned int flags)
{
	void *p = malloc(size);

	printf("kmalloc %lu 0x%x -> %s\n", size, flags, p ? "ok" : "NULL");
	if (p)
		outstanding++;
	return p;
}

void kapi_kfree(const void *p)
{
	if (!p)
		return;
	outstanding--;
	free((void *)p);
	printf("kfree ok\n");
}

void *kapi_memcpy(void *d, const void *s, unsigned long n)
{
	return memcpy(d, s, n);
}

void *kapi_memset(void *d, int c, unsigned long n)
{
	return memset(d, c, n);
}

unsigned long kapi_strlen(const char *s)
{
	return strlen(s);
}

void kapi_kobj_report(const char *what, long value)
{
	printf("report %s=%ld\n", what, value);
}

static void die(const char *what)
{
	printf("error: %s\n", what);
	fflush(stdout);
	exit(2);
}

static void read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n <= 0)
			die("short image");
		p += n;
		len -= (size_t)n;
	}
}

static uintptr_t parse_addr(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);

	if (*s == 0 || *end != 0)
		die("bad address argument");
	return (uintptr_t)v;
}

typedef int (*int_fn)(void);
typedef void (*void_fn)(void);

int main(int argc, char **argv)
{
	char magic[8];
	uint32_t hdr[2];
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3)
		die("usage: kobj-host IMAGE INIT [RESULT [CALLS [EXIT]]]");
	fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		die("cannot open image");
	read_all(fd, magic, sizeof(magic));
	if (memcmp(magic, "KOBJIMG1", 8) != 0)
		die("not a KOBJIMG1 image");
	read_all(fd, hdr, sizeof(hdr));
	for (uint32_t i = 0; i < hdr[0]; i++) {
		uint64_t addr, size;
		uint32_t prot[2];
		void *p;

		read_all(fd, &addr, 8);
		read_all(fd, &size, 8);
		read_all(fd, prot, 8);
		p = mmap((void *)(uintptr_t)addr, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == MAP_FAILED || (uintptr_t)p != addr)
			die("mmap at the image address failed");
		read_all(fd, p, size);
		if (prot[0] & PROT_EXEC)
			__builtin___clear_cache((char *)p, (char *)p + size);
		if (mprotect(p, size, (int)prot[0]) != 0)
			die("mprotect failed");
		printf("map 0x%llx 0x%llx %c%c%c\n", (unsigned long long)addr,
		       (unsigned long long)size, prot[0] & 1 ? 'r' : '-',
		       prot[0] & 2 ? 'w' : '-', prot[0] & 4 ? 'x' : '-');
	}
	close(fd);

	printf("init returned %d\n", ((int_fn)parse_addr(argv[2]))());
	if (argc > 3)
		printf("result returned %d\n", ((int_fn)parse_addr(argv[3]))());
	if (argc > 4)
		printf("calls returned %d\n", ((int_fn)parse_addr(argv[4]))());
	if (argc > 5) {
		((void_fn)parse_addr(argv[5]))();
		printf("exit done\n");
	}
	printf("allocations outstanding %ld\n", outstanding);
	return 0;
}
