// Package store keeps the users sample's data in DynamoDB and its jobs in
// SQS, through aws-sdk-go-v2. The packager's IAM analysis reads these calls
// to write each function's policy.
package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/gochalice/gochalice/framework"
)

// User is one user.
type User struct {
	Username string `json:"username"`
	Email    string `json:"email"`
	Score    int    `json:"score"`
}

// ErrNotFound is returned for a user that does not exist.
var ErrNotFound = errors.New("user not found")

// DynamoDB is the part of the DynamoDB client the store uses.
type DynamoDB interface {
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// Store reads and writes users and queues jobs.
type Store struct {
	DB    DynamoDB
	SQS   *sqs.Client
	Users framework.Table
	Jobs  framework.Queue
}

// Put creates or replaces a user.
func (s *Store) Put(ctx context.Context, u User) error {
	table, err := s.Users.Name()
	if err != nil {
		return err
	}
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(table),
		Item: map[string]types.AttributeValue{
			"username": &types.AttributeValueMemberS{Value: u.Username},
			"email":    &types.AttributeValueMemberS{Value: u.Email},
			"score":    &types.AttributeValueMemberN{Value: strconv.Itoa(u.Score)},
		},
	})
	return err
}

// Get reads a user by name.
func (s *Store) Get(ctx context.Context, username string) (User, error) {
	table, err := s.Users.Name()
	if err != nil {
		return User{}, err
	}
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(table),
		Key:       map[string]types.AttributeValue{"username": &types.AttributeValueMemberS{Value: username}},
	})
	if err != nil {
		return User{}, err
	}
	if out.Item == nil {
		return User{}, ErrNotFound
	}
	return decode(out.Item), nil
}

// ByEmail finds users by email through the by_email index.
func (s *Store) ByEmail(ctx context.Context, email string) ([]User, error) {
	table, err := s.Users.Name()
	if err != nil {
		return nil, err
	}
	out, err := s.DB.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		IndexName:                 aws.String("by_email"),
		KeyConditionExpression:    aws.String("email = :e"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":e": &types.AttributeValueMemberS{Value: email}},
	})
	if err != nil {
		return nil, err
	}
	users := make([]User, 0, len(out.Items))
	for _, it := range out.Items {
		users = append(users, decode(it))
	}
	return users, nil
}

// Enqueue sends a job message.
func (s *Store) Enqueue(ctx context.Context, body string) (string, error) {
	url, err := s.Jobs.URL()
	if err != nil {
		return "", err
	}
	out, err := s.SQS.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(body)})
	if err != nil {
		return "", err
	}
	return aws.ToString(out.MessageId), nil
}

func decode(item map[string]types.AttributeValue) User {
	var u User
	if v, ok := item["username"].(*types.AttributeValueMemberS); ok {
		u.Username = v.Value
	}
	if v, ok := item["email"].(*types.AttributeValueMemberS); ok {
		u.Email = v.Value
	}
	if v, ok := item["score"].(*types.AttributeValueMemberN); ok {
		u.Score, _ = strconv.Atoi(v.Value)
	}
	return u
}

// String describes a user.
func (u User) String() string { return fmt.Sprintf("%s <%s> %d", u.Username, u.Email, u.Score) }
