# kanshi: one Makefile, -MMD dependencies. See README.md for the two set-up commands.
#   make            build build/kanshi and build/libkanshi.a
#   make deps       install the Debian packages the build and tests need (root, apt-get)
#   make check      unit + regression + malformed + peer-suite
#   make demo       deps, build, replay samples/, print a summary
#   make asan       the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench      throughput side by side with tcpdump, ndpiReader and Suricata
#   make compare    flows side by side with Suricata 7 on real captures

CC      ?= gcc
BUILD   ?= build
PKGS    := libpcap json-c yaml-0.1 libcrypto libpcre2-8 libhs zlib libmagic
OPT     ?= -O2 -g
CFLAGS  += $(OPT) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -fno-strict-aliasing -MMD -MP
LDLIBS  += -lpthread

# pkg-config only once the packages exist, so that `make deps` works on a bare machine
HAVE_PKGS := $(shell pkg-config --exists $(PKGS) 2>/dev/null && echo yes)
ifeq ($(HAVE_PKGS),yes)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))
endif

ENGINE_SRC := $(wildcard engine/*.c)
SENSOR_SRC := $(wildcard sensor/*.c)
UNIT_SRC   := $(wildcard tests/unit/*.c)
ENGINE_OBJ := $(ENGINE_SRC:%.c=$(BUILD)/%.o)
SENSOR_OBJ := $(SENSOR_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ   := $(UNIT_SRC:%.c=$(BUILD)/%.o)
# the sensor's pieces, minus main, are linked into the unit tests too
SENSOR_LIB_OBJ := $(filter-out $(BUILD)/sensor/main.o,$(SENSOR_OBJ))

.PHONY: all deps check check-run unit regress malformed peer demo asan bench compare clean conv \
        need-deps hsinfo

all: need-deps $(BUILD)/kanshi

# a clear message instead of a wall of compiler errors on a machine without the packages
need-deps:
ifneq ($(HAVE_PKGS),yes)
	@echo "kanshi: build dependencies are missing; run 'make deps' as root (or see README.md)"
	@tools/deps.sh list
	@false
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) $(PKG_CFLAGS) -Iengine -Isensor -c -o $@ $<

$(BUILD)/libkanshi.a: $(ENGINE_OBJ)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

$(BUILD)/kanshi: $(SENSOR_OBJ) $(BUILD)/libkanshi.a
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $(SENSOR_OBJ) $(BUILD)/libkanshi.a $(PKG_LIBS) $(LDLIBS)

$(BUILD)/check_kanshi: $(UNIT_OBJ) $(SENSOR_LIB_OBJ) $(BUILD)/libkanshi.a
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $(UNIT_OBJ) $(SENSOR_LIB_OBJ) $(BUILD)/libkanshi.a $(PKG_LIBS) \
	    $(shell pkg-config --libs check 2>/dev/null) $(LDLIBS)

deps:
	@tools/deps.sh install

unit: $(BUILD)/check_kanshi
	$(BUILD)/check_kanshi

regress: $(BUILD)/kanshi
	tests/regress/run.sh $(BUILD)/kanshi

malformed: $(BUILD)/kanshi
	tests/malformed/run.sh $(BUILD)/kanshi

conv: $(BUILD)/kanshi
	tests/conv/run.sh $(BUILD)/kanshi

peer: $(BUILD)/kanshi
	tests/peer.sh $(BUILD)/kanshi

# deps first, then a fresh make so that pkg-config sees the packages just installed
check:
	@tools/deps.sh ensure
	@$(MAKE) --no-print-directory check-run

check-run: all $(BUILD)/check_kanshi fuzz-replay
	@tools/check.sh $(BUILD)

demo:
	@tools/deps.sh ensure
	@$(MAKE) --no-print-directory all
	@tools/demo.sh $(BUILD)/kanshi

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDLIBS="-lpthread -fsanitize=address,undefined" check-run

bench: all
	tools/bench.sh $(BUILD)/kanshi

compare: all
	tools/compare.sh $(BUILD)/kanshi

# Hyperscan block vs streaming mode over a rule set and a capture (tools/hsinfo.md)
hsinfo: need-deps $(BUILD)/hsinfo

$(BUILD)/hsinfo: $(BUILD)/tools/hsinfo.o $(BUILD)/libkanshi.a
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $(BUILD)/tools/hsinfo.o $(BUILD)/libkanshi.a $(PKG_LIBS) $(LDLIBS)

clean:
	rm -rf build build-asan build-fuzz

-include $(ENGINE_OBJ:.o=.d) $(SENSOR_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(BUILD)/tools/hsinfo.d

# ---- fuzzing the rule parser (tests/fuzz/README.md) -------------------------------------------
#   make fuzz          libFuzzer (clang, ASan + UBSan) on the rule corpus for FUZZ_SECONDS, then
#                      merges what adds coverage back into tests/fuzz/corpus-rules.tar.xz
#   make fuzz-replay   the corpus and the edge cases through an ordinary build (and `make asan`)
# The corpus is kept as one xz tarball (~250 KB for ~2,000 inputs) rather than as loose files.
.PHONY: fuzz fuzz-replay fuzz-cc
FUZZ_SECONDS ?= 300
FUZZ_BUILD   := build-fuzz
FUZZ_CC      ?= clang
FUZZ_TAR     := tests/fuzz/corpus-rules.tar.xz
FUZZ_CFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=all -std=c11 -D_GNU_SOURCE -Wall -Wextra \
                -fno-strict-aliasing -MMD -MP
FUZZ_OBJ     := $(ENGINE_SRC:%.c=$(FUZZ_BUILD)/%.o) $(FUZZ_BUILD)/tests/fuzz/fuzz_rules.o
REPLAY_OBJ   := $(BUILD)/tests/fuzz/replay.o $(BUILD)/tests/fuzz/fuzz_rules.o
FUZZ_LIMITS  := -rss_limit_mb=2048 -timeout=10 -max_len=16384
FUZZ_ARGS    := -workers=1 -jobs=1 $(FUZZ_LIMITS) -print_final_stats=1
TAR_FLAGS    := --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC-FUZZ $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -Iengine -c -o $@ $<

# libFuzzer comes with clang; installed here like bench's and compare's tools, not by make deps
fuzz-cc:
	@command -v $(FUZZ_CC) >/dev/null || { [ "$$(id -u)" -eq 0 ] && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang \
	    >/dev/null; } || { echo "make fuzz: needs $(FUZZ_CC); as root: apt-get install clang"; \
	    exit 1; }

$(FUZZ_BUILD)/fuzz_rules: $(FUZZ_OBJ)
	@echo "  LD      $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $(FUZZ_OBJ) $(PKG_LIBS) $(LDLIBS)

# new inputs go to $(FUZZ_BUILD)/new; those adding coverage are merged and the tarball rewritten
fuzz: need-deps fuzz-cc $(FUZZ_BUILD)/fuzz_rules
	@rm -rf $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/merged && mkdir -p $(FUZZ_BUILD)/corpus \
	    $(FUZZ_BUILD)/merged $(FUZZ_BUILD)/new && tar -C $(FUZZ_BUILD)/corpus -xJf $(FUZZ_TAR)
	@cd $(FUZZ_BUILD) && ./fuzz_rules $(FUZZ_ARGS) -max_total_time=$(FUZZ_SECONDS) \
	    -dict=$(CURDIR)/tests/fuzz/rules.dict -artifact_prefix=$(CURDIR)/$(FUZZ_BUILD)/ \
	    new corpus; rc=$$?; \
	    if [ $$rc -ne 0 ]; then tail -n 60 fuzz-0.log; exit $$rc; fi; \
	    grep -E '^#[0-9]+ ' fuzz-0.log | tail -n 1; grep '^stat::' fuzz-0.log
	@$(FUZZ_BUILD)/fuzz_rules -merge=1 $(FUZZ_LIMITS) $(FUZZ_BUILD)/merged \
	    $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/new >$(FUZZ_BUILD)/merge.log 2>&1 || \
	    { cat $(FUZZ_BUILD)/merge.log; exit 1; }
	@tail -n 1 $(FUZZ_BUILD)/merge.log
	@tar $(TAR_FLAGS) -C $(FUZZ_BUILD)/merged -cJf $(FUZZ_TAR) . && ls -l $(FUZZ_TAR)

$(BUILD)/fuzz_replay: $(REPLAY_OBJ) $(BUILD)/libkanshi.a
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -o $@ $(REPLAY_OBJ) $(BUILD)/libkanshi.a $(PKG_LIBS) $(LDLIBS)

$(BUILD)/fuzz-corpus/.stamp: $(FUZZ_TAR)
	@rm -rf $(@D) && mkdir -p $(@D) && tar -C $(@D) -xJf $(FUZZ_TAR) && touch $@

fuzz-replay: need-deps $(BUILD)/fuzz_replay $(BUILD)/fuzz-corpus/.stamp
	@$(BUILD)/fuzz_replay $(BUILD)/fuzz-corpus tests/fuzz/edge-cases.rules

-include $(FUZZ_OBJ:.o=.d) $(REPLAY_OBJ:.o=.d)
