package moto

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
)

// Call sends one request of an AWS JSON-protocol API (DynamoDB's
// DynamoDB_20120810, Cognito's AWSCognitoIdentityProviderService, ...) to
// the server, unsigned (moto does not check signatures), and decodes the
// answer into out (nil to discard it). An AWS error is returned with its
// type and message.
func (s *Server) Call(target, action string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequest("POST", s.URL+"/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target+"."+action)
	// moto routes on the signing service in the Authorization header.
	service := map[string]string{"DynamoDB_20120810": "dynamodb", "AWSCognitoIdentityProviderService": "cognito-idp"}[target]
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/"+service+"/aws4_request, SignedHeaders=host, Signature=0")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != 200 {
		return fmt.Errorf("%s %s: %s: %s", target, action, res.Status, data)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(data, out)
}

// CreateResources creates on the server the tables and user pools (with
// their app clients) the manifest declares, as the template would, and
// returns the variables the framework's handles read
// (manifest.ResourceEnv) set to them. Pools are created without their
// triggers: moto does not run Lambda triggers.
func (s *Server) CreateResources(t testing.TB, m *manifest.Manifest) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, tb := range m.Tables {
		name := "local-" + tb.Name
		types := map[string]string{}
		keys := func(pk manifest.KeyAttribute, sk *manifest.KeyAttribute) []map[string]string {
			types[pk.Name] = pk.Type
			ks := []map[string]string{{"AttributeName": pk.Name, "KeyType": "HASH"}}
			if sk != nil {
				types[sk.Name] = sk.Type
				ks = append(ks, map[string]string{"AttributeName": sk.Name, "KeyType": "RANGE"})
			}
			return ks
		}
		in := map[string]any{"TableName": name, "BillingMode": "PAY_PER_REQUEST", "KeySchema": keys(tb.PartitionKey, tb.SortKey)}
		var gsis []map[string]any
		for _, ix := range tb.GlobalIndexes {
			gsis = append(gsis, map[string]any{"IndexName": ix.Name, "KeySchema": keys(ix.PartitionKey, ix.SortKey), "Projection": map[string]string{"ProjectionType": "ALL"}})
		}
		if gsis != nil {
			in["GlobalSecondaryIndexes"] = gsis
		}
		var defs []map[string]string
		for n, typ := range types {
			defs = append(defs, map[string]string{"AttributeName": n, "AttributeType": typ})
		}
		in["AttributeDefinitions"] = defs
		var out struct{ TableDescription struct{ TableArn string } }
		if err := s.Call("DynamoDB_20120810", "CreateTable", in, &out); err != nil {
			t.Fatalf("table %s: %v", tb.Name, err)
		}
		env[manifest.ResourceEnv(manifest.ResourceTable, tb.Name, manifest.AttrName)] = name
		env[manifest.ResourceEnv(manifest.ResourceTable, tb.Name, manifest.AttrARN)] = out.TableDescription.TableArn
	}
	for _, p := range m.UserPools {
		in := map[string]any{"PoolName": "local-" + p.Name}
		if p.EmailSignIn {
			in["UsernameAttributes"] = []string{"email"}
			in["AutoVerifiedAttributes"] = []string{"email"}
		}
		var pool struct{ UserPool struct{ Id string } }
		if err := s.Call("AWSCognitoIdentityProviderService", "CreateUserPool", in, &pool); err != nil {
			t.Fatalf("user pool %s: %v", p.Name, err)
		}
		env[manifest.ResourceEnv(manifest.ResourceUserPool, p.Name, manifest.AttrID)] = pool.UserPool.Id
		if !p.AppClient {
			continue
		}
		flows := []string{"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
		if p.PasswordAuth {
			flows = append(flows, "ALLOW_USER_PASSWORD_AUTH")
		}
		var client struct{ UserPoolClient struct{ ClientId string } }
		if err := s.Call("AWSCognitoIdentityProviderService", "CreateUserPoolClient", map[string]any{
			"UserPoolId": pool.UserPool.Id, "ClientName": "local-" + p.Name, "GenerateSecret": false, "ExplicitAuthFlows": flows,
		}, &client); err != nil {
			t.Fatalf("app client of user pool %s: %v", p.Name, err)
		}
		env[manifest.ResourceEnv(manifest.ResourceUserPool, p.Name, manifest.AttrClientID)] = client.UserPoolClient.ClientId
	}
	return env
}
