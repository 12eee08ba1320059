// Command contractfirst is a service implemented from an OpenRPC document:
// `go generate` turns openrpc.json into package api (types, the Service
// interface with Register, and a Client), and this program implements
// api.Service, serves it and calls it with the generated client.
//
// It prints:
//
//	ABC-0001: 5 (part)
//	ABC-0001: 7 (part)
//	jsonrpc error -32602: Invalid params (data: [{"pointer":"/sku","keyword":"pattern","message":"expected a string matching \"^[A-Z]{3}-[0-9]{4}$\", got \"abc\""}])
//	unknown item: true
package main

//go:generate go run ../../cmd/schemarpc gen openrpc.json --package api --out api
