// Package cli is the administration command line built into the rdv-guichet binary
// (`rdv-guichet <commande>`): demo data, check, backup and restore, slot search and booking.
// Exit codes: 0 success, 1 failure (the message says what failed), 2 usage error.
package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"rdvguichet/backend/agenda"
	"rdvguichet/backend/clock"
	"rdvguichet/backend/messages"
)

// command is one subcommand: its one-line help and its body.
type command struct {
	summary string
	run     func(env *env, args []string) error
}

var commands = map[string]command{}

// IsCommand reports whether name is a subcommand (otherwise the binary opens its window).
func IsCommand(name string) bool {
	_, ok := commands[name]
	return ok || name == "help" || name == "aide"
}

// env is what a command may touch: its outputs and the clock.
type env struct {
	stdout, stderr io.Writer
	clock          agenda.Clock
}

// usageError is a mistake in the command line: exit code 2.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// written is a failure the command has already written out in full (a refused import's
// report in JSON): exit code 1, nothing more said.
type written struct{ error }

// Main runs the subcommand args[0] with its arguments and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	return MainAt(clock.System{}, args, stdout, stderr)
}

// MainAt is Main on the given clock: a command whose result depends on the day (init's plages
// start today) gives the same result as the window's door on the same clock.
func MainAt(now agenda.Clock, args []string, stdout, stderr io.Writer) int {
	return run(&env{stdout: stdout, stderr: stderr, clock: now}, args)
}

// DesktopOptions are the window's own flags.
type DesktopOptions struct {
	DB    string // --db: the data file ("" for the default)
	Kiosk bool   // --borne: the lobby kiosk
	Pair  bool   // --appairer: the pairing screen first (the installer's poste secondaire or borne)
}

// Dispatch reads the binary's command line. A first argument that is a word names a command: it
// runs here (known or not: a mistyped command is a usage error, never the window on the default
// file) and window is false, with the exit code. Otherwise the window's flags are read, with
// French usage errors (exit 2); window is true when the window should open.
func Dispatch(args []string, stdout, stderr io.Writer) (opts DesktopOptions, exit int, window bool) {
	e := &env{stdout: stdout, stderr: stderr, clock: clock.System{}}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return opts, run(e, args), false
	}
	fs := flags(e, "", "[--db FICHIER] [--borne] [--appairer]")
	fs.StringVar(&opts.DB, "db", "", "fichier de données (par défaut RDV_GUICHET_DB, sinon le dossier de données)")
	fs.BoolVar(&opts.Kiosk, "borne", false, "borne d’accueil : plein écran, prise de rendez-vous et enregistrement des arrivées, sans accès aux données des agents")
	fs.BoolVar(&opts.Pair, "appairer", false, "poste secondaire ou borne pas encore appairé : ouvrir l’écran d’appairage avec le poste principal")
	fs.Usage = func() { printHelp(fs.Output()) }
	err := parse(fs, args)
	var u usageError
	switch {
	case err == nil:
		return opts, 0, true
	case errors.Is(err, flag.ErrHelp):
		return opts, 0, false
	case errors.As(err, &u) && fs.NArg() > 0 && IsCommand(fs.Arg(0)):
		fmt.Fprintf(stderr, "rdv-guichet : les options se placent après la commande : rdv-guichet %s %s\n", fs.Arg(0), strings.Join(args[:len(args)-fs.NArg()], " "))
	case errors.As(err, &u):
		fmt.Fprintf(stderr, "rdv-guichet : %s. « rdv-guichet aide » liste les commandes et les options.\n", u.msg)
	default:
		fmt.Fprintf(stderr, "rdv-guichet : %s\n", Message(err))
	}
	return opts, 2, false
}

func run(e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "aide" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		printHelp(e.stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		hint := ""
		if near := closest(args[0]); near != "" {
			hint = " : voulez-vous dire « " + near + " » ?"
		}
		fmt.Fprintf(e.stderr, "rdv-guichet : commande inconnue « %s »%s\nCommandes : %s.\n", args[0], hint, strings.Join(names(), ", "))
		return 2
	}
	err := c.run(e, args[1:])
	var u usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, new(written)):
		return 1
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &u):
		fmt.Fprintf(e.stderr, "rdv-guichet %s : %s\n", args[0], u.msg)
		return 2
	case wantsJSON(args[1:]):
		// Scripts read the failure where they read the result: {"error": {"code", "message", …}}.
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]messages.Message{"error": messages.For(messages.French, err)})
		return 1
	default:
		fmt.Fprintf(e.stderr, "rdv-guichet %s : échec : %s\n", args[0], Message(err))
		if agenda.CodeOf(err) == agenda.CodeDatabaseDamaged {
			if p := agenda.ParamsOf(err); p["path"] != "" {
				fmt.Fprintln(e.stderr, messages.Text(messages.French, agenda.CodeRestoreHowTo, p))
			}
		}
		return 1
	}
}

// closest returns the command a mistyped word most likely meant (« chek » → check), or "".
func closest(word string) string {
	best, bestD := "", 3
	for _, n := range append(names(), "aide") {
		if d := distance(strings.ToLower(word), n); d < bestD || (d == bestD && best != "" && n < best) {
			best, bestD = n, d
		}
	}
	if bestD > 2 || bestD >= len(word) {
		return ""
	}
	return best
}

// distance is the Levenshtein distance between a and b (runes).
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

func names() []string {
	var n []string
	for k := range commands {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "Usage : rdv-guichet [--db FICHIER] [--borne] [--appairer]  ouvre l’application")
	fmt.Fprintln(w, "        rdv-guichet <commande> [options]         administration")
	fmt.Fprintln(w, "\nCommandes :")
	for _, n := range names() {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\n« rdv-guichet <commande> -h » détaille les options d’une commande.")
}

// flags makes a FlagSet whose errors are usage errors in French and whose -h prints the usage
// once, in French, on stderr.
func flags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		if name == "" {
			fmt.Fprintf(w, "Usage : rdv-guichet %s\n", usage)
		} else {
			fmt.Fprintf(w, "Usage : rdv-guichet %s %s\n", name, usage)
		}
		printDefaults(w, fs)
	}
	return fs
}

// printDefaults lists the options in French (the flag package writes « (default 7) »).
func printDefaults(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		line := "  --" + f.Name
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !b.IsBoolFlag() {
			line += " VALEUR"
		}
		fmt.Fprintf(w, "%s\n      %s", line, f.Usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(w, " (par défaut : %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}

var (
	badValue = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-(\S+): (.*)$`)
)

// parse parses args and turns the flag package's English errors into a French usage error; -h
// prints the usage once.
func parse(fs *flag.FlagSet, args []string) error {
	if err := parseOptions(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("argument inattendu « %s »", fs.Arg(0))
	}
	return nil
}

// parseWithArgs is parse for a command that takes arguments besides its options (a file to
// import): it returns them, wherever they stand among the options.
func parseWithArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := parseOptions(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest, args = append(rest, fs.Arg(0)), fs.Args()[1:]
	}
}

// parseOptions parses the options up to the first other argument.
func parseOptions(fs *flag.FlagSet, args []string) error {
	out := fs.Output()
	fs.SetOutput(io.Discard) // the flag package prints the usage on every error: we say it once
	err := fs.Parse(args)
	fs.SetOutput(out)
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
		return err
	}
	if err != nil {
		return usageError{frenchFlagError(fs, err.Error())}
	}
	return nil
}

func frenchFlagError(fs *flag.FlagSet, msg string) string {
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		return "option inconnue " + dashes(name)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		return "l’option " + dashes(name) + " attend une valeur"
	}
	if syntax, ok := strings.CutPrefix(msg, "bad flag syntax: "); ok {
		return "option mal écrite « " + syntax + " »"
	}
	if m := badValue.FindStringSubmatch(msg); m != nil {
		what := "valeur"
		if f := fs.Lookup(m[2]); f != nil {
			switch f.Value.(flag.Getter).Get().(type) {
			case bool:
				what = "true ou false"
			case int, int64, uint, uint64:
				what = "un nombre entier"
				if strings.Contains(m[3], "out of range") {
					what = "un nombre entier raisonnable"
				}
			case float64:
				what = "un nombre"
			case time.Duration:
				what = "une durée (par exemple 90s, 15m, 2h)"
			}
		}
		return fmt.Sprintf("--%s : « %s » n’est pas une valeur acceptée (attendu : %s)", m[2], m[1], what)
	}
	return "option invalide"
}

// dashes writes an option as the help does: --name.
func dashes(name string) string { return "--" + strings.TrimLeft(name, "-") }

// Years the command line accepts in a date: beyond them a typo (« 9999 ») would reach the
// engine and come back as « 30/12/10000 ».
const minYear, maxYear = 2000, 2100

// parseDay reads a day (AAAA-MM-JJ) given to option name: the one date parser of the commands.
func parseDay(name, s string) (agenda.Date, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return agenda.Date{}, usagef("--%s : « %s » n’est pas une date AAAA-MM-JJ (par exemple 2026-03-10)", name, s)
	}
	if t.Year() < minYear || t.Year() > maxYear {
		return agenda.Date{}, usagef("--%s : l’année doit être comprise entre %d et %d (« %s »)", name, minYear, maxYear, s)
	}
	return agenda.DateOf(t), nil
}

// parseInstant reads an instant (RFC 3339) given to option name, within the same years.
func parseInstant(name, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usagef("--%s : « %s » n’est pas une date RFC 3339 (par exemple 2026-03-03T09:30:00+01:00)", name, s)
	}
	if t.Year() < minYear || t.Year() > maxYear {
		return time.Time{}, usagef("--%s : l’année doit être comprise entre %d et %d (« %s »)", name, minYear, maxYear, s)
	}
	return t, nil
}

// wantsJSON reports whether the command was asked for --json output.
func wantsJSON(args []string) bool {
	return slices.ContainsFunc(args, func(a string) bool { return a == "--json" || a == "-json" || a == "--json=true" })
}

// Message is the French text shown for err: the catalogue's text of its code, validation errors
// with their fields. An error without a code keeps its own text, without the operations it went
// through (« store.Book: … »), which are for the logs.
func Message(err error) string {
	var v agenda.ValidationError
	switch {
	case errors.As(err, &v):
		m := messages.For(messages.French, err)
		parts := make([]string, len(m.Fields))
		for i, f := range m.Fields {
			parts[i] = f.Field + " : " + f.Message
		}
		return strings.Join(parts, " ; ")
	case agenda.HasCode(err):
		return messages.For(messages.French, err).Message
	}
	for {
		var ae *agenda.Error
		if !errors.As(err, &ae) {
			return err.Error()
		}
		if ae.Err == nil {
			return messages.For(messages.French, ae).Message
		}
		err = ae.Err
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
