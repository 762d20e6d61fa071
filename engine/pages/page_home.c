/* page_home.c — see page_home.h. */
#include "page_home.h"

#include <string.h>

#include "handler.h"
#include "model.h"

/* Notices a redirect may ask the home page to show; anything else is ignored. */
static const char *const notices[] = { "password-changed", NULL };

int
page_home(struct hctx *ctx)
{
	const char *notice = http_query(ctx->req, "notice");
	xmlNodePtr page;

	if ((page = page_model(ctx, "home")) == NULL)
		return 500;
	for (size_t i = 0; notice != NULL && notices[i] != NULL; i++)
		if (strcmp(notice, notices[i]) == 0)
			model_attr(model_add(page, "notice", NULL), "key", notices[i]);
	return page_render(ctx, page);
}
