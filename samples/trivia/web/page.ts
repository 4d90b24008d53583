// page.ts: the game page. It reads the pool's settings from the JSON block
// the app renders, signs the player up and in with Cognito, and plays
// through the generated Client (paths relative to the page, so it works
// under a stage path).

interface PageConfig {
  cognitoEndpoint: string;
  clientId: string;
}

function el<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`the page has no #${id}`);
  return e as T;
}

const config: PageConfig = JSON.parse(el("config").textContent ?? "{}");
const cognito = new Cognito(config.cognitoEndpoint, config.clientId);
const baseUrl = new URL(".", location.href).href;
let api = new Client({ baseUrl });

function signedIn(token: string): void {
  api = token ? new Client({ baseUrl, authorization: token }) : new Client({ baseUrl });
}

const message = el<HTMLParagraphElement>("message");
const who = el<HTMLParagraphElement>("who");
const form = el<HTMLFormElement>("account-form");
const email = el<HTMLInputElement>("email");
const password = el<HTMLInputElement>("password");
const account = el<HTMLElement>("account");
const game = el<HTMLElement>("game");
const score = el<HTMLElement>("score");
const list = el<HTMLDivElement>("questions");
const board = el<HTMLOListElement>("leaderboard");

function say(text: string): void {
  message.textContent = text;
}

function problem(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function refreshBoard(): Promise<void> {
  const top = await api.leaderboard();
  board.replaceChildren(
    ...top.map((p) => {
      const li = document.createElement("li");
      li.textContent = `${p.name}: ${p.score}`;
      return li;
    }),
  );
}

async function refreshMe(): Promise<string[]> {
  const me = await api.me();
  score.textContent = String(me.score);
  who.textContent = `Signed in as ${me.name}`;
  return me.answered;
}

function questionForm(q: Question, answered: boolean): HTMLFormElement {
  const f = document.createElement("form");
  f.className = "question";
  const fs = document.createElement("fieldset");
  const legend = document.createElement("legend");
  legend.textContent = q.question;
  fs.append(legend);
  q.options.forEach((opt, i) => {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "radio";
    input.name = `q${q.id}`;
    input.value = opt;
    input.required = true;
    input.id = `q${q.id}-${i}`;
    label.htmlFor = input.id;
    label.append(input, document.createTextNode(opt));
    fs.append(label);
  });
  const button = document.createElement("button");
  button.type = "submit";
  button.textContent = "Answer";
  button.setAttribute("aria-describedby", `r${q.id}`);
  const result = document.createElement("p");
  result.id = `r${q.id}`;
  result.className = "result";
  result.setAttribute("aria-live", "polite");
  if (answered) result.textContent = "Answered right already.";
  fs.append(button, result);
  f.append(fs);
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const choice = new FormData(f).get(`q${q.id}`);
    if (typeof choice !== "string") return;
    button.disabled = true;
    try {
      const r = await api.answer(q.id, { answer: choice });
      result.className = `result ${r.correct ? "ok" : "bad"}`;
      result.textContent = r.correct
        ? r.counted
          ? "Right! +1"
          : "Right, but this one already counted."
        : `Wrong: the answer is ${r.answer}.`;
      await refreshMe();
      await refreshBoard();
    } catch (err) {
      result.className = "result bad";
      result.textContent = problem(err);
    } finally {
      button.disabled = false;
    }
  });
  return f;
}

async function play(): Promise<void> {
  const [questions, answered] = await Promise.all([api.listQuestions(), refreshMe()]);
  list.replaceChildren(...questions.map((q) => questionForm(q, answered.includes(q.id))));
  account.hidden = true;
  game.hidden = false;
  await refreshBoard();
  const first = list.querySelector<HTMLInputElement>("input");
  first?.focus();
}

async function signIn(): Promise<void> {
  const token = await cognito.signIn(email.value, password.value);
  signedIn(token);
  sessionStorage.setItem("token", token);
  say("Signed in.");
  await play();
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  try {
    say("Signing in…");
    await signIn();
  } catch (err) {
    say(`Could not sign in: ${problem(err)}`);
  }
});

el<HTMLButtonElement>("sign-up").addEventListener("click", async () => {
  if (!form.reportValidity()) return;
  try {
    say("Signing up…");
    const { confirmed } = await cognito.signUp(email.value, password.value);
    if (!confirmed) {
      say("Signed up: confirm your account, then sign in.");
      return;
    }
    await signIn();
  } catch (err) {
    say(`Could not sign up: ${problem(err)}`);
  }
});

el<HTMLButtonElement>("sign-out").addEventListener("click", () => {
  signedIn("");
  sessionStorage.removeItem("token");
  game.hidden = true;
  account.hidden = false;
  who.textContent = "Not signed in";
  say("Signed out.");
  email.focus();
});

const saved = sessionStorage.getItem("token") ?? "";
signedIn(saved);
(saved ? play() : refreshBoard()).catch((err) => {
  signedIn("");
  sessionStorage.removeItem("token");
  say(problem(err));
});
