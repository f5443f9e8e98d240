//go:build bindings

package main

// `wails generate module` builds this package with the tag "bindings" and runs it without
// arguments to write frontend/wailsjs from what it binds: the agent's and the kiosk's services.
func init() { generatingBindings = true }
