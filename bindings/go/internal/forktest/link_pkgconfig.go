//go:build authy_pkgconfig

package forktest

// #cgo pkg-config: authy
import "C"
