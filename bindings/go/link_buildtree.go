//go:build !authy_pkgconfig

package authy

// Default linking: against the libauthy build tree of this repository (make build), with an
// rpath so the test binaries and examples start without LD_LIBRARY_PATH. Outside the repository
// these directories do not exist and are ignored by the compiler and the linker, so an installed
// libauthy is found through CGO_CFLAGS / CGO_LDFLAGS (or the system's default paths):
//
//	CGO_CFLAGS="$(pkg-config --cflags authy)" CGO_LDFLAGS="$(pkg-config --libs authy)" go build
//
// or build with the tag authy_pkgconfig to let cgo ask pkg-config itself (link_pkgconfig.go).

// #cgo CFLAGS: -I${SRCDIR}/../../include
// #cgo LDFLAGS: -L${SRCDIR}/../../target/release -lauthy -Wl,-rpath,${SRCDIR}/../../target/release
import "C"
