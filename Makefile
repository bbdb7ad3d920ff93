# Baton: set-up, demo and tests. `make demo` and `make test` work on a fresh Debian machine.
APT_PACKAGES := libxml2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev tidy nodejs
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
BATON := .build/release/baton

.PHONY: deps build demo test bench-load bench corpora clean

# Install the system libraries when any is missing.
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system libraries:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	swift build -c release --product baton

# Validate the bundled example knowledge base and show what is in it.
demo: build
	@echo; echo "== baton check (the example knowledge base in content/)"; $(BATON) check || true
	@echo; echo "== baton list"; $(BATON) list
	@echo; echo "== baton show roles/northmoor-relationship-manager"; $(BATON) show roles/northmoor-relationship-manager
	@echo; echo "== baton search \"on call hand off\""; $(BATON) search "on call hand off" --limit 3
	@echo; echo "== baton build (the website, for an internal audience)"; $(BATON) build --output public
	@echo "Open public/index.html in a browser."

test: deps
	swift test

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

clean:
	rm -rf .build public
