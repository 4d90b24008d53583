module github.com/gochalice/gochalice/bench

go 1.26.0

require (
	github.com/aws/aws-lambda-go v1.55.1
	github.com/awslabs/aws-lambda-go-api-proxy v0.16.2
	github.com/go-chi/chi/v5 v5.2.3
	github.com/gochalice/gochalice v0.0.0
)

require (
	github.com/klauspost/compress v1.20.4 // indirect
	golang.org/x/mod v0.42.0 // indirect
)

replace github.com/gochalice/gochalice => ../
