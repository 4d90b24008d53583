// Package store is a helper package of the analysis fixture: the calls it
// makes count for the functions that reach them.
package store

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gochalice/gochalice/framework"
)

// Store reads and writes users.
type Store struct {
	DB    *dynamodb.Client
	Users framework.Table
}

// Get reads one user.
func (s *Store) Get(ctx context.Context, name string) (*dynamodb.GetItemOutput, error) {
	table, err := s.Users.Name()
	if err != nil {
		return nil, err
	}
	return s.DB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(table),
		Key:       map[string]types.AttributeValue{"username": &types.AttributeValueMemberS{Value: name}},
	})
}
