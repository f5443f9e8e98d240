package poste

import (
	"net"
	"strings"
)

// DefaultPort is DefaultListen's port: the one a new PC adds when its administrator types the
// principal's address alone (« 192.168.1.10 »).
const DefaultPort = "47650"

// NormalizeAddress is the principal's address as typed on a new PC, with DefaultPort when it
// names no port.
func NormalizeAddress(typed string) string {
	a := strings.TrimSpace(typed)
	if a == "" {
		return ""
	}
	if _, _, err := net.SplitHostPort(a); err == nil {
		return a
	}
	return net.JoinHostPort(strings.Trim(a, "[]"), DefaultPort)
}

// AddressesToType are the addresses the other PCs of the office type to reach a principal that
// listens on listen: the host it names, or, for every interface (":47650"), the IPv4 addresses of
// this PC's network interfaces that are up, loopback and link-local ones left out (another PC
// cannot reach them). ifaceAddrs is net.InterfaceAddrs, given for the tests.
func AddressesToType(listen string, ifaceAddrs func() ([]net.Addr, error)) []string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return nil
	}
	if host != "" && host != "0.0.0.0" && host != "::" {
		return []string{listen}
	}
	addrs, err := ifaceAddrs()
	if err != nil {
		return nil
	}
	out := []string{}
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok {
			continue
		}
		ip := n.IP.To4()
		if ip == nil || ip.IsLoopback() || ip.IsLinkLocalUnicast() {
			continue
		}
		out = append(out, net.JoinHostPort(ip.String(), port))
	}
	return out
}
