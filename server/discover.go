package server

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"slices"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/validate"
)

// discoverParams: rpc.discover takes no params (absent, [] or {}).
var discoverParams = validate.Params{Method: "rpc.discover", Shape: validate.NoParams}

// builtin answers the reserved "rpc." methods: rpc.discover, and -32601
// for any other.
func (s *Server) builtin(ctx context.Context, req *schemarpc.Request) (any, error) {
	if req.Method != "rpc.discover" {
		return nil, schemarpc.ErrMethodNotFound.WithData("method " + quote(req.Method) + " does not exist")
	}
	if _, verr := discoverParams.Normalize(req.Params); verr != nil {
		return nil, schemarpc.ErrInvalidParams.WithData(verr.Violations)
	}
	doc, err := s.openRPCCompact()
	if err != nil {
		return nil, err
	}
	return doc, nil
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// documents are the OpenRPC document of the registry, as served.
type documents struct {
	pretty  []byte          // OpenRPCJSON
	compact json.RawMessage // rpc.discover
}

// documents returns the OpenRPC document of the current registry, building
// it on first use. Building and storing happen under regMu, which Add and
// Remove hold to reset the cache: a document built before a change is
// never cached after it.
func (s *Server) documents() (*documents, error) {
	if d := s.docs.Load(); d != nil {
		return d, nil
	}
	s.regMu.Lock()
	defer s.regMu.Unlock()
	if d := s.docs.Load(); d != nil {
		return d, nil
	}
	pretty, err := schema.Marshal(s.openRPCLocked())
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, pretty); err != nil {
		return nil, err
	}
	d := &documents{pretty: pretty, compact: buf.Bytes()}
	s.docs.Store(d)
	return d, nil
}

// openRPCCompact returns the document as compact JSON for rpc.discover.
func (s *Server) openRPCCompact() (json.RawMessage, error) {
	d, err := s.documents()
	if err != nil {
		return nil, err
	}
	return d.compact, nil
}

// OpenRPCJSON returns the server's OpenRPC document as indented JSON. The
// document is built from the registry on first use and cached until the
// registry changes.
func (s *Server) OpenRPCJSON() ([]byte, error) {
	d, err := s.documents()
	if err != nil {
		return nil, err
	}
	return d.pretty, nil
}

// OpenRPC returns the server's OpenRPC 1.3.2 document, built from the
// registry: methods sorted by name, shared schemas in components.
// rpc.discover itself is not listed.
func (s *Server) OpenRPC() *schema.Document {
	s.regMu.Lock()
	defer s.regMu.Unlock()
	return s.openRPCLocked()
}

func (s *Server) openRPCLocked() *schema.Document {
	methods := *s.methods.Load()
	doc := &schema.Document{
		OpenRPC:    "1.3.2",
		Info:       s.cfg.info,
		Methods:    make([]*schema.Method, 0, len(methods)),
		Components: s.documentComponents(methods),
	}
	doc.Servers = slices.Clone(s.cfg.servers)
	for _, name := range slices.Sorted(maps.Keys(methods)) {
		doc.Methods = append(doc.Methods, methods[name].doc)
	}
	return doc
}
