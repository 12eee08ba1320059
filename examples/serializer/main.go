// Command serializer plugs a custom codec into the server and the client,
// the Go form of aiohttp-rpc's custom json_serialize (its "Integration"
// example with the User dataclass).
//
// encoding/json already writes every Go value, so a Go program rarely needs
// a codec to make a type serializable: give your own types a MarshalJSON
// method instead. A codec is for changing the wire form of types you do not
// own, everywhere at once, or for swapping the JSON library. Here the codec
// writes every time.Time as Unix seconds instead of an RFC 3339 string.
//
// The codec encodes params and results; schemas are still reflected from the
// Go types, so tell the server about the new wire form with
// server.WithTypeSchema[time.Time]: params are validated against that schema
// before the codec decodes them, and the OpenRPC document stays true.
//
// It starts the server on -addr (a free port by default), runs the client
// against it and prints (see main_test.go) the raw response, the decoded
// user, a call with a time in its params, and the schema of the time field.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/server"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// User is a registered user. Joined is written by the codec as Unix
// seconds; WithTypeSchema makes its schema say so.
type User struct {
	UUID     string    `json:"uuid" jsonschema:"format=uuid"`
	Username string    `json:"username"`
	Email    string    `json:"email" jsonschema:"format=email"`
	Joined   time.Time `json:"joined"`
}

// users is the example's user database.
var users = []User{
	{UUID: "3b241101-e2bb-4255-8caf-4136c566a962", Username: "mike", Email: "some@mail.com", Joined: time.Date(2023, 11, 14, 22, 13, 20, 0, time.UTC)},
	{UUID: "9f1c6d1e-5a43-4e7b-a0cb-2b7d3c4e5f60", Username: "ann", Email: "ann@example.com", Joined: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)},
}

// GetUserParams are the params of get_user_by_uuid.
type GetUserParams struct {
	UserUUID string `json:"user_uuid" jsonschema:"format=uuid"`
}

// JoinedSinceParams are the params of users_joined_since.
type JoinedSinceParams struct {
	Since time.Time `json:"since"`
}

func getUserByUUID(_ context.Context, p GetUserParams) (User, error) {
	for _, u := range users {
		if u.UUID == p.UserUUID {
			return u, nil
		}
	}
	return User{}, schemarpc.NewError(404, "User not found")
}

func usersJoinedSince(_ context.Context, p JoinedSinceParams) ([]string, error) {
	names := []string{}
	for _, u := range users {
		if !u.Joined.Before(p.Since) {
			names = append(names, u.Username)
		}
	}
	return names, nil
}

func newServer() *server.Server {
	s := server.New(
		server.WithCodec(unixTimeCodec{}),
		server.WithTypeSchema[time.Time](&jsonschema.Schema{Type: "integer"}),
	)
	s.MustAdd(
		server.Func("get_user_by_uuid", getUserByUUID),
		server.Func("users_joined_since", usersJoinedSince),
	)
	return s
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("serializer", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:0", "address to serve on (host:port)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	rpc := newServer()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: rpc, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	defer hs.Shutdown(context.Background())
	defer rpc.Shutdown(context.Background()) // WebSocket connections and reused goroutines

	c, err := client.NewHTTP("http://"+ln.Addr().String(), client.WithCodec(unixTimeCodec{}))
	if err != nil {
		return err
	}
	defer c.Close()

	// On the wire, joined is a number.
	resp, err := c.DirectCall(ctx, &schemarpc.Request{
		ID:     schemarpc.Int64ID(1),
		Method: "get_user_by_uuid",
		Params: json.RawMessage(`{"user_uuid": "3b241101-e2bb-4255-8caf-4136c566a962"}`),
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wire:    %s\n", resp.Result)

	// The client's codec turns it back into a time.Time.
	user, err := client.CallAs[User](ctx, c, "get_user_by_uuid", GetUserParams{UserUUID: users[0].UUID})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "decoded: %+v\n", user)

	// Times in params take the same way.
	since := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	names, err := client.CallAs[[]string](ctx, c, "users_joined_since", JoinedSinceParams{Since: since})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "joined since %s: %v\n", since.Format(time.DateOnly), names)

	// The schema in the OpenRPC document describes the wire form.
	b, err := json.Marshal(rpc.OpenRPC().Components.Schemas["User"].Properties.Value("joined"))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema of User.joined: %s\n", b)
	return nil
}
