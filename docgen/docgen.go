package docgen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
)

// Format selects the output format of Render.
type Format string

// Supported output formats.
const (
	// Markdown produces GitHub-flavoured Markdown.
	Markdown Format = "markdown"
	// HTML produces a single self-contained HTML page: inline CSS and
	// script, no external resources, with a method filter and try-it
	// panels (see [Options.Endpoint]).
	HTML Format = "html"
)

// ErrInvalidDocument is returned (wrapped) by Render when the input is not
// a JSON object.
var ErrInvalidDocument = errors.New("docgen: invalid OpenRPC document")

// Options configures Render. The zero value renders Markdown and does not
// resolve references to other files.
type Options struct {
	// Format is the output format; "" means Markdown.
	Format Format
	// BaseDir is the directory against which $refs to other files (such
	// as "schemas.json#/components/schemas/X") are resolved. Files are
	// read at most once and may not lie outside BaseDir. When empty,
	// references to other files are reported as unresolved.
	BaseDir string
	// Title overrides info.title as the document heading.
	Title string
	// Endpoint is the JSON-RPC endpoint that the HTML page's try-it
	// panels call: an http(s) or ws(s) URL, or a URL relative to the
	// page. When empty, the first such URL among the document's servers
	// is used; the reader can change it on the page.
	Endpoint string
	// Live marks an HTML page served by the API itself next to Endpoint:
	// the page shows the endpoint as fixed.
	Live bool
	// Warn, if non-nil, receives one message per distinct problem found
	// while rendering, such as an unresolved $ref. Rendering continues
	// after a warning.
	Warn func(msg string)
}

// Render writes reference documentation for the OpenRPC document doc (raw
// JSON, any specification version from 1.0.0-rc0 on) to w.
//
// The document is read loosely: unknown fields and extensions are ignored
// and missing fields are tolerated. Render returns an error only when doc
// is not a JSON object, when opts is invalid, when ctx is done, or when
// writing fails;
// recoverable problems are reported through opts.Warn. Nothing is written
// to w unless rendering succeeds. When ctx is done before rendering ends,
// Render returns ctx.Err().
func Render(ctx context.Context, w io.Writer, doc []byte, opts Options) error {
	format := opts.Format
	if format == "" {
		format = Markdown
	}
	if format != Markdown && format != HTML {
		return fmt.Errorf("docgen: unknown format %q", opts.Format)
	}
	v, err := decodeJSON(doc)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidDocument, err)
	}
	root, ok := v.(*object)
	if !ok {
		return fmt.Errorf("%w: top-level value is %s, not an object", ErrInvalidDocument, kindOf(v))
	}
	r, err := newResolver(root, opts.BaseDir, opts.Warn)
	if err != nil {
		return err
	}
	defer r.close()
	p, err := build(ctx, root, r, opts.Title)
	if err != nil {
		return err
	}

	var buf bytes.Buffer
	if format == HTML {
		err = renderHTML(&buf, p, opts.Endpoint, opts.Live)
	} else {
		renderMarkdown(&buf, p)
	}
	if err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}
