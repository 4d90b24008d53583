// Package testevents builds sample events, as AWS services send them to
// Lambda functions, as aws-lambda-go events values with realistic fields.
// Test code uses them through framework/chalicetest; `chalice-package
// generate-event` prints them.
//
// Every builder is deterministic: the same arguments give the same event
// (fixed times, ARNs in account 123456789012 and region us-east-1, ids
// derived from the position of a record).
package testevents

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Account and Region are those of every ARN in the events.
const (
	Account = "123456789012"
	Region  = "us-east-1"
)

// Time is the time every event carries.
var Time = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// id returns a stable UUID-shaped id for (kind, i).
func id(kind string, i int) string {
	sum := md5.Sum([]byte(kind + "/" + strconv.Itoa(i)))
	s := hex.EncodeToString(sum[:])
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

func md5Hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// SQS returns an SQS event with one message per body, from queue "queue".
func SQS(bodies ...string) events.SQSEvent {
	ev := events.SQSEvent{Records: []events.SQSMessage{}}
	ms := strconv.FormatInt(Time.UnixMilli(), 10)
	for i, b := range bodies {
		ev.Records = append(ev.Records, events.SQSMessage{
			MessageId:     id("sqs", i),
			ReceiptHandle: "AQEB" + md5Hex("receipt/"+strconv.Itoa(i)),
			Body:          b,
			Md5OfBody:     md5Hex(b),
			Attributes: map[string]string{
				"ApproximateReceiveCount":          "1",
				"SentTimestamp":                    ms,
				"SenderId":                         "AIDAIENQZJOLO23YVJ4VO",
				"ApproximateFirstReceiveTimestamp": ms,
			},
			MessageAttributes: map[string]events.SQSMessageAttribute{},
			EventSourceARN:    "arn:aws:sqs:" + Region + ":" + Account + ":queue",
			EventSource:       "aws:sqs",
			AWSRegion:         Region,
		})
	}
	return ev
}

// SNS returns an SNS event with one notification per message, from topic
// "topic".
func SNS(messages ...string) events.SNSEvent {
	ev := events.SNSEvent{Records: []events.SNSEventRecord{}}
	topic := "arn:aws:sns:" + Region + ":" + Account + ":topic"
	for i, m := range messages {
		ev.Records = append(ev.Records, events.SNSEventRecord{
			EventVersion:         "1.0",
			EventSubscriptionArn: topic + ":" + id("sub", i),
			EventSource:          "aws:sns",
			SNS: events.SNSEntity{
				SignatureVersion:  "1",
				Timestamp:         Time,
				Signature:         "EXAMPLE",
				SigningCertURL:    "https://sns." + Region + ".amazonaws.com/SimpleNotificationService-0000000000000000000000.pem",
				MessageID:         id("sns", i),
				Message:           m,
				MessageAttributes: map[string]any{},
				Type:              "Notification",
				UnsubscribeURL:    "https://sns." + Region + ".amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + topic,
				TopicArn:          topic,
			},
		})
	}
	return ev
}

// S3 returns an S3 ObjectCreated:Put event for one object.
func S3(bucket, key string) events.S3Event {
	return events.S3Event{Records: []events.S3EventRecord{{
		EventVersion: "2.1",
		EventSource:  "aws:s3",
		AWSRegion:    Region,
		EventTime:    Time,
		EventName:    "ObjectCreated:Put",
		PrincipalID:  events.S3UserIdentity{PrincipalID: "AWS:AIDAINPONIXQXHT3IKHL2"},
		RequestParameters: events.S3RequestParameters{
			SourceIPAddress: "203.0.113.1",
		},
		ResponseElements: map[string]string{
			"x-amz-request-id": "C3D13FE58DE4C810",
			"x-amz-id-2":       "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD",
		},
		S3: events.S3Entity{
			SchemaVersion:   "1.0",
			ConfigurationID: "event",
			Bucket: events.S3Bucket{
				Name:          bucket,
				OwnerIdentity: events.S3UserIdentity{PrincipalID: "A3NL1KOZZKExample"},
				Arn:           "arn:aws:s3:::" + bucket,
			},
			Object: events.S3Object{
				Key:       key,
				Size:      1024,
				ETag:      md5Hex(bucket + "/" + key),
				Sequencer: "0055AED6DCD90281E5",
			},
		},
	}}}
}

// Schedule returns the event EventBridge sends on a schedule (rule
// "schedule").
func Schedule() events.EventBridgeEvent {
	return events.EventBridgeEvent{
		Version:    "0",
		ID:         id("schedule", 0),
		DetailType: "Scheduled Event",
		Source:     "aws.events",
		AccountID:  Account,
		Time:       Time,
		Region:     Region,
		Resources:  []string{"arn:aws:events:" + Region + ":" + Account + ":rule/schedule"},
		Detail:     json.RawMessage(`{}`),
	}
}

// EventBridge returns an EventBridge event with the given source, detail
// type and detail. detail is JSON-encoded unless it is a json.RawMessage,
// []byte or string holding JSON already; nil means {}.
func EventBridge(source, detailType string, detail any) (events.EventBridgeEvent, error) {
	raw, err := rawJSON(detail)
	if err != nil {
		return events.EventBridgeEvent{}, fmt.Errorf("event detail: %w", err)
	}
	return events.EventBridgeEvent{
		Version:    "0",
		ID:         id("eventbridge", 0),
		DetailType: detailType,
		Source:     source,
		AccountID:  Account,
		Time:       Time,
		Region:     Region,
		Resources:  []string{},
		Detail:     raw,
	}, nil
}

func rawJSON(v any) (json.RawMessage, error) {
	switch x := v.(type) {
	case nil:
		return json.RawMessage(`{}`), nil
	case json.RawMessage:
		if !json.Valid(x) {
			return nil, fmt.Errorf("not JSON: %s", x)
		}
		return x, nil
	case []byte:
		return rawJSON(json.RawMessage(x))
	case string:
		return rawJSON(json.RawMessage(x))
	}
	b, err := json.Marshal(v)
	return b, err
}

// DynamoDB returns a DynamoDB stream event with one INSERT record per item,
// from table "table". Item values may be strings, numbers and booleans;
// the first key in sorted order is the record's key.
func DynamoDB(items ...map[string]any) events.DynamoDBEvent {
	ev := events.DynamoDBEvent{Records: []events.DynamoDBEventRecord{}}
	table := "arn:aws:dynamodb:" + Region + ":" + Account + ":table/table"
	for i, item := range items {
		img := map[string]events.DynamoDBAttributeValue{}
		for k, v := range item {
			img[k] = attribute(v)
		}
		keys := map[string]events.DynamoDBAttributeValue{}
		if names := slices.Sorted(maps.Keys(item)); len(names) > 0 {
			keys[names[0]] = img[names[0]]
		}
		ev.Records = append(ev.Records, events.DynamoDBEventRecord{
			AWSRegion:      Region,
			EventID:        md5Hex("ddb/" + strconv.Itoa(i)),
			EventName:      "INSERT",
			EventSource:    "aws:dynamodb",
			EventVersion:   "1.1",
			EventSourceArn: table + "/stream/2026-01-02T03:04:05.000",
			Change: events.DynamoDBStreamRecord{
				ApproximateCreationDateTime: events.SecondsEpochTime{Time: Time},
				Keys:                        keys,
				NewImage:                    img,
				SequenceNumber:              "11100000000000" + strconv.Itoa(1000000000+i),
				SizeBytes:                   int64(26 + 10*len(item)),
				StreamViewType:              "NEW_AND_OLD_IMAGES",
			},
		})
	}
	return ev
}

func attribute(v any) events.DynamoDBAttributeValue {
	switch x := v.(type) {
	case string:
		return events.NewStringAttribute(x)
	case bool:
		return events.NewBooleanAttribute(x)
	case int:
		return events.NewNumberAttribute(strconv.Itoa(x))
	case int64:
		return events.NewNumberAttribute(strconv.FormatInt(x, 10))
	case float64:
		return events.NewNumberAttribute(strconv.FormatFloat(x, 'f', -1, 64))
	case nil:
		return events.NewNullAttribute()
	}
	return events.NewStringAttribute(fmt.Sprint(v))
}

// Kinesis returns a Kinesis stream event with one record per data string,
// from stream "stream".
func Kinesis(data ...string) events.KinesisEvent {
	ev := events.KinesisEvent{Records: []events.KinesisEventRecord{}}
	for i, d := range data {
		seq := "4959033827149025660855969253836157109592157598913658"
		ev.Records = append(ev.Records, events.KinesisEventRecord{
			AwsRegion:         Region,
			EventID:           "shardId-000000000000:" + seq + strconv.Itoa(i),
			EventName:         "aws:kinesis:record",
			EventSource:       "aws:kinesis",
			EventSourceArn:    "arn:aws:kinesis:" + Region + ":" + Account + ":stream/stream",
			EventVersion:      "1.0",
			InvokeIdentityArn: "arn:aws:iam::" + Account + ":role/lambda-role",
			Kinesis: events.KinesisRecord{
				ApproximateArrivalTimestamp: events.SecondsEpochTime{Time: Time},
				Data:                        []byte(d),
				PartitionKey:                "key-" + strconv.Itoa(i),
				SequenceNumber:              seq + strconv.Itoa(i),
				KinesisSchemaVersion:        "1.0",
			},
		})
	}
	return ev
}

// CognitoTriggers are the trigger names Cognito accepts, as in
// framework.CognitoTrigger.
var CognitoTriggers = []string{"PreSignUp", "PostConfirmation", "PreAuthentication", "PostAuthentication",
	"PreTokenGeneration", "CustomMessage", "UserMigration"}

// Cognito returns the event a user pool sends the named trigger (one of
// CognitoTriggers), for user "user" with the given attributes: an
// events.CognitoEventUserPools* value of the trigger's type.
func Cognito(trigger string, attrs map[string]string) (any, error) {
	if attrs == nil {
		attrs = map[string]string{}
	}
	hdr := func(source string) events.CognitoEventUserPoolsHeader {
		return events.CognitoEventUserPoolsHeader{
			Version:       "1",
			TriggerSource: source,
			Region:        Region,
			UserPoolID:    Region + "_AbCdEf123",
			CallerContext: events.CognitoEventUserPoolsCallerContext{AWSSDKVersion: "aws-sdk-unknown-unknown", ClientID: "1example23456789"},
			UserName:      "user",
		}
	}
	none := map[string]string{}
	switch trigger {
	case "PreSignUp":
		return events.CognitoEventUserPoolsPreSignup{CognitoEventUserPoolsHeader: hdr("PreSignUp_SignUp"),
			Request: events.CognitoEventUserPoolsPreSignupRequest{UserAttributes: attrs, ValidationData: none, ClientMetadata: none}}, nil
	case "PostConfirmation":
		return events.CognitoEventUserPoolsPostConfirmation{CognitoEventUserPoolsHeader: hdr("PostConfirmation_ConfirmSignUp"),
			Request: events.CognitoEventUserPoolsPostConfirmationRequest{UserAttributes: attrs, ClientMetadata: none}}, nil
	case "PreAuthentication":
		return events.CognitoEventUserPoolsPreAuthentication{CognitoEventUserPoolsHeader: hdr("PreAuthentication_Authentication"),
			Request: events.CognitoEventUserPoolsPreAuthenticationRequest{UserAttributes: attrs, ValidationData: none}}, nil
	case "PostAuthentication":
		return events.CognitoEventUserPoolsPostAuthentication{CognitoEventUserPoolsHeader: hdr("PostAuthentication_Authentication"),
			Request: events.CognitoEventUserPoolsPostAuthenticationRequest{UserAttributes: attrs, ClientMetadata: none}}, nil
	case "PreTokenGeneration":
		return events.CognitoEventUserPoolsPreTokenGen{CognitoEventUserPoolsHeader: hdr("TokenGeneration_Authentication"),
			Request: events.CognitoEventUserPoolsPreTokenGenRequest{UserAttributes: attrs, ClientMetadata: none,
				GroupConfiguration: events.GroupConfiguration{GroupsToOverride: []string{}, IAMRolesToOverride: []string{}}}}, nil
	case "CustomMessage":
		ua := map[string]any{}
		for k, v := range attrs {
			ua[k] = v
		}
		return events.CognitoEventUserPoolsCustomMessage{CognitoEventUserPoolsHeader: hdr("CustomMessage_SignUp"),
			Request: events.CognitoEventUserPoolsCustomMessageRequest{UserAttributes: ua, CodeParameter: "{####}", UsernameParameter: "{username}", ClientMetadata: none}}, nil
	case "UserMigration":
		return events.CognitoEventUserPoolsMigrateUser{CognitoEventUserPoolsHeader: hdr("UserMigration_Authentication"),
			CognitoEventUserPoolsMigrateUserRequest: events.CognitoEventUserPoolsMigrateUserRequest{Password: "password", ValidationData: none, ClientMetadata: none}}, nil
	}
	return nil, fmt.Errorf("unknown Cognito trigger %q (want one of %s)", trigger, strings.Join(CognitoTriggers, ", "))
}

// WebSocket returns the event API Gateway sends a WebSocket route: routeKey
// is $connect, $disconnect, $default or a custom route; body is the message
// (empty for $connect and $disconnect).
func WebSocket(routeKey, connectionID, body string) events.APIGatewayWebsocketProxyRequest {
	eventType := "MESSAGE"
	switch routeKey {
	case "$connect":
		eventType = "CONNECT"
	case "$disconnect":
		eventType = "DISCONNECT"
	}
	return events.APIGatewayWebsocketProxyRequest{
		Body:            body,
		IsBase64Encoded: false,
		RequestContext: events.APIGatewayWebsocketProxyRequestContext{
			RouteKey:          routeKey,
			EventType:         eventType,
			ExtendedRequestID: "ExtReqId=",
			RequestTime:       Time.Format("02/Jan/2006:15:04:05 -0700"),
			MessageDirection:  "IN",
			Stage:             "api",
			ConnectedAt:       Time.UnixMilli(),
			RequestTimeEpoch:  Time.UnixMilli(),
			Identity:          events.APIGatewayRequestIdentity{SourceIP: "203.0.113.1"},
			RequestID:         "ReqId=",
			DomainName:        "abcdef1234.execute-api." + Region + ".amazonaws.com",
			ConnectionID:      connectionID,
			APIID:             "abcdef1234",
		},
	}
}

// Types are the event types Event builds, for generate-event.
var Types = []string{"cognito", "dynamodb", "eventbridge", "kinesis", "s3", "schedule", "sns", "sqs", "websocket"}

// Args are the values Event takes from the command line; each type reads
// the ones it needs.
type Args struct {
	Bodies      []string          // sqs, sns, kinesis; websocket (the first)
	Bucket, Key string            // s3
	Source      string            // eventbridge
	DetailType  string            // eventbridge
	Detail      string            // eventbridge (JSON)
	Trigger     string            // cognito
	Attributes  map[string]string // cognito; dynamodb (the item)
	RouteKey    string            // websocket
	Connection  string            // websocket
}

// Event builds the event of the named type (one of Types) from args.
func Event(typ string, a Args) (any, error) {
	switch typ {
	case "sqs":
		return SQS(a.Bodies...), nil
	case "sns":
		return SNS(a.Bodies...), nil
	case "kinesis":
		return Kinesis(a.Bodies...), nil
	case "s3":
		return S3(a.Bucket, a.Key), nil
	case "schedule":
		return Schedule(), nil
	case "eventbridge":
		var detail any
		if a.Detail != "" {
			detail = a.Detail
		}
		return EventBridge(a.Source, a.DetailType, detail)
	case "dynamodb":
		item := map[string]any{}
		for k, v := range a.Attributes {
			item[k] = v
		}
		return DynamoDB(item), nil
	case "cognito":
		return Cognito(a.Trigger, a.Attributes)
	case "websocket":
		body := ""
		if len(a.Bodies) > 0 {
			body = a.Bodies[0]
		}
		return WebSocket(a.RouteKey, a.Connection, body), nil
	}
	return nil, fmt.Errorf("unknown event type %q (want one of %s)", typ, strings.Join(Types, ", "))
}
