// Command websocket is a golden fixture: connect, message and disconnect
// handlers of a WebSocket API.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	app := framework.New("chat")
	app.OnWebSocketConnect(ok)
	app.OnWebSocketMessage(func(ctx context.Context, req events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
		err := framework.WebSocketClientFor(req).Send(ctx, req.RequestContext.ConnectionID, []byte(req.Body))
		return events.APIGatewayProxyResponse{StatusCode: 200}, err
	})
	app.OnWebSocketDisconnect(ok)
	app.Run()
}

func ok(ctx context.Context, req events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
	return events.APIGatewayProxyResponse{StatusCode: 200}, nil
}
