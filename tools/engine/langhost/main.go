// Command pulumi-language-nodejs is Groundwork's STAND-IN for Pulumi's Node.js language host: a test double.
//
// Why it exists: the real host is its own Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) and the Go module proxy reachable from
// Groundwork's build machines refuses it ("This module version is not available"), while the CLI
// (pkg/v3) and the SDK (sdk/v3) are served. The CLI finds a language host by the executable name
// `pulumi-language-nodejs`, so this launcher carries that name.
//
// What it does, and so what the real-engine tests still exercise for real: the engine, the deployment
// steps, the analyzer (policy) protocol, the policy-pack runner `@pulumi/pulumi/cmd/run-policy-pack`, the
// program runner `@pulumi/pulumi/cmd/run` with its ts-node handling, the plugin runner
// `@pulumi/pulumi/cmd/run-plugin` (a component package run from source: RunPlugin), and the Node SDK. This host
// only launches those Node entry points with the arguments and environment the engine's protocol defines.
//
// What it leaves unverified: the real host's monitor proxy and synchronous-invoke pipes (the SDK is given
// the engine's monitor directly and no --sync folder), package-manager handling (InstallDependencies
// installs nothing: it succeeds when the Node SDK already resolves from the folder, and refuses otherwise, so run
// `npm ci` yourself, as users of local policy packs must anyway), debugger attachment, code
// generation (GenerateProgram/GeneratePackage/Pack/Link are not implemented), and the bun runtime.
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
	"sort"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// version is stamped at build time (-X main.version=...); the build metadata marks the double.
var version = "0.0.0+groundwork.standin"

// Exit code the Node runner uses after it has printed an actionable message itself.
const exitAfterUserMessage = 32

func main() {
	// The engine may pass logging and tracing flags before the positional engine address; they are accepted
	// and ignored, so an engine that adds a flag does not break the double.
	fs := flag.NewFlagSet("pulumi-language-nodejs", flag.ContinueOnError)
	showVersion := fs.Bool("version", false, "print the version and exit")
	fs.String("tracing", "", "ignored")
	fs.String("root", "", "ignored")
	fs.String("runtime", "nodejs", "only nodejs is supported")
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

	host := &languageHost{engineAddress: engineAddress}
	if engineAddress != "" {
		// Exit when the engine goes away, as every plugin must.
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, stop); err != nil {
			fatal(fmt.Errorf("health check of the engine at %s: %w", engineAddress, err))
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
		fatal(fmt.Errorf("could not start the language host's gRPC server: %w", err))
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintf(os.Stderr, "pulumi-language-nodejs (Groundwork stand-in): %v\n", err)
	os.Exit(1)
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
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

// packageJSON is the part of a package.json this host reads.
type packageJSON struct {
	Name            string            `json:"name"`
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Pulumi          *struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p packageJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &p, nil
}

// nodeModulesDirs lists the node_modules folders Node would search from dir upwards.
func nodeModulesDirs(dir string) []string {
	var out []string
	for d := dir; ; d = filepath.Dir(d) {
		if st, err := os.Stat(filepath.Join(d, "node_modules")); err == nil && st.IsDir() {
			out = append(out, filepath.Join(d, "node_modules"))
		}
		if filepath.Dir(d) == d {
			return out
		}
	}
}

// requiredPackages finds the installed packages that declare a Pulumi resource plugin
// ("pulumi": {"resource": true}) the way the Node SDK's packages do.
func requiredPackages(programDir string) ([]*pulumirpc.PackageDependency, error) {
	seen := map[string]*pulumirpc.PackageDependency{}
	for _, nm := range nodeModulesDirs(programDir) {
		entries, err := os.ReadDir(nm)
		if err != nil {
			return nil, err
		}
		var pkgDirs []string
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "@") {
				scoped, err := os.ReadDir(filepath.Join(nm, e.Name()))
				if err != nil {
					continue
				}
				for _, s := range scoped {
					pkgDirs = append(pkgDirs, filepath.Join(nm, e.Name(), s.Name()))
				}
			} else if !strings.HasPrefix(e.Name(), ".") {
				pkgDirs = append(pkgDirs, filepath.Join(nm, e.Name()))
			}
		}
		for _, d := range pkgDirs {
			p, err := readPackageJSON(filepath.Join(d, "package.json"))
			if err != nil || p.Pulumi == nil || !p.Pulumi.Resource {
				continue
			}
			name := p.Pulumi.Name
			if name == "" {
				name = strings.TrimPrefix(p.Name, "@pulumi/")
			}
			ver := p.Pulumi.Version
			if ver == "" {
				ver = p.Version
			}
			if _, dup := seen[name]; dup {
				continue // the nearest node_modules wins, as in Node's resolution
			}
			seen[name] = &pulumirpc.PackageDependency{Kind: "resource", Name: name, Version: "v" + strings.TrimPrefix(ver, "v"), Server: p.Pulumi.Server}
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]*pulumirpc.PackageDependency, 0, len(names))
	for _, n := range names {
		out = append(out, seen[n])
	}
	return out, nil
}

func (h *languageHost) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest) (*pulumirpc.GetRequiredPackagesResponse, error) {
	pkgs, err := requiredPackages(req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, nil
}

func (h *languageHost) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	root, err := readPackageJSON(filepath.Join(findPackageRoot(dir), "package.json"))
	if err != nil {
		return nil, fmt.Errorf("reading the program's package.json: %w", err)
	}
	var deps []*pulumirpc.DependencyInfo
	names := make([]string, 0, len(root.Dependencies))
	for n := range root.Dependencies {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ver := root.Dependencies[n]
		for _, nm := range nodeModulesDirs(dir) {
			if p, err := readPackageJSON(filepath.Join(nm, n, "package.json")); err == nil {
				ver = p.Version
				break
			}
		}
		deps = append(deps, &pulumirpc.DependencyInfo{Name: n, Version: ver})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

func findPackageRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "package.json")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

func (h *languageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, err
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimSpace(string(out)),
		Metadata:   map[string]string{"languageHost": "Groundwork stand-in (test double), see tools/engine/langhost"},
	}, nil
}

// InstallDependencies installs nothing. The CLI asks for it before it launches a plugin from source (a component
// package folder such as Groundwork's provider/); when the Node SDK already resolves from that folder (a parent's
// node_modules, as in this repository), there is nothing to do and the call succeeds saying so. Otherwise it refuses.
func (h *languageHost) InstallDependencies(req *pulumirpc.InstallDependenciesRequest, srv pulumirpc.LanguageRuntime_InstallDependenciesServer) error {
	dir := req.GetInfo().GetProgramDirectory()
	if node, err := exec.LookPath("node"); err == nil {
		if at, err := resolveModule(srv.Context(), node, dir, "@pulumi/pulumi"); err == nil {
			return srv.Send(&pulumirpc.InstallDependenciesResponse{
				Stdout: []byte(fmt.Sprintf("Groundwork stand-in language host: dependencies of %s already resolve (@pulumi/pulumi at %s); nothing installed\n", dir, at)),
			})
		}
	}
	return status.Error(codes.Unimplemented,
		"the Groundwork stand-in language host does not install dependencies: run `npm ci` in "+dir)
}

// resolveModule asks Node where a module resolves from dir, as the program itself would.
func resolveModule(ctx context.Context, node, dir, module string) (string, error) {
	script := fmt.Sprintf("try { console.log(require.resolve(%q)) } catch (e) { console.error(e.code === 'MODULE_NOT_FOUND' ? 'the Pulumi Node.js SDK (@pulumi/pulumi) is not installed for ' + process.cwd() + ': run npm ci there' : e.message); process.exit(1) }", module)
	cmd := exec.CommandContext(ctx, node, "-e", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", errors.New(strings.TrimSpace(string(ee.Stderr)))
		}
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// runtimeEnv turns the project's runtime options into the variables the Node runners read.
func runtimeEnv(info *pulumirpc.ProgramInfo) ([]string, []string, error) {
	var env, nodeArgs []string
	opts := map[string]any{}
	if info.GetOptions() != nil {
		opts = info.GetOptions().AsMap()
	}
	typescript := true
	if v, ok := opts["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return nil, nil, fmt.Errorf("runtime option 'typescript' must be a boolean, got %v", v)
		}
		typescript = b
	}
	if typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if v, ok := opts["tsconfig"].(string); ok && v != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+v)
	}
	if v, ok := opts["nodeargs"].(string); ok && v != "" {
		nodeArgs = strings.Fields(v)
	}
	return env, nodeArgs, nil
}

func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "node is not on PATH: " + err.Error()}, nil
	}
	runPath, err := resolveModule(ctx, node, info.GetProgramDirectory(), "@pulumi/pulumi/cmd/run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env, nodeArgs, err := runtimeEnv(info)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	// Config keys reach the Node SDK in the `<namespace>:config:<name>` form it has always read.
	cfg := map[string]string{}
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return &pulumirpc.RunResponse{Error: err.Error()}, nil
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
	}
	cfgJSON, _ := json.Marshal(cfg)
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, _ := json.Marshal(secretKeys)

	args := append([]string{}, nodeArgs...)
	args = append(args, runPath)
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.engineAddress)
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	flagArg("root-directory", info.GetRootDirectory())
	flagArg("stack", req.GetStack())
	flagArg("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	args = append(args, info.GetEntryPoint())
	args = append(args, req.GetArgs()...)

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = req.GetPwd()
	cmd.Env = append(os.Environ(), env...)
	cmd.Env = append(cmd.Env, "PULUMI_CONFIG="+string(cfgJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON))
	// Node may switch its stdio to non-blocking mode; wrapping the writers keeps the host's own fds intact.
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
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", ee.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: "could not run the program: " + err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

func (h *languageHost) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	ctx := server.Context()
	info := req.GetInfo()
	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	node, err := exec.LookPath("node")
	if err != nil {
		return err
	}
	isPolicyPack := req.GetKind() == "analyzer"
	module := "@pulumi/pulumi/cmd/run-plugin"
	if isPolicyPack {
		module = "@pulumi/pulumi/cmd/run-policy-pack"
	}
	runPath, err := resolveModule(ctx, node, info.GetProgramDirectory(), module)
	if err != nil {
		return err
	}
	extraEnv, nodeArgs, err := runtimeEnv(info)
	if err != nil {
		return err
	}
	env := append(append([]string{}, req.GetEnv()...), extraEnv...)
	args := []string{runPath}
	args = append(args, nodeArgs...)
	if isPolicyPack {
		// The policy runner takes its arguments first and the pack folder last.
		args = append(args, req.GetArgs()...)
		args = append(args, info.GetProgramDirectory())
	} else {
		args = append(args, info.GetProgramDirectory())
		args = append(args, req.GetArgs()...)
	}

	// A policy pack learns the stack's project, name, preview flag and config from the engine's
	// ConfigureStack call; the SDK's policy proxy answers the engine until the pack is up, then forwards.
	var proxy *sdk.PolicyProxy
	if isPolicyPack {
		proxy, stdout, err = sdk.NewPolicyProxy(ctx, stdout)
		if err != nil {
			return fmt.Errorf("starting the policy proxy: %w", err)
		}
		stackCfg, err := proxy.AwaitConfiguration(ctx)
		if err != nil {
			return fmt.Errorf("waiting for the stack configuration: %w", err)
		}
		if stackCfg != nil {
			add := func(k, v string) {
				if v != "" {
					env = append(env, k+"="+v)
				}
			}
			add("PULUMI_NODEJS_ORGANIZATION", stackCfg.GetOrganization())
			add("PULUMI_NODEJS_PROJECT", stackCfg.GetProject())
			add("PULUMI_NODEJS_STACK", stackCfg.GetStack())
			add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(stackCfg.GetDryRun()))
			if stackCfg.GetConfig() != nil {
				b, err := json.Marshal(stackCfg.GetConfig())
				if err != nil {
					return err
				}
				add("PULUMI_CONFIG", string(b))
			}
		}
	}

	cmd := exec.CommandContext(ctx, node, args...)
	// Both run in their own folder: packs read ./package.json for their version, and a component package
	// launched from source (PulumiPlugin.yaml, such as Groundwork's provider/) gets ts-node's settings from
	// ./tsconfig.json, which the Node runner reads from its working directory.
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start %s: %w", module, err)
	}
	if proxy != nil {
		if err := proxy.Attach(ctx, cmd); err != nil {
			return fmt.Errorf("attaching the policy pack: %w", err)
		}
	} else if err := cmd.Wait(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fmt.Errorf("plugin exited with non-zero exit code: %d", ee.ExitCode())
		}
		return err
	}
	return closer.Close()
}
