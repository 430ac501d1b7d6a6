/*
 * import.c: KIND tables, header matching, cell checking and
 * normalisation for `ibagent import` (see import.h).  The module owns
 * the alias and enum tables and the date rules.  One import runs in two
 * passes: while csv.c streams the file, the header is resolved and each
 * record's mapped cells are kept (trimmed copies in an arena); at the
 * end the slash-date format is settled for the whole file, then every
 * kept record is checked into a row or a message.  Keeping the cells
 * costs memory bounded by csv.h's caps, and is what lets a date on the
 * last line decide how the first line's dates read.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "collector/parse.h"
#include "import.h"

#define KEY_LEN		256	/* header keys are cut to this */
#define SBUF_LEN	2048	/* one message; longer ones end in "..." */
#define QUOTE_MAX	40	/* bytes of a cell quoted in a message */
#define ARENA_BLOCK	(64 * 1024)
#define YEAR_MIN	1900
#define YEAR_MAX	2199
#define MONEY_MAX	1000000000000000LL	/* cents: 10^13 units */

#define A(...)		((const char *const []){ __VA_ARGS__, NULL })
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Arena: strings and lists of one result, freed together.
 */
struct arena_block {
	struct arena_block	*next;
	size_t			 used, cap;
	max_align_t		 data[];
};

struct arena {
	struct arena_block	*head;
};

static void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block	*b = a->head;
	size_t			 al = alignof(max_align_t), off, cap;
	void			*p;

	if (n == 0)
		n = 1;
	if (b != NULL) {
		off = (b->used + al - 1) / al * al;
		if (off <= b->cap && b->cap - off >= n) {
			b->used = off + n;
			return ((char *)b->data + off);
		}
	}
	cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
	if ((b = malloc(sizeof(*b) + cap)) == NULL)
		return (NULL);
	b->cap = cap;
	b->used = n;
	b->next = a->head;
	a->head = b;
	p = b->data;
	return (p);
}

static char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p;

	if ((p = arena_alloc(a, n + 1)) == NULL)
		return (NULL);
	memcpy(p, s, n);
	p[n] = '\0';
	return (p);
}

static void
arena_free(struct arena *a)
{
	struct arena_block	*b, *next;

	if (a == NULL)
		return;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

/*
 * A message being built: appends are cut, and marked with "...", at
 * SBUF_LEN.
 */
struct sbuf {
	char	 s[SBUF_LEN];
	size_t	 len;
};

static void	 sb_add(struct sbuf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (b->len >= sizeof(b->s) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->len, sizeof(b->s) - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(b->s) - b->len) {
		b->len = sizeof(b->s) - 1;
		memcpy(b->s + b->len - 3, "...", 3);
	} else
		b->len += (size_t)n;
}

/* A reason for a bad row: "; "-separated after the first. */
static void	 sb_reason(struct sbuf *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
sb_reason(struct sbuf *b, const char *fmt, ...)
{
	char	 tmp[SBUF_LEN];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	sb_add(b, "%s%s", b->len > 0 ? "; " : "", tmp);
}

/*
 * A cell as it appears in a message: in double quotes, '"' and '\'
 * escaped, control bytes as \t \r \n or \xNN, cut after QUOTE_MAX bytes
 * (at a UTF-8 character boundary) with "...".  out holds at least
 * QUOTE_MAX * 4 + 8 bytes.
 */
#define QUOTE_LEN	(QUOTE_MAX * 4 + 16)

static const char *
quote(const char *s, char *out)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 o = 0, i;

	out[o++] = '"';
	for (i = 0; p[i] != '\0'; i++) {
		if (i >= QUOTE_MAX && (p[i] & 0xc0) != 0x80) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (p[i] == '"' || p[i] == '\\') {
			out[o++] = '\\';
			out[o++] = (char)p[i];
		} else if (p[i] == '\t' || p[i] == '\r' || p[i] == '\n') {
			out[o++] = '\\';
			out[o++] = p[i] == '\t' ? 't' : p[i] == '\r' ? 'r' : 'n';
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			snprintf(out + o, 5, "\\x%02x", p[i]);
			o += 4;
		} else
			out[o++] = (char)p[i];
	}
	out[o++] = '"';
	out[o] = '\0';
	return (out);
}

/*
 * Header and enum keys: ASCII letters (folded to lower case) and digits
 * kept, bytes >= 0x80 kept, everything else dropped, so "Serial #",
 * "serial_no." and "SERIAL-NO" compare equal.  A name with nothing left
 * ("#", "--") is its own key, lower-cased.
 */
static void
name_key(const char *s, size_t n, char *out)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, o = 0;

	for (i = 0; i < n && o < KEY_LEN - 1; i++) {
		if (isalnum(p[i]) && p[i] < 0x80)
			out[o++] = (char)tolower(p[i]);
		else if (p[i] >= 0x80)
			out[o++] = (char)p[i];
	}
	if (o == 0)
		for (i = 0; i < n && o < KEY_LEN - 1; i++)
			out[o++] = (char)tolower(p[i]);
	out[o] = '\0';
}

static int
key_eq(const char *a, const char *b)
{
	char	 ka[KEY_LEN], kb[KEY_LEN];

	name_key(a, strlen(a), ka);
	name_key(b, strlen(b), kb);
	return (strcmp(ka, kb) == 0);
}

/*
 * Trim blanks (space, TAB, CR, LF, and U+00A0, which spreadsheets
 * leave) from both ends of s; *n gets the length left.
 */
static const char *
trim(const char *s, size_t *n)
{
	size_t	 len = strlen(s);

	for (;;) {
		if (len > 0 && strchr(" \t\r\n", *s) != NULL) {
			s++;
			len--;
		} else if (len > 1 && (unsigned char)s[0] == 0xc2 &&
		    (unsigned char)s[1] == 0xa0) {
			s += 2;
			len -= 2;
		} else
			break;
	}
	for (;;) {
		if (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
			len--;
		else if (len > 1 && (unsigned char)s[len - 2] == 0xc2 &&
		    (unsigned char)s[len - 1] == 0xa0)
			len -= 2;
		else
			break;
	}
	*n = len;
	return (s);
}

/* trim() for a string we own: the result is NUL-terminated in place. */
static char *
trim_inplace(char *s, size_t *n)
{
	char	*t;

	t = s + (trim(s, n) - s);
	t[*n] = '\0';
	return (t);
}

/*
 * The tables.  Aliases are written as users see them; only their keys
 * (name_key) matter.  Each field's own name is an alias too.
 */
static const char *const serial_aliases[] = {
	"Serial Number", "Serial No", "Serial Num", "Serial", "SN", "S/N",
	"Serial #", "Product Serial Number", "Product Serial",
	"Chassis Serial", "Chassis Serial Number", NULL
};
static const char *const sku_aliases[] = {
	"Product SKU", "Product", "SKU", "Product ID", "Product Number",
	"Product Model", "Model", "Model Number", NULL
};
static const char *const site_aliases[] = {
	"Install At", "Installed At", "Install Site", "Installed At Site",
	"Site", "Site Name", "Install Location", "Location",
	"Install Address", NULL
};
static const char *const customer_aliases[] = {
	"End Customer", "End Customer Name", "Customer", "Customer Name",
	"End User", "End User Name", "Account", "Account Name", NULL
};

static const struct import_enum_value cpo_line_values[] = {
	{ "current", A("current line", "current product", "cur") },
	{ "end-of-production", A("end of production", "eop",
	    "end of production line") },
	{ NULL, NULL }
};
static const struct import_enum_value yesno_values[] = {
	{ "no", A("n", "false", "0") },
	{ "yes", A("y", "true", "1", "x") },
	{ NULL, NULL }
};
static const struct import_enum_value release_type_values[] = {
	{ "EOL", A("standard") },
	{ "EEOL", A("extended", "extended eol") },
	{ NULL, NULL }
};

#define F(kind, name, type, need, member, aliases) \
	{ name, type, need, offsetof(struct kind, member), aliases, NULL, 0, 0 }
#define FE(kind, name, need, member, aliases, values) \
	{ name, IMPORT_ENUM, need, offsetof(struct kind, member), aliases, \
	    values, 0, 0 }
#define FI(kind, name, need, member, aliases, lo, hi) \
	{ name, IMPORT_INT, need, offsetof(struct kind, member), aliases, \
	    NULL, lo, hi }

static const struct import_field contract_fields[] = {
	F(import_contract, "contract_id", IMPORT_TEXT, IMPORT_REQUIRED,
	    contract_id, A("Contract Number", "Contract No", "Contract ID",
	    "Contract", "Service Contract", "Service Contract Number",
	    "Agreement", "Agreement Number", "Agreement ID")),
	F(import_contract, "serial", IMPORT_SERIAL, IMPORT_REQUIRED, serial,
	    serial_aliases),
	F(import_contract, "sku", IMPORT_TEXT, IMPORT_OPTIONAL, sku,
	    sku_aliases),
	F(import_contract, "level", IMPORT_TEXT, IMPORT_OPTIONAL, level,
	    A("Service Level", "Service SKU", "Service", "Service Type",
	    "Service Product", "Support Level", "Coverage")),
	F(import_contract, "start", IMPORT_DATE, IMPORT_REQUIRED, start,
	    A("Contract Start Date", "Start Date", "Service Start",
	    "Service Start Date", "Begin Date", "Coverage Start",
	    "Effective Date")),
	F(import_contract, "end", IMPORT_DATE, IMPORT_REQUIRED, end,
	    A("Contract End Date", "End Date", "Service End",
	    "Service End Date", "Expiration Date", "Expiry Date", "Expires",
	    "Coverage End", "Termination Date")),
	F(import_contract, "site", IMPORT_TEXT, IMPORT_OPTIONAL, site,
	    site_aliases),
	F(import_contract, "customer", IMPORT_TEXT, IMPORT_OPTIONAL, customer,
	    customer_aliases),
	F(import_contract, "price", IMPORT_MONEY, IMPORT_OPTIONAL, price,
	    A("Price", "Amount", "Value", "Net Price", "Line Value",
	    "Contract Value", "Extended Price")),
	F(import_contract, "currency", IMPORT_TEXT, IMPORT_OPTIONAL, currency,
	    A("Currency", "Currency Code")),
};

static const struct import_field hw_fields[] = {
	F(import_hw_lifecycle, "model", IMPORT_PATTERNS, IMPORT_ONE_OF, model,
	    A("Model", "Models", "Model Number", "Model Numbers", "Product",
	    "Products", "Product SKU", "SKU", "Product ID")),
	F(import_hw_lifecycle, "part", IMPORT_PATTERNS, IMPORT_ONE_OF, part,
	    A("Part Number", "Part Numbers", "Part No", "Part", "Parts",
	    "Assembly Number", "Assembly")),
	F(import_hw_lifecycle, "psn", IMPORT_TEXT, IMPORT_OPTIONAL, psn,
	    A("PSN", "PSN Number", "Notice", "Notice Number",
	    "Product Support Notice", "Bulletin")),
	F(import_hw_lifecycle, "description", IMPORT_TEXT, IMPORT_OPTIONAL,
	    description, A("Description", "Product Description", "Desc")),
	F(import_hw_lifecycle, "announce", IMPORT_DATE, IMPORT_OPTIONAL,
	    announce, A("EOL Announcement Date", "EOL Announcement",
	    "EOL Announce", "EOL Announce Date", "EOL Announced",
	    "Announcement Date", "Announced", "End of Life Announcement",
	    "End of Life Announcement Date", "EOL Notice Date")),
	F(import_hw_lifecycle, "last_order", IMPORT_DATE, IMPORT_OPTIONAL,
	    last_order, A("Last Order Date", "Last Order",
	    "Last Date to Order", "End of Sale", "End of Sale Date",
	    "End of Sales")),
	F(import_hw_lifecycle, "convert_by", IMPORT_DATE, IMPORT_OPTIONAL,
	    convert_by, A("Last Date to Convert Warranty",
	    "Last Date to Convert", "Last Warranty Conversion",
	    "Warranty Conversion Date", "Convert Warranty By")),
	F(import_hw_lifecycle, "same_day_end", IMPORT_DATE, IMPORT_OPTIONAL,
	    same_day_end, A("Same-day Support Discontinued",
	    "Same-day Support Ends", "Same-day Support End",
	    "End of Same-day Support")),
	F(import_hw_lifecycle, "next_day_end", IMPORT_DATE, IMPORT_OPTIONAL,
	    next_day_end, A("Next-day Support Discontinued",
	    "Next-day Support Ends", "Next-day Support End",
	    "End of Next-day Support")),
	F(import_hw_lifecycle, "sw_end", IMPORT_DATE, IMPORT_OPTIONAL, sw_end,
	    A("End of New JUNOS Release Support", "End New Release Support",
	    "End of New Release Support",
	    "End of New Software Release Support")),
	F(import_hw_lifecycle, "eos", IMPORT_DATE, IMPORT_OPTIONAL, eos,
	    A("End of Support", "End of Support Date", "EOS", "EOS Date",
	    "End of Service", "Last Support Date")),
	F(import_hw_lifecycle, "replacement", IMPORT_TEXT, IMPORT_OPTIONAL,
	    replacement, A("Replacement", "Suggested Replacement",
	    "Recommended Replacement", "Replacement Product",
	    "Replacement SKU", "Replacement Model")),
};

static const struct import_field sw_fields[] = {
	F(import_sw_lifecycle, "train", IMPORT_TRAIN, IMPORT_REQUIRED, train,
	    A("Release Train", "Release", "Junos Release", "Junos OS Release",
	    "Junos", "Product", "Version", "Junos Version",
	    "Software Release")),
	F(import_sw_lifecycle, "first_release", IMPORT_DATE, IMPORT_OPTIONAL,
	    first_release, A("FRS Date", "FRS", "First Release",
	    "First Release Date", "Release Date", "GA Date",
	    "First Customer Ship")),
	F(import_sw_lifecycle, "eoe", IMPORT_DATE, IMPORT_OPTIONAL, eoe,
	    A("End of Engineering", "End of Engineering Date", "EOE",
	    "EOE Date", "End of Engineering Support")),
	F(import_sw_lifecycle, "eos", IMPORT_DATE, IMPORT_OPTIONAL, eos,
	    A("End of Support", "End of Support Date", "EOS", "EOS Date",
	    "EOL", "EOL Date", "End of Life")),
	FE(import_sw_lifecycle, "release_type", IMPORT_OPTIONAL, release_type,
	    A("Release Type", "Type", "Support Type", "Lifecycle"),
	    release_type_values),
};

static const struct import_field cpo_fields[] = {
	F(import_cpo, "serial", IMPORT_SERIAL, IMPORT_REQUIRED, serial,
	    serial_aliases),
	F(import_cpo, "sku", IMPORT_TEXT, IMPORT_OPTIONAL, sku, sku_aliases),
	F(import_cpo, "purchase", IMPORT_DATE, IMPORT_REQUIRED, purchase,
	    A("Purchase Date", "Purchased", "Date Purchased", "Order Date",
	    "Sales Order Date", "Invoice Date", "Date")),
	FE(import_cpo, "line", IMPORT_REQUIRED, line,
	    A("CPO Line", "Line", "CPO Type", "Type", "Program"),
	    cpo_line_values),
	FE(import_cpo, "care", IMPORT_OPTIONAL, care,
	    A("Juniper Care", "Care", "Care Purchased",
	    "Juniper Care Purchased", "With Care", "Support Purchased"),
	    yesno_values),
};

static const struct import_field warranty_fields[] = {
	F(import_warranty, "pattern", IMPORT_PATTERN, IMPORT_REQUIRED,
	    pattern, A("Product Pattern", "Pattern", "Product", "Model",
	    "Model Pattern", "SKU", "Product Family")),
	FI(import_warranty, "months", IMPORT_REQUIRED, months,
	    A("Warranty Months", "Warranty (Months)", "Months", "Term",
	    "Term (Months)", "Warranty Term", "Warranty Length", "Length",
	    "Duration"), 0, 600),
	F(import_warranty, "description", IMPORT_TEXT, IMPORT_OPTIONAL,
	    description, A("Description", "Warranty", "Warranty Type",
	    "Warranty Name", "Name", "Comment", "Notes")),
};

static const struct import_field registration_fields[] = {
	F(import_registration, "serial", IMPORT_SERIAL, IMPORT_REQUIRED,
	    serial, serial_aliases),
	F(import_registration, "sku", IMPORT_TEXT, IMPORT_OPTIONAL, sku,
	    sku_aliases),
	F(import_registration, "ship", IMPORT_DATE, IMPORT_OPTIONAL, ship,
	    A("Ship Date", "Shipped", "Shipped Date", "Date Shipped",
	    "Shipment Date", "Ship")),
	F(import_registration, "site", IMPORT_TEXT, IMPORT_OPTIONAL, site,
	    site_aliases),
	F(import_registration, "customer", IMPORT_TEXT, IMPORT_OPTIONAL,
	    customer, customer_aliases),
};

struct ctx;
typedef void kind_check(struct ctx *, const struct import_row *,
    struct sbuf *);

static kind_check	 check_contract, check_hw, check_sw, check_warranty;

struct kind_desc {
	const char			*name;
	const struct import_field	*fields;
	size_t				 nfields;
	const char *const		*ignored;	/* known, carry nothing */
	kind_check			*check;		/* cross-field rules */
};

static const struct kind_desc kinds[IMPORT_NKINDS] = {
	[IMPORT_CONTRACTS] = { "contracts", contract_fields,
	    NELEM(contract_fields), NULL, check_contract },
	/* junoscriptorium eol-scanner's matching hints for its own use */
	[IMPORT_HW_LIFECYCLE] = { "hw-lifecycle", hw_fields, NELEM(hw_fields),
	    A("quad_pic", "quad_pic_possible", "pim_fpc"), check_hw },
	[IMPORT_SW_LIFECYCLE] = { "sw-lifecycle", sw_fields, NELEM(sw_fields),
	    NULL, check_sw },
	[IMPORT_CPO] = { "cpo", cpo_fields, NELEM(cpo_fields), NULL, NULL },
	[IMPORT_WARRANTY] = { "warranty", warranty_fields,
	    NELEM(warranty_fields), NULL, check_warranty },
	[IMPORT_REGISTRATIONS] = { "registrations", registration_fields,
	    NELEM(registration_fields), NULL, NULL },
};

const char *
import_kind_name(enum import_kind kind)
{
	if ((unsigned)kind >= IMPORT_NKINDS)
		return ("?");
	return (kinds[kind].name);
}

int
import_kind_parse(const char *name, enum import_kind *kind)
{
	size_t	 i;

	for (i = 0; i < IMPORT_NKINDS; i++)
		if (name != NULL && strcmp(name, kinds[i].name) == 0) {
			*kind = (enum import_kind)i;
			return (0);
		}
	return (-1);
}

int
import_datefmt_parse(const char *name, enum import_datefmt *fmt)
{
	static const char *const names[] = { "auto", "iso", "us", "eu" };
	size_t			 i;

	for (i = 0; i < NELEM(names); i++)
		if (name != NULL && strcasecmp(name, names[i]) == 0) {
			*fmt = (enum import_datefmt)i;
			return (0);
		}
	return (-1);
}

const struct import_field *
import_fields(enum import_kind kind, size_t *nfields)
{
	if ((unsigned)kind >= IMPORT_NKINDS) {
		*nfields = 0;
		return (NULL);
	}
	*nfields = kinds[kind].nfields;
	return (kinds[kind].fields);
}

/* The field of kind whose name or an alias has this key, or -1. */
static int
field_by_key(const struct kind_desc *kd, const char *key)
{
	char	 k[KEY_LEN];
	size_t	 f, i;

	for (f = 0; f < kd->nfields; f++) {
		name_key(kd->fields[f].name, strlen(kd->fields[f].name), k);
		if (strcmp(k, key) == 0)
			return ((int)f);
		for (i = 0; kd->fields[f].aliases[i] != NULL; i++) {
			name_key(kd->fields[f].aliases[i],
			    strlen(kd->fields[f].aliases[i]), k);
			if (strcmp(k, key) == 0)
				return ((int)f);
		}
	}
	return (-1);
}

static int
ignored_key(const struct kind_desc *kd, const char *key)
{
	char	 k[KEY_LEN];
	size_t	 i;

	for (i = 0; kd->ignored != NULL && kd->ignored[i] != NULL; i++) {
		name_key(kd->ignored[i], strlen(kd->ignored[i]), k);
		if (strcmp(k, key) == 0)
			return (1);
	}
	return (0);
}

/*
 * --map
 */

void
import_map_init(struct import_map *m)
{
	memset(m, 0, sizeof(*m));
}

void
import_map_clear(struct import_map *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		free(m->v[i].header);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* "a, b, c": the field names of kd, for messages. */
static void
field_names(const struct kind_desc *kd, struct sbuf *b)
{
	size_t	 f;

	for (f = 0; f < kd->nfields; f++)
		sb_add(b, "%s%s", f > 0 ? ", " : "", kd->fields[f].name);
}

/*
 * One entry of a --map value, unescaped into ent; *eq is where its last
 * unescaped '=' went (or -1).  Returns the end of the entry in spec
 * (its ',' or NUL), or NULL with err filled.
 */
static const char *
map_entry(const char *p, char *ent, size_t entlen, long *eq, char *err,
    size_t errlen)
{
	size_t	 o = 0;

	*eq = -1;
	for (; *p != '\0' && *p != ','; p++) {
		if (o + 1 >= entlen) {
			snprintf(err, errlen, "--map: entry longer than %zu "
			    "bytes", entlen - 1);
			return (NULL);
		}
		if (*p == '\\') {
			if (p[1] == '\0') {
				snprintf(err, errlen, "--map: backslash at the "
				    "end");
				return (NULL);
			}
			if (p[1] != ',' && p[1] != '=' && p[1] != '\\') {
				snprintf(err, errlen, "--map: \"\\%c\": only "
				    "\\, \\= and \\\\ are escapes", p[1]);
				return (NULL);
			}
			ent[o++] = *++p;
			continue;
		}
		if (*p == '=')
			*eq = (long)o;
		ent[o++] = *p;
	}
	ent[o] = '\0';
	return (p);
}

int
import_map_parse(struct import_map *m, enum import_kind kind,
    const char *spec, char *err, size_t errlen)
{
	const struct kind_desc	*kd;
	struct import_map_entry	*nv = NULL, *e;
	struct sbuf		 names;
	char			 ent[1024], hk[KEY_LEN], ek[KEY_LEN];
	char			 q1[QUOTE_LEN], q2[QUOTE_LEN];
	const char		*p, *h, *fl;
	size_t			 n = 0, hl, fll, i, total;
	long			 eq;
	int			 f;

	if ((unsigned)kind >= IMPORT_NKINDS) {
		snprintf(err, errlen, "--map: no such kind");
		return (-1);
	}
	kd = &kinds[kind];
	if (m->n > 0 && m->kind != kind) {
		snprintf(err, errlen, "--map: earlier entries are for %s",
		    kinds[m->kind].name);
		return (-1);
	}
	trim(spec != NULL ? spec : "", &hl);
	if (hl == 0) {
		snprintf(err, errlen, "--map: empty");
		return (-1);
	}
	for (p = spec;; p++) {
		if ((p = map_entry(p, ent, sizeof(ent), &eq, err,
		    errlen)) == NULL)
			goto fail;
		h = trim_inplace(ent, &hl);
		if (hl == 0) {
			snprintf(err, errlen, "--map: empty entry");
			goto fail;
		}
		if (eq < 0) {
			snprintf(err, errlen, "--map: %s: expected HEADER=FIELD",
			    quote(h, q1));
			goto fail;
		}
		ent[eq] = '\0';
		h = trim_inplace(ent, &hl);
		fl = trim_inplace(ent + eq + 1, &fll);
		if (hl == 0) {
			snprintf(err, errlen, "--map: \"=%s\": empty header",
			    fl);
			goto fail;
		}
		if (fll == 0) {
			snprintf(err, errlen, "--map: %s: empty field",
			    quote(h, q1));
			goto fail;
		}
		if (strcmp(fl, "-") == 0)
			f = -1;
		else {
			for (f = 0; f < (int)kd->nfields; f++)
				if (key_eq(fl, kd->fields[f].name))
					break;
			if (f == (int)kd->nfields) {
				memset(&names, 0, sizeof(names));
				field_names(kd, &names);
				snprintf(err, errlen, "--map: %s: no field %s "
				    "in %s (fields: %s)", quote(h, q1),
				    quote(fl, q2), kd->name, names.s);
				goto fail;
			}
		}
		name_key(h, hl, hk);
		total = m->n + n;
		for (i = 0; i < total; i++) {
			e = i < m->n ? &m->v[i] : &nv[i - m->n];
			name_key(e->header, strlen(e->header), ek);
			if (strcmp(ek, hk) == 0) {
				snprintf(err, errlen, "--map: header %s given "
				    "twice", quote(h, q1));
				goto fail;
			}
			if (f >= 0 && e->field == f) {
				snprintf(err, errlen, "--map: field %s given "
				    "twice (%s and %s)", kd->fields[f].name,
				    quote(e->header, q1), quote(h, q2));
				goto fail;
			}
		}
		if ((e = reallocarray(nv, n + 1, sizeof(*nv))) == NULL)
			goto oom;
		nv = e;
		if ((nv[n].header = strdup(h)) == NULL)
			goto oom;
		nv[n++].field = f;
		if (*p == '\0')
			break;
	}
	if ((e = reallocarray(m->v, m->n + n, sizeof(*e))) == NULL)
		goto oom;
	memcpy(e + m->n, nv, n * sizeof(*nv));
	m->v = e;
	m->n += n;
	m->kind = kind;
	free(nv);
	return (0);
oom:
	snprintf(err, errlen, "--map: out of memory");
fail:
	for (i = 0; i < n; i++)
		free(nv[i].header);
	free(nv);
	return (-1);
}

/*
 * Dates.
 */

enum { DC_ISO, DC_SLASH, DC_NAMED };

/* A date cell scanned but not yet resolved. */
struct datecell {
	int	 form;		/* DC_* */
	int	 y;
	int	 a, b;		/* ISO and named: month, day; slash: the
				   first and second numbers */
};

static int
digits(const char **pp, int mind, int maxd, int *v)
{
	const char	*p = *pp;
	int		 n = 0, x = 0;

	while (n < maxd && *p >= '0' && *p <= '9') {
		x = x * 10 + (*p++ - '0');
		n++;
	}
	if (n < mind)
		return (-1);
	*v = x;
	*pp = p;
	return (0);
}

/* An English month name or its 3-letter (or "Sept") abbreviation. */
static int
month_name(const char **pp, int *m)
{
	static const char *const names[] = { "january", "february", "march",
	    "april", "may", "june", "july", "august", "september", "october",
	    "november", "december" };
	const char	*p = *pp;
	char		 w[16];
	size_t		 n = 0;
	int		 i;

	while (n < sizeof(w) - 1 && isalpha((unsigned char)p[n])) {
		w[n] = (char)tolower((unsigned char)p[n]);
		n++;
	}
	w[n] = '\0';
	if (n < 3 || isalpha((unsigned char)p[n]))
		return (-1);
	for (i = 0; i < 12; i++) {
		if (strcmp(w, names[i]) == 0 || (n == 3 &&
		    strncmp(w, names[i], 3) == 0) || (i == 8 &&
		    strcmp(w, "sept") == 0)) {
			*m = i + 1;
			*pp = p + n;
			return (0);
		}
	}
	return (-1);
}

static int
spaces(const char **pp)
{
	const char	*p = *pp;

	while (*p == ' ')
		p++;
	if (p == *pp)
		return (-1);
	*pp = p;
	return (0);
}

/* Recognise a date form; no range checks yet.  0 or -1. */
static int
date_scan(const char *s, struct datecell *dc)
{
	const char	*p = s;
	int		 a, b, y;

	if (digits(&p, 4, 4, &y) == 0 && *p == '-') {	/* YYYY-MM-DD */
		p++;
		if (digits(&p, 2, 2, &a) == -1 || *p++ != '-' ||
		    digits(&p, 2, 2, &b) == -1 || *p != '\0')
			return (-1);
		dc->form = DC_ISO;
		goto ok;
	}
	p = s;
	if (digits(&p, 1, 2, &a) == 0) {
		if (*p == '/') {				/* N/N/YYYY */
			p++;
			if (digits(&p, 1, 2, &b) == -1 || *p++ != '/' ||
			    digits(&p, 4, 4, &y) == -1 || *p != '\0')
				return (-1);
			dc->form = DC_SLASH;
			goto ok;
		}
		b = a;						/* day */
		if (*p == '-') {				/* 31-Jan-2025 */
			p++;
			if (month_name(&p, &a) == -1 || *p++ != '-')
				return (-1);
		} else if (spaces(&p) == -1 || month_name(&p, &a) == -1 ||
		    spaces(&p) == -1)				/* 31 Jan 2025 */
			return (-1);
		if (digits(&p, 4, 4, &y) == -1 || *p != '\0')
			return (-1);
		dc->form = DC_NAMED;
		goto ok;
	}
	p = s;							/* Jan 31, 2025 */
	if (month_name(&p, &a) == -1 || spaces(&p) == -1 ||
	    digits(&p, 1, 2, &b) == -1)
		return (-1);
	if (*p == ',')
		p++;
	if (spaces(&p) == -1 || digits(&p, 4, 4, &y) == -1 || *p != '\0')
		return (-1);
	dc->form = DC_NAMED;
ok:
	dc->y = y;
	dc->a = a;
	dc->b = b;
	return (0);
}

static int
leap(int y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
mdays(int y, int m)
{
	static const int	 n[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };

	return (m == 2 && leap(y) ? 29 : n[m - 1]);
}

/* Howard Hinnant's days_from_civil: proleptic Gregorian, 1970-01-01 = 0. */
static long
days_from_civil(int y, int m, int d)
{
	long		 era;
	unsigned	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + (long)doe - 719468);
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long		 era;
	unsigned	 doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)((long)yoe + era * 400 + (*m <= 2));
}

int
import_date_iso(long day, char *buf, size_t len)
{
	int	 y, m, d, n;

	if (len > 0)
		buf[0] = '\0';
	if (day < -1000000000L || day > 1000000000L)
		return (-1);
	civil_from_days(day, &y, &m, &d);
	n = snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
	if (n < 0 || (size_t)n >= len) {
		if (len > 0)
			buf[0] = '\0';
		return (-1);
	}
	return (0);
}

/* Why a date cell does not resolve, for the messages. */
enum date_why {
	DW_OK,
	DW_SYNTAX,	/* bad date */
	DW_NODAY,	/* no such date */
	DW_YEAR,	/* year out of range */
	DW_ISO,		/* slash date but --date-format iso */
	DW_AMBIG	/* slash date, both parts <= 12, no format */
};

/*
 * Resolve dc under fmt.  *mp and *dp get the month and day it reads as,
 * even when that day does not exist (DW_NODAY).
 */
static enum date_why
date_resolve(const struct datecell *dc, enum import_datefmt fmt, long *day,
    int *mp, int *dp)
{
	int	 m, d;

	if (dc->form == DC_SLASH) {
		switch (fmt) {
		case IMPORT_DATE_ISO:
			return (DW_ISO);
		case IMPORT_DATE_US:
			m = dc->a;
			d = dc->b;
			break;
		case IMPORT_DATE_EU:
			m = dc->b;
			d = dc->a;
			break;
		default:
			if (dc->a > 12 && dc->b <= 12) {
				m = dc->b;
				d = dc->a;
			} else if (dc->a <= 12 && (dc->b > 12 ||
			    dc->a == dc->b)) {
				m = dc->a;
				d = dc->b;
			} else if (dc->a > 12)
				return (DW_NODAY);
			else
				return (DW_AMBIG);
			break;
		}
	} else {
		m = dc->a;
		d = dc->b;
	}
	*mp = m;
	*dp = d;
	if (dc->y < YEAR_MIN || dc->y > YEAR_MAX)
		return (DW_YEAR);
	if (m < 1 || m > 12 || d < 1 || d > mdays(dc->y, m))
		return (DW_NODAY);
	*day = days_from_civil(dc->y, m, d);
	return (DW_OK);
}

int
import_date_parse(const char *s, enum import_datefmt fmt, long *day)
{
	struct datecell	 dc;
	int		 m, d;

	if (s == NULL || date_scan(s, &dc) == -1)
		return (-1);
	return (date_resolve(&dc, fmt, day, &m, &d) == DW_OK ? 0 : -1);
}

/*
 * One import in progress.
 */

/* A record kept until the date format is known. */
struct raw_row {
	unsigned long	 line;
	size_t		 nfields;
	int		 ragged;	/* short, or non-empty past the header */
	const char	*cell[IMPORT_MAX_FIELDS];	/* NULL: no column */
};

/* Keys seen so far (trains, warranty patterns), case-folded. */
struct dupset {
	const char	**key;
	unsigned long	 *line;
	size_t		  n, cap;	/* cap: 0 or a power of two */
};

struct ctx {
	struct import_result		*res;
	const struct kind_desc		*kd;
	const struct import_map		*map;
	struct arena			*arena;
	enum import_datefmt		 fmt;
	size_t				 max_errors;
	size_t				 nproblems;	/* listed or not */
	size_t				 caperrors;
	size_t				 capwarnings;
	size_t				 nwarnings;	/* listed or not */
	size_t				 capunused;
	int				 strict;
	unsigned long			 line;		/* row being checked */
	int				 oom;
	int				 have_header;
	int				 header_bad;
	size_t				 hfields;	/* cells in the header */
	int				 fieldcol[IMPORT_MAX_FIELDS];
	struct raw_row			*raw;
	size_t				 nraw, capraw;
	struct dupset			 dups;
};

/* Append a copy of msg to a message list. */
static void
push(struct ctx *c, char ***v, size_t *n, size_t *cap, const char *msg)
{
	char	**nv;
	char	 *m;
	size_t	  ncap;

	if (*n == *cap) {
		ncap = *cap == 0 ? 16 : *cap * 2;
		if ((nv = reallocarray(*v, ncap, sizeof(*nv))) == NULL) {
			c->oom = 1;
			return;
		}
		*v = nv;
		*cap = ncap;
	}
	if ((m = arena_strndup(c->arena, msg, strlen(msg))) == NULL) {
		c->oom = 1;
		return;
	}
	(*v)[(*n)++] = m;
}

/* Count a problem; list msg ("FILE:LINE: ...") unless max_errors are. */
static void
add_error(struct ctx *c, const char *msg)
{
	if (c->nproblems++ < c->max_errors)
		push(c, &c->res->errors, &c->res->nerrors, &c->caperrors, msg);
}

static void	 file_error(struct ctx *, unsigned long, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static void
file_error(struct ctx *c, unsigned long line, const char *fmt, ...)
{
	struct sbuf	 b;
	char		 tmp[SBUF_LEN];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	memset(&b, 0, sizeof(b));
	sb_add(&b, "%s:%lu: %s", c->res->file, line, tmp);
	add_error(c, b.s);
}

/* A warning about the row being checked ("FILE:LINE: ..."). */
static void	 add_warning(struct ctx *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
add_warning(struct ctx *c, const char *fmt, ...)
{
	struct sbuf	 b;
	char		 tmp[SBUF_LEN];
	va_list		 ap;

	if (c->nwarnings++ >= c->max_errors)
		return;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	memset(&b, 0, sizeof(b));
	sb_add(&b, "%s:%lu: %s", c->res->file, c->line, tmp);
	push(c, &c->res->warnings, &c->res->nwarnings, &c->capwarnings, b.s);
}

static void
add_unused(struct ctx *c, const char *h, size_t n)
{
	char	**nu;
	size_t	  ncap;

	if (c->res->nunused == c->capunused) {
		ncap = c->capunused == 0 ? 8 : c->capunused * 2;
		if ((nu = reallocarray(c->res->unused, ncap,
		    sizeof(*nu))) == NULL) {
			c->oom = 1;
			return;
		}
		c->res->unused = nu;
		c->capunused = ncap;
	}
	if ((c->res->unused[c->res->nunused] = arena_strndup(c->arena, h,
	    n)) == NULL) {
		c->oom = 1;
		return;
	}
	c->res->nunused++;
}

/* Claim field f for header column col; a second claim is an error. */
static void
claim(struct ctx *c, const struct csv_record *rec, int f, size_t col)
{
	char		 h1[QUOTE_MAX + 8], h2[QUOTE_MAX + 8];
	char		 q1[QUOTE_LEN], q2[QUOTE_LEN];
	const char	*h;
	size_t		 n;

	if (c->fieldcol[f] < 0) {
		c->fieldcol[f] = (int)col;
		return;
	}
	c->header_bad = 1;
	h = trim(rec->fields[c->fieldcol[f]], &n);
	snprintf(h1, sizeof(h1), "%.*s", (int)n, h);
	h = trim(rec->fields[col], &n);
	snprintf(h2, sizeof(h2), "%.*s", (int)n, h);
	file_error(c, rec->line, "columns %s and %s both map to %s; drop one "
	    "with --map", quote(h1, q1), quote(h2, q2), c->kd->fields[f].name);
}

/* "serial, Serial Number, ...": what a field's column may be called. */
static void
accepted(const struct import_field *fd, struct sbuf *b)
{
	size_t	 i;

	sb_add(b, "%s", fd->name);
	for (i = 0; fd->aliases[i] != NULL; i++)
		sb_add(b, ", %s", fd->aliases[i]);
}

/*
 * Resolve the header record: which column feeds which field.  Errors
 * go to the list and set header_bad.
 */
static void
header(struct ctx *c, const struct csv_record *rec)
{
	const struct kind_desc	*kd = c->kd;
	const struct import_map	*map = c->map;
	struct sbuf		 b, names;
	char			 key[KEY_LEN], ek[KEY_LEN], q[QUOTE_LEN];
	char			*mapused = NULL;
	const char		*h;
	size_t			 i, j, n, f;
	int			 fi, mapped[IMPORT_MAX_FIELDS];

	c->hfields = rec->nfields;
	for (f = 0; f < IMPORT_MAX_FIELDS; f++)
		c->fieldcol[f] = mapped[f] = -1;
	if (map != NULL && map->n > 0) {
		if ((mapused = calloc(map->n, 1)) == NULL) {
			c->oom = 1;
			return;
		}
		for (j = 0; j < map->n; j++)
			if (map->v[j].field >= 0)
				mapped[map->v[j].field] = (int)j;
	}
	for (i = 0; i < rec->nfields; i++) {
		h = trim(rec->fields[i], &n);
		if (n == 0)
			continue;
		name_key(h, n, key);
		for (j = 0; map != NULL && j < map->n; j++) {
			name_key(map->v[j].header, strlen(map->v[j].header),
			    ek);
			if (strcmp(ek, key) == 0)
				break;
		}
		if (map != NULL && j < map->n) {
			mapused[j] = 1;
			if (map->v[j].field >= 0)
				claim(c, rec, map->v[j].field, i);
			continue;
		}
		fi = field_by_key(kd, key);
		if (fi >= 0 && mapped[fi] >= 0)
			add_unused(c, h, n);	/* --map chose another */
		else if (fi >= 0)
			claim(c, rec, fi, i);
		else if (!ignored_key(kd, key))
			add_unused(c, h, n);
	}
	for (j = 0; map != NULL && j < map->n; j++)
		if (!mapused[j]) {
			c->header_bad = 1;
			file_error(c, rec->line, "--map: no column %s in the "
			    "file", quote(map->v[j].header, q));
		}
	free(mapused);
	for (f = 0; f < kd->nfields; f++) {
		if (kd->fields[f].need != IMPORT_REQUIRED ||
		    c->fieldcol[f] >= 0)
			continue;
		c->header_bad = 1;
		memset(&b, 0, sizeof(b));
		accepted(&kd->fields[f], &b);
		file_error(c, rec->line, "no column for %s (headers accepted: "
		    "%s)", kd->fields[f].name, b.s);
	}
	/* IMPORT_ONE_OF: at least one of those columns. */
	memset(&names, 0, sizeof(names));
	memset(&b, 0, sizeof(b));
	for (f = 0; f < kd->nfields; f++) {
		if (kd->fields[f].need != IMPORT_ONE_OF)
			continue;
		if (c->fieldcol[f] >= 0)
			return;
		sb_add(&names, "%s%s", names.len > 0 ? " or " : "",
		    kd->fields[f].name);
		if (b.len > 0)
			sb_add(&b, "; ");
		accepted(&kd->fields[f], &b);
	}
	if (names.len == 0)
		return;
	c->header_bad = 1;
	file_error(c, rec->line, "no column for %s (headers accepted: %s)",
	    names.s, b.s);
}

/* The csv.h callback: header first, then keep each record's cells. */
static int
on_record(const struct csv_record *rec, void *arg, char *err, size_t errlen)
{
	struct ctx	*c = arg;
	struct raw_row	*r, *nr;
	const char	*s;
	size_t		 i, n, ncap, f;
	int		 col, empty = 1;

	(void)err;
	(void)errlen;
	if (!c->have_header) {
		c->have_header = 1;
		c->res->header_line = rec->line;
		header(c, rec);
		return (c->oom || c->header_bad ? -1 : 0);
	}
	for (i = 0; i < rec->nfields && empty; i++) {
		trim(rec->fields[i], &n);
		if (n > 0)
			empty = 0;
	}
	if (empty) {
		c->res->nskipped++;
		return (0);
	}
	if (c->nraw == c->capraw) {
		ncap = c->capraw == 0 ? 64 : c->capraw * 2;
		if ((nr = reallocarray(c->raw, ncap, sizeof(*nr))) == NULL) {
			c->oom = 1;
			return (-1);
		}
		c->raw = nr;
		c->capraw = ncap;
	}
	r = &c->raw[c->nraw++];
	memset(r, 0, sizeof(*r));
	r->line = rec->line;
	r->nfields = rec->nfields;
	r->ragged = rec->nfields < c->hfields;
	for (i = c->hfields; i < rec->nfields && !r->ragged; i++) {
		trim(rec->fields[i], &n);
		if (n > 0)
			r->ragged = 1;
	}
	if (r->ragged)
		return (0);
	for (f = 0; f < c->kd->nfields; f++) {
		if ((col = c->fieldcol[f]) < 0)
			continue;
		s = trim(rec->fields[col], &n);
		if ((r->cell[f] = arena_strndup(c->arena, s, n)) == NULL) {
			c->oom = 1;
			return (-1);
		}
	}
	return (0);
}

/*
 * The slash-date format of the whole file.  Only slash dates in date
 * columns count, rows with too few or too many cells excepted:
 * - a date whose first number is above 12 can only be DD/MM/YYYY, one
 *   whose second is above 12 only MM/DD/YYYY;
 * - both kinds in one file: error (the file mixes formats);
 * - one kind: that is the format;
 * - neither, but a date with two different numbers <= 12 ("03/04/2025"):
 *   error, the file is ambiguous;
 * - neither and no such date (no slash dates, or only "05/05/2025"
 *   that read the same both ways): nothing to decide; reported as ISO
 *   when there is no slash date at all, else as US.
 * Returns 0 with c->fmt set, or -1 after adding the error.
 */
static int
detect_datefmt(struct ctx *c)
{
	const struct kind_desc	*kd = c->kd;
	const struct raw_row	*us = NULL, *eu = NULL, *amb = NULL;
	const char		*vus = NULL, *veu = NULL, *vamb = NULL;
	size_t			 fus = 0, feu = 0, famb = 0, i, f;
	struct datecell		 dc;
	char			 q1[QUOTE_LEN], q2[QUOTE_LEN];
	int			 slash = 0;

	for (i = 0; i < c->nraw; i++) {
		if (c->raw[i].ragged)
			continue;
		for (f = 0; f < kd->nfields; f++) {
			if (kd->fields[f].type != IMPORT_DATE ||
			    c->raw[i].cell[f] == NULL ||
			    date_scan(c->raw[i].cell[f], &dc) == -1 ||
			    dc.form != DC_SLASH)
				continue;
			slash = 1;
			if (dc.a > 12 && dc.b <= 12 && eu == NULL) {
				eu = &c->raw[i];
				veu = c->raw[i].cell[f];
				feu = f;
			} else if (dc.b > 12 && dc.a <= 12 && us == NULL) {
				us = &c->raw[i];
				vus = c->raw[i].cell[f];
				fus = f;
			} else if (dc.a <= 12 && dc.b <= 12 && dc.a != dc.b &&
			    amb == NULL) {
				amb = &c->raw[i];
				vamb = c->raw[i].cell[f];
				famb = f;
			}
		}
	}
	if (us != NULL && eu != NULL) {
		if (us->line > eu->line)
			file_error(c, us->line, "%s: date %s is MM/DD/YYYY but "
			    "line %lu has %s, DD/MM/YYYY; give --date-format "
			    "us or eu", kd->fields[fus].name, quote(vus, q1),
			    eu->line, quote(veu, q2));
		else
			file_error(c, eu->line, "%s: date %s is DD/MM/YYYY but "
			    "line %lu has %s, MM/DD/YYYY; give --date-format "
			    "us or eu", kd->fields[feu].name, quote(veu, q1),
			    us->line, quote(vus, q2));
		return (-1);
	}
	if (us != NULL)
		c->fmt = IMPORT_DATE_US;
	else if (eu != NULL)
		c->fmt = IMPORT_DATE_EU;
	else if (amb != NULL) {
		file_error(c, amb->line, "%s: ambiguous date %s: MM/DD/YYYY "
		    "or DD/MM/YYYY, and no date in the file has a number "
		    "above 12; give --date-format us or eu",
		    kd->fields[famb].name, quote(vamb, q1));
		return (-1);
	} else
		c->fmt = slash ? IMPORT_DATE_US : IMPORT_DATE_ISO;
	return (0);
}

/*
 * Cell converters: s is trimmed and not empty; dst points at the field
 * in the row.  Each returns 0, or -1 after adding a reason to b.
 */

static int
no_ctl(const char *s, int allow_nl)
{
	const unsigned char	*p = (const unsigned char *)s;

	for (; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t' && !(allow_nl &&
		    (*p == '\r' || *p == '\n'))) || *p == 0x7f)
			return (-1);
	return (0);
}

static int
conv_text(struct ctx *c, const struct import_field *fd, const char *s,
    void *dst, struct sbuf *b)
{
	char	 q[QUOTE_LEN];
	size_t	 n = strlen(s);

	if (n > IMPORT_TEXT_MAX) {
		sb_reason(b, "%s: too long (%zu bytes, max %d)", fd->name, n,
		    IMPORT_TEXT_MAX);
		return (-1);
	}
	if (no_ctl(s, 1) == -1) {
		sb_reason(b, "%s: control character in %s", fd->name,
		    quote(s, q));
		return (-1);
	}
	(void)c;
	*(const char **)dst = s;	/* the arena copy outlives the row */
	return (0);
}

/*
 * Serials: parse_serial() reads at most SERIAL_RAW - 1 bytes (its own
 * buffer), so longer cells are refused before it; the normalised serial
 * must fit the collector's ITEM_SERIAL_LEN.
 */
#define SERIAL_RAW	128

static int
conv_serial(struct ctx *c, const struct import_field *fd, const char *s,
    void *dst, struct sbuf *b)
{
	char			 out[SERIAL_RAW], q[QUOTE_LEN];
	const unsigned char	*u;
	const char		*p;
	size_t			 n = strlen(s);

	if (n < SERIAL_RAW && parse_serial(s, out, sizeof(out)) == 0) {
		sb_reason(b, "%s: placeholder %s is not a serial number",
		    fd->name, quote(s, q));
		return (-1);
	}
	if (n >= SERIAL_RAW || (n = strlen(out)) >= ITEM_SERIAL_LEN) {
		sb_reason(b, "%s: too long (%zu bytes, max %d)", fd->name, n,
		    ITEM_SERIAL_LEN - 1);
		return (-1);
	}
	for (u = (const unsigned char *)out; *u != '\0'; u++)
		if (*u <= 0x20 || *u >= 0x7f || strchr("*?,;\"'", *u) != NULL) {
			sb_reason(b, "%s: bad character in %s", fd->name,
			    quote(s, q));
			return (-1);
		}
	if ((p = arena_strndup(c->arena, out, n)) == NULL) {
		c->oom = 1;
		return (-1);
	}
	*(const char **)dst = p;
	return (0);
}

/*
 * Milestones of the lifecycle kinds, End of Support excepted, are
 * vendor reference data with known typos (the eol-scanner parts list
 * has "06/31/2009" and "07/31/021"): unless opts.strict, a day past the
 * end of its month is read as the month's last day, and a cell that is
 * no date form at all leaves the milestone empty, each with a warning.
 * End of Support decides UNSUPPORTABLE, and the other kinds' dates
 * decide coverage: those are never guessed at.
 */
static int
lenient(const struct ctx *c, const struct import_field *fd)
{
	return (!c->strict && (c->res->kind == IMPORT_HW_LIFECYCLE ||
	    c->res->kind == IMPORT_SW_LIFECYCLE) &&
	    strcmp(fd->name, "eos") != 0);
}

static int
conv_date(struct ctx *c, const struct import_field *fd, const char *s,
    void *dst, struct sbuf *b)
{
	struct datecell	 dc;
	char		 q[QUOTE_LEN], iso[16];
	long		 day;
	int		 m, d;

	if (date_scan(s, &dc) == -1) {
		if (lenient(c, fd)) {
			add_warning(c, "%s: bad date %s, left empty", fd->name,
			    quote(s, q));
			return (0);
		}
		sb_reason(b, "%s: bad date %s", fd->name, quote(s, q));
		return (-1);
	}
	switch (date_resolve(&dc, c->fmt, &day, &m, &d)) {
	case DW_OK:
		*(long *)dst = day;
		return (0);
	case DW_YEAR:
		sb_reason(b, "%s: year out of range in %s (%d-%d)", fd->name,
		    quote(s, q), YEAR_MIN, YEAR_MAX);
		return (-1);
	case DW_ISO:
		sb_reason(b, "%s: %s is not YYYY-MM-DD (--date-format iso)",
		    fd->name, quote(s, q));
		return (-1);
	case DW_NODAY:
		if (lenient(c, fd) && m >= 1 && m <= 12 && d > mdays(dc.y, m) &&
		    d <= 31) {
			day = days_from_civil(dc.y, m, mdays(dc.y, m));
			import_date_iso(day, iso, sizeof(iso));
			add_warning(c, "%s: no such date %s, read as %s (end "
			    "of month)", fd->name, quote(s, q), iso);
			*(long *)dst = day;
			return (0);
		}
		sb_reason(b, "%s: no such date %s%s", fd->name, quote(s, q),
		    dc.form != DC_SLASH ? "" :
		    c->fmt == IMPORT_DATE_EU ? " (DD/MM/YYYY)" :
		    " (MM/DD/YYYY)");
		return (-1);
	default:	/* detect_datefmt() has ruled these out */
		sb_reason(b, "%s: bad date %s", fd->name, quote(s, q));
		return (-1);
	}
}

static int
conv_int(struct ctx *c, const struct import_field *fd, const char *s,
    void *dst, struct sbuf *b)
{
	const char	*p = s;
	char		 q[QUOTE_LEN];
	int		 v;

	(void)c;
	if (digits(&p, 1, 9, &v) == -1 || *p != '\0') {
		sb_reason(b, "%s: bad number %s", fd->name, quote(s, q));
		return (-1);
	}
	if (v < fd->min || v > fd->max) {
		sb_reason(b, "%s: %s out of range (%ld-%ld)", fd->name,
		    quote(s, q), fd->min, fd->max);
		return (-1);
	}
	*(int *)dst = v;
	return (0);
}

/*
 * Amounts: [$|€|£] digits, with ',' between groups of three if at all,
 * then '.' and one or two decimals if any; a 3-letter currency code may
 * come before or after, separated by one blank, and fills the currency
 * field when that cell is empty (they must agree if not).
 */
static int
conv_money(struct ctx *c, const struct import_field *fd, const char *s,
    void *dst, struct sbuf *b, const char **code)
{
	const char	*p = s, *end = s + strlen(s);
	char		 q[QUOTE_LEN];
	long long	 v = 0;
	int		 ngroup = 0, ndig = 0, dec, i, comma = 0;

	(void)c;
	*code = NULL;
	if (end - p > 4 && isupper((unsigned char)p[0]) &&
	    isupper((unsigned char)p[1]) && isupper((unsigned char)p[2]) &&
	    p[3] == ' ') {
		*code = p;
		p += 4;
	} else if (end - p > 4 && end[-4] == ' ' &&
	    isupper((unsigned char)end[-3]) &&
	    isupper((unsigned char)end[-2]) &&
	    isupper((unsigned char)end[-1])) {
		*code = end - 3;
		end -= 4;
	}
	if (*p == '$')
		p++;
	else if (strncmp(p, "\xe2\x82\xac", 3) == 0)	/* euro sign */
		p += 3;
	else if (strncmp(p, "\xc2\xa3", 2) == 0)	/* pound sign */
		p += 2;
	for (; p < end; p++) {
		if (*p >= '0' && *p <= '9') {
			if (v > MONEY_MAX / 10)
				goto bad;
			v = v * 10 + (*p - '0');
			ngroup++;
			ndig++;
		} else if (*p == ',') {
			if ((comma ? ngroup != 3 : ngroup < 1 || ngroup > 3))
				goto bad;
			comma = 1;
			ngroup = 0;
		} else
			break;
	}
	if (ndig == 0 || (comma && ngroup != 3))
		goto bad;
	dec = 0;
	if (p < end && *p == '.') {
		for (p++; p < end && *p >= '0' && *p <= '9' && dec < 3; p++) {
			v = v * 10 + (*p - '0');
			dec++;
		}
		if (dec == 0 || dec > 2)
			goto bad;
	}
	if (p != end)
		goto bad;
	for (i = dec; i < 2; i++)
		v *= 10;
	if (v > MONEY_MAX)
		goto bad;
	*(long long *)dst = v;
	return (0);
bad:
	sb_reason(b, "%s: bad amount %s", fd->name, quote(s, q));
	return (-1);
}

static int
conv_enum(struct ctx *c, const struct import_field *fd, const char *s,
    void *dst, struct sbuf *b)
{
	struct sbuf	 words;
	char		 q[QUOTE_LEN];
	size_t		 i, j;

	(void)c;
	for (i = 0; fd->values[i].word != NULL; i++) {
		if (key_eq(s, fd->values[i].word))
			goto found;
		for (j = 0; fd->values[i].aliases != NULL &&
		    fd->values[i].aliases[j] != NULL; j++)
			if (key_eq(s, fd->values[i].aliases[j]))
				goto found;
	}
	memset(&words, 0, sizeof(words));
	for (i = 0; fd->values[i].word != NULL; i++)
		sb_add(&words, "%s%s", i > 0 ? ", " : "", fd->values[i].word);
	sb_reason(b, "%s: bad value %s (expected %s)", fd->name, quote(s, q),
	    words.s);
	return (-1);
found:
	*(int *)dst = (int)i;
	return (0);
}

/* One product pattern: printable ASCII, at most IMPORT_PATTERN_MAX - 1. */
static int
pattern_ok(const struct import_field *fd, const char *s, size_t n,
    const char *cell, struct sbuf *b)
{
	char	 q[QUOTE_LEN];
	size_t	 i;

	if (n >= IMPORT_PATTERN_MAX) {
		sb_reason(b, "%s: pattern too long (%zu bytes, max %d)",
		    fd->name, n, IMPORT_PATTERN_MAX - 1);
		return (-1);
	}
	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] >= 0x7f || s[i] == '"') {
			sb_reason(b, "%s: bad character in %s", fd->name,
			    quote(cell, q));
			return (-1);
		}
	return (0);
}

static int
conv_pattern(struct ctx *c, const struct import_field *fd, const char *s,
    void *dst, struct sbuf *b)
{
	char	 q[QUOTE_LEN];

	(void)c;
	if (strpbrk(s, ",;") != NULL) {
		sb_reason(b, "%s: one pattern per row, not %s", fd->name,
		    quote(s, q));
		return (-1);
	}
	if (pattern_ok(fd, s, strlen(s), s, b) == -1)
		return (-1);
	*(const char **)dst = s;
	return (0);
}

static int
conv_patterns(struct ctx *c, const struct import_field *fd, const char *s,
    void *dst, struct sbuf *b)
{
	struct import_list	*l = dst;
	const char		*p, *e, *t;
	char			 q[QUOTE_LEN];
	size_t			 n = 1, tl;

	for (p = s; *p != '\0'; p++)
		if (*p == ';' || *p == ',')
			n++;
	if ((l->v = arena_alloc(c->arena, n * sizeof(*l->v))) == NULL) {
		c->oom = 1;
		return (-1);
	}
	l->n = 0;
	for (p = s;; p = e + 1) {
		e = p + strcspn(p, ";,");
		t = p;
		while (t < e && (*t == ' ' || *t == '\t'))
			t++;
		tl = (size_t)(e - t);
		while (tl > 0 && (t[tl - 1] == ' ' || t[tl - 1] == '\t'))
			tl--;
		if (tl == 0) {
			sb_reason(b, "%s: empty pattern in %s", fd->name,
			    quote(s, q));
			l->n = 0;
			return (-1);
		}
		if (pattern_ok(fd, t, tl, s, b) == -1) {
			l->n = 0;
			return (-1);
		}
		if ((l->v[l->n++] = arena_strndup(c->arena, t, tl)) == NULL) {
			c->oom = 1;
			return (-1);
		}
		if (*e == '\0')
			break;
	}
	return (0);
}

/*
 * A Junos release train as Juniper's Dates & Milestones table spells it
 * (junos_version_train()): M.m or M.mXN; M 1..99, m 0..99, N 1..999, no
 * leading zeros but a lone 0.  A lower-case 'x' is upper-cased.
 */
static int
conv_train(struct ctx *c, const struct import_field *fd, const char *s,
    void *dst, struct sbuf *b)
{
	const char	*p = s;
	char		 q[QUOTE_LEN], *t;
	int		 v, i;

	for (i = 0; i < 3; i++) {
		if (i == 1 && *p++ != '.')
			goto bad;
		if (i == 2) {
			if (*p == '\0')
				break;
			if (*p != 'X' && *p != 'x')
				goto bad;
			p++;
		}
		if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
			goto bad;
		if (digits(&p, 1, i == 2 ? 3 : 2, &v) == -1 ||
		    (i != 1 && v == 0))
			goto bad;
	}
	if (*p != '\0')
		goto bad;
	if ((t = arena_strndup(c->arena, s, strlen(s))) == NULL) {
		c->oom = 1;
		return (-1);
	}
	if ((p = strchr(t, 'x')) != NULL)
		t[p - t] = 'X';
	*(const char **)dst = t;
	return (0);
bad:
	sb_reason(b, "%s: bad release train %s (like 21.4 or 15.1X49)",
	    fd->name, quote(s, q));
	return (-1);
}

/* Set dst to the field's "empty" value. */
static void
set_empty(const struct import_field *fd, void *dst)
{
	switch (fd->type) {
	case IMPORT_DATE:
		*(long *)dst = IMPORT_NO_DATE;
		break;
	case IMPORT_MONEY:
		*(long long *)dst = IMPORT_NO_MONEY;
		break;
	case IMPORT_INT:
		*(int *)dst = IMPORT_NO_INT;
		break;
	case IMPORT_ENUM:
		*(int *)dst = IMPORT_NO_ENUM;
		break;
	case IMPORT_PATTERNS:
		((struct import_list *)dst)->v = NULL;
		((struct import_list *)dst)->n = 0;
		break;
	default:
		*(const char **)dst = NULL;
		break;
	}
}

/*
 * Duplicate keys.  Returns the line key was first seen on, or 0 after
 * remembering it (or on OOM, with c->oom set).
 */
static uint64_t
fold_hash(const char *s)
{
	uint64_t	 h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)tolower((unsigned char)*s);
		h *= 1099511628211ULL;
	}
	return (h);
}

static unsigned long
dup_seen(struct ctx *c, const char *key, unsigned long line)
{
	struct dupset	*d = &c->dups;
	const char	**nk;
	unsigned long	*nl;
	size_t		 i, j, ncap;

	if (d->n * 2 >= d->cap) {
		ncap = d->cap == 0 ? 64 : d->cap * 2;
		if ((nk = calloc(ncap, sizeof(*nk))) == NULL ||
		    (nl = calloc(ncap, sizeof(*nl))) == NULL) {
			free(nk);
			c->oom = 1;
			return (0);
		}
		for (i = 0; i < d->cap; i++) {
			if (d->key[i] == NULL)
				continue;
			for (j = fold_hash(d->key[i]) & (ncap - 1);
			    nk[j] != NULL; j = (j + 1) & (ncap - 1))
				;
			nk[j] = d->key[i];
			nl[j] = d->line[i];
		}
		free(d->key);
		free(d->line);
		d->key = nk;
		d->line = nl;
		d->cap = ncap;
	}
	for (j = fold_hash(key) & (d->cap - 1); d->key[j] != NULL;
	    j = (j + 1) & (d->cap - 1))
		if (strcasecmp(d->key[j], key) == 0)
			return (d->line[j]);
	d->key[j] = key;
	d->line[j] = line;
	d->n++;
	return (0);
}

static void
dups_free(struct dupset *d)
{
	free(d->key);
	free(d->line);
	memset(d, 0, sizeof(*d));
}

/*
 * Cross-field rules, run on a row whose cells all converted.
 */

static void
check_contract(struct ctx *c, const struct import_row *row, struct sbuf *b)
{
	const struct import_contract	*k = &row->u.contract;
	char				 s[16], e[16];

	(void)c;
	if (k->end < k->start) {
		import_date_iso(k->start, s, sizeof(s));
		import_date_iso(k->end, e, sizeof(e));
		sb_reason(b, "end: %s is before start %s", e, s);
	}
}

static void
check_hw(struct ctx *c, const struct import_row *row, struct sbuf *b)
{
	const struct import_hw_lifecycle	*k = &row->u.hw;

	(void)c;
	if (k->announce == IMPORT_NO_DATE && k->last_order == IMPORT_NO_DATE &&
	    k->convert_by == IMPORT_NO_DATE &&
	    k->same_day_end == IMPORT_NO_DATE &&
	    k->next_day_end == IMPORT_NO_DATE && k->sw_end == IMPORT_NO_DATE &&
	    k->eos == IMPORT_NO_DATE)
		sb_reason(b, "no milestone date");
}

static void
check_sw(struct ctx *c, const struct import_row *row, struct sbuf *b)
{
	const struct import_sw_lifecycle	*k = &row->u.sw;
	unsigned long				 prev;

	if (k->first_release == IMPORT_NO_DATE && k->eoe == IMPORT_NO_DATE &&
	    k->eos == IMPORT_NO_DATE)
		sb_reason(b, "no milestone date");
	if ((prev = dup_seen(c, k->train, row->line)) != 0)
		sb_reason(b, "train: %s also on line %lu", k->train, prev);
}

static void
check_warranty(struct ctx *c, const struct import_row *row, struct sbuf *b)
{
	const struct import_warranty	*k = &row->u.warranty;
	char				 q[QUOTE_LEN];
	unsigned long			 prev;

	if ((prev = dup_seen(c, k->pattern, row->line)) != 0)
		sb_reason(b, "pattern: %s also on line %lu", quote(k->pattern,
		    q), prev);
}

/*
 * Check one kept record into row.  Returns 0, or -1 after adding its
 * message (or on OOM).
 */
static int
convert(struct ctx *c, const struct raw_row *r, struct import_row *row)
{
	const struct kind_desc		*kd = c->kd;
	const struct import_field	*fd;
	struct import_contract		*k = &row->u.contract;
	struct sbuf			 b, msg;
	const char			*code = NULL, *s;
	char				 q[QUOTE_LEN];
	void				*dst;
	size_t				 f;
	int				 rc, oneof = 0, oneof_set = 0, bad = 0;

	memset(&b, 0, sizeof(b));
	memset(row, 0, sizeof(*row));
	row->file = c->res->file;
	row->line = c->line = r->line;
	if (r->ragged) {
		sb_reason(&b, "%zu fields, header has %zu", r->nfields,
		    c->hfields);
		goto out;
	}
	for (f = 0; f < kd->nfields; f++) {
		fd = &kd->fields[f];
		dst = (char *)&row->u + fd->offset;
		set_empty(fd, dst);
		s = r->cell[f];
		if (fd->need == IMPORT_ONE_OF) {
			oneof = 1;
			if (s != NULL && *s != '\0')
				oneof_set = 1;
		}
		if (s == NULL || *s == '\0') {
			if (fd->need == IMPORT_REQUIRED) {
				sb_reason(&b, "%s: missing", fd->name);
				bad = 1;
			}
			continue;
		}
		switch (fd->type) {
		case IMPORT_TEXT:
			rc = conv_text(c, fd, s, dst, &b);
			break;
		case IMPORT_SERIAL:
			rc = conv_serial(c, fd, s, dst, &b);
			break;
		case IMPORT_DATE:
			rc = conv_date(c, fd, s, dst, &b);
			break;
		case IMPORT_INT:
			rc = conv_int(c, fd, s, dst, &b);
			break;
		case IMPORT_MONEY:
			rc = conv_money(c, fd, s, dst, &b, &code);
			break;
		case IMPORT_ENUM:
			rc = conv_enum(c, fd, s, dst, &b);
			break;
		case IMPORT_PATTERN:
			rc = conv_pattern(c, fd, s, dst, &b);
			break;
		case IMPORT_PATTERNS:
			rc = conv_patterns(c, fd, s, dst, &b);
			break;
		case IMPORT_TRAIN:
			rc = conv_train(c, fd, s, dst, &b);
			break;
		default:
			rc = -1;
			break;
		}
		if (c->oom)
			return (-1);
		if (rc == -1)
			bad = 1;
	}
	if (oneof && !oneof_set) {
		memset(&msg, 0, sizeof(msg));
		for (f = 0; f < kd->nfields; f++)
			if (kd->fields[f].need == IMPORT_ONE_OF)
				sb_add(&msg, "%s%s", msg.len > 0 ? " or " : "",
				    kd->fields[f].name);
		sb_reason(&b, "%s: missing", msg.s);
		bad = 1;
	}
	/* A currency code in the price cell: the contracts kind only. */
	if (code != NULL && c->res->kind == IMPORT_CONTRACTS) {
		if (k->currency == NULL) {
			if ((k->currency = arena_strndup(c->arena, code,
			    3)) == NULL) {
				c->oom = 1;
				return (-1);
			}
		} else if (strncasecmp(k->currency, code, 3) != 0 ||
		    strlen(k->currency) != 3) {
			sb_reason(&b, "price: currency %.3s differs from "
			    "currency %s", code, quote(k->currency, q));
			bad = 1;
		}
	}
	if (!bad && kd->check != NULL)
		kd->check(c, row, &b);
	if (c->oom)
		return (-1);
out:
	if (b.len == 0)
		return (0);
	memset(&msg, 0, sizeof(msg));
	sb_add(&msg, "%s:%lu: %s", c->res->file, r->line, b.s);
	c->res->nbad++;
	add_error(c, msg.s);
	return (-1);
}

/* After the last record: decide the date format, check every row. */
static void
conclude(struct ctx *c)
{
	struct import_result	*res = c->res;
	size_t			 i;

	if (!c->have_header) {
		file_error(c, 1, "no header line (empty file)");
		return;
	}
	if (c->header_bad)
		return;
	if (c->fmt == IMPORT_DATE_AUTO && detect_datefmt(c) == -1)
		return;
	res->datefmt = c->fmt;
	if (c->nraw == 0)
		return;
	if ((res->rows = calloc(c->nraw, sizeof(*res->rows))) == NULL) {
		c->oom = 1;
		return;
	}
	for (i = 0; i < c->nraw; i++) {
		if (convert(c, &c->raw[i], &res->rows[res->nrows]) == 0)
			res->nrows++;
		if (c->oom)
			return;
	}
}

void
import_init(struct import_result *res)
{
	memset(res, 0, sizeof(*res));
}

void
import_clear(struct import_result *res)
{
	if (res == NULL)
		return;
	free(res->file);
	free(res->rows);
	free(res->errors);
	free(res->warnings);
	free(res->unused);
	arena_free(res->arena);
	memset(res, 0, sizeof(*res));
}

/* Set up c and res for one import; -1 with err filled. */
static int
begin(struct ctx *c, struct import_result *res, enum import_kind kind,
    const char *name, const struct import_opts *opts, char *err,
    size_t errlen)
{
	import_clear(res);
	memset(c, 0, sizeof(*c));
	if ((unsigned)kind >= IMPORT_NKINDS) {
		snprintf(err, errlen, "%s: no such import kind", name);
		return (-1);
	}
	if (opts != NULL && opts->map != NULL && opts->map->n > 0 &&
	    opts->map->kind != kind) {
		snprintf(err, errlen, "--map names %s fields, not %s",
		    kinds[opts->map->kind].name, kinds[kind].name);
		return (-1);
	}
	res->kind = kind;
	if ((res->file = strdup(name)) == NULL ||
	    (res->arena = calloc(1, sizeof(struct arena))) == NULL) {
		snprintf(err, errlen, "%s: out of memory", name);
		import_clear(res);
		return (-1);
	}
	c->res = res;
	c->kd = &kinds[kind];
	c->arena = res->arena;
	c->map = opts != NULL ? opts->map : NULL;
	c->fmt = opts != NULL ? opts->datefmt : IMPORT_DATE_AUTO;
	c->max_errors = opts != NULL && opts->max_errors > 0 ?
	    opts->max_errors : IMPORT_MAX_ERRORS;
	c->strict = opts != NULL && opts->strict;
	return (0);
}

/*
 * Finish: rc is what the csv reader returned, cerr its message.  Either
 * every row stands, or none and the errors explain.
 */
static int
end(struct ctx *c, struct csv_reader *r, int rc, const char *cerr, char *err,
    size_t errlen)
{
	struct import_result	*res = c->res;
	char			 tail[SBUF_LEN];
	size_t			 more;
	int			 syserr = 0;

	if (rc == -1 && !c->oom && !c->header_bad) {
		if (csv_reader_syserr(r)) {
			snprintf(err, errlen, "%s", cerr);
			syserr = 1;
		} else
			add_error(c, cerr);	/* a syntax error */
	} else if (rc == 0)
		conclude(c);
	if (!c->oom && (more = c->nwarnings - res->nwarnings) > 0) {
		snprintf(tail, sizeof(tail), "%s: %zu more warning%s not "
		    "listed", res->file, more, more == 1 ? "" : "s");
		push(c, &res->warnings, &res->nwarnings, &c->capwarnings,
		    tail);
	}
	if (!c->oom && (more = c->nproblems - res->nerrors) > 0) {
		snprintf(tail, sizeof(tail), "%s: %zu more error%s not listed",
		    res->file, more, more == 1 ? "" : "s");
		push(c, &res->errors, &res->nerrors, &c->caperrors, tail);
	}
	free(c->raw);
	dups_free(&c->dups);
	csv_reader_clear(r);
	if (c->oom || syserr) {
		if (c->oom)
			snprintf(err, errlen, "%s: out of memory", res->file);
		import_clear(res);
		return (-1);
	}
	if (c->nproblems == 0)
		return (0);
	free(res->rows);		/* all or nothing */
	res->rows = NULL;
	res->nrows = 0;
	snprintf(err, errlen, "%s: %zu error%s, nothing imported", res->file,
	    c->nproblems, c->nproblems == 1 ? "" : "s");
	return (-1);
}

int
import_read(struct import_result *res, enum import_kind kind,
    const char *name, FILE *fp, const struct import_opts *opts, char *err,
    size_t errlen)
{
	struct ctx		 c;
	struct csv_reader	 r;
	char			 cerr[SBUF_LEN];
	int			 rc;

	if (begin(&c, res, kind, name, opts, err, errlen) == -1)
		return (-1);
	csv_reader_init(&r, res->file, opts != NULL ? &opts->limits : NULL,
	    on_record, &c);
	cerr[0] = '\0';
	rc = csv_reader_read(&r, fp, cerr, sizeof(cerr));
	return (end(&c, &r, rc, cerr, err, errlen));
}

int
import_mem(struct import_result *res, enum import_kind kind,
    const char *name, const void *buf, size_t len,
    const struct import_opts *opts, char *err, size_t errlen)
{
	struct ctx		 c;
	struct csv_reader	 r;
	char			 cerr[SBUF_LEN];
	int			 rc;

	if (begin(&c, res, kind, name, opts, err, errlen) == -1)
		return (-1);
	csv_reader_init(&r, res->file, opts != NULL ? &opts->limits : NULL,
	    on_record, &c);
	cerr[0] = '\0';
	rc = csv_reader_feed(&r, buf, len, cerr, sizeof(cerr));
	if (rc == 0)
		rc = csv_reader_finish(&r, cerr, sizeof(cerr));
	return (end(&c, &r, rc, cerr, err, errlen));
}

int
import_file(struct import_result *res, enum import_kind kind,
    const char *path, const struct import_opts *opts, char *err,
    size_t errlen)
{
	FILE	*fp;
	int	 rc;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		import_clear(res);
		return (-1);
	}
	rc = import_read(res, kind, path, fp, opts, err, errlen);
	fclose(fp);
	return (rc);
}
