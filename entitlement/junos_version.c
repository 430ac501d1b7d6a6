/*
 * junos_version.c: parse, order and key Junos release strings.  The
 * module owns nothing but the grammar and the ordering rules stated in
 * junos_version.h; it is a plain recursive-descent scanner over a
 * NUL-terminated string that never reads past the NUL, never allocates
 * and, when a string does not fit the grammar, keeps it verbatim and
 * fills in nothing else.
 */
#include <stdio.h>
#include <string.h>

#include "junos_version.h"

#define NUM_DIGITS	9	/* at most 999999999: no int overflow */

/* Locale-free digit and tag-character tests. */
static int
is_digit(int c)
{
	return (c >= '0' && c <= '9');
}

static int
is_tagch(int c)
{
	return ((c >= 'a' && c <= 'z') || is_digit(c) || c == '_');
}

/*
 * A decimal number of 1..maxdig digits without a leading zero ("0"
 * itself is fine): leading zeros would make two spellings of one
 * version and break junos_version_format() round trips.
 */
static int
scan_num(const char **pp, int maxdig, int *out)
{
	const char	*p = *pp;
	int		 n = 0, d = 0;

	if (!is_digit(*p) || (p[0] == '0' && is_digit(p[1])))
		return (-1);
	while (is_digit(*p)) {
		if (++d > maxdig)
			return (-1);
		n = n * 10 + (*p++ - '0');
	}
	*pp = p;
	*out = n;
	return (0);
}

/* Exactly width digits, not followed by another digit. */
static int
scan_fixed(const char **pp, int width, int *out)
{
	const char	*p = *pp;
	int		 n = 0, i;

	for (i = 0; i < width; i++) {
		if (!is_digit(p[i]))
			return (-1);
		n = n * 10 + (p[i] - '0');
	}
	if (is_digit(p[width]))
		return (-1);
	*pp = p + width;
	*out = n;
	return (0);
}

/* YYYYMMDD of a Junos build: 1990..2099, a real month, day 1..31. */
static int
scan_date(const char **pp, int *out)
{
	const char	*p = *pp;
	int		 d, y, m, dd;

	if (scan_fixed(&p, 8, &d) == -1)
		return (-1);
	y = d / 10000;
	m = d / 100 % 100;
	dd = d % 100;
	if (y < 1990 || y > 2099 || m < 1 || m > 12 || dd < 1 || dd > 31)
		return (-1);
	*pp = p;
	*out = d;
	return (0);
}

/* HHMM, 0000..2359. */
static int
scan_time(const char **pp, int *out)
{
	const char	*p = *pp;
	int		 t;

	if (scan_fixed(&p, 4, &t) == -1 || t / 100 > 23 || t % 100 > 59)
		return (-1);
	*pp = p;
	*out = t;
	return (0);
}

/*
 * "_tag" of a build: '_', a lower-case letter, then letters, digits and
 * '_', not ending in '_'.  The tag stops at the first other character
 * ('.' before the build of a daily build).
 */
static int
scan_tag(const char **pp, char *tag)
{
	const char	*p = *pp + 1;
	size_t		 n = 0;

	if (**pp != '_' || !(p[0] >= 'a' && p[0] <= 'z'))
		return (-1);
	while (is_tagch(p[n]))
		n++;
	if (n >= JUNOS_TAG_LEN || p[n - 1] == '_')
		return (-1);
	memcpy(tag, p, n);
	tag[n] = '\0';
	*pp = p + n;
	return (0);
}

/* Optional ".N" after a release or service release. */
static int
scan_build(const char **pp, int *build)
{
	const char	*p = *pp;

	if (p[0] != '.' || !is_digit(p[1]))
		return (0);
	p++;
	if (scan_num(&p, NUM_DIGITS, build) == -1)
		return (-1);
	*pp = p;
	return (0);
}

/* "-YYYYMMDD[_tag].N", the daily build form ("16.1-20160720.0"). */
static int
scan_daily(const char **pp, struct junos_version *v)
{
	const char	*p = *pp;

	if (*p++ != '-' || scan_date(&p, &v->date) == -1)
		return (-1);
	if (*p == '_' && scan_tag(&p, v->tag) == -1)
		return (-1);
	if (*p++ != '.' || scan_num(&p, NUM_DIGITS, &v->build) == -1)
		return (-1);
	v->type = 'I';
	v->datefmt = '-';
	*pp = p;
	return (0);
}

/*
 * "I" then either a number ("3.4I16", "14.2I0") with an optional build,
 * or a build stamp "YYYYMMDD[_HHMM][_tag]" ("18.3I20180716_1639",
 * "15.1I20161229_0005_cbowers").  Eight digits that make a date are a
 * stamp.
 */
static int
scan_internal(const char **pp, struct junos_version *v)
{
	const char	*p = *pp + 1;

	v->type = 'I';
	if (scan_date(&p, &v->date) == 0) {
		v->datefmt = 'I';
		if (p[0] == '_' && is_digit(p[1])) {
			p++;
			if (scan_time(&p, &v->time) == -1)
				return (-1);
		}
		if (*p == '_' && scan_tag(&p, v->tag) == -1)
			return (-1);
	} else if (scan_num(&p, NUM_DIGITS, &v->release) == -1 ||
	    scan_build(&p, &v->build) == -1)
		return (-1);
	*pp = p;
	return (0);
}

/* Everything after "M.m"; on success *pp is at the suffixes. */
static int
scan_body(const char **pp, struct junos_version *v)
{
	const char	*p = *pp;

	switch (*p) {
	case 'R':
	case 'F':
	case 'S':
	case 'A':
	case 'B':
		v->type = *p++;
		if (v->type == 'F' && *p == '-') {
			v->branch = 'F';
			if (scan_daily(&p, v) == -1)
				return (-1);
			break;
		}
		if (scan_num(&p, NUM_DIGITS, &v->release) == -1)
			return (-1);
		if ((v->type == 'R' || v->type == 'F') &&
		    p[0] == '-' && p[1] == 'S' && is_digit(p[2])) {
			p += 2;
			if (scan_num(&p, NUM_DIGITS, &v->service) == -1)
				return (-1);
		}
		if (scan_build(&p, &v->build) == -1)
			return (-1);
		break;
	case 'X':
		p++;
		v->type = 'X';
		if (scan_num(&p, NUM_DIGITS, &v->xtrain) == -1)
			return (-1);
		/* Without -D the meaning of the numbers is not known. */
		if (p[0] != '-' || p[1] != 'D')
			return (-1);
		p += 2;
		if (scan_num(&p, NUM_DIGITS, &v->release) == -1 ||
		    scan_build(&p, &v->build) == -1)
			return (-1);
		break;
	case 'I':
		if (scan_internal(&p, v) == -1)
			return (-1);
		break;
	case '-':
		if (scan_daily(&p, v) == -1)
			return (-1);
		break;
	default:
		return (-1);
	}
	*pp = p;
	return (0);
}

/* "[-J N[.N] | -C N[.N]] [.secure | -secure] [-EVO]" up to the NUL. */
static int
scan_suffixes(const char *p, struct junos_version *v)
{
	if (p[0] == '-' && (p[1] == 'J' || p[1] == 'C') && is_digit(p[2]) &&
	    (v->type == 'R' || v->type == 'F' || v->type == 'X')) {
		v->addon = p[1];
		p += 2;
		if (scan_num(&p, NUM_DIGITS, &v->addon_release) == -1 ||
		    scan_build(&p, &v->addon_build) == -1)
			return (-1);
	}
	if ((p[0] == '.' || p[0] == '-') && strncmp(p + 1, "secure", 6) == 0) {
		v->secure = p[0];
		p += 7;
	}
	if (strncmp(p, "-EVO", 4) == 0) {
		v->evo = 1;
		p += 4;
	}
	return (*p == '\0' ? 0 : -1);
}

/* The state of a struct junos_version that holds nothing parsed. */
static void
clear_fields(struct junos_version *v)
{
	v->known = 0;
	v->major = v->minor = v->xtrain = -1;
	v->type = 0;
	v->release = v->service = v->build = -1;
	v->date = v->time = -1;
	v->datefmt = v->branch = 0;
	v->tag[0] = '\0';
	v->addon = 0;
	v->addon_release = v->addon_build = -1;
	v->secure = 0;
	v->evo = 0;
}

int
junos_version_parse(const char *s, struct junos_version *v)
{
	const char	*p = s;
	size_t		 n;

	clear_fields(v);
	v->truncated = 0;
	v->str[0] = '\0';
	if (s == NULL)
		return (-1);
	n = strnlen(s, sizeof(v->str));
	if (n >= sizeof(v->str)) {
		v->truncated = 1;
		n = sizeof(v->str) - 1;
	}
	memcpy(v->str, s, n);
	v->str[n] = '\0';
	if (v->truncated)
		return (-1);

	if (scan_num(&p, 2, &v->major) == -1 || v->major == 0 ||
	    *p++ != '.' || scan_num(&p, 2, &v->minor) == -1 ||
	    scan_body(&p, v) == -1 || scan_suffixes(p, v) == -1) {
		clear_fields(v);
		return (-1);
	}
	v->known = 1;
	return (0);
}

/* Sort rank of a type letter within one train (see the header). */
static int
type_rank(char t)
{
	static const char	 order[] = "IABRSFX";
	const char		*p;

	if (t == 0 || (p = strchr(order, t)) == NULL)
		return (-1);
	return ((int)(p - order));
}

static int
icmp(int a, int b)
{
	return (a < b ? -1 : a > b);
}

/* The keys that make two known versions comparable, in sort order. */
static int
cmp_line(const struct junos_version *a, const struct junos_version *b)
{
	int	 c;

	if ((c = icmp(a->major, b->major)) != 0 ||
	    (c = icmp(a->minor, b->minor)) != 0 ||
	    (c = icmp(a->xtrain, b->xtrain)) != 0 ||
	    (c = icmp(a->evo, b->evo)) != 0 ||
	    (c = icmp(type_rank(a->type), type_rank(b->type))) != 0 ||
	    (c = icmp(a->date >= 0, b->date >= 0)) != 0 ||
	    (c = icmp(a->branch, b->branch)) != 0)
		return (c);
	return (strcmp(a->tag, b->tag));
}

int
junos_version_cmp(const struct junos_version *a,
    const struct junos_version *b)
{
	int	 c;

	if (!a->known || !b->known) {
		if (a->known != b->known)
			return (a->known ? -1 : 1);
		if ((c = strcmp(a->str, b->str)) != 0)
			return (c);
		return (icmp(a->truncated, b->truncated));
	}
	if ((c = cmp_line(a, b)) != 0 ||
	    (c = icmp(a->release, b->release)) != 0 ||
	    (c = icmp(a->date, b->date)) != 0 ||
	    (c = icmp(a->time, b->time)) != 0 ||
	    (c = icmp(a->service, b->service)) != 0 ||
	    (c = icmp(a->addon, b->addon)) != 0 ||
	    (c = icmp(a->addon_release, b->addon_release)) != 0 ||
	    (c = icmp(a->addon_build, b->addon_build)) != 0 ||
	    (c = icmp(a->build, b->build)) != 0)
		return (c);
	/*
	 * datefmt needs no key: a '-' daily build always has a build and
	 * an 'I' stamp never has one, so they already differ in build.
	 */
	return (icmp(a->secure, b->secure));
}

int
junos_version_comparable(const struct junos_version *a,
    const struct junos_version *b)
{
	return (a->known && b->known && cmp_line(a, b) == 0);
}

/*
 * Append prefix and n (zero-padded to width digits) to buf at *off; -1
 * once the result no longer fits.
 */
static int
append_num(char *buf, size_t len, size_t *off, const char *prefix, int n,
    int width)
{
	int	 w;

	if (*off >= len)
		return (-1);
	w = snprintf(buf + *off, len - *off, "%s%0*d", prefix, width, n);
	if (w < 0 || (size_t)w >= len - *off)
		return (-1);
	*off += (size_t)w;
	return (0);
}

static int
append_str(char *buf, size_t len, size_t *off, const char *s)
{
	size_t	 n = strlen(s);

	if (*off >= len || n >= len - *off)
		return (-1);
	memcpy(buf + *off, s, n + 1);
	*off += n;
	return (0);
}

static int
append_chr(char *buf, size_t len, size_t *off, char c)
{
	char	 s[2];

	s[0] = c;
	s[1] = '\0';
	return (append_str(buf, len, off, s));
}

static int
format_train(const struct junos_version *v, char *buf, size_t len,
    size_t *off)
{
	if (append_num(buf, len, off, "", v->major, 0) == -1 ||
	    append_num(buf, len, off, ".", v->minor, 0) == -1)
		return (-1);
	if (v->xtrain >= 0 &&
	    append_num(buf, len, off, "X", v->xtrain, 0) == -1)
		return (-1);
	return (0);
}

int
junos_version_train(const struct junos_version *v, char *buf, size_t len)
{
	size_t	 off = 0;

	if (len > 0)
		buf[0] = '\0';
	if (!v->known || format_train(v, buf, len, &off) == -1) {
		if (len > 0)
			buf[0] = '\0';
		return (-1);
	}
	return (0);
}

/* What follows the train: "R3-S5.4", "-D170.4", "F-20151115.0"... */
static int
format_body(const struct junos_version *v, char *buf, size_t len,
    size_t *off)
{
	if (v->datefmt == '-') {
		if ((v->branch && append_chr(buf, len, off, v->branch) == -1) ||
		    append_num(buf, len, off, "-", v->date, 8) == -1 ||
		    (v->tag[0] != '\0' &&
		    (append_chr(buf, len, off, '_') == -1 ||
		    append_str(buf, len, off, v->tag) == -1)) ||
		    append_num(buf, len, off, ".", v->build, 0) == -1)
			return (-1);
		return (0);
	}
	if (v->datefmt == 'I') {
		if (append_num(buf, len, off, "I", v->date, 8) == -1 ||
		    (v->time >= 0 &&
		    append_num(buf, len, off, "_", v->time, 4) == -1) ||
		    (v->tag[0] != '\0' &&
		    (append_chr(buf, len, off, '_') == -1 ||
		    append_str(buf, len, off, v->tag) == -1)))
			return (-1);
		return (0);
	}
	if (v->type == 'X') {
		if (append_num(buf, len, off, "-D", v->release, 0) == -1)
			return (-1);
	} else if (append_chr(buf, len, off, v->type) == -1 ||
	    append_num(buf, len, off, "", v->release, 0) == -1)
		return (-1);
	if (v->service >= 0 &&
	    append_num(buf, len, off, "-S", v->service, 0) == -1)
		return (-1);
	if (v->build >= 0 && append_num(buf, len, off, ".", v->build, 0) == -1)
		return (-1);
	return (0);
}

/* "-J4.1", ".secure", "-EVO". */
static int
format_suffixes(const struct junos_version *v, char *buf, size_t len,
    size_t *off)
{
	if (v->addon && (append_chr(buf, len, off, '-') == -1 ||
	    append_chr(buf, len, off, v->addon) == -1 ||
	    append_num(buf, len, off, "", v->addon_release, 0) == -1 ||
	    (v->addon_build >= 0 &&
	    append_num(buf, len, off, ".", v->addon_build, 0) == -1)))
		return (-1);
	if (v->secure && (append_chr(buf, len, off, v->secure) == -1 ||
	    append_str(buf, len, off, "secure") == -1))
		return (-1);
	if (v->evo && append_str(buf, len, off, "-EVO") == -1)
		return (-1);
	return (0);
}

int
junos_version_format(const struct junos_version *v, char *buf, size_t len)
{
	size_t	 off = 0;

	if (len > 0)
		buf[0] = '\0';
	if (!v->known || format_train(v, buf, len, &off) == -1 ||
	    format_body(v, buf, len, &off) == -1 ||
	    format_suffixes(v, buf, len, &off) == -1) {
		if (len > 0)
			buf[0] = '\0';
		return (-1);
	}
	return (0);
}
