// Package window is what of the desktop app speaks to Wails: the options of the agents' window
// and of the kiosk, and the emitter of the window's events. Package app does not import Wails, so
// that the command line (cmd/rdv-guichet) links no GUI toolkit (docs/decisions/0011).
package window

import (
	"context"
	"io/fs"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"rdvguichet/app"
)

// Agents returns the Wails options of the agent's window.
func Agents(assets fs.FS, onStartup func(context.Context), bind []any) *options.App {
	o := &options.App{
		Title:            "RDV Guichet",
		Width:            1360,
		Height:           860,
		MinWidth:         1024,
		MinHeight:        700,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 255, G: 255, B: 255, A: 1},
		OnStartup:        onStartup,
		Bind:             bind,
		Windows:          &windows.Options{DisablePinchZoom: true},
	}
	return o
}

// Kiosk returns the options of the lobby kiosk (rdv-guichet --borne): full screen
// from the start, without frame, above every other window, neither resizable nor zoomable, and
// without the browser's context menu (off unless EnableDefaultContextMenu). Alt+F4 still closes
// it: a touch screen has no keyboard, and the agent who plugs one in may leave the kiosk;
// Windows' Assigned Access restarts it (docs/guide/borne.md).
func Kiosk(assets fs.FS, onStartup func(context.Context), bind []any) *options.App {
	o := Agents(assets, onStartup, bind)
	o.Title = "RDV Guichet — borne d’accueil"
	o.Fullscreen, o.WindowStartState = true, options.Fullscreen
	o.Frameless, o.AlwaysOnTop, o.DisableResize = true, true, true
	o.MinWidth, o.MinHeight = 0, 0
	o.EnableDefaultContextMenu = false
	o.Windows = &windows.Options{DisablePinchZoom: true, IsZoomControlEnabled: false}
	return o
}

// Emitter emits to the Wails window whose lifecycle context is ctx (the one OnStartup receives:
// any other context makes the runtime exit the program).
func Emitter(ctx context.Context) app.Emitter { return emitter{ctx} }

type emitter struct{ ctx context.Context }

func (w emitter) Emit(event string) { runtime.EventsEmit(w.ctx, event) }
