/* send_email.c — see send_email.h. */
#include "send_email.h"

#include <string.h>

#include "arena.h"
#include "db.h"
#include "log.h"
#include "model.h"
#include "pgarray.h"
#include "render.h"

/* The languages a mail is rendered in: those of xslt/i18n/ (sql/025 maps others to en). */
static const char *const langs[] = { "en", "da", "nl", "ro" };
#define NLANGS (sizeof(langs) / sizeof(langs[0]))

/* Parameters $1..$7 of the functions of sql/025_sent_messages.sql, in their order. */
#define CHOICE_ARGS "$1::bigint, $2::boolean, $3::boolean, $4::text[]::bigint[], $5::text, $6::text, $7::text"

static const struct db_query q_widen = { "send_email_widen",
	"SELECT coalesce((SELECT is_nimic OR is_helpdesk FROM authorities"
	"                  WHERE id = $1 AND deleted_at IS NULL), false)", 1 };
static const struct db_query q_search = { "send_email_search",
	"SELECT a.id, a.official_name, coalesce(a.informal_title, ''), a.country, a.authority_type"
	"  FROM send_email_chosen(" CHOICE_ARGS ") c JOIN authorities a ON a.id = c.authority_id"
	" ORDER BY a.country, a.official_name, a.id LIMIT $8", 8 };
static const struct db_query q_reach = { "send_email_reach",
	"SELECT (SELECT count(*) FROM send_email_chosen(" CHOICE_ARGS ")),"
	"       (SELECT count(*) FROM send_email_addresses(" CHOICE_ARGS "))", 7 };
static const struct db_query q_outside = { "send_email_outside",
	"SELECT EXISTS (SELECT 1 FROM unnest($3::text[]::bigint[]) id"
	"                WHERE id NOT IN (SELECT authority_id"
	"                                   FROM send_email_reachable($1::bigint, $2::boolean)))", 3 };
static const struct db_query q_sender = { "send_email_sender",
	"SELECT u.first_name || ' ' || u.last_name, u.email, a.official_name, c.name"
	"  FROM users u JOIN authorities a ON a.id = u.authority_id JOIN countries c ON c.code = a.country"
	" WHERE u.id = $2 AND a.id = $1 AND u.deleted_at IS NULL", 2 };
/*
 * One statement, so that a sending of any size is one round trip and the rows are made by the
 * database, set against set: the record, its authorities, one outbox row per address with the
 * rendering of its language ($12..$14), and the addresses with their outbox Message-IDs.  The
 * recipients (CTE r) are read once: a CTE named twice is computed once.
 */
static const struct db_query q_queue = { "send_email_queue",
	"WITH m AS (INSERT INTO sent_messages (sender_user_id, sender_authority_id, sender_name,"
	"             sender_email, sender_authority_name, body, widened)"
	"           SELECT $8::bigint, $1::bigint, $9::text, $10::text, $11::text, $15::text,"
	"                  $2::boolean RETURNING id),"
	"  au AS (INSERT INTO sent_message_authorities (message_id, authority_id)"
	"           SELECT m.id, c.authority_id FROM m, send_email_chosen(" CHOICE_ARGS ") c"
	"         RETURNING 1),"
	"  r AS (SELECT x.authority_id, x.user_id, x.email, x.language,"
	"               '<' || gen_random_uuid() || '@imiflow>' AS mail_id"
	"          FROM send_email_addresses(" CHOICE_ARGS ") x),"
	"  o AS (INSERT INTO outbox (message_id, recipient, subject, body, headers, template)"
	"          SELECT r.mail_id, r.email, t.subject, t.body, nullif($16::text, ''), 'send-email'"
	"            FROM r JOIN unnest($12::text[], $13::text[], $14::text[]) t(lang, subject, body)"
	"              ON t.lang = r.language"
	"        RETURNING 1),"
	"  rc AS (INSERT INTO sent_message_recipients (message_id, authority_id, user_id, email,"
	"             language, mail_id)"
	"           SELECT m.id, r.authority_id, r.user_id, r.email, r.language, r.mail_id FROM m, r"
	"         RETURNING 1)"
	" SELECT m.id, (SELECT count(*) FROM au), (SELECT count(*) FROM o), (SELECT count(*) FROM rc)"
	"   FROM m", 16 };
/* Delivered at commit: a worker waiting on LISTEN wakes at once (as outbox.c does). */
static const struct db_query q_notify = { "send_email_notify",
	"SELECT pg_notify('imiflow_outbox', '')", 0 };

int
send_email_may_widen(struct db *db, struct arena *a, long long authority_id)
{
	const char *params[1] = { arena_printf(a, "%lld", authority_id) };
	PGresult *r;

	if (params[0] == NULL || (r = db_exec(db, a, &q_widen, params)) == NULL)
		return -1;
	return db_bool(r, 0, 0);
}

/* params[0..6] for CHOICE_ARGS; 0 or -1. */
static int
choice_params(struct arena *a, long long sender, const struct send_email_criteria *c,
    const struct send_email_choice *ch, const char **params)
{
	params[0] = arena_printf(a, "%lld", sender);
	params[1] = c->widen ? "true" : "false";
	params[2] = ch->all ? "true" : "false";
	params[3] = pg_text_array(a, ch->ids, ch->all ? 0 : ch->n);
	params[4] = c->module;
	params[5] = c->country;
	params[6] = c->type;
	return params[0] != NULL && params[3] != NULL ? 0 : -1;
}

PGresult *
send_email_search(struct db *db, struct arena *a, long long sender,
    const struct send_email_criteria *c, int limit)
{
	const struct send_email_choice all = { 1, NULL, 0 };
	const char *params[8];

	if (choice_params(a, sender, c, &all, params) == -1 ||
	    (params[7] = arena_printf(a, "%d", limit + 1)) == NULL)
		return NULL;
	return db_exec(db, a, &q_search, params);
}

int
send_email_reach(struct db *db, struct arena *a, long long sender,
    const struct send_email_criteria *c, const struct send_email_choice *ch,
    long long *authorities, long long *people)
{
	const char *params[7];
	PGresult *r;

	if (choice_params(a, sender, c, ch, params) == -1 ||
	    (r = db_exec(db, a, &q_reach, params)) == NULL)
		return -1;
	*authorities = db_int(r, 0, 0);
	*people = db_int(r, 0, 1);
	return 0;
}

int
send_email_ids_reachable(struct db *db, struct arena *a, long long sender,
    const struct send_email_criteria *c, const struct send_email_choice *ch)
{
	const char *params[3];
	PGresult *r;

	if (ch->all || ch->n == 0)
		return 1;
	params[0] = arena_printf(a, "%lld", sender);
	params[1] = c->widen ? "true" : "false";
	params[2] = pg_text_array(a, ch->ids, ch->n);
	if (params[0] == NULL || params[2] == NULL ||
	    (r = db_exec(db, a, &q_outside, params)) == NULL)
		return -1;
	return !db_bool(r, 0, 0);
}

/* Printable ASCII only: anything else cannot go in a header as it is (mail.c refuses it). */
static int
header_safe(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/*
 * The mail in each language: the same model (xslt/mail/send-email.xsl) rendered once per
 * language, however many recipients read it.  0 or -1.
 */
static int
render_all(struct arena *a, const PGresult *sender, const char *text, const char **subjects,
    const char **bodies)
{
	xmlNodePtr mail, s;
	char *subject, *body;

	if ((mail = model_new(a, "mail")) == NULL)
		return -1;
	model_attr(mail, "template", "send-email");
	s = model_add(mail, "sender", NULL);
	model_attr(s, "name", db_value(sender, 0, 0));
	model_attr(s, "email", db_value(sender, 0, 1));
	model_attr(s, "authority", db_value(sender, 0, 2));
	model_attr(s, "country", db_value(sender, 0, 3));
	model_add(mail, "message", text);
	for (size_t i = 0; i < NLANGS; i++) {
		if (render_mail(mail->doc, langs[i], a, &subject, &body) == -1)
			return -1;
		subjects[i] = subject;
		bodies[i] = body;
	}
	return 0;
}

int
send_email_queue(struct db *db, struct arena *a, long long user_id, long long sender,
    const struct send_email_criteria *c, const struct send_email_choice *ch, const char *text,
    long long *id, long long *authorities, long long *queued)
{
	const char *params[16], *sender_params[2], *subjects[NLANGS], *bodies[NLANGS];
	PGresult *who, *r;

	if (choice_params(a, sender, c, ch, params) == -1 ||
	    (params[7] = arena_printf(a, "%lld", user_id)) == NULL)
		return -1;
	sender_params[0] = params[0];
	sender_params[1] = params[7];
	if ((who = db_exec(db, a, &q_sender, sender_params)) == NULL)
		return -1;
	if (PQntuples(who) != 1) {
		log_error("send e-mail: user %lld of authority %lld not found", user_id, sender);
		return -1;
	}
	if (render_all(a, who, text, subjects, bodies) == -1) {
		log_error("mail template send-email did not render");
		return -1;
	}
	params[8] = db_value(who, 0, 0);
	params[9] = db_value(who, 0, 1);
	params[10] = db_value(who, 0, 2);
	params[11] = pg_text_array(a, langs, NLANGS);
	params[12] = pg_text_array(a, subjects, NLANGS);
	params[13] = pg_text_array(a, bodies, NLANGS);
	params[14] = text;
	/* Replies go to the real sender, whose registered address the header names anyway. */
	params[15] = header_safe(params[9]) ? arena_printf(a, "Reply-To: %s", params[9]) : "";
	if (params[11] == NULL || params[12] == NULL || params[13] == NULL || params[15] == NULL)
		return -1;
	if ((r = db_exec(db, a, &q_queue, params)) == NULL || PQntuples(r) != 1)
		return -1;
	*id = db_int(r, 0, 0);
	*authorities = db_int(r, 0, 1);
	*queued = db_int(r, 0, 2);
	if (db_int(r, 0, 3) != *queued) {
		log_error("send e-mail %lld: %lld mails queued for %lld addresses", *id, *queued,
		    db_int(r, 0, 3));
		return -1;
	}
	if (*queued > 0 && db_exec(db, a, &q_notify, NULL) == NULL)
		return -1;
	return 0;
}
