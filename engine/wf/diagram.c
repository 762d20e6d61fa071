/* diagram.c — see diagram.h. */
#include "diagram.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "buf.h"
#include "log.h"

#define MAX_SVG (4 * 1024 * 1024)
#define TIMEOUT_MS 10000

extern char **environ;

/* Writes in and reads out at the same time, so neither pipe fills up and stalls dot. */
static int
exchange_loop(int to, int from, const struct buf *in, struct buf *out, int *open_in_p)
{
	struct pollfd p[2];
	size_t off = 0;
	char chunk[16384];
	ssize_t n;
	int open_in = 1;

	while (1) {
		p[0] = (struct pollfd){ open_in ? to : -1, POLLOUT, 0 };
		p[1] = (struct pollfd){ from, POLLIN, 0 };
		if (poll(p, 2, TIMEOUT_MS) <= 0)
			return -1;
		if (open_in && (p[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
			n = write(to, in->data + off, in->len - off);
			if (n < 0 && errno != EINTR)
				return -1;
			off += n > 0 ? (size_t)n : 0;
			if (off == in->len) {
				close(to);
				open_in = *open_in_p = 0;
			}
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(from, chunk, sizeof(chunk));
			if (n < 0 && errno != EINTR)
				return -1;
			if (n == 0)
				return open_in ? -1 : 0;
			buf_append(out, chunk, (size_t)n);
			if (out->len > MAX_SVG || !buf_ok(out))
				return -1;
		}
	}
}

static int
exchange(int to, int from, const struct buf *in, struct buf *out)
{
	int open_in = 1, r;

	r = exchange_loop(to, from, in, out, &open_in);
	if (open_in)
		close(to);
	return r;
}

int
diagram_svg(const struct buf *dot_text, xmlNodePtr parent)
{
	char *const argv[] = { "dot", "-Tsvg", NULL };
	posix_spawn_file_actions_t fa;
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, status, rc = -1, spawned = 0;
	struct buf svg;
	xmlDocPtr doc = NULL;
	xmlNodePtr copy;
	pid_t pid;

	buf_init(&svg);
	if (pipe(in) == -1 || pipe(out) == -1)
		goto out;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_addclose(&fa, in[1]);
	posix_spawn_file_actions_addclose(&fa, out[0]);
	if (posix_spawnp(&pid, "dot", &fa, NULL, argv, environ) != 0) {
		log_error("cannot run Graphviz \"dot\" (Debian package graphviz)");
		posix_spawn_file_actions_destroy(&fa);
		goto out;
	}
	spawned = 1;
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(out[1]);
	in[0] = out[1] = -1;
	if (exchange(in[1], out[0], dot_text, &svg) == -1) {
		log_error("Graphviz did not answer within %d ms", TIMEOUT_MS);
		kill(pid, SIGKILL);
	}
	in[1] = -1;	/* exchange() closed it */
out:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	if (spawned) {
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && svg.len > 0 && buf_ok(&svg) &&
		    (doc = xmlReadMemory(svg.data, (int)svg.len, "diagram.svg", NULL,
		    XML_PARSE_NONET | XML_PARSE_NOBLANKS)) != NULL &&
		    (copy = xmlDocCopyNode(xmlDocGetRootElement(doc), parent->doc, 1)) != NULL) {
			xmlAddChild(parent, copy);
			rc = 0;
		} else {
			log_error("Graphviz produced no usable SVG");
		}
	}
	xmlFreeDoc(doc);
	buf_release(&svg);
	return rc;
}
