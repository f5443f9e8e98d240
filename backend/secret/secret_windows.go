//go:build windows

package secret

import (
	"encoding/base64"
	"fmt"
	"unsafe"

	"golang.org/x/sys/windows"
)

const scheme = PrefixDPAPI

// entropy is DPAPI's optional entropy: another program of the same Windows account that calls
// CryptUnprotectData on the blob must know it too.
var entropy = []byte("RDV Guichet secret v1")

var description, _ = windows.UTF16PtrFromString("RDV Guichet")

func blob(b []byte) *windows.DataBlob {
	if len(b) == 0 {
		return &windows.DataBlob{}
	}
	return &windows.DataBlob{Size: uint32(len(b)), Data: &b[0]}
}

// take copies DPAPI's output and frees it.
func take(out *windows.DataBlob) []byte {
	defer windows.LocalFree(windows.Handle(unsafe.Pointer(out.Data)))
	return append([]byte(nil), unsafe.Slice(out.Data, out.Size)...)
}

func seal(data []byte) (string, error) {
	var out windows.DataBlob
	// CRYPTPROTECT_UI_FORBIDDEN: never a prompt (the sender runs in the background).
	if err := windows.CryptProtectData(blob(data), description, blob(entropy), 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &out); err != nil {
		// The error is the system's; it never carries the secret.
		return "", fmt.Errorf("chiffrement DPAPI : %w", err)
	}
	return PrefixDPAPI + base64.StdEncoding.EncodeToString(take(&out)), nil
}

func openDPAPI(sealed []byte) ([]byte, error) {
	var out windows.DataBlob
	if err := windows.CryptUnprotectData(blob(sealed), nil, blob(entropy), 0, nil, windows.CRYPTPROTECT_UI_FORBIDDEN, &out); err != nil {
		return nil, ErrUnreadable
	}
	return take(&out), nil
}
