package store

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime/debug"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Passwords. The agents table keeps password_hash; its format is defined here, beside the column,
// so that the app's sign-in and the demo's accounts write and read the same thing: an argon2id
// hash in the PHC string format, « $argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash> » (base64 without
// padding), which carries its own parameters so that they can be raised later without
// invalidating the stored hashes.

// Argon2id parameters: RFC 9106's second recommendation (64 MiB, 3 passes), 2 lanes for the
// 2-core counter PCs. About a tenth of a second per sign-in.
const (
	argonTime    = 3
	argonMemory  = 64 * 1024 // KiB
	argonThreads = 2
	argonKeyLen  = 32
	argonSaltLen = 16

	// Bounds of the parameters read from a stored hash: a damaged or hostile row must not make a
	// sign-in allocate gigabytes or spin for minutes.
	maxArgonMemory  = 1024 * 1024 // KiB: 1 GiB
	maxArgonTime    = 16
	maxArgonThreads = 16
	maxArgonKeyLen  = 64
)

// argonKey derives the key and gives the memory back to the system at once: argon2id's 64 MiB
// block is garbage as soon as the key is out, but the Go runtime would hold it for minutes, and a
// counter PC's window would stay a third heavier after each sign-in (issue 16).
func argonKey(password, salt []byte, passes, memory uint32, threads uint8, keyLen uint32) []byte {
	key := argon2.IDKey(password, salt, passes, memory, threads, keyLen)
	debug.FreeOSMemory()
	return key
}

// HashPassword returns the PHC string of password with a fresh random salt.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argonKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the PHC string hash. An empty or unreadable hash
// (an account without password) matches nothing.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil || !argonParamsBounded(memory, passes, threads) {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > maxArgonKeyLen {
		return false
	}
	got := argonKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

func argonParamsBounded(memory, passes uint32, threads uint8) bool {
	return memory >= 8*uint32(threads) && memory <= maxArgonMemory &&
		passes >= 1 && passes <= maxArgonTime &&
		threads >= 1 && threads <= maxArgonThreads
}
