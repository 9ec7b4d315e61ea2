package authy

// #include <authy.h>
import "C"

// HeaderVersion and HeaderVersionNumber are the version of include/authy.h this package was
// compiled against; compare them with Version / VersionNumber (the loaded library) to detect a
// header/library mismatch.
const (
	HeaderVersion       = C.AUTHY_VERSION_STRING
	HeaderVersionNumber = C.AUTHY_VERSION_NUMBER
)

// Version is the version of the loaded libauthy, e.g. "0.1.0".
func Version() string { return C.GoString(C.authy_version()) }

// VersionNumber is MAJOR*10000 + MINOR*100 + PATCH of the loaded libauthy.
func VersionNumber() int { return int(C.authy_version_number()) }
