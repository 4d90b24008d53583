package framework

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework/manifest"
)

// The local Cognito emulation: a local service speaking Cognito's user pool
// API (moto) answers the calls, but does not run Lambda triggers. The local
// server stands in front of it, per declared pool, and runs the pool's
// pre-sign-up trigger before SignUp (its AutoConfirmUser and
// AutoVerifyEmail become AdminConfirmSignUp and an email_verified
// attribute) and its post-confirmation trigger after a confirmation, so a
// page signs players up locally as it does deployed.

const cognitoTarget = "AWSCognitoIdentityProviderService."

// localCognito serves manifest.LocalCognitoPath + pool name.
func (a *App) localCognito(cfg GatewayConfig) http.Handler {
	upstream := strings.TrimRight(cfg.CognitoEndpoint, "/") + "/"
	logf := func(format string, args ...any) {
		if cfg.AccessLog != nil {
			cfg.AccessLog.Printf(format, args...)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pool := strings.TrimPrefix(r.URL.Path, manifest.LocalCognitoPath)
		fail := func(status int, typ, msg string) {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(status)
			b, _ := json.Marshal(map[string]string{"__type": typ, "message": msg})
			w.Write(b)
			logf("%s %s %d cognito %s", r.Method, r.URL.Path, status, msg)
		}
		if _, ok := a.sources.userPools[pool]; !ok {
			fail(http.StatusNotFound, "ResourceNotFoundException", fmt.Sprintf("user pool %q is not declared in the app", pool))
			return
		}
		if r.Method == http.MethodOptions { // CORS preflight of a page on another origin
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Access-Control-Allow-Headers", "content-type,x-amz-target,x-amz-user-agent")
			w.Header().Set("Access-Control-Allow-Methods", "POST")
			w.WriteHeader(http.StatusOK)
			return
		}
		action, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), cognitoTarget)
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if r.Method != http.MethodPost || !ok || err != nil {
			fail(http.StatusBadRequest, "InvalidParameterException", "a Cognito call is a POST with X-Amz-Target: "+cognitoTarget+"ACTION")
			return
		}
		c := &cognitoCall{app: a, pool: pool, upstream: upstream, ctx: r.Context()}
		status, out, err := c.serve(action, body)
		if err != nil {
			fail(http.StatusInternalServerError, "InternalErrorException", fmt.Sprintf("user pool %s, %s: %v", pool, action, err))
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.WriteHeader(status)
		w.Write(out)
		logf("%s %s %d cognito %s", r.Method, r.URL.Path, status, action)
	})
}

// cognitoCall is one call of the pool's API.
type cognitoCall struct {
	app      *App
	pool     string
	upstream string
	ctx      context.Context
}

// serve forwards the call, running the triggers around SignUp and
// ConfirmSignUp. It returns the status and body for the client; err is a
// failure of the emulation itself.
func (c *cognitoCall) serve(action string, body []byte) (int, []byte, error) {
	switch action {
	case "SignUp":
		return c.signUp(body)
	case "ConfirmSignUp":
		status, out, err := c.forward(action, body)
		if err != nil || status != http.StatusOK {
			return status, out, err
		}
		var in struct{ Username, ClientId string }
		json.Unmarshal(body, &in)
		if msg, err := c.postConfirmation(in.Username, in.ClientId, "PostConfirmation_ConfirmSignUp"); err != nil || msg != nil {
			return http.StatusBadRequest, msg, err
		}
		return status, out, nil
	}
	return c.forward(action, body)
}

func (c *cognitoCall) signUp(body []byte) (int, []byte, error) {
	var in struct {
		ClientId       string
		Username       string
		UserAttributes []struct{ Name, Value string }
		ValidationData []struct{ Name, Value string }
		ClientMetadata map[string]string
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return http.StatusBadRequest, cognitoError("InvalidParameterException", "the SignUp request is not JSON: "+err.Error()), nil
	}
	fn := c.trigger("PreSignUp")
	var pre events.CognitoEventUserPoolsPreSignup
	if fn != "" {
		poolID, err := c.poolID()
		if err != nil {
			return 0, nil, err
		}
		ev := events.CognitoEventUserPoolsPreSignup{
			CognitoEventUserPoolsHeader: c.header("PreSignUp_SignUp", poolID, in.Username, in.ClientId),
			Request: events.CognitoEventUserPoolsPreSignupRequest{
				UserAttributes: attrs(in.UserAttributes), ValidationData: attrs(in.ValidationData), ClientMetadata: in.ClientMetadata,
			},
		}
		if err := c.run(fn, ev, &pre); err != nil {
			return http.StatusBadRequest, cognitoError("UserLambdaValidationException", "PreSignUp failed with error "+err.Error()+"."), nil
		}
	}
	status, out, err := c.forward("SignUp", body)
	if err != nil || status != http.StatusOK || !pre.Response.AutoConfirmUser {
		return status, out, err
	}
	poolID, err := c.poolID()
	if err != nil {
		return 0, nil, err
	}
	if err := c.admin("AdminConfirmSignUp", map[string]any{"UserPoolId": poolID, "Username": in.Username}, nil); err != nil {
		return 0, nil, err
	}
	if pre.Response.AutoVerifyEmail {
		if err := c.admin("AdminUpdateUserAttributes", map[string]any{"UserPoolId": poolID, "Username": in.Username,
			"UserAttributes": []map[string]string{{"Name": "email_verified", "Value": "true"}}}, nil); err != nil {
			return 0, nil, err
		}
	}
	if msg, err := c.postConfirmation(in.Username, in.ClientId, "PostConfirmation_ConfirmSignUp"); err != nil || msg != nil {
		return http.StatusBadRequest, msg, err
	}
	var res map[string]any
	if err := json.Unmarshal(out, &res); err != nil {
		return 0, nil, fmt.Errorf("the SignUp answer: %w", err)
	}
	res["UserConfirmed"] = true
	out, err = json.Marshal(res)
	return status, out, err
}

// postConfirmation runs the pool's post-confirmation trigger, if it has
// one, for the user as the pool holds it (its user name and attributes).
// A trigger's error is returned as the client's answer (msg).
func (c *cognitoCall) postConfirmation(username, clientID, source string) (msg []byte, err error) {
	fn := c.trigger("PostConfirmation")
	if fn == "" {
		return nil, nil
	}
	poolID, err := c.poolID()
	if err != nil {
		return nil, err
	}
	var user struct {
		Username       string
		UserAttributes []struct{ Name, Value string }
	}
	if err := c.admin("AdminGetUser", map[string]any{"UserPoolId": poolID, "Username": username}, &user); err != nil {
		return nil, err
	}
	ev := events.CognitoEventUserPoolsPostConfirmation{
		CognitoEventUserPoolsHeader: c.header(source, poolID, user.Username, clientID),
		Request:                     events.CognitoEventUserPoolsPostConfirmationRequest{UserAttributes: attrs(user.UserAttributes)},
	}
	var out events.CognitoEventUserPoolsPostConfirmation
	if err := c.run(fn, ev, &out); err != nil {
		return cognitoError("UserLambdaValidationException", "PostConfirmation failed with error "+err.Error()+"."), nil
	}
	return nil, nil
}

// trigger returns the function registered as the pool's trigger, or "".
func (c *cognitoCall) trigger(name string) string {
	for _, f := range c.app.functions {
		for _, ev := range f.events {
			if ev.Cognito != nil && ev.Cognito.Pool == c.pool && ev.Cognito.Trigger == name {
				return f.name
			}
		}
	}
	return ""
}

func (c *cognitoCall) poolID() (string, error) {
	return lookup(manifest.ResourceUserPool, c.pool, manifest.AttrID)
}

func (c *cognitoCall) header(source, poolID, username, clientID string) events.CognitoEventUserPoolsHeader {
	region := os.Getenv("AWS_REGION")
	if region == "" {
		region = localRegion
	}
	return events.CognitoEventUserPoolsHeader{
		Version: "1", TriggerSource: source, Region: region, UserPoolID: poolID, UserName: username,
		CallerContext: events.CognitoEventUserPoolsCallerContext{AWSSDKVersion: "gochalice-local", ClientID: clientID},
	}
}

// run invokes a trigger function in-process as Cognito would.
func (c *cognitoCall) run(fn string, ev, out any) error {
	payload, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	res, err := c.app.invoke(c.ctx, fn, payload)
	if err != nil {
		return err
	}
	return json.Unmarshal(res, out)
}

// forward sends the call to the upstream service as the client sent it.
// The upstream is a local service: the call carries a placeholder
// Authorization naming the cognito-idp service, which moto routes on.
func (c *cognitoCall) forward(action string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(c.ctx, http.MethodPost, c.upstream, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", cognitoTarget+action)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=local/20260101/"+localRegion+"/cognito-idp/aws4_request, SignedHeaders=host, Signature=0")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("the Cognito endpoint %s: %w", c.upstream, err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return res.StatusCode, out, err
}

// admin makes an administrative call the emulation needs.
func (c *cognitoCall) admin(action string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	status, res, err := c.forward(action, body)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("%s: %d %s", action, status, res)
	}
	if out != nil {
		return json.Unmarshal(res, out)
	}
	return nil
}

func attrs(list []struct{ Name, Value string }) map[string]string {
	m := make(map[string]string, len(list))
	for _, a := range list {
		m[a.Name] = a.Value
	}
	return m
}

func cognitoError(typ, msg string) []byte {
	b, _ := json.Marshal(map[string]string{"__type": typ, "message": msg})
	return b
}
