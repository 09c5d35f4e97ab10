// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rmw.c - concurrent masked writes to one register through several names,
 * for the lost-update test of tests/core-config.bats.
 *
 *   rmw ROUNDS FILE BIT [FILE BIT...]
 *
 * One process per FILE BIT pair.  Each owns BIT of the register: it sets
 * it with a masked write ("VALUE:MASK", setpci's read-modify-write), reads
 * the register back and checks its bit is set, then clears it the same
 * way and checks it is clear, ROUNDS times.  Another writer's
 * read-modify-write that is not atomic with this one's loses the bit.
 * Prints "checks N lost M" and exits 1 if any bit was lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int reg_put(int fd, unsigned long value, unsigned long mask)
{
	char text[64];
	int n = snprintf(text, sizeof(text), "0x%lx:0x%lx\n", value, mask);

	return pwrite(fd, text, (size_t) n, 0) == n ? 0 : -1;
}

static int reg_get(int fd, unsigned long *value)
{
	char text[64];
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);

	if (n <= 0)
		return -1;
	text[n] = '\0';
	*value = strtoul(text, NULL, 16);
	return 0;
}

/* The lost updates of one writer, or -1 when an access failed. */
static long writer(const char *path, unsigned bit, long rounds)
{
	unsigned long mask = 1ul << bit, value;
	long lost = 0;
	int fd = open(path, O_RDWR);

	if (fd < 0)
		return -1;
	for (long i = 0; i < 2 * rounds; i++) {
		unsigned long want = i % 2 ? 0 : mask;

		if (reg_put(fd, want, mask) || reg_get(fd, &value))
			return -1;
		lost += (value & mask) != want;
	}
	close(fd);
	return lost;
}

int main(int argc, char **argv)
{
	long rounds, lost = 0, checks = 0;
	int n, status, failed = 0;

	if (argc < 4 || argc % 2) {
		fprintf(stderr, "usage: rmw ROUNDS FILE BIT [FILE BIT...]\n");
		return 2;
	}
	rounds = strtol(argv[1], NULL, 0);
	n = (argc - 2) / 2;
	for (int i = 0; i < n; i++) {
		if (fork() == 0) {
			long l = writer(argv[2 + 2 * i],
					(unsigned) atoi(argv[3 + 2 * i]),
					rounds);

			_exit(l < 0 ? 255 : l > 254 ? 254 : (int) l);
		}
	}
	while (wait(&status) > 0) {
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : 255;

		failed |= code == 255;
		lost += code == 255 ? 0 : code;
		checks += 2 * rounds;
	}
	printf("checks %ld lost %ld%s\n", checks, lost,
	       failed ? " (an access failed)" : "");
	return lost || failed ? 1 : 0;
}
