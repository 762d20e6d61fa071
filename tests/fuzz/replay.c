/*
 * replay.c — runs a libFuzzer target over files without libFuzzer, so that
 * `make check` replays the seed corpora with the ordinary compiler (and the
 * sanitizers of the build, if any).  Arguments are files or directories; a
 * directory's regular files are replayed in name order, so a failure is
 * reproducible.  Each input gets a buffer of exactly its size, so a read past
 * the end is caught by AddressSanitizer here as under libFuzzer.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	FILE *fp;
	uint8_t *data = NULL, *exact = NULL, *p;
	size_t len = 0, cap = 0, n;
	int rc = -1;

	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap == 0 ? 4096 : cap * 2;
			if ((p = realloc(data, cap)) == NULL)
				goto nomem;
			data = p;
		}
		n = fread(data + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		goto out;
	}
	if ((exact = malloc(len == 0 ? 1 : len)) == NULL)
		goto nomem;
	memcpy(exact, data, len);
	LLVMFuzzerTestOneInput(exact, len);
	rc = 0;
	goto out;
nomem:
	fprintf(stderr, "replay: %s: out of memory\n", path);
out:
	free(exact);
	free(data);
	fclose(fp);
	return rc;
}

static int
not_hidden(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Returns the number of inputs replayed, or -1. */
static int
replay(const char *path)
{
	struct dirent **names = NULL;
	struct stat st;
	char *file;
	size_t len;
	int i, n, count = 0, rc = -1;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path) == 0 ? 1 : -1;

	if ((n = scandir(path, &names, not_hidden, alphasort)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		len = strlen(path) + strlen(names[i]->d_name) + 2;
		if ((file = malloc(len)) == NULL) {
			fprintf(stderr, "replay: out of memory\n");
			goto out;
		}
		snprintf(file, len, "%s/%s", path, names[i]->d_name);
		if (stat(file, &st) == -1 || !S_ISREG(st.st_mode)) {
			free(file);
			continue;
		}
		if (replay_file(file) == -1) {
			free(file);
			goto out;
		}
		free(file);
		count++;
	}
	rc = count;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int
main(int argc, char *argv[])
{
	int i, n, total = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s file|directory ...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if ((n = replay(argv[i])) == -1)
			return 1;
		total += n;
	}
	printf("replayed %d inputs\n", total);
	return 0;
}
