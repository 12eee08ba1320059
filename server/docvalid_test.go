package server

import (
	"context"
	"fmt"
	"strings"

	"github.com/schemarpc/schemarpc/lint"
	"github.com/schemarpc/schemarpc/schema"
)

// Every registration made by the tests of this package must leave the
// server's OpenRPC document valid: the hook checks it with the same checks
// as `schemarpc validate` after each successful Add or Replace, and panics,
// naming the findings, when it is not. The document is built afresh, not
// read from the caches that rpc.discover uses.
func init() {
	testHookAdded = func(s *Server) {
		if err := checkDocument(s); err != nil {
			panic(err)
		}
	}
}

// checkDocument returns an error listing what `schemarpc validate` finds
// wrong with s's OpenRPC document.
func checkDocument(s *Server) error {
	b, err := schema.Marshal(s.OpenRPC())
	if err != nil {
		return fmt.Errorf("server test hook: encoding the OpenRPC document: %w", err)
	}
	if _, findings, _ := lint.Check(context.Background(), b, lint.Options{Name: "rpc.discover"}); len(findings) > 0 {
		var msg strings.Builder
		msg.WriteString("server test hook: a registration left an invalid OpenRPC document:")
		for _, f := range findings {
			msg.WriteString("\n\t" + f.String())
		}
		return fmt.Errorf("%s\n%s", msg.String(), b)
	}
	return nil
}
