// Command coldstart compares a gochalice bootstrap with a bare aws-lambda-go
// one (bench/coldstart/...): their sizes, built as chalice-package builds a
// bootstrap, for arm64 and x86_64, raw and zipped; and their cold start
// under the AWS Lambda Runtime Interface Emulator, from the first invoke (the
// emulator starts the bootstrap then) to its response, for the host's
// architecture. Runs alternate between the two, -rounds times; the median
// counts. It needs aws-lambda-rie (see .ci/run).
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"time"

	"github.com/gochalice/gochalice/internal/build"
	"github.com/gochalice/gochalice/internal/rie"
)

var apps = []struct{ name, dir string }{
	{"gochalice", "./coldstart/framework"},
	{"bare aws-lambda-go", "./coldstart/bare"},
}

func main() {
	rounds := flag.Int("rounds", 15, "cold starts of each bootstrap")
	flag.Parse()
	if err := run(*rounds); err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
}

func run(rounds int) error {
	tmp, err := os.MkdirTemp("", "coldstart-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	ctx := context.Background()

	fmt.Println("bootstrap size (go build -trimpath -ldflags='-s -w' -tags lambda.norpc)")
	fmt.Printf("%-20s %-7s %10s %10s\n", "app", "arch", "bytes", "zipped")
	sizes := map[string][2]int64{}
	for _, arch := range []string{"arm64", "x86_64"} {
		for _, a := range apps {
			bin := filepath.Join(tmp, arch, a.name, "bootstrap")
			if err := build.Bootstrap(ctx, a.dir, arch, bin); err != nil {
				return err
			}
			fi, err := os.Stat(bin)
			if err != nil {
				return err
			}
			zsize, err := build.Zip(bin, bin+".zip")
			if err != nil {
				return err
			}
			fmt.Printf("%-20s %-7s %10d %10d\n", a.name, arch, fi.Size(), zsize)
			sizes[arch+a.name] = [2]int64{fi.Size(), zsize}
		}
		f, b := sizes[arch+apps[0].name], sizes[arch+apps[1].name]
		fmt.Printf("%-20s %-7s %10.3f %10.3f\n", "ratio", arch, float64(f[0])/float64(b[0]), float64(f[1])/float64(b[1]))
	}

	hostArch := map[string]string{"amd64": "x86_64", "arm64": "arm64"}[runtime.GOARCH]
	if runtime.GOOS != "linux" || hostArch == "" {
		fmt.Println("cold start: skipped (the emulator runs linux/amd64 or linux/arm64 bootstraps on a host of that kind)")
		return nil
	}
	emulator, err := rie.Find()
	if err != nil {
		return err
	}
	event, err := os.ReadFile("../framework/testdata/browser_event.json")
	if err != nil {
		return err
	}
	times := make([][]time.Duration, len(apps))
	for range rounds {
		for i, a := range apps {
			d, err := coldStart(emulator, filepath.Join(tmp, hostArch, a.name, "bootstrap"), event)
			if err != nil {
				return fmt.Errorf("%s: %w", a.name, err)
			}
			times[i] = append(times[i], d)
		}
	}
	fmt.Printf("\ncold start under aws-lambda-rie (%s), first invoke to response, %d rounds\n", hostArch, rounds)
	fmt.Printf("%-20s %10s %10s %10s\n", "app", "median", "min", "max")
	med := make([]time.Duration, len(apps))
	for i, a := range apps {
		slices.Sort(times[i])
		med[i] = times[i][len(times[i])/2]
		fmt.Printf("%-20s %10s %10s %10s\n", a.name, med[i].Round(10*time.Microsecond), times[i][0].Round(10*time.Microsecond), times[i][len(times[i])-1].Round(10*time.Microsecond))
	}
	fmt.Printf("%-20s %10.2f\n", "ratio (median)", float64(med[0])/float64(med[1]))
	return nil
}

// coldStart starts the emulator with bootstrap, waits until it listens, and
// times the first invoke: the emulator starts the bootstrap, which inits
// and answers.
func coldStart(emulator, bootstrap string, event []byte) (time.Duration, error) {
	invoke, api := freePort(), freePort()
	cmd := exec.Command(emulator, "--runtime-interface-emulator-address", invoke, "--runtime-api-address", api, bootstrap)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "_HANDLER=api_handler", "AWS_LAMBDA_FUNCTION_HANDLER=api_handler",
		"AWS_LAMBDA_FUNCTION_NAME=api_handler", "AWS_LAMBDA_FUNCTION_TIMEOUT=30", "AWS_REGION=us-east-1"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		if c, err := net.Dial("tcp", invoke); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("the emulator does not listen on %s", invoke)
		}
	}
	url := "http://" + invoke + "/2015-03-31/functions/function/invocations"
	start := time.Now()
	resp, err := http.Post(url, "application/json", bytes.NewReader(event))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	d := time.Since(start)
	if resp.StatusCode != 200 || !bytes.Contains(body.Bytes(), []byte(`\"hello\":\"gopher\"`)) {
		return 0, fmt.Errorf("status %d: %s", resp.StatusCode, body.Bytes())
	}
	return d, nil
}

func freePort() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().String()
}
