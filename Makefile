# RDV Guichet. The two commands that matter: `make run` and `make test` (see README.md).
SHELL := /bin/bash
GOBIN := $(shell go env GOPATH)/bin
WAILS := $(GOBIN)/wails
APP := build/bin/rdv-guichet
CHROMIUM ?= /usr/bin/chromium
export PATH := $(GOBIN):$(PATH)

.PHONY: run test release bench bench-startup bindings setup setup-test frontend app check-go check-windows test-go test-print test-frontend e2e e2e-online smoke clean fuzz test-fuzz central

## run: install what is missing, build the desktop app and open it (demo agenda on first start)
run: setup app
	./$(APP) $(ARGS)

## test: every check, as CI runs it
test: setup-test frontend check-go test-go test-fuzz test-print check-windows test-frontend e2e e2e-online app smoke
	@echo "make test : tout est vert."

setup:
	build/scripts/setup.sh run

setup-test:
	build/scripts/setup.sh test

# The Go code embeds frontend/dist: build it before any Go check (a fresh clone has none).
frontend:
	cd frontend && npm run build

check-go:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt à appliquer : $$out"; exit 1; fi
	go vet ./...

# The PostgreSQL tests (the central's store) get a server of their own, in build/pg, for the run.
test-go:
	dsn=$$(build/scripts/pg-test.sh start) && RDV_TEST_PG=$$dsn go test -race -count=1 ./...; \
	rc=$$?; build/scripts/pg-test.sh stop; exit $$rc

## fuzz: each fuzz target for FUZZTIME (60s), one after the other (issue 10); findings land in
## the package's testdata/fuzz, to commit as regression seeds once fixed
FUZZTIME ?= 60s
FUZZ_TARGETS := backend/printing:FuzzESCPOS backend/store:FuzzFTSQuery backend/agenda:FuzzNameText \
	backend/checkin:FuzzNormalizeShortCode backend/checkin:FuzzTokenSpelling backend/checkin:FuzzVerify \
	sync/protocol:FuzzDecode sync/protocol:FuzzDecodePush backend/importer:FuzzRead
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t#*:} ($(FUZZTIME))"; \
		go test -run '^$$' -fuzz "^$${t#*:}\$$" -fuzztime $(FUZZTIME) ./$${t%%:*} || exit 1; \
	done

# make test runs every fuzz target for a few thousand inputs (the corpus and seeds always run in
# test-go). A count, not a duration: a duration races Go's fuzzing coordinator at its deadline on a
# busy machine (« context deadline exceeded » with no failing input, golang/go#51484).
test-fuzz:
	$(MAKE) --no-print-directory fuzz FUZZTIME=20000x

# A convocation printed through the real `lp` path to CUPS' cups-pdf virtual printer.
test-print:
	dir=$$(build/scripts/cups-test.sh) && RDV_TEST_CUPS=1 RDV_TEST_CUPS_DIR=$$dir go test -count=1 -run CUPSReal -v ./backend/printing/ | grep -E '^(=== RUN|--- |ok|FAIL|PASS)'; \
	rc=$${PIPESTATUS[0]}; build/scripts/cups-test.sh stop; exit $$rc

# The Windows code path, type-checked and compiled without cgo (Wails' WebView2 loader is pure Go).
check-windows:
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go vet -tags desktop,production ./...
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go build -tags desktop,production -ldflags "-H windowsgui" -o /dev/null .
	build/scripts/check-installer.sh

test-frontend:
	cd frontend && npx vitest run

# The e2e server is compiled once before Playwright starts its two instances (agents, kiosk), so
# that a cold build cache does not make them compile side by side against the start timeout.
e2e:
	go build -o /dev/null ./app/e2eserve
	cd frontend && CHROMIUM=$(CHROMIUM) npx playwright test

# The online booking pages of rdv-central in Chromium (phone and desktop), on a PostgreSQL of
# their own: build/scripts/online-e2e-serve.sh seeds an organisation and serves it.
e2e-online:
	dsn=$$(build/scripts/pg-test.sh start) && cd frontend && RDV_TEST_PG=$$dsn CHROMIUM=$(CHROMIUM) npx playwright test -c playwright.online.config.ts; \
	rc=$$?; cd .. && build/scripts/pg-test.sh stop; exit $$rc

# -s: the frontend is already built; -m: do not rewrite go.mod.
app: frontend
	$(WAILS) build -s -m

smoke:
	build/scripts/smoke.sh $(APP)

## bindings: regenerate frontend/wailsjs after a change of the bound Go methods (commit the result)
bindings:
	cd frontend && npx vite build --logLevel error # a dist for main.go's embed, even while the TypeScript waits for the new bindings
	$(WAILS) generate module
	chmod 644 frontend/wailsjs/runtime/*
	cd frontend && npm run build

## bench: benchmarks (figures go to docs/benchmarks.md): slot engine, booking, agenda, convocations,
## then the week view in Chromium on a file of a million RDVs (built once in build/bench/)
BUSY := $(CURDIR)/build/bench/busy-1M.sqlite
bench: setup-test frontend
	go test -run '^$$' -bench . -benchmem ./backend/... ./app/...
	mkdir -p build/bench
	RDV_BUSY_FILE=$(BUSY) go test -count=1 -run TestBuildBusyAgendaFile ./app/
	cd frontend && RDV_BUSY_FILE=$(BUSY) CHROMIUM=$(CHROMIUM) npx playwright test -c playwright.bench.config.ts 2>&1 | grep -E 'BENCH|passed|failed|Error'

## bench-startup: under Xvfb, the window's start-up (demo file, BUSY file) and memory after
## sign-in beside a bare Wails app built here from the same Wails and window options; then the
## command line's aide and creneaux beside the window's binary and sqlite3 (issue 16)
BARE := build/bench/bench-bare
bench-startup: app
	go build -tags desktop,production,webkit2_41 -ldflags "-w -s" -o $(BARE) ./cmd/bench-bare
	mkdir -p build/bench
	RDV_BUSY_FILE=$(BUSY) go test -count=1 -run TestBuildBusyAgendaFile ./app/
	build/scripts/bench-startup.sh $(APP) $(BARE) $(BUSY)
	build/scripts/bench-cli.sh $(APP)-fenetre $(APP)

## central: a local rdv-central on 127.0.0.1:8787 (CENTRAL_LISTEN), over a PostgreSQL of its own
## (build/pg-dev/, kept between runs; build/scripts/pg-dev.sh stop stops it); Ctrl-C stops the server
CENTRAL_LISTEN ?= 127.0.0.1:8787
central:
	@dsn=$$(build/scripts/pg-dev.sh start) && \
	go build -o build/bin/rdv-central ./sync/cmd/rdv-central && \
	echo "" && \
	echo "rdv-central : base $$dsn" && \
	echo "Pour y brancher un bureau :" && \
	echo "  1. rdv-guichet organisation --db FICHIER          (l'identifiant de son organisation)" && \
	echo "  2. RDV_CENTRAL_DB='$$dsn' build/bin/rdv-central office add --organisation ID --name \"Mairie de …\"" && \
	echo "  3. rdv-guichet sync --db FICHIER --server http://$(CENTRAL_LISTEN) --token JETON" && \
	echo "Réservation en ligne : http://$(CENTRAL_LISTEN)/v1/public/ID/motifs ; guide : docs/guide/central.md" && \
	echo "" && \
	RDV_CENTRAL_DB=$$dsn exec build/bin/rdv-central serve --listen $(CENTRAL_LISTEN)

## release: Linux binary, Windows .exe and NSIS installer
release: setup-test
	$(WAILS) build -m -clean
	$(WAILS) build -m -s -platform windows/amd64 -nsis
	@test -f build/bin/rdv-guichet-amd64-installer.exe || { echo "L'installateur Windows n'a pas été produit (makensis manquant ?)"; exit 1; }
	@ls -l build/bin

clean:
	rm -rf build/bin frontend/dist
