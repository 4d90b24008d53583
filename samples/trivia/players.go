package main

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/gochalice/gochalice/framework"
)

// The users table holds one item per player: username (the key: Cognito's
// user name, the token's cognito:username), name (shown on the
// leaderboard), score, the set of questions answered right, and board, the
// same value for everyone, so the leaderboard index (partition board, sort
// score) answers "top players" with one Query, never a Scan.
const (
	boardIndex = "leaderboard"
	board      = "all"
	topPlayers = 10
)

// game holds what the views and triggers share.
type game struct {
	db    *dynamodb.Client
	users framework.Table
	pool  framework.UserPool
}

// Player is a player's entry on the leaderboard.
type Player struct {
	Name     string   `json:"name"`
	Score    int      `json:"score"`
	Answered []string `json:"-"`
}

// displayName is what the leaderboard shows for an email: its local part,
// so addresses are not published.
func displayName(email string) string {
	if i := strings.IndexByte(email, '@'); i > 0 {
		return email[:i]
	}
	return email
}

// player returns the signed-in caller's user name and display name.
func player(r *framework.Request) (username, name string, err error) {
	claims := r.Claims()
	username, _ = claims["cognito:username"].(string)
	email, _ := claims["email"].(string)
	if username == "" {
		return "", "", framework.Unauthorized("the token has no cognito:username claim")
	}
	return username, displayName(email), nil
}

// welcome is the post-confirmation trigger: the new player joins the
// table with a score of 0. It only ever puts the item (its role holds
// dynamodb:PutItem on the table and nothing else).
func (g *game) welcome(ctx context.Context, ev events.CognitoEventUserPoolsPostConfirmation) (events.CognitoEventUserPoolsPostConfirmation, error) {
	table, err := g.users.Name()
	if err != nil {
		return ev, err
	}
	_, err = g.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(table),
		Item: map[string]types.AttributeValue{
			"username": &types.AttributeValueMemberS{Value: ev.UserName},
			"name":     &types.AttributeValueMemberS{Value: displayName(ev.Request.UserAttributes["email"])},
			"board":    &types.AttributeValueMemberS{Value: board},
			"score":    &types.AttributeValueMemberN{Value: "0"},
		},
		// A second confirmation (a re-sent trigger) keeps the score.
		ConditionExpression: aws.String("attribute_not_exists(username)"),
	})
	var exists *types.ConditionalCheckFailedException
	if errors.As(err, &exists) {
		err = nil
	}
	return ev, err
}

// AnswerRequest is the body of POST /questions/{id}.
type AnswerRequest struct {
	// Answer is one of the question's options.
	Answer string `json:"answer"`
}

// Validate refuses a blank answer.
func (a AnswerRequest) Validate() error {
	if strings.TrimSpace(a.Answer) == "" {
		return errors.New("answer must not be blank")
	}
	return nil
}

// AnswerResult tells a signed-in player whether they were right and
// whether the answer counted (a question counts once).
type AnswerResult struct {
	Correct bool   `json:"correct"`
	Answer  string `json:"answer"`
	Counted bool   `json:"counted"`
	Score   *int   `json:"score,omitempty"`
}

// answer checks an answer; a right one adds 1 to the player's score, once
// per question, with one conditional UpdateItem.
func (g *game) answer(r *framework.Request, in AnswerRequest) (AnswerResult, error) {
	q, err := find(r.PathParam("id"))
	if err != nil {
		return AnswerResult{}, err
	}
	username, name, err := player(r)
	if err != nil {
		return AnswerResult{}, err
	}
	res := AnswerResult{Correct: q.correct(in.Answer), Answer: q.Answer}
	if !res.Correct {
		return res, nil
	}
	table, err := g.users.Name()
	if err != nil {
		return AnswerResult{}, err
	}
	out, err := g.db.UpdateItem(r.Context(), &dynamodb.UpdateItemInput{
		TableName: aws.String(table),
		Key:       map[string]types.AttributeValue{"username": &types.AttributeValueMemberS{Value: username}},
		// board and name are set too, so a player whose post-confirmation
		// trigger did not run still reaches the leaderboard.
		UpdateExpression:         aws.String("SET board = :board, #name = if_not_exists(#name, :name) ADD score :one, answered :qids"),
		ConditionExpression:      aws.String("attribute_not_exists(answered) OR NOT contains(answered, :qid)"),
		ExpressionAttributeNames: map[string]string{"#name": "name"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":board": &types.AttributeValueMemberS{Value: board},
			":name":  &types.AttributeValueMemberS{Value: name},
			":one":   &types.AttributeValueMemberN{Value: "1"},
			":qids":  &types.AttributeValueMemberSS{Value: []string{q.ID}},
			":qid":   &types.AttributeValueMemberS{Value: q.ID},
		},
		ReturnValues: types.ReturnValueUpdatedNew,
	})
	var again *types.ConditionalCheckFailedException
	switch {
	case errors.As(err, &again):
		return res, nil // answered right before: not counted twice
	case err != nil:
		return AnswerResult{}, err
	}
	res.Counted = true
	if n, ok := number(out.Attributes["score"]); ok {
		res.Score = &n
	}
	return res, nil
}

// Me is what GET /me returns: the caller's name, score and the questions
// they answered right.
type Me struct {
	Name     string   `json:"name"`
	Score    int      `json:"score"`
	Answered []string `json:"answered"`
}

// me returns the caller's score and the questions they answered right.
func (g *game) me(r *framework.Request, _ framework.NoBody) (Me, error) {
	username, name, err := player(r)
	if err != nil {
		return Me{}, err
	}
	table, err := g.users.Name()
	if err != nil {
		return Me{}, err
	}
	out, err := g.db.GetItem(r.Context(), &dynamodb.GetItemInput{
		TableName:      aws.String(table),
		Key:            map[string]types.AttributeValue{"username": &types.AttributeValueMemberS{Value: username}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return Me{}, err
	}
	p := decodePlayer(out.Item)
	if out.Item == nil {
		p.Name = name
	}
	if p.Answered == nil {
		p.Answered = []string{}
	}
	slices.Sort(p.Answered)
	return Me{Name: p.Name, Score: p.Score, Answered: p.Answered}, nil
}

// leaderboard returns the top players, best first, from the index.
func (g *game) leaderboard(r *framework.Request, _ framework.NoBody) ([]Player, error) {
	table, err := g.users.Name()
	if err != nil {
		return nil, err
	}
	out, err := g.db.Query(r.Context(), &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		IndexName:                 aws.String(boardIndex),
		KeyConditionExpression:    aws.String("board = :board"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":board": &types.AttributeValueMemberS{Value: board}},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(topPlayers),
	})
	if err != nil {
		return nil, err
	}
	top := make([]Player, 0, len(out.Items))
	for _, it := range out.Items {
		top = append(top, decodePlayer(it))
	}
	return top, nil
}

func decodePlayer(item map[string]types.AttributeValue) Player {
	var p Player
	if v, ok := item["name"].(*types.AttributeValueMemberS); ok {
		p.Name = v.Value
	}
	p.Score, _ = number(item["score"])
	if v, ok := item["answered"].(*types.AttributeValueMemberSS); ok {
		p.Answered = v.Value
	}
	return p
}

func number(v types.AttributeValue) (int, bool) {
	n, ok := v.(*types.AttributeValueMemberN)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(n.Value)
	return i, err == nil
}
