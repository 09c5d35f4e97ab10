# pcifs - PCI devices as files (FUSE), with a userspace e1000 driver.
#
#   make            build ./pcifs
#   make mount      install missing Debian packages, build, mount at $(MNT)
#   make check      install missing Debian packages, build, run every test
#   make asan       build ./pcifs-asan (AddressSanitizer + UBSan)
#   make bench      benchmarks in a TCG guest (QUICK=1 for the short run)
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
OBJS    := $(SRCS:%.c=build/%.o)
ASAN_OBJS := $(SRCS:%.c=build-asan/%.o)
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all deps mount umount check test test-asan asan bench demo install \
	format lint clean
all: pcifs

pcifs: $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

pcifs-asan: $(ASAN_OBJS)
	$(CC) $(LDFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

build-asan/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SAN) -c -o $@ $<

asan: pcifs-asan

# Debian packages for building, running and testing; installed only if missing.
DEB_BUILD := build-essential pkg-config libfuse3-dev fuse3 libpci-dev pciutils
DEB_TEST  := bats bats-assert bats-support qemu-system-x86 busybox-static xxd \
	     bsdextrautils \
	     cpio kmod iputils-ping gnuplot-nox strace
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

check: deps-test pcifs pcifs-asan
	tests/run-all.sh

test: pcifs
	bats tests/

bench: deps-test pcifs
	tests/bench/run.sh $(if $(QUICK),--quick)

demo: deps-test pcifs
	tests/vm/demo.sh

install: pcifs
	install -D -m 0755 pcifs $(DESTDIR)$(PREFIX)/bin/pcifs
	install -D -m 0644 man/pcifs.1 $(DESTDIR)$(PREFIX)/share/man/man1/pcifs.1
	install -D -m 0644 fs/pcifs_ioctl.h $(DESTDIR)$(PREFIX)/include/pcifs_ioctl.h

# The test and benchmark tools are C too, held to the same style.
TOOL_SRCS := $(wildcard tests/tools/*.c tests/bench/*.c tests/bench/*.h tests/vm/*.c)

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
	rm -rf build build-asan pcifs pcifs-asan
