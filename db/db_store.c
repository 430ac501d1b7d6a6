/*
 * db_store.c: one device poll into the install base, in one transaction
 * (or one savepoint of a group-commit batch, db_batch_begin()), applying
 * the history rules.
 *
 *  - Every poll, whatever its outcome, adds a scan_results row and sets
 *    the device's last_scan, last_status and last_error.  A failed poll
 *    (timeout, auth, refused, badreply, error) changes nothing else: the
 *    device keeps its last good values and its items are untouched.
 *  - A poll that answered (POLL_OK or POLL_PARTIAL) updates the device and
 *    every item it reported.  A new identity is inserted with first_seen
 *    and a 'new' event; a known one gets last_seen (first_seen stays); a
 *    gone one is un-gone with a 'returned' event.
 *  - Only a complete poll (POLL_OK) marks gone, with a 'gone' event, the
 *    present items of the device it did not report.  A partial poll marks
 *    nothing gone, because a table that did not answer proves nothing.
 *  - A serialized chassis not reported while another serialized chassis
 *    is, at the same address, was replaced (likely RMA): 'replaced'
 *    event (old serial -> new serial) on the new chassis, and the old one
 *    is gone.  That holds for partial polls too: a different chassis
 *    serial is positive evidence, not an absence.
 *  - A version change, of the device or of a member, is 'upgraded'.
 *
 * Identity: serialized items by (device, serial), the others by (device,
 * kind, name).  An identity reported twice in one poll is stored once:
 * the first report wins and later ones only fill its empty fields and
 * add their source.
 *
 * A result may merge SNMP and NETCONF (facts_merge()): an item's source
 * set ("snmp,netconf") joins the item's stored sources, the protocols of
 * the result become the device's, and its cross-check replaces the
 * device's stored conflicts.  A failed poll touches none of these.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db_int.h"

#define SOURCES_LEN	128	/* "netconf,snmp" and room to spare */

/* What the store of one poll carries from step to step. */
struct store {
	struct db	*db;
	int64_t		 scan_id;
	int64_t		 device_id;
	int64_t		 result_id;
	int		 new_device;	/* its row was inserted by this store */
	char		 now[DB_TIME_LEN];
};

/* What the store knew about an item before this poll. */
struct known {
	int64_t		 id;
	int		 was_gone;
	char		 gone_at[DB_TIME_LEN];
	int		 seen_this_poll;	/* reported earlier in this poll */
	char		 version[ITEM_VER_LEN];
	char		 sources[SOURCES_LEN];
};

/*
 * Sticky binding helpers (FTS5 style): each one is a no-op once *rc is
 * not SQLITE_OK, so a run of binds needs one check.  Empty strings bind
 * as NULL: the schema stores "not reported" one way only.  Strings bound
 * here outlive the step and reset that follow (they belong to the caller
 * or to this file's frames), so SQLITE_STATIC is safe.
 */
static void
bind_str(int *rc, sqlite3_stmt *st, int i, const char *s)
{
	if (*rc != SQLITE_OK)
		return;
	if (s == NULL || *s == '\0')
		*rc = sqlite3_bind_null(st, i);
	else
		*rc = sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static void
bind_int(int *rc, sqlite3_stmt *st, int i, int64_t v)
{
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_int64(st, i, v);
}

/* v <= 0 binds NULL: row ids start at 1. */
static void
bind_id(int *rc, sqlite3_stmt *st, int i, int64_t v)
{
	if (*rc != SQLITE_OK)
		return;
	*rc = v > 0 ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i);
}

/* Step a statement that returns no row and hand it back. */
static int
run(struct db *db, sqlite3_stmt *st, int rc, const char *what, char *err,
    size_t errlen)
{
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		db_fail(db, what, err, errlen);
		db_stmt_done(st);
		return (-1);
	}
	db_stmt_done(st);
	return (0);
}

static int
event(struct store *s, int64_t item_id, const char *kind, const char *oldv,
    const char *newv, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc = SQLITE_OK;

	if ((st = db_stmt(s->db, ST_EVENT_INSERT, err, errlen)) == NULL)
		return (-1);
	bind_int(&rc, st, 1, s->device_id);
	bind_id(&rc, st, 2, item_id);
	bind_int(&rc, st, 3, s->scan_id);
	bind_str(&rc, st, 4, s->now);
	bind_str(&rc, st, 5, kind);
	bind_str(&rc, st, 6, oldv);
	bind_str(&rc, st, 7, newv);
	return (run(s->db, st, rc, "recording event", err, errlen));
}

/*
 * The sort key of an address: reports list devices in numeric address
 * order (10.0.0.2 before 10.0.0.10), which text order does not give.
 * Key: family byte (4, 6), the address bytes, the port big-endian.  An
 * address that does not parse sorts after all others, by the start of
 * its text.
 * Returns the key length (at most ADDR_KEY_LEN).
 */
#define ADDR_KEY_LEN	(1 + 16 + 2)
/*
 * noinline: inlined into store_one() under -fsanitize=address, GCC 12
 * believes address points to 0 bytes and fails the build with
 * -Wstringop-overread (a false positive; callers pass a C string).
 */
static size_t __attribute__((noinline))
addr_key(const char *address, unsigned char key[ADDR_KEY_LEN])
{
	char		 host[INET6_ADDRSTRLEN];
	const char	*h = address, *colon;
	char		*end;
	size_t		 hlen, alen, n;
	unsigned long	 port = 0;

	if (*h == '[') {
		h++;
		if ((colon = strchr(h, ']')) == NULL)
			goto other;
		hlen = (size_t)(colon - h);
		colon = colon[1] == ':' ? colon + 1 : NULL;
		if (colon == NULL && h[hlen + 1] != '\0')
			goto other;
	} else {
		colon = strchr(h, ':');
		/* Two colons and no brackets: a bare IPv6 address. */
		if (colon != NULL && strchr(colon + 1, ':') != NULL)
			colon = NULL;
		hlen = colon != NULL ? (size_t)(colon - h) : strlen(h);
	}
	if (hlen >= sizeof(host))
		goto other;
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	if (colon != NULL) {
		errno = 0;
		port = strtoul(colon + 1, &end, 10);
		if (errno != 0 || end == colon + 1 || *end != '\0' ||
		    port > 65535)
			goto other;
	}
	if (inet_pton(AF_INET, host, key + 1) == 1) {
		key[0] = 4;
		alen = 4;
	} else if (inet_pton(AF_INET6, host, key + 1) == 1) {
		key[0] = 6;
		alen = 16;
	} else
		goto other;
	key[1 + alen] = (unsigned char)(port >> 8);
	key[2 + alen] = (unsigned char)port;
	return (3 + alen);
other:
	key[0] = 0xff;
	n = strlen(address);
	if (n > ADDR_KEY_LEN - 1)
		n = ADDR_KEY_LEN - 1;
	memcpy(key + 1, address, n);
	return (1 + n);
}

/* Find or create the device row; *old_version gets its stored version. */
static int
device_get(struct store *s, const char *address, char *old_version,
    size_t vlen, char *err, size_t errlen)
{
	sqlite3_stmt		*st;
	const unsigned char	*v;
	unsigned char		 key[ADDR_KEY_LEN];
	size_t			 keylen;
	int			 rc = SQLITE_OK;

	*old_version = '\0';
	if ((st = db_stmt(s->db, ST_DEV_GET, err, errlen)) == NULL)
		return (-1);
	bind_str(&rc, st, 1, address);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		s->device_id = sqlite3_column_int64(st, 0);
		if ((v = sqlite3_column_text(st, 1)) != NULL)
			snprintf(old_version, vlen, "%s", (const char *)v);
		db_stmt_done(st);
		return (0);
	}
	if (rc != SQLITE_DONE) {
		db_fail(s->db, "looking up device", err, errlen);
		db_stmt_done(st);
		return (-1);
	}
	db_stmt_done(st);

	if ((st = db_stmt(s->db, ST_DEV_INSERT, err, errlen)) == NULL)
		return (-1);
	rc = SQLITE_OK;
	bind_str(&rc, st, 1, address);
	keylen = addr_key(address, key);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_blob(st, 2, key, (int)keylen,
		    SQLITE_TRANSIENT);
	if (run(s->db, st, rc, "adding device", err, errlen) == -1)
		return (-1);
	s->device_id = sqlite3_last_insert_rowid(s->db->h);
	s->new_device = 1;
	return (0);
}

static int
result_insert(struct store *s, enum poll_status status, const char *error,
    long long duration_ms, const struct dev_facts *f, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc = SQLITE_OK;

	if ((st = db_stmt(s->db, ST_RESULT_INSERT, err, errlen)) == NULL)
		return (-1);
	bind_int(&rc, st, 1, s->scan_id);
	bind_int(&rc, st, 2, s->device_id);
	bind_str(&rc, st, 3, s->now);
	bind_str(&rc, st, 4, db_status_str(status));
	bind_str(&rc, st, 5, error);
	if (duration_ms >= 0)
		bind_int(&rc, st, 6, duration_ms);
	if (f != NULL)
		bind_int(&rc, st, 7, (int64_t)f->nitems);
	if (run(s->db, st, rc, "recording result", err, errlen) == -1)
		return (-1);
	s->result_id = sqlite3_last_insert_rowid(s->db->h);
	return (0);
}

static int
device_failed(struct store *s, enum poll_status status, const char *error,
    char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc = SQLITE_OK;

	if ((st = db_stmt(s->db, ST_DEV_FAILED, err, errlen)) == NULL)
		return (-1);
	bind_int(&rc, st, 1, s->device_id);
	bind_int(&rc, st, 2, s->scan_id);
	bind_str(&rc, st, 3, db_status_str(status));
	bind_str(&rc, st, 4, error);
	return (run(s->db, st, rc, "updating device", err, errlen));
}

static int
device_seen(struct store *s, enum poll_status status, const char *error,
    const struct dev_facts *f, const char *protocols, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc = SQLITE_OK, full = status == POLL_OK;

	if ((st = db_stmt(s->db, ST_DEV_SEEN, err, errlen)) == NULL)
		return (-1);
	bind_int(&rc, st, 1, s->device_id);
	/* Parsers fill hostname; sysName is what it comes from anyway. */
	bind_str(&rc, st, 2, f->hostname[0] != '\0' ? f->hostname :
	    f->sys_name);
	bind_str(&rc, st, 3, f->model);
	bind_str(&rc, st, 4, f->serial);
	bind_str(&rc, st, 5, f->version);
	/* A partial poll that could not tell the OS keeps the old verdict. */
	bind_str(&rc, st, 6, !full && f->os == OS_UNKNOWN ? NULL :
	    db_os_str(f->os));
	bind_str(&rc, st, 7, f->sys_descr);
	bind_str(&rc, st, 8, f->sys_object_id);
	bind_str(&rc, st, 9, f->sys_location);
	bind_str(&rc, st, 10, s->now);
	bind_int(&rc, st, 11, s->scan_id);
	bind_str(&rc, st, 12, db_status_str(status));
	bind_str(&rc, st, 13, error);
	bind_int(&rc, st, 14, full);
	bind_str(&rc, st, 15, protocols);
	return (run(s->db, st, rc, "updating device", err, errlen));
}

static int
is_serialized(const struct item *it)
{
	return (it->serialized && it->serial[0] != '\0');
}

/* Item identity lookup; k->id is 0 if the store has never seen it. */
static int
item_find(struct store *s, const struct item *it, struct known *k,
    char *err, size_t errlen)
{
	sqlite3_stmt		*st;
	const unsigned char	*v;
	int			 rc = SQLITE_OK;

	memset(k, 0, sizeof(*k));
	if (is_serialized(it)) {
		if ((st = db_stmt(s->db, ST_ITEM_BY_SERIAL, err,
		    errlen)) == NULL)
			return (-1);
		bind_int(&rc, st, 1, s->device_id);
		bind_str(&rc, st, 2, it->serial);
	} else {
		if ((st = db_stmt(s->db, ST_ITEM_BY_NAME, err,
		    errlen)) == NULL)
			return (-1);
		bind_int(&rc, st, 1, s->device_id);
		bind_str(&rc, st, 2, db_kind_str(it->kind));
		/* The name is part of the key: "" is a name, not NULL. */
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(st, 3, it->name, -1,
			    SQLITE_STATIC);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		k->id = sqlite3_column_int64(st, 0);
		if ((v = sqlite3_column_text(st, 1)) != NULL) {
			k->was_gone = 1;
			snprintf(k->gone_at, sizeof(k->gone_at), "%s",
			    (const char *)v);
		}
		k->seen_this_poll = sqlite3_column_int64(st, 2) ==
		    s->result_id;
		if ((v = sqlite3_column_text(st, 3)) != NULL)
			snprintf(k->version, sizeof(k->version), "%s",
			    (const char *)v);
		if ((v = sqlite3_column_text(st, 4)) != NULL)
			snprintf(k->sources, sizeof(k->sources), "%s",
			    (const char *)v);
		rc = SQLITE_DONE;
	}
	if (rc != SQLITE_DONE) {
		db_fail(s->db, "looking up item", err, errlen);
		db_stmt_done(st);
		return (-1);
	}
	db_stmt_done(st);
	return (0);
}

/*
 * Could items[i] have the identity of an item before it?  Loose on
 * purpose (same serial, or same kind and name): a yes only costs the
 * lookup that item_find() would have made anyway.
 */
static int
item_seen_before(const struct dev_facts *f, size_t i)
{
	const struct item	*it = &f->items[i], *p;
	size_t			 j;

	for (j = 0; j < i; j++) {
		p = &f->items[j];
		if ((it->serial[0] != '\0' &&
		    strcmp(p->serial, it->serial) == 0) ||
		    (p->kind == it->kind && strcmp(p->name, it->name) == 0))
			return (1);
	}
	return (0);
}

/* Is the name of n bytes at name in the comma-separated set? */
static int
set_has(const char *set, const char *name, size_t n)
{
	const char	*p;

	for (p = set; *p != '\0'; p += strcspn(p, ",")) {
		if (*p == ',')
			p++;
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return (1);
	}
	return (0);
}

/* Append the name of n bytes to the set in buf unless there or too long. */
static void
set_put(char *buf, size_t len, const char *name, size_t n)
{
	size_t	 have;

	if (n == 0 || set_has(buf, name, n))
		return;
	have = strlen(buf);
	if (have + (have > 0) + n + 1 > len)
		return;
	if (have > 0)
		buf[have++] = ',';
	memcpy(buf + have, name, n);
	buf[have + n] = '\0';
}

/* The protocols in the order sets are stored in; others follow them. */
static const char *const protocol_names[] = { "snmp", "netconf" };
#define NPROTOCOLS	(sizeof(protocol_names) / sizeof(protocol_names[0]))

/*
 * Add every name of the comma-separated set add to the set in buf (in
 * place), and put the set in its stored order: "snmp", "netconf", then
 * any other name in the order first seen.  A name that would not fit is
 * left out: the set is informative, not an identity.
 */
static void
sources_add(char *buf, size_t len, const char *add)
{
	char		 all[SOURCES_LEN * 2], out[SOURCES_LEN];
	const char	*p;
	size_t		 i, n;

	snprintf(all, sizeof(all), "%s%s%s", buf, buf[0] != '\0' ? "," : "",
	    add);
	out[0] = '\0';
	for (i = 0; i < NPROTOCOLS; i++)
		if (set_has(all, protocol_names[i], strlen(protocol_names[i])))
			set_put(out, sizeof(out), protocol_names[i],
			    strlen(protocol_names[i]));
	for (p = all; *p != '\0'; p += n) {
		if (*p == ',')
			p++;
		n = strcspn(p, ",");
		set_put(out, sizeof(out), p, n);
	}
	snprintf(buf, len, "%s", out);
}

/*
 * The protocols of a result in their stored order into out ("" for NULL
 * or ""); -1 with a message in err for a name that is not a protocol.
 */
static int
protocols_canon(const char *in, char *out, size_t len, char *err,
    size_t errlen)
{
	const char	*p;
	size_t		 i, n;

	out[0] = '\0';
	for (p = in != NULL ? in : ""; *p != '\0'; p += n) {
		if (*p == ',')
			p++;
		n = strcspn(p, ",");
		if (n == 0)
			continue;
		for (i = 0; i < NPROTOCOLS; i++)
			if (strlen(protocol_names[i]) == n &&
			    strncmp(p, protocol_names[i], n) == 0)
				break;
		if (i == NPROTOCOLS) {
			snprintf(err, errlen, "storing result: unknown "
			    "protocol \"%.*s\"", (int)(n > 32 ? 32 : n), p);
			return (-1);
		}
	}
	sources_add(out, len, in != NULL ? in : "");
	return (0);
}

/*
 * Bind an item the way ST_ITEM_INSERT, _UPDATE and _MERGE expect: ?1 is
 * the device (insert) or the item (update, merge).
 */
static void
bind_item(int *rc, sqlite3_stmt *st, struct store *s, int64_t first,
    const struct item *it, int64_t parent_id, const char *sources)
{
	int	ser = is_serialized(it);

	bind_int(rc, st, 1, first);
	bind_str(rc, st, 2, db_kind_str(it->kind));
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_text(st, 3, it->name, -1, SQLITE_STATIC);
	bind_str(rc, st, 4, ser ? it->serial : NULL);
	bind_int(rc, st, 5, ser);
	bind_str(rc, st, 6, it->part_number);
	bind_str(rc, st, 7, it->model);
	bind_str(rc, st, 8, it->description);
	bind_str(rc, st, 9, it->revision);
	bind_str(rc, st, 10, it->clei);
	bind_str(rc, st, 11, it->version);
	bind_str(rc, st, 12, it->role);
	bind_id(rc, st, 13, parent_id);
	/* NOT NULL DEFAULT '': an empty set is "", not NULL. */
	if (*rc == SQLITE_OK)
		*rc = sqlite3_bind_text(st, 14, sources, -1, SQLITE_STATIC);
	bind_str(rc, st, 15, it->source_ref);
	bind_str(rc, st, 16, s->now);
	bind_int(rc, st, 17, s->scan_id);
	bind_int(rc, st, 18, s->result_id);
}

/*
 * Store facts->items[i].  ids[] holds the row id of every item before i;
 * *dup is set when the identity was already reported earlier in this
 * poll (its parent then stays the first report's).
 */
static int
item_store(struct store *s, const struct dev_facts *f, size_t i,
    const int64_t *ids, int64_t *id, int *dup, char *err, size_t errlen)
{
	const struct item	*it = &f->items[i];
	struct known		 k;
	sqlite3_stmt		*st;
	enum db_stmt		 which;
	int64_t			 parent_id = 0;
	char			 sources[SOURCES_LEN];
	const char		*ident;
	int			 rc = SQLITE_OK;

	/*
	 * A device added by this store has no stored items but those of
	 * this poll: an identity not reported before in it is new, and
	 * needs no lookup (about a third of a first scan's statements).
	 */
	if (s->new_device && !item_seen_before(f, i))
		memset(&k, 0, sizeof(k));
	else if (item_find(s, it, &k, err, errlen) == -1)
		return (-1);
	/* Parents reported after the child are linked by the caller. */
	if (it->parent >= 0 && (size_t)it->parent < i)
		parent_id = ids[it->parent];
	snprintf(sources, sizeof(sources), "%s", k.sources);
	sources_add(sources, sizeof(sources), it->source);

	*dup = k.seen_this_poll;
	if (k.id == 0)
		which = ST_ITEM_INSERT;
	else if (k.seen_this_poll)
		which = ST_ITEM_MERGE;
	else
		which = ST_ITEM_UPDATE;
	if (parent_id == k.id && k.id != 0)
		parent_id = 0;
	if ((st = db_stmt(s->db, which, err, errlen)) == NULL)
		return (-1);
	bind_item(&rc, st, s, which == ST_ITEM_INSERT ? s->device_id : k.id,
	    it, parent_id, sources);
	if (run(s->db, st, rc, "storing item", err, errlen) == -1)
		return (-1);
	*id = which == ST_ITEM_INSERT ? sqlite3_last_insert_rowid(s->db->h) :
	    k.id;
	if (which == ST_ITEM_MERGE)
		return (0);

	ident = is_serialized(it) ? it->serial : it->name;
	/* A new device's 'new' events are added at once: new_events(). */
	if (which == ST_ITEM_INSERT)
		return (s->new_device ? 0 :
		    event(s, *id, "new", NULL, ident, err, errlen));
	if (k.was_gone &&
	    event(s, *id, "returned", k.gone_at, ident, err, errlen) == -1)
		return (-1);
	/* The chassis' version is the device's: one event, on the device. */
	if (it->kind != ITEM_CHASSIS && k.version[0] != '\0' &&
	    it->version[0] != '\0' && strcmp(k.version, it->version) != 0 &&
	    event(s, *id, "upgraded", k.version, it->version, err,
	    errlen) == -1)
		return (-1);
	return (0);
}

static int
item_parent(struct store *s, int64_t id, int64_t parent_id, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc = SQLITE_OK;

	if ((st = db_stmt(s->db, ST_ITEM_PARENT, err, errlen)) == NULL)
		return (-1);
	bind_int(&rc, st, 1, id);
	bind_id(&rc, st, 2, parent_id);
	return (run(s->db, st, rc, "linking item", err, errlen));
}

/*
 * The chassis reported in this poll replaces every present serialized
 * chassis it did not report.  One row at a time: the row just marked
 * gone no longer matches, so the loop ends without holding a cursor
 * across the update.
 */
static int
chassis_replaced(struct store *s, int64_t new_id, const char *new_serial,
    char *err, size_t errlen)
{
	sqlite3_stmt		*st;
	const unsigned char	*v;
	char			 old[ITEM_SERIAL_LEN];
	int64_t			 old_id;
	int			 rc;

	for (;;) {
		if ((st = db_stmt(s->db, ST_CHASSIS_MISSED, err,
		    errlen)) == NULL)
			return (-1);
		rc = SQLITE_OK;
		bind_int(&rc, st, 1, s->device_id);
		bind_int(&rc, st, 2, s->result_id);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st);
		if (rc == SQLITE_DONE) {
			db_stmt_done(st);
			return (0);
		}
		if (rc != SQLITE_ROW) {
			db_fail(s->db, "looking up chassis", err, errlen);
			db_stmt_done(st);
			return (-1);
		}
		old_id = sqlite3_column_int64(st, 0);
		v = sqlite3_column_text(st, 1);
		snprintf(old, sizeof(old), "%s", v != NULL ?
		    (const char *)v : "");
		db_stmt_done(st);

		/* 'gone' keeps the identity in old_value, as ST_GONE_EVENTS. */
		if (event(s, new_id, "replaced", old, new_serial, err,
		    errlen) == -1 ||
		    event(s, old_id, "gone", old, NULL, err, errlen) == -1)
			return (-1);
		if ((st = db_stmt(s->db, ST_ITEM_GONE, err, errlen)) == NULL)
			return (-1);
		rc = SQLITE_OK;
		bind_int(&rc, st, 1, old_id);
		bind_int(&rc, st, 2, s->scan_id);
		bind_str(&rc, st, 3, s->now);
		if (run(s->db, st, rc, "marking chassis gone", err,
		    errlen) == -1)
			return (-1);
	}
}

/*
 * A new device: one 'new' event per item row, in row order, as
 * item_store() would have added them one by one (they are its only
 * events).
 */
static int
new_events(struct store *s, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	int		 rc = SQLITE_OK;

	if ((st = db_stmt(s->db, ST_NEW_EVENTS, err, errlen)) == NULL)
		return (-1);
	bind_int(&rc, st, 1, s->device_id);
	bind_int(&rc, st, 2, s->scan_id);
	bind_str(&rc, st, 3, s->now);
	return (run(s->db, st, rc, "recording events", err, errlen));
}

/* Complete poll: what the device has and did not report is gone. */
static int
mark_gone(struct store *s, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	enum db_stmt	 which[2] = { ST_GONE_EVENTS, ST_GONE_MARK };
	int		 i, rc;

	for (i = 0; i < 2; i++) {
		if ((st = db_stmt(s->db, which[i], err, errlen)) == NULL)
			return (-1);
		rc = SQLITE_OK;
		bind_int(&rc, st, 1, s->device_id);
		bind_int(&rc, st, 2, s->result_id);
		bind_int(&rc, st, 3, s->scan_id);
		bind_str(&rc, st, 4, s->now);
		if (run(s->db, st, rc, "marking items gone", err, errlen) == -1)
			return (-1);
	}
	return (0);
}

/* The conflicts of this result replace the device's. */
static int
crosscheck_store(struct store *s, const struct crosscheck *cc, char *err,
    size_t errlen)
{
	const struct cc_conflict	*c;
	sqlite3_stmt			*st;
	size_t				 i;
	int				 rc = SQLITE_OK;

	if ((st = db_stmt(s->db, ST_CC_CLEAR, err, errlen)) == NULL)
		return (-1);
	bind_int(&rc, st, 1, s->device_id);
	if (run(s->db, st, rc, "clearing cross-check", err, errlen) == -1)
		return (-1);
	for (i = 0; i < cc->n; i++) {
		c = &cc->c[i];
		if ((st = db_stmt(s->db, ST_CC_INSERT, err, errlen)) == NULL)
			return (-1);
		rc = SQLITE_OK;
		bind_int(&rc, st, 1, s->device_id);
		bind_int(&rc, st, 2, s->scan_id);
		bind_str(&rc, st, 3, c->field);
		bind_str(&rc, st, 4, c->snmp);
		bind_str(&rc, st, 5, c->netconf);
		bind_str(&rc, st, 6, s->now);
		if (run(s->db, st, rc, "storing cross-check", err,
		    errlen) == -1)
			return (-1);
	}
	return (0);
}

/* Everything an answered poll changes, inside the caller's transaction. */
static int
store_facts(struct store *s, enum poll_status status, const char *error,
    const struct dev_facts *f, const char *protocols, const char *old_version,
    char *err, size_t errlen)
{
	int64_t		*ids = NULL, chassis_id = 0;
	int		*dups = NULL;
	const char	*chassis_serial = NULL;
	size_t		 i;
	int		 p, ret = -1;

	if (device_seen(s, status, error, f, protocols, err, errlen) == -1)
		return (-1);
	if (old_version[0] != '\0' && f->version[0] != '\0' &&
	    strcmp(old_version, f->version) != 0 &&
	    event(s, 0, "upgraded", old_version, f->version, err,
	    errlen) == -1)
		return (-1);

	if (f->nitems > 0 &&
	    ((ids = calloc(f->nitems, sizeof(*ids))) == NULL ||
	    (dups = calloc(f->nitems, sizeof(*dups))) == NULL)) {
		snprintf(err, errlen, "storing items: %s", strerror(errno));
		goto done;
	}
	for (i = 0; i < f->nitems; i++) {
		if (item_store(s, f, i, ids, &ids[i], &dups[i], err,
		    errlen) == -1)
			goto done;
		if (chassis_id == 0 && !dups[i] &&
		    f->items[i].kind == ITEM_CHASSIS &&
		    is_serialized(&f->items[i])) {
			chassis_id = ids[i];
			chassis_serial = f->items[i].serial;
		}
	}
	/* Parents that came after their child in the list. */
	for (i = 0; i < f->nitems; i++) {
		p = f->items[i].parent;
		if (dups[i] || p < 0 || (size_t)p < i || (size_t)p >= f->nitems ||
		    ids[p] == ids[i])
			continue;
		if (item_parent(s, ids[i], ids[p], err, errlen) == -1)
			goto done;
	}
	/*
	 * A new device's items are all of this poll: none was replaced or
	 * is gone, and both lookups would find nothing.
	 */
	if (s->new_device && f->nitems > 0 && new_events(s, err, errlen) == -1)
		goto done;
	if (!s->new_device && chassis_id != 0 &&
	    chassis_replaced(s, chassis_id, chassis_serial, err, errlen) == -1)
		goto done;
	if (!s->new_device && status == POLL_OK &&
	    mark_gone(s, err, errlen) == -1)
		goto done;
	ret = 0;
done:
	free(ids);
	free(dups);
	return (ret);
}

/*
 * Everything one result changes, inside the caller's transaction or
 * savepoint.
 */
static int
store_one(struct store *s, const char *address, enum poll_status status,
    const char *error, const struct dev_facts *facts,
    const struct crosscheck *cc, const char *protos, long long duration_ms,
    char *err, size_t errlen)
{
	char	old_version[ITEM_VER_LEN];
	int	answered = status == POLL_OK || status == POLL_PARTIAL;

	if (device_get(s, address, old_version, sizeof(old_version), err,
	    errlen) == -1 ||
	    result_insert(s, status, error, duration_ms,
	    answered ? facts : NULL, err, errlen) == -1)
		return (-1);
	if (!answered)
		return (device_failed(s, status, error, err, errlen));
	if (store_facts(s, status, error, facts, protos, old_version,
	    err, errlen) == -1 ||
	    (cc != NULL && crosscheck_store(s, cc, err, errlen) == -1))
		return (-1);
	return (0);
}

/* Run one cached statement that returns no row. */
static int
run_cached(struct db *db, enum db_stmt id, const char *what, char *err,
    size_t errlen)
{
	sqlite3_stmt	*st;

	if ((st = db_stmt(db, id, err, errlen)) == NULL)
		return (-1);
	return (run(db, st, SQLITE_OK, what, err, errlen));
}

/*
 * Commit the open batch.  A failed COMMIT leaves the transaction open
 * (SQLITE_BUSY, for one): it is rolled back, and err says how many
 * results that lost.
 */
static int
batch_commit(struct db *db, char *err, size_t errlen)
{
	struct db_batch	*b = &db->batch;
	char		 msg[256];
	size_t		 n = b->n;

	if (!b->open)
		return (0);
	b->open = 0;
	b->n = 0;
	if (run_cached(db, ST_COMMIT, "committing", msg, sizeof(msg)) == 0)
		return (0);
	if (!sqlite3_get_autocommit(db->h))
		(void)run_cached(db, ST_ROLLBACK, "rolling back", NULL, 0);
	snprintf(err, errlen, "%s; the last %zu device results were not "
	    "saved", msg, n);
	return (-1);
}

/*
 * One result inside the open batch (BEGIN IMMEDIATE when none is open),
 * in its own savepoint: a result that fails is rolled back alone.  If
 * SQLite rolled back the whole transaction itself (disk full, I/O
 * error), err says how many earlier results of the batch went with it.
 */
static int
store_batched(struct store *s, const char *address, enum poll_status status,
    const char *error, const struct dev_facts *facts,
    const struct crosscheck *cc, const char *protos, long long duration_ms,
    char *err, size_t errlen)
{
	struct db	*db = s->db;
	struct db_batch	*b = &db->batch;
	size_t		 len;

	if (!b->open) {
		if (run_cached(db, ST_BEGIN, "starting transaction", err,
		    errlen) == -1)
			return (-1);
		b->open = 1;
		b->n = 0;
		b->opened_ms = db_mono_ms();
	}
	if (run_cached(db, ST_SAVEPOINT, "starting savepoint", err,
	    errlen) == -1) {
		if (!sqlite3_get_autocommit(db->h))
			return (-1);	/* nothing of this result was stored */
		goto lost;
	}
	if (store_one(s, address, status, error, facts, cc, protos,
	    duration_ms, err, errlen) == -1) {
		if (!sqlite3_get_autocommit(db->h)) {
			/* err holds the failure; these must not replace it. */
			(void)run_cached(db, ST_ROLLBACK_TO, "rolling back",
			    NULL, 0);
			(void)run_cached(db, ST_RELEASE, "releasing", NULL, 0);
			if (!sqlite3_get_autocommit(db->h))
				return (-1);
		}
		goto lost;
	}
	if (run_cached(db, ST_RELEASE, "releasing savepoint", err,
	    errlen) == -1)
		goto lost;
	b->n++;
	if (b->n >= b->max_results ||
	    db_mono_ms() - b->opened_ms >= b->max_ms)
		return (batch_commit(db, err, errlen));
	return (0);
lost:
	if (!sqlite3_get_autocommit(db->h))
		(void)run_cached(db, ST_ROLLBACK, "rolling back", NULL, 0);
	b->open = 0;
	if (b->n > 0 && (len = strlen(err)) < errlen)
		snprintf(err + len, errlen - len, "; the last %zu device "
		    "results were not saved", b->n);
	b->n = 0;
	return (-1);
}

int
db_store_result(struct db *db, int64_t scan_id, const char *address,
    enum poll_status status, const char *error, const struct dev_facts *facts,
    char *err, size_t errlen)
{
	return (db_store_result2(db, scan_id, address, status, error, facts,
	    NULL, "snmp", -1, err, errlen));
}

int
db_store_result_timed(struct db *db, int64_t scan_id, const char *address,
    enum poll_status status, const char *error, const struct dev_facts *facts,
    long long duration_ms, char *err, size_t errlen)
{
	return (db_store_result2(db, scan_id, address, status, error, facts,
	    NULL, "snmp", duration_ms, err, errlen));
}

int
db_store_result2(struct db *db, int64_t scan_id, const char *address,
    enum poll_status status, const char *error, const struct dev_facts *facts,
    const struct crosscheck *cc, const char *protocols, long long duration_ms,
    char *err, size_t errlen)
{
	struct store	 s;
	sqlite3_stmt	*st;
	char		 protos[SOURCES_LEN];
	size_t		 i;
	int		 answered;

	answered = status == POLL_OK || status == POLL_PARTIAL;
	if (address == NULL || *address == '\0') {
		snprintf(err, errlen, "storing result: no address");
		return (-1);
	}
	if (answered && facts == NULL) {
		snprintf(err, errlen, "storing result for %s: status %s "
		    "without facts", address, db_status_str(status));
		return (-1);
	}
	if (protocols_canon(protocols, protos, sizeof(protos), err,
	    errlen) == -1)
		return (-1);
	if (cc != NULL && cc->n > CC_MAX) {
		snprintf(err, errlen, "storing result for %s: %zu cross-check "
		    "conflicts (at most %d)", address, cc->n, CC_MAX);
		return (-1);
	}
	for (i = 0; cc != NULL && i < cc->n; i++)
		if (cc->c[i].field[0] == '\0') {
			snprintf(err, errlen, "storing result for %s: "
			    "cross-check conflict without a field", address);
			return (-1);
		}
	memset(&s, 0, sizeof(s));
	s.db = db;
	s.scan_id = scan_id;
	db_now(db, s.now);

	if (db->batch.on)
		return (store_batched(&s, address, status, error, facts, cc,
		    protos, duration_ms, err, errlen));
	if ((st = db_stmt(db, ST_BEGIN, err, errlen)) == NULL ||
	    run(db, st, SQLITE_OK, "starting transaction", err, errlen) == -1)
		return (-1);
	if (store_one(&s, address, status, error, facts, cc, protos,
	    duration_ms, err, errlen) == -1)
		goto fail;
	if ((st = db_stmt(db, ST_COMMIT, err, errlen)) == NULL ||
	    run(db, st, SQLITE_OK, "committing", err, errlen) == -1)
		goto fail;
	return (0);
fail:
	/* err holds the first failure; the rollback must not replace it. */
	if ((st = db_stmt(db, ST_ROLLBACK, NULL, 0)) != NULL) {
		sqlite3_step(st);
		db_stmt_done(st);
	}
	return (-1);
}


int
db_batch_begin(struct db *db, unsigned int max_results, unsigned int max_ms)
{
	struct db_batch	*b = &db->batch;

	if (b->open || max_results == 0)
		return (-1);
	/*
	 * A savepoint journals the pages its result changes; past 64 KiB
	 * by default SQLite spills that journal to a temporary file, which
	 * cost as many writes as the transactions we save.  db_open() sets
	 * the spill to DB_SUBJOURNAL_SPILL instead: one result's pages (a
	 * few hundred KB at most) stay in memory, in one block.  (temp_store
	 * = MEMORY would do it too, but in 1 KB blocks: four malloc() and
	 * free() a page, 4% of a scan's instructions.)
	 */
	b->on = 1;
	b->max_results = max_results;
	b->max_ms = max_ms;
	b->n = 0;
	return (0);
}

int
db_batch_tick(struct db *db, char *err, size_t errlen)
{
	struct db_batch	*b = &db->batch;

	if (!b->open || db_mono_ms() - b->opened_ms < b->max_ms)
		return (0);
	return (batch_commit(db, err, errlen));
}

size_t
db_batch_pending(const struct db *db)
{
	return (db->batch.open ? db->batch.n : 0);
}

int
db_batch_end(struct db *db, char *err, size_t errlen)
{
	int	rc;

	rc = batch_commit(db, err, errlen);
	memset(&db->batch, 0, sizeof(db->batch));
	return (rc);
}
