package openrpcdiff

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/schemarpc/schemarpc/internal/jsonptr"
	"github.com/schemarpc/schemarpc/lint"
)

// MaxDocumentSize bounds the size of a document [Read] reads.
const MaxDocumentSize = 64 << 20

// A Document is an OpenRPC document ready to compare: decoded, with its
// references resolvable, and the findings `schemarpc validate` reports on
// it. Create one with [Load] or [Read]; close it when done.
type Document struct {
	// Name names the document in messages (a path, or "-").
	Name string
	// Lint holds what package lint found in the document: diff compares
	// documents that validate rejects too, as far as they can be read.
	Lint []lint.Finding

	data []byte // the document as read, for line numbers
	root map[string]any
	refs *jsonptr.Resolver
}

// Close releases the directory other files are read from.
func (d *Document) Close() error { return d.refs.Close() }

// ErrNotOpenRPC is the error of [Load] for JSON that is not an OpenRPC
// document: not an object, or without a "methods" array.
var ErrNotOpenRPC = errors.New("not an OpenRPC document")

// Read reads a document from r, at most [MaxDocumentSize] bytes, once
// and to its end: r may be a pipe or standard input. See [Load].
func Read(ctx context.Context, r io.Reader, name, baseDir string) (*Document, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > MaxDocumentSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, MaxDocumentSize)
	}
	return Load(ctx, data, name, baseDir)
}

// Load decodes data, an OpenRPC document of any version `validate`
// reads (1.0.0-rc0 to 1.4), and checks it with [lint.Check], whose
// findings it keeps in Document.Lint. References to other files resolve
// against baseDir (none when it is empty). The error is
// [ErrNotOpenRPC] (wrapped) for JSON that is not a document at all, a
// syntax error for data that is not JSON, or ctx's error.
func Load(ctx context.Context, data []byte, name, baseDir string) (*Document, error) {
	findings := []lint.Finding(nil)
	ldoc, fs, err := lint.Check(ctx, data, lint.Options{Name: name, BaseDir: baseDir})
	if err != nil {
		return nil, err
	}
	findings = fs
	if ldoc == nil {
		for _, f := range fs {
			if f.Keyword == "json" || f.Keyword == "type" || f.Keyword == "depth" || f.Keyword == "internal" {
				return nil, fmt.Errorf("%s: %s", f.Location(), f.Message)
			}
		}
		return nil, fmt.Errorf("%s: %w", name, ErrNotOpenRPC)
	}
	v, err := lint.DecodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: %w: not a JSON object", name, ErrNotOpenRPC)
	}
	if _, ok := root["methods"].([]any); !ok {
		return nil, fmt.Errorf("%s: %w: no \"methods\" array", name, ErrNotOpenRPC)
	}
	refs, err := jsonptr.NewResolver(root, baseDir, filepath.ToSlash(filepath.Dir(name)), lint.DecodeJSON)
	if err != nil {
		refs, _ = jsonptr.NewResolver(root, "", "", lint.DecodeJSON)
	}
	return &Document{Name: name, Lint: findings, data: data, root: root, refs: refs}, nil
}
