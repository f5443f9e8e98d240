package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"rdvguichet/app/bridge"
	"rdvguichet/backend/agenda"
	"rdvguichet/backend/poste"
	"rdvguichet/backend/store"
)

// RemoteService is the window of a poste secondaire (ADR 0010): the one Go struct it binds. The
// frontend's shim (frontend/src/shared/remote.ts) asks Methods and fills window.go.app.<Type>.
// <Method> with forwarders to Call, so that the screens call the same bindings as on the
// principal. Call sends the call to the principal, which runs it in the poste's own services
// (its agent's session, its role's methods only), then prints here what the principal printed
// for this poste. Paramètres › Impression is this poste's own: read and written here.
type RemoteService struct {
	conn        Forwarder
	cfg         poste.Config
	save        func(poste.Config) error // writes the poste's configuration (its printing settings)
	newPrinters PrinterFactory
	documents   string // the folder under which the documents the principal made for this poste are written

	mu      sync.Mutex
	pending map[[32]byte]string // a call that found no principal → its idempotency key, for the retry
}

// Forwarder sends a call to the principal (*poste.Client).
type Forwarder interface {
	Call(ctx context.Context, req poste.CallRequest, key string) (poste.CallReply, error)
}

// NewRemote returns the window of the poste cfg describes, calling the principal through conn;
// save writes cfg when the poste's printing settings change; printers makes the poste's printers
// (SystemPrinters; a recorder in tests); the documents the agent saves (convocations, day lists…)
// are written in their folders under documents, on this PC. Every exported method is bound: no
// setter here.
func NewRemote(conn Forwarder, cfg poste.Config, save func(poste.Config) error, printers PrinterFactory, documents string) *RemoteService {
	return &RemoteService{conn: conn, cfg: cfg, save: save, newPrinters: printers, documents: documents, pending: map[[32]byte]string{}}
}

// RoleMethods are the names of the methods a poste of role reaches ("app.AgentService.Book"…).
func RoleMethods(role string) []string {
	none := &Services{} // typed nil services: their methods' names only
	return bridge.MethodsOf(none.RoleBindings(role)...).Names()
}

// RemoteInfo tells the window which poste it is and whose agenda it shows.
type RemoteInfo struct {
	Name        string `json:"name"`
	Role        string `json:"role"`
	Office      string `json:"office"`
	Address     string `json:"address"`
	Fingerprint string `json:"fingerprint"`
}

// Poste describes this poste secondaire.
func (r *RemoteService) Poste() (RemoteInfo, error) {
	c := r.config()
	return RemoteInfo{Name: c.Name, Role: c.Role, Office: c.Office, Address: c.Address, Fingerprint: c.Fingerprint}, nil
}

// Methods returns the methods of the poste's role, for the frontend's shim.
func (r *RemoteService) Methods() ([]string, error) { return RoleMethods(r.config().Role), nil }

func (r *RemoteService) config() poste.Config {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cfg
}

// Methods the poste answers itself: its printing settings are its own.
const (
	methodPrintingSettings = "app.AgentService.PrintingSettings"
	methodSavePrinting     = "app.AgentService.SavePrintingSettings"
	methodKioskBook        = "app.KioskService.Book"
)

// Call calls name with args on the principal and returns its result as JSON, or its failure as
// the door's error. A call that finds no principal fails with poste_injoignable after a few
// tries; the same call made again (the window's retry, the same arguments) reuses its
// idempotency key, so that a booking whose answer was lost is not made twice.
func (r *RemoteService) Call(name string, args []json.RawMessage) (json.RawMessage, error) {
	ctx := context.Background()
	switch name {
	case methodPrintingSettings:
		return r.printingSettings(ctx, args)
	case methodSavePrinting:
		return r.savePrinting(ctx, args)
	}
	reply, err := r.forward(ctx, name, args)
	if err != nil {
		return nil, r.door(err)
	}
	if err := r.printJobs(ctx, reply.Jobs); err != nil {
		if name != methodKioskBook {
			return nil, r.door(err)
		}
		// The kiosk's booking is made: the ticket is not printed, the usager asks at the reception.
		if reply.Result, err = ticketNotPrinted(reply.Result); err != nil {
			return nil, r.door(err)
		}
	}
	if reply.Error != nil {
		return nil, &doorError{*reply.Error}
	}
	result, err := r.writeDocuments(reply.Result)
	if err != nil {
		return nil, r.door(err)
	}
	return result, nil
}

// writeDocuments writes here the documents of a result (FileResult with its Folder, at any depth:
// the personal data's export holds two) and gives their paths on this PC.
func (r *RemoteService) writeDocuments(result json.RawMessage) (json.RawMessage, error) {
	if !bytes.Contains(result, []byte(`"folder":`)) {
		return result, nil
	}
	dec := json.NewDecoder(bytes.NewReader(result))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if err := r.writeIn(v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

func (r *RemoteService) writeIn(v any) error {
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			if err := r.writeIn(x); err != nil {
				return err
			}
		}
	case map[string]any:
		folder, _ := v["folder"].(string)
		if folder == "" {
			for _, x := range v {
				if err := r.writeIn(x); err != nil {
					return err
				}
			}
			return nil
		}
		name, _ := v["fileName"].(string)
		data, err := base64.StdEncoding.DecodeString(fmt.Sprint(v["base64"]))
		// The principal names a folder and a file, never a path.
		if err != nil || name != filepath.Base(name) || folder != filepath.Base(folder) || strings.HasPrefix(name, ".") || strings.HasPrefix(folder, ".") {
			return agenda.E("app.RemoteService.document", agenda.Other, fmt.Errorf("document illisible « %s/%s »", folder, name))
		}
		f, err := writeFile(r.documents, folder, name, data)
		if err != nil {
			return err
		}
		delete(v, "folder")
		v["path"], v["url"] = f.Path, f.URL
	}
	return nil
}

// kioskTexts are the usager's words, on a borne, for the troubles with the principal (the code
// stays, for the screen).
var kioskTexts = map[agenda.Code]string{
	agenda.CodePosteInjoignable: "poste_borne_indisponible",   // « … adressez-vous à l'accueil »
	agenda.CodePosteReponse:     "poste_borne_reponse_perdue", // « … peut-être été enregistrée … »
}

// door is err as the window shows it; a borne speaks to the usager (kioskTexts).
func (r *RemoteService) door(err error) error {
	d := userError(err)
	var de *doorError
	if errors.As(d, &de) && kioskTexts[de.Code] != "" && r.config().Role == store.RoleBorne {
		de.Message.Message = say(kioskTexts[de.Code])
	}
	return d
}

// forward sends the call under its idempotency key: a new one, or the one of the same call that
// found no principal before.
func (r *RemoteService) forward(ctx context.Context, name string, args []json.RawMessage) (poste.CallReply, error) {
	if !isRoleMethod(r.config().Role, name) {
		return poste.CallReply{}, agenda.Fail("app.RemoteService", agenda.CodeRoleRefuse, "method", name)
	}
	r.mu.Lock()
	req := poste.CallRequest{Name: name, Args: args, Printing: r.cfg.Printing}
	body, err := json.Marshal(req)
	if err != nil {
		r.mu.Unlock()
		return poste.CallReply{}, err
	}
	id := sha256.Sum256(body)
	key, ok := r.pending[id]
	if !ok {
		key = uuid.NewString()
	}
	r.mu.Unlock()
	reply, err := r.conn.Call(ctx, req, key)
	r.mu.Lock()
	defer r.mu.Unlock()
	if agenda.CodeOf(err) == agenda.CodePosteInjoignable {
		r.pending[id] = key
	} else {
		delete(r.pending, id)
	}
	return reply, err
}

func isRoleMethod(role, name string) bool { return slices.Contains(RoleMethods(role), name) }

// printJobs prints here what the principal printed for this poste.
func (r *RemoteService) printJobs(ctx context.Context, jobs []poste.PrintJob) error {
	for _, j := range jobs {
		var set PrinterSettings
		if err := json.Unmarshal(j.Settings, &set); err != nil {
			return agenda.E("app.RemoteService.print", agenda.Other, err)
		}
		set = set.normalized()
		printers := r.newPrinters(set)
		printer, name := printers.A4, set.a4Name()
		if j.Target == poste.TargetTicket {
			printer, name = printers.Ticket, set.ticketName()
		}
		if printer == nil {
			return agenda.Fail("app.RemoteService.print", agenda.CodeNoTicketPrinter)
		}
		if err := printDoc(ctx, printer, name, j.Document); err != nil {
			return err
		}
	}
	return nil
}

// ticketNotPrinted rewrites a kiosk booking's result whose ticket did not come out here.
func ticketNotPrinted(result json.RawMessage) (json.RawMessage, error) {
	var res KioskBookResult
	if err := json.Unmarshal(result, &res); err != nil {
		return nil, err
	}
	if res.Ticket != nil {
		res.Ticket.Printed, res.Ticket.PrintMessage = false, say("kiosk_not_printed")
	}
	return json.Marshal(res)
}

// localPrinting returns the poste's own printing settings.
func (r *RemoteService) localPrinting() PrinterSettings {
	var p PrinterSettings
	if c := r.config(); len(c.Printing) > 0 {
		_ = json.Unmarshal(c.Printing, &p) // unreadable: the defaults, as on the principal
	}
	return p.normalized()
}

// printingSettings is Paramètres › Impression of this poste: the principal checks the caller is
// an administrator (and answers with the poste's settings, which it got with the call); the
// printers listed are this PC's.
func (r *RemoteService) printingSettings(ctx context.Context, args []json.RawMessage) (json.RawMessage, error) {
	reply, err := r.forward(ctx, methodPrintingSettings, args)
	if err == nil && reply.Error != nil {
		err = &doorError{*reply.Error}
	}
	if err != nil {
		return nil, userError(err)
	}
	out := printingView(ctx, r.localPrinting())
	return json.Marshal(out)
}

// savePrinting validates and keeps this poste's printing settings, once the principal has said
// the caller is an administrator.
func (r *RemoteService) savePrinting(ctx context.Context, args []json.RawMessage) (json.RawMessage, error) {
	if len(args) != 1 {
		return nil, userError(agenda.Fail("app.RemoteService", agenda.CodePosteRequete))
	}
	if _, err := r.printingSettings(ctx, nil); err != nil {
		return nil, err
	}
	v, errs, err := CheckPrinterSettings(args[0])
	if err != nil {
		return nil, userError(err)
	}
	if len(errs) > 0 {
		return json.Marshal(SaveResult{Errors: errs})
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	cfg := r.cfg
	cfg.Printing = v
	if err := r.save(cfg); err != nil {
		return nil, userError(err)
	}
	r.cfg = cfg
	res, _ := saved("", nil)
	return json.Marshal(res)
}

// EventSource is the principal's stream of change events (*poste.Client).
type EventSource interface {
	Events(ctx context.Context, changed func()) error
}

// relayAgain is the pause before a counter follows the principal's events again after a cut.
const relayAgain = 2 * time.Second

// RelayEvents gives a counter's window the principal's change events until ctx ends, as the
// principal's own window gets them (EventDataChanged): its screens reload within about as long.
// After a cut it follows again, and says « changed » once: something may have changed unseen.
func RelayEvents(ctx context.Context, src EventSource, emit Emitter) {
	changed := func() { emit.Emit(EventDataChanged) }
	for ctx.Err() == nil {
		err := src.Events(ctx, changed)
		if ctx.Err() != nil {
			return
		}
		log.Printf("postes : suivi des changements du poste principal interrompu : %v", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(relayAgain):
		}
		changed()
	}
}
