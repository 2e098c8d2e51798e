# rtexec: join a running container and exec a command in it. Static, musl.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DESTDIR ?=
B := build

CC := musl-gcc
HOSTCC ?= gcc
CSTD := -std=c11 -D_GNU_SOURCE
WARN := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wmissing-prototypes \
	-Wstrict-prototypes -Wvla -Wpointer-arith -Wcast-qual -Wundef \
	-Wwrite-strings -Wnull-dereference -Wimplicit-fallthrough -Wconversion -Wno-sign-conversion
# No unwind tables (C without exceptions: .eh_frame is 13 KiB of nothing): the binary is read
# whole on every sealed-copy join. The segments keep their page padding (-z separate-code,
# the default): 8 KiB more, but the ELF headers and constants are not mapped executable.
OPT := -Os -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fno-asynchronous-unwind-tables \
	-fno-unwind-tables
# musl-gcc does not see the kernel's uapi headers; expose just those (never /usr/include).
UAPI := -isystem $(B)/uapi
CFLAGS ?= $(OPT)
LDFLAGS ?= -Wl,--gc-sections -Wl,-z,relro,-z,now
# rtexec itself is a static PIE: the kernel loads it at a random address on each run, as it
# does a dynamically linked program (a plain -static binary sits at 0x400000 every time, its
# code a fixed map for an exploit of the container's data it parses: passwd, /proc files,
# seccomp filters). musl-gcc's specs know no -static-pie, so musl's rcrt1.o (the binary
# relocates itself at start, 112 relocations) and the link mode are given here; -z text
# refuses an object built without PIC, which PIC (after CFLAGS, so that it stays) is for.
# The test helpers are plain static programs (STATIC).
PIC := -fPIE
STATIC := -static
STATIC_PIE := -nostartfiles -Wl,-static,-pie,--no-dynamic-linker,-z,text
MUSL_LIB := /usr/lib/$(shell gcc -print-multiarch | sed 's/-gnu/-musl/')
PIE_START = $(MUSL_LIB)/rcrt1.o $(MUSL_LIB)/crti.o $(shell $(CC) -print-file-name=crtbeginS.o)
PIE_END = $(shell $(CC) -print-file-name=crtendS.o) $(MUSL_LIB)/crtn.o
DEPCFLAGS := -Os -w -std=c99 -fno-asynchronous-unwind-tables -fno-unwind-tables

SRCS := arena.c fmt.c jsonnum.c rtexec.c runc.c selfexe.c inherit.c seccomp.c tty.c cli.c config.c jsonutil.c target.c nsexec.c process.c env.c pidfile.c supervise.c sync.c plan.c log.c cgroup.c fsutil.c cpulist.c affinity.c scheduler.c attrs.c
OBJS := $(SRCS:%.c=$(B)/%.o)
CJSON := $(B)/cjson
UNIT_SRCS := arena.c fmt.c jsonnum.c cli.c config.c jsonutil.c log.c sync.c env.c target.c nsexec.c cgroup.c fsutil.c cpulist.c affinity.c scheduler.c attrs.c inherit.c seccomp.c
UNIT_TESTS := $(wildcard test/unit/test_*.c)

.PHONY: all deps install uninstall clean check check-asan check-vm unit integration demo bench bench-engines lint fuzz soak
all: rtexec

deps:
	@sh scripts/deps.sh build

$(B)/.deps: scripts/deps.sh
	@mkdir -p $(B)
	sh scripts/deps.sh build
	@touch $@

$(CJSON)/cJSON.c $(CJSON)/cJSON.h: | $(B)/.deps
	sh scripts/cjson.sh $(CJSON)

$(B)/uapi/.stamp: | $(B)/.deps
	mkdir -p $(B)/uapi
	ln -sfn /usr/include/linux $(B)/uapi/linux
	ln -sfn /usr/include/asm-generic $(B)/uapi/asm-generic
	ln -sfn /usr/include/$$(gcc -print-multiarch)/asm $(B)/uapi/asm
	@touch $@

# cJSON's number calls go to jsonnum.c (see jsonnum.h, cjson_num.c): musl's floating-point
# printf and scanf stay out of the binary. Every build below (unit, ASan, fuzz) compiles the
# same cjson_num.c, so the tests run the number code the binary ships.
CJSON_SRC := cjson_num.c
$(B)/cJSON.o: $(CJSON_SRC) jsonnum.h log.h $(CJSON)/cJSON.c $(CJSON)/cJSON.h Makefile | $(B)/.deps
	$(CC) $(DEPCFLAGS) $(PIC) -I. -I$(CJSON) -ffunction-sections -fdata-sections -c -o $@ $<

$(B)/%.o: %.c $(wildcard *.h) $(CJSON)/cJSON.h $(B)/uapi/.stamp | $(B)/.deps
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(PIC) $(UAPI) -I$(CJSON) -ffunction-sections -fdata-sections -c -o $@ $<

# The static binary's malloc is arena.c's (the test and sanitizer builds keep their libc's).
$(B)/arena.o: CFLAGS += -DRTEXEC_OWN_MALLOC

rtexec: $(OBJS) $(B)/cJSON.o
	@test -f $(MUSL_LIB)/rcrt1.o || { echo "no musl rcrt1.o in $(MUSL_LIB) (musl-dev)" >&2; exit 1; }
	$(CC) $(CFLAGS) $(PIC) $(STATIC_PIE) $(LDFLAGS) -o $@ $(PIE_START) $^ $(PIE_END)
	@file $@ | grep -q 'static-pie linked' && ! readelf -lW $@ | grep -q INTERP || \
		{ echo "rtexec is not a static PIE" >&2; rm -f $@; exit 1; }

# The control of test/integration/exe.sh: rtexec without its CVE-2019-5736 defence, which
# the attack must beat. Never installed.
$(B)/rtexec-unprotected: $(SRCS) $(wildcard *.h) $(B)/cJSON.o $(B)/uapi/.stamp
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(UAPI) -I$(CJSON) -DRTEXEC_UNPROTECTED_TEST_BUILD \
		-DRTEXEC_OWN_MALLOC \
		$(PIC) $(STATIC_PIE) $(LDFLAGS) -o $@ $(PIE_START) $(SRCS) $(B)/cJSON.o $(PIE_END)

# Unit tests of the pure logic: glibc + ASan/UBSan, with the same strict warnings.
SAN := -g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
$(B)/unit/%: test/unit/%.c $(UNIT_SRCS) $(wildcard *.h) test/unit/tap.h $(CJSON_SRC) $(CJSON)/cJSON.c
	@mkdir -p $(B)/unit
	$(HOSTCC) $(CSTD) $(WARN) $(SAN) -I. -I$(CJSON) -o $@ $< $(UNIT_SRCS) $(CJSON_SRC)

unit: $(UNIT_TESTS:test/unit/%.c=$(B)/unit/%)

# rtexec itself built with glibc + ASan/UBSan, for the integration tests (check-asan).
$(B)/asan/rtexec: $(SRCS) $(wildcard *.h) $(CJSON_SRC) $(CJSON)/cJSON.c test/asan_options.c
	@mkdir -p $(B)/asan
	$(HOSTCC) $(CSTD) $(WARN) $(SAN) -I. -I$(CJSON) -o $@ $(SRCS) test/asan_options.c \
		$(CJSON_SRC)

# The front end under its name, for the engine tests (make install makes the same link).
$(B)/bin/rtexec-runc: | $(B)/.deps
	@mkdir -p $(B)/bin
	ln -sfn $(CURDIR)/rtexec $@
$(B)/asan/bin/rtexec-runc: | $(B)/.deps
	@mkdir -p $(B)/asan/bin
	ln -sfn $(CURDIR)/$(B)/asan/rtexec $@

check: rtexec unit $(B)/rtexec-unprotected $(B)/bin/rtexec-runc
	@sh scripts/deps.sh test
	sh test/run

# The integration tests against the ASan/UBSan build. Left out: attrs.sh, whose RLIMIT_AS
# and RLIMIT_DATA values starve ASan of the address space it maps at start-up, and exe.sh,
# whose attack needs a binary the container can execute (the ASan build is dynamic).
check-asan: $(B)/asan/rtexec $(B)/uapi/.stamp $(B)/asan/bin/rtexec-runc
	@sh scripts/deps.sh test
	ASAN_OPTIONS=detect_leaks=0 RTEXEC=$(CURDIR)/$(B)/asan/rtexec \
		RTEXEC_FRONT=$(CURDIR)/$(B)/asan/bin/rtexec-runc \
		sh test/run $$(ls test/integration/*.sh | grep -v '/\(attrs\|exe\)\.sh$$')

# libFuzzer over config parsing, validation, placement and the plan (ASan/UBSan), seeded with
# every document the unit tests parse. Crashes land in build/fuzz/crashes/.
FUZZ_SECONDS ?= 60
FUZZ_SRCS := $(UNIT_SRCS) plan.c
$(B)/fuzz/fuzz_config: test/fuzz/fuzz_config.c $(FUZZ_SRCS) $(wildcard *.h) $(CJSON_SRC) $(CJSON)/cJSON.c | $(B)/.fuzzdeps
	@mkdir -p $(B)/fuzz
	clang $(CSTD) $(WARN) -Wno-unused-command-line-argument -g -O1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I. -I$(CJSON) \
		-o $@ $< $(FUZZ_SRCS) $(CJSON_SRC)

$(B)/.fuzzdeps: scripts/deps.sh
	@mkdir -p $(B)
	sh scripts/deps.sh fuzz
	@touch $@

fuzz: $(B)/fuzz/fuzz_config $(B)/unit/test_config
	@rm -rf $(B)/fuzz/seeds
	@mkdir -p $(B)/fuzz/seeds $(B)/fuzz/corpus $(B)/fuzz/crashes
	$(B)/unit/test_config --corpus $(B)/fuzz/seeds >/dev/null
	$(B)/fuzz/fuzz_config -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
		-artifact_prefix=$(B)/fuzz/crashes/ -print_final_stats=1 \
		$(B)/fuzz/corpus $(B)/fuzz/seeds

# The code's format is .clang-format's (Debian's clang-format 14); CI fails on a difference.
LINT_SRCS := $(wildcard *.c *.h bench/*.c test/*.c test/unit/*.c test/unit/*.h test/helpers/*.c test/fuzz/*.c test/vm/*.c)
lint:
	@sh scripts/deps.sh lint
	clang-format --dry-run --Werror $(LINT_SRCS)

# The PREEMPT_RT guest (test/vm/run): its helpers are static musl programs like rtexec.
VM_HELPERS := $(B)/vm/hog $(B)/vm/joins $(B)/vm/where $(B)/vm/vmpoweroff $(B)/vm/nosys $(B)/vm/mpol \
	$(B)/vm/migrate $(B)/vm/sealcopy
$(B)/vm/%: test/vm/%.c | $(B)/.deps
	@mkdir -p $(B)/vm
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(STATIC) $(LDFLAGS) -o $@ $<
$(B)/vm/nosys: test/helpers/nosys.c $(B)/uapi/.stamp | $(B)/.deps
	@mkdir -p $(B)/vm
	$(CC) $(CSTD) $(WARN) $(CFLAGS) $(UAPI) $(STATIC) $(LDFLAGS) -o $@ $<

check-vm: rtexec $(VM_HELPERS)
	@sh scripts/deps.sh vm
	sh test/vm/run

demo: rtexec
	@sh scripts/deps.sh test
	sh scripts/demo.sh

# Not part of check: about 2 minutes here. Results in build/soak.md.
soak: rtexec
	@sh scripts/deps.sh bench
	sh scripts/soak.sh

bench: rtexec
	@sh scripts/deps.sh bench
	sh scripts/bench.sh

# Exec latency through containerd (ctr task exec) and podman (podman exec): RUNTIMES is a
# list of runc-compatible runtimes (default: runc).
bench-engines: rtexec
	@sh scripts/deps.sh bench
	sh scripts/bench-engines.sh $(RUNTIMES)

install: rtexec
	install -D -s -m 0755 rtexec $(DESTDIR)$(BINDIR)/rtexec
	ln -sfn rtexec $(DESTDIR)$(BINDIR)/rtexec-runc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/rtexec $(DESTDIR)$(BINDIR)/rtexec-runc

clean:
	rm -rf $(B) rtexec
