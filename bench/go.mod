module github.com/gochalice/gochalice/bench

go 1.26

require github.com/gochalice/gochalice v0.0.0

require github.com/aws/aws-lambda-go v1.55.1 // indirect

replace github.com/gochalice/gochalice => ../
