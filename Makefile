# hacgi: OpenStack-compatible HA control APIs as small CGI programs.
PREFIX  ?= /usr/local
CGIDIR  ?= $(PREFIX)/lib/hacgi/cgi-bin
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= /var/lib/hacgi
SHAREDIR ?= $(PREFIX)/share/hacgi
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c99 -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes \
	   -Wwrite-strings -Wshadow -Wformat=2 -Wno-format-nonliteral $(WERROR)
# DATA_DIR's compiled-in default is the install's data directory;
# HACGI_MANAGE's (the Keystone validator, SPEC 2.2.1) the installed
# hacgi-manage.  third_party/ holds cJSON (<cjson/cJSON.h>;
# third_party/cjson/README).
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ilib -Ithird_party \
	    -DDATA_DIR_DEFAULT='"$(DATADIR)"' \
	    -DMANAGE_DEFAULT='"$(BINDIR)/hacgi-manage"'
# libsodium for SHA-256 and constant-time compares: unlike libcrypto it
# needs no initialisation, which would cost each request more than the
# request itself.
PKG_CFLAGS != pkg-config --cflags libsodium 2>/dev/null || true
# Each request is a new process, and the dynamic linker (mapping, symbol
# resolution, relocations) cost more than the request's own work: the
# CGI programs are static PIEs, cJSON compiled in (Debian ships no
# static libcjson).  A PIE keeps ASLR for the program's own code, at the
# price of its relative relocations at start (~1,700; packed as RELR,
# 17k instructions of a 107k-instruction show: -static would save those
# and lose ASLR).  CGI_STATIC= links them dynamically, as
# cgi-bin/dynamic/ always is: what works through the dynamic linker
# (libfiu's LD_PRELOAD in the fault and crash suites, valgrind's leak
# check, the sanitizers) uses those.  hacgi-manage stays dynamic (its
# getpwuid() needs NSS).
CGI_STATIC ?= -static-pie -Wl,-z,pack-relative-relocs
# libfcgi (libfcgi-dev): the FastCGI responder mode (lib/http/fcgi.c),
# linked statically into every program, which picks its mode at start.
PKG_LIBS   = -Wl,-Bstatic -luuid -lsodium -lfcgi -Wl,-Bdynamic -pthread
CGI_SYSLIBS = $(if $(CGI_STATIC),-luuid -lsodium -lfcgi -pthread,$(PKG_LIBS))
# libcurl (Keystone, SPEC 2.2.1) only in hacgi-manage, dynamically: the
# programs never link it (they run `hacgi-manage keystone validate`).
CURL_CFLAGS != pkg-config --cflags libcurl 2>/dev/null || true
CURL_LIBS  != pkg-config --libs libcurl 2>/dev/null || echo -lcurl

# lib/ is layered, one archive per folder (HACKING.md): base <- http <-
# ha, vol; admin (hacgi-manage only) on top.  A static link resolves
# left to right, so the upper layers come first.
LIB_HDRS = $(wildcard lib/*/*.h)
CJSON_HDR  = third_party/cjson/cJSON.h
CJSON_OBJ  = third_party/cjson/cJSON.o
BASE_OBJS  = $(patsubst %.c,%.o,$(wildcard lib/base/*.c)) $(CJSON_OBJ)
HTTP_OBJS  = $(patsubst %.c,%.o,$(wildcard lib/http/*.c))
HA_OBJS    = $(patsubst %.c,%.o,$(wildcard lib/ha/*.c))
VOL_OBJS   = $(patsubst %.c,%.o,$(wildcard lib/vol/*.c))
ADMIN_OBJS = $(patsubst %.c,%.o,$(wildcard lib/admin/*.c))
LIBBASE  = lib/base/libbase.a
LIBHTTP  = lib/http/libhttp.a
LIBHA    = lib/ha/libha.a
LIBVOL   = lib/vol/libvol.a
LIBADMIN = lib/admin/libadmin.a
LIBS     = $(LIBBASE) $(LIBHTTP) $(LIBHA) $(LIBVOL) $(LIBADMIN)
CGI_LIBS = $(LIBHA) $(LIBVOL) $(LIBHTTP) $(LIBBASE)
CGI_SRCS = $(wildcard cgi-bin/*.c)
CGIS     = $(CGI_SRCS:.c=)
CGI_DYN  = $(CGI_SRCS:cgi-bin/%.c=cgi-bin/dynamic/%)
MANAGE   = bin/hacgi-manage
BINS     = $(CGIS) $(MANAGE)
LAYERS   = lib/.layers.ok
# What the objects and programs were built with: a new CFLAGS, WERROR or
# DATADIR rebuilds them (make check builds with -Werror, make install
# DATADIR=... changes the compiled-in default).
FLAGS    = lib/.flags
BUILD_FLAGS = $(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) \
	      $(PKG_LIBS) $(CGI_STATIC) $(CURL_LIBS)

all: $(LAYERS) $(BINS) $(CGI_DYN) data-modes

# git checks data/ out 0755 and its .gitkeep 0644: make run's default
# data directory gets the modes fsck wants (if it is ours).
data-modes:
	@chmod 0700 data 2>/dev/null; chmod 0600 data/.gitkeep 2>/dev/null; true

$(FLAGS): FORCE
	@printf '%s\n' "$$BUILD_FLAGS" | cmp -s - $@ || \
	    printf '%s\n' "$$BUILD_FLAGS" > $@
$(FLAGS): export BUILD_FLAGS := $(BUILD_FLAGS)

# tools/layers.sh: a forbidden include or an include circle (HACKING.md,
# "Layers") fails the build before any archive is made.
$(LAYERS): tools/layers.sh $(LIB_HDRS) $(wildcard lib/*/*.c) $(CGI_SRCS) \
	    $(wildcard bin/*.c tests/unit/*.[ch] tests/fuzz/*.[ch])
	sh tools/layers.sh
	touch $@

$(LIBBASE): $(BASE_OBJS)
$(LIBHTTP): $(HTTP_OBJS)
$(LIBHA): $(HA_OBJS)
$(LIBVOL): $(VOL_OBJS)
$(LIBADMIN): $(ADMIN_OBJS)
$(LIBS): | $(LAYERS)
	rm -f $@
	ar rcs $@ $^

lib/%.o: lib/%.c $(LIB_HDRS) $(CJSON_HDR) $(FLAGS)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) -c -o $@ $<

# Not our code: compiled as it is, without our warnings.
$(CJSON_OBJ): third_party/cjson/cJSON.c $(CJSON_HDR) $(FLAGS)
	$(CC) $(CFLAGS) -c -o $@ third_party/cjson/cJSON.c

lib/admin/%.o: lib/admin/%.c $(LIB_HDRS) $(CJSON_HDR) $(FLAGS)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CURL_CFLAGS) $(CFLAGS) $(WARN) -c \
	    -o $@ $<

cgi-bin/%: cgi-bin/%.c $(CGI_LIBS) $(LIB_HDRS) $(FLAGS)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) \
	    $(CGI_STATIC) -o $@ $< $(CGI_LIBS) $(CGI_SYSLIBS)

cgi-bin/dynamic/%: cgi-bin/%.c $(CGI_LIBS) $(LIB_HDRS) $(FLAGS)
	@mkdir -p cgi-bin/dynamic
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< \
	    $(CGI_LIBS) $(PKG_LIBS)

bin/hacgi-manage: bin/hacgi-manage.c $(LIBADMIN) $(CGI_LIBS) $(LIB_HDRS) \
	    $(FLAGS)
	$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) $(WARN) $(LDFLAGS) -o $@ $< \
	    $(LIBADMIN) $(CGI_LIBS) $(PKG_LIBS) $(CURL_LIBS)

deps:
	sh tools/deps.sh

# make test: install what is missing, build with warnings fatal, run every
# suite; the last line printed is "N passed, N failed".
# The suites run make themselves (make install, make run): WERROR in their
# environment keeps the flags of this build, so that they rebuild nothing
# while other suites run the programs.
test: deps
	$(MAKE) clean
	$(MAKE) WERROR=-Werror all
	WERROR=-Werror bash tests/run.sh

# make check: the quick loop, nothing installed or cleaned: the build
# with warnings fatal, the unit tests, the direct-exec suite and the
# layer check.
check:
	$(MAKE) WERROR=-Werror all
	WERROR=-Werror sh tests/unit/run.sh
	WERROR=-Werror bats tests/direct_exec.bats tests/layers.bats

# make lint: the include layers, cppcheck, shellcheck, 80 columns.
# cppcheck: variableScope is suppressed because STYLE declares variables
# at the top of a function; cJSON.h is included for its iteration macro.
# shellcheck: warnings and errors; its info and style notes are advice.
CPPCHECK = cppcheck --quiet --error-exitcode=1 --std=c99 --inline-suppr \
	   --enable=warning,style,performance,portability \
	   --suppress=variableScope -D_POSIX_C_SOURCE=200809L \
	   -D_DEFAULT_SOURCE -DDATA_DIR_DEFAULT='"$(DATADIR)"' \
	   -DMANAGE_DEFAULT='"$(BINDIR)/hacgi-manage"' -Ilib \
	   -Ithird_party --include=third_party/cjson/cJSON.h
lint:
	sh tools/layers.sh
	$(CPPCHECK) lib cgi-bin bin
	shellcheck -S warning tools/*.sh tests/*.sh tests/unit/run.sh .ci/run
	sh tools/cols.sh

# make run FASTCGI=1: the programs as FastCGI responders (README).
run: deps
	$(MAKE) all
	FASTCGI="$(FASTCGI)" sh tools/run.sh

# make bench: requests/s under wrk (tools/bench.sh), CGI and FastCGI
# mode under both servers (tools/bench-modes.sh), then the cost of one
# request at 100 and 100,000 records (tools/cost.sh; make bench-cost runs
# that alone), then fsck and backup at 100,000 records of each kind
# (tools/fscktime.sh; make bench-fsck alone).
bench: deps
	$(MAKE) all
	sh tools/bench.sh
	sh tools/bench-modes.sh
	sh tools/cost.sh
	sh tools/fscktime.sh

# make soak: 200,000 mixed requests through one set of FastCGI
# responders (RSS flat, answers as in CGI mode), then 10,000 under
# valgrind (the dynamically linked programs): tools/soak.py.
SOAK_VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect \
	--show-leak-kinds=definite,indirect
soak: deps
	$(MAKE) all
	python3 tools/soak.py --requests 200000
	python3 tools/soak.py --requests 10000 --cgi-bin cgi-bin/dynamic \
	    --wrap "$(SOAK_VALGRIND)"

bench-cost: deps
	$(MAKE) all
	sh tools/cost.sh

bench-fsck: deps
	$(MAKE) all
	sh tools/fscktime.sh

fuzz: deps
	sh tools/fuzz.sh

# make fresh-check (root): make test from a clone of HEAD on a fresh
# Debian 12 root (debootstrap, cached); FRESH_FLAGS=--rebuild makes the
# root anew.
fresh-check:
	sh tools/freshroot.sh $(FRESH_FLAGS)

install: all
	sh tools/install.sh "$(DESTDIR)" "$(PREFIX)" "$(CGIDIR)" "$(BINDIR)" \
	    "$(DATADIR)" "$(SHAREDIR)"

uninstall:
	sh tools/uninstall.sh "$(DESTDIR)" "$(PREFIX)" "$(CGIDIR)" "$(BINDIR)" \
	    "$(DATADIR)" "$(SHAREDIR)"

clean:
	rm -f lib/*/*.o $(CJSON_OBJ) $(LIBS) lib/libhacgi.a $(LAYERS) $(FLAGS) \
	    $(BINS) $(CGI_DYN)

.PHONY: all data-modes deps test check lint run bench bench-cost bench-fsck \
	soak fuzz \
	fresh-check install uninstall clean FORCE
