// Command langgo is Groundwork's STAND-IN for Pulumi's Go and Python language plugins: a test double, installed as
// `pulumi-language-go` and `pulumi-language-python` (it reads which one it is from the name it was run by).
//
// Why it exists: the real plugins are Go modules of their own (github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3
// and github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3), and the Go module proxy reachable from
// Groundwork's build machines refuses both ("403 Forbidden ... This module version is not available"), while the
// CLI's module pkg/v3, which holds the code generators, is served.
//
// What it does:
//   - GeneratePackage (both names): binds the schema with the engine's schema loader and calls the same code
//     generators the real plugins call, pkg/v3/codegen/go.GeneratePackage and pkg/v3/codegen/python.GeneratePackage,
//     then writes the files. So `pulumi package gen-sdk --language go|python` works through the CLI.
//   - Run (Go only): runs a Go program the way the Go SDK expects to be run: the project's `binary` runtime option,
//     or `go build` of the program folder, executed with the PULUMI_* environment the SDK reads (monitor, engine,
//     project, stack, organization, config, dry run, parallelism, root directory).
//
// What it leaves unverified: the real plugins' own code around the generators (their handling of `local` SDKs,
// go.mod and pyproject generation for `pulumi package add`, Link, Pack), GenerateProject/GenerateProgram
// (`pulumi convert`), dependency installation, debugging, Go workspaces and the real Go host's build flags, and
// every Python program run: Python programs cannot run here at all (the Python package index is out of reach,
// so the Python SDK cannot be installed).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	pygen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is stamped at build time (-X main.version=...); the build metadata marks the double.
var version = "0.0.0+groundwork.standin"

// Exit code the Go SDK uses after it has reported an error itself.
const exitAfterUserMessage = 32

func main() {
	language := "go"
	if strings.Contains(filepath.Base(os.Args[0]), "python") {
		language = "python"
	}
	fs := flag.NewFlagSet("pulumi-language-"+language, flag.ContinueOnError)
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.String("tracing", "", "ignored")
	fs.String("root", "", "ignored")
	fs.String("binary", "", "ignored")
	fs.String("buildTarget", "", "ignored")
	fs.Bool("logtostderr", false, "ignored")
	fs.Bool("logflow", false, "ignored")
	fs.Int("v", 0, "ignored")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if *showVersion {
		fmt.Println(version)
		return
	}
	engineAddress := ""
	if fs.NArg() > 0 {
		engineAddress = fs.Arg(fs.NArg() - 1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cancel := make(chan bool)
	go func() { <-ctx.Done(); close(cancel) }()

	host := &languageHost{language: language, engineAddress: engineAddress}
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, stop); err != nil {
			fatal(language, fmt.Errorf("health check of the engine at %s: %w", engineAddress, err))
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fatal(language, fmt.Errorf("could not start the language plugin's gRPC server: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fatal(language, err)
	}
}

func fatal(language string, err error) {
	fmt.Fprintf(os.Stderr, "pulumi-language-%s (Groundwork stand-in): %v\n", language, err)
	os.Exit(1)
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	language      string
	engineAddress string
}

func (h *languageHost) Handshake(ctx context.Context, req *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.GetEngineAddress()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *languageHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// GetRequiredPackages reports none: the engine then loads each package's plugin when a resource of it is
// registered (a component package from the project's `packages`, providers from PULUMI_HOME).
func (h *languageHost) GetRequiredPackages(context.Context, *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *languageHost) GetProgramDependencies(context.Context, *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *languageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	return &pulumirpc.AboutResponse{Metadata: map[string]string{"languageHost": "Groundwork stand-in (test double), see tools/engine/langgo"}}, nil
}

func (h *languageHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, srv pulumirpc.LanguageRuntime_InstallDependenciesServer) error {
	return status.Error(codes.Unimplemented, "the Groundwork stand-in language plugin does not install dependencies")
}

// GeneratePackage writes an SDK for the schema with pkg/v3's code generator for this plugin's language.
func (h *languageHost) GeneratePackage(ctx context.Context, req *pulumirpc.GeneratePackageRequest) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, fmt.Errorf("reading the schema: %w", err)
	}
	cached := schema.NewCachedLoader(loader)
	pkg, diags, err := schema.BindSpec(spec, cached, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	rpcDiags := plugin.HclDiagnosticsToRPCDiagnostics(diags)
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiags}, nil
	}
	var files map[string][]byte
	switch h.language {
	case "go":
		files, err = gogen.GeneratePackage("pulumi-language-go", pkg, req.GetLocalDependencies())
	case "python":
		files, err = pygen.GeneratePackage("pulumi-language-python", pkg, req.GetExtraFiles(), cached)
	}
	if err != nil {
		return nil, err
	}
	for name, data := range files {
		out := filepath.Join(req.GetDirectory(), name)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(out, data, 0o600); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: rpcDiags}, nil
}

// Run builds (unless the project names a `binary`) and runs a Go program.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	if h.language != "go" {
		return &pulumirpc.RunResponse{Error: "the Groundwork stand-in runs Go programs only: Python programs cannot run here"}, nil
	}
	info := req.GetInfo()
	dir := info.GetProgramDirectory()
	opts := map[string]any{}
	if info.GetOptions() != nil {
		opts = info.GetOptions().AsMap()
	}
	binary, _ := opts["binary"].(string)
	if binary == "" {
		tmp, err := os.MkdirTemp("", "pulumi-go-program-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		binary = filepath.Join(tmp, "program")
		build := exec.CommandContext(ctx, "go", "build", "-o", binary, ".")
		build.Dir = dir
		if out, err := build.CombinedOutput(); err != nil {
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("go build failed: %v\n%s", err, out)}, nil
		}
	} else if !filepath.IsAbs(binary) {
		binary = filepath.Join(dir, binary)
	}

	cfg, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, _ := json.Marshal(secretKeys)
	env := append(os.Environ(),
		"PULUMI_MONITOR="+req.GetMonitorAddress(),
		"PULUMI_ENGINE="+h.engineAddress,
		"PULUMI_PROJECT="+req.GetProject(),
		"PULUMI_STACK="+req.GetStack(),
		"PULUMI_ORGANIZATION="+req.GetOrganization(),
		"PULUMI_ROOT_DIRECTORY="+info.GetRootDirectory(),
		"PULUMI_CONFIG="+string(cfg),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON),
		"PULUMI_DRY_RUN="+strconv.FormatBool(req.GetDryRun()),
		"PULUMI_PARALLEL="+strconv.Itoa(int(req.GetParallel())),
	)
	cmd := exec.CommandContext(ctx, binary, req.GetArgs()...)
	cmd.Dir = req.GetPwd()
	cmd.Env = env
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if ee.ExitCode() == exitAfterUserMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("program exited with non-zero exit code: %d", ee.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: "could not run the program: " + err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}
