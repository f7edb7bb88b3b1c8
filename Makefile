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
PKGS    := libpcap json-c yaml-0.1 libcrypto libpcre2-8 libhs
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
        need-deps

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

check-run: all $(BUILD)/check_kanshi
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

clean:
	rm -rf build build-asan

-include $(ENGINE_OBJ:.o=.d) $(SENSOR_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
