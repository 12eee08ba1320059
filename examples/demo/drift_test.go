package demo_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/validate"
)

var update = flag.Bool("update", false, "rewrite openrpc.json at the repository root from the code")

// openrpcPath is the committed document of the demo service.
var openrpcPath = filepath.Join("..", "..", "openrpc.json")

// TestOpenRPCDrift fails when openrpc.json differs from what the demo
// service generates. Regenerate it with
//
//	go generate ./examples/demo
//
// (which runs this test with -update).
func TestOpenRPCDrift(t *testing.T) {
	got, err := demo.New(nil).OpenRPCJSON()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(openrpcPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(openrpcPath)
	if err != nil {
		t.Fatalf("%v (generate it with: go generate ./examples/demo)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("openrpc.json is out of date with the demo service; regenerate it with: go generate ./examples/demo\n%s", firstDiff(want, got))
	}
}

// TestOpenRPCMetaSchema checks the committed document against the official
// OpenRPC 1.3.2 meta-schema.
func TestOpenRPCMetaSchema(t *testing.T) {
	doc, err := os.ReadFile(openrpcPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.OpenRPCDocument(doc); err != nil {
		t.Fatalf("openrpc.json does not validate against the OpenRPC meta-schema: %v", err)
	}
}

func firstDiff(a, b []byte) string {
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y []byte
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if !bytes.Equal(x, y) {
			return "first difference at line " + itoa(i+1) + ":\n  committed: " + string(x) + "\n  generated: " + string(y)
		}
	}
	return ""
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for n >= 10 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	b[i] = byte('0' + n)
	return string(b[i:])
}
