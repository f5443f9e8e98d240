// Command bench-bare is the bare Wails app that `make bench-startup` measures RDV Guichet's
// window against (build/scripts/bench-startup.sh): the same Wails version and window options
// (app/window.Agents), one page that calls Go once loaded and prints UI_READY, as the agents'
// window does.
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"

	"github.com/wailsapp/wails/v2"

	"rdvguichet/app/window"
)

//go:embed index.html
var page embed.FS

// Bare is bound to the page: its Ready marks the window as loaded.
type Bare struct{}

// Ready prints the line the benchmark waits for.
func (Bare) Ready() { fmt.Println("UI_READY") }

func main() {
	if err := wails.Run(window.Agents(fs.FS(page), nil, []any{&Bare{}})); err != nil {
		fmt.Fprintln(os.Stderr, "bench-bare :", err)
		os.Exit(1)
	}
}
