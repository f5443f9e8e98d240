// Command e2eserve serves the built frontend and the real app services over HTTP on loopback, for
// the Playwright tests in Debian's Chromium (see docs/decisions/0001-layout-additions.md). It
// creates a fresh demo agenda at a fixed instant, so that every run sees the same agenda; -db serves
// that file instead, creating the demo there if it does not exist (the UI benchmark's agenda of a
// million RDVs; the agents' window and the kiosk on one file, as two processes of one PC).
// -borne serves the lobby kiosk's bindings only, as rdv-guichet --borne binds them. The agents'
// window gets the events of the data file (app.Hub) through the bridge's event stream, as the
// desktop window gets them from Wails. -central serves a fake rdv-central
// (sync/client/clienttest) on the same address, under that path, and runs the window's background
// sync, so that the tests connect Paramètres › Serveur central to it (fakeCentral). -poste FILE
// serves the window of a paired poste secondaire instead: its RemoteService alone, every call going
// to its principal (« rdv-guichet serve », or this server's agents' window once Paramètres › Postes
// serves); without it, the window pairs as the desktop's does (the pairing screen, its
// configuration where RDV_GUICHET_POSTE says) and then serves the poste's. Development only: it is not part of the shipped binary.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"rdvguichet/app"
	"rdvguichet/app/bridge"
	"rdvguichet/app/principal"
	"rdvguichet/backend/cli"
	"rdvguichet/backend/demo"
	"rdvguichet/backend/poste"
	"rdvguichet/backend/printing"
	"rdvguichet/backend/store"
)

// fakePrinter stands for every printer: the tests print, nothing reaches paper. It refuses what
// a real printer could not print (an A4 job that is not a PDF) and logs the rest.
type fakePrinter struct{ name string }

func (p fakePrinter) Print(_ context.Context, doc printing.Document) error {
	if doc.Kind == printing.PDF && !bytes.HasPrefix(doc.Data, []byte("%PDF-")) {
		return fmt.Errorf("%s : « %s » n’est pas un PDF", p.name, doc.Title)
	}
	log.Printf("e2eserve : %s imprime « %s » (%d octets)", p.name, doc.Title, len(doc.Data))
	return nil
}

// fakePrinters stands for the printers of Paramètres › Impression.
func fakePrinters(set app.PrinterSettings) app.Printers {
	p := app.SystemPrinters(set)
	p.A4 = fakePrinter{"imprimante A4 simulée"}
	if p.Ticket != nil {
		p.Ticket = fakePrinter{"imprimante de tickets simulée"}
	}
	return p
}

// posteWindow is the window of a paired poste secondaire: the frontend's shim
// (shared/remote.ts) fills window.go from RemoteService, every call goes to the principal
// (« rdv-guichet serve », a real process), and what it prints comes out on fake printers.
func posteWindow(dist, cfgPath string) (http.Handler, error) {
	cfg, paired, err := poste.LoadConfig(cfgPath)
	if err != nil || !paired {
		return nil, fmt.Errorf("-poste %s : configuration illisible ou absente (%v)", cfgPath, err)
	}
	client, err := cfg.Client()
	if err != nil {
		return nil, err
	}
	remote := app.NewRemote(client, cfg, func(c poste.Config) error { return c.Save(cfgPath) }, fakePrinters, filepath.Dir(cfgPath))
	log.Printf("e2eserve : poste secondaire « %s », %s, principal %s", cfg.Name, cfg.Role, cfg.Address)
	return bridge.New(os.DirFS(dist), remote), nil
}

// window is the window served, which the pairing screen replaces by the poste's (OpenAsPoste),
// as the desktop opens anew.
type window struct{ h atomic.Pointer[http.Handler] }

func (w *window) set(h http.Handler)                                { w.h.Store(&h) }
func (w *window) ServeHTTP(rw http.ResponseWriter, r *http.Request) { (*w.h.Load()).ServeHTTP(rw, r) }

// fixedClock is a clock stopped at one instant: the tests' "now".
type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

func main() {
	addr := flag.String("addr", "127.0.0.1:34116", "adresse d’écoute (loopback)")
	dist := flag.String("dist", "frontend/dist", "dossier du frontend construit")
	nowFlag := flag.String("now", "2026-03-10T08:45:00+01:00", "instant présent des tests (RFC 3339)")
	dbFlag := flag.String("db", "", "fichier de données existant à servir (par défaut : une démo neuve)")
	kiosk := flag.Bool("borne", false, "servir la borne d’accueil (KioskService seul) au lieu de la fenêtre des agents")
	central := flag.String("central", "/faux-central", "chemin du faux serveur central servi à la même adresse (vide : aucun)")
	centralToken := flag.String("central-token", "jeton-e2e", "jeton du guichet que le faux serveur central accepte")
	posteFile := flag.String("poste", "", "configuration d’un poste secondaire appairé (rdv-guichet poste pair) : servir sa fenêtre, RemoteService seul")
	empty := flag.Bool("vide", false, "servir un fichier neuf sans démonstration : la fenêtre s’ouvre sur le choix du premier démarrage")
	flag.Parse()
	if *posteFile != "" {
		h, err := posteWindow(*dist, *posteFile)
		if err != nil {
			log.Fatal(err)
		}
		log.Printf("e2eserve : http://%s", *addr)
		log.Fatal(http.ListenAndServe(*addr, h))
	}

	now, err := time.Parse(time.RFC3339, *nowFlag)
	if err != nil {
		log.Fatalf("--now : %v", err)
	}
	path := *dbFlag
	if path == "" {
		dir, err := os.MkdirTemp("", "rdv-e2e-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "e2e.sqlite")
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) && !*empty {
		if _, err := demo.Create(context.Background(), path, now, cli.DemoDays); err != nil {
			log.Fatalf("démo : %v", err)
		}
	}
	clock := fixedClock{now}
	db, err := store.Open(path, store.Options{Clock: clock})
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	services := app.New(db, clock, log.New(os.Stdout, "", 0))
	services.SetPrinterFactory(fakePrinters)
	// Paramètres › Postes serves the office's postes from this process, as the desktop window does.
	postes := principal.New(db, clock, log.Default(), services.Events)
	defer postes.Stop()
	services.SetServing(postes)
	bound, room := services.Bindings(), "agents"
	if *kiosk {
		bound, room = services.KioskBindings(), "borne"
	}
	server := bridge.New(os.DirFS(*dist), bound...)
	if !*kiosk {
		services.Events.Start(context.Background(), server)
	}
	served := &window{}
	served.set(server)
	// Once paired (the pairing screen), this window becomes the poste's, its configuration where
	// RDV_GUICHET_POSTE says.
	services.SetReopen(func() error {
		path, err := poste.ConfigPath()
		if err != nil {
			return err
		}
		h, err := posteWindow(*dist, path)
		if err == nil {
			served.set(h)
		}
		return err
	})
	var handler http.Handler = served
	if *central != "" && !*kiosk {
		mux := http.NewServeMux()
		prefix := "/" + strings.Trim(*central, "/")
		mux.Handle(prefix+"/", http.StripPrefix(prefix, newFakeCentral(*centralToken)))
		mux.Handle("/", handler)
		handler = mux
		services.SetSyncPace(5 * time.Second)
		services.StartSync(context.Background())
		log.Printf("e2eserve : faux serveur central sur http://%s%s (jeton « %s »)", *addr, prefix, *centralToken)
	}
	log.Printf("e2eserve : http://%s (%s, maintenant = %s)", *addr, room, now.Format(time.RFC3339))
	log.Fatal(http.ListenAndServe(*addr, handler))
}
