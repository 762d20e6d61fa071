/*
 * render.c — see render.h.  Stylesheets are parsed once, without network
 * access or entity expansion (our own loader replaces libxslt's, whose
 * defaults expand entities), and every transformation runs under security
 * preferences that forbid reading or writing files and the network.
 */
#include "render.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlsave.h>
#include <libxml/xpathInternals.h>
#include <libxslt/documents.h>
#include <libxslt/extensions.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>
#include <libexslt/exslt.h>

#include "arena.h"
#include "buf.h"
#include "i18n.h"
#include "i18n_format.h"
#include "log.h"

#define I18N_NS "urn:imiflow:i18n"
#define MAX_DEPTH 250
#define MAX_MSG 4096

static xsltStylesheetPtr page_style, mail_style;
static xsltSecurityPrefsPtr prefs;

/* libxslt's loader, minus NOENT and DTD loading, plus NONET. */
static xmlDocPtr
safe_loader(const xmlChar *uri, xmlDictPtr dict, int options, void *ctxt, xsltLoadType type)
{
	xmlParserCtxtPtr pctxt;
	xmlParserInputPtr input;
	xmlDocPtr doc = NULL;

	(void)ctxt;
	(void)type;
	options &= ~(XML_PARSE_NOENT | XML_PARSE_DTDLOAD | XML_PARSE_DTDATTR | XML_PARSE_HUGE);
	options |= XML_PARSE_NONET;
	if ((pctxt = xmlNewParserCtxt()) == NULL)
		return NULL;
	if (dict != NULL) {
		if (pctxt->dict != NULL)
			xmlDictFree(pctxt->dict);
		pctxt->dict = dict;
		xmlDictReference(dict);
	}
	xmlCtxtUseOptions(pctxt, options);
	if ((input = xmlLoadExternalEntity((const char *)uri, NULL, pctxt)) == NULL)
		goto out;
	inputPush(pctxt, input);
	if (pctxt->directory == NULL)
		pctxt->directory = xmlParserGetDirectory((const char *)uri);
	xmlParseDocument(pctxt);
	if (pctxt->wellFormed) {
		doc = pctxt->myDoc;
	} else {
		log_error("%s: not well-formed", (const char *)uri);
		xmlFreeDoc(pctxt->myDoc);
	}
	pctxt->myDoc = NULL;
out:
	xmlFreeParserCtxt(pctxt);
	return doc;
}

/* i18n:t(key, arg…): the message for key in the language of this transformation. */
static void
fn_t(xmlXPathParserContextPtr ctxt, int nargs)
{
	xsltTransformContextPtr tctxt = xsltXPathGetTransformContext(ctxt);
	const char *lang = tctxt != NULL ? tctxt->_private : NULL;
	xmlChar *args[9] = { NULL };
	xmlChar *key;
	const char *msg, *p;
	struct buf out;
	int i;

	if (nargs < 1 || nargs > 10) {
		xmlXPathSetArityError(ctxt);
		return;
	}
	for (i = nargs - 2; i >= 0; i--)
		args[i] = xmlXPathPopString(ctxt);
	key = xmlXPathPopString(ctxt);
	msg = i18n_get(lang ? lang : "en", key ? (const char *)key : "");
	buf_init(&out);
	for (p = msg; *p != '\0'; p++) {
		if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}' &&
		    p[1] - '1' < nargs - 1) {
			buf_puts(&out, args[p[1] - '1'] ? (const char *)args[p[1] - '1'] : "");
			p += 2;
		} else {
			buf_append(&out, p, 1);
		}
	}
	if (buf_ok(&out))
		valuePush(ctxt, xmlXPathNewString(BAD_CAST (out.data ? out.data : "")));
	else
		xmlXPathSetError(ctxt, XPATH_MEMORY_ERROR);
	buf_release(&out);
	for (i = 0; i < 9; i++)
		xmlFree(args[i]);
	xmlFree(key);
}

/* The language of this transformation (set by apply()). */
static const char *
ctxt_lang(xmlXPathParserContextPtr ctxt)
{
	xsltTransformContextPtr tctxt = xsltXPathGetTransformContext(ctxt);

	return tctxt != NULL && tctxt->_private != NULL ? tctxt->_private : "en";
}

static void
push_buf(xmlXPathParserContextPtr ctxt, struct buf *out)
{
	if (buf_ok(out))
		valuePush(ctxt, xmlXPathNewString(BAD_CAST (out->data ? out->data : "")));
	else
		xmlXPathSetError(ctxt, XPATH_MEMORY_ERROR);
	buf_release(out);
}

/* i18n:date(s): a date or timestamp as the language writes it; anything else as it is. */
static void
fn_date(xmlXPathParserContextPtr ctxt, int nargs)
{
	xmlChar *s;
	struct buf out;

	if (nargs != 1) {
		xmlXPathSetArityError(ctxt);
		return;
	}
	s = xmlXPathPopString(ctxt);
	buf_init(&out);
	if (i18n_format_date(ctxt_lang(ctxt), s ? (const char *)s : "", &out) == -1)
		buf_puts(&out, s ? (const char *)s : "");
	xmlFree(s);
	push_buf(ctxt, &out);
}

/* i18n:number(x [, decimals]): x with the language's decimal sign and grouping. */
static void
fn_number(xmlXPathParserContextPtr ctxt, int nargs)
{
	double x, decimals = 0;
	struct buf out;

	if (nargs < 1 || nargs > 2) {
		xmlXPathSetArityError(ctxt);
		return;
	}
	if (nargs == 2)
		decimals = xmlXPathPopNumber(ctxt);
	x = xmlXPathPopNumber(ctxt);
	buf_init(&out);
	i18n_format_number(ctxt_lang(ctxt), x, decimals >= 0 && decimals <= 6 ? (int)decimals : 0,
	    &out);
	push_buf(ctxt, &out);
}

/*
 * i18n:plural(key, n): the message KEY.one, KEY.few or KEY.other, by the
 * language's rule for n, with {1} the number as the language writes it.
 */
static void
fn_plural(xmlXPathParserContextPtr ctxt, int nargs)
{
	const char *lang = ctxt_lang(ctxt), *msg;
	struct buf key, num, out;
	xmlChar *k;
	double n;

	if (nargs != 2) {
		xmlXPathSetArityError(ctxt);
		return;
	}
	n = xmlXPathPopNumber(ctxt);
	k = xmlXPathPopString(ctxt);
	if (n != n || n > 1e15 || n < -1e15)
		n = 0;
	buf_init(&key);
	buf_init(&num);
	buf_init(&out);
	buf_printf(&key, "%s.%s", k ? (const char *)k : "",
	    i18n_plural_category(lang, (long long)n));
	i18n_format_number(lang, n, 0, &num);
	msg = i18n_get(lang, buf_ok(&key) && key.data ? key.data : "");
	for (const char *p = msg; *p != '\0'; p++) {
		if (p[0] == '{' && p[1] == '1' && p[2] == '}') {
			buf_puts(&out, buf_ok(&num) && num.data ? num.data : "");
			p += 2;
		} else {
			buf_append(&out, p, 1);
		}
	}
	xmlFree(k);
	buf_release(&key);
	buf_release(&num);
	push_buf(ctxt, &out);
}

static xsltStylesheetPtr
compile(const char *datadir, const char *name)
{
	char path[4096];
	xsltStylesheetPtr s;

	if ((size_t)snprintf(path, sizeof(path), "%s/xslt/%s", datadir, name) >= sizeof(path))
		return NULL;
	if ((s = xsltParseStylesheetFile(BAD_CAST path)) == NULL)
		log_error("%s: the stylesheet does not compile", path);
	return s;
}

int
render_init(const char *datadir)
{
	char path[4096];

	xsltMaxDepth = MAX_DEPTH;
	xsltSetLoaderFunc(safe_loader);
	exsltRegisterAll();
	if (xsltRegisterExtModuleFunction(BAD_CAST "t", BAD_CAST I18N_NS, fn_t) != 0 ||
	    xsltRegisterExtModuleFunction(BAD_CAST "date", BAD_CAST I18N_NS, fn_date) != 0 ||
	    xsltRegisterExtModuleFunction(BAD_CAST "number", BAD_CAST I18N_NS, fn_number) != 0 ||
	    xsltRegisterExtModuleFunction(BAD_CAST "plural", BAD_CAST I18N_NS, fn_plural) != 0)
		return -1;
	if ((size_t)snprintf(path, sizeof(path), "%s/xslt/i18n", datadir) >= sizeof(path) ||
	    i18n_load(path) == -1)
		goto fail;
	if ((page_style = compile(datadir, "page.xsl")) == NULL ||
	    (mail_style = compile(datadir, "mail.xsl")) == NULL)
		goto fail;
	if ((prefs = xsltNewSecurityPrefs()) == NULL ||
	    xsltSetSecurityPrefs(prefs, XSLT_SECPREF_READ_FILE, xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(prefs, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(prefs, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(prefs, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid) != 0 ||
	    xsltSetSecurityPrefs(prefs, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid) != 0)
		goto fail;
	/* From here on nothing, not even a future document() call, touches files. */
	xsltSetDefaultSecurityPrefs(prefs);
	return 0;
fail:
	render_free();
	return -1;
}

void
render_free(void)
{
	xsltSetDefaultSecurityPrefs(NULL);
	if (prefs != NULL)
		xsltFreeSecurityPrefs(prefs);
	if (page_style != NULL)
		xsltFreeStylesheet(page_style);
	if (mail_style != NULL)
		xsltFreeStylesheet(mail_style);
	prefs = NULL;
	page_style = mail_style = NULL;
	i18n_free();
	xsltCleanupGlobals();
}

static void
transform_error(void *ctx, const char *fmt, ...)
{
	char msg[MAX_MSG];
	va_list ap;

	(void)ctx;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("xslt: %s", msg);
}

static xmlDocPtr
apply(xsltStylesheetPtr style, xmlDocPtr model, const char *lang)
{
	xsltTransformContextPtr tctxt;
	xmlDocPtr res = NULL;

	if ((tctxt = xsltNewTransformContext(style, model)) == NULL)
		return NULL;
	tctxt->_private = (void *)(uintptr_t)(i18n_has_lang(lang) ? lang : "en");
	xsltSetCtxtSecurityPrefs(prefs, tctxt);
	xsltSetTransformErrorFunc(tctxt, NULL, transform_error);
	res = xsltApplyStylesheetUser(style, model, NULL, NULL, NULL, tctxt);
	if (res != NULL && tctxt->state != XSLT_STATE_OK) {
		xmlFreeDoc(res);
		res = NULL;
	}
	xsltFreeTransformContext(tctxt);
	return res;
}

int
render_html(xmlDocPtr model, const char *lang, struct buf *out)
{
	xmlDocPtr res;
	xmlChar *text = NULL;
	int len = 0, rc = -1;

	if ((res = apply(page_style, model, lang)) == NULL)
		return -1;
	if (xsltSaveResultToString(&text, &len, res, page_style) != 0 || len < 0)
		goto out;
	buf_append(out, text ? (const char *)text : "", (size_t)len);
	rc = buf_ok(out) ? 0 : -1;
out:
	xmlFree(text);
	xmlFreeDoc(res);
	return rc;
}

int
render_xml(xmlDocPtr model, struct buf *out)
{
	xmlChar *text = NULL;
	int len = 0;

	xmlDocDumpFormatMemoryEnc(model, &text, &len, "UTF-8", 1);
	if (text == NULL)
		return -1;
	buf_append(out, (const char *)text, (size_t)len);
	xmlFree(text);
	return buf_ok(out) ? 0 : -1;
}

static char *
child_text(struct arena *a, xmlNodePtr parent, const char *name)
{
	xmlNodePtr n;
	xmlChar *t;
	char *s;

	for (n = parent->children; n != NULL; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name))
			break;
	if (n == NULL || (t = xmlNodeGetContent(n)) == NULL)
		return NULL;
	s = arena_strdup(a, (const char *)t);
	xmlFree(t);
	return s;
}

int
render_mail(xmlDocPtr model, const char *lang, struct arena *a, char **subject, char **body)
{
	xmlDocPtr res;
	xmlNodePtr root;
	int rc = -1;

	if ((res = apply(mail_style, model, lang)) == NULL)
		return -1;
	root = xmlDocGetRootElement(res);
	if (root == NULL || !xmlStrEqual(root->name, BAD_CAST "mail")) {
		log_error("mail stylesheet produced no <mail> for this template");
		goto out;
	}
	if ((*subject = child_text(a, root, "subject")) == NULL ||
	    (*body = child_text(a, root, "body")) == NULL || (*subject)[0] == '\0') {
		log_error("mail stylesheet produced no subject or body");
		goto out;
	}
	rc = 0;
out:
	xmlFreeDoc(res);
	return rc;
}
