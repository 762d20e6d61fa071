/*
 * render.h — page and mail rendering with XSLT.  render_init() compiles
 * xslt/page.xsl and xslt/mail.xsl and loads the message catalogs once per
 * process; afterwards the stylesheets are shared read-only by all threads.
 * Stylesheets translate labels with the extension function
 * i18n:t('key', 'arg1', …) (xmlns:i18n="urn:imiflow:i18n"), which replaces
 * {1}, {2}, … in the message with the arguments.
 */
#ifndef IMIFLOW_RENDER_H
#define IMIFLOW_RENDER_H

#include <libxml/tree.h>

struct arena;
struct buf;

int render_init(const char *datadir);
void render_free(void);

/* The model (root <page>) as HTML in lang. */
int render_html(xmlDocPtr model, const char *lang, struct buf *out);
/* The model itself, for ?format=xml. */
int render_xml(xmlDocPtr model, struct buf *out);
/*
 * A mail: the model's root is <mail template="NAME">…; the mail stylesheet
 * produces <mail><subject/><body/></mail>, returned as arena strings.
 */
int render_mail(xmlDocPtr model, const char *lang, struct arena *a, char **subject, char **body);

#endif
