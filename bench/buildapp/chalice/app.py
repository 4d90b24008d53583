# The 13-route app of ../app/main.go, for `chalice package` (bench/buildtime).
from chalice import Chalice

app = Chalice(app_name='routes13')
# GREETING is the line bench/buildtime.sh edits.
GREETING = 'world 0'


@app.route('/')
def index():
    return {'hello': GREETING}


@app.route('/hello/{name}')
def hello(name):
    return {'hello': name}


@app.route('/echo', methods=['POST', 'PUT'])
def echo():
    return app.current_request.json_body


@app.route('/users')
def users():
    return []


@app.route('/users/{id}', methods=['GET', 'PUT', 'DELETE'])
def user(id):
    return {'id': id}


@app.route('/users/{id}/posts')
def posts(id):
    return []


@app.route('/users/{id}/posts/{post}')
def post(id, post):
    return {'id': id}


@app.route('/items', methods=['GET', 'POST'])
def items():
    return []


@app.route('/items/{id}')
def item(id):
    return {'id': id}


@app.route('/search')
def search():
    return []


@app.route('/health')
def health():
    return {'hello': 'world'}


@app.route('/version')
def version():
    return {'hello': 'world'}


@app.route('/static/{proxy+}')
def static(proxy):
    return {'hello': proxy}


@app.lambda_function(name='add_numbers')
def add_numbers(event, context):
    return event['A'] + event['B']
