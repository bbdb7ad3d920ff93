# Baton: set-up, demo and tests. `make demo` and `make test` work on a fresh Debian machine.
APT_PACKAGES := libxml2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev zlib1g-dev tidy nodejs
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
BATON := .build/release/baton

.PHONY: deps build release-static install uninstall demo test test-browser bench-serve bench-site fuzz bench-load bench bench-scale bench-million bench-relevance bench-browser bench-browser-python corpora clean

# Install the system libraries when any is missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system libraries:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build -c release --product baton

# A release binary with the Swift runtime linked in, for machines without the Swift toolchain (it still needs
# the system's libxml2 and cmark-gfm, and glibc).
release-static: deps
	swift build -c release --product baton --static-swift-stdlib

# Installs baton, its completions for bash, zsh and fish, and a man page made from its --help, under PREFIX
# (DESTDIR for packaging). `make uninstall PREFIX=…` removes exactly those files.
PREFIX ?= /usr/local
BINDIR = $(DESTDIR)$(PREFIX)/bin
SHAREDIR = $(DESTDIR)$(PREFIX)/share
INSTALLED = $(BINDIR)/baton $(SHAREDIR)/bash-completion/completions/baton $(SHAREDIR)/zsh/site-functions/_baton \
	$(SHAREDIR)/fish/vendor_completions.d/baton.fish $(SHAREDIR)/man/man1/baton.1
install: release-static
	swift package generate-manual --configuration debug --date $(shell date +%Y-%m-%d) >/dev/null
	install -d $(BINDIR) $(SHAREDIR)/bash-completion/completions $(SHAREDIR)/zsh/site-functions \
	  $(SHAREDIR)/fish/vendor_completions.d $(SHAREDIR)/man/man1
	install -m 0755 -s $(BATON) $(BINDIR)/baton
	$(BATON) --generate-completion-script bash > $(SHAREDIR)/bash-completion/completions/baton
	$(BATON) --generate-completion-script zsh > $(SHAREDIR)/zsh/site-functions/_baton
	$(BATON) --generate-completion-script fish > $(SHAREDIR)/fish/vendor_completions.d/baton.fish
	install -m 0644 .build/plugins/GenerateManual/outputs/baton/baton.1 $(SHAREDIR)/man/man1/baton.1
	@echo "Installed baton into $(BINDIR), with completions and a man page (man baton)."
	@echo "It needs these shared libraries on the machine:"; ldd $(BINDIR)/baton | grep -E 'xml2|cmark' | sed 's/^/  /'

uninstall:
	rm -f $(INSTALLED)
	@echo "Removed: $(INSTALLED)"

# Validate the bundled example knowledge base and show what is in it.
demo: build
	@echo; echo "== baton check (the example knowledge base in content/)"; $(BATON) check || true
	@echo; echo "== baton list"; $(BATON) list
	@echo; echo "== baton show roles/northmoor-relationship-manager"; $(BATON) show roles/northmoor-relationship-manager
	@echo; echo "== baton search \"on call hand off\""; $(BATON) search "on call hand off" --limit 3
	@echo; echo "== baton onboard status (onboarding under way)"; $(BATON) onboard status
	@echo; echo "== baton build (the website, for an internal audience)"; $(BATON) build --output public

test: deps
	swift test

# The example site in headless Chromium at 1280×800 and 390×844, light and dark: a screenshot of the home, a role,
# a person, a handover, an onboarding, a knowledge entry and search, and axe-core's accessibility check on each
# (fails on a serious or critical violation). Installs chromium, chromium-driver, selenium and
# axe-selenium-python when missing. Not part of `make test` (Chromium is large and slow to install).
SHOTS ?= /tmp/baton-browser-check
test-browser: deps
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver; }
	@python3 -c "import selenium, axe_selenium_python" 2>/dev/null || \
	  pip install --quiet selenium axe-selenium-python 2>/dev/null || pip install --quiet --break-system-packages selenium axe-selenium-python
	swift build --product baton
	rm -rf /tmp/baton-browser-site && .build/debug/baton build --output /tmp/baton-browser-site
	python3 scripts/site_browser_check.py /tmp/baton-browser-site $(SHOTS)

# How soon `baton serve` (release build) serves an edit of the example: median of ten edits.
bench-serve: build
	python3 scripts/bench_serve.py .build/release/baton . 10

# The large tier as a knowledge base built by baton build, against Hugo (Debian's hugo) and Pagefind (PyPI's
# pagefind[extended]) on the same pages, interleaved (BENCH_ROUNDS, default 5).
BENCH_ROUNDS ?= 5
bench-site: build corpora
	@command -v hugo >/dev/null || $(SUDO) apt-get install -y -qq hugo
	@python3 -c "import pagefind" 2>/dev/null || pip install -q 'pagefind[extended]' 2>/dev/null || pip install -q --break-system-packages 'pagefind[extended]'
	python3 scripts/bench_site.py .build/release/baton /tmp/corpus-large.jsonl $(BENCH_ROUNDS)

# Each fuzz target (query parser, front matter and YAML, index reader, HTML, XML and office importers) under libFuzzer
# with the address sanitizer for FUZZ_SECONDS seconds (default 60) or FUZZ_RUNS executions, from the seeds in
# Tests/Fuzz/. FUZZ_SEED with FUZZ_RUNS repeats a run exactly (what CI does).
FUZZ_SECONDS ?=
FUZZ_RUNS ?=
FUZZ_SEED ?=
fuzz: deps
	FUZZ_SECONDS="$(FUZZ_SECONDS)" FUZZ_RUNS="$(FUZZ_RUNS)" FUZZ_SEED="$(FUZZ_SEED)" scripts/fuzz.sh

# Load time for a generated knowledge base of 2,000 files (release build).
bench-load: build
	python3 scripts/generate_kb.py /tmp/baton-bench-kb 2000
	@for i in 1 2 3 4 5; do $(BATON) check --root /tmp/baton-bench-kb | tail -2 | head -1; done

# The shared benchmark corpora (Debian's Python and PostgreSQL HTML documentation as JSONL).
corpora:
	@[ -f /tmp/corpus-large.jsonl ] || { \
	  $(SUDO) apt-get install -y -qq python3.11-doc postgresql-doc-15 && pip install -q lxml && \
	  python3 ../shared/bench/make_corpus.py small /tmp/corpus-small.jsonl && \
	  python3 ../shared/bench/make_corpus.py large /tmp/corpus-large.jsonl; }

# Search engine figures on the small and large corpora (release build).
bench: corpora
	swift build -c release --product baton-bench
	.build/release/baton-bench /tmp/corpus-small.jsonl ../shared/bench/queries-small.txt
	.build/release/baton-bench /tmp/corpus-large.jsonl ../shared/bench/queries-large.txt

# BatonSearch against Tantivy (peers.py's set-up, its Python package) on the large corpus, the scale tier (large
# × 20, copies identical) and an untied scale corpus (copies whose text differs), BENCH_ROUNDS interleaved rounds.
bench-scale: corpora
	swift build -c release --product baton-bench
	@python3 -c "import tantivy" 2>/dev/null || pip install -q tantivy
	@[ -f /tmp/corpus-scale.jsonl ] || python3 scripts/scale_corpus.py /tmp/corpus-large.jsonl /tmp/corpus-scale.jsonl 20 --tied
	@[ -f /tmp/corpus-untied.jsonl ] || python3 scripts/scale_corpus.py /tmp/corpus-large.jsonl /tmp/corpus-untied.jsonl 20
	python3 scripts/bench_scale.py .build/release/baton-bench ../shared/bench/peers.py ../shared/bench/queries-large.txt \
	  $(BENCH_ROUNDS) /tmp/corpus-large.jsonl /tmp/corpus-scale.jsonl /tmp/corpus-untied.jsonl

# The large corpus and a generated corpus of 1,000,000 documents (Zipf-distributed words, 1.5 GB; made once),
# both engines, BENCH_ROUNDS interleaved rounds (about 5 minutes a round; `make bench-million BENCH_ROUNDS=1`).
bench-million: corpora
	swift build -c release --product baton-bench
	@python3 -c "import tantivy" 2>/dev/null || pip install -q tantivy
	@[ -f /tmp/corpus-zipf1m.jsonl ] || python3 scripts/zipf_corpus.py /tmp/corpus-large.jsonl /tmp/corpus-zipf1m.jsonl 1000000
	python3 scripts/bench_scale.py .build/release/baton-bench ../shared/bench/peers.py ../shared/bench/queries-large.txt \
	  $(BENCH_ROUNDS) /tmp/corpus-large.jsonl /tmp/corpus-zipf1m.jsonl

# Known-item relevance on the large corpus: the 60 queries of ../shared/bench/known-items-dev.tsv, Baton and
# Tantivy (its Python package, installed when missing) in one run, each scored by MRR@10 per kind; then the
# browser script's answers to the same queries, compared with the engine's.
bench-relevance: corpora
	swift build -c release --product baton-bench
	@python3 -c "import tantivy" 2>/dev/null || pip install -q tantivy 2>/dev/null || pip install -q --break-system-packages tantivy
	cut -f1 ../shared/bench/known-items-dev.tsv | grep -v '^#' | grep -v '^$$' > /tmp/baton-dev-queries.txt
	.build/release/baton-bench /tmp/corpus-large.jsonl /tmp/baton-dev-queries.txt --top10 /tmp/baton-dev.top10
	mkdir -p /tmp/baton-peers
	python3 ../shared/bench/peers.py /tmp/corpus-large.jsonl /tmp/baton-dev-queries.txt /tmp/baton-peers
	@echo "Baton:"; python3 ../shared/bench/known_items_dev.py ../shared/bench/known-items-dev.tsv /tmp/baton-dev.top10
	@echo "Tantivy:"; python3 ../shared/bench/known_items_dev.py ../shared/bench/known-items-dev.tsv /tmp/baton-peers/tantivy.top10
	.build/release/baton-bench /tmp/corpus-large.jsonl /tmp/baton-dev-queries.txt --export /tmp/baton-dev-export
	node scripts/browser_parity.js /tmp/baton-dev-export

# The browser search on the large corpus: the script under Node answers the shared queries and 100 misspelt titles
# exactly as the engine (parity), the bytes a visit transfers, the typo benchmark, the time to results on screen
# in headless Chromium from file://, and then Baton's search box against Pagefind's on the same 1,667 pages over
# HTTP with a 50 ms round trip (scripts/bench_browser_http.py; BENCH_ROUNDS rounds, default 5). Installs
# chromium, websocket-client, hugo and pagefind[extended] when missing.
BENCH_WORK := /dev/shm/baton-bench-browser
bench-browser: corpora build
	@command -v chromium >/dev/null || $(SUDO) apt-get install -y -qq chromium
	@python3 -c "import websocket" 2>/dev/null || pip install -q websocket-client 2>/dev/null || pip install -q --break-system-packages websocket-client
	@command -v hugo >/dev/null || $(SUDO) apt-get install -y -qq hugo
	@python3 -c "import pagefind" 2>/dev/null || pip install -q 'pagefind[extended]' 2>/dev/null || pip install -q --break-system-packages 'pagefind[extended]'
	swift build -c release --product baton-bench
	node scripts/typo_bench.js /tmp/corpus-large.jsonl --queries-out /tmp/baton-typo-queries.txt
	cat ../shared/bench/queries-large.txt /tmp/baton-typo-queries.txt > /tmp/baton-browser-queries.txt
	.build/release/baton-bench /tmp/corpus-large.jsonl /tmp/baton-browser-queries.txt --export /tmp/baton-browser-large
	node scripts/browser_parity.js /tmp/baton-browser-large
	node scripts/browser_bytes.js /tmp/baton-browser-large ../shared/bench/queries-large.txt
	node scripts/typo_bench.js /tmp/corpus-large.jsonl /tmp/baton-browser-large
	python3 scripts/browser_chromium.py timing /tmp/baton-browser-large ../shared/bench/queries-large.txt
	rm -rf $(BENCH_WORK) && python3 scripts/corpus_kb.py /tmp/corpus-large.jsonl $(BENCH_WORK)/kb --hugo $(BENCH_WORK)/hugo >/dev/null
	$(BATON) build --root $(BENCH_WORK)/kb --output $(BENCH_WORK)/site | tail -1
	cd $(BENCH_WORK)/hugo && hugo --quiet -d public && python3 -m pagefind --site public | tail -1
	python3 scripts/bench_browser_http.py $(BENCH_WORK)/site $(BENCH_WORK)/hugo/public ../shared/bench/queries-large.txt --rounds $(BENCH_ROUNDS)

# The same bytes figures for the Python 3.11 docs imported into a knowledge base and published with baton build.
bench-browser-python: build
	@dpkg -s python3.11-doc >/dev/null 2>&1 || $(SUDO) apt-get install -y -qq python3.11-doc
	rm -rf /tmp/baton-python-kb && $(BATON) init /tmp/baton-python-kb >/dev/null
	$(BATON) import /usr/share/doc/python3.11/html --root /tmp/baton-python-kb --assets | tail -1
	$(BATON) build --root /tmp/baton-python-kb --output /tmp/baton-python-site --clean
	node scripts/browser_bytes.js /tmp/baton-python-site/search ../shared/bench/queries-small.txt

clean:
	rm -rf .build .build-fuzz public
