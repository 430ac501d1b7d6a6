# ibagent: one non-recursive GNU Makefile.
#   make            build ./ibagent
#   make check      unit tests (cmocka) + integration tests on loopback
#   make sanitize   the same suite built with ASan + UBSan
#   make deps       install the Debian packages needed to build and test
#   make bench      benchmarks (not part of check)

CC	?= cc
CFLAGS	?= -O2 -g
BUILD	?= build

SNMP_CFLAGS	:= $(shell net-snmp-config --base-cflags 2>/dev/null | tr ' ' '\n' | grep -E '^-(I|D)' | grep -v perl | tr '\n' ' ')
SNMP_LIBS	:= $(shell net-snmp-config --netsnmp-libs 2>/dev/null)
PKG_CFLAGS	:= $(shell pkg-config --cflags sqlite3 libxml-2.0 libssh inih 2>/dev/null)
PKG_LIBS	:= $(shell pkg-config --libs sqlite3 libxml-2.0 libssh inih 2>/dev/null)
CMOCKA_LIBS	:= $(shell pkg-config --libs cmocka 2>/dev/null)

WARN	:= -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	   -Wmissing-declarations -Wshadow -Wpointer-arith -Wsign-compare \
	   -Wformat=2 -Wno-format-nonliteral
STD	:= -std=c11 -D_GNU_SOURCE
FINAL_CFLAGS	= $(STD) $(WARN) $(SNMP_CFLAGS) $(PKG_CFLAGS) -I. $(CFLAGS) $(EXTRA_CFLAGS)
FINAL_LDFLAGS	= $(LDFLAGS) $(EXTRA_LDFLAGS)
LIBS		= $(SNMP_LIBS) $(PKG_LIBS) -lm

LIB_SRCS	:= $(filter-out agent/main.c,$(wildcard agent/*.c)) \
		   $(wildcard collector/*.c) $(wildcard db/*.c) \
		   $(wildcard entitlement/*.c)
LIB_OBJS	:= $(LIB_SRCS:%.c=$(BUILD)/%.o)
TEST_SRCS	:= $(wildcard tests/test_*.c)
TEST_BINS	:= $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TOOL_SRCS	:= $(wildcard tests/tools/*.c)
TOOL_BINS	:= $(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tools/%)
# The SNMP fleet simulator (sim/README.md): $(BUILD)/ibsim.
SIM_SRCS	:= $(wildcard sim/ibsim.c sim/fleet.c sim/server.c sim/pdu.c sim/usm.c)
SIM_OBJS	:= $(SIM_SRCS:%.c=$(BUILD)/%.o)
SIM_BIN		:= $(BUILD)/ibsim
SIM_LIBS	?= -lcrypto
# Its NETCONF responder, sshd's "netconf" subsystem: $(BUILD)/ibsim-netconf.
SIMNC_BIN	:= $(BUILD)/ibsim-netconf

# V=1 shows full compiler command lines.
ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: valgrind demo all check unit integration sanitize clean deps bench bench-coverage bench-report bench-snmp bench-latency lint
BIN	?= ibagent
BENCH_DEVICES ?= 1000

all: $(BIN) $(SIM_BIN) $(SIMNC_BIN)

$(BIN): $(BUILD)/agent/main.o $(BUILD)/libib.a
	@echo "  LD      $@"
	$(Q)$(CC) $(FINAL_CFLAGS) $(FINAL_LDFLAGS) -o $@ $^ $(LIBS)

# ibsim needs only the snmprec reader of the collector.
$(SIM_BIN): $(SIM_OBJS) $(BUILD)/collector/vb.o
	@echo "  LD      $@"
	$(Q)$(CC) $(FINAL_CFLAGS) $(FINAL_LDFLAGS) -o $@ $^ $(SIM_LIBS)

# ibsim-netconf renders replies from the collector's parse of the walk.
$(SIMNC_BIN): $(BUILD)/sim/ncserve.o $(BUILD)/sim/fleet.o $(BUILD)/libib.a
	@echo "  LD      $@"
	$(Q)$(CC) $(FINAL_CFLAGS) $(FINAL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libib.a: $(LIB_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(FINAL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(BUILD)/libib.a
	@mkdir -p $(dir $@)
	@echo "  TEST    $@"
	$(Q)$(CC) $(FINAL_CFLAGS) -DAGENT_TEST -MMD -MP $(FINAL_LDFLAGS) -o $@ $< $(BUILD)/libib.a $(LIBS) $(CMOCKA_LIBS)

# test_usm includes sim/usm.c, which uses OpenSSL's libcrypto.
$(BUILD)/tests/test_usm: LIBS += -lcrypto

$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/libib.a
	@mkdir -p $(dir $@)
	@echo "  TOOL    $@"
	$(Q)$(CC) $(FINAL_CFLAGS) -MMD -MP $(FINAL_LDFLAGS) -o $@ $< $(BUILD)/libib.a $(LIBS)

# The README's test command.  Unit tests first, then integration tests
# that start real agents on 127.0.0.1; tests/run prints the totals.
check: $(BIN) $(SIM_BIN) $(SIMNC_BIN) $(TEST_BINS) $(TOOL_BINS)
	@BUILD=$(BUILD) IBAGENT=$(abspath $(BIN)) tests/run

unit: $(TEST_BINS)
	@BUILD=$(BUILD) tests/run unit

sanitize:
	$(MAKE) BUILD=build-san BIN=build-san/ibagent EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" check

# The README's first command: a small simulated fleet on loopback, scanned.
demo: ibagent $(SIM_BIN)
	@IBSIM=$(abspath $(SIM_BIN)) sh sim/demo.sh

# The suite's unit programs and a demo scan under valgrind.
valgrind: $(BIN) $(SIM_BIN) $(TEST_BINS)
	@BUILD=$(BUILD) sh tests/valgrind.sh

# Benchmarks (not part of check): every figure of issues 4-6 with its
# peers and targets, one after the other (they would measure each other),
# then the lines that say MET or MISSED again as a summary.
BENCHES	:= bench-snmp bench-netconf bench-latency bench-coverage bench-report
bench: $(BIN) $(SIM_BIN) $(SIMNC_BIN) $(BUILD)/tools/ncprobe
	@mkdir -p $(BUILD); : >$(BUILD)/bench.log; \
	for t in $(BENCHES); do \
		echo "== make $$t" | tee -a $(BUILD)/bench.log; \
		{ $(MAKE) --no-print-directory $$t || \
		    echo "bench: make $$t FAILED"; } 2>&1 | tee -a $(BUILD)/bench.log; \
	done; \
	echo "== summary (all figures in $(BUILD)/bench.log)"; \
	grep -E '^== make|MET|MISSED|FAILED|^met:' $(BUILD)/bench.log; \
	! grep -q '^bench: make .* FAILED' $(BUILD)/bench.log

# SNMP on the simulated fleet: CPU per device against net-snmp's tools and
# easysnmp; latency hiding behind 100 ms RTT in a network namespace (root).
BENCH_LATENCY_DEVICES ?= 10000
BENCH_INFLIGHT ?= 2048
bench-snmp: $(BIN) $(SIM_BIN)
	@BUILD=$(BUILD) IBAGENT=$(abspath $(BIN)) IBSIM=$(abspath $(SIM_BIN)) \
	    sh bench/snmp_cpu.sh $(BENCH_DEVICES)

bench-latency: $(BIN) $(SIM_BIN)
	@BUILD=$(BUILD) IBAGENT=$(abspath $(BIN)) IBSIM=$(abspath $(SIM_BIN)) \
	    sh bench/latency.sh $(BENCH_LATENCY_DEVICES) $(BENCH_INFLIGHT)

# NETCONF on the simulated fleet: ibagent's CPU per session and sessions/s
# against OpenSSH's ssh -s netconf and PyEZ; the sequential session time.
BENCH_NC_DEVICES ?= 200
.PHONY: bench-netconf
bench-netconf: $(BIN) $(SIMNC_BIN) $(BUILD)/tools/ncprobe
	@BUILD=$(BUILD) IBAGENT=$(abspath $(BIN)) IBSIM_NETCONF=$(abspath $(SIMNC_BIN)) \
	    NCPROBE=$(abspath $(BUILD)/tools/ncprobe) sh bench/netconf.sh $(BENCH_NC_DEVICES)

# Coverage over a synthetic 1M-item install base (and 100k, for the RSS ratio).
BENCH_ITEMS ?= 1000000
bench-coverage: $(BIN)
	@IBAGENT=$(abspath $(BIN)) sh bench/coverage_scale.sh $(BENCH_ITEMS)

# report coverage --format csv over the same synthetic install base.
bench-report: $(BIN)
	@IBAGENT=$(abspath $(BIN)) sh bench/report_scale.sh $(BENCH_ITEMS)

deps:
	sh .ci/deps

# Banned: unbounded string functions and atoi (curl checksrc).
lint:
	@if grep -nE '(^|[^_a-z])(sprintf|strcpy|strcat|atoi|gets)[[:space:]]*\(' $(LIB_SRCS) agent/main.c; then \
		echo "lint: banned function"; exit 1; fi

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, ibagent(8),
# ibagent.conf(5), the systemd units (ExecStart pointed at BINDIR) and the
# example configuration.  Nothing under /etc is written: copy the example.
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DOCDIR	?= $(PREFIX)/share/doc/ibagent
UNITDIR	?= $(PREFIX)/lib/systemd/system
UNITS	:= ibagent.service ibagent.timer ibagent-scan.service
INSTALL	?= install

.PHONY: install uninstall
install: $(BIN)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR)/examples
	$(INSTALL) -m 755 $(BIN) $(DESTDIR)$(BINDIR)/ibagent
	$(INSTALL) -m 644 docs/man/ibagent.8 $(DESTDIR)$(MANDIR)/man8/ibagent.8
	$(INSTALL) -m 644 docs/man/ibagent.conf.5 $(DESTDIR)$(MANDIR)/man5/ibagent.conf.5
	for u in $(UNITS); do \
		sed 's|/usr/local/bin/ibagent|$(BINDIR)/ibagent|g' examples/systemd/$$u \
		    >$(DESTDIR)$(UNITDIR)/$$u && chmod 644 $(DESTDIR)$(UNITDIR)/$$u || exit 1; \
	done
	$(INSTALL) -m 644 examples/ibagent.conf $(DESTDIR)$(DOCDIR)/examples/ibagent.conf

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ibagent $(DESTDIR)$(MANDIR)/man8/ibagent.8 \
	    $(DESTDIR)$(MANDIR)/man5/ibagent.conf.5 \
	    $(addprefix $(DESTDIR)$(UNITDIR)/,$(UNITS)) \
	    $(DESTDIR)$(DOCDIR)/examples/ibagent.conf
	-rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null

clean:
	rm -rf build build-san ibagent

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
