// Package geth tests schemarpc's subscriptions against go-ethereum's own
// client (github.com/ethereum/go-ethereum/rpc, Client.Subscribe) as an
// outside client. It is a module of its own so that the core module does
// not depend on go-ethereum; it has tests only.
package geth
