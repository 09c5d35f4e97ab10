# SPDX-License-Identifier: GPL-2.0-or-later
# pcifs - PCI devices as files (FUSE), with a userspace e1000 driver.
#
#   make            build ./pcifs and ./pcifs-tap
#   make mount      install missing Debian packages, build, mount at $(MNT)
#   make check      install missing Debian packages, build, run every test
#   make asan       build ./pcifs-asan (AddressSanitizer + UBSan)
#   make unit       unit tests of the pure parsers (cmocka)
#   make fuzz       fuzz each parser for FUZZ_SECONDS (libFuzzer, clang)
#   make bench      benchmarks in a TCG guest, then with a nested VM (QUICK=1: short runs)
#   make demo       boot a guest with an e1000 and pcifs mounted inside it
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
MNT     ?= /mnt/pcifs
VERSION := 0.1.0
PKGS    := fuse3 libpci

CC      ?= cc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -D_FILE_OFFSET_BITS=64 \
	   -DPCIFS_VERSION='"$(VERSION)"' -I. \
	   $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread

SRCS    := $(wildcard pci/*.c fs/*.c e1000/*.c)
HDRS    := $(wildcard pci/*.h fs/*.h e1000/*.h)
# pcifs-tap (fs/tap.c, man pcifs-tap) is a program of its own: a TAP
# interface on a driven NIC's txbatch/rxbatch, for a guest on a 9p mount.
TAP_SRCS := fs/tap.c fs/record.c fs/ethaddr.c
OBJS    := $(patsubst %.c,build/%.o,$(filter-out fs/tap.c,$(SRCS)))
ASAN_OBJS := $(patsubst %.c,build-asan/%.o,$(filter-out fs/tap.c,$(SRCS)))
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all build-deps deps mount umount check test test-asan asan bench demo install \
	format lint clean unit fuzz
all: pcifs pcifs-tap

pcifs: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

pcifs-tap: $(TAP_SRCS:%.c=build/%.o)
	$(CC) $(LDFLAGS) -o $@ $^

# On a fresh machine the headers are missing: say what to run instead of
# failing on "fuse.h: No such file or directory".
build-deps:
	@pkg-config --exists $(PKGS) 2>/dev/null || { \
	echo "pcifs: building needs libfuse3-dev, libpci-dev and pkg-config (Debian packages)."; \
	echo "pcifs: run 'make deps' to install them, or 'make mount', which installs them and mounts."; \
	exit 1; } >&2

build/%.o: %.c $(HDRS) | build-deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

pcifs-asan: $(ASAN_OBJS)
	$(CC) $(LDFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

build-asan/%.o: %.c $(HDRS) | build-deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SAN) -c -o $@ $<

asan: pcifs-asan

# Unit tests of the pure parsers (tests/unit/, cmocka), built with the
# sanitizers so that a read past a buffer fails the test.  They read the
# config dumps of a fixture tree built under build-unit/.
UNIT_BINS := $(patsubst tests/unit/%.c,build-unit/%,$(wildcard tests/unit/test_*.c))
UNIT_LIB  := tests/unit/fixture.c tests/unit/stub_log.c tests/unit/frames.c
PURE_SRCS := fs/regval.c fs/regnames.c fs/record.c fs/ethaddr.c fs/pcap.c fs/netframe.c
UNIT_LIBS := -lcmocka
# libpcap judges the pcap format: it reads what pcifs writes and writes what
# pcifs must read.  Only this test links it; pcifs itself does not.
build-unit/test_pcap: UNIT_LIBS += -lpcap

build-unit/test_%: tests/unit/test_%.c tests/unit/unit.h $(UNIT_LIB) $(PURE_SRCS) fs/bdf.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SAN) -o $@ $< $(UNIT_LIB) $(PURE_SRCS) $(UNIT_LIBS)

unit: $(UNIT_BINS)
	@rm -rf build-unit/fixtures
	@tests/fixtures/make-fixtures.sh build-unit/fixtures
	@PCIFS_FIXTURES=build-unit/fixtures tests/unit/run.sh $(UNIT_BINS)

# Fuzzers of the same parsers (tests/fuzz/): libFuzzer with Debian's clang,
# ASan and UBSan.  make fuzz runs each for FUZZ_SECONDS from its committed
# seed corpus (tests/fuzz/corpus/NAME/) and fails on any finding.
FUZZ_SECONDS ?= 60
FUZZ_BINS   := $(patsubst tests/fuzz/%.c,build-fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_LIB    := tests/fuzz/fuzz.c tests/unit/stub_log.c
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -I. \
	       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_LIB) $(PURE_SRCS) fs/bdf.c $(HDRS)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_LIB) $(PURE_SRCS)

fuzz: $(FUZZ_BINS)
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

# Debian packages for building, running and testing; installed only if missing.
# diod (tests/9p-diod.bats runs its own) installs with its service disabled
# (DIOD_ENABLE=false in /etc/default/diod).
DEB_BUILD := build-essential pkg-config libfuse3-dev fuse3 libpci-dev pciutils
DEB_TEST  := bats bats-assert bats-support qemu-system-x86 busybox-static xxd \
	     bsdextrautils libcmocka-dev libpcap-dev tcpdump clang libclang-rt-dev \
	     cpio kmod iputils-ping gnuplot-nox strace diod
deps:
	@tests/deps.sh $(DEB_BUILD)

deps-test:
	@tests/deps.sh $(DEB_BUILD) $(DEB_TEST)

mount: deps pcifs
	@mkdir -p $(MNT)
	@if mountpoint -q $(MNT); then echo "pcifs: $(MNT) is already mounted; unmount with: fusermount3 -u $(MNT)"; \
	else ./pcifs $(MNT) && echo "pcifs: mounted at $(MNT); try: ls $(MNT); unmount with: fusermount3 -u $(MNT)"; fi

umount:
	fusermount3 -u $(MNT)

check: deps-test pcifs pcifs-tap pcifs-asan
	tests/run-all.sh

test: pcifs pcifs-tap
	bats tests/

bench: deps-test pcifs pcifs-tap
	tests/bench/run.sh $(if $(QUICK),--quick)
	tests/bench/vm-bypass.sh $(if $(QUICK),--quick)

demo: deps-test pcifs
	tests/vm/demo.sh

install: pcifs pcifs-tap
	install -D -m 0755 pcifs $(DESTDIR)$(PREFIX)/bin/pcifs
	install -D -m 0755 pcifs-tap $(DESTDIR)$(PREFIX)/bin/pcifs-tap
	install -D -m 0644 man/pcifs.1 $(DESTDIR)$(PREFIX)/share/man/man1/pcifs.1
	install -D -m 0644 man/pcifs-tap.1 $(DESTDIR)$(PREFIX)/share/man/man1/pcifs-tap.1
	install -D -m 0644 fs/pcifs_ioctl.h $(DESTDIR)$(PREFIX)/include/pcifs_ioctl.h

# The test and benchmark tools are C too, held to the same style.
TOOL_SRCS := $(wildcard tests/tools/*.c tests/bench/*.c tests/bench/*.h tests/vm/*.c \
	       tests/unit/*.c tests/unit/*.h tests/fuzz/*.c tests/fuzz/*.h)

format:
	clang-format -i $(SRCS) $(HDRS) $(TOOL_SRCS)

lint:
	clang-format --dry-run --Werror $(SRCS) $(HDRS) $(TOOL_SRCS)
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
		--inline-suppr --suppressions-list=.cppcheck-suppress -I. $(SRCS)
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability \
		--inline-suppr --suppressions-list=.cppcheck-suppress -I. -Itests/bench \
		$(filter %.c,$(TOOL_SRCS))

clean:
	rm -rf build build-asan build-unit build-fuzz pcifs pcifs-tap pcifs-asan
