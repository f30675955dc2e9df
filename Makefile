# rubric - a rule language for monthly performance appraisals.
#   make          build build/rubric (optimised)
#   make run      build, then score the bundled example team
#   make test     build with ASan+UBSan, then run every test
#   make bench    the benchmark (not part of make test)
#   make catalog  the Chinese message catalog $(MO) (built by make and make test)
#   make po-check fail if a message in the sources has no Chinese translation
#   make random N=10000  random rubrics against the exact oracle (not part of make test)
# Generated sources and objects go to build/, never into git.

BUILD   := build
CC      ?= cc
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings
STD     := -std=c17 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -pthread
# the .xlsx reader and writer: libzip and expat read, libxlsxwriter writes
PKGS    := libzip expat xlsxwriter
PKG_CF  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
INC     := -Isrc -I$(BUILD)/gen $(PKG_CF)
# where an installed rubric finds its message catalog (make install puts $(MO) there)
PREFIX  ?= /usr/local
LOCALEDIR ?= $(PREFIX)/share/locale
MO      := $(BUILD)/locale/zh_CN/LC_MESSAGES/rubric.mo
DEFS    := -DRUBRIC_LOCALEDIR='"$(LOCALEDIR)"'
REL_CF  := $(STD) $(WARN) $(INC) $(DEFS) -O2 -g
SAN_CF  := $(STD) $(WARN) $(INC) $(DEFS) -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=all -DRUBRIC_TESTING
# flex and bison output is not ours: keep the build quiet about its style
GEN_CF  := -Wno-unused-function -Wno-unused-parameter -Wno-sign-compare -Wno-missing-prototypes \
           -Wno-shadow -Wno-unused-but-set-variable
SAN_LD  := -fsanitize=address,undefined

LIBS    := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lzip -lexpat -lxlsxwriter) -lgmp -pthread
# the command line (main.c, cli.c, a cmd_NAME.c per command) goes into rubric
# only; the rest is the library that unit tests and fuzz harnesses link too
CLI_SRC := src/main.c src/cli.c $(sort $(wildcard src/cmd_*.c))
LIB_SRC := $(filter-out $(CLI_SRC),$(sort $(wildcard src/*.c)))
GEN_SRC := $(BUILD)/gen/lexer.c $(BUILD)/gen/parser.c
HDRS    := $(wildcard src/*.h) $(BUILD)/gen/parser.h $(BUILD)/gen/lexer.h
UNIT    := $(patsubst tests/unit/%.c,%,$(sort $(wildcard tests/unit/test_*.c)))

REL_OBJ := $(patsubst src/%.c,$(BUILD)/rel/%.o,$(LIB_SRC)) $(BUILD)/rel/lexer.o $(BUILD)/rel/parser.o
SAN_OBJ := $(patsubst src/%.c,$(BUILD)/san/%.o,$(LIB_SRC)) $(BUILD)/san/lexer.o $(BUILD)/san/parser.o

.PHONY: all deps run test unit golden bench random clean format format-check catalog po-check po-update
.DELETE_ON_ERROR:

all: $(BUILD)/rubric $(MO)

# ---- messages (gettext) ----
# po/zh_CN.po is the Chinese catalog; $(MO) is where build/rubric looks for it
# (rubric looks in EXE_DIR/locale and EXE_DIR/../locale, then the install's
# $(LOCALEDIR)); make install copies $(MO) to
# $(DESTDIR)$(LOCALEDIR)/zh_CN/LC_MESSAGES/rubric.mo. tools/po-update.sh lists
# the messages of the sources; po-check fails on any without a translation.
catalog: $(MO)
$(MO): po/zh_CN.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<
po-check:
	@sh tools/po-update.sh --check $(BUILD)
po-update:
	@sh tools/po-update.sh --update $(BUILD)

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

$(BUILD)/rubric: $(REL_OBJ) $(patsubst src/%.c,$(BUILD)/rel/%.o,$(CLI_SRC))
	$(CC) -o $@ $^ $(LIBS)
$(BUILD)/san/rubric: $(SAN_OBJ) $(patsubst src/%.c,$(BUILD)/san/%.o,$(CLI_SRC))
	$(CC) $(SAN_LD) -o $@ $^ $(LIBS)

$(BUILD)/san/test_%: tests/unit/test_%.c $(SAN_OBJ) tests/unit/unit.h
	$(CC) $(SAN_CF) -Itests/unit $(shell pkg-config --cflags cmocka 2>/dev/null) -o $@ $< $(SAN_OBJ) \
	    $(SAN_LD) $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka) $(LIBS)

run: deps
	@$(MAKE) --no-print-directory $(BUILD)/rubric
	$(BUILD)/rubric eval -f table rubrics/客户考核评分表.rubric examples/客户考核评分表/team.csv; \
	    s=$$?; [ $$s -le 1 ] || exit $$s

test: deps
	@$(MAKE) --no-print-directory $(BUILD)/san/rubric $(BUILD)/rubric $(MO) $(addprefix $(BUILD)/san/,$(UNIT))
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
# past crash with it; `make fuzz FUZZ_S=60` (FUZZ_SECONDS is an alias) builds
# $(BUILD)/fuzz/NAME with clang's libFuzzer, the structure-aware mutator of
# tests/fuzz/fuzz_mutate.h included, and runs each for FUZZ_S seconds (new inputs go to
# $(BUILD)/fuzz/corpus-NAME, crashes to $(BUILD)/fuzz/). `make test VALGRIND=1`
# also builds an unsanitised -O1 -g binary and unit tests in $(BUILD)/vg/ and
# runs those under valgrind instead. See docs/reliability.md.
.PHONY: fuzz fuzz-build hardening-build vg-build
FUZZ_NAMES   := fuzz_rubric fuzz_facts fuzz_eval fuzz_explain fuzz_render fuzz_fmt fuzz_report \
                fuzz_csv fuzz_diff fuzz_xlsx
FUZZ_SECONDS ?= 60
FUZZ_S       ?= $(FUZZ_SECONDS)
FUZZ_CC      ?= clang
FUZZ_CF      := $(STD) $(INC) $(DEFS) -I$(BUILD)/fuzz -Itests/fuzz -O1 -g -fno-omit-frame-pointer \
                -fsanitize=address,undefined -fno-sanitize-recover=all -DFUZZ_MUTATOR
FUZZ_OBJ     := $(patsubst src/%.c,$(BUILD)/fuzz/obj/%.o,$(LIB_SRC)) $(BUILD)/fuzz/obj/lexer.o \
                $(BUILD)/fuzz/obj/parser.o
FUZZ_INC     := $(BUILD)/fuzz/seed_rubric.inc $(BUILD)/fuzz/seed_team.inc
FUZZ_DEPS    := tests/fuzz/replay.c tests/fuzz/fuzz_common.h tests/fuzz/fuzz_score.h \
                tests/fuzz/fuzz_mutate.h $(FUZZ_INC)
VG_CF        := $(STD) $(WARN) $(INC) $(DEFS) -O1 -g -DRUBRIC_TESTING
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
	$(CC) $(SAN_CF) -Itests/fuzz -I$(BUILD)/fuzz -o $@ $< tests/fuzz/replay.c $(SAN_OBJ) $(SAN_LD) $(LIBS)

hardening-build: deps
	@$(MAKE) --no-print-directory $(addprefix $(BUILD)/san/replay-,$(FUZZ_NAMES))
test: hardening-build

$(BUILD)/fuzz/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CF) -fsanitize=fuzzer-no-link -c -o $@ $<
$(BUILD)/fuzz/obj/%.o: $(BUILD)/gen/%.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CF) $(GEN_CF) -fsanitize=fuzzer-no-link -c -o $@ $<
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h tests/fuzz/fuzz_score.h \
                      tests/fuzz/fuzz_mutate.h $(FUZZ_INC) $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CF) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LIBS)

fuzz-build: deps
	@$(MAKE) --no-print-directory $(addprefix $(BUILD)/fuzz/,$(FUZZ_NAMES))

# each harness starts from a copy of its committed corpus, so runs never
# change tests/fuzz/corpus/ behind your back; copy finds worth keeping by hand
fuzz: fuzz-build
	@for h in $(FUZZ_NAMES); do \
	    mkdir -p $(BUILD)/fuzz/corpus-$$h && cp tests/fuzz/corpus/$$h/* $(BUILD)/fuzz/corpus-$$h/ && \
	    echo "== fuzz $$h for $(FUZZ_S) s" && \
	    d=rubric; case $$h in fuzz_facts|fuzz_csv) d=facts ;; fuzz_xlsx) d=xlsx ;; esac; \
	    (cd $(BUILD)/fuzz && ./$$h -max_total_time=$(FUZZ_S) -timeout=20 -rss_limit_mb=2048 \
	        -max_len=65536 -dict=$(CURDIR)/tests/fuzz/$$d.dict -print_final_stats=1 corpus-$$h) || exit 1; \
	done

# tests/mutate/mutate.py: mutated rubrics, fact files, CSVs and workbooks through
# every command of the sanitizer build (main() included); `make mutate MUTATE_S=600`
# for a timed run (MUTATE_SEED picks the run, MUTATE_VG=N runs every Nth case under
# valgrind too); findings are kept under $(BUILD)/mutate/. make test runs 150 cases.
MUTATE_S    ?= 600
MUTATE_SEED ?= 1
MUTATE_VG   ?= 0
.PHONY: mutate
mutate: deps
	@$(MAKE) --no-print-directory $(BUILD)/san/rubric $(BUILD)/rubric
	python3 tests/mutate/mutate.py $(BUILD)/san/rubric --seconds $(MUTATE_S) --seed $(MUTATE_SEED) \
	    --work $(BUILD)/mutate --valgrind $(MUTATE_VG) --plain $(BUILD)/rubric

$(BUILD)/vg/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(VG_CF) -c -o $@ $<
$(BUILD)/vg/%.o: $(BUILD)/gen/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(VG_CF) $(GEN_CF) -c -o $@ $<
$(BUILD)/vg/rubric: $(VG_OBJ) $(patsubst src/%.c,$(BUILD)/vg/%.o,$(CLI_SRC))
	$(CC) -o $@ $^ $(LIBS)
$(BUILD)/vg/test_%: tests/unit/test_%.c $(VG_OBJ) tests/unit/unit.h
	$(CC) $(VG_CF) -Itests/unit $(shell pkg-config --cflags cmocka 2>/dev/null) -o $@ $< $(VG_OBJ) \
	    $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka) $(LIBS)
vg-build: deps
	@$(MAKE) --no-print-directory $(BUILD)/vg/rubric $(addprefix $(BUILD)/vg/,$(UNIT))
ifeq ($(VALGRIND),1)
export VALGRIND
test: vg-build
endif
# ---- end hardening ----

# ---- install (make install / make uninstall; man pages, completion) ----
# `make install [PREFIX=/usr/local] [DESTDIR=]` installs the optimised
# $(BUILD)/rubric, the man pages rubric(1) and rubric(5) (built by scdoc from
# docs/man/*.scd into $(BUILD)/man/, then made plain ASCII by preconv so any
# groff reads them), each message catalog in MO_FILES and the bash completion;
# `make uninstall` removes exactly those files. A catalog's locale is the name
# of the folder above its LC_MESSAGES (build/locale/zh_CN/LC_MESSAGES/rubric.mo
# installs as share/locale/zh_CN/LC_MESSAGES/rubric.mo). `make install-files`
# prints the installed paths. tests/install/check.sh tests all of it.
.PHONY: install uninstall install-files man
DESTDIR     ?=
BINDIR      := $(PREFIX)/bin
MANDIR      := $(PREFIX)/share/man
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
MO_FILES    ?= $(MO)
MAN_PAGES   := $(BUILD)/man/rubric.1 $(BUILD)/man/rubric.5
mo_locale    = $(notdir $(patsubst %/,%,$(dir $(patsubst %/,%,$(dir $(1))))))
INSTALLED   := $(BINDIR)/rubric $(MANDIR)/man1/rubric.1 $(MANDIR)/man5/rubric.5 \
               $(foreach m,$(MO_FILES),$(LOCALEDIR)/$(call mo_locale,$(m))/LC_MESSAGES/rubric.mo) \
               $(BASHCOMPDIR)/rubric

# one recipe line per catalog (the blank line before endef ends the line)
define install_mo
	install -D -m 644 $(1) $(DESTDIR)$(LOCALEDIR)/$(call mo_locale,$(1))/LC_MESSAGES/rubric.mo

endef

$(BUILD)/man/%: docs/man/%.scd
	@mkdir -p $(@D)
	scdoc <$< >$@.roff
	preconv -e UTF-8 $@.roff | sed '/^\.lf /d' >$@
	@rm -f $@.roff

man:
	@sh tools/deps.sh install
	@$(MAKE) --no-print-directory $(MAN_PAGES)

install:
	@sh tools/deps.sh install
	@$(MAKE) --no-print-directory $(BUILD)/rubric $(MAN_PAGES) $(MO_FILES)
	install -D -m 755 $(BUILD)/rubric $(DESTDIR)$(BINDIR)/rubric
	install -D -m 644 $(BUILD)/man/rubric.1 $(DESTDIR)$(MANDIR)/man1/rubric.1
	install -D -m 644 $(BUILD)/man/rubric.5 $(DESTDIR)$(MANDIR)/man5/rubric.5
	$(foreach m,$(MO_FILES),$(call install_mo,$(m)))
	install -D -m 644 completion/rubric.bash $(DESTDIR)$(BASHCOMPDIR)/rubric

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))

install-files:
	@printf '%s\n' $(INSTALLED)
# ---- end install ----
