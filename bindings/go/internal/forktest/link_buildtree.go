//go:build !authy_pkgconfig

package forktest

// #cgo CFLAGS: -I${SRCDIR}/../../../../include
// #cgo LDFLAGS: -L${SRCDIR}/../../../../target/release -lauthy -Wl,-rpath,${SRCDIR}/../../../../target/release
import "C"
