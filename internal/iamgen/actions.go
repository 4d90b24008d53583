package iamgen

// service is what the action table knows about one aws-sdk-go-v2 service
// package.
type service struct {
	// prefix is the IAM service prefix (dynamodb, states, cognito-idp).
	prefix string
	// exceptions maps an operation whose IAM actions are not
	// "<prefix>:<Operation>" to the actions it needs (full names).
	exceptions map[string][]string
	// common lists operations that map by the default rule, named so that a
	// test checks their actions against the real list of IAM actions.
	common []string
	// resourceField is the input field that names the resource an
	// operation acts on ("" when the service's resources are not scoped).
	resourceField string
	// kind is the kind of declared resource (manifest.Resource*) the field
	// may name, "" for none.
	kind string
	// objectOps are the operations that act on objects inside the resource
	// (S3: bucket/*) rather than on the resource itself.
	objectOps map[string]bool
	// unscoped are operations whose resource is not (only) the one in
	// resourceField: they are granted on "*".
	unscoped map[string]bool
}

// services maps the last element of an aws-sdk-go-v2 service package path
// (github.com/aws/aws-sdk-go-v2/service/<name>) to its table entry: the
// services serverless apps use most.
var services = map[string]*service{
	"dynamodb": {
		prefix:        "dynamodb",
		resourceField: "TableName",
		kind:          "table",
		exceptions: map[string][]string{
			"TransactGetItems":      {"dynamodb:GetItem"},
			"TransactWriteItems":    {"dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"},
			"ExecuteStatement":      {"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"},
			"BatchExecuteStatement": {"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"},
			"ExecuteTransaction":    {"dynamodb:PartiQLDelete", "dynamodb:PartiQLInsert", "dynamodb:PartiQLSelect", "dynamodb:PartiQLUpdate"},
		},
		common:   []string{"BatchGetItem", "BatchWriteItem", "DeleteItem", "DescribeTable", "GetItem", "PutItem", "Query", "Scan", "UpdateItem", "ListTables", "CreateTable", "DeleteTable", "UpdateTable", "DescribeTimeToLive"},
		unscoped: map[string]bool{"TransactGetItems": true, "TransactWriteItems": true, "ExecuteStatement": true, "BatchExecuteStatement": true, "ExecuteTransaction": true, "ListTables": true},
	},
	"s3": {
		prefix:        "s3",
		resourceField: "Bucket",
		kind:          "bucket",
		exceptions: map[string][]string{
			"ListObjectsV2":                               {"s3:ListBucket"},
			"ListObjects":                                 {"s3:ListBucket"},
			"HeadObject":                                  {"s3:GetObject"},
			"HeadBucket":                                  {"s3:ListBucket"},
			"ListBuckets":                                 {"s3:ListAllMyBuckets"},
			"CreateMultipartUpload":                       {"s3:PutObject"},
			"UploadPart":                                  {"s3:PutObject"},
			"CompleteMultipartUpload":                     {"s3:PutObject"},
			"UploadPartCopy":                              {"s3:GetObject", "s3:PutObject"},
			"CopyObject":                                  {"s3:GetObject", "s3:PutObject"},
			"ListParts":                                   {"s3:ListMultipartUploadParts"},
			"ListMultipartUploads":                        {"s3:ListBucketMultipartUploads"},
			"ListObjectVersions":                          {"s3:ListBucketVersions"},
			"DeleteObjects":                               {"s3:DeleteObject"},
			"SelectObjectContent":                         {"s3:GetObject"},
			"GetBucketNotificationConfiguration":          {"s3:GetBucketNotification"},
			"PutBucketNotificationConfiguration":          {"s3:PutBucketNotification"},
			"GetBucketLifecycleConfiguration":             {"s3:GetLifecycleConfiguration"},
			"PutBucketLifecycleConfiguration":             {"s3:PutLifecycleConfiguration"},
			"DeleteBucketLifecycle":                       {"s3:PutLifecycleConfiguration"},
			"GetBucketEncryption":                         {"s3:GetEncryptionConfiguration"},
			"PutBucketEncryption":                         {"s3:PutEncryptionConfiguration"},
			"DeleteBucketEncryption":                      {"s3:PutEncryptionConfiguration"},
			"GetBucketCors":                               {"s3:GetBucketCORS"},
			"PutBucketCors":                               {"s3:PutBucketCORS"},
			"DeleteBucketCors":                            {"s3:PutBucketCORS"},
			"GetBucketReplication":                        {"s3:GetReplicationConfiguration"},
			"PutBucketReplication":                        {"s3:PutReplicationConfiguration"},
			"DeleteBucketReplication":                     {"s3:PutReplicationConfiguration"},
			"GetBucketAccelerateConfiguration":            {"s3:GetAccelerateConfiguration"},
			"PutBucketAccelerateConfiguration":            {"s3:PutAccelerateConfiguration"},
			"GetBucketAnalyticsConfiguration":             {"s3:GetAnalyticsConfiguration"},
			"PutBucketAnalyticsConfiguration":             {"s3:PutAnalyticsConfiguration"},
			"ListBucketAnalyticsConfigurations":           {"s3:GetAnalyticsConfiguration"},
			"DeleteBucketAnalyticsConfiguration":          {"s3:PutAnalyticsConfiguration"},
			"GetBucketInventoryConfiguration":             {"s3:GetInventoryConfiguration"},
			"PutBucketInventoryConfiguration":             {"s3:PutInventoryConfiguration"},
			"ListBucketInventoryConfigurations":           {"s3:GetInventoryConfiguration"},
			"DeleteBucketInventoryConfiguration":          {"s3:PutInventoryConfiguration"},
			"GetBucketMetricsConfiguration":               {"s3:GetMetricsConfiguration"},
			"PutBucketMetricsConfiguration":               {"s3:PutMetricsConfiguration"},
			"ListBucketMetricsConfigurations":             {"s3:GetMetricsConfiguration"},
			"DeleteBucketMetricsConfiguration":            {"s3:PutMetricsConfiguration"},
			"GetBucketIntelligentTieringConfiguration":    {"s3:GetIntelligentTieringConfiguration"},
			"PutBucketIntelligentTieringConfiguration":    {"s3:PutIntelligentTieringConfiguration"},
			"ListBucketIntelligentTieringConfigurations":  {"s3:GetIntelligentTieringConfiguration"},
			"DeleteBucketIntelligentTieringConfiguration": {"s3:PutIntelligentTieringConfiguration"},
			"DeleteBucketOwnershipControls":               {"s3:PutBucketOwnershipControls"},
			"GetPublicAccessBlock":                        {"s3:GetBucketPublicAccessBlock"},
			"PutPublicAccessBlock":                        {"s3:PutBucketPublicAccessBlock"},
			"DeletePublicAccessBlock":                     {"s3:PutBucketPublicAccessBlock"},
			"DeleteBucketTagging":                         {"s3:PutBucketTagging"},
			"GetObjectLockConfiguration":                  {"s3:GetBucketObjectLockConfiguration"},
			"PutObjectLockConfiguration":                  {"s3:PutBucketObjectLockConfiguration"},
			"GetObjectAttributes":                         {"s3:GetObject", "s3:GetObjectAttributes"},
			"DeleteBucketWebsite":                         {"s3:DeleteBucketWebsite"},
			"GetBucketLocation":                           {"s3:GetBucketLocation"},
			"WriteGetObjectResponse":                      {"s3-object-lambda:WriteGetObjectResponse"},
			"CreateSession":                               {"s3express:CreateSession"},
			"RenameObject":                                {"s3express:CreateSession"},
			"CreateBucketMetadataConfiguration":           {"s3:CreateBucketMetadataTableConfiguration"},
			"GetBucketMetadataConfiguration":              {"s3:GetBucketMetadataTableConfiguration"},
			"DeleteBucketMetadataConfiguration":           {"s3:DeleteBucketMetadataTableConfiguration"},
			"ListDirectoryBuckets":                        {"s3express:ListAllMyDirectoryBuckets"},
		},
		common: []string{"GetObject", "PutObject", "DeleteObject", "GetObjectTagging", "PutObjectTagging", "DeleteObjectTagging", "AbortMultipartUpload", "RestoreObject",
			"GetObjectAcl", "PutObjectAcl", "GetBucketPolicy", "PutBucketPolicy", "DeleteBucketPolicy", "GetBucketTagging", "PutBucketTagging", "GetBucketVersioning", "PutBucketVersioning", "CreateBucket", "DeleteBucket"},
		objectOps: map[string]bool{
			"GetObject": true, "PutObject": true, "DeleteObject": true, "DeleteObjects": true, "HeadObject": true,
			"CreateMultipartUpload": true, "UploadPart": true, "CompleteMultipartUpload": true, "AbortMultipartUpload": true,
			"ListParts": true, "GetObjectTagging": true, "PutObjectTagging": true, "DeleteObjectTagging": true, "GetObjectAcl": true,
			"PutObjectAcl": true, "RestoreObject": true, "SelectObjectContent": true, "GetObjectAttributes": true,
			"GetObjectRetention": true, "PutObjectRetention": true, "GetObjectLegalHold": true, "PutObjectLegalHold": true,
		},
		unscoped: map[string]bool{"CopyObject": true, "UploadPartCopy": true, "ListBuckets": true, "WriteGetObjectResponse": true, "CreateSession": true, "RenameObject": true, "ListDirectoryBuckets": true},
	},
	"sqs": {
		prefix:        "sqs",
		resourceField: "QueueUrl",
		kind:          "queue",
		exceptions: map[string][]string{
			"SendMessageBatch":             {"sqs:SendMessage"},
			"DeleteMessageBatch":           {"sqs:DeleteMessage"},
			"ChangeMessageVisibilityBatch": {"sqs:ChangeMessageVisibility"},
		},
		common:   []string{"SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueUrl", "GetQueueAttributes", "PurgeQueue", "ListQueues"},
		unscoped: map[string]bool{"ListQueues": true, "GetQueueUrl": true, "CreateQueue": true},
	},
	"sns": {
		prefix:        "sns",
		resourceField: "TopicArn",
		kind:          "topic",
		exceptions:    map[string][]string{"PublishBatch": {"sns:Publish"}},
		common:        []string{"Publish", "Subscribe", "Unsubscribe", "ListTopics", "GetTopicAttributes", "CreateTopic"},
		unscoped:      map[string]bool{"ListTopics": true, "CreateTopic": true},
	},
	"eventbridge": {
		prefix: "events",
		common: []string{"PutEvents", "PutRule", "PutTargets", "DescribeRule", "ListRules"},
	},
	"kinesis": {
		prefix: "kinesis",
		common: []string{"PutRecord", "PutRecords", "GetRecords", "GetShardIterator", "DescribeStream", "DescribeStreamSummary", "ListShards", "ListStreams", "SubscribeToShard"},
	},
	"lambda": {
		prefix: "lambda",
		exceptions: map[string][]string{
			"Invoke":                   {"lambda:InvokeFunction"},
			"InvokeWithResponseStream": {"lambda:InvokeFunction"},
		},
		common: []string{"GetFunction", "GetFunctionConfiguration", "ListFunctions", "InvokeAsync", "UpdateFunctionCode", "PublishVersion"},
	},
	"cognitoidentityprovider": {
		prefix: "cognito-idp",
		common: []string{"AdminCreateUser", "AdminGetUser", "AdminDeleteUser", "AdminUpdateUserAttributes", "AdminAddUserToGroup", "AdminInitiateAuth",
			"AdminConfirmSignUp", "AdminSetUserPassword", "ListUsers", "GetUser", "InitiateAuth", "SignUp", "ConfirmSignUp", "DescribeUserPool"},
	},
	"secretsmanager": {
		prefix:     "secretsmanager",
		exceptions: map[string][]string{"BatchGetSecretValue": {"secretsmanager:BatchGetSecretValue", "secretsmanager:GetSecretValue"}},
		common:     []string{"GetSecretValue", "DescribeSecret", "PutSecretValue", "CreateSecret", "ListSecrets", "UpdateSecret"},
	},
	"ssm": {
		prefix: "ssm",
		common: []string{"GetParameter", "GetParameters", "GetParametersByPath", "PutParameter", "DeleteParameter", "DescribeParameters"},
	},
	"sts": {
		prefix: "sts",
		common: []string{"AssumeRole", "GetCallerIdentity", "GetSessionToken", "AssumeRoleWithWebIdentity"},
	},
	"kms": {
		prefix: "kms",
		common: []string{"Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "ReEncrypt", "Sign", "Verify", "DescribeKey", "GetPublicKey"},
		exceptions: map[string][]string{
			"ReEncrypt": {"kms:ReEncryptFrom", "kms:ReEncryptTo"},
		},
	},
	"ses": {
		prefix: "ses",
		common: []string{"SendEmail", "SendRawEmail", "SendTemplatedEmail", "SendBulkTemplatedEmail", "VerifyEmailIdentity"},
	},
	"sesv2": {
		prefix: "ses",
		exceptions: map[string][]string{
			"SendEmail":        {"ses:SendEmail"},
			"SendBulkEmail":    {"ses:SendBulkEmail"},
			"GetEmailIdentity": {"ses:GetEmailIdentity"},
		},
		common: []string{"SendEmail", "SendBulkEmail", "GetAccount", "ListEmailIdentities"},
	},
	"sfn": {
		prefix:        "states",
		resourceField: "StateMachineArn",
		common:        []string{"StartExecution", "StartSyncExecution", "DescribeExecution", "StopExecution", "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat", "ListExecutions", "GetExecutionHistory"},
	},
}

// waiterOps maps a service's waiter (New<Name>Waiter) to the operation its
// Wait polls, for the waiters of the table's services.
var waiterOps = map[string]map[string]string{
	"dynamodb":                {"TableExists": "DescribeTable", "TableNotExists": "DescribeTable"},
	"s3":                      {"BucketExists": "HeadBucket", "BucketNotExists": "HeadBucket", "ObjectExists": "HeadObject", "ObjectNotExists": "HeadObject"},
	"kinesis":                 {"StreamExists": "DescribeStream", "StreamNotExists": "DescribeStream"},
	"lambda":                  {"FunctionActive": "GetFunctionConfiguration", "FunctionActiveV2": "GetFunction", "FunctionExists": "GetFunction", "FunctionUpdated": "GetFunctionConfiguration", "FunctionUpdatedV2": "GetFunction", "PublishedVersionActive": "GetFunctionConfiguration"},
	"cognitoidentityprovider": {},
}

// ActionsFor returns the IAM actions an operation of an aws-sdk-go-v2
// service package needs, and false for a service the table does not cover.
func ActionsFor(svc, op string) ([]string, bool) {
	s, ok := services[svc]
	if !ok {
		return nil, false
	}
	if a, ok := s.exceptions[op]; ok {
		return a, true
	}
	return []string{s.prefix + ":" + op}, true
}

// TableActions lists every action named in the table (exceptions and the
// default rule applied to the common operations), for tests.
func TableActions() []string {
	var out []string
	for _, s := range services {
		for _, a := range s.exceptions {
			out = append(out, a...)
		}
		for _, op := range s.common {
			if _, ok := s.exceptions[op]; !ok {
				out = append(out, s.prefix+":"+op)
			}
		}
	}
	return out
}
