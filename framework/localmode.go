//go:build gochalice_local

package framework

// The local and invoke run modes. They are compiled only into the host
// builds chalice-package local and invoke make (manifest.LocalBuildTag),
// so a Lambda bootstrap does not link the HTTP server, the gateway
// emulation or its JWT verification.

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/gochalice/gochalice/framework/manifest"
)

func init() { localModes = runLocalModes }

// runLocalModes runs the local or the invoke mode.
func runLocalModes(a *App, getenv func(string) string, stdout, stderr io.Writer) int {
	if getenv(manifest.EnvMode) == manifest.ModeLocal {
		return a.runLocal(getenv, stdout, stderr)
	}
	return a.runInvoke(getenv, os.Stdin, stdout, stderr)
}

// runLocal serves the local mode until SIGINT or SIGTERM.
func (a *App) runLocal(getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := a.localConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "%s%v\n", registrationPfx, err)
		return exitBadApp
	}
	cfg.AccessLog = log.New(stderr, "", log.Ltime)
	if cfg.CognitoEndpoint != "" {
		// The pools' Endpoint is the emulation, a path of this server.
		for name := range a.sources.userPools {
			os.Setenv(manifest.ResourceEnv(manifest.ResourceUserPool, name, manifest.AttrEndpoint), manifest.LocalCognitoPath+name)
		}
		fmt.Fprintf(stderr, "Cognito: the user pools' APIs are served at %s<pool>, forwarded to %s with their triggers run here\n", manifest.LocalCognitoPath, cfg.CognitoEndpoint)
	}
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
		fmt.Fprintf(stdout, "%s\n", functionErrorJSON(err))
		return manifest.ExitFunctionError
	}
	fmt.Fprintf(stdout, "%s\n", out)
	return exitOK
}
