module github.com/eidbridge/eidbridge

go 1.26.0

require (
	github.com/ebfe/scard v0.0.0-20230420082256-7db3f9b7c8a7
	golang.org/x/term v0.48.0
)

require (
	github.com/akavel/rsrc v0.10.2 // indirect
	github.com/dchest/jsmin v0.0.0-20220218165748-59f39799265f // indirect
	github.com/gorilla/websocket v1.5.3 // indirect
	github.com/josephspurrier/goversioninfo v1.4.1 // indirect
	github.com/ncruces/zenity v0.10.14 // indirect
	github.com/randall77/makefat v0.0.0-20210315173500-7ddd0e42c844 // indirect
	golang.org/x/image v0.20.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
)
