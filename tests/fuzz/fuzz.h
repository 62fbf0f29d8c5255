/* tests/fuzz/fuzz.h: what the libFuzzer harnesses of tests/fuzz/ share
 * (built and run by tools/fuzz.sh). */
#ifndef HACGI_FUZZ_H
#define HACGI_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* A private DATA_DIR holding tokens.json with the tokens "admin:admin"
 * (project "admin", role admin) and "member:member" (role member);
 * created once, removed at exit. */
const char	*fuzz_data_dir(void);
/* data[0..n) as a NUL-terminated string (cut at the first NUL); owned by
 * the caller. */
char		*fuzz_str(const uint8_t *data, size_t n);
/* Make data[0..n) the process's standard input (a memfd). */
void		 fuzz_stdin(const uint8_t *data, size_t n);
/* Write a file under dir. */
void		 fuzz_file(const char *dir, const char *name, const void *,
		    size_t);
/* Unset the CGI variables the harnesses set. */
void		 fuzz_clear_env(void);
/* Abort with a message: an invariant does not hold. */
void		 fuzz_fail(const char *) __attribute__((noreturn));

#endif
