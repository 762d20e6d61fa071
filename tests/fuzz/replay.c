/*
 * replay.c — runs a libFuzzer target over files without libFuzzer, so that
 * `make check` replays the seed corpora with the ordinary compiler (and the
 * sanitizers of the build, if any).  Arguments are files or directories; a
 * directory's regular files are replayed in name order, so a failure is
 * reproducible.  Each input gets a buffer of exactly its size, so a read past
 * the end is caught by AddressSanitizer here as under libFuzzer.
 *
 * Without arguments it replays $FUZZ_CORPUS/FUZZ_TARGET, FUZZ_TARGET being
 * compiled in (-DFUZZ_TARGET=\"http\"), or else the directory in $FUZZ_DIR.
 * The output is TAP: a plan, then "ok N - FILE" per input, so `make check`
 * counts inputs.  An input that crashes the target kills the process, which
 * the TAP driver reports as an error after the last input that passed; the
 * path printed is the one to give back to this program to reproduce it.
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

/* The inputs to replay, in order. */
struct inputs {
	char **path;
	size_t n, cap;
};

static int
add(struct inputs *in, const char *dir, const char *name)
{
	char **p;
	size_t len;

	if (in->n == in->cap) {
		in->cap = in->cap == 0 ? 64 : in->cap * 2;
		if ((p = realloc(in->path, in->cap * sizeof(*p))) == NULL)
			return -1;
		in->path = p;
	}
	len = (dir == NULL ? 0 : strlen(dir) + 1) + strlen(name) + 1;
	if ((in->path[in->n] = malloc(len)) == NULL)
		return -1;
	if (dir == NULL)
		snprintf(in->path[in->n], len, "%s", name);
	else
		snprintf(in->path[in->n], len, "%s/%s", dir, name);
	in->n++;
	return 0;
}

/* Adds a file, or a directory's regular files in name order. */
static int
collect(struct inputs *in, const char *path)
{
	struct dirent **names = NULL;
	struct stat st;
	char *file;
	size_t len;
	int i, n = 0, rc = -1;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		if (add(in, NULL, path) == -1)
			goto nomem;
		return 0;
	}
	if ((n = scandir(path, &names, not_hidden, alphasort)) == -1) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		len = strlen(path) + strlen(names[i]->d_name) + 2;
		if ((file = malloc(len)) == NULL)
			goto nomem;
		snprintf(file, len, "%s/%s", path, names[i]->d_name);
		if (stat(file, &st) == -1 || !S_ISREG(st.st_mode)) {
			free(file);
			continue;
		}
		free(file);
		if (add(in, path, names[i]->d_name) == -1)
			goto nomem;
	}
	rc = 0;
	goto out;
nomem:
	fprintf(stderr, "replay: out of memory\n");
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* The corpus to replay when no argument names one, or NULL. */
static char *
default_corpus(void)
{
	const char *v;
	char *dir;
	size_t len;

#ifdef FUZZ_TARGET
	if ((v = getenv("FUZZ_CORPUS")) != NULL && *v != '\0') {
		len = strlen(v) + sizeof(FUZZ_TARGET) + 1;
		if ((dir = malloc(len)) != NULL)
			snprintf(dir, len, "%s/%s", v, FUZZ_TARGET);
		return dir;
	}
#endif
	if ((v = getenv("FUZZ_DIR")) != NULL && *v != '\0') {
		len = strlen(v) + 1;
		if ((dir = malloc(len)) != NULL)
			memcpy(dir, v, len);
		return dir;
	}
	return NULL;
}

int
main(int argc, char *argv[])
{
	struct inputs in = { NULL, 0, 0 };
	char *dir = NULL;
	size_t i;
	int a, failed = 0, rc = 1;

	if (argc < 2) {
		if ((dir = default_corpus()) == NULL) {
			fprintf(stderr, "usage: %s [file|directory ...]\n"
			    "without arguments, replays $FUZZ_CORPUS/<target> "
			    "(target compiled in) or $FUZZ_DIR\n", argv[0]);
			printf("Bail out! no corpus: set FUZZ_CORPUS or "
			    "FUZZ_DIR\n");
			return 1;
		}
		if (collect(&in, dir) == -1) {
			printf("Bail out! cannot read corpus %s\n", dir);
			goto out;
		}
	}
	for (a = 1; a < argc; a++)
		if (collect(&in, argv[a]) == -1) {
			printf("Bail out! cannot read %s\n", argv[a]);
			goto out;
		}
	/* A replay that replays nothing would pass without testing. */
	if (in.n == 0) {
		printf("Bail out! no inputs in %s\n",
		    dir != NULL ? dir : "the arguments");
		goto out;
	}

	printf("1..%zu\n", in.n);
	fflush(stdout);
	for (i = 0; i < in.n; i++) {
		if (replay_file(in.path[i]) == 0)
			printf("ok %zu - %s\n", i + 1, in.path[i]);
		else {
			printf("not ok %zu - %s # cannot read it\n", i + 1,
			    in.path[i]);
			failed = 1;
		}
		/* Flushed before the next input, which may kill us. */
		fflush(stdout);
	}
	rc = failed;
out:
	for (i = 0; i < in.n; i++)
		free(in.path[i]);
	free(in.path);
	free(dir);
	return rc;
}
