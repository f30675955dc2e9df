# rubric - a rule language for monthly performance appraisals.
#   make          build build/rubric (optimised)
#   make run      build, then score the bundled example team
#   make test     build with ASan+UBSan, then run every test
#   make bench    the benchmark (not part of make test)
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

.PHONY: all deps run test unit golden bench clean format format-check
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

bench: deps
	@$(MAKE) --no-print-directory $(BUILD)/rubric
	sh bench/run.sh $(BUILD)

format:
	clang-format -i src/*.c src/*.h tests/unit/*.c tests/unit/*.h

format-check:
	clang-format --dry-run -Werror src/*.c src/*.h tests/unit/*.c tests/unit/*.h

clean:
	rm -rf $(BUILD)
