module github.com/libauthy/libauthy/bindings/go

go 1.19
