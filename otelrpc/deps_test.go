package otelrpc_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The package links the OpenTelemetry API only: the SDK and exporters are
// the program's choice.
func TestDepsAPIOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps gave %d packages: %q", len(deps), out)
	}
	for _, dep := range deps {
		if strings.HasPrefix(dep, "go.opentelemetry.io/otel/sdk") || strings.HasPrefix(dep, "go.opentelemetry.io/otel/exporters") {
			t.Errorf("package otelrpc links %s", dep)
		}
	}
}
