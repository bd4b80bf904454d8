/*
 * driver.c - runs a libFuzzer harness without libFuzzer: each file named on the command
 * line is one input (for compilers without -fsanitize=fuzzer, and for replaying a corpus
 * or a crash). Exit status 0 if every input ran; a harness failure aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int ran = 0;

	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		unsigned char *buf;
		long n;

		if (!fp || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
		    fseek(fp, 0, SEEK_SET) != 0) {
			perror(argv[i]);
			return 1;
		}
		buf = malloc(n > 0 ? (size_t)n : 1);
		if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			perror(argv[i]);
			return 1;
		}
		fclose(fp);
		LLVMFuzzerTestOneInput(buf, (size_t)n);
		free(buf);
		ran++;
	}
	printf("ran %d input(s)\n", ran);
	return 0;
}
