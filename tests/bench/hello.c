/*
 * tests/bench/hello.c: the cheapest possible CGI.  tools/bench.sh measures
 * it first: its requests/s are the floor set by lighttpd, fork and exec,
 * against which every endpoint is compared.
 */
#include <stdio.h>

int
main(void)
{
	fputs("Status: 200 OK\r\n"
	    "Content-Type: application/json\r\n"
	    "\r\n"
	    "{\"hello\": \"world\"}", stdout);
	return 0;
}
