// api.ts: the trivia API's client. (Hand-written to the app's types until
// `chalice-package generate-sdk --lang ts` is available; then this file is
// that command's output.)

interface Question {
  id: string;
  question: string;
  options: string[];
}

interface AnswerResult {
  correct: boolean;
  answer: string;
  counted: boolean;
  score?: number;
}

interface Me {
  name: string;
  score: number;
  answered: string[];
}

interface Player {
  name: string;
  score: number;
}

/** APIError is an error answered by the API, with its status. */
class APIError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "APIError";
  }
}

/** TriviaAPI calls the app's routes; token is the player's ID token. */
class TriviaAPI {
  token = "";
  constructor(private readonly base: string) {}

  listQuestions(): Promise<Question[]> {
    return this.call("GET", "/questions");
  }
  answer(id: string, answer: string): Promise<AnswerResult> {
    return this.call("POST", `/questions/${encodeURIComponent(id)}`, { answer });
  }
  me(): Promise<Me> {
    return this.call("GET", "/me");
  }
  leaderboard(): Promise<Player[]> {
    return this.call("GET", "/leaderboard");
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.token) headers["Authorization"] = this.token;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(this.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      throw new APIError(res.status, String(data.Message ?? data.message ?? res.statusText));
    }
    return data as T;
  }
}
