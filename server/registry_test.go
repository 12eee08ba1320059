package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/schemarpc/schemarpc/server"
)

type whenParams struct {
	At time.Time `json:"at"`
}

// paramType returns the schema type of the first param of the method named
// name in s's OpenRPC document.
func paramType(t *testing.T, s *server.Server, name string) string {
	t.Helper()
	for _, m := range s.OpenRPC().Methods {
		if m.Name == name {
			return m.Params[0].Schema.Type
		}
	}
	t.Fatalf("method %q not in the document", name)
	return ""
}

// One *Method is a description that any number of servers may register at
// once (run with -race); each server keeps what it computed, so a server's
// type schemas never leak into another's document.
func TestMethod_registeredOnManyServers(t *testing.T) {
	m := server.Func("when", func(ctx context.Context, p whenParams) (bool, error) { return true, nil })
	plain := make([]*server.Server, 4)
	unix := make([]*server.Server, 4)
	for i := range plain {
		plain[i] = server.New()
		unix[i] = server.New(server.WithTypeSchema[time.Time](&jsonschema.Schema{Type: "integer"}))
	}
	var wg sync.WaitGroup
	for _, s := range append(append([]*server.Server{}, plain...), unix...) {
		wg.Go(func() {
			if err := s.Add(m); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i := range plain {
		if got := paramType(t, plain[i], "when"); got != "string" {
			t.Errorf("plain server %d: param type %q, want string", i, got)
		}
		if got := paramType(t, unix[i], "when"); got != "integer" {
			t.Errorf("server with a type schema %d: param type %q, want integer", i, got)
		}
	}
	// Each server validates with its own schema.
	ctx := t.Context()
	call := []byte(`{"jsonrpc":"2.0","id":1,"method":"when","params":{"at":5}}`)
	if out := plain[0].Handle(ctx, call); !bytes.Contains(out, []byte(`"keyword":"type"`)) {
		t.Errorf("plain server accepted an integer time: %s", out)
	}
}

// A document built while Add runs is never served after Add returns: the
// cache is reset and rebuilt under the registry lock.
func TestServer_discoverSeesEveryAdd(t *testing.T) {
	s := server.New()
	for i := range 50 { // a document that takes a while to build widens the window
		s.MustAdd(server.Func(fmt.Sprintf("base%d", i), func(ctx context.Context, p whenParams) (bool, error) { return true, nil }))
	}
	ctx := t.Context()
	discover := []byte(`{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}`)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 { // keep rebuilding the document while methods come and go
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
					s.Handle(ctx, discover)
				}
			}
		})
	}
	defer func() {
		close(stop)
		wg.Wait()
	}()
	iterations := 1000
	if testing.Short() {
		iterations = 100
	}
	for i := range iterations {
		name := fmt.Sprintf("m%d", i)
		s.MustAdd(server.FuncNoParams(name, func(ctx context.Context) (int, error) { return i, nil }))
		if !discovered(t, s.Handle(ctx, discover), name) {
			t.Fatalf("iteration %d: rpc.discover after Add(%q) does not list it", i, name)
		}
		s.Remove(name)
		if discovered(t, s.Handle(ctx, discover), name) {
			t.Fatalf("iteration %d: rpc.discover after Remove(%q) still lists it", i, name)
		}
	}
}

func discovered(t *testing.T, out []byte, name string) bool {
	t.Helper()
	var resp struct {
		Result struct {
			Methods []struct {
				Name string `json:"name"`
			} `json:"methods"`
		} `json:"result"`
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatalf("rpc.discover answer %s: %v", out, err)
	}
	for _, m := range resp.Result.Methods {
		if m.Name == name {
			return true
		}
	}
	return false
}
