# gochalice developer commands. `make test` is what CI runs (see .ci/run).

GO ?= go

.PHONY: test check golden golden-update e2e bench fuzz hello clean

## test: formatting, vet, and every test layer (unit, golden + cfn-lint, e2e)
test: check
	$(GO) test -count=1 ./...

## check: gofmt and go vet
check:
	@out="$$(gofmt -l $$(git ls-files '*.go'))"; if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

## golden: compare every golden template and lint it with cfn-lint
golden:
	$(GO) test -count=1 ./golden/...

## golden-update: rewrite the golden templates after an intended change
golden-update:
	$(GO) test -count=1 ./golden/... -update

## e2e: the end-to-end tests under the Lambda Runtime Interface Emulator
e2e:
	$(GO) test -count=1 ./e2e/...

## bench: dispatch benchmarks (framework vs a bare aws-lambda-go handler vs
## chi + aws-lambda-go-api-proxy), the template step for 1,000 routes, the
## zip, bootstrap sizes and cold starts under the emulator (bench/ is a
## module of its own, so chi and the proxy stay out of go.mod)
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 3 ./framework/
	$(GO) test -run '^$$' -bench . -benchmem -count 3 -benchtime 10x ./cfn/ ./internal/build/
	cd bench && $(GO) run ./cmd/compare
	cd bench && $(GO) run ./cmd/coldstart

## fuzz: run each fuzz target for 30 s (the name and ARN matchers'
## differential targets against their old regexps for 3 s each)
fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParsePath -fuzztime 30s ./framework/
	$(GO) test -run '^$$' -fuzz 'FuzzAPIEvent$$' -fuzztime 30s ./framework/
	$(GO) test -run '^$$' -fuzz FuzzAPIEventV2 -fuzztime 30s ./framework/
	$(GO) test -run '^$$' -fuzz FuzzTypedDecode -fuzztime 30s ./framework/
	$(GO) test -run '^$$' -fuzz FuzzRESTFastPath -fuzztime 30s ./framework/
	$(GO) test -run '^$$' -fuzz FuzzHTTPAPIFastPath -fuzztime 30s ./framework/
	$(GO) test -run '^$$' -fuzz FuzzProxyResponseJSON -fuzztime 30s ./framework/
	$(GO) test -run '^$$' -fuzz FuzzAuthorizerEvent -fuzztime 30s ./framework/
	$(GO) test -run '^$$' -fuzz FuzzEventShape -fuzztime 30s ./framework/
	$(GO) test -run '^$$' -fuzz FuzzCron -fuzztime 30s ./framework/
	$(GO) test -run '^$$' -fuzz FuzzGateway -fuzztime 30s ./framework/
	$(GO) test -run '^$$' -fuzz '^FuzzUserPoolARN$$' -fuzztime 3s ./framework/
	$(GO) test -run '^$$' -fuzz '^FuzzFIFOName$$' -fuzztime 3s ./framework/
	$(GO) test -run '^$$' -fuzz '^FuzzSNSARN$$' -fuzztime 3s ./framework/
	$(GO) test -run '^$$' -fuzz '^FuzzSQSARN$$' -fuzztime 3s ./framework/
	$(GO) test -run '^$$' -fuzz '^FuzzBucketName$$' -fuzztime 3s ./framework/
	$(GO) test -run '^$$' -fuzz '^FuzzS3EventType$$' -fuzztime 3s ./framework/
	$(GO) test -run '^$$' -fuzz '^FuzzBusName$$' -fuzztime 3s ./framework/
	$(GO) test -run '^$$' -fuzz '^FuzzBusARN$$' -fuzztime 3s ./framework/
	$(GO) test -run '^$$' -fuzz '^FuzzDynamoStreamARN$$' -fuzztime 3s ./framework/
	$(GO) test -run '^$$' -fuzz '^FuzzKinesisName$$' -fuzztime 3s ./framework/
	$(GO) test -run '^$$' -fuzz '^FuzzKinesisARN$$' -fuzztime 3s ./framework/
	$(GO) test -run '^$$' -fuzz '^FuzzCaptures$$' -fuzztime 3s ./framework/
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s ./stages/
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 30s ./internal/cfnyaml/
	$(GO) test -run '^$$' -fuzz FuzzCompare -fuzztime 30s ./internal/review/
	$(GO) test -run '^$$' -fuzz FuzzWriteYAMLFast -fuzztime 30s ./cfn/
	$(GO) test -run '^$$' -fuzz FuzzMayBeYAML11Implicit -fuzztime 30s ./cfn/

## hello: build the hello sample into out/dev
hello:
	$(GO) run ./cmd/chalice-package build ./samples/hello

clean:
	rm -rf out
