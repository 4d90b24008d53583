package framework

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gochalice/gochalice/framework/manifest"
)

// localConfig reads the LocalConfig the packager passes in the environment
// and turns it into the gateway's settings.
func (a *App) localConfig(getenv func(string) string) (GatewayConfig, error) {
	var lc manifest.LocalConfig
	if s := getenv(manifest.EnvLocalConfig); s != "" {
		if err := json.Unmarshal([]byte(s), &lc); err != nil {
			return GatewayConfig{}, fmt.Errorf("%s: %w", manifest.EnvLocalConfig, err)
		}
	}
	cfg := GatewayConfig{Stage: lc.Stage, StageVars: lc.StageVars, APIKeys: lc.APIKeys, Timeouts: map[string]time.Duration{}}
	if lc.JWKSFile != "" {
		b, err := os.ReadFile(lc.JWKSFile)
		if err != nil {
			return GatewayConfig{}, fmt.Errorf("reading the JWKS: %w", err)
		}
		cfg.JWKS = b
	}
	for _, name := range a.handlerNames() {
		secs, ok := lc.Timeouts[name]
		if !ok {
			secs = lc.Timeouts["*"]
		}
		if secs > 0 {
			cfg.Timeouts[name] = time.Duration(secs) * time.Second
		}
	}
	return cfg, nil
}

// LocalHandler returns what the local mode serves: the Lambda Invoke API at
// POST /2015-03-31/functions/{name}/invocations for every function (a
// function error is a 200 with X-Amz-Function-Error, as Lambda answers), and
// the API Gateway emulation (Gateway(a, cfg)) for every other request.
func (a *App) LocalHandler(cfg GatewayConfig) http.Handler {
	gw := Gateway(a, cfg)
	timeouts := cfg.Timeouts
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := invocationTarget(r.URL.Path)
		if !ok {
			gw.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		status, kind := a.serveInvocation(w, r, name, timeouts)
		if cfg.AccessLog != nil {
			cfg.AccessLog.Printf("%s %s %d%s %s %s", r.Method, r.URL.Path, status, kind, time.Since(start).Round(10*time.Microsecond), name)
		}
	})
}

// invocationTarget returns the function name of a Lambda Invoke API path.
func invocationTarget(path string) (string, bool) {
	const prefix, suffix = "/2015-03-31/functions/", "/invocations"
	if !strings.HasPrefix(path, prefix) || !strings.HasSuffix(path, suffix) {
		return "", false
	}
	name := strings.TrimSuffix(strings.TrimPrefix(path, prefix), suffix)
	// The Lambda client may send a function ARN or name:qualifier.
	if i := strings.LastIndex(name, ":function:"); i >= 0 {
		name = name[i+len(":function:"):]
	}
	name, _, _ = strings.Cut(name, ":")
	return name, name != "" && !strings.Contains(name, "/")
}

// serveInvocation answers one Invoke API call. It returns the status and,
// for a function error, " (function error)" for the log.
func (a *App) serveInvocation(w http.ResponseWriter, r *http.Request, name string, timeouts map[string]time.Duration) (int, string) {
	lambdaError := func(status int, typ, msg string) (int, string) {
		w.Header().Set("Content-Type", contentTypeJSON)
		w.Header().Set("X-Amzn-Errortype", typ)
		w.WriteHeader(status)
		b, _ := json.Marshal(map[string]string{"Type": "User", "message": msg})
		w.Write(b)
		return status, ""
	}
	if r.Method != http.MethodPost {
		return lambdaError(http.StatusMethodNotAllowed, "InvalidRequestContentException", "the Invoke API takes POST")
	}
	if _, ok := a.functions[name]; !ok {
		return lambdaError(http.StatusNotFound, "ResourceNotFoundException",
			fmt.Sprintf("Function not found: arn:aws:lambda:%s:%s:function:%s (this app has: %s)", localRegion, localAccountID, name, strings.Join(a.handlerNames(), ", ")))
	}
	if it := r.Header.Get("X-Amz-Invocation-Type"); it != "" && it != "RequestResponse" {
		return lambdaError(http.StatusBadRequest, "InvalidParameterValueException", "only RequestResponse invocations are served locally")
	}
	payload, err := io.ReadAll(io.LimitReader(r.Body, 6<<20+1))
	if err != nil {
		return lambdaError(http.StatusBadRequest, "InvalidRequestContentException", err.Error())
	}
	if len(payload) > 6<<20 {
		return lambdaError(http.StatusRequestEntityTooLarge, "RequestTooLargeException", "Request must be smaller than 6291456 bytes for the InvokeFunction operation")
	}
	if len(payload) == 0 {
		payload = []byte("{}")
	}
	if !json.Valid(payload) {
		return lambdaError(http.StatusBadRequest, "InvalidRequestContentException", "Could not parse request body into json")
	}
	timeout, ok := timeouts[name]
	if !ok {
		timeout = defaultFunctionTimeout
	}
	ctx, cancel := context.WithTimeout(r.Context(), timeout)
	defer cancel()
	out, err := invokeWithin(ctx, a.invoke, name, payload)
	w.Header().Set("Content-Type", contentTypeJSON)
	w.Header().Set("X-Amz-Executed-Version", "$LATEST")
	if err != nil {
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
		w.WriteHeader(http.StatusOK)
		w.Write(FunctionErrorJSON(err))
		return http.StatusOK, " (function error)"
	}
	w.WriteHeader(http.StatusOK)
	w.Write(out)
	return http.StatusOK, ""
}

// invokeWithin runs invoke and gives up when ctx ends.
func invokeWithin(ctx context.Context, invoke func(context.Context, string, []byte) ([]byte, error), name string, payload []byte) ([]byte, error) {
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := invoke(ctx, name, payload)
		done <- result{out, err}
	}()
	select {
	case res := <-done:
		return res.out, res.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, &timeoutError{name}
		}
		return nil, ctx.Err()
	}
}

type timeoutError struct{ name string }

func (e *timeoutError) Error() string { return "Task timed out" }

// Unwrap makes a timeout match context.DeadlineExceeded.
func (e *timeoutError) Unwrap() error { return context.DeadlineExceeded }

// FunctionErrorJSON encodes a function's error as Lambda reports it:
// {"errorMessage": ..., "errorType": ...}.
func FunctionErrorJSON(err error) []byte {
	typ := "errorString"
	var t *timeoutError
	switch {
	case errors.As(err, &t):
		typ = "Sandbox.Timedout"
	default:
		rt := reflect.TypeOf(err)
		for rt.Kind() == reflect.Pointer {
			rt = rt.Elem()
		}
		if rt.Name() != "" {
			typ = rt.Name()
		}
	}
	b, _ := json.Marshal(struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}{err.Error(), typ})
	return b
}

// runLocal serves the local mode until SIGINT or SIGTERM.
func (a *App) runLocal(getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := a.localConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "%s%v\n", registrationPfx, err)
		return exitBadApp
	}
	cfg.AccessLog = log.New(stderr, "", log.Ltime)
	ln, err := localListener(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "%s%v\n", registrationPfx, err)
		return exitInitFailed
	}
	var busy busyConns
	srv := &http.Server{Handler: a.LocalHandler(cfg), ReadHeaderTimeout: 10 * time.Second, ConnState: busy.track}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	fmt.Fprintf(stdout, "%shttp://%s\n", manifest.ListeningPrefix, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "%sserving: %v\n", registrationPfx, err)
		return exitInitFailed
	case <-sig:
	}
	// Hand over without dropping a request: the socket may be shared with
	// the next build, which keeps accepting. Stop accepting and let Serve
	// return (every connection it accepted is then tracked), answer every
	// request already accepted, then close what is left. Shutdown alone
	// would drop a connection accepted just before it whose request is
	// read after it.
	srv.SetKeepAlivesEnabled(false)
	ln.Close()
	<-errc
	busy.wait(5 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(ctx)
	return exitOK
}

// localListener is the inherited socket (EnvLocalListener) or a new one on
// EnvLocalAddr (default 127.0.0.1:0).
func localListener(getenv func(string) string) (net.Listener, error) {
	if getenv(manifest.EnvLocalListener) != "" {
		f := os.NewFile(3, "listener")
		defer f.Close()
		ln, err := net.FileListener(f)
		if err != nil {
			return nil, fmt.Errorf("using the inherited socket: %w", err)
		}
		return ln, nil
	}
	addr := getenv(manifest.EnvLocalAddr)
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	return ln, nil
}

// busyConns tracks the connections that are new or serving a request.
type busyConns struct {
	mu   sync.Mutex
	busy map[net.Conn]bool
}

func (b *busyConns) track(c net.Conn, st http.ConnState) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.busy == nil {
		b.busy = map[net.Conn]bool{}
	}
	switch st {
	case http.StateNew, http.StateActive:
		b.busy[c] = true
	case http.StateIdle:
		b.busy[c] = false
	default:
		delete(b.busy, c)
	}
}

// wait returns once no connection is busy, or after limit.
func (b *busyConns) wait(limit time.Duration) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		b.mu.Lock()
		n := 0
		for _, busy := range b.busy {
			if busy {
				n++
			}
		}
		b.mu.Unlock()
		if n == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// runInvoke invokes one function with the event on stdin.
func (a *App) runInvoke(getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, err := a.localConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "%s%v\n", registrationPfx, err)
		return exitBadApp
	}
	name := getenv(manifest.EnvInvoke)
	if _, err := a.handler(name); err != nil {
		fmt.Fprintf(stderr, "%s%v\n", registrationPfx, err)
		return exitBadApp
	}
	payload, err := io.ReadAll(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "%sreading the event: %v\n", registrationPfx, err)
		return exitBadApp
	}
	timeout, ok := cfg.Timeouts[name]
	if !ok {
		timeout = defaultFunctionTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	out, err := invokeWithin(ctx, a.invoke, name, payload)
	if err != nil {
		fmt.Fprintf(stdout, "%s\n", FunctionErrorJSON(err))
		return manifest.ExitFunctionError
	}
	fmt.Fprintf(stdout, "%s\n", out)
	return exitOK
}
