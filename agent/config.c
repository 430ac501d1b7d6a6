/*
 * config.c: ibagent.conf(5).  libinih splits the file into sections and
 * key = value pairs; everything else happens here, driven by one table
 * of keys (keys[] below): type, range, default, where the value goes.
 *
 * Line numbers: Debian's libinih is built without INI_HANDLER_LINENO, so
 * the file is fed to ini_parse_stream() through a reader that counts
 * lines.  inih reads a line, then calls the handler for it, then reads
 * the next: at handler time the reader's count is the handler's line.
 * The reader also notes each line's shape, so lines inih rejects without
 * calling the handler (no '=', an unclosed '[') are reported too, all of
 * them, not only the first as ini_parse_stream()'s return value would.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "../entitlement/ent_rules.h"
#include "config.h"
#include "targets.h"

#define CONF_MAX_LINE	4096	/* bytes of one line, newline included */
#define CONF_MAX_ERRORS	100	/* then "too many errors" */

enum conf_section { CS_NONE = -1, CS_MAIN = 0, CS_SITE, CS_CRED, CS_REPORT,
	CS_ALERT, CS__COUNT };

static const char *const section_names[CS__COUNT] = {
	"ibagent", "site", "credentials", "report", "alert"
};

enum conf_type {
	CT_STRING,	/* any text */
	CT_NAME,	/* the name of another section */
	CT_PATH,	/* a path; relative to the file's directory */
	CT_FILE,	/* a path to a readable regular file */
	CT_DIR,		/* a path to an existing directory */
	CT_SECRET,	/* a path to a regular file, mode 0600 or stricter */
	CT_INT,		/* decimal, min..max */
	CT_BOOL,	/* yes/no, true/false, on/off, 1/0 */
	CT_DURATION,	/* "90s", "10m"; min..max in ms */
	CT_ENUM,	/* one of enums[] */
	CT_LIST,	/* words; the key may be repeated to add more */
	CT_SCHEDULE,	/* schedule.h */
	CT_DATE		/* YYYY-MM-DD or "today" */
};

struct conf_enum {
	const char	*name;
	long long	 value;
};

static const struct conf_enum e_log[] = {
	{ "warning", CONF_LOG_WARNING }, { "info", CONF_LOG_INFO },
	{ "debug", CONF_LOG_DEBUG }, { NULL, 0 }
};
static const struct conf_enum e_version[] = {
	{ "2c", CONF_SNMP_V2C }, { "3", CONF_SNMP_V3 }, { "2", CONF_SNMP_V2C },
	{ NULL, 0 }
};
/* The order of enum snmp_auth (csnmp.h). */
static const struct conf_enum e_auth[] = {
	{ "SHA", 0 }, { "SHA-224", 1 }, { "SHA-256", 2 }, { "SHA-384", 3 },
	{ "SHA-512", 4 }, { "SHA1", 0 }, { NULL, 0 }
};
static const struct conf_enum e_priv[] = {
	{ "AES", 0 }, { "AES-128", 0 }, { NULL, 0 }
};
static const struct conf_enum e_protocols[] = {
	{ "snmp", 1 }, { "netconf", 2 }, { "snmp,netconf", 3 },
	{ "netconf,snmp", 3 }, { NULL, 0 }
};
static const struct conf_enum e_rule[] = {
	{ "worse", CONF_ALERT_WORSE }, { "unregistered", CONF_ALERT_UNREGISTERED },
	{ "replaced", CONF_ALERT_REPLACED }, { "eos", CONF_ALERT_EOS },
	{ NULL, 0 }
};

#define REQUIRED	1

struct conf_key {
	enum conf_section	 sect;
	const char		*name;
	enum conf_type		 type;
	long long		 min, max;	/* CT_INT; CT_DURATION in ms */
	const char		*def;		/* NULL: no default */
	const struct conf_enum	*enums;
	size_t			 off;		/* in the section's struct */
	int			 flags;
};

#define SEC	1000LL
#define MIN	(60 * SEC)
#define HOUR	(60 * MIN)
#define DAY	(24 * HOUR)
#define M(s, f)	offsetof(struct s, f)

/*
 * Every key of every section.  The order is the order of conf_print() and
 * of ibagent.conf(5).  A key's index within its section is its slot in
 * conf_obj.key_line[].
 */
static const struct conf_key keys[] = {
	{ CS_MAIN, "db", CT_PATH, 0, 0, "/var/lib/ibagent/ib.sqlite", NULL,
	    M(conf_main, db), 0 },
	{ CS_MAIN, "log_level", CT_ENUM, 0, 0, "info", e_log,
	    M(conf_main, log_level), 0 },
	{ CS_MAIN, "schedule", CT_SCHEDULE, 0, 0, "daily 02:00", NULL,
	    M(conf_main, schedule), 0 },
	{ CS_MAIN, "jitter", CT_DURATION, 0, 12 * HOUR, "0s", NULL,
	    M(conf_main, jitter_ms), 0 },
	{ CS_MAIN, "as_of", CT_DATE, 0, 0, "today", NULL,
	    M(conf_main, as_of), 0 },

	{ CS_SITE, "targets", CT_LIST, 0, 0, NULL, NULL,
	    M(conf_site, targets), 0 },
	{ CS_SITE, "targets_file", CT_FILE, 0, 0, NULL, NULL,
	    M(conf_site, targets_file), 0 },
	{ CS_SITE, "credentials", CT_NAME, 0, 0, NULL, NULL,
	    M(conf_site, credentials), REQUIRED },
	{ CS_SITE, "protocols", CT_ENUM, 0, 0, "snmp", e_protocols,
	    M(conf_site, protocols), 0 },
	{ CS_SITE, "max_in_flight", CT_INT, 1, 65536, "256", NULL,
	    M(conf_site, max_in_flight), 0 },
	{ CS_SITE, "port", CT_INT, 1, 65535, "161", NULL,
	    M(conf_site, port), 0 },
	{ CS_SITE, "timeout", CT_DURATION, 10, 600 * SEC, "1s", NULL,
	    M(conf_site, timeout_ms), 0 },
	{ CS_SITE, "retries", CT_INT, 0, 20, "2", NULL,
	    M(conf_site, retries), 0 },
	{ CS_SITE, "ssh_workers", CT_INT, 1, 1024, "16", NULL,
	    M(conf_site, ssh_workers), 0 },
	{ CS_SITE, "ssh_timeout", CT_DURATION, 100, 600 * SEC, "30s", NULL,
	    M(conf_site, ssh_timeout_ms), 0 },

	{ CS_CRED, "snmp_version", CT_ENUM, 0, 0, "2c", e_version,
	    M(conf_cred, snmp_version), 0 },
	{ CS_CRED, "community_file", CT_SECRET, 0, 0, NULL, NULL,
	    M(conf_cred, community_file), 0 },
	{ CS_CRED, "v3_user", CT_STRING, 0, 0, NULL, NULL,
	    M(conf_cred, v3_user), 0 },
	{ CS_CRED, "v3_auth_proto", CT_ENUM, 0, 0, "SHA", e_auth,
	    M(conf_cred, v3_auth_proto), 0 },
	{ CS_CRED, "v3_priv_proto", CT_ENUM, 0, 0, "AES", e_priv,
	    M(conf_cred, v3_priv_proto), 0 },
	{ CS_CRED, "v3_auth_pass_file", CT_SECRET, 0, 0, NULL, NULL,
	    M(conf_cred, v3_auth_pass_file), 0 },
	{ CS_CRED, "v3_priv_pass_file", CT_SECRET, 0, 0, NULL, NULL,
	    M(conf_cred, v3_priv_pass_file), 0 },
	{ CS_CRED, "ssh_user", CT_STRING, 0, 0, NULL, NULL,
	    M(conf_cred, ssh_user), 0 },
	{ CS_CRED, "ssh_key", CT_SECRET, 0, 0, NULL, NULL,
	    M(conf_cred, ssh_key), 0 },
	{ CS_CRED, "ssh_password_file", CT_SECRET, 0, 0, NULL, NULL,
	    M(conf_cred, ssh_password_file), 0 },
	{ CS_CRED, "known_hosts", CT_PATH, 0, 0, NULL, NULL,
	    M(conf_cred, known_hosts), 0 },
	{ CS_CRED, "ssh_port", CT_INT, 1, 65535, "830", NULL,
	    M(conf_cred, ssh_port), 0 },
	{ CS_CRED, "ssh_tofu", CT_BOOL, 0, 0, "no", NULL,
	    M(conf_cred, ssh_tofu), 0 },

	{ CS_REPORT, "report", CT_STRING, 0, 0, NULL, NULL,
	    M(conf_report, report), REQUIRED },
	{ CS_REPORT, "format", CT_STRING, 0, 0, "csv", NULL,
	    M(conf_report, format), 0 },
	{ CS_REPORT, "args", CT_STRING, 0, 0, "", NULL,
	    M(conf_report, args), 0 },
	{ CS_REPORT, "output_dir", CT_DIR, 0, 0, NULL, NULL,
	    M(conf_report, output_dir), REQUIRED },
	{ CS_REPORT, "retention", CT_DURATION, 1 * MIN, 3650 * DAY, "90d", NULL,
	    M(conf_report, retention_ms), 0 },

	{ CS_ALERT, "rule", CT_ENUM, 0, 0, NULL, e_rule,
	    M(conf_alert, rule), REQUIRED },
	{ CS_ALERT, "days", CT_INT, 1, 3650, "90", NULL,
	    M(conf_alert, days), 0 },
	{ CS_ALERT, "hook", CT_STRING, 0, 0, "", NULL,
	    M(conf_alert, hook), 0 },
	{ CS_ALERT, "hook_timeout", CT_DURATION, 1 * SEC, 1 * HOUR, "60s", NULL,
	    M(conf_alert, hook_timeout_ms), 0 },
	{ CS_ALERT, "syslog", CT_BOOL, 0, 0, "yes", NULL,
	    M(conf_alert, syslog), 0 },
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

/* The parse in progress. */
struct conf_parse {
	struct conf		*c;
	struct conf_errors	*errs;
	const char		*file;
	char			*dir;		/* of file, for relative paths */
	FILE			*fp;
	char			*buf;		/* getline() */
	size_t			 bufsz;
	int			 lineno;
	int			 line_kv;	/* the line should call the handler */
	int			 handled;	/* and it did */
	enum conf_section	 sect;		/* CS_NONE: before any, or bad */
	int			 sect_bad;	/* errors of its keys are moot */
	struct conf_obj		*obj;		/* of sect */
};

static void
conf_err(struct conf_parse *p, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
conf_err(struct conf_parse *p, int line, const char *fmt, ...)
{
	struct conf_errors	*e = p->errs;
	char			 msg[1024], full[1400], **v;
	va_list			 ap;

	if (e->n > CONF_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e->n == CONF_MAX_ERRORS)
		snprintf(msg, sizeof(msg), "too many errors; giving up");
	if (line > 0)
		snprintf(full, sizeof(full), "%s:%d: %s", p->file, line, msg);
	else
		snprintf(full, sizeof(full), "%s: %s", p->file, msg);
	if ((v = reallocarray(e->v, e->n + 1, sizeof(*v))) == NULL)
		return;
	e->v = v;
	if ((e->v[e->n] = strdup(full)) != NULL)
		e->n++;
}

void
conf_errors_free(struct conf_errors *e)
{
	size_t	i;

	for (i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

/* The index of a key within its section, its slot in key_line[]. */
static int
key_slot(const struct conf_key *k)
{
	size_t	i;
	int	n = 0;

	for (i = 0; &keys[i] != k; i++)
		if (keys[i].sect == k->sect)
			n++;
	return (n);
}

static const struct conf_key *
key_find(enum conf_section s, const char *name)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].sect == s && strcmp(keys[i].name, name) == 0)
			return (&keys[i]);
	return (NULL);
}

/* Section names: letters, digits, '-', '_', '.'; 1 to 64 of them. */
static int
name_ok(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++, n++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' &&
		    *s != '.')
			return (0);
	return (n > 0 && n <= 64);
}

static void *
obj_new(struct conf_parse *p, void ***arr, size_t *n, size_t size,
    const char *name)
{
	struct conf_obj	 *o;
	void		**v;

	if ((v = reallocarray(*arr, *n + 1, sizeof(*v))) == NULL)
		return (NULL);
	*arr = v;
	if ((o = calloc(1, size)) == NULL)
		return (NULL);
	if ((o->name = strdup(name)) == NULL) {
		free(o);
		return (NULL);
	}
	o->line = p->lineno;
	v[(*n)++] = o;
	return (o);
}

static struct conf_obj *
obj_lookup(void **arr, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(((struct conf_obj *)arr[i])->name, name) == 0)
			return (arr[i]);
	return (NULL);
}

/* A "[...]" line: the section that follows. */
static void
section_start(struct conf_parse *p, const char *text)
{
	struct conf	*c = p->c;
	struct conf_obj	*dup = NULL;
	char		 kind[32], name[128], extra[8];
	int		 n, s;
	void		***arr = NULL;
	size_t		*cnt = NULL, size = 0;

	p->sect = CS_NONE;
	p->sect_bad = 1;
	p->obj = NULL;
	n = sscanf(text, "%31s %127s %7s", kind, name, extra);
	for (s = 0; s < CS__COUNT; s++)
		if (n >= 1 && strcmp(kind, section_names[s]) == 0)
			break;
	if (n < 1 || s == CS__COUNT) {
		conf_err(p, p->lineno, "unknown section [%s]: want [ibagent], "
		    "[site NAME], [credentials NAME], [report NAME] or "
		    "[alert NAME]", text);
		return;
	}
	if (s == CS_MAIN) {
		if (n != 1) {
			conf_err(p, p->lineno, "[ibagent] takes no name");
			return;
		}
		if (c->main.o.line != 0) {
			conf_err(p, p->lineno, "[ibagent] again (first at line "
			    "%d)", c->main.o.line);
			return;
		}
		c->main.o.line = p->lineno;
		p->sect = CS_MAIN;
		p->sect_bad = 0;
		p->obj = &c->main.o;
		return;
	}
	if (n != 2 || !name_ok(name)) {
		conf_err(p, p->lineno, "[%s NAME]: NAME is one word of letters, "
		    "digits, '-', '_' and '.'", kind);
		return;
	}
	switch (s) {
	case CS_SITE:
		arr = (void ***)&c->sites;
		cnt = &c->nsites;
		size = sizeof(struct conf_site);
		break;
	case CS_CRED:
		arr = (void ***)&c->creds;
		cnt = &c->ncreds;
		size = sizeof(struct conf_cred);
		break;
	case CS_REPORT:
		arr = (void ***)&c->reports;
		cnt = &c->nreports;
		size = sizeof(struct conf_report);
		break;
	default:
		arr = (void ***)&c->alerts;
		cnt = &c->nalerts;
		size = sizeof(struct conf_alert);
		break;
	}
	if ((dup = obj_lookup(*arr, *cnt, name)) != NULL) {
		conf_err(p, p->lineno, "[%s %s] again (first at line %d)", kind,
		    name, dup->line);
		return;
	}
	if ((p->obj = obj_new(p, arr, cnt, size, name)) == NULL) {
		conf_err(p, p->lineno, "out of memory");
		return;
	}
	p->sect = (enum conf_section)s;
	p->sect_bad = 0;
}

/* A line inih was to call the handler for, and did not: a syntax error. */
static void
check_handled(struct conf_parse *p)
{
	if (p->line_kv && !p->handled)
		conf_err(p, p->lineno, "syntax error: want 'key = value', "
		    "'[section]' or a comment");
	p->line_kv = 0;
	p->handled = 0;
}

/* inih's reader: one whole line at a time, counted. */
static char *
conf_reader(char *str, int num, void *arg)
{
	struct conf_parse	*p = arg;
	ssize_t			 len;
	char			*s, *e;

	check_handled(p);
	if ((len = getline(&p->buf, &p->bufsz, p->fp)) == -1)
		return (NULL);
	p->lineno++;
	if (len + 1 > num || memchr(p->buf, '\0', (size_t)len) != NULL) {
		conf_err(p, p->lineno, len + 1 > num ? "line longer than %d "
		    "bytes" : "NUL byte in line", num - 2);
		snprintf(str, (size_t)num, "\n");
		return (str);
	}
	memcpy(str, p->buf, (size_t)len + 1);
	for (s = p->buf; isspace((unsigned char)*s); s++)
		;
	for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	if (*s == '\0' || *s == '#' || *s == ';')
		return (str);
	if (*s == '[') {
		if (e[-1] != ']' || e - s < 2) {
			conf_err(p, p->lineno, "syntax error: a section header "
			    "is '[NAME]' alone on its line");
			/* inih would still take the keys that follow. */
			p->sect = CS_NONE;
			p->sect_bad = 1;
			p->obj = NULL;
			snprintf(str, (size_t)num, "\n");
			return (str);
		}
		e[-1] = '\0';
		section_start(p, s + 1);
		return (str);
	}
	p->line_kv = 1;
	return (str);
}

/* Relative to the configuration file's directory. */
static char *
path_abs(struct conf_parse *p, const char *v)
{
	char	*r;

	if (v[0] == '/' || p->dir == NULL)
		return (strdup(v));
	if (asprintf(&r, "%s/%s", p->dir, v) == -1)
		return (NULL);
	return (r);
}

static int
parse_bool(const char *v, long long *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t	i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return (0);
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return (0);
		}
	}
	return (-1);
}

/* The first name an enum gives a value. */
static const char *
enum_name(const struct conf_enum *e, long long v)
{
	for (; e->name != NULL; e++)
		if (e->value == v)
			return (e->name);
	return ("?");
}

static void
enum_list(const struct conf_enum *e, char *buf, size_t len)
{
	const struct conf_enum	*f;
	size_t			 o = 0;

	buf[0] = '\0';
	for (f = e; f->name != NULL; f++) {
		if (strcmp(enum_name(e, f->value), f->name) != 0)
			continue;	/* an alias */
		o += (size_t)snprintf(buf + o, len > o ? len - o : 0, "%s%s",
		    o ? ", " : "", f->name);
		if (o >= len)
			break;
	}
}

static int
list_add(struct conf_list *l, const char *w, int line)
{
	char	**v;
	int	 *ln;

	if ((v = reallocarray(l->v, l->n + 1, sizeof(*v))) == NULL)
		return (-1);
	l->v = v;
	if ((ln = reallocarray(l->line, l->n + 1, sizeof(*ln))) == NULL)
		return (-1);
	l->line = ln;
	if ((l->v[l->n] = strdup(w)) == NULL)
		return (-1);
	l->line[l->n++] = line;
	return (0);
}

static void
list_free(struct conf_list *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	free(l->line);
	memset(l, 0, sizeof(*l));
}

/* Check a path of type CT_FILE, CT_DIR or CT_SECRET; 0 or -1 with err. */
static int
path_check(enum conf_type t, const char *path, char *err, size_t errlen)
{
	struct stat	st;

	if (t == CT_PATH)
		return (0);
	if (stat(path, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	if (t == CT_DIR) {
		if (!S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "%s: not a directory", path);
			return (-1);
		}
		return (0);
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		return (-1);
	}
	if (t == CT_SECRET && (st.st_mode & (S_IRWXG | S_IRWXO))) {
		snprintf(err, errlen, "%s: secret file is accessible by group "
		    "or others (mode %03o); chmod 600 it", path,
		    (unsigned int)(st.st_mode & 0777));
		return (-1);
	}
	if (access(path, R_OK) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (-1);
	}
	return (0);
}

/*
 * Parse v as key k into obj.  line is for list entries.  Returns 0, or
 * -1 with err (the message without file:line).
 */
static int
value_set(struct conf_parse *p, const struct conf_key *k, void *obj,
    const char *v, int line, char *err, size_t errlen)
{
	char		*field = (char *)obj + k->off;
	char		 e[600], *end, *w, *save, *dup, lo[32], hi[32];
	long long	 n;
	ent_day		 d;

	switch (k->type) {
	case CT_STRING:
	case CT_NAME:
		if (k->type == CT_NAME && v[0] != '\0' && !name_ok(v)) {
			snprintf(err, errlen, "'%s' is not a section name", v);
			return (-1);
		}
		free(*(char **)field);
		if ((*(char **)field = strdup(v)) == NULL)
			goto oom;
		return (0);
	case CT_PATH:
	case CT_FILE:
	case CT_DIR:
	case CT_SECRET:
		if (v[0] == '\0') {
			snprintf(err, errlen, "empty path");
			return (-1);
		}
		free(*(char **)field);
		if ((*(char **)field = path_abs(p, v)) == NULL)
			goto oom;
		return (path_check(k->type, *(char **)field, err, errlen));
	case CT_INT:
		errno = 0;
		n = strtoll(v, &end, 10);
		if (v[0] == '\0' || *end != '\0' || errno != 0 ||
		    n < k->min || n > k->max) {
			snprintf(err, errlen, "'%s' is not an integer from %lld "
			    "to %lld", v, k->min, k->max);
			return (-1);
		}
		*(long long *)field = n;
		return (0);
	case CT_BOOL:
		if (parse_bool(v, (long long *)field) == -1) {
			snprintf(err, errlen, "'%s' is not yes or no", v);
			return (-1);
		}
		return (0);
	case CT_DURATION:
		if (duration_parse(v, &n, e, sizeof(e)) == -1) {
			snprintf(err, errlen, "%s", e);
			return (-1);
		}
		if (n < k->min || n > k->max) {
			duration_format(k->min, lo, sizeof(lo));
			duration_format(k->max, hi, sizeof(hi));
			snprintf(err, errlen, "'%s' is out of range (%s to %s)",
			    v, lo, hi);
			return (-1);
		}
		*(long long *)field = n;
		return (0);
	case CT_ENUM: {
		const struct conf_enum	*en;

		for (en = k->enums; en->name != NULL; en++)
			if (strcasecmp(en->name, v) == 0) {
				*(long long *)field = en->value;
				return (0);
			}
		enum_list(k->enums, e, sizeof(e));
		snprintf(err, errlen, "'%s': want one of %s", v, e);
		return (-1);
	}
	case CT_LIST:
		if ((dup = strdup(v)) == NULL)
			goto oom;
		for (w = strtok_r(dup, " \t,", &save); w != NULL;
		    w = strtok_r(NULL, " \t,", &save))
			if (list_add((struct conf_list *)field, w, line) == -1) {
				free(dup);
				goto oom;
			}
		free(dup);
		return (0);
	case CT_SCHEDULE:
		return (sched_parse(v, (struct schedule *)field, err, errlen));
	case CT_DATE:
		if (strcmp(v, "today") == 0) {
			*(long long *)field = CONF_TODAY;
			return (0);
		}
		if (ent_day_parse(v, &d) == -1) {
			snprintf(err, errlen, "'%s' is not a date (YYYY-MM-DD or "
			    "today)", v);
			return (-1);
		}
		*(long long *)field = d;
		return (0);
	}
	snprintf(err, errlen, "internal: bad type");
	return (-1);
oom:
	snprintf(err, errlen, "out of memory");
	return (-1);
}

static int
conf_handler(void *arg, const char *section, const char *name,
    const char *value)
{
	struct conf_parse	*p = arg;
	const struct conf_key	*k;
	char			 err[1024];
	int			 slot;

	(void)section;		/* the reader tracks sections, with lines */
	p->handled = 1;
	if (p->sect == CS_NONE) {
		if (!p->sect_bad)
			conf_err(p, p->lineno, "'%s' outside a section: the "
			    "file starts with [ibagent] or another section",
			    name);
		return (1);
	}
	if ((k = key_find(p->sect, name)) == NULL) {
		conf_err(p, p->lineno, "unknown key '%s' in [%s]", name,
		    section_names[p->sect]);
		return (1);
	}
	slot = key_slot(k);
	if (p->obj->key_line[slot] != 0 && k->type != CT_LIST) {
		conf_err(p, p->lineno, "'%s' again (first at line %d)", name,
		    p->obj->key_line[slot]);
		return (1);
	}
	p->obj->key_line[slot] = p->lineno;
	if (value_set(p, k, p->obj, value, p->lineno, err, sizeof(err)) == -1)
		conf_err(p, p->lineno, "%s: %s", name, err);
	return (1);
}

/* Defaults of the keys an object did not set; required keys. */
static void
obj_finish(struct conf_parse *p, enum conf_section s, struct conf_obj *o)
{
	size_t		 i;
	char		 err[1024];
	int		 slot = 0;

	for (i = 0; i < NKEYS; i++) {
		if (keys[i].sect != s)
			continue;
		if (o->key_line[slot] == 0) {
			if (keys[i].flags & REQUIRED)
				conf_err(p, o->line, "[%s%s%s]: '%s' is required",
				    section_names[s], o->name[0] ? " " : "",
				    o->name, keys[i].name);
			else if (keys[i].def != NULL && value_set(p, &keys[i], o,
			    keys[i].def, 0, err, sizeof(err)) == -1)
				conf_err(p, 0, "default of %s: %s", keys[i].name,
				    err);
		}
		slot++;
	}
}

static const char *
obj_label(enum conf_section s, const struct conf_obj *o, char *buf,
    size_t len)
{
	snprintf(buf, len, "[%s%s%s]", section_names[s], o->name[0] ? " " : "",
	    o->name);
	return (buf);
}

/* Cross-checks: references, what each credential needs, targets. */
static void
conf_validate(struct conf_parse *p)
{
	struct conf		*c = p->c;
	struct target_list	 tl;
	char			 err[1024], lbl[160], *spec;
	size_t			 i, j;
	int			 ks;

	if (c->nsites == 0)
		conf_err(p, 0, "no [site NAME] section: nothing to scan");
	ks = key_slot(key_find(CS_SITE, "credentials"));
	for (i = 0; i < c->nsites; i++) {
		struct conf_site	*s = c->sites[i];
		const struct conf_cred	*cr;

		obj_label(CS_SITE, &s->o, lbl, sizeof(lbl));
		if (s->credentials != NULL) {
			cr = (const struct conf_cred *)obj_lookup((void **)c->creds,
			    c->ncreds, s->credentials);
			if (cr == NULL)
				conf_err(p, s->o.key_line[ks], "credentials: no "
				    "[credentials %s] section", s->credentials);
			s->cred = cr;
		}
		if (s->targets.n == 0 && s->targets_file == NULL)
			conf_err(p, s->o.line, "%s: give targets or targets_file",
			    lbl);
		targets_init(&tl);
		for (j = 0; j < s->targets.n; j++)
			if (targets_add(&tl, s->targets.v[j], (unsigned int)s->port,
			    err, sizeof(err)) == -1)
				conf_err(p, s->targets.line[j], "targets: %s", err);
		if (s->targets_file != NULL) {
			if (asprintf(&spec, "@%s", s->targets_file) == -1)
				spec = NULL;
			if (spec != NULL && targets_add(&tl, spec,
			    (unsigned int)s->port, err, sizeof(err)) == -1)
				conf_err(p, s->o.key_line[key_slot(key_find(CS_SITE,
				    "targets_file"))], "targets_file: %s", err);
			free(spec);
		}
		targets_free(&tl);
	}
	for (i = 0; i < c->ncreds; i++) {
		struct conf_cred	*cr = c->creds[i];
		int			 used_snmp = 0;

		for (j = 0; j < c->nsites; j++)
			if (c->sites[j]->cred == cr && (c->sites[j]->protocols & 1))
				used_snmp = 1;
		if (!used_snmp)
			continue;
		obj_label(CS_CRED, &cr->o, lbl, sizeof(lbl));
		if (cr->snmp_version == CONF_SNMP_V2C && cr->community_file == NULL)
			conf_err(p, cr->o.line, "%s: SNMP v2c needs community_file",
			    lbl);
		if (cr->snmp_version == CONF_SNMP_V3 && (cr->v3_user == NULL ||
		    cr->v3_auth_pass_file == NULL || cr->v3_priv_pass_file == NULL))
			conf_err(p, cr->o.line, "%s: SNMPv3 needs v3_user, "
			    "v3_auth_pass_file and v3_priv_pass_file", lbl);
	}
}

struct conf *
conf_load(const char *path, struct conf_errors *errs)
{
	struct conf_parse	 p;
	struct conf		*c;
	char			*slash;
	size_t			 i;
	int			 r;

	memset(&p, 0, sizeof(p));
	memset(errs, 0, sizeof(*errs));
	p.errs = errs;
	p.file = path;
	p.sect = CS_NONE;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->path = strdup(path)) == NULL ||
	    (c->main.o.name = strdup("")) == NULL) {
		conf_err(&p, 0, "out of memory");
		conf_free(c);
		return (NULL);
	}
	p.c = c;
	if ((slash = strrchr(path, '/')) != NULL)
		p.dir = strndup(path, (size_t)(slash - path) + (slash == path));
	if ((p.fp = fopen(path, "r")) == NULL) {
		conf_err(&p, 0, "%s", strerror(errno));
		goto fail;
	}
	/* Whole-line comments only: ';' and '#' may be in values. */
	ini_allow_inline_comments = 0;
	ini_allow_multiline = 0;
	ini_use_stack = 0;
	ini_allow_realloc = 1;
	ini_max_line = CONF_MAX_LINE;
	r = ini_parse_stream(conf_reader, &p, conf_handler, &p);
	check_handled(&p);
	if (ferror(p.fp))
		conf_err(&p, 0, "read error");
	if (r == -2)
		conf_err(&p, 0, "out of memory");
	fclose(p.fp);
	p.fp = NULL;

	obj_finish(&p, CS_MAIN, &c->main.o);
	for (i = 0; i < c->nsites; i++)
		obj_finish(&p, CS_SITE, &c->sites[i]->o);
	for (i = 0; i < c->ncreds; i++)
		obj_finish(&p, CS_CRED, &c->creds[i]->o);
	for (i = 0; i < c->nreports; i++)
		obj_finish(&p, CS_REPORT, &c->reports[i]->o);
	for (i = 0; i < c->nalerts; i++)
		obj_finish(&p, CS_ALERT, &c->alerts[i]->o);
	if (errs->n == 0)
		conf_validate(&p);
	if (errs->n > 0)
		goto fail;
	free(p.buf);
	free(p.dir);
	return (c);
fail:
	free(p.buf);
	free(p.dir);
	conf_free(c);
	return (NULL);
}

static void
obj_free(enum conf_section s, struct conf_obj *o, int self)
{
	size_t	i;

	if (o == NULL)
		return;
	for (i = 0; i < NKEYS; i++) {
		char	*field = (char *)o + keys[i].off;

		if (keys[i].sect != s)
			continue;
		switch (keys[i].type) {
		case CT_STRING: case CT_NAME: case CT_PATH: case CT_FILE:
		case CT_DIR: case CT_SECRET:
			free(*(char **)field);
			break;
		case CT_LIST:
			list_free((struct conf_list *)field);
			break;
		default:
			break;
		}
	}
	free(o->name);
	if (self)
		free(o);
}

void
conf_free(struct conf *c)
{
	size_t	i;

	if (c == NULL)
		return;
	obj_free(CS_MAIN, &c->main.o, 0);
	for (i = 0; i < c->nsites; i++)
		obj_free(CS_SITE, &c->sites[i]->o, 1);
	for (i = 0; i < c->ncreds; i++)
		obj_free(CS_CRED, &c->creds[i]->o, 1);
	for (i = 0; i < c->nreports; i++)
		obj_free(CS_REPORT, &c->reports[i]->o, 1);
	for (i = 0; i < c->nalerts; i++)
		obj_free(CS_ALERT, &c->alerts[i]->o, 1);
	free(c->sites);
	free(c->creds);
	free(c->reports);
	free(c->alerts);
	free(c->path);
	free(c);
}

const struct conf_site *
conf_site(const struct conf *c, const char *name)
{
	return ((const struct conf_site *)obj_lookup((void **)c->sites,
	    c->nsites, name));
}

static void
obj_print(enum conf_section s, const struct conf_obj *o, FILE *out)
{
	size_t	i, j;
	char	buf[128];
	int	slot = 0;

	fprintf(out, "\n%s\n", obj_label(s, o, buf, sizeof(buf)));
	for (i = 0; i < NKEYS; i++) {
		const struct conf_key	*k = &keys[i];
		const char		*field = (const char *)o + k->off;
		const char		*sv = NULL;
		int			 set;

		if (k->sect != s)
			continue;
		set = o->key_line[slot++] != 0;
		switch (k->type) {
		case CT_STRING: case CT_NAME: case CT_PATH: case CT_FILE:
		case CT_DIR: case CT_SECRET:
			sv = *(char *const *)field;
			if (sv == NULL)
				continue;	/* not set, no default */
			fprintf(out, "%s = %s", k->name, sv);
			break;
		case CT_INT:
			fprintf(out, "%s = %lld", k->name, *(const long long *)field);
			break;
		case CT_BOOL:
			fprintf(out, "%s = %s", k->name,
			    *(const long long *)field ? "yes" : "no");
			break;
		case CT_DURATION:
			duration_format(*(const long long *)field, buf, sizeof(buf));
			fprintf(out, "%s = %s", k->name, buf);
			break;
		case CT_ENUM:
			fprintf(out, "%s = %s", k->name,
			    enum_name(k->enums, *(const long long *)field));
			break;
		case CT_LIST: {
			const struct conf_list	*l = (const void *)field;

			if (l->n == 0)
				continue;
			fprintf(out, "%s =", k->name);
			for (j = 0; j < l->n; j++)
				fprintf(out, " %s", l->v[j]);
			break;
		}
		case CT_SCHEDULE:
			sched_format((const struct schedule *)field, buf,
			    sizeof(buf));
			fprintf(out, "%s = %s", k->name, buf);
			break;
		case CT_DATE:
			if (*(const long long *)field == CONF_TODAY)
				snprintf(buf, sizeof(buf), "today");
			else
				ent_day_format((ent_day)*(const long long *)field,
				    buf, sizeof(buf));
			fprintf(out, "%s = %s", k->name, buf);
			break;
		}
		if (k->type == CT_SECRET)
			fputs("\t# secret file: its contents are never shown", out);
		else if (!set)
			fputs("\t# default", out);
		fputc('\n', out);
	}
}

void
conf_print(const struct conf *c, FILE *out)
{
	size_t	i;

	fprintf(out, "# %s: effective configuration (defaults included)\n",
	    c->path);
	obj_print(CS_MAIN, &c->main.o, out);
	for (i = 0; i < c->ncreds; i++)
		obj_print(CS_CRED, &c->creds[i]->o, out);
	for (i = 0; i < c->nsites; i++)
		obj_print(CS_SITE, &c->sites[i]->o, out);
	for (i = 0; i < c->nreports; i++)
		obj_print(CS_REPORT, &c->reports[i]->o, out);
	for (i = 0; i < c->nalerts; i++)
		obj_print(CS_ALERT, &c->alerts[i]->o, out);
}
