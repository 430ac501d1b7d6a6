/*
 * facts.c: the protocol-neutral result of one device poll.  This file owns
 * the item array of struct dev_facts, the enum names used by the store
 * and the reports, the bounded copies every parser uses to put device
 * text into fixed fields, and the text dump the golden tests compare.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"

void
facts_init(struct dev_facts *f)
{
	memset(f, 0, sizeof(*f));
}

void
facts_free(struct dev_facts *f)
{
	if (f == NULL)
		return;
	free(f->items);
	f->items = NULL;
	f->nitems = 0;
	f->capitems = 0;
}

struct item *
facts_add_item(struct dev_facts *f, enum item_kind kind)
{
	struct item	*it;
	size_t		 ncap;

	if (f->nitems == f->capitems) {
		ncap = f->capitems ? f->capitems * 2 : 16;
		if (ncap > SIZE_MAX / sizeof(*it))
			return (NULL);
		if ((it = realloc(f->items, ncap * sizeof(*it))) == NULL)
			return (NULL);
		f->items = it;
		f->capitems = ncap;
	}
	it = &f->items[f->nitems++];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->parent = -1;
	return (it);
}

const char *
poll_status_str(enum poll_status s)
{
	switch (s) {
	case POLL_OK:
		return ("ok");
	case POLL_PARTIAL:
		return ("partial");
	case POLL_TIMEOUT:
		return ("timeout");
	case POLL_AUTH:
		return ("auth");
	case POLL_REFUSED:
		return ("refused");
	case POLL_BADREPLY:
		return ("badreply");
	case POLL_ERROR:
		return ("error");
	}
	return ("error");
}

const char *
item_kind_str(enum item_kind k)
{
	switch (k) {
	case ITEM_CHASSIS:
		return ("chassis");
	case ITEM_MEMBER:
		return ("member");
	case ITEM_COMPONENT:
		return ("component");
	}
	return ("component");
}

const char *
dev_os_str(enum dev_os os)
{
	switch (os) {
	case OS_UNKNOWN:
		return ("unknown");
	case OS_JUNOS:
		return ("junos");
	case OS_JUNOS_EVO:
		return ("junos-evolved");
	case OS_OTHER:
		return ("other");
	}
	return ("unknown");
}

void
fact_strlcpy(char *dst, const char *src, size_t dstlen)
{
	size_t	 n;

	if (dstlen == 0)
		return;
	n = src ? strlen(src) : 0;
	if (n >= dstlen)
		n = dstlen - 1;
	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/*
 * Length of the well-formed UTF-8 character at s (n bytes available), or
 * 0 if the bytes there are not one (RFC 3629: no overlongs, surrogates or
 * code points above U+10FFFF).  Only called for bytes >= 0x80.
 */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t	 len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return (0);
	if (n < len)
		return (0);
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return (0);
	if (s[0] == 0xe0 && s[1] < 0xa0)
		return (0);		/* overlong */
	if (s[0] == 0xed && s[1] >= 0xa0)
		return (0);		/* surrogate */
	if (s[0] == 0xf0 && s[1] < 0x90)
		return (0);		/* overlong */
	if (s[0] == 0xf4 && s[1] >= 0x90)
		return (0);		/* > U+10FFFF */
	return (len);
}

void
fact_sanitize(char *dst, const char *src, size_t srclen, size_t dstlen)
{
	const unsigned char	*s = (const unsigned char *)src;
	size_t			 i = 0, o = 0, len, end;

	if (dstlen == 0)
		return;
	/* Leading blanks (and NULs/control bytes, which become blanks). */
	while (i < srclen && (s[i] <= 0x20 || s[i] == 0x7f))
		i++;
	while (i < srclen) {
		if (s[i] < 0x20 || s[i] == 0x7f) {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = ' ';
			i++;
		} else if (s[i] < 0x80) {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = (char)s[i++];
		} else if ((len = utf8_len(s + i, srclen - i)) > 0) {
			if (o + len >= dstlen)
				break;
			memcpy(dst + o, s + i, len);
			o += len;
			i += len;
		} else {
			if (o + 1 >= dstlen)
				break;
			dst[o++] = '?';
			i++;
		}
	}
	end = o;
	while (end > 0 && dst[end - 1] == ' ')
		end--;
	dst[end] = '\0';
}

/* One dump value: see facts_dump() for the escapes. */
static void
dump_str(FILE *fp, const char *key, const char *val)
{
	const unsigned char	*s = (const unsigned char *)val;
	size_t			 n = strlen(val), i = 0, len;

	fprintf(fp, "%s=", key);
	while (i < n) {
		if (s[i] == '\\') {
			fputs("\\\\", fp);
			i++;
		} else if (s[i] == '\n') {
			fputs("\\n", fp);
			i++;
		} else if (s[i] == '\t') {
			fputs("\\t", fp);
			i++;
		} else if (s[i] < 0x20 || s[i] == 0x7f) {
			fprintf(fp, "\\x%02x", s[i]);
			i++;
		} else if (s[i] < 0x80) {
			fputc(s[i], fp);
			i++;
		} else if ((len = utf8_len(s + i, n - i)) > 0) {
			fwrite(s + i, 1, len, fp);
			i += len;
		} else {
			fprintf(fp, "\\x%02x", s[i]);
			i++;
		}
	}
	fputc('\n', fp);
}

/*
 * Fields are dumped with bounded strnlen semantics: a field filled by
 * someone who forgot the NUL must not make the dump read past it.
 */
static void
dump_field(FILE *fp, const char *key, const char *field, size_t size)
{
	char	 buf[DEV_DESCR_LEN + 1];
	size_t	 n;

	n = strnlen(field, size);
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, field, n);
	buf[n] = '\0';
	dump_str(fp, key, buf);
}

#define DUMP_FIELD(fp, key, field)	dump_field((fp), (key), (field), sizeof(field))

void
facts_dump(FILE *fp, const struct dev_facts *f)
{
	const struct item	*it;
	char			 key[64];
	size_t			 i;

	DUMP_FIELD(fp, "sys_descr", f->sys_descr);
	DUMP_FIELD(fp, "sys_object_id", f->sys_object_id);
	DUMP_FIELD(fp, "sys_name", f->sys_name);
	DUMP_FIELD(fp, "sys_location", f->sys_location);
	fprintf(fp, "sys_uptime=%lu\n", (unsigned long)f->sys_uptime);
	fprintf(fp, "have_system=%d\n", f->have_system);
	dump_str(fp, "os", dev_os_str(f->os));
	DUMP_FIELD(fp, "hostname", f->hostname);
	DUMP_FIELD(fp, "model", f->model);
	DUMP_FIELD(fp, "model_source", f->model_source);
	DUMP_FIELD(fp, "serial", f->serial);
	DUMP_FIELD(fp, "version", f->version);
	DUMP_FIELD(fp, "version_source", f->version_source);
	fprintf(fp, "nitems=%zu\n", f->nitems);
	for (i = 0; i < f->nitems; i++) {
		it = &f->items[i];
#define ITEM_KEY(name)	(snprintf(key, sizeof(key), "item.%zu.%s", i, (name)), key)
		dump_str(fp, ITEM_KEY("kind"), item_kind_str(it->kind));
		fprintf(fp, "item.%zu.parent=%d\n", i, it->parent);
		fprintf(fp, "item.%zu.serialized=%d\n", i, it->serialized);
		DUMP_FIELD(fp, ITEM_KEY("name"), it->name);
		DUMP_FIELD(fp, ITEM_KEY("serial"), it->serial);
		DUMP_FIELD(fp, ITEM_KEY("part_number"), it->part_number);
		DUMP_FIELD(fp, ITEM_KEY("model"), it->model);
		DUMP_FIELD(fp, ITEM_KEY("description"), it->description);
		DUMP_FIELD(fp, ITEM_KEY("revision"), it->revision);
		DUMP_FIELD(fp, ITEM_KEY("clei"), it->clei);
		DUMP_FIELD(fp, ITEM_KEY("version"), it->version);
		DUMP_FIELD(fp, ITEM_KEY("role"), it->role);
		DUMP_FIELD(fp, ITEM_KEY("source"), it->source);
		DUMP_FIELD(fp, ITEM_KEY("source_ref"), it->source_ref);
#undef ITEM_KEY
	}
}
