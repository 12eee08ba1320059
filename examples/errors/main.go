// Command errors shows application errors end to end: the server declares
// them (they appear in the method's OpenRPC "errors"), returns them as
// *schemarpc.Error values or as domain error types implementing
// schemarpc.RPCError, and the client turns their codes back into typed Go
// errors with client.WithErrorMap (aiohttp-rpc's error_map). The standard
// errors (-32601, -32602, -32603) are matched with errors.Is against the
// sentinels of package schemarpc.
//
// It starts the server on -addr (a free port by default), runs the client
// against it and prints the declared errors and the outcome of each call
// (see main_test.go).
package main

import (
	"context"
	"encoding/json"
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

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/server"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// Application error codes: any code outside -32768..-32000, the range the
// JSON-RPC 2.0 specification reserves.
const (
	CodeInsufficientFunds schemarpc.Code = 1001
	CodeAccountNotFound   schemarpc.Code = 1002
	CodeAccountFrozen     schemarpc.Code = 1003
)

// FundsData is the data of an insufficient-funds error.
type FundsData struct {
	Balance   int `json:"balance"`
	Requested int `json:"requested"`
}

// The server's declared errors. The data of ErrInsufficientFunds is shown
// in the OpenRPC document as an example.
var (
	ErrInsufficientFunds = schemarpc.NewError(CodeInsufficientFunds, "Insufficient funds").WithData(FundsData{Balance: 10, Requested: 25})
	ErrAccountNotFound   = schemarpc.NewError(CodeAccountNotFound, "Account not found")
	ErrAccountFrozen     = schemarpc.NewError(CodeAccountFrozen, "Account frozen")
)

// FrozenError is a domain error of the server. Implementing
// schemarpc.RPCError lets a handler return it as it is.
type FrozenError struct{ Account string }

func (e *FrozenError) Error() string { return "account " + e.Account + " is frozen" }

// RPCError implements schemarpc.RPCError: the error object sent for e.
func (e *FrozenError) RPCError() *schemarpc.Error {
	return ErrAccountFrozen.WithData(map[string]string{"account": e.Account})
}

// WithdrawParams are the params of withdraw.
type WithdrawParams struct {
	Account string `json:"account" jsonschema:"minLength=1"`
	Amount  int    `json:"amount" jsonschema:"minimum=1"`
}

// Bank is the example's service. It is safe for concurrent use.
type Bank struct {
	mu       sync.Mutex
	balances map[string]int
	frozen   map[string]bool
}

func (b *Bank) withdraw(_ context.Context, p WithdrawParams) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	balance, ok := b.balances[p.Account]
	switch {
	case !ok:
		return 0, ErrAccountNotFound
	case b.frozen[p.Account]:
		return 0, &FrozenError{Account: p.Account}
	case balance < p.Amount:
		return 0, ErrInsufficientFunds.WithData(FundsData{Balance: balance, Requested: p.Amount})
	}
	b.balances[p.Account] = balance - p.Amount
	return balance - p.Amount, nil
}

// audit fails with a plain Go error: the client gets -32603 Internal
// error, and the text goes only to the server's log (see server.WithLogger).
func (b *Bank) audit(context.Context) (string, error) {
	return "", errors.New("audit: database unreachable at 10.0.0.7")
}

func newServer() *server.Server {
	bank := &Bank{balances: map[string]int{"alice": 100, "carol": 50}, frozen: map[string]bool{"carol": true}}
	s := server.New()
	s.MustAdd(
		server.Func("withdraw", bank.withdraw,
			server.Summary("Withdraw an amount and answer the new balance"),
			server.Errors(ErrInsufficientFunds, ErrAccountNotFound, ErrAccountFrozen)),
		server.FuncNoParams("audit", bank.audit),
	)
	return s
}

// The client's typed errors.
var errNoAccount = errors.New("no such account")

// InsufficientFundsError is the client's form of CodeInsufficientFunds.
type InsufficientFundsError struct{ Balance, Requested int }

func (e *InsufficientFundsError) Error() string {
	return fmt.Sprintf("insufficient funds: balance %d, requested %d", e.Balance, e.Requested)
}

// errorMap maps the server's application error codes to the client's errors.
var errorMap = map[schemarpc.Code]func(*schemarpc.Error) error{
	CodeInsufficientFunds: func(e *schemarpc.Error) error {
		var d FundsData
		if err := e.DataAs(&d); err != nil {
			return nil // keep the *schemarpc.Error
		}
		return &InsufficientFundsError{Balance: d.Balance, Requested: d.Requested}
	},
	CodeAccountNotFound: func(*schemarpc.Error) error { return errNoAccount },
	CodeAccountFrozen: func(e *schemarpc.Error) error {
		var d struct {
			Account string `json:"account"`
		}
		if err := e.DataAs(&d); err != nil {
			return nil
		}
		return &FrozenError{Account: d.Account}
	},
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("errors", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:0", "address to serve on (host:port)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	rpc := newServer()

	// The declared errors, as the OpenRPC document lists them.
	for _, m := range rpc.OpenRPC().Methods {
		if len(m.Errors) > 0 {
			b, err := json.Marshal(m.Errors)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s errors: %s\n", m.Name, b)
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: rpc, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	defer hs.Shutdown(context.Background())
	defer rpc.Shutdown(context.Background()) // WebSocket connections and reused goroutines

	c, err := client.NewHTTP("http://"+ln.Addr().String(), client.WithErrorMap(errorMap))
	if err != nil {
		return err
	}
	defer c.Close()

	withdraw := client.NewMethod[WithdrawParams, int]("withdraw")
	for _, p := range []WithdrawParams{
		{"alice", 30},
		{"alice", 100},
		{"bob", 1},
		{"carol", 5},
		{"alice", 0},
	} {
		balance, err := withdraw.Call(ctx, c, p)
		var (
			funds  *InsufficientFundsError
			frozen *FrozenError
			rpcErr *schemarpc.Error
		)
		switch {
		case err == nil:
			fmt.Fprintf(stdout, "withdraw %d from %s: balance %d\n", p.Amount, p.Account, balance)
		case errors.As(err, &funds):
			fmt.Fprintf(stdout, "withdraw %d from %s: %v (short by %d)\n", p.Amount, p.Account, err, funds.Requested-funds.Balance)
		case errors.Is(err, errNoAccount):
			fmt.Fprintf(stdout, "withdraw %d from %s: %v\n", p.Amount, p.Account, err)
		case errors.As(err, &frozen):
			fmt.Fprintf(stdout, "withdraw %d from %s: %v\n", p.Amount, p.Account, err)
		case errors.Is(err, schemarpc.ErrInvalidParams) && errors.As(err, &rpcErr):
			fmt.Fprintf(stdout, "withdraw %d from %s: invalid params: %s\n", p.Amount, p.Account, rpcErr.Data)
		default:
			return err
		}
	}

	// Standard errors, matched by code.
	err = c.Call(ctx, "deposit", WithdrawParams{"alice", 1}, nil)
	fmt.Fprintln(stdout, "deposit: method not found:", errors.Is(err, schemarpc.ErrMethodNotFound))
	err = c.Call(ctx, "audit", nil, nil)
	fmt.Fprintf(stdout, "audit: %v (code %d)\n", err, schemarpc.CodeOf(err))

	// In a batch each call gets its own, mapped, error.
	res, err := c.Batch(ctx, withdraw.Request(WithdrawParams{"alice", 1}), withdraw.Request(WithdrawParams{"bob", 1}))
	if err != nil {
		return err
	}
	for i, r := range res.Results {
		balance, err := withdraw.Result(r)
		fmt.Fprintf(stdout, "batch[%d]: balance %d, error %v\n", i, balance, err)
	}
	return nil
}
