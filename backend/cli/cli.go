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
	"slices"
	"sort"
	"strings"

	"rdvguichet/backend/agenda"
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

// Main runs the subcommand args[0] with its arguments and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	return run(&env{stdout: stdout, stderr: stderr, clock: agenda.SystemClock{}}, args)
}

func run(e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "aide" {
		printHelp(e.stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "rdv-guichet : commande inconnue « %s ». Commandes : %s.\n", args[0], strings.Join(names(), ", "))
		return 2
	}
	err := c.run(e, args[1:])
	var u usageError
	switch {
	case err == nil:
		return 0
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
		return 1
	}
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
	fmt.Fprintln(w, "Usage : rdv-guichet [--db FICHIER] [--borne]      ouvre l'application")
	fmt.Fprintln(w, "        rdv-guichet <commande> [options]         administration")
	fmt.Fprintln(w, "\nCommandes :")
	for _, n := range names() {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\n« rdv-guichet <commande> -h » détaille les options d'une commande.")
}

// flags makes a FlagSet whose errors are usage errors in French.
func flags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage : rdv-guichet %s %s\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args and turns the flag package's English errors into a French usage error.
func parse(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(nil)
		fs.Usage()
		return err
	}
	if err != nil {
		msg := err.Error()
		switch {
		case strings.HasPrefix(msg, "flag provided but not defined: "):
			return usagef("option inconnue %s", strings.TrimPrefix(msg, "flag provided but not defined: "))
		case strings.HasPrefix(msg, "flag needs an argument: "):
			return usagef("l'option %s attend une valeur", strings.TrimPrefix(msg, "flag needs an argument: "))
		}
		return usagef("%s", msg)
	}
	if fs.NArg() > 0 {
		return usagef("argument inattendu « %s »", fs.Arg(0))
	}
	return nil
}

// wantsJSON reports whether the command was asked for --json output.
func wantsJSON(args []string) bool {
	return slices.ContainsFunc(args, func(a string) bool { return a == "--json" || a == "-json" || a == "--json=true" })
}

// Message is the French text shown for err: the catalogue's text of its code, validation errors
// with their fields. An error without a code (the file-level checks of open, backup and restore
// write their own explanation for the administrator) keeps its text.
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
	return err.Error()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
