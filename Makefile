# libauthy — build, demo, test and install.
#   make demo      the whole 2FA flow in C against a local authy-sandbox (KEEP=1: keep it up
#                  afterwards, with its browser UI, until Ctrl-C)
#   make screenshots  regenerate docs/ui-*.png, the sandbox UI in headless Chromium
#   make test      every test (fmt, clippy, Rust, C under valgrind, fork, load, C++, Go, Ruby,
#                  conformance, install, Debian packages)
#   make bench     benchmarks against the peers and issue 14's targets (BENCHMARKS.md; knobs:
#                  BENCH_PARTS, SKIP_LTO, SKIP_CALLGRIND... see bench/run.sh)
#   make mutants   mutation testing of the security core (cargo-mutants; slow)
#   make header    refresh include/authy.h from the sources
#   make install   PREFIX=/usr/local LIBDIR=$(PREFIX)/lib INCLUDEDIR=$(PREFIX)/include DESTDIR=
PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR     ?= $(PREFIX)/bin
DESTDIR    ?=
CARGO      ?= cargo
TARGET_DIR ?= $(shell $(CARGO) metadata --format-version 1 --no-deps 2>/dev/null | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
RELEASE    := $(TARGET_DIR)/release
VERSION    := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
SOVERSION  := 0
# Headers `make install` puts in $(INCLUDEDIR): the C API and the header-only C++17 wrapper.
HEADERS    := include/authy.h include/authy.hpp
# The strip program of `make install-strip` (cross builds: STRIP=aarch64-linux-gnu-strip).
STRIP      ?= strip

.PHONY: all build header demo screenshots test bench mutants install install-strip uninstall clean

all: build

# After the build the tree is usable as it is: programs linked with -lauthy against
# $(RELEASE) look for the SONAME libauthy.so.$(SOVERSION) at run time, so it is linked too.
build:
	$(CARGO) build --release --workspace
	ln -sf libauthy.so $(RELEASE)/libauthy.so.$(SOVERSION)

# Refreshes the checked-in include/authy.h from the sources (builds never write the source
# tree; the test suite fails while the committed header is stale).
header:
	AUTHY_WRITE_HEADER=1 $(CARGO) build --release -p authy

demo:
	KEEP=$(KEEP) ./scripts/demo.sh

# The sandbox UI's screenshots in docs/ (README), from a scripted flow in headless Chromium.
screenshots:
	./tests/ui/run.sh --screenshots

# Benchmarks against the peers and the targets of issue 14, in one run; results in BENCHMARKS.md
# (not part of make test). The environment knobs of bench/run.sh pass through.
bench:
	./bench/run.sh

# Mutation testing of the security core with cargo-mutants (slow: not part of make test).
mutants:
	./scripts/mutants.sh

test:
	./scripts/test.sh

install: build
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(BINDIR)
	install -m 0755 $(RELEASE)/libauthy.so $(DESTDIR)$(LIBDIR)/libauthy.so.$(VERSION)
	ln -sf libauthy.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libauthy.so.$(SOVERSION)
	ln -sf libauthy.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libauthy.so
	install -m 0644 $(RELEASE)/libauthy.a $(DESTDIR)$(LIBDIR)/libauthy.a
	install -m 0644 $(HEADERS) $(DESTDIR)$(INCLUDEDIR)/
	install -m 0755 $(RELEASE)/authy-sandbox $(DESTDIR)$(BINDIR)/authy-sandbox
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    authy.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/authy.pc
	@echo "installed libauthy $(VERSION) under $(DESTDIR)$(PREFIX); run ldconfig if $(LIBDIR) is a system directory"

# `make install`, then strip what it installed (the release build keeps line-table debug info):
# the .so keeps only the symbols it exports, the .a and the sandbox lose their debug sections.
install-strip: install
	$(STRIP) --strip-unneeded $(DESTDIR)$(LIBDIR)/libauthy.so.$(VERSION)
	$(STRIP) --strip-debug $(DESTDIR)$(LIBDIR)/libauthy.a
	$(STRIP) $(DESTDIR)$(BINDIR)/authy-sandbox

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libauthy.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libauthy.so.$(SOVERSION) \
	      $(DESTDIR)$(LIBDIR)/libauthy.so $(DESTDIR)$(LIBDIR)/libauthy.a \
	      $(DESTDIR)$(LIBDIR)/pkgconfig/authy.pc $(DESTDIR)$(INCLUDEDIR)/authy.h \
	      $(DESTDIR)$(INCLUDEDIR)/authy.hpp $(DESTDIR)$(BINDIR)/authy-sandbox

clean:
	$(CARGO) clean
