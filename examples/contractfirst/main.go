package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/examples/contractfirst/api"
	"github.com/schemarpc/schemarpc/server"
)

// inventory implements api.Service: the compiler checks it against the
// document, and Register serves it with the document's schemas.
type inventory struct {
	mu    sync.Mutex
	items map[api.Sku]api.Item
}

func (inv *inventory) ItemAdd(_ context.Context, p api.ItemAddParams) (api.Item, error) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	it := inv.items[p.Sku]
	it.Sku, it.Count = p.Sku, it.Count+p.Count
	if p.Kind != nil {
		it.Kind = p.Kind
	}
	inv.items[p.Sku] = it
	return it, nil
}

func (inv *inventory) ItemGet(_ context.Context, p api.ItemGetParams) (api.Item, error) {
	inv.mu.Lock()
	defer inv.mu.Unlock()
	it, ok := inv.items[p.Sku]
	if !ok {
		return api.Item{}, api.ErrUnknownItem
	}
	return it, nil
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("contractfirst", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s := server.New()
	if err := api.Register(s, &inventory{items: map[api.Sku]api.Item{}}); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	defer hs.Shutdown(ctx)

	hc, err := client.NewHTTP("http://" + ln.Addr().String())
	if err != nil {
		return err
	}
	defer hc.Close()
	c := api.NewClient(hc)
	part := api.KindPart
	for _, n := range []uint32{5, 2} {
		it, err := c.ItemAdd(ctx, api.ItemAddParams{Sku: "ABC-0001", Count: n, Kind: &part})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: %d (%s)\n", it.Sku, it.Count, *it.Kind)
	}
	_, err = c.ItemAdd(ctx, api.ItemAddParams{Sku: "abc", Count: 1})
	fmt.Fprintln(out, err)
	_, err = c.ItemGet(ctx, api.ItemGetParams{Sku: "XYZ-0000"})
	fmt.Fprintln(out, "unknown item:", errors.Is(err, api.ErrUnknownItem))
	return nil
}
