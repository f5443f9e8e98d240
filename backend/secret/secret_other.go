//go:build !windows

package secret

import "encoding/base64"

// No facility is assumed outside Windows: the protection is the data file's mode (0600).
const scheme = PrefixPlain

func seal(data []byte) (string, error) {
	return PrefixPlain + base64.StdEncoding.EncodeToString(data), nil
}

// openDPAPI: a value sealed on Windows cannot be opened here.
func openDPAPI([]byte) ([]byte, error) { return nil, ErrUnreadable }
