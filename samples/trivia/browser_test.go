package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/moto"
	"github.com/gochalice/gochalice/internal/testtool"
)

// The game in a real browser: headless Chromium, driven over the DevTools
// protocol, plays against `chalice-package local` (the app built for this
// machine, its Cognito authorizer checked against moto's JWKS, the pool's
// triggers run by local's Cognito emulation in front of moto): the page
// loads, a player signs up and is signed in, answers one question right and
// one wrong, and sees the score become 1 and their name on the leaderboard.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds chalice-package and the app, and runs a browser")
	}
	browser := testtool.Require(t, "chromium", "apt-get install -y chromium")
	srv := moto.Start(t)
	m, err := newApp(nil).Manifest()
	if err != nil {
		t.Fatal(err)
	}
	env := srv.CreateResources(t, m)
	poolID := env[manifest.ResourceEnv(manifest.ResourceUserPool, "players", manifest.AttrID)]
	jwks := filepath.Join(t.TempDir(), "jwks.json")
	download(t, srv.URL+"/"+poolID+"/.well-known/jwks.json", jwks)

	base := startLocal(t, env, srv, "--jwks", jwks, "--cognito-endpoint", srv.URL)

	dir := t.TempDir()
	opts := append(chromedp.DefaultExecAllocatorOptions[:0:0],
		chromedp.ExecPath(browser), chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.WindowSize(420, 1000))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	shot := filepath.Join(dir, "trivia.png")
	defer func() {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err == nil && os.WriteFile(shot, png, 0o644) == nil {
			t.Logf("screenshot: %s", shot)
		}
		// TRIVIA_SCREENSHOT=path keeps a copy (the README's screenshot).
		if keep := os.Getenv("TRIVIA_SCREENSHOT"); keep != "" && err == nil {
			os.WriteFile(keep, png, 0o644)
		}
	}()
	waitFor := func(js string) chromedp.Action[chromedp.Void] {
		return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			if _, err := chromedp.Poll[bool](js, chromedp.WithPollingTimeout(20*time.Second))(ctx, tg); err != nil {
				return chromedp.Void{}, fmt.Errorf("waiting for %s: %w", js, err)
			}
			return chromedp.Void{}, nil
		}
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), "ann@example.com"),
		chromedp.SendKeys(chromedp.ID("password"), "Correct-Horse-9"),
		chromedp.Click(chromedp.ID("sign-up")),
		chromedp.WaitVisible(chromedp.ID("game")),
		// The post-confirmation trigger put the player on the board.
		waitFor(`document.getElementById("leaderboard").textContent.includes("ann: 0")`),
		// Question 3, right: provided.al2023 is its second option.
		chromedp.Click(chromedp.ID("q3-1")),
		chromedp.Click(chromedp.CSS(`button[aria-describedby="r3"]`)),
		waitFor(`document.getElementById("r3").textContent.startsWith("Right")`),
		// Question 1, wrong: EC2.
		chromedp.Click(chromedp.ID("q1-0")),
		chromedp.Click(chromedp.CSS(`button[aria-describedby="r1"]`)),
		waitFor(`document.getElementById("r1").textContent.startsWith("Wrong")`),
		waitFor(`document.getElementById("leaderboard").textContent.includes("ann: 1")`),
	)
	if err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Text(chromedp.ID("message")))
		t.Fatalf("playing in the browser: %v (the page says %q)", err, msg)
	}
	text := func(id string) string {
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id)))
		if err != nil {
			t.Errorf("reading #%s: %v", id, err)
		}
		return s
	}
	right, wrong, score, board, who := text("r3"), text("r1"), text("score"), text("leaderboard"), text("who")
	checks := []struct{ name, got, want string }{
		{"right answer", right, "Right! +1"},
		{"wrong answer", wrong, "Wrong: the answer is Lambda."},
		{"score", score, "1"},
		{"leaderboard", board, "ann: 1"},
		{"signed in as", who, "Signed in as ann"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: the page shows %q, want %q", c.name, c.got, c.want)
		}
	}
}

func download(t *testing.T, url, file string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s %v", url, res.StatusCode, b, err)
	}
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// startLocal builds chalice-package and runs `chalice-package local` on a
// free port for this package's app, with the resources' variables and the
// SDK pointed at moto; it is stopped (by process group) when the test ends.
// It returns the server's URL.
func startLocal(t *testing.T, resources map[string]string, srv *moto.Server, args ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "chalice-package")
	build := exec.Command("go", "build", "-o", bin, "github.com/gochalice/gochalice/cmd/chalice-package")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building chalice-package: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, append([]string{"local", "--port", "0", "--no-reload"}, append(args, ".")...)...)
	cmd.Env = os.Environ()
	for k, v := range srv.Env() {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	for k, v := range resources {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	logs := &strings.Builder{}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		t.Logf("chalice-package local:\n%s", logs.String())
	})
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "Serving on "); ok {
				urls <- u
			}
		}
	}()
	select {
	case u := <-urls:
		return u
	case <-done:
		t.Fatalf("chalice-package local exited:\n%s", logs.String())
	case <-time.After(120 * time.Second):
		t.Fatalf("chalice-package local did not start:\n%s", logs.String())
	}
	return ""
}
