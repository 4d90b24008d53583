// cognito.ts: the two Cognito user pool calls the page makes, over
// Cognito's JSON API with fetch (no SDK): sign-up and password sign-in.

/** CognitoError is an error answered by Cognito, with its exception name. */
class CognitoError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
    this.name = "CognitoError";
  }
}

/** Cognito signs players up and in against one user pool app client. */
class Cognito {
  constructor(private readonly endpoint: string, private readonly clientId: string) {}

  /** signUp registers a player whose user name is their email address. */
  async signUp(email: string, password: string): Promise<{ confirmed: boolean }> {
    const out = await this.call<{ UserConfirmed?: boolean }>("SignUp", {
      ClientId: this.clientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: "email", Value: email }],
    });
    return { confirmed: out.UserConfirmed === true };
  }

  /** signIn returns the player's ID token, which the API's authorizer checks. */
  async signIn(email: string, password: string): Promise<string> {
    const out = await this.call<{ AuthenticationResult?: { IdToken?: string } }>("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: this.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    });
    const token = out.AuthenticationResult?.IdToken;
    if (!token) {
      throw new CognitoError("NoToken", "Cognito answered without a token; is the app client's password flow on?");
    }
    return token;
  }

  private async call<T>(action: string, body: unknown): Promise<T> {
    const res = await fetch(this.endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let data: Record<string, unknown> = {};
    try {
      data = text ? JSON.parse(text) : {};
    } catch {
      data = { message: text };
    }
    if (!res.ok) {
      const type = String(data.__type ?? "Error").split("#").pop() ?? "Error";
      throw new CognitoError(type, String(data.message ?? data.Message ?? res.statusText));
    }
    return data as T;
  }
}
