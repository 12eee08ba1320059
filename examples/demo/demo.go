// Package demo is the demo service that `schemarpc serve` runs and the
// tests exercise: the methods of the JSON-RPC 2.0 specification's examples
// (section 7), aiohttp-rpc's README examples, and a small user registry
// that shows schema validation and declared application errors.
//
// openrpc.json at the repository root is this service's OpenRPC document.
package demo

//go:generate go test -run TestOpenRPCDrift -update .

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/server"
)

// Application error codes of the demo service, declared in the OpenRPC
// document of the methods that return them.
const (
	CodeUsernameTaken schemarpc.Code = -32003
	CodeUserNotFound  schemarpc.Code = -32004
)

// Declared errors.
var (
	ErrUsernameTaken = schemarpc.NewError(CodeUsernameTaken, "Username taken")
	ErrUserNotFound  = schemarpc.NewError(CodeUserNotFound, "User not found")
)

// SeedUser is the user every fresh demo service knows, so that the
// examples of get_user_by_uuid and create_user hold on a fresh server.
var SeedUser = User{UUID: "3b241101-e2bb-4255-8caf-4136c566a962", Username: "mike", Email: "some@mail.com"}

// Info is the info object of the demo's OpenRPC document.
var Info = schema.Info{
	Title:       "schemarpc demo",
	Description: "The demo service of schemarpc: the JSON-RPC 2.0 specification's examples, aiohttp-rpc's README examples and a small user registry.",
	Version:     "1.0.0",
}

// Servers lists the demo's default endpoints in its OpenRPC document.
var Servers = []schema.Server{
	{Name: "http", URL: "http://127.0.0.1:8080/rpc", Summary: "HTTP POST endpoint"},
	{Name: "websocket", URL: "ws://127.0.0.1:8080/rpc", Summary: "WebSocket endpoint"},
}

// User is a registered user.
type User struct {
	UUID     string `json:"uuid" jsonschema:"format=uuid,description=Unique id (UUID v4)"`
	Username string `json:"username" jsonschema:"minLength=3,maxLength=32,pattern=^[a-z0-9_]+$"`
	Email    string `json:"email" jsonschema:"format=email"`
}

// SubtractParams are the params of subtract.
type SubtractParams struct {
	Minuend    float64 `json:"minuend" jsonschema:"description=The number to subtract from"`
	Subtrahend float64 `json:"subtrahend" jsonschema:"description=The number to subtract"`
}

// NotifyHelloParams are the params of notify_hello.
type NotifyHelloParams struct {
	N int `json:"n" jsonschema:"description=Any integer"`
}

// CreateUserParams are the params of create_user.
type CreateUserParams struct {
	Username string `json:"username" jsonschema:"minLength=3,maxLength=32,pattern=^[a-z0-9_]+$,description=3 to 32 of a-z 0-9 _"`
	Email    string `json:"email" jsonschema:"format=email,description=The user's e-mail address"`
}

// GetUserParams are the params of get_user_by_uuid.
type GetUserParams struct {
	UserUUID string `json:"user_uuid" jsonschema:"format=uuid,description=The uuid create_user returned"`
}

// CountdownParams are the params of countdown.
type CountdownParams struct {
	N int `json:"n" jsonschema:"minimum=0,maximum=100,description=How many tick notifications to push"`
}

// Tick is the params of the tick notification countdown pushes.
type Tick struct {
	Remaining int `json:"remaining"`
}

// EchoResult is what echo answers.
type EchoResult struct {
	Args   []any          `json:"args"`
	Kwargs map[string]any `json:"kwargs"`
}

// Service holds the demo's state: the users, kept in memory. It is safe for
// concurrent use.
type Service struct {
	log   *slog.Logger
	mu    sync.RWMutex
	users map[string]User // by uuid
	names map[string]string
}

// NewService returns a fresh service knowing only [SeedUser].
func NewService(log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{
		log:   log,
		users: map[string]User{SeedUser.UUID: SeedUser},
		names: map[string]string{SeedUser.Username: SeedUser.UUID},
	}
}

// New returns a server with the demo's methods registered, its info and
// servers set, and opts applied after them.
func New(log *slog.Logger, opts ...server.Option) *server.Server {
	all := append([]server.Option{server.WithInfo(Info), server.WithServers(Servers...), server.WithLogger(log)}, opts...)
	s := server.New(all...)
	svc := NewService(log)
	s.MustAdd(svc.Methods()...)
	s.MustAdd(svc.Subscriptions(s)...)
	return s
}

// Methods returns the demo's methods.
func (svc *Service) Methods() []*server.Method {
	return []*server.Method{
		server.FuncNoParams("ping", svc.ping,
			server.Summary("Answer \"pong\""),
			server.Example("ping", nil, "pong")),
		server.Raw("echo", svc.echo,
			server.Summary("Echo the params back"),
			server.Description("Accepts any params: positional ones come back in args, named ones in kwargs."),
			server.Example("no params", nil, EchoResult{Args: []any{}, Kwargs: map[string]any{}})),
		server.Func("subtract", svc.subtract,
			server.Summary("Subtract subtrahend from minuend"),
			server.Description("The JSON-RPC 2.0 specification's example; params by position or by name."),
			server.Example("42 - 23", SubtractParams{Minuend: 42, Subtrahend: 23}, 19),
			server.Example("23 - 42", SubtractParams{Minuend: 23, Subtrahend: 42}, -19)),
		server.Variadic("sum", "numbers", svc.sum,
			server.Summary("Add any number of numbers"),
			server.Example("1 + 2 + 4", []float64{1, 2, 4}, 7)),
		server.FuncNoParams("get_data", svc.getData,
			server.Summary("Answer [\"hello\", 5]"),
			server.Example("get_data", nil, []any{"hello", 5})),
		server.Raw("update", svc.update,
			server.Summary("Accept any params and log them"),
			server.Example("update", nil, nil)),
		server.FuncNoResult("notify_hello", svc.notifyHello,
			server.Summary("Accept an integer and log it"),
			server.Example("notify_hello", NotifyHelloParams{N: 7}, nil)),
		server.Variadic("notify_sum", "numbers", svc.notifySum,
			server.Summary("Accept any number of numbers and log them"),
			server.Example("notify_sum", []float64{1, 2, 4}, nil)),
		server.Func("create_user", svc.createUser,
			server.Summary("Register a user"),
			server.Description("Creating a user that exists with the same e-mail returns it; a taken username with another e-mail is an error."),
			server.Errors(ErrUsernameTaken),
			server.Example("the seed user", CreateUserParams{Username: SeedUser.Username, Email: SeedUser.Email}, SeedUser)),
		server.Func("get_user_by_uuid", svc.getUser,
			server.Summary("Look a user up by uuid"),
			server.Errors(ErrUserNotFound),
			server.Example("the seed user", GetUserParams{UserUUID: SeedUser.UUID}, SeedUser)),
		server.Func("countdown", svc.countdown,
			server.Summary("Push n tick notifications (over WebSocket), then answer n"),
			server.Description("Over WebSocket, pushes the notification tick {\"remaining\": k} for k = n-1 … 0 to the caller, then answers n. Over HTTP there is no connection to push to: it answers n at once, without ticks, so the same call holds on both transports."),
			server.Example("countdown from 3", CountdownParams{N: 3}, 3)),
	}
}

func (svc *Service) ping(context.Context) (string, error) { return "pong", nil }

func (svc *Service) echo(_ context.Context, params json.RawMessage) (any, error) {
	res := EchoResult{Args: []any{}, Kwargs: map[string]any{}}
	if len(params) > 0 {
		var err error
		if params[0] == '[' {
			err = json.Unmarshal(params, &res.Args)
		} else {
			err = json.Unmarshal(params, &res.Kwargs)
		}
		if err != nil {
			return nil, schemarpc.ErrInvalidParams
		}
	}
	return res, nil
}

func (svc *Service) subtract(_ context.Context, p SubtractParams) (float64, error) {
	return p.Minuend - p.Subtrahend, nil
}

func (svc *Service) sum(_ context.Context, numbers []float64) (float64, error) {
	var total float64
	for _, n := range numbers {
		total += n
	}
	return total, nil
}

func (svc *Service) getData(context.Context) ([]any, error) { return []any{"hello", 5}, nil }

func (svc *Service) update(ctx context.Context, params json.RawMessage) (any, error) {
	svc.log.InfoContext(ctx, "update", "params", string(params))
	return nil, nil
}

func (svc *Service) notifyHello(ctx context.Context, p NotifyHelloParams) error {
	svc.log.InfoContext(ctx, "notify_hello", "n", p.N)
	return nil
}

func (svc *Service) notifySum(ctx context.Context, numbers []float64) (any, error) {
	svc.log.InfoContext(ctx, "notify_sum", "numbers", numbers)
	return nil, nil
}

func (svc *Service) createUser(_ context.Context, p CreateUserParams) (User, error) {
	svc.mu.Lock()
	defer svc.mu.Unlock()
	if id, ok := svc.names[p.Username]; ok {
		if u := svc.users[id]; u.Email == p.Email {
			return u, nil
		}
		return User{}, ErrUsernameTaken
	}
	u := User{UUID: newUUID(), Username: p.Username, Email: p.Email}
	svc.users[u.UUID] = u
	svc.names[u.Username] = u.UUID
	return u, nil
}

func (svc *Service) getUser(_ context.Context, p GetUserParams) (User, error) {
	svc.mu.RLock()
	defer svc.mu.RUnlock()
	u, ok := svc.users[p.UserUUID]
	if !ok {
		return User{}, ErrUserNotFound
	}
	return u, nil
}

func (svc *Service) countdown(ctx context.Context, p CountdownParams) (int, error) {
	if server.ConnFromContext(ctx) == nil {
		return p.N, nil // HTTP: no connection to push ticks to
	}
	for k := p.N - 1; k >= 0; k-- {
		if err := server.Notify(ctx, "tick", Tick{Remaining: k}); err != nil {
			return 0, err
		}
	}
	return p.N, nil
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
