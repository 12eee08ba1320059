package client_test

import (
	"os/exec"
	"strings"
	"testing"
)

// An HTTP-only client links neither the server, the schema reflector, YAML,
// the validator nor the WebSocket library: those come with package
// client/wsclient only.
func TestDeps_httpClientIsLight(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	forbidden := []string{
		"github.com/schemarpc/schemarpc/server",
		"github.com/schemarpc/schemarpc/schema",
		"github.com/schemarpc/schemarpc/validate",
		"github.com/schemarpc/schemarpc/internal/wspeer",
		"github.com/invopop/",
		"go.yaml.in/",
		"gopkg.in/yaml",
		"github.com/gorilla/websocket",
		"github.com/santhosh-tekuri/",
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps gave %d packages: %q", len(deps), out)
	}
	for _, dep := range deps {
		for _, f := range forbidden {
			if strings.HasPrefix(dep, f) {
				t.Errorf("package client links %s", dep)
			}
		}
	}
}
