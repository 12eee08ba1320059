// Package interop holds tests that run clients nobody here wrote against a
// schemarpc server over real connections: today aiohttp (the HTTP library
// of Python's aiohttp-rpc), driven by testdata/aiohttp_client.py. The
// package has no code of its own.
//
// The tests need python3 with aiohttp (Debian: apt-get install
// python3-aiohttp). Without them a test skips, except when the environment
// variable CI is "true": then it fails, so CI never passes without running
// it.
package interop
