//! `POST /session/v1/login-request`: opens a session on the account's instance.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::envelope;
use super::parameters::session_parameters;
use crate::control_plane::{ControlPlaneLink, Credential, LoginVerdict};
use crate::sessions::ClientInfo;
use crate::{body, AppState};

#[derive(Debug, Default, Deserialize)]
pub struct LoginRequest {
    #[serde(default)]
    data: LoginData,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
struct LoginData {
    account_name: Option<String>,
    login_name: Option<String>,
    password: Option<String>,
    token: Option<String>,
    authenticator: Option<String>,
    client_app_id: Option<String>,
    session_parameters: Option<serde_json::Map<String, serde_json::Value>>,
}

/// What a login presents as proof, borrowed from its request.
struct Secrets<'a> {
    authenticator: Option<&'a str>,
    password: Option<&'a str>,
    token: Option<&'a str>,
}

impl LoginData {
    fn secrets(&self) -> Secrets<'_> {
        Secrets {
            authenticator: self.authenticator.as_deref(),
            password: self.password.as_deref(),
            token: self.token.as_deref(),
        }
    }
}

pub async fn login(
    State(state): State<Arc<AppState>>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    raw: Bytes,
) -> Response {
    let request: LoginRequest = match body::decode(&headers, &raw) {
        Ok(request) => request,
        Err(e) => return envelope::failure("390400", &format!("Invalid login request: {e}")),
    };
    let data = request.data;
    let (Some(account), Some(user)) = (
        data.account_name.clone().filter(|a| !a.is_empty()),
        data.login_name.clone().filter(|u| !u.is_empty()),
    ) else {
        return incorrect_credentials();
    };
    if data.password.is_none() && data.token.is_none() {
        return incorrect_credentials();
    }
    let default_role = match &state.control_plane {
        Some(link) => match check_credentials(link, &account, &user, &data.secrets()).await {
            Ok(roles) => match ungranted_role(params.get("roleName"), &roles) {
                None => Some(roles.default_role),
                Some(role) => return role_not_granted(&role),
            },
            Err(refusal) => return refusal,
        },
        None => None,
    };
    let instance = match state.accounts.get_or_create(&account) {
        Ok(instance) => instance,
        Err(e) => return envelope::failure(&e.code, &e.message),
    };
    let session = match instance.session(&user) {
        Ok(session) => session,
        Err(e) => return envelope::failure(&e.code, &e.message),
    };
    let client = ClientInfo {
        app_id: data.client_app_id.unwrap_or_default(),
        result_format: data
            .session_parameters
            .as_ref()
            .and_then(|p| p.get("PYTHON_CONNECTOR_QUERY_RESULT_FORMAT"))
            .and_then(|v| v.as_str())
            .map(str::to_string),
    };
    let (handle, token) = state.sessions.register(instance.account(), session, client);
    let param = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    let context_handle = handle.clone();
    let (db, schema, wh, role) = (
        param("databaseName").map(str::to_string),
        param("schemaName").map(str::to_string),
        param("warehouse").map(str::to_string),
        param("roleName").map(str::to_string).or(default_role),
    );
    let applied = tokio::task::spawn_blocking(move || {
        context_handle.apply_login_context(
            db.as_deref(),
            schema.as_deref(),
            wh.as_deref(),
            role.as_deref(),
        );
        context_handle.state()
    })
    .await;
    let Ok(session_state) = applied else {
        return envelope::failure("390100", "Login failed: the session could not be prepared.");
    };
    let validity = state.sessions.validity();
    tracing::info!(account = %instance.account(), user = %user, session_id = handle.id, "login");
    envelope::ok(json!({
        "token": token,
        "validityInSeconds": validity.session.as_secs(),
        "masterToken": handle.master_token,
        "masterValidityInSeconds": validity.master.as_secs(),
        "sessionId": handle.id,
        "serverVersion": engine::SNOWFLAKE_VERSION,
        "displayUserName": user.to_uppercase(),
        "firstLogin": false,
        "healthCheckInterval": 45,
        "newClientForUpgrade": null,
        "idToken": null,
        "idTokenValidityInSeconds": 0,
        "mfaToken": null,
        "mfaTokenValidityInSeconds": 0,
        "remMeToken": null,
        "remMeValidityInSeconds": 0,
        "responseData": null,
        "parameters": session_parameters(),
        "sessionInfo": {
            "databaseName": session_state.database,
            "schemaName": session_state.schema,
            "warehouseName": session_state.warehouse,
            "roleName": session_state.role,
        },
    }))
}

/// The roles a login may take, as the control plane granted them.
struct LoginRoles {
    default_role: String,
    roles: Vec<String>,
}

/// Snowflake refuses a login whose connect-string role is not granted to the user: the role
/// asked for (as Snowflake names it) when that is so.
fn ungranted_role(requested: Option<&String>, granted: &LoginRoles) -> Option<String> {
    let requested = requested
        .map(|role| role.trim())
        .filter(|role| !role.is_empty())?;
    // The name USE ROLE will give the session, so the check and the session agree.
    let name = crate::sessions::login_name(requested);
    (!granted.roles.contains(&name)).then_some(name)
}

fn role_not_granted(role: &str) -> Response {
    envelope::failure(
        "390189",
        &format!(
            "Role '{role}' specified in the connect string is not granted to this user. Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC."
        ),
    )
}

/// Service mode: the control plane decides. The credential travels in PASSWORD (default
/// authenticator; a programmatic access token may be given there too, as Snowflake allows) or
/// in TOKEN (PROGRAMMATIC_ACCESS_TOKEN and OAUTH authenticators). Returns the user's roles.
async fn check_credentials(
    link: &ControlPlaneLink,
    account: &str,
    user: &str,
    data: &Secrets<'_>,
) -> Result<LoginRoles, Response> {
    let authenticator = data.authenticator.unwrap_or("SNOWFLAKE");
    let (credential, secret) = match authenticator.to_ascii_uppercase().as_str() {
        "SNOWFLAKE" | "USERNAME_PASSWORD_MFA" => (Credential::Password, data.password),
        "PROGRAMMATIC_ACCESS_TOKEN" | "OAUTH" => (
            Credential::AccessToken,
            data.token.or(data.password),
        ),
        other => {
            return Err(envelope::failure(
                "390100",
                &format!("Authenticator {other} is not supported by this server; use a password or a programmatic access token."),
            ))
        }
    };
    let secret = secret.unwrap_or_default();
    let verdict = match credential {
        Credential::Password => link.authenticate_password(account, user, secret).await,
        Credential::AccessToken => link.authenticate(account, user, credential, secret).await,
    };
    match verdict {
        LoginVerdict::Accepted {
            default_role,
            roles,
        } => Ok(LoginRoles {
            default_role,
            roles,
        }),
        LoginVerdict::BadCredentials => Err(incorrect_credentials()),
        LoginVerdict::UnknownTenant => Err(envelope::failure(
            "390100",
            &format!(
                "Incorrect username or password was specified. (Account '{}' does not exist.)",
                account.to_uppercase()
            ),
        )),
        LoginVerdict::ServedElsewhere(address) => Err(envelope::failure(
            "390100",
            &match address {
                Some(address) => format!(
                    "Account '{}' is served by another data node: connect to {address}.",
                    account.to_uppercase()
                ),
                None => format!(
                    "Account '{}' is not served by any data node at the moment; retry shortly.",
                    account.to_uppercase()
                ),
            },
        )),
        LoginVerdict::Unavailable(reason) => {
            tracing::warn!(
                account,
                "login refused, control plane unavailable: {reason}"
            );
            Err(envelope::failure(
                "390100",
                "Login failed: the control plane is unavailable; retry shortly.",
            ))
        }
    }
}

fn incorrect_credentials() -> Response {
    envelope::failure("390100", "Incorrect username or password was specified.")
}
