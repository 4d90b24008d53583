package cfn

// Access is what each function's code does with AWS, as the packager's IAM
// analysis (internal/iamgen) found it in the app's source: the AWS SDK
// calls reachable from the function and the declared resources whose
// handles it reads. Build uses it for each generated role's policy and for
// which functions get which resource variables. A nil *Access means no
// analysis: roles hold only what the event sources need, and every function
// gets every resource variable.
type Access struct {
	// Functions maps a registered function name to what its code does. A
	// function the analysis could not find gets every call in the app and
	// every resource (Complete false).
	Functions map[string]*FunctionAccess `json:"functions"`
}

// FunctionAccess is what one function's code does with AWS.
type FunctionAccess struct {
	// Complete is false when the analysis could not tell which code the
	// function runs; Calls and Uses then hold everything the app does.
	Complete bool `json:"complete"`
	// Calls are the AWS SDK calls reachable from the function's handler.
	Calls []Call `json:"calls,omitempty"`
	// Uses are the declared resources whose handles the function reads.
	Uses []Target `json:"uses,omitempty"`
}

// Call is one AWS SDK operation call site.
type Call struct {
	// Site is file:line of the call, relative to the app's module.
	Site string `json:"site"`
	// Service is the aws-sdk-go-v2 service package name (dynamodb, s3).
	Service string `json:"service"`
	// Op is the operation (GetItem).
	Op string `json:"op"`
	// Actions are the IAM actions the operation needs.
	Actions []string `json:"actions"`
	// Targets are the resources the call may act on; empty means unknown
	// (the statement is granted on "*" and listed in the build summary).
	Targets []Target `json:"targets,omitempty"`
	// Object says the operation acts on objects inside the target (S3:
	// bucket/*), not the target itself.
	Object bool `json:"object,omitempty"`
	// Index says the call reads a table's index (DynamoDB Query or Scan
	// with IndexName): the table's indexes are granted too.
	Index bool `json:"index,omitempty"`
}

// Target is a resource an operation acts on, or that a function reads
// through a handle.
type Target struct {
	// Kind is table, queue, topic or bucket (manifest.Resource*) for a
	// declared resource or a named one of those kinds; "" for another
	// literal ARN.
	Kind string `json:"kind,omitempty"`
	// Name is the registered name of a declared resource (Declared), or the
	// literal name, URL or ARN the code passes.
	Name string `json:"name"`
	// Declared says Name is a resource the app declares.
	Declared bool `json:"declared,omitempty"`
	// Attr is, in FunctionAccess.Uses, the attribute the code reads
	// (manifest.AttrName, AttrARN, AttrURL); "" for every attribute.
	Attr string `json:"attr,omitempty"`
}
