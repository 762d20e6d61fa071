/* notify.c — see notify.h. */
#include "notify.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int
notify_send(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun;
	size_t n;
	socklen_t len;
	int fd = -1, rc = -1;

	if (path == NULL || path[0] == '\0')
		return 0;
	n = strlen(path);
	/* An absolute path, or "@name" for the abstract namespace. */
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sun.sun_path))
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, n);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		goto out;
	if (sendto(fd, state, strlen(state), 0, (struct sockaddr *)&sun, len) < 0)
		goto out;
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	return rc;
}
