package poste

import (
	"net"
	"slices"
	"testing"
)

func TestNormalizeAddress(t *testing.T) {
	for typed, want := range map[string]string{
		" 192.168.1.10 ":     "192.168.1.10:47650",
		"192.168.1.10:50000": "192.168.1.10:50000",
		"accueil.local":      "accueil.local:47650",
		"fe80::1":            "[fe80::1]:47650",
		"[fe80::1]:47650":    "[fe80::1]:47650",
		"":                   "",
	} {
		if got := NormalizeAddress(typed); got != want {
			t.Errorf("%q: %q, want %q", typed, got, want)
		}
	}
}

func TestAddressesToType(t *testing.T) {
	ifaces := func() ([]net.Addr, error) {
		return []net.Addr{
			&net.IPNet{IP: net.ParseIP("127.0.0.1"), Mask: net.CIDRMask(8, 32)},
			&net.IPNet{IP: net.ParseIP("192.168.1.10"), Mask: net.CIDRMask(24, 32)},
			&net.IPNet{IP: net.ParseIP("169.254.3.4"), Mask: net.CIDRMask(16, 32)},
			&net.IPNet{IP: net.ParseIP("fe80::1"), Mask: net.CIDRMask(64, 128)},
			&net.IPNet{IP: net.ParseIP("10.0.0.7"), Mask: net.CIDRMask(8, 32)},
		}, nil
	}
	if got := AddressesToType(":47650", ifaces); !slices.Equal(got, []string{"192.168.1.10:47650", "10.0.0.7:47650"}) {
		t.Errorf("every interface: %v", got)
	}
	if got := AddressesToType("192.168.1.10:5000", ifaces); !slices.Equal(got, []string{"192.168.1.10:5000"}) {
		t.Errorf("one host: %v", got)
	}
	if got := AddressesToType("", ifaces); got != nil {
		t.Errorf("not serving: %v", got)
	}
}
