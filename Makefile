# rubric - a rule language for monthly performance appraisals.
#   make          build build/rubric (optimised)
#   make run      build, then score the bundled example team
#   make test     build with ASan+UBSan, then run every test
#   make bench    the benchmark (not part of make test)
#   make random N=10000  random rubrics against the exact oracle (not part of make test)
# Generated sources and objects go to build/, never into git.

BUILD   := build
CC      ?= cc
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings
STD     := -std=c17 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
INC     := -Isrc -I$(BUILD)/gen
REL_CF  := $(STD) $(WARN) $(INC) -O2 -g
SAN_CF  := $(STD) $(WARN) $(INC) -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=all -DRUBRIC_TESTING
# flex and bison output is not ours: keep the build quiet about its style
GEN_CF  := -Wno-unused-function -Wno-unused-parameter -Wno-sign-compare -Wno-missing-prototypes \
           -Wno-shadow -Wno-unused-but-set-variable
SAN_LD  := -fsanitize=address,undefined

LIB_SRC := $(filter-out src/main.c,$(sort $(wildcard src/*.c)))
GEN_SRC := $(BUILD)/gen/lexer.c $(BUILD)/gen/parser.c
HDRS    := $(wildcard src/*.h) $(BUILD)/gen/parser.h $(BUILD)/gen/lexer.h
UNIT    := $(patsubst tests/unit/%.c,%,$(sort $(wildcard tests/unit/test_*.c)))

REL_OBJ := $(patsubst src/%.c,$(BUILD)/rel/%.o,$(LIB_SRC)) $(BUILD)/rel/lexer.o $(BUILD)/rel/parser.o
SAN_OBJ := $(patsubst src/%.c,$(BUILD)/san/%.o,$(LIB_SRC)) $(BUILD)/san/lexer.o $(BUILD)/san/parser.o

.PHONY: all deps run test unit golden bench random clean format format-check
.DELETE_ON_ERROR:

all: $(BUILD)/rubric

deps:
	@sh tools/deps.sh

$(BUILD)/gen/parser.c $(BUILD)/gen/parser.h: grammar/parser.y
	@mkdir -p $(BUILD)/gen
	bison -Wall -Werror --defines=$(BUILD)/gen/parser.h -o $(BUILD)/gen/parser.c $<

$(BUILD)/gen/lexer.c $(BUILD)/gen/lexer.h: grammar/lexer.l
	@mkdir -p $(BUILD)/gen
	flex --header-file=$(BUILD)/gen/lexer.h -o $(BUILD)/gen/lexer.c $<

$(BUILD)/rel/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(REL_CF) -c -o $@ $<
$(BUILD)/rel/%.o: $(BUILD)/gen/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(REL_CF) $(GEN_CF) -c -o $@ $<
$(BUILD)/san/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CF) -c -o $@ $<
$(BUILD)/san/%.o: $(BUILD)/gen/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CF) $(GEN_CF) -c -o $@ $<

$(BUILD)/rubric: $(REL_OBJ) $(BUILD)/rel/main.o
	$(CC) -o $@ $^
$(BUILD)/san/rubric: $(SAN_OBJ) $(BUILD)/san/main.o
	$(CC) $(SAN_LD) -o $@ $^

$(BUILD)/san/test_%: tests/unit/test_%.c $(SAN_OBJ) tests/unit/unit.h
	$(CC) $(SAN_CF) -Itests/unit $(shell pkg-config --cflags cmocka 2>/dev/null) -o $@ $< $(SAN_OBJ) \
	    $(SAN_LD) $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

run: deps
	@$(MAKE) --no-print-directory $(BUILD)/rubric
	$(BUILD)/rubric eval -f table rubrics/客户考核评分表.rubric examples/客户考核评分表/team.csv; \
	    s=$$?; [ $$s -le 1 ] || exit $$s

test: deps
	@$(MAKE) --no-print-directory $(BUILD)/san/rubric $(BUILD)/rubric $(addprefix $(BUILD)/san/,$(UNIT))
	@sh tests/run-all.sh $(BUILD) $(UNIT)

# make random N=10000 [FIRST=1] [STRICT=1]: the random rubrics against the
# oracle (tests/random/oracle.py), N seeds, on the optimised build
N     ?= 2000
FIRST ?= 1
random: deps
	@$(MAKE) --no-print-directory $(BUILD)/rubric
	nice -n 19 sh tests/random/run.sh $(BUILD) --release $(if $(filter 1,$(STRICT)),--strict) \
	    --n $(N) $(FIRST)

bench: deps
	@$(MAKE) --no-print-directory $(BUILD)/rubric
	sh bench/run.sh $(BUILD)

# src/unitab.c is a generated table (tools/gen_unitab.py): not formatted
FORMATTED := $(filter-out src/unitab.c,$(wildcard src/*.c src/*.h)) $(wildcard tests/unit/*.c tests/unit/*.h)

format:
	clang-format -i $(FORMATTED)

format-check:
	clang-format --dry-run -Werror $(FORMATTED)

clean:
	rm -rf $(BUILD)

# ---- hardening (fuzz, fault injection, valgrind) ----
# tests/fuzz/ holds libFuzzer harnesses. `make test` builds each one with gcc,
# the test sanitizers and tests/fuzz/replay.c (a plain main) as
# $(BUILD)/san/replay-NAME, and tests/run-all.sh replays the corpus and every
# past crash with it; `make fuzz FUZZ_SECONDS=60` builds $(BUILD)/fuzz/NAME with
# clang's libFuzzer and runs each for FUZZ_SECONDS (new inputs go to
# $(BUILD)/fuzz/corpus-NAME, crashes to $(BUILD)/fuzz/). `make test VALGRIND=1`
# also builds an unsanitised -O1 -g binary and unit tests in $(BUILD)/vg/ and
# runs those under valgrind instead. See docs/reliability.md.
.PHONY: fuzz fuzz-build hardening-build vg-build
FUZZ_NAMES   := fuzz_rubric fuzz_facts fuzz_eval
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_CF      := $(STD) $(INC) -I$(BUILD)/fuzz -Itests/fuzz -O1 -g -fno-omit-frame-pointer \
                -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJ     := $(patsubst src/%.c,$(BUILD)/fuzz/obj/%.o,$(LIB_SRC)) $(BUILD)/fuzz/obj/lexer.o \
                $(BUILD)/fuzz/obj/parser.o
FUZZ_INC     := $(BUILD)/fuzz/seed_rubric.inc $(BUILD)/fuzz/seed_team.inc
FUZZ_DEPS    := tests/fuzz/replay.c tests/fuzz/fuzz_common.h $(FUZZ_INC)
VG_CF        := $(STD) $(WARN) $(INC) -O1 -g -DRUBRIC_TESTING
VG_OBJ       := $(patsubst src/%.c,$(BUILD)/vg/%.o,$(LIB_SRC)) $(BUILD)/vg/lexer.o $(BUILD)/vg/parser.o
.SECONDARY: $(FUZZ_OBJ) $(VG_OBJ) $(FUZZ_INC)

# the seed rubric and team that fuzz_eval embeds, as C byte lists
$(BUILD)/fuzz/seed_rubric.inc: rubrics/客户考核评分表.rubric
	@mkdir -p $(@D)
	od -An -v -tx1 $< | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g' >$@
$(BUILD)/fuzz/seed_team.inc: examples/客户考核评分表/team.csv
	@mkdir -p $(@D)
	od -An -v -tx1 $< | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g' >$@

$(BUILD)/san/replay-%: tests/fuzz/%.c $(FUZZ_DEPS) $(SAN_OBJ)
	$(CC) $(SAN_CF) -Itests/fuzz -I$(BUILD)/fuzz -o $@ $< tests/fuzz/replay.c $(SAN_OBJ) $(SAN_LD)

hardening-build: deps
	@$(MAKE) --no-print-directory $(addprefix $(BUILD)/san/replay-,$(FUZZ_NAMES))
test: hardening-build

$(BUILD)/fuzz/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CF) -fsanitize=fuzzer-no-link -c -o $@ $<
$(BUILD)/fuzz/obj/%.o: $(BUILD)/gen/%.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CF) $(GEN_CF) -fsanitize=fuzzer-no-link -c -o $@ $<
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_INC) $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CF) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ)

fuzz-build: deps
	@$(MAKE) --no-print-directory $(addprefix $(BUILD)/fuzz/,$(FUZZ_NAMES))

# each harness starts from a copy of its committed corpus, so runs never
# change tests/fuzz/corpus/ behind your back; copy finds worth keeping by hand
fuzz: fuzz-build
	@for h in $(FUZZ_NAMES); do \
	    mkdir -p $(BUILD)/fuzz/corpus-$$h && cp tests/fuzz/corpus/$$h/* $(BUILD)/fuzz/corpus-$$h/ && \
	    echo "== fuzz $$h for $(FUZZ_SECONDS) s" && \
	    d=rubric; [ $$h = fuzz_facts ] && d=facts; \
	    (cd $(BUILD)/fuzz && ./$$h -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	        -max_len=20000 -dict=$(CURDIR)/tests/fuzz/$$d.dict -print_final_stats=1 corpus-$$h) || exit 1; \
	done

$(BUILD)/vg/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(VG_CF) -c -o $@ $<
$(BUILD)/vg/%.o: $(BUILD)/gen/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(VG_CF) $(GEN_CF) -c -o $@ $<
$(BUILD)/vg/rubric: $(VG_OBJ) $(BUILD)/vg/main.o
	$(CC) -o $@ $^
$(BUILD)/vg/test_%: tests/unit/test_%.c $(VG_OBJ) tests/unit/unit.h
	$(CC) $(VG_CF) -Itests/unit $(shell pkg-config --cflags cmocka 2>/dev/null) -o $@ $< $(VG_OBJ) \
	    $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
vg-build: deps
	@$(MAKE) --no-print-directory $(BUILD)/vg/rubric $(addprefix $(BUILD)/vg/,$(UNIT))
ifeq ($(VALGRIND),1)
export VALGRIND
test: vg-build
endif
# ---- end hardening ----
