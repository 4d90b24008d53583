package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

// Options are the inputs of Serve.
type Options struct {
	// AppDir is the app's directory (default ".").
	AppDir string
	// Stage is the stage whose settings apply (default "dev").
	Stage string
	// Host and Port are where to listen (default 127.0.0.1:8000; port 0
	// picks a free one).
	Host string
	Port int
	// Reload rebuilds and swaps the app when a .go file of its module or a
	// file under .chalice/ changes.
	Reload bool
	// APIKeys are the accepted x-api-key values (none: any non-empty key).
	APIKeys []string
	// JWKSFile is a JSON Web Key Set file for Cognito authorizers.
	JWKSFile string
	// CognitoEndpoint is a local service speaking Cognito's user pool API,
	// behind the emulation of the declared pools' triggers
	// (manifest.LocalConfig.CognitoEndpoint).
	CognitoEndpoint string
	// JWTIssuer and JWTAudience are what an HTTP API stage's JWT
	// authorizers accept (default: the authorizer's own).
	JWTIssuer   string
	JWTAudience []string
	// PollInterval is how often the files are checked for changes
	// (default 300 ms).
	PollInterval time.Duration
	// Ready, when set, receives the URL once the server is serving.
	Ready func(url string)
}

// Serve builds the app, serves it on the listening address until ctx ends,
// and then stops everything it started. It prints "Serving on URL" to out
// and the request log and reload notices to log.
func Serve(ctx context.Context, o Options, out, logw io.Writer) error {
	if o.AppDir == "" {
		o.AppDir = "."
	}
	if o.Stage == "" {
		o.Stage = stages.DefaultStage
	}
	if o.Host == "" {
		o.Host = "127.0.0.1"
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 300 * time.Millisecond
	}
	if o.JWKSFile != "" {
		abs, err := filepath.Abs(o.JWKSFile)
		if err != nil {
			return err
		}
		if _, err := os.Stat(abs); err != nil {
			return fmt.Errorf("--jwks: %w", err)
		}
		o.JWKSFile = abs
	}
	s, err := o.settings()
	if err != nil {
		return err
	}
	addr := net.JoinHostPort(o.Host, strconv.Itoa(o.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("port %d on %s is already in use; stop what is using it or pick another with --port", o.Port, o.Host)
		}
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	defer ln.Close()
	tmp, err := os.MkdirTemp("", "gochalice-local-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	// The children serve on this socket; it stays open across reloads.
	sock, err := ln.(*net.TCPListener).File()
	if err != nil {
		return fmt.Errorf("sharing the socket: %w", err)
	}
	defer sock.Close()

	srv := &server{o: o, tmp: tmp, log: logw, sock: sock}
	var snap snapshot
	if o.Reload {
		snap = srv.snapshot()
	}
	first, err := srv.start(ctx, s)
	if err != nil {
		return err
	}
	srv.cur.Store(first)
	defer func() { srv.cur.Load().stop() }()

	url := "http://" + ln.Addr().String()
	fmt.Fprintf(out, "Serving on %s\n", url)
	if s.httpAPI {
		fmt.Fprintf(logw, "stage %s deploys an HTTP API: local emulates it (payload 2.0)\n", o.Stage)
	}
	if len(s.unresolved) > 0 {
		fmt.Fprintf(logw, "note: environment variables %s only have a value once deployed; they are not set locally\n", strings.Join(s.unresolved, ", "))
	}
	if o.Ready != nil {
		o.Ready(url)
	}
	if o.Reload {
		go srv.watch(ctx, snap)
	}
	<-ctx.Done()
	srv.mu.Lock() // wait for a reload in progress
	defer srv.mu.Unlock()
	return nil
}

func (o Options) settings() (stageSettings, error) {
	s, err := loadStage(o.AppDir, o.Stage, manifest.APIHandlerName)
	if err != nil {
		return s, err
	}
	s.config.APIKeys = o.APIKeys
	s.config.JWKSFile = o.JWKSFile
	s.config.CognitoEndpoint = o.CognitoEndpoint
	s.config.JWTIssuer, s.config.JWTAudience = o.JWTIssuer, o.JWTAudience
	return s, nil
}

// server holds the current build and swaps it on reload.
type server struct {
	o    Options
	tmp  string
	log  io.Writer
	sock *os.File // the listening socket the children inherit

	cur atomic.Pointer[child]
	mu  sync.Mutex // held while building and swapping
	n   int
}

// start builds the app and starts it.
func (s *server) start(ctx context.Context, st stageSettings) (*child, error) {
	s.n++
	bin, err := buildApp(ctx, s.o.AppDir, s.tmp, fmt.Sprintf("app-%d", s.n))
	if err != nil {
		return nil, err
	}
	return startChild(s.o.AppDir, bin, st, s.sock, s.log)
}

// reload rebuilds the app and swaps it in; on any error the previous build
// keeps serving.
func (s *server) reload(ctx context.Context) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ctx.Err() != nil {
		return
	}
	begin := time.Now()
	fmt.Fprintf(s.log, "change detected: rebuilding\n")
	st, err := s.o.settings()
	if err != nil {
		fmt.Fprintf(s.log, "reload failed; the previous build keeps serving:\n%v\n", err)
		return
	}
	c, err := s.start(ctx, st)
	if err != nil {
		if ctx.Err() == nil {
			fmt.Fprintf(s.log, "reload failed; the previous build keeps serving:\n%v\n", err)
		}
		return
	}
	old := s.cur.Swap(c)
	fmt.Fprintf(s.log, "reloaded in %s\n", time.Since(begin).Round(time.Millisecond))
	// The old build stops accepting and finishes the requests it has: it
	// shuts down gracefully on SIGTERM.
	old.stop()
	_ = os.Remove(old.cmd.Path)
}

// snapshot is the state of the watched files: modification time and size
// by path.
type snapshot map[string]string

// snapshot reads the .go files of the app's module (tests, hidden
// directories, testdata and vendor excluded) and the files under .chalice/.
func (s *server) snapshot() snapshot {
	snap := snapshot{}
	add := func(path string, d fs.DirEntry) {
		if info, err := d.Info(); err == nil {
			snap[path] = info.ModTime().String() + "/" + strconv.FormatInt(info.Size(), 10)
		}
	}
	root := moduleRoot(s.o.AppDir)
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" || name == "node_modules" || name == "out") {
				return filepath.SkipDir
			}
			if path != root && fileExists(filepath.Join(path, "go.mod")) {
				return filepath.SkipDir // another module
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") || name == "go.mod" || name == "go.sum" {
			add(path, d)
		}
		return nil
	})
	filepath.WalkDir(filepath.Join(s.o.AppDir, stages.ConfigDir), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			add(path, d)
		}
		return nil
	})
	return snap
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// moduleRoot is the directory of the go.mod above appDir (appDir itself
// when there is none).
func moduleRoot(appDir string) string {
	abs, err := filepath.Abs(appDir)
	if err != nil {
		return appDir
	}
	for d := abs; ; {
		if fileExists(filepath.Join(d, "go.mod")) {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return abs
		}
		d = parent
	}
}

// watch polls the files and reloads after a change (once the files have
// been quiet for one interval, so an editor's several writes make one
// rebuild).
func (s *server) watch(ctx context.Context, last snapshot) {
	t := time.NewTicker(s.o.PollInterval)
	defer t.Stop()
	pending := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := s.snapshot()
		changed := !equal(now, last)
		last = now
		switch {
		case changed:
			pending = true
		case pending:
			pending = false
			s.reload(ctx)
		}
	}
}

func equal(a, b snapshot) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
