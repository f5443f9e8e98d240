package app

import (
	"context"
	"io/fs"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
)

// WindowOptions returns the Wails options of the agent's window.
func WindowOptions(assets fs.FS, onStartup func(context.Context), bind []any) *options.App {
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
