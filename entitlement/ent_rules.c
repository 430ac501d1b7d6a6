/*
 * ent_rules.c: the entitlement rules of ent_rules.h over plain structs.
 * The module owns the calendar arithmetic, the lifecycle pattern match,
 * service level names and the verdict; it reads only its arguments and
 * writes only *out (or the caller's buffer).  Lists are small (the lines
 * of one serial), so the searches are plain loops without allocation.
 */
#include <stdio.h>
#include <string.h>

#include "ent_rules.h"
#include "junos_version.h"

#define WINDOW_MAX	36500	/* days: a century is plenty */
#define MONTHS_MAX	1200	/* longest warranty term accepted */
#define CAL_MONTHS	(9999 * 12)	/* months in years 0001..9999 */

/* Locale-free ASCII helpers: the inputs are codes, not prose. */
static int
is_blank(int c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v');
}

static int
up(int c)
{
	return ((c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c);
}

static int
is_digit(int c)
{
	return (c >= '0' && c <= '9');
}

/* s without leading and trailing blanks, as a (pointer, length) span. */
static void
span(const char *s, const char **b, size_t *n)
{
	size_t	 len;

	if (s == NULL)
		s = "";
	while (is_blank((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && is_blank((unsigned char)s[len - 1]))
		len--;
	*b = s;
	*n = len;
}

static int
empty(const char *s)
{
	const char	*b;
	size_t		 n;

	span(s, &b, &n);
	return (n == 0);
}

/* Trimmed, case-insensitive equality: how serials compare. */
static int
serial_eq(const char *a, const char *b)
{
	const char	*pa, *pb;
	size_t		 na, nb, i;

	span(a, &pa, &na);
	span(b, &pb, &nb);
	if (na != nb)
		return (0);
	for (i = 0; i < na; i++)
		if (up((unsigned char)pa[i]) != up((unsigned char)pb[i]))
			return (0);
	return (1);
}

/* A record's serial is either unset (the item's) or the item's (D13). */
static int
mine(const char *rec_serial, const char *item_serial)
{
	return (rec_serial == NULL || serial_eq(rec_serial, item_serial));
}

/*
 * Next character of a site in normal form: upper case, no leading or
 * trailing blanks, every run of blanks one ' '.  0 at the end.  *pp must
 * start on a non-blank (see site_eq()).
 */
static int
site_next(const char **pp)
{
	const char	*p = *pp;

	if (*p == '\0')
		return (0);
	if (is_blank((unsigned char)*p)) {
		while (is_blank((unsigned char)*p))
			p++;
		*pp = p;
		return (*p == '\0' ? 0 : ' ');
	}
	*pp = p + 1;
	return (up((unsigned char)*p));
}

static int
site_eq(const char *a, const char *b)
{
	int	 ca, cb;

	while (is_blank((unsigned char)*a))
		a++;
	while (is_blank((unsigned char)*b))
		b++;
	do {
		ca = site_next(&a);
		cb = site_next(&b);
		if (ca != cb)
			return (0);
	} while (ca != 0);
	return (1);
}

/* NULL-safe strcmp for tie-breaks: NULL sorts as "". */
static int
cmp_str(const char *a, const char *b)
{
	return (strcmp(a != NULL ? a : "", b != NULL ? b : ""));
}

/* Copy src (NULL: "") into a fixed field, cutting; always terminated. */
static void
copy(char *dst, size_t len, const char *src)
{
	size_t	 n;

	if (src == NULL)
		src = "";
	n = strlen(src);
	if (n >= len)
		n = len - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Calendar (D1): Howard Hinnant's days_from_civil / civil_from_days. */
static int
leap(int y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
mdays(int y, int m)
{
	static const int	 n[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return (m == 2 && leap(y) ? 29 : n[m - 1]);
}

int
ent_day_from_ymd(int y, int m, int d, ent_day *out)
{
	int		 era;
	unsigned int	 yoe, doy, doe;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays(y, m)) {
		if (out != NULL)
			*out = ENT_DAY_NONE;
		return (-1);
	}
	y -= m <= 2;
	era = y / 400;		/* y >= 0 here */
	yoe = (unsigned int)(y - era * 400);
	doy = (153 * (unsigned int)(m > 2 ? m - 3 : m + 9) + 2) / 5 +
	    (unsigned int)d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	if (out != NULL)
		*out = era * 146097 + (int)doe - 719468;
	return (0);
}

int
ent_day_to_ymd(ent_day day, int *y, int *m, int *d)
{
	int32_t		 z, era;
	unsigned int	 doe, yoe, doy, mp;
	int		 yy, mm, dd;

	if (day < ENT_DAY_MIN || day > ENT_DAY_MAX)
		return (-1);
	z = day + 719468;	/* > 0 for every valid day */
	era = z / 146097;
	doe = (unsigned int)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	dd = (int)(doy - (153 * mp + 2) / 5 + 1);
	mm = (int)(mp < 10 ? mp + 3 : mp - 9);
	yy = (int)yoe + era * 400 + (mm <= 2);
	if (y != NULL)
		*y = yy;
	if (m != NULL)
		*m = mm;
	if (d != NULL)
		*d = dd;
	return (0);
}

static int
num(const char *s, size_t n)
{
	int	 v = 0;
	size_t	 i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return (v);
}

int
ent_day_parse(const char *iso, ent_day *out)
{
	static const char	 shape[] = "dddd-dd-dd";
	size_t			 i;

	if (out != NULL)
		*out = ENT_DAY_NONE;
	if (iso == NULL || strlen(iso) != sizeof(shape) - 1)
		return (-1);
	for (i = 0; i < sizeof(shape) - 1; i++) {
		if (shape[i] == 'd' ? !is_digit((unsigned char)iso[i]) :
		    iso[i] != shape[i])
			return (-1);
	}
	return (ent_day_from_ymd(num(iso, 4), num(iso + 5, 2),
	    num(iso + 8, 2), out));
}

int
ent_day_format(ent_day d, char *buf, size_t len)
{
	int	 y, m, dd;

	if (buf == NULL || len == 0)
		return (-1);
	buf[0] = '\0';
	if (len < ENT_DAY_ISO_LEN || ent_day_to_ymd(d, &y, &m, &dd) == -1)
		return (-1);
	/* "%04d-%02d-%02d" by hand: a 1M-row report formats millions. */
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + dd / 10);
	buf[9] = (char)('0' + dd % 10);
	buf[10] = '\0';
	return (0);
}

/*
 * Month arithmetic on y*12 + (m-1); -1 when out of range.  A shift of
 * more than the calendar's 9999 years of months can never land inside
 * it, and refusing it first keeps the int sum far from overflow.
 */
static int
shift_month(ent_day day, int months, int *y, int *m, int *d)
{
	int	 total;

	if (months < -CAL_MONTHS || months > CAL_MONTHS ||
	    ent_day_to_ymd(day, y, m, d) == -1)
		return (-1);
	total = *y * 12 + (*m - 1) + months;
	if (total < 12 || total > 9999 * 12 + 11)
		return (-1);
	*y = total / 12;
	*m = total % 12 + 1;
	return (0);
}

ent_day
ent_day_add_months(ent_day day, int months)
{
	ent_day	 r;
	int	 y, m, d;

	if (shift_month(day, months, &y, &m, &d) == -1)
		return (ENT_DAY_NONE);
	if (d > mdays(y, m))
		d = mdays(y, m);
	(void)ent_day_from_ymd(y, m, d, &r);
	return (r);
}

ent_day
ent_term_last_day(ent_day start, int months)
{
	ent_day	 r;
	int	 y, m, d;

	if (months <= 0 || shift_month(start, months, &y, &m, &d) == -1)
		return (ENT_DAY_NONE);
	if (d > mdays(y, m)) {
		(void)ent_day_from_ymd(y, m, mdays(y, m), &r);
		return (r);
	}
	(void)ent_day_from_ymd(y, m, d, &r);
	return (r - 1 < ENT_DAY_MIN ? ENT_DAY_NONE : r - 1);
}

static int
valid_day(ent_day d)
{
	return (d >= ENT_DAY_MIN && d <= ENT_DAY_MAX);
}

/*
 * Pattern match (D14).  '*' matches any run, other characters match
 * themselves ignoring ASCII case.  Greedy with one backtrack point:
 * linear in practice, never recursive.
 */
static int
glob(const char *p, size_t plen, const char *s, size_t slen)
{
	size_t	 pi = 0, si = 0, star = 0, mark = 0;
	int	 have_star = 0;

	while (si < slen) {
		if (pi < plen && p[pi] == '*') {
			star = pi++;
			mark = si;
			have_star = 1;
		} else if (pi < plen && up((unsigned char)p[pi]) ==
		    up((unsigned char)s[si])) {
			pi++;
			si++;
		} else if (have_star) {
			pi = star + 1;
			si = ++mark;
		} else
			return (0);
	}
	while (pi < plen && p[pi] == '*')
		pi++;
	return (pi == plen);
}

struct score {
	int	 ok;		/* matched at all */
	int	 exact;		/* no '*' in the alternative */
	size_t	 literal;	/* characters other than '*' */
	int	 model;		/* matched the model, not the part number */
};

/* 1 if a ranks strictly before b. */
static int
better(const struct score *a, const struct score *b)
{
	if (a->ok != b->ok)
		return (a->ok);
	if (a->exact != b->exact)
		return (a->exact);
	/* Two exact matches both name the item: length means nothing. */
	if (!a->exact && a->literal != b->literal)
		return (a->literal > b->literal);
	return (a->model > b->model);
}

/* The best score of any ';' alternative of pattern on model and pn. */
static void
score_row(const char *pattern, const char *model, const char *pn,
    struct score *best)
{
	const char	*alt = pattern, *sep, *pb, *fb;
	size_t		 alen, flen, i, k;
	const char	*fields[2];
	struct score	 sc;

	memset(best, 0, sizeof(*best));
	if (pattern == NULL)
		return;
	fields[0] = model;
	fields[1] = pn;
	for (;;) {
		sep = strchr(alt, ';');
		alen = sep != NULL ? (size_t)(sep - alt) : strlen(alt);
		/* trim the alternative */
		pb = alt;
		while (alen > 0 && is_blank((unsigned char)*pb)) {
			pb++;
			alen--;
		}
		while (alen > 0 && is_blank((unsigned char)pb[alen - 1]))
			alen--;
		for (k = 0; alen > 0 && k < 2; k++) {
			span(fields[k], &fb, &flen);
			if (flen == 0 || !glob(pb, alen, fb, flen))
				continue;
			memset(&sc, 0, sizeof(sc));
			sc.ok = 1;
			sc.exact = memchr(pb, '*', alen) == NULL;
			for (i = 0; i < alen; i++)
				sc.literal += pb[i] != '*';
			sc.model = k == 0;
			if (better(&sc, best))
				*best = sc;
		}
		if (sep == NULL)
			break;
		alt = sep + 1;
	}
}

/*
 * Index of the best row of an array of structs whose pattern is the
 * const char * at byte offset off in each element; n when none matches.
 */
static size_t
best_row(const char *model, const char *pn, const void *rows, size_t n,
    size_t stride, size_t off)
{
	struct score	 best, sc;
	size_t		 i, found = n;
	const char	*pat;

	memset(&best, 0, sizeof(best));
	if (rows == NULL)
		return (n);
	for (i = 0; i < n; i++) {
		memcpy(&pat, (const char *)rows + i * stride + off,
		    sizeof(pat));
		score_row(pat, model, pn, &sc);
		if (better(&sc, &best)) {
			best = sc;
			found = i;
		}
	}
	return (found);
}

const struct ent_hw_lifecycle *
ent_hw_match(const char *model, const char *part_number,
    const struct ent_hw_lifecycle *rows, size_t n)
{
	size_t	 i;

	i = best_row(model, part_number, rows, n, sizeof(*rows),
	    offsetof(struct ent_hw_lifecycle, pattern));
	return (i < n ? &rows[i] : NULL);
}

const struct ent_warranty_term *
ent_warranty_match(const char *model, const char *part_number,
    const struct ent_warranty_term *rows, size_t n)
{
	size_t	 i;

	i = best_row(model, part_number, rows, n, sizeof(*rows),
	    offsetof(struct ent_warranty_term, pattern));
	return (i < n ? &rows[i] : NULL);
}

const struct ent_sw_lifecycle *
ent_sw_match(const char *train, const struct ent_sw_lifecycle *rows,
    size_t n)
{
	size_t	 i;

	i = best_row(train, NULL, rows, n, sizeof(*rows),
	    offsetof(struct ent_sw_lifecycle, train));
	return (i < n ? &rows[i] : NULL);
}

int
ent_item_train(const struct ent_item *item, char *buf, size_t len)
{
	struct junos_version	 v;
	const char		*b;
	size_t			 n;

	if (buf == NULL || len == 0)
		return (-1);
	buf[0] = '\0';
	if (item == NULL)
		return (-1);
	span(item->junos_train, &b, &n);
	if (n > 0) {
		if (n >= len)
			return (-1);
		memcpy(buf, b, n);
		buf[n] = '\0';
		return (0);
	}
	if (item->junos_version == NULL ||
	    junos_version_parse(item->junos_version, &v) == -1)
		return (-1);
	return (junos_version_train(&v, buf, len));
}

/* Service levels (D12). */
static const struct {
	const char	*name;
	int		 level;
} level_names[] = {
	{ "CORE",			ENT_LEVEL_CORE },
	{ "CORE PLUS",			ENT_LEVEL_CORE_PLUS },
	{ "COREPLUS",			ENT_LEVEL_CORE_PLUS },
	{ "CORE+",			ENT_LEVEL_CORE_PLUS },
	{ "NEXT DAY",			ENT_LEVEL_NEXT_DAY },
	{ "NEXTDAY",			ENT_LEVEL_NEXT_DAY },
	{ "NEXT DAY DELIVERY",		ENT_LEVEL_NEXT_DAY },
	{ "NEXT BUSINESS DAY",		ENT_LEVEL_NEXT_DAY },
	{ "NEXT BUSINESS DAY DELIVERY",	ENT_LEVEL_NEXT_DAY },
	{ "ND",				ENT_LEVEL_NEXT_DAY },
	{ "NBD",			ENT_LEVEL_NEXT_DAY },
	{ "NEXT DAY ONSITE",		ENT_LEVEL_NEXT_DAY_ONSITE },
	{ "NDO",			ENT_LEVEL_NEXT_DAY_ONSITE },
	{ "SAME DAY",			ENT_LEVEL_SAME_DAY },
	{ "SAMEDAY",			ENT_LEVEL_SAME_DAY },
	{ "SAME DAY DELIVERY",		ENT_LEVEL_SAME_DAY },
	{ "SD",				ENT_LEVEL_SAME_DAY },
	{ "SAME DAY ONSITE",		ENT_LEVEL_SAME_DAY_ONSITE },
	{ "SDO",			ENT_LEVEL_SAME_DAY_ONSITE },
	{ "ADVANCED CARE",		ENT_LEVEL_ADVANCED_CARE },
};

static const char *const level_display[] = {
	[ENT_LEVEL_CORE] = "Core",
	[ENT_LEVEL_CORE_PLUS] = "Core Plus",
	[ENT_LEVEL_NEXT_DAY] = "Next Day",
	[ENT_LEVEL_NEXT_DAY_ONSITE] = "Next Day Onsite",
	[ENT_LEVEL_SAME_DAY] = "Same Day",
	[ENT_LEVEL_SAME_DAY_ONSITE] = "Same Day Onsite",
	[ENT_LEVEL_ADVANCED_CARE] = "Advanced Care",
};

int
ent_level_parse(const char *s)
{
	char		 buf[64];
	const char	*b;
	size_t		 n, i, o = 0;
	int		 c, blank = 0;
	static const char prefix[] = "JUNIPER CARE ";

	span(s, &b, &n);
	if (n == 0)
		return (ENT_LEVEL_UNKNOWN);
	for (i = 0; i < n; i++) {
		c = (unsigned char)b[i];
		if (is_blank(c) || c == '-' || c == '_') {
			blank = 1;
			continue;
		}
		if (blank && o > 0) {
			if (o + 1 >= sizeof(buf))
				return (ENT_LEVEL_OTHER);
			buf[o++] = ' ';
		}
		blank = 0;
		if (o + 1 >= sizeof(buf))
			return (ENT_LEVEL_OTHER);
		buf[o++] = (char)up(c);
	}
	buf[o] = '\0';
	b = buf;
	if (strncmp(b, prefix, sizeof(prefix) - 1) == 0)
		b += sizeof(prefix) - 1;
	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (strcmp(b, level_names[i].name) == 0)
			return (level_names[i].level);
	return (o == 0 ? ENT_LEVEL_UNKNOWN : ENT_LEVEL_OTHER);
}

const char *
ent_level_str(int level)
{
	if (level <= ENT_LEVEL_UNKNOWN || level >= ENT_LEVEL_OTHER)
		return (NULL);
	return (level_display[level]);
}

/* Care levels seed 004 allows on end-of-production CPO (D11). */
static int
level_cpo_ok(int level)
{
	return (level == ENT_LEVEL_UNKNOWN || level == ENT_LEVEL_CORE ||
	    level == ENT_LEVEL_CORE_PLUS || level == ENT_LEVEL_NEXT_DAY);
}

static const char *const status_names[] = {
	[ENT_UNSUPPORTABLE] = "UNSUPPORTABLE",
	[ENT_COVERED] = "COVERED",
	[ENT_EXPIRING] = "EXPIRING",
	[ENT_WARRANTY] = "WARRANTY",
	[ENT_LAPSED] = "LAPSED",
	[ENT_UNCOVERED] = "UNCOVERED",
};

const char *
ent_status_str(int status)
{
	if (status <= ENT_STATUS_NONE || status > ENT_UNCOVERED)
		return (NULL);
	return (status_names[status]);
}

static const char *const flag_names[ENT_NFLAGS] = {
	"EOL", "END_OF_SALE", "EOS_SOON", "CONVERT_BY", "SW_EOE", "SW_EOS",
	"CPO_CARE_INELIGIBLE", "UNREGISTERED", "SITE_MISMATCH", "REPLACED",
	"ADVISORY"
};

int
ent_flag_index(unsigned int flag)
{
	int	 i;

	if (flag == 0 || (flag & (flag - 1)) != 0 || (flag & ~ENT_F_ALL))
		return (-1);
	for (i = 0; (flag >> i) != 1; i++)
		;
	return (i);
}

const char *
ent_flag_str(unsigned int flag)
{
	int	 i;

	if ((i = ent_flag_index(flag)) == -1)
		return (NULL);
	return (flag_names[i]);
}

int
ent_flags_format(unsigned int flags, char *buf, size_t len)
{
	size_t	 o = 0, n;
	int	 i, rc = 0;

	if (buf == NULL || len == 0)
		return (-1);
	buf[0] = '\0';
	for (i = 0; i < ENT_NFLAGS; i++) {
		if (!(flags & (1u << i)))
			continue;
		n = strlen(flag_names[i]) + (o > 0);
		if (o + n >= len) {
			rc = -1;
			break;
		}
		if (o > 0)
			buf[o++] = ',';
		memcpy(buf + o, flag_names[i], strlen(flag_names[i]));
		o += strlen(flag_names[i]);
		buf[o] = '\0';
	}
	if (flags & ~ENT_F_ALL)
		rc = -1;
	return (rc);
}

void
ent_policy_init(struct ent_policy *p)
{
	p->window_days = 90;
	p->convert_window_days = 90;
	p->component = ENT_POLICY_INHERIT;
	p->default_warranty_months = 12;
	p->cpo_care_grace_days = 30;
}

/* Evaluation state: the item's own facts, sorted out once. */
struct eval {
	const struct ent_facts		*in;
	const struct ent_item		*item;
	const struct ent_policy		*p;
	ent_day				 as_of;
	const struct ent_cpo		*cpo;	/* NULL if not the item's */
	const struct ent_registration	*reg;	/* NULL if not the item's */
	ent_day				 cpo_day; /* CPO purchase, or NONE */
	size_t				 nmine;	/* lines of the item's serial */
	const struct ent_contract_line	*active; /* deciding active line */
	const struct ent_contract_line	*past;	/* the line that ended last */
	const struct ent_contract_line	*next;	/* earliest future line */
	const struct ent_contract_line	*decider; /* own line for status */
	ent_day				 covered_until;
	int				 in_warranty;
};

static int
line_ok(const struct ent_contract_line *l)
{
	return (valid_day(l->start) && valid_day(l->end) &&
	    l->start <= l->end);
}

/* Tie-break (D4): smaller contract id, then smaller src. */
static int
line_tie(const struct ent_contract_line *a,
    const struct ent_contract_line *b)
{
	int	 c;

	if ((c = cmp_str(a->contract_id, b->contract_id)) != 0)
		return (c < 0);
	return (cmp_str(a->src, b->src) < 0);
}

/*
 * A strict total order on the lines of one array: start, then the
 * tie-break, then position, so that walking "the next line after prev"
 * visits each line exactly once.
 */
static int
line_before(const struct ent_contract_line *a,
    const struct ent_contract_line *b)
{
	if (a->start != b->start)
		return (a->start < b->start);
	if (line_tie(a, b))
		return (1);
	if (line_tie(b, a))
		return (0);
	return (a < b);
}

static void
scan_lines(struct eval *e)
{
	const struct ent_facts		*in = e->in;
	const struct ent_contract_line	*l;
	size_t				 i;
	ent_day				 cu;
	int				 grew;

	for (i = 0; i < in->nlines; i++) {
		l = &in->lines[i];
		if (!mine(l->serial, e->item->serial))
			continue;
		e->nmine++;
		if (!line_ok(l))
			continue;
		if (l->start <= e->as_of && e->as_of <= l->end) {
			if (e->active == NULL || l->end > e->active->end ||
			    (l->end == e->active->end && line_tie(l, e->active)))
				e->active = l;
		} else if (l->end < e->as_of) {
			/* D11: the hardware's first life does not count. */
			if (e->cpo_day != ENT_DAY_NONE && l->end < e->cpo_day)
				continue;
			if (e->past == NULL || l->end > e->past->end ||
			    (l->end == e->past->end && line_tie(l, e->past)))
				e->past = l;
		} else {
			if (e->next == NULL || l->start < e->next->start ||
			    (l->start == e->next->start &&
			    line_tie(l, e->next)))
				e->next = l;
		}
	}
	if (e->active == NULL)
		return;
	/* D4: extend through lines that follow on without a gap. */
	cu = e->active->end;
	do {
		grew = 0;
		for (i = 0; i < in->nlines; i++) {
			l = &in->lines[i];
			if (!mine(l->serial, e->item->serial) || !line_ok(l))
				continue;
			if (l->start <= cu + 1 && l->end > cu) {
				cu = l->end;
				grew = 1;
			}
		}
	} while (grew);
	e->covered_until = cu;
}

/* D7: the warranty fields of out, and whether as_of is inside it. */
static void
warranty(struct eval *e, struct ent_verdict *out)
{
	const struct ent_warranty_term	*wt = e->in->wterm;
	ent_day				 start = ENT_DAY_NONE;
	int				 months;

	months = wt != NULL ? wt->months : e->p->default_warranty_months;
	if (e->cpo != NULL) {
		copy(out->warranty_src, sizeof(out->warranty_src),
		    e->cpo->src);
		if (e->cpo_day == ENT_DAY_NONE ||
		    e->cpo->line == ENT_CPO_LINE_UNKNOWN)
			goto unknown;
		start = e->cpo_day;
		if (e->cpo->line == ENT_CPO_END_OF_PRODUCTION) {
			months = ENT_CPO_EOP_WARRANTY_MONTHS;
			wt = NULL;
		}
	} else if (e->reg != NULL && valid_day(e->reg->ship)) {
		copy(out->warranty_src, sizeof(out->warranty_src),
		    e->reg->src);
		start = e->reg->ship;
	} else {
		if (e->reg != NULL)
			copy(out->warranty_src, sizeof(out->warranty_src),
			    e->reg->src);
		goto unknown;
	}
	if (wt != NULL)
		copy(out->warranty_term_src, sizeof(out->warranty_term_src),
		    wt->src);
	out->warranty_months = months;
	out->warranty_end = ent_term_last_day(start, months);
	e->in_warranty = out->warranty_end != ENT_DAY_NONE &&
	    start <= e->as_of && e->as_of <= out->warranty_end;
	return;
unknown:
	out->warranty_unknown = 1;
}

static void
set_line(struct ent_verdict *out, const struct ent_contract_line *l)
{
	const char	*name, *b;
	size_t		 n;

	copy(out->contract_id, sizeof(out->contract_id), l->contract_id);
	out->level = ent_level_parse(l->service_level);
	if ((name = ent_level_str(out->level)) != NULL)
		copy(out->service_level, sizeof(out->service_level), name);
	else {
		span(l->service_level, &b, &n);
		if (n >= sizeof(out->service_level))
			n = sizeof(out->service_level) - 1;
		memcpy(out->service_level, b, n);
		out->service_level[n] = '\0';
	}
	out->contract_start = l->start;
	out->contract_end = l->end;
}

static void
own_status(struct eval *e, struct ent_verdict *out)
{
	const struct ent_hw_lifecycle	*hw = e->in->hw;

	if (e->next != NULL) {
		copy(out->next_contract_id, sizeof(out->next_contract_id),
		    e->next->contract_id);
		out->next_start = e->next->start;
	}
	if (hw != NULL && valid_day(hw->eos) && e->as_of > hw->eos) {
		out->status = ENT_UNSUPPORTABLE;
		copy(out->status_src, sizeof(out->status_src), hw->src);
		if (e->active != NULL) {	/* D15 */
			e->decider = e->active;
			set_line(out, e->active);
		}
		return;
	}
	if (e->active != NULL) {
		e->decider = e->active;
		set_line(out, e->active);
		out->covered_until = e->covered_until;
		out->days_left = e->covered_until - e->as_of;
		out->status = out->days_left <= e->p->window_days ?
		    ENT_EXPIRING : ENT_COVERED;
		copy(out->status_src, sizeof(out->status_src), e->active->src);
		return;
	}
	if (e->in_warranty) {
		out->status = ENT_WARRANTY;
		copy(out->status_src, sizeof(out->status_src),
		    out->warranty_src);
		return;
	}
	if (e->past != NULL) {
		e->decider = e->past;
		set_line(out, e->past);
		out->status = ENT_LAPSED;
		out->lapsed_needs_reinstatement = 1;
		copy(out->status_src, sizeof(out->status_src), e->past->src);
		return;
	}
	out->status = ENT_UNCOVERED;
}

static int
rank(int status)
{
	switch (status) {
	case ENT_COVERED:
	case ENT_EXPIRING:
		return (4);
	case ENT_WARRANTY:
		return (3);
	case ENT_LAPSED:
		return (2);
	case ENT_UNCOVERED:
		return (1);
	default:
		return (0);	/* UNSUPPORTABLE, NONE: never inherited */
	}
}

/* D8, D9: take the chassis' coverage block when it is better. */
static void
inherit(struct eval *e, struct ent_verdict *out)
{
	const struct ent_verdict	*c = e->in->chassis;

	if (c == NULL || e->item->kind != ENT_KIND_COMPONENT ||
	    e->p->component != ENT_POLICY_INHERIT)
		return;
	if (out->status == ENT_UNSUPPORTABLE ||
	    rank(c->status) <= rank(out->status))
		return;
	out->status = c->status;
	memcpy(out->contract_id, c->contract_id, sizeof(out->contract_id));
	memcpy(out->service_level, c->service_level,
	    sizeof(out->service_level));
	out->level = c->level;
	out->contract_start = c->contract_start;
	out->contract_end = c->contract_end;
	out->covered_until = c->covered_until;
	out->days_left = c->days_left;
	memcpy(out->next_contract_id, c->next_contract_id,
	    sizeof(out->next_contract_id));
	out->next_start = c->next_start;
	out->warranty_end = c->warranty_end;
	out->warranty_months = c->warranty_months;
	out->warranty_unknown = c->warranty_unknown;
	out->lapsed_needs_reinstatement = c->lapsed_needs_reinstatement;
	memcpy(out->status_src, c->status_src, sizeof(out->status_src));
	memcpy(out->warranty_src, c->warranty_src, sizeof(out->warranty_src));
	memcpy(out->warranty_term_src, c->warranty_term_src,
	    sizeof(out->warranty_term_src));
	copy(out->via_chassis, sizeof(out->via_chassis), c->serial);
	e->decider = NULL;
}

static void
raise_flag(struct ent_verdict *out, unsigned int f, const char *src)
{
	if (out->flags & f)
		return;		/* the first evidence stays */
	out->flags |= f;
	copy(out->flag_src[ent_flag_index(f)], ENT_REF_LEN, src);
}

/* Lines that matter for an end-of-production CPO item (D11). */
static int
cpo_line(const struct eval *e, const struct ent_contract_line *l)
{
	return (mine(l->serial, e->item->serial) && line_ok(l) &&
	    (e->cpo_day == ENT_DAY_NONE || l->end >= e->cpo_day));
}

static void
cpo_care(struct eval *e, struct ent_verdict *out)
{
	const struct ent_cpo		*c = e->cpo;
	const struct ent_contract_line	*l, *first, *prev = NULL;
	const struct ent_facts		*in = e->in;
	ent_day				 chain, grace;
	size_t				 i, nrel = 0;

	if (c == NULL || c->line != ENT_CPO_END_OF_PRODUCTION)
		return;
	grace = e->p->cpo_care_grace_days;
	/* Timing: walk the relevant lines in (start, tie) order. */
	if (e->cpo_day != ENT_DAY_NONE) {
		if (c->care_bought && valid_day(c->care_start) &&
		    c->care_start - e->cpo_day > grace)
			raise_flag(out, ENT_F_CPO_CARE_INELIGIBLE, c->src);
		chain = e->cpo_day;
		for (;;) {
			first = NULL;
			for (i = 0; i < in->nlines; i++) {
				l = &in->lines[i];
				if (!cpo_line(e, l) ||
				    (prev != NULL && !line_before(prev, l)))
					continue;
				if (first == NULL || line_before(l, first))
					first = l;
			}
			if (first == NULL)
				break;
			nrel++;
			if (first->start - chain > grace) {
				raise_flag(out, ENT_F_CPO_CARE_INELIGIBLE,
				    first->src);
				break;
			}
			if (first->end > chain)
				chain = first->end;
			prev = first;
		}
		if (nrel == 0 && !c->care_bought &&
		    e->as_of - e->cpo_day > grace)
			raise_flag(out, ENT_F_CPO_CARE_INELIGIBLE, c->src);
	}
	/* Levels. */
	for (i = 0; i < in->nlines; i++) {
		l = &in->lines[i];
		if (cpo_line(e, l) &&
		    !level_cpo_ok(ent_level_parse(l->service_level)))
			raise_flag(out, ENT_F_CPO_CARE_INELIGIBLE, l->src);
	}
	if (c->care_bought && !level_cpo_ok(ent_level_parse(c->care_level)))
		raise_flag(out, ENT_F_CPO_CARE_INELIGIBLE, c->src);
}

static void
set_flags(struct eval *e, struct ent_verdict *out)
{
	const struct ent_hw_lifecycle	*hw = e->in->hw;
	const struct ent_sw_lifecycle	*sw = e->in->sw;
	const struct ent_item		*it = e->item;
	ent_day				 t = e->as_of;
	const char			*site = NULL, *site_src = NULL;

	if (hw != NULL) {
		if (valid_day(hw->eol_announce) && hw->eol_announce <= t &&
		    (!valid_day(hw->last_order) || t < hw->last_order))
			raise_flag(out, ENT_F_EOL, hw->src);
		if (valid_day(hw->last_order) && t >= hw->last_order)
			raise_flag(out, ENT_F_END_OF_SALE, hw->src);
		if (valid_day(hw->eos) && t <= hw->eos &&
		    hw->eos - t <= e->p->window_days)
			raise_flag(out, ENT_F_EOS_SOON, hw->src);
		if (out->status == ENT_WARRANTY && out->via_chassis[0] == '\0' &&
		    valid_day(hw->last_convert) &&
		    hw->last_convert - t <= e->p->convert_window_days)
			raise_flag(out, ENT_F_CONVERT_BY, hw->src);
	}
	if (sw != NULL) {
		if (valid_day(sw->eoe) && t > sw->eoe)
			raise_flag(out, ENT_F_SW_EOE, sw->src);
		if (valid_day(sw->eos) && t > sw->eos)
			raise_flag(out, ENT_F_SW_EOS, sw->src);
	}
	cpo_care(e, out);
	if (e->nmine == 0 && e->cpo == NULL && e->reg == NULL &&
	    !(it->kind == ENT_KIND_COMPONENT &&
	    e->p->component == ENT_POLICY_INHERIT))
		raise_flag(out, ENT_F_UNREGISTERED, NULL);
	if (e->decider != NULL && !empty(e->decider->install_site)) {
		site = e->decider->install_site;
		site_src = e->decider->src;
	} else if (e->reg != NULL && !empty(e->reg->install_site)) {
		site = e->reg->install_site;
		site_src = e->reg->src;
	}
	if (site != NULL && !empty(it->site) && !site_eq(site, it->site))
		raise_flag(out, ENT_F_SITE_MISMATCH, site_src);
	if (it->replaced) {
		raise_flag(out, ENT_F_REPLACED, it->replaced_src);
		copy(out->replaced_by, sizeof(out->replaced_by),
		    it->replaced_by);
	}
	if (!empty(it->advisory_src))
		raise_flag(out, ENT_F_ADVISORY, it->advisory_src);
}

static int
policy_ok(const struct ent_policy *p)
{
	return (p->window_days >= 0 && p->window_days <= WINDOW_MAX &&
	    p->convert_window_days >= 0 &&
	    p->convert_window_days <= WINDOW_MAX &&
	    (p->component == ENT_POLICY_INHERIT ||
	    p->component == ENT_POLICY_OWN) &&
	    p->default_warranty_months >= 0 &&
	    p->default_warranty_months <= MONTHS_MAX &&
	    p->cpo_care_grace_days >= 0 &&
	    p->cpo_care_grace_days <= WINDOW_MAX);
}

static void
verdict_init(struct ent_verdict *out)
{
	memset(out, 0, sizeof(*out));
	out->contract_start = out->contract_end = ENT_DAY_NONE;
	out->covered_until = out->next_start = ENT_DAY_NONE;
	out->warranty_end = ENT_DAY_NONE;
	out->days_left = -1;
}

int
ent_evaluate(const struct ent_facts *in, ent_day as_of,
    const struct ent_policy *p, struct ent_verdict *out)
{
	struct ent_policy	 defaults;
	struct eval		 e;
	const struct ent_item	*it;

	if (out == NULL)
		return (-1);
	memset(out, 0, sizeof(*out));
	if (p == NULL) {
		ent_policy_init(&defaults);
		p = &defaults;
	}
	if (in == NULL || (it = in->item) == NULL || empty(it->serial) ||
	    !valid_day(as_of) || !policy_ok(p) ||
	    it->kind < ENT_KIND_CHASSIS || it->kind > ENT_KIND_COMPONENT ||
	    (in->lines == NULL && in->nlines > 0) ||
	    (in->wterm != NULL &&
	    (in->wterm->months < 0 || in->wterm->months > MONTHS_MAX)))
		return (-1);
	if (in->chassis != NULL && !empty(it->chassis_serial) &&
	    !serial_eq(in->chassis->serial, it->chassis_serial))
		return (-1);

	verdict_init(out);
	copy(out->serial, sizeof(out->serial), it->serial);
	memset(&e, 0, sizeof(e));
	e.in = in;
	e.item = it;
	e.p = p;
	e.as_of = as_of;
	e.covered_until = ENT_DAY_NONE;
	if (in->cpo != NULL && mine(in->cpo->serial, it->serial))
		e.cpo = in->cpo;
	if (in->reg != NULL && mine(in->reg->serial, it->serial))
		e.reg = in->reg;
	e.cpo_day = e.cpo != NULL && valid_day(e.cpo->purchase) ?
	    e.cpo->purchase : ENT_DAY_NONE;
	out->lifecycle_known = in->hw != NULL;

	scan_lines(&e);
	warranty(&e, out);
	own_status(&e, out);
	inherit(&e, out);
	set_flags(&e, out);
	return (0);
}
