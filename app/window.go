package app

import (
	"context"
	"io/fs"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
)

// Mode is the window the binary opens: the agent's desktop or the lobby kiosk.
type Mode string

const (
	ModeAgent Mode = "agent"
	ModeKiosk Mode = "kiosk"
)

// WindowOptions returns the Wails options for mode. Only the services of that mode are bound:
// the kiosk window can reach nothing but what an anonymous usager may see or do.
func WindowOptions(mode Mode, assets fs.FS, onStartup func(context.Context), bind []any) *options.App {
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
	if mode == ModeKiosk {
		o.Title = "RDV Guichet — borne"
		o.Fullscreen = true
		o.Frameless = true
		o.DisableResize = true
		o.AlwaysOnTop = true
		o.EnableDefaultContextMenu = false
	}
	return o
}
