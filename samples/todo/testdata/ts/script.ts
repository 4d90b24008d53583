// The TypeScript client test's script: node out/script.js BASE_URL API_KEY.
import { APIError, Client, Todo, TodoList } from "./client.js";

declare const process: { argv: string[]; exitCode?: number };

const [baseUrl, apiKey] = process.argv.slice(2);
const client = new Client({ baseUrl, apiKey });
let checks = 0;

function check(ok: boolean, what: string): void {
  if (!ok) {
    throw new Error("check failed: " + what);
  }
  checks++;
}

async function expectAPIError(call: () => Promise<unknown>, status: number, code: string, message: string): Promise<void> {
  try {
    await call();
  } catch (e) {
    check(e instanceof APIError && e.status === status && e.code === code && e.message === message,
      `APIError ${status} ${code} ${message}, got ${e instanceof APIError ? `${e.status} ${e.code} ${e.message}` : String(e)}`);
    return;
  }
  throw new Error(`no error, want ${status} ${code}`);
}

const created: Todo = await client.createTodo({ title: "milk", tags: ["shop"], due: "2026-12-24T18:00:00Z" });
check(created.id === "1" && created.title === "milk" && created.tags[0] === "shop" && created.done === false, "create " + JSON.stringify(created));

await client.updateTodo(created.id, { title: "milk", done: true });
const done: TodoList = await client.listTodos({ done: "true" });
check(done.count === 1 && done.todos[0].done, "list " + JSON.stringify(done));

await expectAPIError(() => client.getTodo("42"), 404, "NotFoundError", "no todo 42");
await expectAPIError(() => client.createTodo({ title: "  " }), 400, "BadRequestError", "title must not be blank");
await expectAPIError(() => new Client({ baseUrl }).deleteTodo(created.id), 403, "", "Forbidden");
console.log(`ok: ${checks} checks`);
