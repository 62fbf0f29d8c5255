/*
 * tests/bench/runstat.c: run a program, then print on stderr what it cost
 * as one line "runstat maxrss_kib=N cpu_us=N status=N".  tools/cost.py runs
 * the CGI programs through it, built with -static: the peak RSS a
 * process reports (ru_maxrss) counts the memory of the process it was
 * forked from until its exec, so it must be forked from something small
 * (from a Python interpreter, every program would show 20 MiB).  The
 * program runs without address space randomisation: where the stack and
 * the heap start moves the pages a run touches by up to 150 KiB.
 */
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <stdio.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage	 ru;
	pid_t		 pid;
	int		 status;

	if (argc < 2) {
		fputs("usage: runstat PROGRAM [ARG...]\n", stderr);
		return 2;
	}
	if ((pid = fork()) == -1) {
		perror("runstat: fork");
		return 2;
	}
	if (pid == 0) {
		(void)personality(ADDR_NO_RANDOMIZE);
		execv(argv[1], argv + 1);
		perror("runstat: exec");
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) == -1) {
		perror("runstat: wait4");
		return 2;
	}
	fprintf(stderr, "\nrunstat maxrss_kib=%ld cpu_us=%lld status=%d\n",
	    ru.ru_maxrss, (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
	    1000000LL + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec, status);
	return 0;
}
