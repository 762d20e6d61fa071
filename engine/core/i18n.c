/* i18n.c — see i18n.h. */
#include "i18n.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "log.h"

#define MAX_LANGS 16

struct catalog {
	char lang[8];
	xmlHashTablePtr msgs;
};

static struct catalog catalogs[MAX_LANGS];
static const char *lang_codes[MAX_LANGS + 1];
static size_t ncatalogs;

static void
free_entry(void *payload, const xmlChar *name)
{
	(void)name;
	xmlFree(payload);
}

static int
valid_lang(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || n > 5)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
			return 0;
	return 1;
}

static int
load_one(const char *path, const char *lang)
{
	struct catalog *c;
	xmlDocPtr doc;
	xmlNodePtr root, n;
	xmlChar *key, *text;
	int rc = -1;

	if (ncatalogs == MAX_LANGS) {
		log_error("%s: more than %d catalogs", path, MAX_LANGS);
		return -1;
	}
	/* Trusted file shipped with the program, still parsed without network or entities. */
	if ((doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS)) == NULL) {
		log_error("%s: not well-formed XML", path);
		return -1;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !xmlStrEqual(root->name, BAD_CAST "catalog")) {
		log_error("%s: root element must be <catalog>", path);
		goto out;
	}
	c = &catalogs[ncatalogs];
	snprintf(c->lang, sizeof(c->lang), "%s", lang);
	if ((c->msgs = xmlHashCreate(512)) == NULL)
		goto out;
	for (n = root->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!xmlStrEqual(n->name, BAD_CAST "msg") ||
		    (key = xmlGetProp(n, BAD_CAST "key")) == NULL) {
			log_error("%s:%ld: expected <msg key=\"...\">", path, xmlGetLineNo(n));
			xmlHashFree(c->msgs, free_entry);
			c->msgs = NULL;
			goto out;
		}
		text = xmlNodeGetContent(n);
		if (text == NULL || xmlHashAddEntry(c->msgs, key, text) != 0) {
			log_error("%s:%ld: duplicate or unreadable message \"%s\"", path,
			    xmlGetLineNo(n), (const char *)key);
			xmlFree(text);
			xmlFree(key);
			xmlHashFree(c->msgs, free_entry);
			c->msgs = NULL;
			goto out;
		}
		xmlFree(key);
	}
	lang_codes[ncatalogs] = c->lang;
	ncatalogs++;
	rc = 0;
out:
	xmlFreeDoc(doc);
	return rc;
}

int
i18n_load(const char *dir)
{
	struct dirent *de;
	DIR *d;
	char path[4096], lang[8];
	size_t n;
	int rc = 0;

	if ((d = opendir(dir)) == NULL) {
		log_error("%s: %s", dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 5 || n - 4 >= sizeof(lang) || strcmp(de->d_name + n - 4, ".xml") != 0)
			continue;
		memcpy(lang, de->d_name, n - 4);
		lang[n - 4] = '\0';
		if (!valid_lang(lang))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= sizeof(path))
			rc = -1;
		else
			rc = load_one(path, lang);
	}
	closedir(d);
	if (rc == 0 && !i18n_has_lang("en")) {
		log_error("%s: en.xml is missing", dir);
		rc = -1;
	}
	if (rc == -1)
		i18n_free();
	return rc;
}

void
i18n_free(void)
{
	for (size_t i = 0; i < ncatalogs; i++) {
		xmlHashFree(catalogs[i].msgs, free_entry);
		catalogs[i].msgs = NULL;
		lang_codes[i] = NULL;
	}
	ncatalogs = 0;
}

static const struct catalog *
find(const char *lang)
{
	for (size_t i = 0; lang != NULL && i < ncatalogs; i++)
		if (strcmp(catalogs[i].lang, lang) == 0)
			return &catalogs[i];
	return NULL;
}

int
i18n_has_lang(const char *lang)
{
	return find(lang) != NULL;
}

const char *
i18n_get(const char *lang, const char *key)
{
	const struct catalog *c;
	const char *v = NULL;

	if ((c = find(lang)) != NULL)
		v = xmlHashLookup(c->msgs, BAD_CAST key);
	if (v == NULL && (c = find("en")) != NULL)
		v = xmlHashLookup(c->msgs, BAD_CAST key);
	return v != NULL ? v : key;
}

const char *const *
i18n_langs(void)
{
	return lang_codes;
}
