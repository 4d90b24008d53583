package framework

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"reflect"
	"strings"
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
	cfg := GatewayConfig{Stage: lc.Stage, StageVars: lc.StageVars, APIKeys: lc.APIKeys, HTTPAPI: lc.HTTPAPI, Parameters: lc.Parameters, Timeouts: map[string]time.Duration{},
		JWTIssuer: lc.JWTIssuer, JWTAudience: lc.JWTAudience, CognitoEndpoint: lc.CognitoEndpoint}
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
// function error is a 200 with X-Amz-Function-Error, as Lambda answers),
// with cfg.CognitoEndpoint each declared user pool's Cognito API at
// manifest.LocalCognitoPath + name (its triggers run as Cognito runs them),
// and the API Gateway emulation (Gateway(a, cfg)) for every other request.
func (a *App) LocalHandler(cfg GatewayConfig) http.Handler {
	gw := Gateway(a, cfg)
	timeouts := cfg.Timeouts
	var cognito http.Handler
	if cfg.CognitoEndpoint != "" {
		cognito = a.localCognito(cfg)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cognito != nil && strings.HasPrefix(r.URL.Path, manifest.LocalCognitoPath) {
			cognito.ServeHTTP(w, r)
			return
		}
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
		w.Write(functionErrorJSON(err))
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

// functionErrorJSON encodes a function's error as Lambda reports it:
// {"errorMessage": ..., "errorType": ...}.
func functionErrorJSON(err error) []byte {
	typ := "errorString"
	if _, timedOut := errors.AsType[*timeoutError](err); timedOut {
		typ = "Sandbox.Timedout"
	} else {
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
