//go:build authy_pkgconfig

package authy

// Linking against an installed libauthy through pkg-config (go build -tags authy_pkgconfig):
// needs authy.pc on PKG_CONFIG_PATH (make install puts it under $(LIBDIR)/pkgconfig).

// #cgo pkg-config: authy
import "C"
