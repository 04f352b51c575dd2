module github.com/eidbridge/eidbridge

go 1.26.0

require (
	github.com/ebfe/scard v0.0.0-20230420082256-7db3f9b7c8a7
	golang.org/x/term v0.48.0
)

require golang.org/x/sys v0.50.0 // indirect
