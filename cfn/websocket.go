package cfn

import (
	"fmt"
	"maps"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/apigatewayv2"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"
)

// Fixed logical IDs of the WebSocket API's shared resources (Chalice's).
const (
	idWebSocketAPI        = "WebsocketAPI"
	idWebSocketDeployment = "WebsocketAPIDeployment"
	idWebSocketStage      = "WebsocketAPIStage"
	idWebSocketDomain     = "WebsocketAPICustomDomain"
	idWebSocketMapping    = "WebsocketAPIMapping"
)

// webSocketRoutes maps each route key to the prefix of its resources' IDs.
var webSocketRoutes = map[string]string{
	"$connect":    "WebsocketConnect",
	"$default":    "WebsocketMessage",
	"$disconnect": "WebsocketDisconnect",
}

var webSocketRouteOrder = []string{"$connect", "$default", "$disconnect"}

// webSocketAPI adds the WebSocket API when the app has WebSocket handlers:
// the API, per route an integration, a route and an invoke permission, a
// deployment that depends on every route, a stage and the wss:// endpoint
// output. routes maps a route key to the function handling it.
func (b *builder) webSocketAPI(routes map[string]string) error {
	if len(routes) == 0 {
		return nil
	}
	stage := b.apiStage()
	api := &apigatewayv2.Api{
		Name:                     ptr(fmt.Sprintf("%s-%s-websocket-api", b.m.App, b.st.Name)),
		ProtocolType:             ptr("WEBSOCKET"),
		RouteSelectionExpression: ptr("$request.body.action"),
	}
	if err := b.addEventResource(idWebSocketAPI, "the WebSocket API", api); err != nil {
		return err
	}
	var routeIDs []string
	for _, key := range webSocketRouteOrder {
		fn, ok := routes[key]
		if !ok {
			continue
		}
		fid := b.ids[fn]
		prefix := webSocketRoutes[key]
		integ := &apigatewayv2.Integration{
			ApiId:           b.in.placeholder(ref(idWebSocketAPI)),
			IntegrationType: "AWS_PROXY",
			IntegrationUri:  b.in.placeholderPtr(sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${" + fid + ".Arn}/invocations")),
		}
		if err := b.addEventResource(prefix+"Integration", "the WebSocket API", integ); err != nil {
			return err
		}
		route := &apigatewayv2.Route{
			ApiId:    b.in.placeholder(ref(idWebSocketAPI)),
			RouteKey: key,
			Target:   b.in.placeholderPtr(sub("integrations/${" + prefix + "Integration}")),
		}
		if err := b.addEventResource(prefix+"Route", "the WebSocket API", route); err != nil {
			return err
		}
		routeIDs = append(routeIDs, prefix+"Route")
		perm := &lambda.Permission{
			Action:       "lambda:InvokeFunction",
			Principal:    "apigateway.amazonaws.com",
			FunctionName: b.in.placeholder(ref(fid)),
			SourceArn:    b.in.placeholderPtr(sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + idWebSocketAPI + "}/*")),
		}
		if err := b.addEventResource(prefix+"InvokePermission", "the WebSocket API", perm); err != nil {
			return err
		}
	}
	dep := &apigatewayv2.Deployment{ApiId: b.in.placeholder(ref(idWebSocketAPI))}
	dep.AWSCloudFormationDependsOn = routeIDs
	if err := b.addEventResource(idWebSocketDeployment, "the WebSocket API", dep); err != nil {
		return err
	}
	st := &apigatewayv2.Stage{
		ApiId:        b.in.placeholder(ref(idWebSocketAPI)),
		StageName:    stage,
		DeploymentId: b.in.placeholderPtr(ref(idWebSocketDeployment)),
	}
	if err := b.addEventResource(idWebSocketStage, "the WebSocket API", st); err != nil {
		return err
	}
	if err := b.addOutput("WebsocketAPIId", "ID of the WebSocket API", ref(idWebSocketAPI)); err != nil {
		return err
	}
	if err := b.addOutput("WebsocketConnectEndpointURL", "wss:// URL of the WebSocket API's stage",
		sub(fmt.Sprintf("wss://${%s}.execute-api.${AWS::Region}.${AWS::URLSuffix}/%s/", idWebSocketAPI, stage))); err != nil {
		return err
	}
	return b.webSocketDomain()
}

// webSocketDomain adds websocket_api_custom_domain: a regional
// AWS::ApiGatewayV2::DomainName (the only kind a WebSocket API can have) and
// an ApiMapping to the API's stage. The mapping refers to the stage, so it
// is created after it; the outputs give the DNS alias target.
func (b *builder) webSocketDomain() error {
	d := b.st.WebsocketCustomDomain
	if d == nil {
		return nil
	}
	what := "websocket_api_custom_domain " + d.DomainName
	if d.DomainName == "" {
		return fmt.Errorf("websocket_api_custom_domain: domain_name is empty")
	}
	tls, err := domainSecurity(what, d.CertificateARN, d.TLSVersion)
	if err != nil {
		return err
	}
	dn := &apigatewayv2.DomainName{
		DomainName: d.DomainName,
		DomainNameConfigurations: []apigatewayv2.DomainName_DomainNameConfiguration{{
			CertificateArn: ptr(d.CertificateARN),
			EndpointType:   ptr("REGIONAL"),
			SecurityPolicy: ptr(tls),
		}},
	}
	if len(d.Tags) > 0 {
		dn.Tags = maps.Clone(d.Tags)
	}
	if err := b.addFixed(idWebSocketDomain, dn, "the WebSocket API's custom domain"); err != nil {
		return err
	}
	m := &apigatewayv2.ApiMapping{
		DomainName: b.in.placeholder(ref(idWebSocketDomain)),
		ApiId:      b.in.placeholder(ref(idWebSocketAPI)),
		Stage:      b.in.placeholder(ref(idWebSocketStage)),
	}
	base := strings.Trim(d.BasePath, "/")
	if base != "" {
		m.ApiMappingKey = ptr(base)
	}
	if err := b.addFixed(idWebSocketMapping, m, "the WebSocket API's custom domain mapping"); err != nil {
		return err
	}
	return b.addOutputList([]output{
		{"WebsocketAliasDomainName", "Target of the DNS alias (CNAME or Route 53 alias) for " + d.DomainName, getAtt(idWebSocketDomain, "RegionalDomainName")},
		{"WebsocketHostedZoneId", "Hosted zone ID of the WebSocket alias target", getAtt(idWebSocketDomain, "RegionalHostedZoneId")},
		{"WebsocketCustomDomainURL", "wss:// URL of the WebSocket API on the custom domain", "wss://" + d.DomainName + "/" + base},
	})
}
