package review_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/internal/review"
)

// parse reads a template written in YAML, failing the test on error.
func parse(t *testing.T, name, src string) *review.Template {
	t.Helper()
	tpl, err := review.Parse(name, []byte(src))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return tpl
}

// restAPI is a Swagger REST API with one route whose security is sec
// (a YAML flow value, "" for none) and an OPTIONS method answering with
// origin (none when "").
func restAPI(sec, origin string) string {
	s := `
  RestAPI:
    Type: AWS::Serverless::Api
    Properties:
      StageName: api
      DefinitionBody:
        swagger: "2.0"
        securityDefinitions:
          api_key: {type: apiKey, name: x-api-key, in: header}
          iam: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}
          users:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: cognito_user_pools
            x-amazon-apigateway-authorizer: {type: cognito_user_pools, providerARNs: [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC]}
          token_auth:
            type: apiKey
            name: Authorization
            in: header
            x-amazon-apigateway-authtype: custom
            x-amazon-apigateway-authorizer: {type: token, authorizerUri: !Sub "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${TokenAuth.Arn}/invocations"}
        paths:
          /admin:
            get:
`
	if sec != "" {
		s += "              security: " + sec + "\n"
	}
	s += `              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${APIHandler.Arn}/invocations"
`
	if origin != "" {
		s += `            options:
              x-amazon-apigateway-integration:
                type: mock
                responses:
                  default:
                    statusCode: "200"
                    responseParameters:
                      method.response.header.Access-Control-Allow-Origin: "'` + origin + `'"
`
	}
	return s
}

// function is a SAM function with a role and extra properties (YAML at
// the indentation of Properties' keys).
func function(id, role, extra string) string {
	s := "\n  " + id + ":\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: provided.al2023\n      Handler: " + strings.ToLower(id) + "\n"
	if role != "" {
		s += "      Role: !GetAtt " + role + ".Arn\n"
	}
	return s + extra
}

// role is an IAM role trusted by Lambda with one inline policy of the
// given statements (YAML list items at 14 spaces).
func role(id, statements string) string {
	return `
  ` + id + `:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
` + statements
}

func resources(parts ...string) string {
	head := "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\nResources:"
	if len(parts) == 0 {
		return head + " {}\n"
	}
	return head + strings.Join(parts, "")
}

func line(f review.Finding) string {
	return fmt.Sprintf("%s | %s | %s | %s", f.Concern, f.Level, f.Subject, f.Message)
}

type findingCase struct {
	name     string
	old, new string
	// want lists "concern | level | subject | message" lines; a line may
	// end with "…" to match a message prefix. The review must hold
	// exactly these findings.
	want []string
	// never lists text the review must not contain (secret values).
	never []string
}

func runCases(t *testing.T, cases []findingCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := review.Compare(parse(t, "old", tc.old), parse(t, "new", tc.new))
			var got []string
			for _, f := range rep.Findings {
				got = append(got, line(f))
			}
			used := make([]bool, len(got))
			for _, w := range tc.want {
				found := false
				for i, g := range got {
					if used[i] {
						continue
					}
					if g == w || (strings.HasSuffix(w, "…") && strings.HasPrefix(g, strings.TrimSuffix(w, "…"))) {
						used[i], found = true, true
						break
					}
				}
				if !found {
					t.Errorf("missing finding:\n  %s", w)
				}
			}
			for i, g := range got {
				if !used[i] {
					t.Errorf("unexpected finding:\n  %s", g)
				}
			}
			text := rep.Text() + rep.Markdown()
			for _, s := range tc.never {
				if strings.Contains(text, s) {
					t.Errorf("review shows %q:\n%s", s, text)
				}
			}
		})
	}
}

// httpAPI is an HTTP API with an OpenAPI 3 definition: GET /items needs
// the JWT authorizer with scopes (a YAML flow list); origin is the CORS
// configuration's allowed origin.
func httpAPI(scopes, origin string) string {
	return `
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration: {AllowOrigins: ["` + origin + `"]}
      DefinitionBody:
        openapi: "3.0.1"
        components:
          securitySchemes:
            jwt:
              type: oauth2
              x-amazon-apigateway-authorizer:
                type: jwt
                identitySource: $request.header.Authorization
                jwtConfiguration: {issuer: "https://auth.example.com", audience: [app]}
        paths:
          /items:
            get:
              security: [{jwt: ` + scopes + `}]
              x-amazon-apigateway-integration: {type: aws_proxy, payloadFormatVersion: "2.0", uri: !GetAtt Fn.Arn}`
}

const apiHandler = `
  APIHandler:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: provided.al2023
      Handler: api_handler
      Role: arn:aws:iam::123456789012:role/app`

func TestAPIFindings(t *testing.T) {
	runCases(t, []findingCase{
		{
			name: "route lost its authorizer",
			old:  resources(apiHandler, restAPI("[{token_auth: []}]", "")),
			new:  resources(apiHandler, restAPI("", "")),
			want: []string{"API | risk | GET /admin | authorizer token_auth removed: the route is now public"},
		},
		{
			name: "authorizer removed, API key stays",
			old:  resources(apiHandler, restAPI("[{token_auth: [], api_key: []}]", "")),
			new:  resources(apiHandler, restAPI("[{api_key: []}]", "")),
			want: []string{"API | risk | GET /admin | authorizer token_auth removed: only the API key protects the route"},
		},
		{
			name: "authorizer added",
			old:  resources(apiHandler, restAPI("", "")),
			new:  resources(apiHandler, restAPI("[{iam: []}]", "")),
			want: []string{"API | review | GET /admin | authorizer IAM added"},
		},
		{
			name: "authorizer swapped",
			old:  resources(apiHandler, restAPI("[{iam: []}]", "")),
			new:  resources(apiHandler, restAPI("[{token_auth: []}]", "")),
			want: []string{"API | review | GET /admin | authorizer IAM → token_auth"},
		},
		{
			name: "scope dropped and another required",
			old:  resources(apiHandler, restAPI("[{users: [profile/read, profile/write]}]", "")),
			new:  resources(apiHandler, restAPI("[{users: [profile/read, admin]}]", "")),
			want: []string{
				"API | risk | GET /admin | scope no longer required: profile/write",
				"API | review | GET /admin | now requires scope admin",
			},
		},
		{
			name: "API key no longer required",
			old:  resources(apiHandler, restAPI("[{api_key: []}]", "")),
			new:  resources(apiHandler, restAPI("", "")),
			want: []string{"API | risk | GET /admin | API key no longer required: the route is now public"},
		},
		{
			name: "API key required",
			old:  resources(apiHandler, restAPI("[{iam: []}]", "")),
			new:  resources(apiHandler, restAPI("[{iam: [], api_key: []}]", "")),
			want: []string{"API | review | GET /admin | API key now required"},
		},
		{
			name: "CORS origin opened to any site",
			old:  resources(apiHandler, restAPI("[{iam: []}]", "https://app.example.com")),
			new:  resources(apiHandler, restAPI("[{iam: []}]", "*")),
			want: []string{"API | risk | GET /admin | CORS origin https://app.example.com → *: any site can call it from a browser"},
		},
		{
			name: "CORS origin changed",
			old:  resources(apiHandler, restAPI("[{iam: []}]", "https://a.example.com")),
			new:  resources(apiHandler, restAPI("[{iam: []}]", "https://b.example.com")),
			want: []string{"API | review | GET /admin | CORS origin https://a.example.com → https://b.example.com"},
		},
		{
			name: "authorizer definition changed",
			old:  resources(apiHandler, restAPI("[{users: []}]", "")),
			new:  resources(apiHandler, strings.Replace(restAPI("[{users: []}]", ""), "us-east-1_AbC", "us-east-1_XyZ", 1)),
			want: []string{"API | review | authorizer users | changed: x-amazon-apigateway-authorizer.providerARNs [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC] → [arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_XyZ]"},
		},
		{
			name: "public route added, protected route added",
			old:  resources(apiHandler, restAPI("[{iam: []}]", "")),
			new: resources(apiHandler, strings.Replace(restAPI("[{iam: []}]", ""), "          /admin:\n", `          /open:
            post: {}
          /users:
            get: {security: [{users: [read]}]}
          /admin:
`, 1)),
			want: []string{
				"API | risk | POST /open | added, public: no authorizer and no API key",
				"API | info | GET /users | added (authorizer users, scopes read)",
			},
		},
		{
			name: "route removed",
			old:  resources(apiHandler, restAPI("[{iam: []}]", "")),
			new:  resources(apiHandler, strings.Replace(restAPI("[{iam: []}]", ""), "          /admin:\n            get:\n", "          /admin:\n            post:\n", 1)),
			want: []string{
				"API | review | GET /admin | removed",
				"API | info | POST /admin | added (authorizer IAM)",
			},
		},
		{
			name: "integration moved to another function",
			old:  resources(apiHandler, restAPI("[{iam: []}]", "")),
			new:  resources(apiHandler, strings.Replace(restAPI("[{iam: []}]", ""), "${APIHandler.Arn}", "${Other.Arn}", 1)),
			want: []string{"API | review | GET /admin | integration APIHandler → Other"},
		},
		{
			name: "stage, endpoint and throttling",
			old: resources(`
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: api
      EndpointConfiguration: PRIVATE
      MethodSettings: [{ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 10}]`),
			new: resources(`
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      EndpointConfiguration: {Type: REGIONAL}
      MethodSettings: [{ResourcePath: "/*", HttpMethod: "*", ThrottlingRateLimit: 100}]`),
			want: []string{
				"API | risk | REST API Api | endpoint type PRIVATE → REGIONAL",
				"API | review | REST API Api | stage api → v1",
				`API | review | REST API Api | method settings (throttling) changed: [{"HttpMethod":"*","ResourcePath":"/*","ThrottlingRateLimit":"10"}] → [{"HttpMethod":"*","ResourcePath":"/*","ThrottlingRateLimit":"100"}]`,
			},
		},
		{
			name: "SAM Api event lost its authorizer",
			old: resources(`
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: api
      Auth:
        DefaultAuthorizer: Pool
        Authorizers:
          Pool: {UserPoolArn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC}`,
				function("Fn", "", "      Events:\n        Get:\n          Type: Api\n          Properties: {RestApiId: !Ref Api, Path: /items, Method: get}\n")),
			new: resources(`
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: api
      Auth:
        DefaultAuthorizer: Pool
        Authorizers:
          Pool: {UserPoolArn: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbC}`,
				function("Fn", "", "      Events:\n        Get:\n          Type: Api\n          Properties: {RestApiId: !Ref Api, Path: /items, Method: get, Auth: {Authorizer: NONE}}\n")),
			want: []string{"API | risk | GET /items | authorizer Pool removed: the route is now public"},
		},
		{
			name: "HttpApi JWT default authorizer dropped, issuer changed",
			old: resources(`
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers:
          Jwt: {IdentitySource: $request.header.Authorization, JwtConfiguration: {issuer: https://a.example.com, audience: [app]}}`,
				function("Fn", "", "      Events:\n        Any:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Http, Path: /things, Method: GET}\n")),
			new: resources(`
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        Authorizers:
          Jwt: {IdentitySource: $request.header.Authorization, JwtConfiguration: {issuer: https://b.example.com, audience: [app]}}`,
				function("Fn", "", "      Events:\n        Any:\n          Type: HttpApi\n          Properties: {ApiId: !Ref Http, Path: /things, Method: GET}\n")),
			want: []string{
				"API | risk | GET /things | authorizer Jwt removed: the route is now public",
				"API | review | authorizer Jwt | changed: JwtConfiguration.issuer https://a.example.com → https://b.example.com",
			},
		},
		{
			name: "implicit API from a new event",
			old:  resources(function("Fn", "", "")),
			new:  resources(function("Fn", "", "      Events:\n        Get:\n          Type: Api\n          Properties: {Path: /hi, Method: GET}\n")),
			want: []string{
				"API | info | REST API ServerlessRestApi | added (implicit, from function events)",
				"API | risk | GET /hi | added, public: no authorizer and no API key",
			},
		},
		{
			name: "implicit API takes Globals: CORS opened",
			old:  "Globals: {Api: {Cors: \"'https://app.example.com'\"}}\n" + resources(function("Fn", "", "      Events:\n        Get:\n          Type: Api\n          Properties: {Path: /hi, Method: GET, Auth: {ApiKeyRequired: true}}\n")),
			new:  "Globals: {Api: {Cors: \"'*'\"}}\n" + resources(function("Fn", "", "      Events:\n        Get:\n          Type: Api\n          Properties: {Path: /hi, Method: GET, Auth: {ApiKeyRequired: true}}\n")),
			want: []string{"API | risk | GET /hi | CORS origin https://app.example.com → *: any site can call it from a browser"},
		},
		{
			name: "custom domain and usage plan",
			old: resources(`
  Plan:
    Type: AWS::ApiGateway::UsagePlan
    Properties: {Throttle: {BurstLimit: 100, RateLimit: 50}}`),
			new: resources(`
  Plan:
    Type: AWS::ApiGateway::UsagePlan
    Properties: {Throttle: {BurstLimit: 200, RateLimit: 50}}
  Domain:
    Type: AWS::ApiGateway::DomainName
    Properties: {DomainName: api.example.com}`),
			want: []string{
				"API | review | custom domain Domain | added (domainName api.example.com)",
				"API | review | usage plan Plan | Throttle.BurstLimit 100 → 200",
			},
		},
		{
			name: "HttpApi OpenAPI definition: scopes and CORS",
			old:  resources(httpAPI("[read, write]", "https://app.example.com")),
			new:  resources(httpAPI("[read]", "'*'")),
			want: []string{
				"API | risk | GET /items | scope no longer required: write",
				"API | risk | GET /items | CORS origin https://app.example.com → *: any site can call it from a browser",
			},
		},
		{
			name: "operation details still reported",
			old:  resources(apiHandler, restAPI("[{iam: []}]", "")),
			new:  resources(apiHandler, strings.Replace(restAPI("[{iam: []}]", ""), "                httpMethod: POST\n", "                httpMethod: POST\n                timeoutInMillis: 5000\n", 1)),
			want: []string{"API | info | GET /admin | definition changed: x-amazon-apigateway-integration.timeoutInMillis"},
		},
		{
			name: "invoke permission for anyone",
			old:  resources(function("Fn", "", "")),
			new: resources(function("Fn", "", ""), `
  Open:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn, Principal: "*"}
  Scoped:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref Fn, Principal: sns.amazonaws.com, SourceArn: !Ref Topic}`),
			want: []string{
				"Functions | risk | invoke permission Open | added (principal *): anyone can invoke the function",
				"Functions | info | invoke permission Scoped | added (principal sns.amazonaws.com)",
			},
		},
		{
			name: "public function URL",
			old:  resources(function("Fn", "", "")),
			new:  resources(function("Fn", "", "      FunctionUrlConfig: {AuthType: NONE}\n")),
			want: []string{"API | risk | function Fn | function URL added, public: AuthType NONE"},
		},
		{
			name: "WebSocket $connect route added without auth",
			old: resources(`
  Ws:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: ws, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}`),
			new: resources(`
  Ws:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: ws, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
  Connect:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Ws, RouteKey: $connect, AuthorizationType: NONE}
  Message:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref Ws, RouteKey: $default}`),
			want: []string{
				"API | risk | Ws $connect | added, public: no authorizer and no API key",
				"API | info | Ws $default | added (public)",
			},
		},
	})
}

func TestIAMFindings(t *testing.T) {
	logs := "              - {Effect: Allow, Action: [logs:CreateLogStream, logs:PutLogEvents], Resource: \"arn:aws:logs:*:*:*\"}\n"
	getObj := "              - {Effect: Allow, Action: s3:GetObject, Resource: \"arn:aws:s3:::b/*\"}\n"
	runCases(t, []findingCase{
		{
			name: "new wildcard action",
			old:  resources(role("R", logs), function("Fn", "R", "")),
			new:  resources(role("R", logs+"              - {Effect: Allow, Action: \"s3:*\", Resource: \"*\"}\n"), function("Fn", "R", "")),
			want: []string{"IAM | risk | role R (Fn) | allows wildcard s3:* on *"},
		},
		{
			name: "scoped resource widened to *",
			old:  resources(role("R", getObj), function("Fn", "R", "")),
			new:  resources(role("R", "              - {Effect: Allow, Action: s3:GetObject, Resource: \"*\"}\n"), function("Fn", "R", "")),
			want: []string{
				"IAM | risk | role R (Fn) | s3:GetObject widened from arn:aws:s3:::b/* to *",
				"IAM | info | role R (Fn) | no longer allows s3:GetObject on arn:aws:s3:::b/*",
			},
		},
		{
			name: "action added on a scoped resource, one removed",
			old:  resources(role("R", logs+getObj), function("Fn", "R", "")),
			new:  resources(role("R", logs+"              - {Effect: Allow, Action: [s3:PutObject], Resource: \"arn:aws:s3:::b/*\"}\n"), function("Fn", "R", "")),
			want: []string{
				"IAM | review | role R (Fn) | allows s3:PutObject on arn:aws:s3:::b/*",
				"IAM | info | role R (Fn) | no longer allows s3:GetObject on arn:aws:s3:::b/*",
			},
		},
		{
			name: "same action on another resource",
			old:  resources(role("R", getObj), function("Fn", "R", "")),
			new:  resources(role("R", getObj+"              - {Effect: Allow, Action: s3:GetObject, Resource: \"arn:aws:s3:::c/*\"}\n"), function("Fn", "R", "")),
			want: []string{"IAM | review | role R (Fn) | now also allows s3:GetObject on arn:aws:s3:::c/*"},
		},
		{
			name: "action names compare case-insensitively",
			old:  resources(role("R", getObj), function("Fn", "R", "")),
			new:  resources(role("R", "              - {Effect: Allow, Action: S3:getobject, Resource: \"arn:aws:s3:::b/*\"}\n"), function("Fn", "R", "")),
		},
		{
			name: "condition dropped",
			old:  resources(role("R", "              - {Effect: Allow, Action: s3:GetObject, Resource: \"*\", Condition: {StringEquals: {\"aws:ResourceAccount\": \"123456789012\"}}}\n"), function("Fn", "R", "")),
			new:  resources(role("R", "              - {Effect: Allow, Action: s3:GetObject, Resource: \"*\"}\n"), function("Fn", "R", "")),
			want: []string{
				`IAM | risk | role R (Fn) | s3:GetObject on * no longer needs a condition (was {"StringEquals":{"aws:ResourceAccount":"123456789012"}})`,
				`IAM | info | role R (Fn) | no longer allows s3:GetObject on * when {"StringEquals":{"aws:ResourceAccount":"123456789012"}}`,
			},
		},
		{
			name: "deny removed",
			old:  resources(role("R", logs+"              - {Effect: Deny, Action: s3:DeleteObject, Resource: \"*\"}\n"), function("Fn", "R", "")),
			new:  resources(role("R", logs), function("Fn", "R", "")),
			want: []string{"IAM | risk | role R (Fn) | no longer denies s3:DeleteObject on *"},
		},
		{
			name: "managed policies",
			old:  resources(role("R", logs), function("Fn", "R", "")),
			new: resources(strings.Replace(role("R", logs), "      Policies:", `      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AdministratorAccess
        - arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess
      Policies:`, 1), function("Fn", "R", "")),
			want: []string{
				"IAM | risk | role R (Fn) | managed policy arn:aws:iam::aws:policy/AdministratorAccess added",
				"IAM | review | role R (Fn) | managed policy arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess added",
			},
		},
		{
			name: "trust policy widened",
			old:  resources(role("R", logs), function("Fn", "R", "")),
			new: resources(strings.Replace(role("R", logs), "Principal: {Service: lambda.amazonaws.com}",
				"Principal: {Service: lambda.amazonaws.com, AWS: \"arn:aws:iam::210987654321:root\"}", 1), function("Fn", "R", "")),
			want: []string{"IAM | risk | role R (Fn) | trust policy: can now be assumed by AWS arn:aws:iam::210987654321:root (sts:AssumeRole)"},
		},
		{
			name: "permissions boundary removed",
			old: resources(strings.Replace(role("R", logs), "      Policies:", "      PermissionsBoundary: arn:aws:iam::123456789012:policy/boundary\n      Policies:", 1),
				function("Fn", "R", "")),
			new:  resources(role("R", logs), function("Fn", "R", "")),
			want: []string{"IAM | risk | role R (Fn) | permissions boundary arn:aws:iam::123456789012:policy/boundary removed"},
		},
		{
			name: "policy resource attached to the role",
			old: resources(role("R", logs), function("Fn", "R", ""), `
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref R]
      PolicyDocument: {Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Q.Arn}]}`),
			new: resources(role("R", logs), function("Fn", "R", ""), `
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [!Ref R]
      PolicyDocument: {Statement: [{Effect: Allow, Action: ["sqs:*"], Resource: !GetAtt Q.Arn}]}`),
			want: []string{
				"IAM | risk | role R (Fn) | allows wildcard sqs:* on !GetAtt Q.Arn",
				"IAM | info | role R (Fn) | no longer allows sqs:SendMessage on !GetAtt Q.Arn",
			},
		},
		{
			name: "role policy resource (one role per function)",
			old:  resources(role("R", logs), function("Fn", "R", ""), "\n  RP:\n    Type: AWS::IAM::RolePolicy\n    Properties: {PolicyName: rp, RoleName: !Ref R, PolicyDocument: {Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: !GetAtt Q.Arn}]}}"),
			new:  resources(role("R", logs), function("Fn", "R", ""), "\n  RP:\n    Type: AWS::IAM::RolePolicy\n    Properties: {PolicyName: rp, RoleName: !Ref R, PolicyDocument: {Statement: [{Effect: Allow, Action: sqs:SendMessage, Resource: \"*\"}]}}"),
			want: []string{
				"IAM | risk | role R (Fn) | sqs:SendMessage widened from !GetAtt Q.Arn to *",
				"IAM | info | role R (Fn) | no longer allows sqs:SendMessage on !GetAtt Q.Arn",
			},
		},
		{
			name: "SAM function policies: template and inline statement",
			old:  resources(function("Fn", "", "      Policies: [AWSLambdaBasicExecutionRole]\n")),
			new: resources(function("Fn", "", `      Policies:
        - AWSLambdaBasicExecutionRole
        - DynamoDBCrudPolicy: {TableName: !Ref Table}
        - Statement: [{Effect: Allow, Action: "dynamodb:*", Resource: "*"}]
`)),
			want: []string{
				"IAM | risk | role FnRole (Fn) | allows wildcard dynamodb:* on *",
				`IAM | review | role FnRole (Fn) | SAM policy template DynamoDBCrudPolicy {"TableName":{"Ref":"Table"}} added`,
			},
		},
		{
			name: "function moves to its own role",
			old:  resources(role("DefaultRole", logs+getObj), function("A", "DefaultRole", ""), function("B", "DefaultRole", "")),
			new:  resources(role("DefaultRole", logs), role("ARole", logs+getObj), function("A", "ARole", ""), function("B", "DefaultRole", "")),
			want: []string{
				"IAM | info | role ARole (A) | added, replacing DefaultRole for its functions; changes are against that role",
				"IAM | info | role DefaultRole (B) | no longer allows s3:GetObject on arn:aws:s3:::b/*",
				"Functions | review | function A | role DefaultRole → ARole",
			},
		},
		{
			name: "role added and removed",
			old:  resources(role("Old", logs)),
			new:  resources(role("New", logs)),
			want: []string{
				"IAM | review | role New | added",
				"IAM | review | role New | allows logs:CreateLogStream, logs:PutLogEvents on arn:aws:logs:*:*:*",
				"IAM | info | role New | trust policy: can now be assumed by Service lambda.amazonaws.com (sts:AssumeRole)",
				"IAM | info | role Old | removed",
			},
		},
	})
}

func TestFunctionFindings(t *testing.T) {
	base := "      MemorySize: 128\n      Timeout: 30\n      Architectures: [arm64]\n      Tracing: PassThrough\n"
	runCases(t, []findingCase{
		{
			name: "memory raised",
			old:  resources(function("Fn", "", base)),
			new:  resources(function("Fn", "", strings.Replace(base, "128", "1024", 1))),
			want: []string{"Functions | info | function Fn | memory 128 MB → 1024 MB"},
		},
		{
			name: "settings",
			old:  resources(function("Fn", "", base)),
			new: resources(strings.Replace(function("Fn", "", `      MemorySize: 128
      Timeout: 900
      Architectures: [x86_64]
      Tracing: Active
      ReservedConcurrentExecutions: 0
      Layers: ["arn:aws:lambda:us-east-1:123456789012:layer:otel:7"]
      VpcConfig: {SubnetIds: [subnet-1a2b3c4d], SecurityGroupIds: [sg-0123456789abcdef0]}
`), "provided.al2023", "provided.al2", 1)),
			want: []string{
				"Functions | info | function Fn | timeout 30 s → 900 s",
				"Functions | review | function Fn | architecture [arm64] → [x86_64]",
				"Functions | info | function Fn | tracing PassThrough → Active",
				"Functions | review | function Fn | reserved concurrency default → 0",
				"Functions | review | function Fn | runtime provided.al2023 → provided.al2",
				"Functions | review | function Fn | layers: + arn:aws:lambda:us-east-1:123456789012:layer:otel:7",
				"Functions | review | function Fn | now runs in a VPC (subnets subnet-1a2b3c4d; security groups sg-0123456789abcdef0)",
			},
		},
		{
			name: "environment names, never values",
			old:  resources(function("Fn", "", "      Environment: {Variables: {KEEP: same, GONE: old-secret-1, CHANGED: old-secret-2}}\n")),
			new:  resources(function("Fn", "", "      Environment: {Variables: {KEEP: same, NEW: new-secret-3, CHANGED: new-secret-4}}\n")),
			want: []string{
				"Functions | info | function Fn | environment variable added: NEW",
				"Functions | review | function Fn | environment variable removed: GONE",
				"Functions | info | function Fn | environment variable changed value: CHANGED",
			},
			never: []string{"secret-"},
		},
		{
			name: "Globals apply to every function",
			old:  "Globals: {Function: {MemorySize: 256}}\n" + resources(function("A", "", ""), function("B", "", "      MemorySize: 512\n")),
			new:  "Globals: {Function: {MemorySize: 1024}}\n" + resources(function("A", "", ""), function("B", "", "      MemorySize: 512\n")),
			want: []string{"Functions | info | function A | memory 256 MB → 1024 MB"},
		},
		{
			name: "functions added and removed",
			old:  resources(function("Gone", "SharedRole", "")),
			new:  resources(function("Fresh", "SharedRole", "      MemorySize: 256\n")),
			want: []string{
				"Functions | info | function Fresh | added (memory 256 MB, runtime provided.al2023, handler fresh)",
				"Functions | review | function Gone | removed",
			},
		},
		{
			name: "plain Lambda function",
			old:  resources("\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: provided.al2023, TracingConfig: {Mode: PassThrough}, Environment: {Variables: {A: x}}}"),
			new:  resources("\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: provided.al2023, TracingConfig: {Mode: Active}, Environment: {Variables: {A: y}}}"),
			want: []string{
				"Functions | info | function Fn | tracing PassThrough → Active",
				"Functions | info | function Fn | environment variable changed value: A",
			},
		},
		{
			name: "other property changes are still reported",
			old:  resources(function("Fn", "", "      Tags: {team: a}\n")),
			new:  resources(function("Fn", "", "      Tags: {team: b}\n      EphemeralStorage: {Size: 1024}\n")),
			want: []string{"Functions | info | function Fn | EphemeralStorage.Size set to 1024; Tags.team a → b"},
		},
		{
			name: "renamed function is replaced",
			old:  resources(function("Fn", "", "      FunctionName: app-fn\n")),
			new:  resources(function("Fn", "", "      FunctionName: app-fn-2\n")),
			want: []string{"Data | review | function Fn | CloudFormation replaces it (FunctionName app-fn → app-fn-2)"},
		},
	})
}

func TestEventFindings(t *testing.T) {
	ev := func(events string) string { return resources(function("Fn", "", "      Events:\n"+events)) }
	runCases(t, []findingCase{
		{
			name: "schedule changed",
			old:  ev("        Tick: {Type: Schedule, Properties: {Schedule: rate(1 hour)}}\n"),
			new:  ev("        Tick: {Type: Schedule, Properties: {Schedule: rate(5 minutes)}}\n"),
			want: []string{"Events | info | Fn event Tick | Schedule rate(1 hour) → rate(5 minutes)"},
		},
		{
			name: "batch size and filter",
			old:  ev("        Jobs: {Type: SQS, Properties: {Queue: !GetAtt Q.Arn, BatchSize: 10}}\n"),
			new:  ev("        Jobs: {Type: SQS, Properties: {Queue: !GetAtt Q.Arn, BatchSize: 100, FilterCriteria: {Filters: [{Pattern: '{\"a\":[1]}'}]}}}\n"),
			want: []string{
				"Events | info | Fn event Jobs | BatchSize 10 → 100",
				`Events | review | Fn event Jobs | FilterCriteria.Filters set to [{"Pattern":"{\"a\":[1]}"}]`,
			},
		},
		{
			name: "sources added and removed",
			old:  ev("        Alerts: {Type: SNS, Properties: {Topic: arn:aws:sns:us-east-1:123456789012:alerts}}\n"),
			new:  ev("        Stream: {Type: Kinesis, Properties: {Stream: !GetAtt S.Arn, StartingPosition: LATEST}}\n"),
			want: []string{
				"Events | info | Fn event Stream | Kinesis source added: stream !GetAtt S.Arn",
				"Events | review | Fn event Alerts | SNS source removed: topic arn:aws:sns:us-east-1:123456789012:alerts",
			},
		},
		{
			name: "standalone rule",
			old:  resources("\n  Rule:\n    Type: AWS::Events::Rule\n    Properties: {ScheduleExpression: rate(1 day)}"),
			new:  resources("\n  Rule:\n    Type: AWS::Events::Rule\n    Properties: {ScheduleExpression: rate(2 days)}"),
			want: []string{"Events | review | event rule Rule | ScheduleExpression rate(1 day) → rate(2 days)"},
		},
	})
}

func TestDataFindings(t *testing.T) {
	bucket := func(attrs, props string) string {
		return "\n  Uploads:\n    Type: AWS::S3::Bucket\n" + attrs + "    Properties: {" + props + "}"
	}
	table := func(attrs, key string) string {
		return "\n  Orders:\n    Type: AWS::DynamoDB::Table\n" + attrs + `    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}, {AttributeName: pk, AttributeType: S}]
      KeySchema: [{AttributeName: ` + key + `, KeyType: HASH}]`
	}
	runCases(t, []findingCase{
		{
			name: "bucket renamed, not retained",
			old:  resources(bucket("", "BucketName: uploads-v1")),
			new:  resources(bucket("", "BucketName: uploads-v2")),
			want: []string{"Data | risk | bucket Uploads | CloudFormation replaces it (BucketName uploads-v1 → uploads-v2); the old bucket is deleted with its data (UpdateReplacePolicy Delete)"},
		},
		{
			name: "bucket renamed, retained",
			old:  resources(bucket("    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n", "")),
			new:  resources(bucket("    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n", "BucketName: uploads-v2")),
			want: []string{"Data | review | bucket Uploads | CloudFormation replaces it (BucketName none → uploads-v2); the old bucket is retained with its data, the new one starts empty (UpdateReplacePolicy Retain)"},
		},
		{
			name: "table key schema changed (a known gap of the schemas)",
			old:  resources(table("", "id")),
			new:  resources(table("", "pk")),
			want: []string{`Data | risk | table Orders | CloudFormation replaces it (KeySchema [{"AttributeName":"id","KeyType":"HASH"}] → [{"AttributeName":"pk","KeyType":"HASH"}]); the old table is deleted with its data (UpdateReplacePolicy Delete)`},
		},
		{
			name: "SAM simple table primary key",
			old:  resources("\n  T:\n    Type: AWS::Serverless::SimpleTable\n    Properties: {PrimaryKey: {Name: id, Type: String}}"),
			new:  resources("\n  T:\n    Type: AWS::Serverless::SimpleTable\n    Properties: {PrimaryKey: {Name: key, Type: String}}"),
			want: []string{`Data | risk | table T | CloudFormation replaces it (PrimaryKey {"Name":"id","Type":"String"} → {"Name":"key","Type":"String"}); the old table is deleted with its data (UpdateReplacePolicy Delete)`},
		},
		{
			name: "user pool sign-in attributes (a known gap)",
			old:  resources("\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties: {UsernameAttributes: [email]}"),
			new:  resources("\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties: {UsernameAttributes: [phone_number]}"),
			want: []string{"Data | risk | user pool Pool | CloudFormation replaces it (UsernameAttributes [email] → [phone_number]); the old user pool is deleted with its data (UpdateReplacePolicy Delete)"},
		},
		{
			name: "table removed without retention",
			old:  resources(table("", "id")),
			new:  resources(),
			want: []string{"Data | risk | table Orders | removed: CloudFormation deletes the table and its data (DeletionPolicy Delete)"},
		},
		{
			name: "table removed, retained",
			old:  resources(table("    DeletionPolicy: Retain\n", "id")),
			new:  resources(),
			want: []string{"Data | review | table Orders | removed from the stack; the table and its data stay in the account (DeletionPolicy Retain)"},
		},
		{
			name: "retention dropped",
			old:  resources(table("    DeletionPolicy: Retain\n", "id")),
			new:  resources(table("", "id")),
			want: []string{"Data | review | table Orders | DeletionPolicy Retain → Delete: removing it from the stack would now delete its data"},
		},
		{
			name: "queue added, other table setting changed",
			old:  resources(table("", "id")),
			new: resources(strings.Replace(table("", "id"), "PAY_PER_REQUEST", "PROVISIONED", 1),
				"\n  Jobs:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Retain\n    Properties: {}"),
			want: []string{
				"Data | info | queue Jobs | added (retained on delete)",
				"Data | info | table Orders | BillingMode PAY_PER_REQUEST → PROVISIONED",
			},
		},
		{
			name: "type changed",
			old:  resources("\n  Store:\n    Type: AWS::DynamoDB::Table\n    Properties: {}"),
			new:  resources("\n  Store:\n    Type: AWS::S3::Bucket\n    Properties: {}"),
			want: []string{"Data | risk | bucket Store | CloudFormation replaces it (type AWS::DynamoDB::Table → AWS::S3::Bucket); the old bucket is deleted with its data (UpdateReplacePolicy Delete)"},
		},
	})
}

func TestParamsOutputsAndOtherFindings(t *testing.T) {
	runCases(t, []findingCase{
		{
			name: "parameters",
			old: `Parameters:
  Domain: {Type: String, Default: a.example.com}
  Gone: {Type: String}
  Key: {Type: String, NoEcho: true, Default: old-secret-1}
Resources: {}`,
			new: `Parameters:
  Domain: {Type: String, Default: b.example.com}
  Fresh: {Type: Number, Default: 3}
  Key: {Type: String, NoEcho: true, Default: new-secret-2}
Resources: {}`,
			want: []string{
				"Parameters and outputs | info | parameter Domain | Default a.example.com → b.example.com",
				"Parameters and outputs | info | parameter Fresh | added (type Number, default 3)",
				"Parameters and outputs | review | parameter Gone | removed: deploy commands that pass it fail",
				"Parameters and outputs | info | parameter Key | Default changed (NoEcho, value not shown)",
			},
			never: []string{"secret-"},
		},
		{
			name: "outputs",
			old: `Resources: {}
Outputs:
  Url: {Value: https://a.example.com}
  Shared: {Value: x, Export: {Name: shared-x}}
  Gone: {Value: y}`,
			new: `Resources: {}
Outputs:
  Url: {Value: https://b.example.com}
  Shared: {Value: x, Export: {Name: shared-y}}
  Fresh: {Value: !Ref AWS::StackName}`,
			want: []string{
				"Parameters and outputs | info | output Url | Value https://a.example.com → https://b.example.com",
				"Parameters and outputs | review | output Shared | Export.Name shared-x → shared-y",
				"Parameters and outputs | review | output Gone | removed",
				"Parameters and outputs | info | output Fresh | added: !Ref AWS::StackName",
			},
		},
		{
			name: "unknown resource types and sections",
			old:  "Conditions: {IsProd: !Equals [!Ref Env, prod]}\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n",
			new:  "Conditions: {IsProd: !Equals [!Ref Env, live]}\nResources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Alarm:\n    Type: AWS::CloudWatch::Alarm\n    Properties: {Threshold: 1}\n",
			want: []string{
				"Other | info | Alarm (AWS::CloudWatch::Alarm) | added",
				`Other | info | template | Conditions.IsProd !Equals [{"Ref":"Env"},"prod"] → !Equals [{"Ref":"Env"},"live"]`,
			},
		},
	})
}
