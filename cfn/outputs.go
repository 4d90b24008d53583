package cfn

import (
	"fmt"

	"github.com/awslabs/goformation/v7/cloudformation"

	"github.com/gochalice/gochalice/framework/manifest"
)

// endpointURL is the invoke URL of the API's stage; %s is the stage name.
const endpointURL = "https://${" + idRestAPI + "}.execute-api.${AWS::Region}.${AWS::URLSuffix}/%s/"

// outputs adds the stack outputs: the API's ID, handler and URL when the app
// has routes, and each other function's ARN and name.
func (b *builder) outputs() error {
	if b.m.HasAPI() && b.st.API.HTTP() {
		if err := b.httpOutputs(); err != nil {
			return err
		}
	} else if b.m.HasAPI() {
		if err := b.addOutputList([]output{
			{"RestAPIId", "ID of the REST API", ref(idRestAPI)},
			{"APIHandlerName", "Name of the API handler function", ref(idAPIHandler)},
			{"APIHandlerArn", "ARN of the API handler function", getAtt(idAPIHandler, "Arn")},
			{"EndpointURL", "URL of the REST API's stage", sub(fmt.Sprintf(endpointURL, b.apiStage()))},
		}); err != nil {
			return err
		}
	}
	for _, fn := range b.m.Functions {
		if fn.Kind == manifest.KindAPI {
			continue
		}
		id := b.ids[fn.Name]
		if err := b.addOutput(id+"Arn", fmt.Sprintf("ARN of function %s", fn.Name), getAtt(id, "Arn")); err != nil {
			return err
		}
		if err := b.addOutput(id+"Name", fmt.Sprintf("Name of function %s", fn.Name), ref(id)); err != nil {
			return err
		}
	}
	return nil
}

// output is one stack output: its logical ID, description and value.
type output struct {
	id, desc string
	value    any
}

// addOutputList adds outputs, in order.
func (b *builder) addOutputList(outs []output) error {
	for _, o := range outs {
		if err := b.addOutput(o.id, o.desc, o.value); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) addOutput(id, desc string, value any) error {
	if _, dup := b.t.Outputs[id]; dup {
		return fmt.Errorf("internal error: output %q added twice", id)
	}
	b.t.Outputs[id] = cloudformation.Output{Value: value, Description: ptr(desc)}
	return nil
}
