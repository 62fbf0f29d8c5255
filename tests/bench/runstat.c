/*
 * tests/bench/runstat.c: run a program, then print on stderr what it cost
 * as one line "runstat maxrss_kib=N cpu_us=N status=N".  tools/cost.py runs
 * the CGI programs through it, built with -static: the peak RSS a
 * process reports (ru_maxrss) counts the memory of the process it was
 * forked from until its exec, so it must be forked from something small
 * (from a Python interpreter, every program would show 20 MiB).  The
 * program runs without address space randomisation: where the stack and
 * the heap start moves the pages a run touches by up to 150 KiB.
 *
 * runstat -m PROGRAM [ARG...] also stops the program as it exits
 * (ptrace, PTRACE_O_TRACEEXIT) and adds "peak_kib=N": the larger of the
 * VmHWM and the Rss that /proc gives then (status, smaps_rollup).  The
 * kernel keeps a process's RSS in per-CPU counters and ru_maxrss reads
 * them without adding up what each CPU still holds: up to a batch (32
 * pages) per CPU and kind of page short.  The same request measured 872
 * or 1,040 KiB that way, depending on the CPUs it ran on (a loaded
 * machine gave the higher figure, an idle one mostly the lower), while
 * smaps_rollup, which walks the page tables, said 1,124-1,160 KiB in
 * every run.  And a program's RSS at its exit is less than its peak
 * when free() gave heap back before (glibc trims the top of the heap
 * past 128 KiB, and unmaps its large blocks), which the kernel's VmHWM
 * does not always see: a host list read 1,288 KiB at its exit, or 1,528
 * with the same heap kept, depending on where its last live block lay.
 * So -m runs the program with glibc's trimming and large-block mmaps
 * off (GLIBC_TUNABLES): nothing is given back, and what is resident at
 * the exit is all it touched.  Only CPU time is measured without -m:
 * tracing adds two stops.
 */
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* glibc malloc: never trim the heap, no mmap below 32 MiB (the most) */
#define KEEP_HEAP	"glibc.malloc.trim_threshold=4294967295:" \
			"glibc.malloc.mmap_threshold=33554432"

/* The "key N kB" of /proc/PID/file, in KiB, or -1. */
static long
proc_kib(pid_t pid, const char *file, const char *key)
{
	char	 path[64], line[256];
	size_t	 len = strlen(key);
	long	 kib = -1;
	FILE	*f;

	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, file);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, len) == 0) {
			kib = strtol(line + len, NULL, 10);
			break;
		}
	fclose(f);
	return kib;
}

/* Follow the traced pid to its end: its peak RSS read at its exit stop
 * (or -1) in *peak, its status and rusage.  0 or -1. */
static int
trace(pid_t pid, long *peak, int *status, struct rusage *ru)
{
	long	 hwm, rss;
	int	 sig;

	*peak = -1;
	if (waitpid(pid, status, 0) == -1 || !WIFSTOPPED(*status))
		return -1;
	if (ptrace(PTRACE_SETOPTIONS, pid, NULL,
	    (void *)(PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL)) == -1 ||
	    ptrace(PTRACE_CONT, pid, NULL, NULL) == -1)
		return -1;
	for (;;) {
		if (wait4(pid, status, 0, ru) == -1)
			return -1;
		if (!WIFSTOPPED(*status))
			return 0;
		sig = WSTOPSIG(*status);
		if (*status >> 8 == (SIGTRAP | PTRACE_EVENT_EXIT << 8)) {
			hwm = proc_kib(pid, "status", "VmHWM:");
			rss = proc_kib(pid, "smaps_rollup", "Rss:");
			*peak = hwm > rss ? hwm : rss;
			sig = 0;
		} else if (sig == SIGTRAP)
			sig = 0;	/* the exec's */
		if (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig) == -1)
			return -1;
	}
}

int
main(int argc, char **argv)
{
	struct rusage	 ru;
	pid_t		 pid;
	long		 peak = -1;
	int		 status, mem = 0;

	if (argc > 1 && strcmp(argv[1], "-m") == 0) {
		mem = 1;
		argv++;
		argc--;
	}
	if (argc < 2) {
		fputs("usage: runstat [-m] PROGRAM [ARG...]\n", stderr);
		return 2;
	}
	if ((pid = fork()) == -1) {
		perror("runstat: fork");
		return 2;
	}
	if (pid == 0) {
		(void)personality(ADDR_NO_RANDOMIZE);
		if (mem && (setenv("GLIBC_TUNABLES", KEEP_HEAP, 1) == -1 ||
		    ptrace(PTRACE_TRACEME, 0, NULL, NULL) == -1 ||
		    raise(SIGSTOP) != 0)) {
			perror("runstat: ptrace");
			_exit(127);
		}
		execv(argv[1], argv + 1);
		perror("runstat: exec");
		_exit(127);
	}
	if (mem ? trace(pid, &peak, &status, &ru) == -1 :
	    wait4(pid, &status, 0, &ru) == -1) {
		perror("runstat: wait");
		return 2;
	}
	if (mem && peak < 0) {
		fputs("runstat: no RSS read at the exit\n", stderr);
		return 2;
	}
	fprintf(stderr, "\nrunstat maxrss_kib=%ld cpu_us=%lld status=%d",
	    ru.ru_maxrss, (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
	    1000000LL + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec, status);
	if (mem)
		fprintf(stderr, " peak_kib=%ld", peak);
	fputc('\n', stderr);
	return 0;
}
